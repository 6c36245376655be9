package io.telebridge.core.journal;

import io.telebridge.core.fromehr.Metrics;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What every stage calls: the journal write that can never fail a message (any error is swallowed,
 * logged by class and counted as {@code JournalWriteFailures}), and the operator metrics derived from
 * the same entry, so one call per stage both journals and counts (see {@link JournalMetrics}).
 */
public final class GuardedJournal implements Journal {

  private static final System.Logger LOG = System.getLogger(GuardedJournal.class.getName());

  private final Journal delegate;
  private final Metrics metrics;
  private final AtomicLong failures = new AtomicLong();

  /**
   * @param delegate the adapter ({@link Journal#NONE} when the stage has no journal table)
   * @param metrics where the derived counts go (EMF in AWS)
   */
  public GuardedJournal(Journal delegate, Metrics metrics) {
    this.delegate = delegate;
    this.metrics = metrics;
  }

  /** Records the entry; a null entry (a step with nothing to journal, e.g. no tenant known) is ignored. */
  @Override
  public void record(JournalEntry entry) {
    if (entry == null) {
      return;
    }
    try {
      delegate.record(entry);
    } catch (RuntimeException e) {
      failures.incrementAndGet();
      LOG.log(Level.WARNING, "journal write failed stage={0} subject={1}: {2}", entry.stage(), entry.subject(),
          e.getClass().getSimpleName());
      quietly(() -> metrics.countBy(JournalMetrics.JOURNAL_WRITE_FAILURES, 1, Map.of("Stage", entry.stage())));
    }
    quietly(() -> JournalMetrics.publish(entry, metrics));
  }

  /** Journal writes that failed in this process (tests, health). */
  public long failures() {
    return failures.get();
  }

  private static void quietly(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      LOG.log(Level.DEBUG, "metric not written: {0}", e.getClass().getSimpleName());
    }
  }

  /** The metrics one journal entry stands for. */
  public static final class JournalMetrics {

    public static final String JOURNAL_WRITE_FAILURES = "JournalWriteFailures";

    private JournalMetrics() {}

    /**
     * intake: WebhooksAccepted, BookingsPosted, Registrations, WebhooksRefused; to-EHR translator:
     * Hl7Queued, ParkedForReview; MLLP sender: Hl7Sent, Hl7Acked, Hl7Nacked (AckCode), EndToEndLatency
     * (event time to ACK); listener: Hl7Received (AckCode); from-EHR translator: EventsQueued (EventType);
     * delivery: Delivered (EventType: results, demographics, schedule changes), DeliveryRetries; every
     * stage: Failures (Stage), DeadLettered (Stage); replays: Replays; a flow switch: FlowHeldBack (Mode:
     * shadowed, switched-off). All per tenant.
     */
    static void publish(JournalEntry e, Metrics metrics) {
      String outcome = e.outcome() == null ? "" : e.outcome();
      Map<String, String> tenant = Map.of("Tenant", e.tenant());
      if (e.waitsAt() != null && e.waitsAt().startsWith("dlq:")) {
        metrics.countBy("DeadLettered", 1, dims(e, "Stage", e.stage()));
      }
      if (e.errorClass() != null && !e.errorClass().isEmpty()) {
        metrics.countBy("Failures", 1, dims(e, "Stage", e.stage()));
      }
      if (outcome.equals("shadowed") || outcome.equals("switched-off")) { // a flow switch held it back (FlowGate)
        metrics.countBy("FlowHeldBack", 1, dims(e, "Mode", outcome));
        return;
      }
      switch (Stage.valueOf(enumName(e.stage()))) {
        case INTAKE -> {
          if (outcome.equals("accepted")) {
            metrics.countBy("WebhooksAccepted", 1, tenant);
            if ("appointment.booked".equals(e.type())) {
              metrics.countBy("BookingsPosted", 1, tenant);
            } else if ("patient.registered".equals(e.type())) {
              metrics.countBy("Registrations", 1, tenant);
            }
          } else if (outcome.equals("refused")) {
            metrics.countBy("WebhooksRefused", 1, dims(e, "Code", e.errorCode()));
          }
        }
        case TO_EHR_TRANSLATOR -> {
          if (outcome.equals("translated")) {
            metrics.countBy("Hl7Queued", e.links().size(), tenant);
          } else if (outcome.equals("parked")) {
            metrics.countBy("ParkedForReview", 1, tenant);
          }
        }
        case MLLP_SENDER -> {
          if (outcome.length() == 2 && outcome.matches("[AC][AER]")) {
            metrics.countBy("Hl7Sent", 1, tenant);
            if (outcome.endsWith("A")) {
              metrics.countBy("Hl7Acked", 1, tenant);
            } else {
              metrics.countBy("Hl7Nacked", 1, dims(e, "AckCode", outcome));
            }
          }
        }
        case MLLP_LISTENER -> metrics.countBy("Hl7Received", 1, dims(e, "AckCode", outcome));
        case FROM_EHR_TRANSLATOR -> {
          if (outcome.equals("translated")) {
            metrics.countBy("EventsQueued", e.links().size(), tenant);
          }
        }
        case PLATFORM_DELIVERY -> {
          if (outcome.equals("delivered")) {
            metrics.countBy("Delivered", 1, dims(e, "EventType", e.type() == null ? "unknown" : e.type()));
          } else if (outcome.equals("retry")) {
            metrics.countBy("DeliveryRetries", 1, tenant);
          }
        }
        case REPLAY -> metrics.countBy("Replays", 1, dims(e, "Queue", e.waitsAt()));
      }
    }

    /** Event time (webhook) to the EHR's accept ACK, published by the sender with its AA. */
    public static void endToEnd(Metrics metrics, String tenant, Instant occurredAt, Instant acked) {
      if (occurredAt != null && acked != null && !acked.isBefore(occurredAt)) {
        metrics.millisBy("EndToEndLatency", Duration.between(occurredAt, acked).toMillis(), Map.of("Tenant", tenant));
      }
    }

    private static Map<String, String> dims(JournalEntry e, String name, String value) {
      Map<String, String> m = new LinkedHashMap<>();
      m.put("Tenant", e.tenant());
      m.put(name, value == null ? "none" : value);
      return m;
    }

    private static String enumName(String wire) {
      return wire.toUpperCase(java.util.Locale.ROOT).replace('-', '_');
    }
  }
}
