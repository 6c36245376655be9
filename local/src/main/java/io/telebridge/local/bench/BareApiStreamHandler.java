package io.telebridge.local.bench;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The cold-start baseline of an API function as a stream handler (as every function is since the
 * stream entry): reads the event's bytes and answers a constant 202 API Gateway v2 response. Beside
 * {@link BareHandler} (the same as a POJO handler, the runtime's serializers deserialising the event),
 * the difference is what the runtime's POJO serialisation costs.
 */
public final class BareApiStreamHandler implements RequestStreamHandler {

  private static final byte[] ANSWER = ("{\"statusCode\":202,\"headers\":{\"Content-Type\":\"application/json\"},"
      + "\"body\":\"{\\\"status\\\":\\\"accepted\\\"}\",\"isBase64Encoded\":false}").getBytes(StandardCharsets.UTF_8);

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
    input.readAllBytes();
    output.write(ANSWER);
  }
}
