package io.telebridge.local.lambda;

import java.io.PrintStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One function of the template, loaded in this JVM like Lambda's execution environments: a pool of
 * handler instances, each built with the function's environment and reused across invocations,
 * <b>each serving one invocation at a time</b> (Lambda gives each concurrent invocation its own
 * environment, so a handler never sees two calls at once). Up to {@code concurrency} invocations run
 * at the same time (the function's reserved concurrency); more callers wait for a free instance
 * (Lambda would throttle them: the local API and pollers wait instead). An instance is built when an
 * invocation finds none idle (a cold start, logged), and kept. An invocation that outlives the
 * function's {@code Timeout} fails with {@link FunctionError.Kind#TIMEOUT} and its instance is
 * thrown away, as Lambda does after a timeout. Constructor failures are retried at the next
 * invocation.
 *
 * <p>The handler class is loaded from the local stack's classpath; when it is not there and the
 * function's {@code CodeUri} is a built jar, from that jar (child-first is not attempted: shared
 * libraries come from the local stack's classpath).
 */
public final class LocalFunction implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LocalFunction.class);

  private final FunctionSpec spec;
  private final ClassLoader parentLoader;
  private final boolean verboseErrors;
  private final StderrLambdaLogger lambdaLogger;
  private final int concurrency;
  private final Semaphore permits;
  /** Instances not serving an invocation; the most recently used first (Lambda reuses warm ones). */
  private final Deque<Object> idle = new ArrayDeque<>();
  private final AtomicInteger instances = new AtomicInteger();
  private final ExecutorService executor = Executors.newThreadPerTaskExecutor(
      Thread.ofVirtual().name("fn-", 0).factory());
  private final String logStream = LocalDate.now(ZoneOffset.UTC).toString().replace('-', '/')
      + "/[$LATEST]" + UUID.randomUUID().toString().replace("-", "");
  private HandlerAdapter adapter;
  private String loadProblem;
  private URLClassLoader jarLoader;
  private volatile boolean closed;

  /** One invocation at a time (a reserved concurrency of 1). */
  public LocalFunction(FunctionSpec spec, ClassLoader parentLoader, boolean verboseErrors, PrintStream logOut) {
    this(spec, parentLoader, verboseErrors, logOut, 1);
  }

  /** Up to {@code concurrency} invocations at once, each on its own handler instance. */
  public LocalFunction(FunctionSpec spec, ClassLoader parentLoader, boolean verboseErrors, PrintStream logOut,
      int concurrency) {
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency must be at least 1");
    }
    this.concurrency = concurrency;
    this.permits = new Semaphore(concurrency, true);
    this.spec = spec;
    this.parentLoader = parentLoader;
    this.verboseErrors = verboseErrors;
    this.lambdaLogger = new StderrLambdaLogger(spec.logicalId(), logOut);
    loadAdapter();
  }

  private void loadAdapter() {
    try {
      adapter = HandlerAdapter.load(spec, parentLoader);
      return;
    } catch (ClassNotFoundException e) {
      // try the CodeUri jar below
    } catch (RuntimeException | LinkageError e) {
      loadProblem = "handler " + spec.handler() + " cannot be used: " + e;
      return;
    }
    if (spec.codeJar() != null && Files.isRegularFile(spec.codeJar())) {
      try {
        jarLoader = new URLClassLoader("fn-" + spec.logicalId(),
            new URL[] {spec.codeJar().toUri().toURL()}, parentLoader);
        adapter = HandlerAdapter.load(spec, jarLoader);
        LOG.info("{}: handler loaded from {}", spec.logicalId(), spec.codeJar());
        return;
      } catch (ClassNotFoundException | MalformedURLException | RuntimeException | LinkageError e) {
        loadProblem = "handler " + spec.handler() + " not loadable from " + spec.codeJar() + ": " + e;
        return;
      }
    }
    loadProblem = "handler class " + spec.handlerClassName() + " is not on the local stack's classpath"
        + (spec.codeJar() == null ? "" : " and " + spec.codeJar() + " does not exist (build it with mvn package)");
  }

  public FunctionSpec spec() {
    return spec;
  }

  public String logicalId() {
    return spec.logicalId();
  }

  /** Whether the handler class was found; when not, {@link #problem()} says why. */
  public boolean isLoadable() {
    return adapter != null;
  }

  public String problem() {
    return loadProblem;
  }

  /** Whether the handler has this project's {@code Map<String, String>} constructor. */
  public boolean usesEnvironmentConstructor() {
    return adapter != null && adapter.hasEnvironmentConstructor();
  }

  /** The most invocations that run at once (each on its own instance). */
  public int concurrency() {
    return concurrency;
  }

  /** Handler instances built and not thrown away (idle or busy). */
  public int instanceCount() {
    return instances.get();
  }

  /**
   * Builds one handler instance now (a cold start at launch, so configuration errors show at
   * once). Returns {@code false} and logs when the constructor fails; it is tried again at the
   * next invocation.
   */
  public boolean warmUp() {
    try {
      permits.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
    try {
      Object instance = takeInstance();
      giveBack(instance);
      return true;
    } catch (FunctionError e) {
      return false;
    } finally {
      permits.release();
    }
  }

  /** An idle instance, or a new one (a cold start). The caller holds a permit. */
  private Object takeInstance() throws FunctionError {
    if (adapter == null) {
      throw new FunctionError(FunctionError.Kind.INIT_ERROR, spec.logicalId() + ": " + loadProblem, null);
    }
    synchronized (idle) {
      Object warm = idle.pollFirst();
      if (warm != null) {
        return warm;
      }
    }
    long started = System.nanoTime();
    Thread current = Thread.currentThread();
    ClassLoader previous = current.getContextClassLoader();
    current.setContextClassLoader(adapter.loader());
    try {
      Object instance = adapter.newInstance(spec.environment());
      int count = instances.incrementAndGet();
      LOG.info("{}: cold start in {} ms (instance {} of at most {})", spec.logicalId(),
          (System.nanoTime() - started) / 1_000_000, count, concurrency);
      return instance;
    } catch (Throwable t) {
      LOG.error("{}: the handler constructor failed: {}", spec.logicalId(), describe(t));
      throw new FunctionError(FunctionError.Kind.INIT_ERROR,
          spec.logicalId() + ": the handler constructor failed (" + t.getClass().getName() + ")", t);
    } finally {
      current.setContextClassLoader(previous);
    }
  }

  private void giveBack(Object instance) {
    synchronized (idle) {
      idle.addFirst(instance);
    }
  }

  /**
   * Invokes the handler with one event (JSON bytes) and returns its result (JSON bytes), as the
   * Lambda runtime does, on an idle instance; waits for one while {@code concurrency} invocations
   * run.
   */
  public byte[] invoke(byte[] event) throws FunctionError {
    if (closed) {
      throw new FunctionError(FunctionError.Kind.INIT_ERROR, spec.logicalId() + ": the local stack is stopping", null);
    }
    String requestId = UUID.randomUUID().toString();
    try {
      permits.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FunctionError(FunctionError.Kind.UNHANDLED, spec.logicalId() + ": interrupted", e);
    }
    Object target = null;
    boolean keep = true;
    try {
      target = takeInstance();
      long started = System.nanoTime();
      long deadline = started + spec.timeoutSeconds() * 1_000_000_000L;
      LocalContext context = new LocalContext(requestId, spec, deadline, lambdaLogger, logStream);
      Object instance = target;
      HandlerAdapter call = adapter;
      Future<byte[]> result = executor.submit(() -> {
        Thread.currentThread().setContextClassLoader(call.loader());
        try {
          return call.invoke(instance, event, context);
        } catch (Exception | Error e) {
          throw e;
        } catch (Throwable t) {
          throw new ExecutionException(t);
        }
      });
      try {
        byte[] out = result.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        LOG.debug("{}: request {} done in {} ms", spec.logicalId(), requestId, (System.nanoTime() - started) / 1_000_000);
        return out;
      } catch (TimeoutException e) {
        result.cancel(true);
        keep = false;
        instances.decrementAndGet();
        LOG.warn("{}: request {} timed out after {} s; the instance is discarded", spec.logicalId(), requestId,
            spec.timeoutSeconds());
        throw new FunctionError(FunctionError.Kind.TIMEOUT,
            spec.logicalId() + ": Task timed out after " + spec.timeoutSeconds() + " seconds", null);
      } catch (ExecutionException e) {
        Throwable cause = e.getCause() instanceof ExecutionException inner && inner.getCause() != null
            ? inner.getCause() : e.getCause();
        if (cause instanceof FunctionError fe) {
          LOG.error("{}: request {} failed: {}", spec.logicalId(), requestId, describe(fe));
          throw fe;
        }
        LOG.error("{}: request {} failed: {}", spec.logicalId(), requestId, describe(cause));
        throw new FunctionError(FunctionError.Kind.UNHANDLED,
            spec.logicalId() + ": unhandled " + cause.getClass().getName(), cause);
      } catch (InterruptedException e) {
        result.cancel(true);
        keep = false; // it may still be running
        instances.decrementAndGet();
        Thread.currentThread().interrupt();
        throw new FunctionError(FunctionError.Kind.UNHANDLED, spec.logicalId() + ": interrupted", e);
      }
    } finally {
      if (target != null && keep && !closed) {
        giveBack(target);
      }
      permits.release();
    }
  }

  /**
   * An exception as it goes to the log: by default the types of the cause chain and the top stack
   * frames, without messages (they may carry PHI); everything when verbose errors are on.
   */
  String describe(Throwable t) {
    if (verboseErrors) {
      java.io.StringWriter sw = new java.io.StringWriter();
      t.printStackTrace(new java.io.PrintWriter(sw));
      return sw.toString();
    }
    StringBuilder sb = new StringBuilder();
    Throwable current = t;
    int depth = 0;
    while (current != null && depth++ < 5) {
      if (sb.length() > 0) {
        sb.append(" <- caused by ");
      }
      sb.append(current.getClass().getName());
      if (current instanceof FunctionError) {
        sb.append(" (").append(current.getMessage()).append(')');
      }
      StackTraceElement[] frames = current.getStackTrace();
      for (int i = 0; i < Math.min(3, frames.length); i++) {
        sb.append("\n    at ").append(frames[i]);
      }
      current = current.getCause() == current ? null : current.getCause();
    }
    sb.append("\n    (messages hidden: they may hold PHI; start with --verbose-errors on synthetic data to see them)");
    return sb.toString();
  }

  @Override
  public void close() {
    closed = true;
    executor.shutdownNow();
    if (jarLoader != null) {
      try {
        jarLoader.close();
      } catch (java.io.IOException e) {
        LOG.debug("{}: closing the jar class loader: {}", spec.logicalId(), e.toString());
      }
    }
  }
}
