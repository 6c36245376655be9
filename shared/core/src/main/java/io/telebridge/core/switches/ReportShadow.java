package io.telebridge.core.switches;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Use case: the shadow report of one tenant. Pairs each message the EHR sent while a flow was in
 * shadow with the message telebridge held back, within {@link #WINDOW} of each other and of the same
 * trigger event, by (1) a shared appointment id (SCH-1 placer or SCH-2 filler), else (2) a shared
 * patient identifier (PID-3) and the same start time, else (3) a shared patient identifier, the
 * nearest in time; each message pairs at most once. Then compares each pair field by field on the
 * documented fields ({@code shared/hl7v2} Hl7ShadowFields; a field absent on both sides is equal).
 */
public final class ReportShadow {

  public static final Duration WINDOW = Duration.ofHours(24);
  public static final int MAX_PAIRS = 100;

  private final ShadowStore store;
  private final ShadowFields fields;

  public ReportShadow(ShadowStore store, ShadowFields fields) {
    this.store = store;
    this.fields = fields;
  }

  public ShadowReport report(String tenant, Instant since, Instant until) {
    List<ShadowMessage> ours = distinct(store.kept(tenant, ShadowMessage.Side.TELEBRIDGE, since.minus(WINDOW), until));
    List<ShadowMessage> theirs = distinct(store.kept(tenant, ShadowMessage.Side.EHR, since, until));
    List<ShadowReport.FlowReport> flows = new ArrayList<>();
    for (Flow flow : Flow.values()) {
      List<ShadowMessage> o = ours.stream().filter(m -> m.flow() == flow).toList();
      List<ShadowMessage> t = theirs.stream().filter(m -> m.flow() == flow).toList();
      // the held-back side counts what was kept in the period; older ones (within the window) only pair
      int shadowedInPeriod = (int) o.stream().filter(m -> !m.at().isBefore(since)).count();
      if (shadowedInPeriod == 0 && t.isEmpty()) {
        continue;
      }
      flows.add(compare(flow, o, t, since));
    }
    return new ShadowReport(tenant, since, until, flows);
  }

  private ShadowReport.FlowReport compare(Flow flow, List<ShadowMessage> ours, List<ShadowMessage> theirs, Instant since) {
    Map<ShadowMessage, ShadowFields.Fields> read = new LinkedHashMap<>();
    for (ShadowMessage m : ours) {
      read.put(m, fields.of(m));
    }
    for (ShadowMessage m : theirs) {
      read.put(m, fields.of(m));
    }
    Set<ShadowMessage> paired = new HashSet<>();
    Map<String, Integer> differing = new TreeMap<>();
    List<ShadowReport.Pair> pairs = new ArrayList<>();
    int agreed = 0;
    for (ShadowMessage ehr : theirs) {
      ShadowFields.Fields ef = read.get(ehr);
      if (ef == null) {
        continue;
      }
      ShadowMessage best = null;
      String by = null;
      for (int rule = 1; rule <= 3 && best == null; rule++) {
        for (ShadowMessage cand : ours) {
          ShadowFields.Fields cf = read.get(cand);
          if (cf == null || paired.contains(cand) || !sameTrigger(cf, ef)
              || Duration.between(cand.at(), ehr.at()).abs().compareTo(WINDOW) > 0 || !rule(rule, cf, ef)) {
            continue;
          }
          if (best == null || distance(cand, ehr).compareTo(distance(best, ehr)) < 0) {
            best = cand;
            by = switch (rule) {
              case 1 -> "appointment";
              case 2 -> "patient+start";
              default -> "patient+time";
            };
          }
        }
      }
      if (best == null) {
        continue;
      }
      paired.add(best);
      paired.add(ehr);
      List<String> diff = differences(read.get(best), ef);
      if (diff.isEmpty()) {
        agreed++;
      }
      diff.forEach(f -> differing.merge(f, 1, Integer::sum));
      if (pairs.size() < MAX_PAIRS) {
        pairs.add(new ShadowReport.Pair(best.id(), ehr.id(), by, diff));
      }
    }
    List<ShadowMessage> inPeriod = ours.stream().filter(m -> !m.at().isBefore(since)).toList();
    int matched = (int) theirs.stream().filter(paired::contains).count();
    int unmatchedShadow = (int) inPeriod.stream().filter(m -> !paired.contains(m)).count();
    return new ShadowReport.FlowReport(flow.wire(), inPeriod.size(), theirs.size(), matched, agreed, unmatchedShadow,
        theirs.size() - matched, differing, pairs);
  }

  private static boolean sameTrigger(ShadowFields.Fields a, ShadowFields.Fields b) {
    return a.trigger() != null && a.trigger().equals(b.trigger());
  }

  private static boolean rule(int rule, ShadowFields.Fields ours, ShadowFields.Fields theirs) {
    return switch (rule) {
      case 1 -> intersects(ours.appointmentIds(), theirs.appointmentIds());
      case 2 -> intersects(ours.patientIds(), theirs.patientIds()) && ours.compared().get("start") != null
          && ours.compared().get("start").equals(theirs.compared().get("start"));
      default -> intersects(ours.patientIds(), theirs.patientIds());
    };
  }

  private static boolean intersects(Set<String> a, Set<String> b) {
    for (String s : a) {
      if (b.contains(s)) {
        return true;
      }
    }
    return false;
  }

  private static Duration distance(ShadowMessage a, ShadowMessage b) {
    return Duration.between(a.at(), b.at()).abs();
  }

  /** The compared fields that differ (a field absent on both sides is equal), sorted by name. */
  static List<String> differences(ShadowFields.Fields ours, ShadowFields.Fields theirs) {
    Set<String> names = new java.util.TreeSet<>(ours.compared().keySet());
    names.addAll(theirs.compared().keySet());
    List<String> out = new ArrayList<>();
    for (String n : names) {
      if (!java.util.Objects.equals(ours.compared().get(n), theirs.compared().get(n))) {
        out.add(n);
      }
    }
    return out;
  }

  /** One message per (side, id): a redelivery kept on another day is the same message. */
  private static List<ShadowMessage> distinct(List<ShadowMessage> messages) {
    Map<String, ShadowMessage> byId = new LinkedHashMap<>();
    for (ShadowMessage m : messages) {
      byId.putIfAbsent(m.side().wire() + "|" + m.id(), m);
    }
    List<ShadowMessage> out = new ArrayList<>(byId.values());
    out.sort(Comparator.comparing(ShadowMessage::at));
    return out;
  }
}
