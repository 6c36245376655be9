package io.telebridge.local.bench;

import io.telebridge.hl7v2.ControlIds;
import io.telebridge.local.bench.LoadRun.Config;
import io.telebridge.local.bench.LoadRun.Event;
import io.telebridge.local.bench.LoadRun.Kind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a {@link LoadRun} sends: a seeded mix of bookings for new patients, bookings, reschedules and
 * cancels of patients and appointments booked earlier in the run, each with its due time and the
 * MSH-10s of the HL7 messages it must produce.
 */
final class LoadPlan {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String ADT = LoadRun.ADT;

  private LoadPlan() {}

  /** The events of a run, from the repository's samples (events/appointment.{booked,rescheduled,cancelled}.json). */
  static List<Event> plan(Path repo, Config config, String tenant) throws IOException {
    List<Event> events = new ArrayList<>();
    ObjectNode booked = read(repo.resolve("events/appointment.booked.json"));
    ObjectNode rescheduled = read(repo.resolve("events/appointment.rescheduled.json"));
    ObjectNode cancelled = read(repo.resolve("events/appointment.cancelled.json"));
    Random rnd = new Random(config.seed);
    List<String> patients = new ArrayList<>();
    Map<String, List<String>> openAppointments = new HashMap<>();
    long period = (long) (1e9 / config.rate);
    for (int n = 0; n < config.count; n++) {
      double r = rnd.nextDouble();
      Kind kind;
      String patient;
      if (patients.isEmpty() || r < config.newShare) {
        kind = Kind.NEW_PATIENT_BOOKING;
        patient = config.runId + "-p" + patients.size();
        patients.add(patient);
      } else {
        patient = patients.get(rnd.nextInt(patients.size()));
        double rest = (r - config.newShare) / (1 - config.newShare);
        List<String> open = openAppointments.getOrDefault(patient, List.of());
        double bookingShare = 1 - (config.rescheduleShare + config.cancelShare) / (1 - config.newShare);
        if (open.isEmpty() || rest < bookingShare) {
          kind = Kind.BOOKING;
        } else if (rest < bookingShare + config.rescheduleShare / (1 - config.newShare)) {
          kind = Kind.RESCHEDULE;
        } else {
          kind = Kind.CANCEL;
        }
      }
      String id = config.runId + "-" + n;
      ObjectNode body;
      List<String> types;
      switch (kind) {
        case NEW_PATIENT_BOOKING, BOOKING -> {
          String appointment = config.runId + "-a" + n;
          openAppointments.computeIfAbsent(patient, p -> new ArrayList<>()).add(appointment);
          body = booked.deepCopy();
          ((ObjectNode) body.path("data").path("appointment")).put("id", appointment);
          demographics((ObjectNode) body.path("patient"), patient, rnd);
          types = kind == Kind.NEW_PATIENT_BOOKING ? List.of(ADT, "SIU^S12") : List.of("SIU^S12");
        }
        case RESCHEDULE -> {
          List<String> open = openAppointments.get(patient);
          body = rescheduled.deepCopy();
          ((ObjectNode) body.path("data").path("appointment")).put("id", open.get(rnd.nextInt(open.size())));
          types = List.of("SIU^S13");
        }
        default -> {
          List<String> open = openAppointments.get(patient);
          body = cancelled.deepCopy();
          ((ObjectNode) body.path("data").path("appointment")).put("id", open.remove(rnd.nextInt(open.size())));
          types = List.of("SIU^S15");
        }
      }
      body.put("id", id);
      body.put("occurredAt", java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC).truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString());
      ((ObjectNode) body.path("source")).put("tenant", tenant);
      ((ObjectNode) body.path("patient")).put("id", patient);
      List<String> expected = types.stream().map(t -> ControlIds.of(tenant, id, t)).toList();
      events.add(new Event(n, kind, id, patient, JSON.writeValueAsBytes(body), expected, n * period));
    }
    return events;
  }

  /** A booking's patient: an invented name and birth date of its own (no phone, e-mail, SSN or address to collide). */
  private static void demographics(ObjectNode p, String patientId, Random rnd) {
    p.remove(List.of("phones", "email", "ssnLast4", "address"));
    ObjectNode name = p.putObject("name");
    String[] given = {"Alma", "Bruno", "Carla", "Dmitri", "Edda", "Fabio", "Greta", "Hugo", "Ines", "Jonas"};
    name.putArray("given").add(given[rnd.nextInt(given.length)]);
    StringBuilder family = new StringBuilder();
    for (int i = 0; i < 9; i++) {
      char c = (char) ('a' + rnd.nextInt(26));
      family.append(i == 0 ? Character.toUpperCase(c) : c);
    }
    name.put("family", family.toString());
    p.put("birthDate", String.format(Locale.ROOT, "%04d-%02d-%02d", 1940 + rnd.nextInt(65), 1 + rnd.nextInt(12),
        1 + rnd.nextInt(28)));
    p.put("sex", rnd.nextBoolean() ? "female" : "male");
  }

  private static ObjectNode read(Path file) throws IOException {
    return (ObjectNode) JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
  }
}
