package io.telebridge.aws;

import io.telebridge.core.error.TransientException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;

/**
 * S3 PutObject and GetObject of one object as plain HTTP requests signed by the AWS SDK's own SigV4 signer
 * ({@link AwsV4HttpSigner}, service {@code s3}: payload hash signed, no double URL encoding, no path
 * normalisation) on the url-connection client. It replaces the S3 client for the claim checks, the only S3
 * use of the deployed code: the S3 SDK module (3.8 MB compressed) is in no function jar.
 *
 * <p>Addressing: virtual-hosted ({@code https://<bucket>.s3.<region>.amazonaws.com/<key>}) in AWS; path-style
 * under an endpoint override ({@code AWS_ENDPOINT_URL_S3} or {@code AWS_ENDPOINT_URL}: moto on loopback has
 * no per-bucket host names). A 5xx, a throttle or an I/O error is tried 3 times in all (backoff 100, 400 ms),
 * like the SDK's standard retries; the answer is a {@link Response} with the status code and the body.
 * Nothing of a payload or a key is logged; exceptions carry the operation and the status only.
 */
public final class S3Objects {

  private static final int ATTEMPTS = 3;

  /** What S3 answered: the status code, the body (the object on a 200 GET; the error XML otherwise). */
  public record Response(int status, byte[] body) {
    boolean ok() {
      return status / 100 == 2;
    }

    @Override
    public String toString() {
      return "Response[status=" + status + ", " + body.length + " bytes]";
    }
  }

  private final String region;
  private final URI endpoint; // null: AWS's virtual-hosted endpoints
  private final IdentityProvider<? extends AwsCredentialsIdentity> credentials;
  private final SdkHttpClient http;
  private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();
  private final Clock clock;

  S3Objects(String region, URI endpoint, IdentityProvider<? extends AwsCredentialsIdentity> credentials,
      SdkHttpClient http, Clock clock) {
    this.region = region;
    this.endpoint = endpoint;
    this.credentials = credentials;
    this.http = http;
    this.clock = clock;
  }

  /** The claim checks' S3 access of a connection: 2 s to connect, 10 s to read (a payload is up to a few MB). */
  static S3Objects of(AwsSettings settings, AwsClients clients) {
    return new S3Objects(settings.region(), settings.endpointFor("S3").orElse(null), clients.credentials(),
        UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(2)).socketTimeout(Duration.ofSeconds(10))
            .build(),
        Clock.systemUTC());
  }

  /** PutObject; {@code headers} are the x-amz-* ones to send (and sign) beside the content type and length. */
  public Response put(String bucket, String key, byte[] payload, Map<String, String> headers) {
    SdkHttpRequest.Builder request = SdkHttpRequest.builder().method(SdkHttpMethod.PUT).uri(uri(bucket, key))
        .putHeader("Content-Type", "application/octet-stream")
        .putHeader("Content-Length", Integer.toString(payload.length));
    headers.forEach(request::putHeader);
    return execute(request.build(), payload, "PutObject");
  }

  /** GetObject. */
  public Response get(String bucket, String key) {
    return execute(SdkHttpRequest.builder().method(SdkHttpMethod.GET).uri(uri(bucket, key)).build(), null, "GetObject");
  }

  URI uri(String bucket, String key) {
    String path = "/" + encode(key);
    if (endpoint == null) {
      return URI.create("https://" + bucket + ".s3." + region + ".amazonaws.com" + path);
    }
    String base = endpoint.toString().replaceAll("/+$", "");
    return URI.create(base + "/" + bucket + path);
  }

  /** Each path segment percent-encoded as S3 expects (RFC 3986 unreserved characters kept, '/' kept). */
  static String encode(String key) {
    StringBuilder out = new StringBuilder();
    for (String segment : key.split("/", -1)) {
      if (!out.isEmpty() || key.startsWith("/")) {
        out.append('/');
      }
      out.append(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A")
          .replace("%7E", "~"));
    }
    return out.toString();
  }

  private Response execute(SdkHttpRequest unsigned, byte[] payload, String operation) {
    TransientException last = null;
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      if (attempt > 1) {
        sleep(attempt == 2 ? 100 : 400);
      }
      try {
        Response r = once(unsigned, payload);
        if (r.status() < 500 && r.status() != 429) {
          return r;
        }
        last = new TransientException("S3 " + operation + " answered " + r.status(), null);
      } catch (IOException | RuntimeException e) {
        last = new TransientException("S3 " + operation + " failed (" + e.getClass().getSimpleName() + ")", e);
      }
    }
    throw last;
  }

  private Response once(SdkHttpRequest unsigned, byte[] payload) throws IOException {
    AwsCredentialsIdentity identity = credentials.resolveIdentity().join();
    SignedRequest signed = signer.sign(r -> r
        .identity(identity)
        .request(unsigned)
        .payload(payload == null ? null : ContentStreamProvider.fromByteArray(payload))
        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
        .putProperty(AwsV4HttpSigner.REGION_NAME, region)
        .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, false)
        .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, false)
        .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, true)
        .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, clock));
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

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TransientException("interrupted", e);
    }
  }
}
