package io.telebridge.fhir;

import ca.uhn.fhir.rest.client.api.IClientInterceptor;
import com.nimbusds.jose.jwk.JWK;
import io.telebridge.core.context.ChartReader;
import io.telebridge.core.context.FhirSource;
import io.telebridge.core.context.VisitRecordProfile;
import io.telebridge.core.error.TransientException;
import java.net.URI;
import java.net.http.HttpClient;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * The one factory of FHIR clients from a {@link FhirSource}, for the context reads and the visit writes
 * alike: the auth interceptor of the source ({@link HealthLakeSigV4Auth} with the function's credentials,
 * {@link SmartBackendAuth} with the private JWK read once from Secrets Manager, or none), the
 * {@link FhirChartReader} and the {@link FhirChartWriter} on it. Built once per container; interceptors
 * and readers are kept per source (and per purpose: reads and writes ask for different SMART scopes), so
 * a SMART token is requested once and reused by every tenant on that source until shortly before it
 * expires. Thread-safe.
 */
public final class FhirSources {

  /** HealthLake's endpoint names its region: {@code https://healthlake.<region>.amazonaws.com/…}. */
  private static final Pattern HEALTHLAKE_HOST = Pattern.compile("^https://healthlake\\.([a-z0-9-]+)\\.amazonaws\\.com/");

  private final AwsCredentialsProvider credentials;
  private final String region;
  private final Function<String, String> secretValue;
  private final HttpClient http;
  private final Clock clock;
  private final Map<Key, IClientInterceptor> auths = new ConcurrentHashMap<>();
  private final Map<FhirSource, FhirChartReader> readers = new ConcurrentHashMap<>();

  private record Key(String baseUrl, FhirSource.Auth auth, FhirSource.Smart smart, String region,
      FhirSource.Purpose purpose) {}

  /**
   * @param credentials the function role's (SigV4 for HealthLake)
   * @param region the deployment's region, for a HealthLake URL that does not name one
   * @param secretValue a Secrets Manager secret's string by ARN (the SMART private JWK); called once per key
   */
  public FhirSources(AwsCredentialsProvider credentials, String region, Function<String, String> secretValue,
      HttpClient http, Clock clock) {
    this.credentials = credentials;
    this.region = region;
    this.secretValue = secretValue;
    this.http = http;
    this.clock = clock;
  }

  /** The chart reader on a source (kept: one per source). */
  public ChartReader reader(FhirSource source) {
    return readers.computeIfAbsent(source, s -> new FhirChartReader(FhirContexts.r4(),
        new FhirChartReader.Settings(s.kind(), s.baseUrl(), s.pageSize(),
            s.mrnAuthority() == null ? Map.of() : Map.of(s.mrnSystem(), s.mrnAuthority()), true, 4,
            Duration.ofMillis(200)),
        auth(s, FhirSource.Purpose.READ)));
  }

  /** A visit-record writer on a source, with the EHR profile's FHIR half (one per profile, built at cold start). */
  public FhirChartWriter writer(FhirSource source, VisitRecordProfile profile) {
    return new FhirChartWriter(FhirContexts.r4(), source.baseUrl(), profile, auth(source, FhirSource.Purpose.WRITE),
        source.pageSize(), new FhirRetry(3, Duration.ofMillis(200)), clock);
  }

  /** The source's auth interceptor for a purpose ({@code null} for none); kept per source and purpose. */
  public IClientInterceptor auth(FhirSource source, FhirSource.Purpose purpose) {
    String signingRegion = regionOf(source.baseUrl());
    Key key = new Key(source.baseUrl(), source.auth(), source.smart(),
        source.auth() == FhirSource.Auth.HEALTHLAKE ? signingRegion : null,
        source.auth() == FhirSource.Auth.SMART ? purpose : null);
    return switch (source.auth()) {
      case NONE -> null;
      case HEALTHLAKE -> auths.computeIfAbsent(key, k -> new HealthLakeSigV4Auth(credentials, signingRegion, clock));
      case SMART -> auths.computeIfAbsent(key, k -> smart(source.smart(), purpose));
    };
  }

  /** The region of a HealthLake endpoint, else the deployment's (a local door, a custom domain). */
  String regionOf(String baseUrl) {
    Matcher m = HEALTHLAKE_HOST.matcher(baseUrl);
    return m.find() ? m.group(1) : region;
  }

  private SmartBackendAuth smart(FhirSource.Smart smart, FhirSource.Purpose purpose) {
    String jwk;
    try {
      jwk = secretValue.apply(smart.keySecretArn());
    } catch (RuntimeException e) {
      // cold start: the function fails its init and Lambda retries it; the ARN names no patient
      throw new TransientException("the SMART key secret could not be read (" + e.getClass().getSimpleName() + ")", e);
    }
    JWK key;
    try {
      key = JWK.parse(jwk);
    } catch (ParseException | NullPointerException e) {
      throw new IllegalStateException("the secret " + smart.keySecretArn() + " does not hold a private JWK");
    }
    if (!key.isPrivate()) {
      throw new IllegalStateException("the secret " + smart.keySecretArn() + " holds a public key, not the private JWK");
    }
    return new SmartBackendAuth(new SmartBackendAuth.Settings(smart.clientId(), URI.create(smart.tokenUrl()),
        smart.scopes(purpose), Duration.ofSeconds(60)), key, http, clock);
  }
}
