package io.telebridge.local;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * Calls the review API signed with SigV4 by the AWS SDK's own signer (service {@code execute-api}):
 * the local stack's API with its credentials, or the deployed {@code ReviewApiUrl} with real ones.
 */
public final class ReviewClient {

  /** Headers the JDK client sets itself (and refuses): they stay as the JDK sends them. */
  private static final Set<String> RESTRICTED = Set.of("host", "content-length", "connection", "expect", "upgrade");

  private final URI baseUrl;
  private final AwsCredentialsIdentity credentials;
  private final String region;
  private final HttpClient http;
  private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();

  /**
   * @param baseUrl the API's base, e.g. {@code http://127.0.0.1:3000} or the stack output {@code ReviewApiUrl}
   */
  public ReviewClient(URI baseUrl, AwsCredentialsIdentity credentials, String region) {
    String s = baseUrl.toString();
    this.baseUrl = URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
    this.credentials = credentials;
    this.region = region;
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
        .build();
  }

  /** The region of an {@code https://<id>.execute-api.<region>.amazonaws.com} URL, else {@code null}. */
  public static String regionOf(URI url) {
    String host = url.getHost() == null ? "" : url.getHost();
    String[] parts = host.split("\\.");
    for (int i = 0; i + 1 < parts.length; i++) {
      if (parts[i].equals("execute-api")) {
        return parts[i + 1];
      }
    }
    return null;
  }

  /**
   * The open cases of the caller's tenants (the API takes them from the caller's verified identity).
   *
   * @param tenant null or blank: all of them; else narrowed to this one of them (another is 403)
   */
  public HttpResponse<String> list(String tenant) throws IOException, InterruptedException {
    return send("GET", "/v1/reviews" + (tenant == null || tenant.isBlank() ? "" : "?tenant=" + q(tenant)), null);
  }

  /** A case of one of the caller's tenants (another tenant's case is 404, as one that does not exist). */
  public HttpResponse<String> show(String caseId, boolean demographics) throws IOException, InterruptedException {
    return send("GET", "/v1/reviews/" + p(caseId) + (demographics ? "?include=demographics" : ""), null);
  }

  public HttpResponse<String> link(String caseId, String personId) throws IOException, InterruptedException {
    return resolve(caseId, "{\"action\":\"link\",\"personId\":\"" + json(personId) + "\"}");
  }

  public HttpResponse<String> createNew(String caseId) throws IOException, InterruptedException {
    return resolve(caseId, "{\"action\":\"new\"}");
  }

  public HttpResponse<String> resolve(String caseId, String body) throws IOException, InterruptedException {
    return send("POST", "/v1/reviews/" + p(caseId) + "/resolution", body);
  }

  /** One signed request; {@code pathAndQuery} already encoded. */
  public HttpResponse<String> send(String method, String pathAndQuery, String body)
      throws IOException, InterruptedException {
    URI uri = URI.create(baseUrl + pathAndQuery);
    byte[] bytes = body == null ? null : body.getBytes(StandardCharsets.UTF_8);
    SdkHttpRequest.Builder unsigned = SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(method)).uri(uri);
    if (bytes != null) {
      unsigned.putHeader("Content-Type", "application/json");
    }
    SdkHttpRequest signed = signer.sign(r -> r
        .identity(credentials)
        .request(unsigned.build())
        .payload(bytes == null ? null : ContentStreamProvider.fromByteArray(bytes))
        .putProperty(AwsV4HttpSigner.REGION_NAME, region)
        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "execute-api")).request();
    HttpRequest.Builder request = HttpRequest.newBuilder(uri)
        .timeout(Duration.ofSeconds(120)) // a resolution replays the parked events before answering
        .method(method, bytes == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(bytes));
    signed.headers().forEach((name, values) -> {
      if (!RESTRICTED.contains(name.toLowerCase(Locale.ROOT))) {
        values.forEach(v -> request.header(name, v));
      }
    });
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  /**
   * One signed request with the given headers and raw body, the answer's bytes as they came (no redirect
   * followed): what {@code ./tb console --aws} forwards for a browser.
   */
  public HttpResponse<byte[]> forward(String method, String pathAndQuery, Map<String, String> headers, byte[] body)
      throws IOException, InterruptedException {
    URI uri = URI.create(baseUrl + pathAndQuery);
    SdkHttpRequest.Builder unsigned = SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(method)).uri(uri);
    headers.forEach(unsigned::putHeader);
    SdkHttpRequest signed = signer.sign(r -> r
        .identity(credentials)
        .request(unsigned.build())
        .payload(body == null || body.length == 0 ? null : ContentStreamProvider.fromByteArray(body))
        .putProperty(AwsV4HttpSigner.REGION_NAME, region)
        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "execute-api")).request();
    HttpRequest.Builder request = HttpRequest.newBuilder(uri)
        .timeout(Duration.ofSeconds(120))
        .method(method, body == null || body.length == 0 ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body));
    signed.headers().forEach((name, values) -> {
      if (!RESTRICTED.contains(name.toLowerCase(Locale.ROOT))) {
        values.forEach(v -> request.header(name, v));
      }
    });
    return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static String q(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String p(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String json(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
  }
}
