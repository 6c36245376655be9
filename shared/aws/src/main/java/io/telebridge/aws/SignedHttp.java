package io.telebridge.aws;

import io.telebridge.core.error.TransientException;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Predicate;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;

/**
 * The one way the adapters send an AWS request without the service's SDK module: the connection's
 * credentials, the SDK's own SigV4 signer ({@link AwsV4HttpSigner}), an SDK HTTP client (url-connection in
 * production; one that sends nothing for priming) and the SDK's standard retries: 3 attempts in all, backoff
 * 100 then 400 ms, on an I/O error or an answer the caller calls retryable (5xx, throttling), never past the
 * call timeout. Used by {@link S3Objects} (PutObject/GetObject) and the DynamoDB client
 * ({@link io.telebridge.aws.dynamodb.DynamoDb}).
 *
 * <p>Nothing of a request or an answer is logged; an exception carries the operation and the status or the
 * exception class only (payloads and keys may be PHI).
 */
public final class SignedHttp {

  static final int ATTEMPTS = 3;

  /** What the service answered: the status code and the body. */
  public record Response(int status, byte[] body) {
    public boolean ok() {
      return status / 100 == 2;
    }

    @Override
    public String toString() {
      return "Response[status=" + status + ", " + body.length + " bytes]";
    }
  }

  /** How the signer treats the request: S3 signs the payload hash in a header and encodes paths once. */
  public enum Style {
    /** S3: single URL encoding, no path normalisation, payload hash signed (x-amz-content-sha256). */
    S3,
    /** Every other service (DynamoDB's JSON protocol): the signer's defaults. */
    STANDARD
  }

  private final String service;
  private final String region;
  private final Style style;
  private final IdentityProvider<? extends AwsCredentialsIdentity> credentials;
  private final SdkHttpClient http;
  private final Clock clock;
  private final Duration callTimeout;
  private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();

  /**
   * @param service the SigV4 signing name ({@code s3}, {@code dynamodb})
   * @param callTimeout no new attempt starts once the call has taken this long (null: none)
   */
  public SignedHttp(String service, String region, Style style,
      IdentityProvider<? extends AwsCredentialsIdentity> credentials, SdkHttpClient http, Clock clock,
      Duration callTimeout) {
    this.service = service;
    this.region = region;
    this.style = style;
    this.credentials = credentials;
    this.http = http;
    this.clock = clock;
    this.callTimeout = callTimeout;
  }

  /** The same signing and retries over another HTTP client (priming's one that sends nothing). */
  public SignedHttp over(SdkHttpClient other) {
    return new SignedHttp(service, region, style, credentials, other, clock, callTimeout);
  }

  public String region() {
    return region;
  }

  /**
   * Signs and sends {@code unsigned} (its body {@code payload}, or none), again while the answer is
   * {@code retryable} or the attempt failed with an I/O error, up to 3 attempts within the call timeout.
   * Returns the last answer (a retryable one when the attempts ran out); throws {@link TransientException}
   * when the last attempt got no answer.
   */
  public Response send(SdkHttpRequest unsigned, byte[] payload, String operation, Predicate<Response> retryable) {
    long start = System.nanoTime();
    Response last = null;
    RuntimeException failure = null;
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      if (attempt > 1) {
        long backoff = attempt == 2 ? 100 : 400;
        if (callTimeout != null
            && Duration.ofNanos(System.nanoTime() - start).plusMillis(backoff).compareTo(callTimeout) >= 0) {
          break;
        }
        sleep(backoff);
      }
      try {
        last = once(unsigned, payload);
        failure = null;
        if (!retryable.test(last)) {
          return last;
        }
      } catch (IOException | RuntimeException e) {
        last = null;
        failure = new TransientException(serviceName() + " " + operation + " failed ("
            + e.getClass().getSimpleName() + ")", e);
      }
    }
    if (last != null) {
      return last;
    }
    throw failure != null ? failure
        : new TransientException(serviceName() + " " + operation + ": no answer within " + callTimeout, null);
  }

  private String serviceName() {
    return style == Style.S3 ? "S3" : service.equals("dynamodb") ? "DynamoDB" : service;
  }

  private Response once(SdkHttpRequest unsigned, byte[] payload) throws IOException {
    AwsCredentialsIdentity identity = credentials.resolveIdentity().join();
    SignedRequest signed = signer.sign(r -> {
      r.identity(identity)
          .request(unsigned)
          .payload(payload == null ? null : ContentStreamProvider.fromByteArray(payload))
          .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
          .putProperty(AwsV4HttpSigner.REGION_NAME, region)
          .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, clock);
      if (style == Style.S3) {
        r.putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, false)
            .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, false)
            .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, true);
      }
    });
    HttpExecuteRequest.Builder request = HttpExecuteRequest.builder().request(signed.request());
    if (payload != null) {
      request.contentStreamProvider(ContentStreamProvider.fromByteArray(payload));
    }
    HttpExecuteResponse response = http.prepareRequest(request.build()).call();
    byte[] body = new byte[0];
    if (response.responseBody().isPresent()) {
      try (InputStream in = response.responseBody().get()) {
        body = in.readAllBytes();
      }
    }
    return new Response(response.httpResponse().statusCode(), body);
  }

  /** Waits {@code millis}; an interrupt is a {@link TransientException} (the thread stays interrupted). */
  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TransientException("interrupted", e);
    }
  }
}
