package io.telebridge.fhir;

import ca.uhn.fhir.rest.client.api.IClientInterceptor;
import ca.uhn.fhir.rest.client.api.IHttpRequest;
import ca.uhn.fhir.rest.client.api.IHttpResponse;
import ca.uhn.fhir.rest.client.exceptions.FhirClientConnectionException;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import io.telebridge.core.error.TelebridgeException;
import io.telebridge.core.error.TransientException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The one retry loop of the FHIR reader and writer, for HealthLake's quotas and a busy EHR: a request
 * answered 408, 429 or 5xx, or one that could not connect, is sent again after a pause — the server's
 * {@code Retry-After} (seconds) when it gives one, else an exponential backoff with jitter (the first
 * pause doubled each attempt) — up to {@code maxAttempts}; every pause is capped at {@link #MAX_PAUSE}
 * (a Lambda has no time to wait longer: the queue's retry takes over). Anything else, and the last
 * failure, is rethrown as it came for the caller to map. A {@link TelebridgeException} (the auth
 * interceptor's: token refused, credentials missing) is never retried here. Logs the status and pause
 * only (no URL: a search URL holds the MRN). Thread-safe.
 */
public final class FhirRetry {

  /** How the loop waits (a test passes one that records the pauses and does not sleep). */
  public interface Sleeper {
    void sleep(Duration d) throws InterruptedException;
  }

  /** A response that is itself a retryable answer (a batch entry's 429 / 5xx inside a 200 batch). */
  public static final class RetryableAnswer extends RuntimeException {
    final int status;

    public RetryableAnswer(int status) {
      super("an entry answered " + status, null, false, false);
      this.status = status;
    }
  }

  static final Duration MAX_PAUSE = Duration.ofSeconds(5);

  /**
   * HAPI's client does not put the response headers on the exception it throws for a 429 / 503, so the
   * {@code Retry-After} is taken from the response by this interceptor (register it on the call's client) and
   * handed to the retry loop of the same thread.
   */
  public static final IClientInterceptor RETRY_AFTER = new IClientInterceptor() {
    @Override
    public void interceptRequest(IHttpRequest request) {
      LAST_RETRY_AFTER.remove();
    }

    @Override
    public void interceptResponse(IHttpResponse response) {
      if (retryable(response.getStatus())) {
        List<String> values = response.getHeaders("Retry-After");
        Duration d = values == null || values.isEmpty() ? null : retryAfter(Map.of("Retry-After", values));
        if (d != null) {
          LAST_RETRY_AFTER.set(d);
        }
      }
    }
  };

  private static final ThreadLocal<Duration> LAST_RETRY_AFTER = new ThreadLocal<>();
  private static final Logger LOG = Logger.getLogger(FhirRetry.class.getName());

  private final int maxAttempts;
  private final Duration firstBackoff;
  private final Sleeper sleeper;
  private final AtomicInteger backoffs = new AtomicInteger();

  public FhirRetry(int maxAttempts, Duration firstBackoff, Sleeper sleeper) {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be positive");
    }
    this.maxAttempts = maxAttempts;
    this.firstBackoff = firstBackoff;
    this.sleeper = sleeper;
  }

  public FhirRetry(int maxAttempts, Duration firstBackoff) {
    this(maxAttempts, firstBackoff, d -> Thread.sleep(d));
  }

  public int maxAttempts() {
    return maxAttempts;
  }

  /** How many times this loop paused (for tests and metrics). */
  public int backoffs() {
    return backoffs.get();
  }

  /** Whether an HTTP status is worth another attempt. */
  public static boolean retryable(int status) {
    return status == 408 || status == 429 || status >= 500;
  }

  /** Runs the call, again on a retryable failure; rethrows the last failure (as it came) when attempts run out. */
  public <T> T run(Supplier<T> call) {
    Duration wait = firstBackoff;
    for (int attempt = 1; ; attempt++) {
      RuntimeException failure;
      Duration retryAfter = null;
      int status;
      try {
        return call.get();
      } catch (TelebridgeException e) {
        throw e;
      } catch (FhirClientConnectionException e) {
        if (telebridgeCause(e) != null) {
          throw e;
        }
        failure = e;
        status = 0;
      } catch (BaseServerResponseException e) {
        if (!retryable(e.getStatusCode())) {
          throw e;
        }
        failure = e;
        status = e.getStatusCode();
        retryAfter = retryAfter(e.getResponseHeaders());
        if (retryAfter == null) {
          retryAfter = LAST_RETRY_AFTER.get();
        }
        LAST_RETRY_AFTER.remove();
      } catch (RetryableAnswer e) {
        failure = e;
        status = e.status;
      }
      if (attempt >= maxAttempts) {
        throw failure;
      }
      Duration jittered = Duration.ofMillis(wait.toMillis() / 2
          + ThreadLocalRandom.current().nextLong(wait.toMillis() / 2 + 1));
      Duration pause = retryAfter != null ? retryAfter : jittered;
      pause = pause.compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : pause;
      backoffs.incrementAndGet();
      Duration shown = pause;
      int n = attempt;
      LOG.fine(() -> "FHIR " + (status == 0 ? "connection failure" : "answered " + status) + ", attempt " + n
          + ": backing off " + shown.toMillis() + " ms");
      try {
        sleeper.sleep(pause);
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        throw new TransientException("interrupted while backing off", ie);
      }
      wait = wait.multipliedBy(2);
    }
  }

  /** The auth interceptor's own failure inside HAPI's wrapping, if that is what this is. */
  static TelebridgeException telebridgeCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof TelebridgeException te) {
        return te;
      }
    }
    return null;
  }

  /** {@code Retry-After} in seconds (the HTTP-date form is not used by HealthLake): null when absent or unreadable. */
  static Duration retryAfter(Map<String, List<String>> headers) {
    if (headers == null) {
      return null;
    }
    for (Map.Entry<String, List<String>> h : headers.entrySet()) {
      if ("retry-after".equalsIgnoreCase(h.getKey()) && !h.getValue().isEmpty()) {
        try {
          long seconds = Long.parseLong(h.getValue().getFirst().strip());
          return seconds < 0 ? null : Duration.ofSeconds(seconds);
        } catch (NumberFormatException e) {
          return null;
        }
      }
    }
    return null;
  }
}
