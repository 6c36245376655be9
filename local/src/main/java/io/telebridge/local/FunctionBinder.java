package io.telebridge.local;

import io.telebridge.local.aws.ProvisionedResource;
import io.telebridge.local.http.ApiRoute;
import io.telebridge.local.lambda.FunctionSpec;
import io.telebridge.local.lambda.LocalFunction;
import io.telebridge.local.sqs.SqsEventSource;
import io.telebridge.local.template.StackResolver;
import io.telebridge.local.template.TemplateException;
import io.telebridge.local.template.TemplateResource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The template's functions loaded in this JVM ({@link LocalFunction}, with their concurrency) and
 * bound to their triggers: HTTP API routes, SQS event sources (with their batches at once),
 * event source mappings, the schedule groups' due schedules. Part of {@link LocalStack}.
 */
final class FunctionBinder {

  private static final Logger LOG = LoggerFactory.getLogger(FunctionBinder.class);

  private static final Set<String> FUNCTION_TYPES = Set.of("AWS::Serverless::Function", "AWS::Lambda::Function");

  private final LocalStack stack;

  FunctionBinder(LocalStack stack) {
    this.stack = stack;
  }

  void loadFunctions() {
    Path templateDir = stack.template.path() == null ? Path.of(".") : stack.template.path().getParent();
    Map<String, String> arnToQueueUrl = new LinkedHashMap<>();
    stack.queues.values().forEach(q -> arnToQueueUrl.put(q.attributes().get("Arn"), q.ref()));
    for (TemplateResource r : stack.template.resources().values()) {
      if (!FUNCTION_TYPES.contains(r.type()) || !stack.resolver.included(r)) {
        continue;
      }
      FunctionSpec spec = functionSpec(r, templateDir);
      if (spec == null) {
        continue;
      }
      LocalFunction fn = new LocalFunction(spec, stack.options.classLoader(), stack.options.verboseErrors(), System.err,
          functionConcurrency(r));
      Path module = moduleOf(spec.codeJar());
      if (!fn.isLoadable() && module != null && !module.equals(templateDir.toAbsolutePath().normalize())
          && !Files.isRegularFile(module.resolve("pom.xml"))) {
        String why = "not run: its module " + templateDir.relativize(module) + " is not in this checkout (handler "
            + spec.handlerClassName() + " not on the classpath, " + templateDir.relativize(spec.codeJar())
            + " not built); its triggers are not polled";
        stack.absentFunctions.put(r.logicalId(), why);
        LOG.info("{}: {}", r.logicalId(), why);
        LocalStack.closeQuietly(fn);
        continue;
      }
      stack.functions.put(r.logicalId(), fn);
      if (!fn.isLoadable()) {
        stack.warn(r.logicalId() + ": " + fn.problem());
      } else {
        if (!fn.usesEnvironmentConstructor()) {
          stack.warn(r.logicalId() + ": " + spec.handlerClassName() + " has no (Map<String, String>) constructor; "
              + "it gets no template environment (it would read the process environment)");
        }
        fn.warmUp();
      }
      if (r.type().equals("AWS::Serverless::Function") && r.properties().get("Events") instanceof Map<?, ?> events) {
        for (Map.Entry<?, ?> e : events.entrySet()) {
          bindEvent(fn, String.valueOf(e.getKey()), e.getValue(), arnToQueueUrl);
        }
      }
    }
    for (TemplateResource r : stack.template.resourcesOfType("AWS::Lambda::EventSourceMapping")) {
      if (stack.resolver.included(r)) {
        bindEventSourceMapping(r, arnToQueueUrl);
      }
    }
    bindScheduleGroups(arnToQueueUrl);
  }

  /**
   * The most invocations of a function at once: the option ({@code --concurrency}), or the
   * function's {@code ReservedConcurrentExecutions} when lower (0 there means the function is
   * throttled on AWS; locally it still runs, one at a time).
   */
  private int functionConcurrency(TemplateResource r) {
    int concurrency = stack.options.concurrency();
    Object reserved = r.properties().get("ReservedConcurrentExecutions");
    if (reserved != null) {
      try {
        concurrency = Math.min(concurrency, Math.max(1, Integer.parseInt(
            stack.resolver.resolveString(reserved, r.logicalId() + ".ReservedConcurrentExecutions"))));
      } catch (NumberFormatException | TemplateException e) {
        stack.warn(r.logicalId() + ".ReservedConcurrentExecutions: not a number; using " + concurrency);
      }
    }
    return concurrency;
  }

  /** moto stores schedules but never fires them: the local stack fires the template's groups' due schedules. */
  private void bindScheduleGroups(Map<String, String> arnToQueueUrl) {
    List<String> groups = stack.tables.values().stream().filter(t -> t.type().equals("AWS::Scheduler::ScheduleGroup"))
        .map(ProvisionedResource::ref).toList();
    if (groups.isEmpty()) {
      return;
    }
    stack.eventSources.add(new io.telebridge.local.scheduler.SchedulerEventSource(
        io.telebridge.local.scheduler.ScheduleGroupProvisioner.client(stack.motoEndpoint), stack.sqs, groups, stack::functionByArn,
        arnToQueueUrl::get, stack.options.schedulerPoll(), java.time.Clock.systemUTC()));
  }

  /**
   * {@code <dir>/functions/x/target/x.jar} -> {@code <dir>/functions/x}; null when the jar is not under
   * a target/. (A jar in the template's own target/ names no separate module: never "absent".)
   */
  static Path moduleOf(Path codeJar) {
    if (codeJar == null || codeJar.getParent() == null || codeJar.getParent().getFileName() == null
        || !codeJar.getParent().getFileName().toString().equals("target")) {
      return null;
    }
    return codeJar.getParent().getParent();
  }

  private FunctionSpec functionSpec(TemplateResource r, Path templateDir) {
    Map<String, Object> p = r.properties();
    String runtime = p.get("Runtime") == null ? "" : stack.resolver.resolveString(p.get("Runtime"), r.logicalId() + ".Runtime");
    if (!runtime.isEmpty() && !runtime.startsWith("java")) {
      stack.warn(r.logicalId() + ": runtime " + runtime + " is not Java; not run locally");
      return null;
    }
    if (p.get("Handler") == null) {
      stack.warn(r.logicalId() + ": no Handler; not run locally");
      return null;
    }
    String handler = stack.resolver.resolveString(p.get("Handler"), r.logicalId() + ".Handler");
    int timeout = p.get("Timeout") == null ? 3
        : Integer.parseInt(stack.resolver.resolveString(p.get("Timeout"), r.logicalId() + ".Timeout"));
    int memory = p.get("MemorySize") == null ? 128
        : Integer.parseInt(stack.resolver.resolveString(p.get("MemorySize"), r.logicalId() + ".MemorySize"));
    String name = stack.resolver.registered(r.logicalId()).ref();
    Map<String, String> env = new LinkedHashMap<>();
    if (p.get("Environment") instanceof Map<?, ?> environment && environment.get("Variables") != null) {
      Object vars = stack.resolver.resolve(environment.get("Variables"));
      if (!(vars instanceof Map<?, ?> varMap)) {
        throw new TemplateException(r.logicalId() + ".Environment.Variables must be a mapping");
      }
      for (Map.Entry<?, ?> v : varMap.entrySet()) {
        env.put(String.valueOf(v.getKey()), StackResolver.scalarToString(v.getValue()));
      }
    }
    env.putAll(stack.options.environment());
    env.putAll(stack.awsEnvironment());
    env.put("AWS_LAMBDA_FUNCTION_NAME", name);
    env.put("AWS_LAMBDA_FUNCTION_TIMEOUT", Integer.toString(timeout));
    env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(memory));
    env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
    env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + name);
    env.put("_HANDLER", handler);
    Path jar = null;
    Object codeUri = p.get("CodeUri");
    if (codeUri instanceof String s && s.endsWith(".jar")) {
      jar = templateDir.resolve(s).normalize();
    }
    return new FunctionSpec(r.logicalId(), name, handler, timeout, memory, env, jar);
  }


  /**
   * A route's authorizer as SAM reads it: the event's {@code Auth.Authorizer}, else its API's
   * {@code Auth.DefaultAuthorizer}; {@code null} for none.
   */
  private String routeAuthorizer(Map<?, ?> props, String apiId) {
    if (props.get("Auth") instanceof Map<?, ?> auth && auth.get("Authorizer") != null) {
      return str(auth.get("Authorizer"));
    }
    for (String type : List.of("AWS::Serverless::HttpApi", "AWS::Serverless::Api")) {
      for (TemplateResource api : stack.template.resourcesOfType(type)) {
        if (!stack.resolver.isRegistered(api.logicalId()) || !stack.resolver.registered(api.logicalId()).ref().equals(apiId)) {
          continue;
        }
        if (api.properties().get("Auth") instanceof Map<?, ?> auth && auth.get("DefaultAuthorizer") != null) {
          Object value = stack.resolver.resolve(auth.get("DefaultAuthorizer"));
          return value == null ? null : str(value);
        }
      }
    }
    return null;
  }

  private void bindEvent(LocalFunction fn, String eventName, Object definition, Map<String, String> arnToQueueUrl) {
    if (!(definition instanceof Map<?, ?> def)) {
      return;
    }
    String type = String.valueOf(def.get("Type"));
    Object rawProps = def.get("Properties");
    String where = fn.logicalId() + ".Events." + eventName;
    try {
      Map<?, ?> props = rawProps == null ? Map.of() : (Map<?, ?>) stack.resolver.resolve(rawProps);
      switch (type) {
        case "HttpApi" -> {
          String path = props.get("Path") == null ? "$default" : str(props.get("Path"));
          String method = props.get("Method") == null ? "ANY" : str(props.get("Method"));
          String apiId = props.get("ApiId") == null ? stack.resolver.registered("ServerlessHttpApi").ref() : str(props.get("ApiId"));
          String version = props.get("PayloadFormatVersion") == null ? "2.0" : str(props.get("PayloadFormatVersion"));
          String authorizer = routeAuthorizer(props, apiId);
          ApiRoute route = new ApiRoute("HttpApi", apiId, method.toUpperCase(Locale.ROOT), path, version, eventName, fn,
              authorizer);
          if (route.unsupportedAuthorizer()) {
            stack.warn(where + ": authorizer " + authorizer + " is not emulated locally (only AWS_IAM); its requests get 403");
          }
          addRoute(route);
        }
        case "Api" -> {
          String apiId = props.get("RestApiId") == null ? stack.resolver.registered("ServerlessRestApi").ref() : str(props.get("RestApiId"));
          String authorizer = routeAuthorizer(props, apiId);
          ApiRoute route = new ApiRoute("Api", apiId, str(props.get("Method")).toUpperCase(Locale.ROOT),
              str(props.get("Path")), "1.0", eventName, fn, authorizer);
          if (route.unsupportedAuthorizer()) {
            stack.warn(where + ": authorizer " + authorizer + " is not emulated locally (only AWS_IAM); its requests get 403");
          }
          addRoute(route);
        }
        case "SQS" -> bindSqs(fn, eventName, str(props.get("Queue")), props, arnToQueueUrl);
        case "Schedule", "ScheduleV2" -> stack.warn(where + ": " + type
            + " events are not emulated yet (extension point: io.telebridge.local.scheduler)");
        default -> stack.warn(where + ": event type " + type + " is not emulated locally");
      }
    } catch (TemplateException | ClassCastException e) {
      stack.warn(where + ": " + e.getMessage());
    }
  }

  private void addRoute(ApiRoute route) {
    for (ApiRoute existing : stack.routes) {
      if (existing.routeKey().equals(route.routeKey())) {
        stack.warn("route " + route.routeKey() + " of " + route.function().logicalId() + " is already served by "
            + existing.function().logicalId() + " (all APIs share one local port); the first one wins");
      }
    }
    stack.routes.add(route);
  }

  private void bindSqs(LocalFunction fn, String eventName, String queueArn, Map<?, ?> props, Map<String, String> arnToQueueUrl) {
    String queueUrl = arnToQueueUrl.get(queueArn);
    String where = fn.logicalId() + ".Events." + eventName;
    if (queueUrl == null) {
      stack.warn(where + ": queue " + queueArn + " is not a queue of this template; not polled");
      return;
    }
    if (props.get("Enabled") != null && !Boolean.parseBoolean(str(props.get("Enabled")))) {
      stack.warn(where + ": disabled (Enabled: false); not polled");
      return;
    }
    if (stack.options.disabledEventSources().contains(fn.logicalId())) {
      LOG.info("{}: disabled by option; not polled", where);
      return;
    }
    if (!fn.isLoadable()) {
      stack.warn(where + ": not polled while the handler cannot be loaded (messages stay in the queue)");
      return;
    }
    int batchSize = props.get("BatchSize") == null ? 10 : Integer.parseInt(str(props.get("BatchSize")));
    int window = props.get("MaximumBatchingWindowInSeconds") == null ? 0
        : Integer.parseInt(str(props.get("MaximumBatchingWindowInSeconds")));
    boolean report = props.get("FunctionResponseTypes") instanceof List<?> types
        && types.stream().anyMatch(t -> "ReportBatchItemFailures".equals(String.valueOf(t)));
    // batches at once: the function's concurrency, or the mapping's ScalingConfig.MaximumConcurrency when lower
    int concurrency = fn.concurrency();
    if (props.get("ScalingConfig") instanceof Map<?, ?> scaling && scaling.get("MaximumConcurrency") != null) {
      concurrency = Math.min(concurrency, Math.max(1, Integer.parseInt(str(scaling.get("MaximumConcurrency")))));
    }
    stack.eventSources.add(new SqsEventSource(fn, stack.sqs, new SqsEventSource.Settings(
        eventName, queueUrl, queueArn, batchSize, window, report, stack.options.sqsPollWaitSeconds(), concurrency)));
  }

  private void bindEventSourceMapping(TemplateResource r, Map<String, String> arnToQueueUrl) {
    try {
      @SuppressWarnings("unchecked")
      Map<String, Object> props = (Map<String, Object>) stack.resolver.resolve(r.properties());
      String source = str(props.get("EventSourceArn"));
      if (!source.startsWith("arn:aws:sqs:")) {
        stack.warn(r.logicalId() + ": only SQS event source mappings are emulated");
        return;
      }
      String target = str(props.get("FunctionName"));
      Optional<LocalFunction> fn = stack.functions.values().stream()
          .filter(f -> f.spec().functionName().equals(target) || f.spec().arn().equals(target))
          .findFirst();
      if (fn.isEmpty()) {
        stack.warn(r.logicalId() + ": function " + target + " is not a local function");
        return;
      }
      bindSqs(fn.get(), r.logicalId(), source, props, arnToQueueUrl);
    } catch (TemplateException e) {
      stack.warn(r.logicalId() + ": " + e.getMessage());
    }
  }

  private static String str(Object value) {
    return StackResolver.scalarToString(value);
  }
}
