package io.telebridge.local.emulator;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Keycloak, the real OAuth2 server in front of the local "EHR FHIR API": the Maven Central distribution
 * ({@code org.keycloak:keycloak-quarkus-dist}, zip) from the local Maven repository, unpacked once into
 * {@code ~/.cache/telebridge/keycloak-<version>/}, run as {@code kc.sh start-dev} (its H2 "dev-file"
 * database in {@code <data>/keycloak/}, so a restart keeps the realm and {@code --reset} clears it) as a
 * child process that dies with this JVM (a small {@code sh} wrapper ends it when its stdin, a pipe from
 * this JVM, closes; see {@link MotoServer}). Once up, the realm {@value #REALM} is created through the admin
 * REST API when it is not there: one SMART system scope per resource type the context reads (and {@code
 * system/*.read}), and the confidential client {@value #CLIENT_ID} with the {@code client-jwt}
 * authenticator (private_key_jwt), RS384, whose public JWKS is the development key's. Slow: ≈ 1 min on
 * two busy cores, so the stack starts it in the background ({@link #spawn} returns at once; {@link
 * #awaitReady}).
 */
public final class Keycloak implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Keycloak.class);

  public static final String VERSION = "26.7.3";
  public static final String REALM = "telebridge";
  public static final String CLIENT_ID = "telebridge-local";
  static final String ADMIN_USER = "admin";
  static final String ADMIN_PASSWORD = "admin-local-dev-only";
  static final String MARKER = "telebridge-keycloak";
  /** The SMART v2 system scopes the realm offers (the context's reads), and v1's wildcard. */
  public static final List<String> SCOPES = List.of("system/Patient.rs", "system/Condition.rs",
      "system/MedicationRequest.rs", "system/MedicationStatement.rs", "system/Medication.rs",
      "system/AllergyIntolerance.rs", "system/Observation.rs", "system/DiagnosticReport.rs", "system/*.read");

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  private final String base;
  private final String publicJwks;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final long spawnedAt = System.nanoTime();
  private volatile Double readySeconds;

  private Keycloak(Process process, String base, String publicJwks) {
    this.process = process;
    this.base = base;
    this.publicJwks = forSigning(publicJwks);
  }

  /**
   * Keycloak ignores a registered key without {@code "use"} ("Missing required field 'use'"): sig it is, and
   * the algorithm SmartBackendAuth signs with.
   */
  static String forSigning(String jwks) {
    JsonNode root = JSON.readTree(jwks);
    for (JsonNode key : root.path("keys")) {
      if (key instanceof ObjectNode k) {
        if (!k.has("use")) {
          k.put("use", "sig");
        }
        if (!k.has("alg")) { // what SmartBackendAuth signs with
          k.put("alg", "RSA".equals(k.path("kty").asString("")) ? "RS384" : "ES384");
        }
      }
    }
    return root.toString();
  }

  /** The zip in the local Maven repository ({@code -Dmaven.repo.local} or {@code ~/.m2/repository}). */
  public static Path distributionZip() {
    String repo = System.getProperty("maven.repo.local",
        Path.of(System.getProperty("user.home"), ".m2", "repository").toString());
    return Path.of(repo, "org", "keycloak", "keycloak-quarkus-dist", VERSION,
        "keycloak-quarkus-dist-" + VERSION + ".zip");
  }

  /** {@code $XDG_CACHE_HOME/telebridge/keycloak-<version>} (default {@code ~/.cache/…}). */
  public static Path home() {
    String xdg = io.telebridge.local.DevEnvironment.get("XDG_CACHE_HOME", null);
    Path cache = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
    return cache.resolve("telebridge").resolve("keycloak-" + VERSION);
  }

  /** Unpacks the distribution once (into a temporary directory, then renamed: a torn unpack is not used). */
  public static Path unpacked() throws IOException {
    Path home = home();
    if (Files.isExecutable(home.resolve("bin/kc.sh"))) {
      return home;
    }
    Path zip = distributionZip();
    if (!Files.isRegularFile(zip)) {
      throw new IllegalStateException("Keycloak " + VERSION + " is not in the local Maven repository (" + zip
          + "): mvn dependency:get -Dartifact=org.keycloak:keycloak-quarkus-dist:" + VERSION + ":zip (./tb local "
          + "--keycloak does it)");
    }
    Files.createDirectories(home.getParent());
    Path tmp = Files.createTempDirectory(home.getParent(), "keycloak-unpack-");
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
      for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
        String name = e.getName();
        int slash = name.indexOf('/');
        String inside = slash < 0 ? "" : name.substring(slash + 1); // strip keycloak-<version>/
        if (inside.isEmpty()) {
          continue;
        }
        Path target = tmp.resolve(inside).normalize();
        if (!target.startsWith(tmp)) {
          throw new IOException("zip entry outside the directory: " + name);
        }
        if (e.isDirectory()) {
          Files.createDirectories(target);
        } else {
          Files.createDirectories(target.getParent());
          Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
          if (inside.startsWith("bin/") && inside.endsWith(".sh")) {
            Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
          }
        }
      }
    }
    try {
      Files.move(tmp, home, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      if (!Files.isExecutable(home.resolve("bin/kc.sh"))) { // not another stack unpacking at the same time
        throw e;
      }
    }
    return home;
  }

  /**
   * Starts Keycloak on {@code host:port} in the background (unpacking it first if needed: ≈ 10 s once).
   *
   * @param dataDir its database and log ({@code keycloak.log})
   * @param publicJwks the client's public JWKS, registered with the client
   */
  public static Keycloak spawn(String host, int port, Path dataDir, String publicJwks) throws IOException {
    Path home = unpacked();
    Files.createDirectories(dataDir);
    String dbUrl = "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("keycloakdb") + ";NON_KEYWORDS=VALUE";
    ProcessBuilder pb = new ProcessBuilder("sh", "-c",
        "\"$0\" start-dev --http-host=\"$1\" --http-port=\"$2\" --db=dev-file --db-url=\"$3\" "
            + "& pid=$!; trap 'kill $pid' TERM; cat >/dev/null; kill $pid 2>/dev/null; wait $pid # " + MARKER,
        home.resolve("bin/kc.sh").toString(), host, Integer.toString(port), dbUrl);
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    pb.environment().put("JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx512m");
    pb.environment().put("KC_BOOTSTRAP_ADMIN_USERNAME", ADMIN_USER);
    pb.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD);
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("keycloak.log").toFile()));
    pb.redirectInput(ProcessBuilder.Redirect.PIPE); // held by this JVM: EOF when it is gone
    Process p = pb.start();
    Keycloak kc = new Keycloak(p, "http://" + Ports.uriHost(host) + ":" + port, publicJwks);
    LOG.info("Keycloak {} starting on {} (log {})", VERSION, kc.base, dataDir.resolve("keycloak.log"));
    return kc;
  }

  public String baseUrl() {
    return base;
  }

  public String issuer() {
    return base + "/realms/" + REALM;
  }

  public URI tokenUrl() {
    return URI.create(issuer() + "/protocol/openid-connect/token");
  }

  public URI jwksUrl() {
    return URI.create(issuer() + "/protocol/openid-connect/certs");
  }

  /** Seconds from spawn to the realm being ready, or null while it is not. */
  public Double readySeconds() {
    return readySeconds;
  }

  /** Waits until Keycloak answers, then makes sure the realm and the client exist. */
  public synchronized void awaitReady(Duration timeout) throws IOException {
    if (readySeconds != null) {
      return;
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (!process.isAlive()) {
        throw new IllegalStateException("Keycloak exited with " + process.exitValue() + " (see keycloak.log)");
      }
      try {
        HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(base + "/realms/master"))
            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          break;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for Keycloak", e);
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("Keycloak did not answer within " + timeout.toSeconds() + " s (see keycloak.log)");
      }
      sleep(1000);
    }
    ensureRealm();
    readySeconds = (System.nanoTime() - spawnedAt) / 1e9;
  }

  private void ensureRealm() throws IOException {
    String admin = adminToken();
    HttpResponse<String> existing = send(HttpRequest.newBuilder(URI.create(base + "/admin/realms/" + REALM))
        .header("Authorization", "Bearer " + admin).GET());
    if (existing.statusCode() == 200) {
      updateClientJwks(admin);
      return;
    }
    HttpResponse<String> created = send(HttpRequest.newBuilder(URI.create(base + "/admin/realms"))
        .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(realmJson(publicJwks))));
    if (created.statusCode() != 201) {
      throw new IllegalStateException("Keycloak refused the realm: " + created.statusCode() + " " + created.body());
    }
    LOG.info("Keycloak realm {} created with client {}", REALM, CLIENT_ID);
  }

  /** The development key may have been renewed (a new data directory for the key, the same Keycloak): re-register. */
  private void updateClientJwks(String admin) throws IOException {
    HttpResponse<String> found = send(HttpRequest.newBuilder(URI.create(base + "/admin/realms/" + REALM
        + "/clients?clientId=" + CLIENT_ID)).header("Authorization", "Bearer " + admin).GET());
    JsonNode list = JSON.readTree(found.body());
    if (!list.isArray() || list.isEmpty()) {
      throw new IllegalStateException("Keycloak realm " + REALM + " has no client " + CLIENT_ID);
    }
    ObjectNode client = (ObjectNode) list.get(0);
    ObjectNode attributes = client.has("attributes") ? (ObjectNode) client.get("attributes") : client.putObject("attributes");
    if (publicJwks.equals(attributes.path("jwks.string").asString(""))) {
      return;
    }
    attributes.put("jwks.string", publicJwks);
    HttpResponse<String> put = send(HttpRequest.newBuilder(URI.create(base + "/admin/realms/" + REALM + "/clients/"
        + client.get("id").asString())).header("Authorization", "Bearer " + admin)
        .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(client.toString())));
    if (put.statusCode() / 100 != 2) {
      throw new IllegalStateException("Keycloak refused the client update: " + put.statusCode());
    }
  }

  static String realmJson(String publicJwks) {
    ObjectNode realm = JSON.createObjectNode();
    realm.put("realm", REALM);
    realm.put("enabled", true);
    realm.put("accessTokenLifespan", 300);
    ArrayNode scopes = realm.putArray("clientScopes");
    for (String s : SCOPES) {
      ObjectNode scope = scopes.addObject();
      scope.put("name", s);
      scope.put("protocol", "openid-connect");
      scope.putObject("attributes").put("include.in.token.scope", "true").put("display.on.consent.screen", "false");
    }
    ObjectNode client = realm.putArray("clients").addObject();
    client.put("clientId", CLIENT_ID);
    client.put("enabled", true);
    client.put("protocol", "openid-connect");
    client.put("publicClient", false);
    client.put("serviceAccountsEnabled", true);
    client.put("standardFlowEnabled", false);
    client.put("directAccessGrantsEnabled", false);
    client.put("clientAuthenticatorType", "client-jwt");
    client.putObject("attributes").put("use.jwks.string", "true").put("jwks.string", publicJwks)
        .put("token.endpoint.auth.signing.alg", "RS384");
    client.putArray("defaultClientScopes");
    ArrayNode optional = client.putArray("optionalClientScopes");
    SCOPES.forEach(optional::add);
    return realm.toString();
  }

  private String adminToken() throws IOException {
    String form = "grant_type=password&client_id=admin-cli&username=" + enc(ADMIN_USER) + "&password="
        + enc(ADMIN_PASSWORD);
    HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(base + "/realms/master/protocol/openid-connect/token"))
        .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)));
    if (r.statusCode() != 200) {
      throw new IllegalStateException("Keycloak's admin login failed (" + r.statusCode() + "): a database from "
          + "another admin password? ./tb local --reset");
    }
    return JSON.readTree(r.body()).get("access_token").asString();
  }

  private HttpResponse<String> send(HttpRequest.Builder b) throws IOException {
    try {
      return http.send(b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Ends it: EOF on the wrapper's stdin (it kills Keycloak), then SIGTERM, then SIGKILL. */
  @Override
  public void close() {
    try {
      process.getOutputStream().close();
    } catch (IOException e) {
      // already closed
    }
    try {
      if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
          process.descendants().forEach(ProcessHandle::destroyForcibly);
          process.destroyForcibly();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
