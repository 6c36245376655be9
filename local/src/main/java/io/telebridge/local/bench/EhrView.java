package io.telebridge.local.bench;

import io.telebridge.mllp.sim.EhrSimulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What the EHR simulator received, in order of arrival, wherever it runs: in this JVM, in a
 * separate stack (its {@code received.log}, which survives that stack's crash), or behind its
 * control endpoint ({@code GET /messages} of a running {@code ./tb local}).
 */
@FunctionalInterface
public interface EhrView {

  /** One message as the EHR got it: MSH-10, MSH-9, when, and what the simulator answered (AA, AE, DROP...). */
  record Arrival(String controlId, String messageType, Instant at, String answer) {
    /** The EHR took it: an accepting ACK went back (AA, or CA for a commit ACK). */
    public boolean accepted() {
      return answer.equals("AA") || answer.equals("CA");
    }
  }

  List<Arrival> received();

  static EhrView of(EhrSimulator sim) {
    return () -> sim.received().stream()
        .map(m -> new Arrival(m.controlId(), m.messageType(), m.receivedAt(), m.answer().name())).toList();
  }

  /** {@code <dir>/received.log}: one line per message, {@code <instant> <MSH-10> <type> -> <answer>}. */
  static EhrView receivedLog(Path recordDir) {
    Path log = recordDir.resolve("received.log");
    return () -> {
      List<Arrival> out = new ArrayList<>();
      if (!Files.exists(log)) {
        return out;
      }
      try {
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
          String[] f = line.trim().split(" ");
          if (f.length == 5 && f[3].equals("->")) {
            out.add(new Arrival(f[1], f[2], Instant.parse(f[0]), f[4]));
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return out;
    };
  }

  /** The simulator's control endpoint: {@code GET /messages}, one tab-separated line each. */
  static EhrView control(URI controlUrl) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    return () -> {
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(controlUrl.resolve("/messages"))
            .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
          throw new IllegalStateException("EHR simulator control " + controlUrl + " answered " + r.statusCode());
        }
        List<Arrival> out = new ArrayList<>();
        for (String line : r.body().split("\n")) {
          String[] f = line.split("\t");
          if (f.length == 5) {
            out.add(new Arrival(f[2], f[3], Instant.parse(f[1]), f[4]));
          }
        }
        return out;
      } catch (IOException e) {
        throw new UncheckedIOException("EHR simulator control " + controlUrl + " unreachable", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    };
  }
}
