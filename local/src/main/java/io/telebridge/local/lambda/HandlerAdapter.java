package io.telebridge.local.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Calls a handler the way the Lambda Java runtime does: a {@link RequestStreamHandler} gets the
 * raw event bytes; a {@link RequestHandler} gets the event deserialised to its input type and its
 * result serialised from its output type ({@link LambdaSerializers}); any other class gets the
 * public method named in {@code Handler} ({@code (input[, Context])} or
 * {@code (InputStream, OutputStream[, Context])}).
 *
 * <p>Construction follows this project's handler convention: a public constructor taking
 * {@code Map<String, String>} (the template-resolved environment) when there is one, else the
 * public no-arg constructor.
 */
final class HandlerAdapter {

  private static final byte[] JSON_NULL = "null".getBytes(StandardCharsets.US_ASCII);

  private interface Call {
    byte[] invoke(Object instance, byte[] event, Context context) throws Throwable;
  }

  private final Class<?> handlerClass;
  private final ClassLoader loader;
  private final Call call;
  private final boolean staticMethod;

  private HandlerAdapter(Class<?> handlerClass, ClassLoader loader, Call call, boolean staticMethod) {
    this.handlerClass = handlerClass;
    this.loader = loader;
    this.call = call;
    this.staticMethod = staticMethod;
  }

  static HandlerAdapter load(FunctionSpec spec, ClassLoader loader) throws ClassNotFoundException {
    Class<?> type = Class.forName(spec.handlerClassName(), true, loader);
    String methodName = spec.handlerMethodName();
    if (methodName.equals("handleRequest") && RequestStreamHandler.class.isAssignableFrom(type)) {
      return new HandlerAdapter(type, loader, (instance, event, context) -> {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ((RequestStreamHandler) instance).handleRequest(new ByteArrayInputStream(event), out, context);
        return out.toByteArray();
      }, false);
    }
    if (methodName.equals("handleRequest") && RequestHandler.class.isAssignableFrom(type)) {
      Type[] io = typeArguments(type, RequestHandler.class);
      Type input = io[0] == null ? Object.class : io[0];
      Type output = io[1] == null ? Object.class : io[1];
      return new HandlerAdapter(type, loader, pojoCall(input, output, loader, (instance, in, context) -> {
        @SuppressWarnings("unchecked")
        RequestHandler<Object, Object> handler = (RequestHandler<Object, Object>) instance;
        return handler.handleRequest(in, context);
      }), false);
    }
    return methodHandler(type, methodName, loader);
  }

  private interface PojoInvoke {
    Object apply(Object instance, Object input, Context context) throws Throwable;
  }

  private static Call pojoCall(Type input, Type output, ClassLoader loader, PojoInvoke invoke) {
    boolean voidOutput = output == void.class || output == Void.class;
    return (instance, event, context) -> {
      Object in;
      try {
        in = input == null ? null : LambdaSerializers.forType(input, loader).fromJson(new ByteArrayInputStream(event));
      } catch (RuntimeException e) {
        throw new FunctionError(FunctionError.Kind.SERIALIZATION,
            "the event could not be read as " + input.getTypeName(), e);
      }
      Object result = invoke.apply(instance, in, context);
      if (voidOutput || result == null) {
        return JSON_NULL;
      }
      try {
        PojoSerializer<Object> serializer = LambdaSerializers.forType(output, loader);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        serializer.toJson(result, out);
        return out.toByteArray();
      } catch (RuntimeException e) {
        throw new FunctionError(FunctionError.Kind.SERIALIZATION,
            "the result could not be written as JSON from " + output.getTypeName(), e);
      }
    };
  }

  private static HandlerAdapter methodHandler(Class<?> type, String name, ClassLoader loader) {
    Optional<Method> found = Arrays.stream(type.getMethods())
        .filter(m -> m.getName().equals(name) && !m.isBridge() && !m.isSynthetic())
        .max(Comparator.comparingInt(Method::getParameterCount));
    if (found.isEmpty()) {
      throw new IllegalArgumentException("no public method " + name + " in " + type.getName());
    }
    Method m = found.get();
    Class<?>[] p = m.getParameterTypes();
    boolean isStatic = Modifier.isStatic(m.getModifiers());
    if (p.length >= 2 && InputStream.class.isAssignableFrom(p[0]) && OutputStream.class.isAssignableFrom(p[1])) {
      boolean withContext = p.length == 3;
      return new HandlerAdapter(type, loader, (instance, event, context) -> {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Object[] args = withContext
            ? new Object[] {new ByteArrayInputStream(event), out, context}
            : new Object[] {new ByteArrayInputStream(event), out};
        invokeReflective(m, instance, args);
        return out.toByteArray();
      }, isStatic);
    }
    if (p.length > 2 || (p.length == 2 && !Context.class.isAssignableFrom(p[1]))) {
      throw new IllegalArgumentException("handler method " + name + " must take (input[, Context]) or "
          + "(InputStream, OutputStream[, Context])");
    }
    Type input = p.length == 0 || (p.length == 1 && Context.class.isAssignableFrom(p[0]))
        ? null : m.getGenericParameterTypes()[0];
    boolean contextOnly = p.length == 1 && input == null;
    Type output = m.getGenericReturnType();
    return new HandlerAdapter(type, loader, pojoCall(input, output, loader, (instance, in, context) -> {
      Object[] args;
      if (p.length == 0) {
        args = new Object[0];
      } else if (contextOnly) {
        args = new Object[] {context};
      } else if (p.length == 1) {
        args = new Object[] {in};
      } else {
        args = new Object[] {in, context};
      }
      return invokeReflective(m, instance, args);
    }), isStatic);
  }

  private static Object invokeReflective(Method m, Object instance, Object[] args) throws Throwable {
    try {
      return m.invoke(instance, args);
    } catch (InvocationTargetException e) {
      throw e.getCause() != null ? e.getCause() : e;
    }
  }

  Class<?> handlerClass() {
    return handlerClass;
  }

  ClassLoader loader() {
    return loader;
  }

  /** Whether the handler's class has the {@code Map<String, String>} constructor. */
  boolean hasEnvironmentConstructor() {
    return environmentConstructor() != null;
  }

  private Constructor<?> environmentConstructor() {
    try {
      return handlerClass.getConstructor(Map.class);
    } catch (NoSuchMethodException e) {
      return null;
    }
  }

  /** A new handler instance (a cold start). */
  Object newInstance(Map<String, String> environment) throws Throwable {
    if (staticMethod) {
      return null;
    }
    try {
      Constructor<?> withEnvironment = environmentConstructor();
      if (withEnvironment != null) {
        return withEnvironment.newInstance(new HashMap<>(environment));
      }
      return handlerClass.getConstructor().newInstance();
    } catch (InvocationTargetException e) {
      throw e.getCause() != null ? e.getCause() : e;
    } catch (NoSuchMethodException e) {
      throw new IllegalArgumentException(handlerClass.getName()
          + " has neither a public (Map<String, String>) nor a public no-arg constructor", e);
    }
  }

  byte[] invoke(Object instance, byte[] event, Context context) throws Throwable {
    return call.invoke(instance, event, context);
  }

  /**
   * The actual type arguments that {@code type} gives the generic interface {@code target}
   * (e.g. {@code RequestHandler<I, O>}), following superclasses and superinterfaces; {@code null}
   * entries where a type variable stays unbound.
   */
  static Type[] typeArguments(Class<?> type, Class<?> target) {
    Type[] found = search(type, target, new HashMap<>());
    return found != null ? found : new Type[target.getTypeParameters().length];
  }

  private static Type[] search(Type type, Class<?> target, Map<TypeVariable<?>, Type> bindings) {
    Class<?> raw;
    Map<TypeVariable<?>, Type> local = new HashMap<>(bindings);
    if (type instanceof ParameterizedType pt) {
      raw = (Class<?>) pt.getRawType();
      TypeVariable<?>[] vars = raw.getTypeParameters();
      Type[] args = pt.getActualTypeArguments();
      for (int i = 0; i < vars.length; i++) {
        Type arg = args[i];
        local.put(vars[i], arg instanceof TypeVariable<?> tv && bindings.containsKey(tv) ? bindings.get(tv) : arg);
      }
    } else if (type instanceof Class<?> c) {
      raw = c;
    } else {
      return null;
    }
    if (raw == target) {
      TypeVariable<?>[] vars = raw.getTypeParameters();
      Type[] out = new Type[vars.length];
      for (int i = 0; i < vars.length; i++) {
        Type t = local.get(vars[i]);
        out[i] = t instanceof TypeVariable<?> || t == null ? null : t;
      }
      return out;
    }
    for (Type parent : raw.getGenericInterfaces()) {
      Type[] r = search(parent, target, local);
      if (r != null) {
        return r;
      }
    }
    Type superclass = raw.getGenericSuperclass();
    return superclass == null ? null : search(superclass, target, local);
  }
}
