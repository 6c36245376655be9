package io.telebridge.local.fhir;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.telebridge.core.http.FormFields;
import io.telebridge.local.http.ApiRequest;
import io.telebridge.local.http.SigV4Verifier;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The two doors in front of the local FHIR server, as the production adapters meet them, on one
 * loopback JDK HTTP server:
 * <ul>
 *   <li>{@code /datastore/<id>/r4/…}: "HealthLake" — every request must carry a valid SigV4 signature
 *       for service {@code healthlake} (checked by the local stack's {@link SigV4Verifier}), else 403;</li>
 *   <li>{@code /ehr/r4/…}: "the EHR's FHIR API" — a bearer token, else 401. Who issues it:
 *     <ul>
 *       <li>{@link Authority#keycloak}: a real OAuth2 server (Keycloak). The door verifies the token as a
 *           JWT against the server's JWKS (signature, {@code iss}, {@code exp}) and requires a SMART
 *           system scope for every resource type the request reads ({@code system/<Type>.rs},
 *           {@code .read}, {@code .r}, or {@code system/*.read}) or writes ({@code .cu}, {@code .c},
 *           {@code .write}, {@code system/*.write}); else 401 (bad token) or 403 (scope);</li>
 *       <li>{@link Authority#standIn}: the stand-in token endpoint {@code /oauth2/token} on this server —
 *           {@code client_credentials} with a {@code private_key_jwt} assertion whose signature verifies
 *           against the client's registered JWKS (by {@code kid}, RS384 or ES384), {@code iss} = {@code sub}
 *           = the client id, {@code aud} = that URL, {@code exp} in the future and at most 5 minutes ahead,
 *           {@code jti} never seen before; else 400/401 {@code invalid_client}. It issues opaque bearer
 *           tokens valid {@link #tokenLifetime}. Used when Keycloak is not started (quick starts, the ITs
 *           that need no real OAuth2 server).</li>
 *     </ul></li>
 * </ul>
 * Accepted requests are forwarded to the FHIR server; its base URL in responses (paging links) is
 * rewritten to the door's. Counts what it accepted and refused, for the tests.
 *
 * <p>HealthLake's quotas: {@link #quota} gives the "HealthLake" door a token bucket of N requests per second
 * (off by default); a request beyond it is answered {@code 429} with {@code Retry-After: 1} and a
 * {@code ThrottlingException} body, as HealthLake does, before its signature is even checked.
 */
public final class FhirDoors implements AutoCloseable {

  public static final String DATASTORE = "ds-local-0001";
  public static final String HEALTHLAKE_SERVICE = "healthlake";

  /** Who issues the EHR door's bearer tokens. */
  public sealed interface Authority {
    /** Tokens from this server's {@code /oauth2/token} (clients registered with {@link #register}). */
    static Authority standIn() {
      return new StandIn();
    }

    /** JWTs from an OAuth2 server: {@code issuer} and its JWKS URL. */
    static Authority keycloak(String issuer, URI jwksUrl) {
      return new Jwks(issuer, jwksUrl);
    }
  }

  record StandIn() implements Authority {}

  record Jwks(String issuer, URI jwksUrl) implements Authority {}

  private final HttpServer server;
  private final HttpClient http = HttpClient.newHttpClient();
  private volatile String upstream;
  private final SigV4Verifier sigV4;
  private final Clock clock;
  private final Authority authority;
  private final DefaultJWTProcessor<SecurityContext> jwtProcessor;
  private final Map<String, JWKSet> clients = new ConcurrentHashMap<>();
  private final Map<String, Instant> tokens = new ConcurrentHashMap<>();
  private final Set<String> seenJti = ConcurrentHashMap.newKeySet();
  private volatile Duration tokenLifetime = Duration.ofMinutes(5);
  public final AtomicInteger tokensIssued = new AtomicInteger();
  public final AtomicInteger fhirRequests = new AtomicInteger();
  public final List<String> refusals = new CopyOnWriteArrayList<>();
  /** How many requests the "HealthLake" door answered 429 (its quota). */
  public final AtomicInteger throttled = new AtomicInteger();
  private final TokenBucket quota = new TokenBucket();

  /** The stand-in token endpoint, on a free loopback port (the tests' doors). */
  public FhirDoors(String upstream, SigV4Verifier.Credentials credentials, String region, Clock clock)
      throws IOException {
    this("127.0.0.1", 0, upstream, List.of(credentials), region, Authority.standIn(), clock);
  }

  /**
   * @param upstream the FHIR server's base URL ({@code http://…/fhir}), or {@code null} until it is up
   *     ({@link #upstream(String)}; requests meanwhile get 503)
   */
  public FhirDoors(String host, int port, String upstream, List<SigV4Verifier.Credentials> credentials,
      String region, Authority authority, Clock clock) throws IOException {
    this.upstream = upstream;
    this.clock = clock;
    this.authority = authority;
    this.sigV4 = new SigV4Verifier(credentials, region, HEALTHLAKE_SERVICE, Duration.ofMinutes(5), clock);
    if (authority instanceof Jwks jwks) {
      JWKSource<SecurityContext> keys = JWKSourceBuilder.create(jwks.jwksUrl().toURL()).retrying(true).build();
      jwtProcessor = new DefaultJWTProcessor<>();
      jwtProcessor.setJWSKeySelector(new JWSVerificationKeySelector<>(
          Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.ES256, JWSAlgorithm.ES384), keys));
      jwtProcessor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(
          new JWTClaimsSet.Builder().issuer(jwks.issuer()).build(), Set.of("exp", "iat")));
    } else {
      jwtProcessor = null;
    }
    server = HttpServer.create(new InetSocketAddress(host, port), 0);
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.createContext("/", this::handle);
    server.start();
  }

  /** The FHIR server's base URL, once it is up. */
  public void upstream(String baseUrl) {
    this.upstream = baseUrl;
  }

  public String base() {
    String h = server.getAddress().getHostString();
    return "http://" + (h.contains(":") ? "[" + h + "]" : h) + ":" + server.getAddress().getPort();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** {@code …/datastore/ds-local-0001/r4/} (trailing slash, as HealthLake's endpoint is written). */
  public String healthLakeBase() {
    return base() + "/datastore/" + DATASTORE + "/r4/";
  }

  public String ehrBase() {
    return base() + "/ehr/r4";
  }

  /** The stand-in token endpoint (only with {@link Authority#standIn}). */
  public URI tokenUrl() {
    return URI.create(base() + "/oauth2/token");
  }

  /** Registers a SMART client with its public JWKS (what the EHR's admin does with the printed JWKS). */
  public void register(String clientId, String publicJwks) throws java.text.ParseException {
    clients.put(clientId, JWKSet.parse(publicJwks));
  }

  /** At most {@code requestsPerSecond} requests a second on the "HealthLake" door ({@link TokenBucket}); 0: off. */
  public void quota(int requestsPerSecond) {
    quota.perSecond(requestsPerSecond);
  }

  public void tokenLifetime(Duration d) {
    tokenLifetime = d;
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getRawPath();
      byte[] body = ex.getRequestBody().readAllBytes();
      if (path.equals("/oauth2/token") && authority instanceof StandIn) {
        token(ex, body);
        return;
      }
      String prefix;
      if (path.startsWith("/datastore/" + DATASTORE + "/r4")) {
        prefix = "/datastore/" + DATASTORE + "/r4";
        if (!quota.take()) {
          throttled.incrementAndGet();
          ex.getResponseHeaders().set("Retry-After", "1");
          reply(ex, 429, "application/json", "{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}");
          return;
        }
        SigV4Verifier.Result r = sigV4.verify(new ApiRequest(ex.getRequestMethod(), path,
            ex.getRequestURI().getRawQuery(), ex.getRequestHeaders(), body, "127.0.0.1", "HTTP/1.1",
            server.getAddress().getPort()));
        if (!r.accepted()) {
          refusals.add("sigv4: " + r.refusal());
          reply(ex, 403, "application/json", "{\"message\":\"The request signature we calculated does not match\"}");
          return;
        }
      } else if (path.startsWith("/ehr/r4")) {
        prefix = "/ehr/r4";
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        String bearer = auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7) ? auth.substring(7).trim() : null;
        int refused = authority instanceof StandIn ? standInBearer(bearer)
            : jwtBearer(bearer, ex.getRequestMethod(), path.substring(prefix.length()), body);
        if (refused != 0) {
          reply(ex, refused, "application/json", "{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":"
              + "\"error\",\"code\":\"" + (refused == 401 ? "login" : "forbidden") + "\"}]}");
          return;
        }
      } else {
        reply(ex, 404, "text/plain", "no such door: /datastore/" + DATASTORE + "/r4/ (SigV4) or /ehr/r4/ (OAuth2)");
        return;
      }
      if (upstream == null) {
        reply(ex, 503, "text/plain", "the FHIR server is still starting");
        return;
      }
      fhirRequests.incrementAndGet();
      forward(ex, prefix, path, body);
    } catch (RuntimeException | InterruptedException e) {
      reply(ex, 502, "text/plain", "gateway failure: " + e.getClass().getSimpleName());
    }
  }

  /** 0 when the stand-in token is known and fresh, else 401. */
  private int standInBearer(String bearer) {
    Instant expiry = bearer == null ? null : tokens.get(bearer);
    if (expiry == null || !clock.instant().isBefore(expiry)) {
      refusals.add("bearer: " + (bearer == null ? "none" : "unknown or expired"));
      return 401;
    }
    return 0;
  }

  /** 0 when the JWT verifies and carries a scope for each resource type the request reads; else 401/403. */
  private int jwtBearer(String bearer, String method, String rest, byte[] body) {
    if (bearer == null) {
      refusals.add("bearer: none");
      return 401;
    }
    JWTClaimsSet claims;
    try {
      claims = jwtProcessor.process(bearer, null);
    } catch (java.text.ParseException | com.nimbusds.jose.proc.BadJOSEException | JOSEException e) {
      refusals.add("bearer: " + e.getMessage());
      return 401;
    }
    Set<String> granted = new HashSet<>();
    try {
      String scope = claims.getStringClaim("scope");
      if (scope != null) {
        granted.addAll(Arrays.asList(scope.trim().split("\\s+")));
      }
    } catch (java.text.ParseException e) {
      refusals.add("bearer: scope is not a string");
      return 401;
    }
    Map<String, Boolean> types = SmartScopes.accessed(method, rest, body);
    for (Map.Entry<String, Boolean> t : types.entrySet()) {
      if (!SmartScopes.allows(granted, t.getKey(), t.getValue())) {
        refusals.add("scope: no system scope to " + (t.getValue() ? "write " : "read ") + t.getKey());
        return 403;
      }
    }
    return 0;
  }

  private void forward(HttpExchange ex, String prefix, String path, byte[] body)
      throws IOException, InterruptedException {
    String query = ex.getRequestURI().getRawQuery();
    String up = upstream;
    String target = up + path.substring(prefix.length()) + (query == null ? "" : "?" + query);
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(target)).timeout(Duration.ofSeconds(60))
        .method(ex.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body));
    for (String h : List.of("Content-Type", "Accept", "Prefer", "If-None-Exist", "If-Match")) {
      String v = ex.getRequestHeaders().getFirst(h);
      if (v != null) {
        b.header(h, v);
      }
    }
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    String doorBase = base() + prefix;
    String rewritten = r.body().replace(up, doorBase);
    reply(ex, r.statusCode(), r.headers().firstValue("Content-Type").orElse("application/fhir+json"), rewritten);
  }

  private void token(HttpExchange ex, byte[] body) throws IOException {
    Map<String, String> form = FormFields.last(new String(body, StandardCharsets.UTF_8));
    if (!"client_credentials".equals(form.get("grant_type"))) {
      tokenError(ex, 400, "unsupported_grant_type");
      return;
    }
    if (!"urn:ietf:params:oauth:client-assertion-type:jwt-bearer".equals(form.get("client_assertion_type"))) {
      tokenError(ex, 400, "invalid_request");
      return;
    }
    String why = validateAssertion(form.get("client_assertion"));
    if (why != null) {
      refusals.add("token: " + why);
      tokenError(ex, 401, "invalid_client");
      return;
    }
    String token = UUID.randomUUID().toString();
    tokens.put(token, clock.instant().plus(tokenLifetime));
    tokensIssued.incrementAndGet();
    reply(ex, 200, "application/json", "{\"access_token\":\"" + token + "\",\"token_type\":\"bearer\",\"expires_in\":"
        + tokenLifetime.toSeconds() + ",\"scope\":\"" + form.getOrDefault("scope", "").replace("\"", "") + "\"}");
  }

  /** Why the assertion is refused, or {@code null} when it is good. */
  String validateAssertion(String assertion) {
    if (assertion == null) {
      return "no client_assertion";
    }
    try {
      SignedJWT jwt = SignedJWT.parse(assertion);
      JWTClaimsSet claims = jwt.getJWTClaimsSet();
      JWKSet keys = claims.getIssuer() == null ? null : clients.get(claims.getIssuer());
      if (keys == null || !claims.getIssuer().equals(claims.getSubject())) {
        return "unknown client or iss != sub";
      }
      JWK key = keys.getKeyByKeyId(jwt.getHeader().getKeyID());
      if (key == null) {
        return "no registered key with that kid";
      }
      JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
      JWSVerifier verifier;
      if (alg.equals(JWSAlgorithm.RS384) && key instanceof RSAKey rsa) {
        verifier = new RSASSAVerifier(rsa);
      } else if (alg.equals(JWSAlgorithm.ES384) && key instanceof ECKey ec) {
        verifier = new ECDSAVerifier(ec);
      } else {
        return "algorithm " + alg + " not allowed for the key";
      }
      if (!jwt.verify(verifier)) {
        return "signature does not verify";
      }
      if (claims.getAudience() == null || !claims.getAudience().contains(tokenUrl().toString())) {
        return "aud is not the token URL";
      }
      Instant now = clock.instant();
      if (claims.getExpirationTime() == null || !now.isBefore(claims.getExpirationTime().toInstant())
          || claims.getExpirationTime().toInstant().isAfter(now.plus(Duration.ofMinutes(5)).plusSeconds(30))) {
        return "exp missing, past, or more than 5 minutes ahead";
      }
      if (claims.getJWTID() == null || !seenJti.add(claims.getIssuer() + "|" + claims.getJWTID())) {
        return "jti missing or replayed";
      }
      return null;
    } catch (java.text.ParseException | JOSEException e) {
      return "not a signed JWT";
    }
  }

  private static void tokenError(HttpExchange ex, int status, String error) throws IOException {
    reply(ex, status, "application/json", "{\"error\":\"" + error + "\"}");
  }

  private static void reply(HttpExchange ex, int status, String type, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }
}
