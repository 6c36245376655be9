package io.telebridge.local.fhir;

import com.nimbusds.jose.jwk.RSAKey;
import io.telebridge.local.emulator.FhirServerProcess;
import io.telebridge.local.emulator.Keycloak;
import io.telebridge.local.http.SigV4Verifier;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local stack's FHIR side: the FHIR server (a child process, or a server that already runs), the two
 * doors in front of it ({@link FhirDoors}: "HealthLake" with SigV4, "the EHR's FHIR API" with OAuth2
 * bearer tokens), the development SMART client key ({@link DevSmartKey}) and, when asked, Keycloak as the
 * EHR's authorization server. Without Keycloak the EHR door's tokens come from the doors' stand-in token
 * endpoint, where the development client is registered with its public JWKS.
 */
public final class LocalFhir implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LocalFhir.class);
  /** The SMART client id, at Keycloak and at the stand-in endpoint alike. */
  public static final String CLIENT_ID = Keycloak.CLIENT_ID;

  /** What the local FHIR side needs to start. */
  public record Settings(Path root, String host, int doorPort, Path dataDir, String upstream, boolean keycloak,
      int keycloakPort, List<SigV4Verifier.Credentials> awsCredentials, String region, Duration fhirStartTimeout) {}

  private final Settings settings;
  private final RSAKey clientKey;
  private FhirServerProcess process;
  private Keycloak keycloak;
  private FhirDoors doors;
  private volatile String upstream;
  private Thread keycloakWatcher;

  private LocalFhir(Settings settings, RSAKey clientKey) {
    this.settings = settings;
    this.clientKey = clientKey;
  }

  /** Spawns what is slow (the FHIR server, Keycloak) and opens the doors; returns without waiting. */
  public static LocalFhir start(Settings s, PrintStream console) throws IOException {
    LocalFhir f = new LocalFhir(s, DevSmartKey.loadOrCreate(s.dataDir()));
    try {
      f.boot(console);
    } catch (IOException | RuntimeException e) {
      f.close();
      throw e;
    }
    return f;
  }

  private void boot(PrintStream console) throws IOException {
    Path fhirData = settings.dataDir().resolve("fhir");
    if (settings.upstream() == null) {
      process = FhirServerProcess.spawn(settings.root(), settings.host(), 0, fhirData);
    } else {
      upstream = settings.upstream();
    }
    FhirDoors.Authority authority = FhirDoors.Authority.standIn();
    if (settings.keycloak()) {
      int port = settings.keycloakPort() == 0 ? io.telebridge.local.emulator.Ports.free(settings.host())
          : settings.keycloakPort();
      keycloak = Keycloak.spawn(settings.host(), port, settings.dataDir().resolve("keycloak"),
          DevSmartKey.publicJwks(clientKey));
      authority = FhirDoors.Authority.keycloak(keycloak.issuer(), keycloak.jwksUrl());
      keycloakWatcher = new Thread(() -> {
        try {
          keycloak.awaitReady(Duration.ofMinutes(15));
          console.printf("Keycloak ready in %.0f s: token URL %s (client %s, private_key_jwt RS384)%n",
              keycloak.readySeconds(), keycloak.tokenUrl(), CLIENT_ID);
        } catch (IOException | RuntimeException e) {
          console.println("Keycloak did not start: " + e.getMessage());
        }
      }, "keycloak-ready");
      keycloakWatcher.setDaemon(true);
      keycloakWatcher.start();
    }
    doors = new FhirDoors(settings.host(), settings.doorPort(), upstream, settings.awsCredentials(), settings.region(),
        authority, Clock.systemUTC());
    if (process != null) {
      Thread fhirWatcher = new Thread(() -> {
        try {
          awaitFhirServer(settings.fhirStartTimeout());
          console.printf(Locale.ROOT, "FHIR server ready in %.0f s (%s): HealthLake door %s, EHR door %s%n",
              process.readySeconds(), upstream, doors.healthLakeBase(), doors.ehrBase());
        } catch (IOException | RuntimeException e) {
          console.println("The FHIR server did not start: " + e.getMessage() + " (the doors answer 503)");
        }
      }, "fhir-server-ready");
      fhirWatcher.setDaemon(true);
      fhirWatcher.start();
    }
    if (!settings.keycloak()) {
      try {
        doors.register(CLIENT_ID, DevSmartKey.publicJwks(clientKey));
      } catch (java.text.ParseException e) {
        throw new IllegalStateException("the development key's JWKS does not parse", e);
      }
    }
  }

  /**
   * Waits for the FHIR server (started and seeded) and points the doors at it. The stack does not wait:
   * until then the doors answer 503 (a watcher thread says "FHIR server ready" on the console).
   */
  public synchronized void awaitFhirServer(Duration timeout) throws IOException {
    if (process != null && upstream == null) {
      String url = process.awaitReady(timeout);
      doors.upstream(url);
      upstream = url;
      LOG.info("FHIR server ready in {} s", String.format(Locale.ROOT, "%.1f", process.readySeconds()));
    }
  }

  /** Waits until Keycloak has the realm and the client (only with {@code keycloak}). */
  public void awaitKeycloak(Duration timeout) throws IOException {
    if (keycloak == null) {
      throw new IllegalStateException("Keycloak was not started (--keycloak)");
    }
    keycloak.awaitReady(timeout);
  }

  /** The FHIR server's own base URL (no door, no auth): for seeding and debugging; null until it is ready. */
  public String fhirServerUrl() {
    return upstream;
  }

  public FhirDoors doors() {
    return doors;
  }

  /** The "HealthLake" door's base URL ({@code …/datastore/ds-local-0001/r4/}): SigV4, service healthlake. */
  public String healthLakeBaseUrl() {
    return doors.healthLakeBase();
  }

  /** The "EHR FHIR API" door's base URL ({@code …/ehr/r4}): bearer tokens. */
  public String ehrBaseUrl() {
    return doors.ehrBase();
  }

  /** Where the SMART client gets its tokens: Keycloak's token endpoint, or the doors' stand-in. */
  public URI tokenUrl() {
    return keycloak != null ? keycloak.tokenUrl() : doors.tokenUrl();
  }

  /** Keycloak, or null when not started. */
  public Keycloak keycloak() {
    return keycloak;
  }

  /** The development SMART client key (private; local use only). */
  public RSAKey clientKey() {
    return clientKey;
  }

  /** Seconds the FHIR child process took to start and seed (NaN when none ran or not yet). */
  public double fhirServerStartSeconds() {
    return process == null ? Double.NaN : process.readySeconds();
  }

  /** The FHIR server's own ready line, or null. */
  public String fhirServerReadyLine() {
    return process == null ? null : process.readyLine();
  }

  @Override
  public void close() {
    for (AutoCloseable c : new AutoCloseable[] {doors, keycloak, process}) {
      if (c != null) {
        try {
          c.close();
        } catch (Exception e) {
          LOG.warn("stopping {} failed: {}", c.getClass().getSimpleName(), e.toString());
        }
      }
    }
  }
}
