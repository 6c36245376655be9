package io.telebridge.fhir;

import ca.uhn.fhir.rest.client.api.IClientInterceptor;
import ca.uhn.fhir.rest.client.api.IHttpRequest;
import ca.uhn.fhir.rest.client.api.IHttpResponse;
import io.telebridge.core.error.TransientException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;

/**
 * AWS HealthLake's data plane ({@code https://healthlake.<region>.amazonaws.com/datastore/<id>/r4/}):
 * every request (retries and paging included) signed with SigV4 by the AWS SDK v2's own signer
 * ({@link AwsV4HttpSigner}, service {@code healthlake}), with credentials from the given provider (the
 * function role's, through the SDK's default chain). The signed headers ({@code Authorization},
 * {@code X-Amz-Date}, {@code X-Amz-Security-Token} for a session) are copied onto HAPI's request; the
 * HTTP client sends the {@code Host} the signer signed. Thread-safe.
 */
public final class HealthLakeSigV4Auth implements IClientInterceptor {

  public static final String SERVICE = "healthlake";

  private final IdentityProvider<? extends AwsCredentialsIdentity> credentials;
  private final String region;
  private final Clock clock;
  private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();

  public HealthLakeSigV4Auth(IdentityProvider<? extends AwsCredentialsIdentity> credentials, String region,
      Clock clock) {
    this.credentials = credentials;
    this.region = region;
    this.clock = clock;
  }

  /** The data store's FHIR base URL in a region. */
  public static String baseUrl(String region, String datastoreId) {
    return "https://healthlake." + region + ".amazonaws.com/datastore/" + datastoreId + "/r4/";
  }

  @Override
  public void interceptRequest(IHttpRequest request) {
    byte[] body;
    try {
      String text = request.getRequestBodyFromStream();
      body = text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    SdkHttpRequest unsigned = SdkHttpRequest.builder()
        .uri(URI.create(request.getUri()))
        .method(SdkHttpMethod.fromValue(request.getHttpVerbName().toUpperCase(Locale.ROOT)))
        .build();
    AwsCredentialsIdentity identity;
    try {
      identity = credentials.resolveIdentity().join();
    } catch (RuntimeException e) {
      throw new TransientException("AWS credentials could not be resolved (" + e.getClass().getSimpleName() + ")", e);
    }
    SignedRequest signed = signer.sign(r -> r
        .identity(identity)
        .request(unsigned)
        .payload(body == null ? null : ContentStreamProvider.fromByteArray(body))
        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, SERVICE)
        .putProperty(AwsV4HttpSigner.REGION_NAME, region)
        .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, clock));
    for (Map.Entry<String, List<String>> h : signed.request().headers().entrySet()) {
      if (h.getKey().equalsIgnoreCase("Host")) {
        continue;
      }
      request.removeHeaders(h.getKey());
      h.getValue().forEach(v -> request.addHeader(h.getKey(), v));
    }
  }

  @Override
  public void interceptResponse(IHttpResponse response) {}
}
