package io.telebridge.local.bench;

import io.telebridge.local.bench.LoadRun.Event;
import io.telebridge.local.bench.LoadRun.Kind;
import io.telebridge.local.bench.LoadRun.Result;
import io.telebridge.local.bench.LoadRun.Sample;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How a {@link LoadRun} is judged: lost (accepted, never acknowledged by the EHR, not dead-lettered),
 * duplicated (the same MSH-10 acknowledged twice), order violations per patient, and the latencies
 * from each event's due time.
 */
final class LoadVerdict {

  private LoadVerdict() {}

  /** The figures of a run that is over, from what the EHR received ({@code arrivals}) and what was dead-lettered. */
  static Result judge(LoadRun run, List<EhrView.Arrival> arrivals, long dead) {
    List<Event> events = run.events;
    Map<String, Integer> acceptedTimes = new HashMap<>();
    Map<String, Instant> firstAccepted = new HashMap<>();
    Map<String, Integer> firstAcceptedIndex = new HashMap<>();
    Set<String> expected = run.expectedIds();
    int resent = 0;
    int nacked = 0;
    for (int i = 0; i < arrivals.size(); i++) {
      EhrView.Arrival a = arrivals.get(i);
      if (!expected.contains(a.controlId())) {
        continue;
      }
      if (a.accepted()) {
        acceptedTimes.merge(a.controlId(), 1, Integer::sum);
        firstAccepted.putIfAbsent(a.controlId(), a.at());
        firstAcceptedIndex.putIfAbsent(a.controlId(), i);
      } else if (a.answer().equals("DROP") || a.answer().equals("SILENT")) {
        resent++; // the EHR had it, no ACK went back: the bridge sends it again (at least once)
      } else {
        nacked++;
      }
    }
    int missing = 0;
    int duplicated = 0;
    for (String id : expected) {
      int times = acceptedTimes.getOrDefault(id, 0);
      if (times == 0) {
        missing++;
      }
      duplicated += Math.max(0, times - 1);
    }
    int lost = (int) Math.max(0, missing - dead);

    // order: per patient, the first acknowledgement of each message in the order the events were sent
    Map<String, List<String>> perPatient = new LinkedHashMap<>();
    for (Event e : events) {
      if (e.accepted()) {
        perPatient.computeIfAbsent(e.patient, p -> new ArrayList<>()).addAll(e.expected);
      }
    }
    int violations = 0;
    List<String> disorders = new ArrayList<>();
    Map<String, String> typeOf = new HashMap<>();
    for (EhrView.Arrival a : arrivals) {
      typeOf.putIfAbsent(a.controlId(), a.messageType());
    }
    for (var patient : perPatient.entrySet()) {
      int last = -1;
      boolean bad = false;
      for (String id : patient.getValue()) {
        Integer at = firstAcceptedIndex.get(id);
        if (at == null) {
          continue;
        }
        if (at < last) {
          violations++;
          bad = true;
        }
        last = Math.max(last, at);
      }
      if (bad && disorders.size() < 10) {
        // opaque ids only: the run's patient id, MSH-10s, types and positions in the EHR's arrivals
        StringBuilder d = new StringBuilder(patient.getKey()).append(" sent:");
        for (String id : patient.getValue()) {
          d.append(' ').append(id).append('/').append(typeOf.getOrDefault(id, "?")).append("@")
              .append(firstAcceptedIndex.getOrDefault(id, -1));
        }
        d.append(" (every arrival of these:");
        for (int i = 0; i < arrivals.size(); i++) {
          if (patient.getValue().contains(arrivals.get(i).controlId())) {
            d.append(' ').append(i).append(':').append(arrivals.get(i).controlId(), 0, 6).append('-')
                .append(arrivals.get(i).answer());
          }
        }
        disorders.add(d.append(')').toString());
      }
    }

    List<Long> booking = new ArrayList<>();
    List<Long> all = new ArrayList<>();
    List<Long> intake = new ArrayList<>();
    long startEpochNanos = run.startInstant.getEpochSecond() * 1_000_000_000L + run.startInstant.getNano();
    for (Event e : events) {
      if (!e.accepted()) {
        continue;
      }
      intake.add(e.acceptedNanos - run.startNanos - e.dueNanos);
      String last = e.expected.get(e.expected.size() - 1);
      Instant at = firstAccepted.get(last);
      if (at == null) {
        continue;
      }
      long latency = at.getEpochSecond() * 1_000_000_000L + at.getNano() - startEpochNanos - e.dueNanos;
      all.add(latency);
      if (e.kind == Kind.NEW_PATIENT_BOOKING || e.kind == Kind.BOOKING) {
        booking.add(latency);
      }
    }
    Map<String, Long> maxDepth = new LinkedHashMap<>();
    synchronized (run.samples) {
      for (Sample s : run.samples) {
        s.depth().forEach((k, v) -> maxDepth.merge(k, v, Math::max));
      }
    }
    int accepted = (int) events.stream().filter(Event::accepted).count();
    return new Result(events.size(), accepted, run.outcomes, expected.size(), lost, duplicated, resent, nacked, dead,
        violations, (run.sendEndNanos - run.startNanos) / 1e9,
        run.drainedNanos < 0 ? Double.NaN : (run.drainedNanos - run.startNanos) / 1e9 - (events.isEmpty() ? 0
            : events.get(events.size() - 1).dueNanos / 1e9),
        stats(booking), stats(all), stats(intake), maxDepth, run.samples(), disorders);
  }

  private static Stats stats(List<Long> nanos) {
    return new Stats(nanos.stream().mapToLong(Long::longValue).toArray());
  }
}
