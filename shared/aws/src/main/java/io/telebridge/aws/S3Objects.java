package io.telebridge.aws;

import io.telebridge.aws.SignedHttp.Response;
import io.telebridge.core.error.TransientException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;

/**
 * S3 PutObject and GetObject of one object as plain HTTP requests signed by the AWS SDK's own SigV4 signer
 * ({@code AwsV4HttpSigner}, service {@code s3}: payload hash signed, no double URL encoding, no path
 * normalisation) on the url-connection client. It replaces the S3 client for the claim checks, the only S3
 * use of the deployed code: the S3 SDK module (3.8 MB compressed) is in no function jar.
 *
 * <p>Addressing: virtual-hosted ({@code https://<bucket>.s3.<region>.amazonaws.com/<key>}) in AWS; path-style
 * under an endpoint override ({@code AWS_ENDPOINT_URL_S3} or {@code AWS_ENDPOINT_URL}: moto on loopback has
 * no per-bucket host names). Signing, sending and retries are {@link SignedHttp}'s: a 5xx, a 429 or an I/O
 * error is tried 3 times in all (then a {@link TransientException}); the answer is a {@link Response} with
 * the status code and the body (the object on a 200 GET; the error XML otherwise).
 * Nothing of a payload or a key is logged; exceptions carry the operation and the status only.
 */
public final class S3Objects {

  private final String region;
  private final URI endpoint; // null: AWS's virtual-hosted endpoints
  private final SignedHttp http;

  S3Objects(String region, URI endpoint, IdentityProvider<? extends AwsCredentialsIdentity> credentials,
      SdkHttpClient http, Clock clock) {
    this.region = region;
    this.endpoint = endpoint;
    this.http = new SignedHttp("s3", region, SignedHttp.Style.S3, credentials, http, clock, null);
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
    Response r = http.send(unsigned, payload, operation, S3Objects::retryable);
    if (retryable(r)) {
      throw new TransientException("S3 " + operation + " answered " + r.status(), null);
    }
    return r;
  }

  private static boolean retryable(Response r) {
    return r.status() >= 500 || r.status() == 429;
  }
}
