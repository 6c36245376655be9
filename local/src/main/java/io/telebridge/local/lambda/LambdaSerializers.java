package io.telebridge.local.lambda;

import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;
import java.lang.reflect.Type;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Picks the serializer for a handler's input or output type the way the AWS Lambda Java runtime
 * (aws-lambda-java-runtime-interface-client, EventHandlerLoader) does: for the event classes that
 * {@link LambdaEventSerializers} supports, its serializer (mixins for the field names AWS uses);
 * for every other type (APIGatewayV2HTTPEvent, SQSBatchResponse, your POJOs), the runtime's
 * {@link JacksonFactory}.
 */
public final class LambdaSerializers {

  private static final Map<Type, PojoSerializer<Object>> CACHE = new ConcurrentHashMap<>();

  private LambdaSerializers() {}

  @SuppressWarnings({"unchecked", "rawtypes"})
  public static PojoSerializer<Object> forType(Type type, ClassLoader loader) {
    return CACHE.computeIfAbsent(type, t -> {
      if (t instanceof Class<?> c && LambdaEventSerializers.isLambdaSupportedEvent(c.getName())) {
        return LambdaEventSerializers.serializerFor((Class) c, loader);
      }
      return JacksonFactory.getInstance().getSerializer(t);
    });
  }
}
