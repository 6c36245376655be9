package io.telebridge.fhir;

import ca.uhn.fhir.rest.client.api.IClientInterceptor;
import ca.uhn.fhir.rest.client.api.IHttpRequest;
import ca.uhn.fhir.rest.client.api.IHttpResponse;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.telebridge.core.context.ChartAccessDenied;
import io.telebridge.core.error.TransientException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * SMART Backend Services (client_credentials with a {@code private_key_jwt} client assertion) for the
 * EHR's FHIR API: a signed JWT (RS384 for an RSA key, ES384 for a P-384 EC key; header {@code kid},
 * {@code typ: JWT}; claims {@code iss} = {@code sub} = client id, {@code aud} = the token URL, a fresh
 * {@code jti}, {@code exp} = now + 5 min) is posted to the token endpoint with the configured scopes;
 * the access token is reused until {@code refreshBefore} ahead of its expiry, and dropped when the FHIR
 * server answers 401. Token refused (400/401/403) → {@link ChartAccessDenied}; token endpoint down →
 * {@link TransientException}. The scopes are the purpose's ({@link io.telebridge.core.context.FhirSource.Smart#scopes}:
 * {@code .rs} for the context reads, {@code .cu} for the visit writes); built by {@link FhirSources}. Thread-safe.
 */
public final class SmartBackendAuth implements IClientInterceptor {

  /** SMART v2 scopes for every resource the context reads. */
  public static final String SCOPES_V2 = io.telebridge.core.context.FhirSource.Smart.READ_V2;
  /** SMART v1, for servers that do not know v2 scopes yet. */
  public static final String SCOPES_V1 = io.telebridge.core.context.FhirSource.Smart.READ_V1;

  static final Duration ASSERTION_LIFETIME = Duration.ofMinutes(5);

  /**
   * @param scope {@link #SCOPES_V2} or {@link #SCOPES_V1} (by the EHR profile)
   * @param refreshBefore how long before the token's expiry a new one is fetched
   */
  public record Settings(String clientId, URI tokenUrl, String scope, Duration refreshBefore) {
    @Override
    public String toString() {
      return "SmartBackendAuth.Settings[clientId=" + clientId + ", tokenUrl=" + tokenUrl + "]";
    }
  }

  private record Token(String value, Instant expiresAt) {}

  private final Settings settings;
  private final JWK key;
  private final JWSSigner signer;
  private final JWSAlgorithm algorithm;
  private final HttpClient http;
  private final Clock clock;
  private final AtomicInteger tokenRequests = new AtomicInteger();
  private Token token;

  /** @param key the private key (RSA, or EC P-384), with its {@code kid} as registered with the EHR */
  public SmartBackendAuth(Settings settings, JWK key, HttpClient http, Clock clock) {
    if (key.getKeyID() == null) {
      throw new IllegalArgumentException("the key needs a kid (the EHR picks the public key by it)");
    }
    this.settings = settings;
    this.key = key;
    this.http = http;
    this.clock = clock;
    try {
      if (key instanceof RSAKey rsa) {
        signer = new RSASSASigner(rsa);
        algorithm = JWSAlgorithm.RS384;
      } else if (key instanceof ECKey ec) {
        signer = new ECDSASigner(ec);
        algorithm = JWSAlgorithm.ES384;
      } else {
        throw new IllegalArgumentException("the key must be RSA or EC P-384");
      }
    } catch (JOSEException e) {
      throw new IllegalArgumentException("the key cannot sign: " + e.getMessage());
    }
  }

  /** The public JWKS to register with the EHR (what {@code ./tb} prints): public parts only. */
  public static String publicJwks(JWK key) {
    return new JWKSet(key.toPublicJWK()).toString(true);
  }

  /** How many times a token was requested (for tests and metrics). */
  public int tokenRequests() {
    return tokenRequests.get();
  }

  @Override
  public void interceptRequest(IHttpRequest request) {
    request.removeHeaders("Authorization");
    request.addHeader("Authorization", "Bearer " + accessToken());
  }

  @Override
  public void interceptResponse(IHttpResponse response) {
    if (response.getStatus() == 401) {
      invalidate();
    }
  }

  synchronized void invalidate() {
    token = null;
  }

  synchronized String accessToken() {
    Instant now = clock.instant();
    if (token != null && now.isBefore(token.expiresAt().minus(settings.refreshBefore()))) {
      return token.value();
    }
    token = requestToken(now);
    return token.value();
  }

  String clientAssertion(Instant now) {
    JWTClaimsSet claims = new JWTClaimsSet.Builder()
        .issuer(settings.clientId())
        .subject(settings.clientId())
        .audience(settings.tokenUrl().toString())
        .jwtID(UUID.randomUUID().toString())
        .issueTime(Date.from(now))
        .expirationTime(Date.from(now.plus(ASSERTION_LIFETIME)))
        .build();
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).keyID(key.getKeyID()).type(JOSEObjectType.JWT)
        .build(), claims);
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException("signing the client assertion failed", e);
    }
    return jwt.serialize();
  }

  private Token requestToken(Instant now) {
    tokenRequests.incrementAndGet();
    String form = "grant_type=client_credentials"
        + "&scope=" + enc(settings.scope())
        + "&client_assertion_type=" + enc("urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
        + "&client_assertion=" + enc(clientAssertion(now));
    HttpRequest request = HttpRequest.newBuilder(settings.tokenUrl())
        .timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("Accept", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(form))
        .build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new TransientException("the token endpoint could not be reached (" + e.getClass().getSimpleName() + ")",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TransientException("interrupted while requesting a token", e);
    }
    int status = response.statusCode();
    if (status == 400 || status == 401 || status == 403) {
      throw new ChartAccessDenied("the token endpoint refused the client (" + status + ")");
    }
    if (status != 200) {
      throw new TransientException("the token endpoint answered " + status, null);
    }
    try {
      Map<String, Object> body = JSONObjectUtils.parse(response.body());
      String value = JSONObjectUtils.getString(body, "access_token");
      Number expiresIn = JSONObjectUtils.getLong(body, "expires_in");
      if (value == null || value.isEmpty()) {
        throw new TransientException("the token response has no access_token", null);
      }
      return new Token(value, now.plusSeconds(expiresIn == null ? 300 : expiresIn.longValue()));
    } catch (ParseException e) {
      throw new TransientException("the token response is not JSON", null);
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
