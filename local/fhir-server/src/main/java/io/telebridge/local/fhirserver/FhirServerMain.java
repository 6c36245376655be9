package io.telebridge.local.fhirserver;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.slf4j.LoggerFactory;

/**
 * The local stack's FHIR child process: {@code java -jar telebridge-local-fhir.jar --port N --data-dir DIR
 * [--host H] [--no-seed]}. Starts {@link FhirServer} with its H2 file in {@code DIR/fhir-h2}, seeds the
 * {@link SyntheticCharts#samples sample charts} that are not there yet, prints one line {@code
 * telebridge-local-fhir ready <base URL> <seconds>} and serves until its stdin closes (a pipe from the local
 * stack's JVM: EOF when that JVM is gone, even after SIGKILL) or it gets "stop" on stdin.
 */
public final class FhirServerMain {

  private FhirServerMain() {}

  public static void main(String[] args) throws IOException {
    long t0 = System.nanoTime();
    String host = "127.0.0.1";
    int port = 0;
    Path dataDir = null;
    boolean seed = true;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--host" -> host = args[++i];
        case "--port" -> port = Integer.parseInt(args[++i]);
        case "--data-dir" -> dataDir = Path.of(args[++i]);
        case "--no-seed" -> seed = false;
        default -> {
          System.err.println("usage: telebridge-local-fhir [--host H] [--port N] [--data-dir DIR] [--no-seed]");
          System.exit(2);
        }
      }
    }
    quietLogging();
    Path h2 = null;
    if (dataDir != null) {
      Files.createDirectories(dataDir);
      h2 = dataDir.resolve("fhir-h2");
    }
    FhirServer server = FhirServer.start(host, port, h2);
    Thread watcher = new Thread(() -> {
      try (InputStream in = System.in) {
        byte[] buf = new byte[64];
        while (in.read(buf) >= 0) {
          if (new String(buf, java.nio.charset.StandardCharsets.US_ASCII).startsWith("stop")) {
            break;
          }
        }
      } catch (IOException e) {
        // the parent is gone
      }
      server.close();
      System.exit(0);
    }, "parent-watch");
    watcher.setDaemon(false);
    watcher.start();
    int seeded = 0;
    if (seed) {
      FhirContext fhir = FhirContext.forR4Cached();
      fhir.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
      // the first transaction warms the JPA server up: minutes on a busy machine, not HAPI's 10 s default
      fhir.getRestfulClientFactory().setSocketTimeout(600_000);
      IGenericClient client = fhir.newRestfulGenericClient(server.baseUrl());
      try {
        for (SyntheticCharts.Chart chart : SyntheticCharts.samples(Instant.now().truncatedTo(ChronoUnit.SECONDS))) {
          if (chart.writeIfAbsent(client)) {
            seeded++;
          }
        }
      } catch (RuntimeException e) {
        System.out.println("telebridge-local-fhir: seeding the sample charts failed: " + e);
        System.out.flush();
        server.close();
        System.exit(1);
      }
    }
    System.out.printf("telebridge-local-fhir ready %s %.1f s (%d sample charts seeded now, the rest kept)%n",
        server.baseUrl(), (System.nanoTime() - t0) / 1e9, seeded);
    System.out.flush();
  }

  private static void quietLogging() {
    var root = LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    if (root instanceof ch.qos.logback.classic.Logger logback) {
      logback.setLevel(ch.qos.logback.classic.Level.WARN);
    }
  }
}
