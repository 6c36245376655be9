package io.telebridge.toehr;

import io.telebridge.aws.lambda.SqsEvent;
import io.telebridge.aws.lambda.SqsMessage;
import io.telebridge.core.journal.ArchivedMessage;
import io.telebridge.core.journal.Journal;
import io.telebridge.core.journal.JournalEntry;
import io.telebridge.core.journal.JournalSteps;
import io.telebridge.core.journal.ReplayArchive;
import io.telebridge.core.journal.Stage;
import io.telebridge.core.model.PlatformEvent;
import io.telebridge.core.switches.FlowGate;
import io.telebridge.core.switches.FlowMode;
import io.telebridge.core.toehr.OutboundMessage;
import io.telebridge.core.toehr.TranslateToEhr;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The translator's journal and replay archive, after its commit point (the messages are on the
 * to-EHR queue): one journal step per event, and what was queued kept for {@code ./tb replay}. Neither
 * can fail the message: the journal is guarded, an archive error is logged by class and dropped.
 */
final class TranslatorSteps {

  private static final System.Logger LOG = System.getLogger(TranslatorSteps.class.getName());

  static final TranslatorSteps NONE = new TranslatorSteps(Journal.NONE, ReplayArchive.NONE, Clock.systemUTC());

  private final Journal journal;
  private final ReplayArchive archive;
  private final Clock clock;
  private final FlowGate gate;

  TranslatorSteps(Journal journal, ReplayArchive archive, Clock clock) {
    this(journal, archive, clock, FlowGate.allOn());
  }

  /** @param gate the flow switches: a message held back (off, shadow) is not archived, so a replay cannot send it */
  TranslatorSteps(Journal journal, ReplayArchive archive, Clock clock, FlowGate gate) {
    this.journal = journal;
    this.archive = archive;
    this.clock = clock;
    this.gate = gate;
  }

  private List<OutboundMessage> sent(PlatformEvent event, List<OutboundMessage> out) {
    try {
      return out.stream().filter(m -> gate.modeOfHl7(event.tenant(), m.messageType()) == FlowMode.ON).toList();
    } catch (RuntimeException e) {
      return List.of(); // the switches unreadable just now: archive nothing rather than something held back
    }
  }

  void translated(SqsMessage message, PlatformEvent event, List<OutboundMessage> out) {
    translated(message, event, new TranslateToEhr.Outcome(out, out.isEmpty(), null));
  }

  /** As above, with the outcome: an event written to the FHIR record only is translated, not parked. */
  void translated(SqsMessage message, PlatformEvent event, TranslateToEhr.Outcome outcome) {
    List<OutboundMessage> out = outcome.messages();
    journal.record(JournalSteps.translated(event, out, outcome.parked(), receiveCount(message), clock.instant()));
    try {
      archive.keep(archived(message, event, sent(event, out)));
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "replay archive not written eventId={0}: {1}", event.eventId(), e.getClass().getSimpleName());
    }
  }

  /** A parked event translated after its review case was resolved (no SQS message: nothing archived for replay). */
  void resumed(PlatformEvent event, List<OutboundMessage> out) {
    resumed(event, new TranslateToEhr.Outcome(out, out.isEmpty(), null));
  }

  void resumed(PlatformEvent event, TranslateToEhr.Outcome outcome) {
    List<OutboundMessage> out = outcome.messages();
    journal.record(JournalSteps.translated(event, out, outcome.parked(), 0, clock.instant()));
    try {
      archive.keep(sent(event, out).stream().map(m -> hl7(event, m)).toList());
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "replay archive not written eventId={0}: {1}", event.eventId(), e.getClass().getSimpleName());
    }
  }

  /** Dead-lettered ({@code dlq} true: on the intake DLQ now) or failed for a retry from the intake queue. */
  void failed(SqsMessage message, RuntimeException error, boolean dlq) {
    String eventId = attribute(message, "eventId");
    journal.record(JournalSteps.failed(attribute(message, "tenant"), eventId == null ? null : JournalEntry.EVENT + eventId,
        Stage.TO_EHR_TRANSLATOR, error.getClass().getSimpleName(), receiveCount(message), dlq ? "intake" : null,
        "intake", clock.instant()));
  }

  static List<ArchivedMessage> archived(SqsMessage message, PlatformEvent event, List<OutboundMessage> out) {
    List<ArchivedMessage> kept = new ArrayList<>();
    Map<String, String> eventAttributes = new LinkedHashMap<>();
    for (String name : List.of("eventId", "eventType", "tenant", "receivedAt")) {
      String v = attribute(message, name);
      if (v != null) {
        eventAttributes.put(name, v);
      }
    }
    String group = message.attributes() == null ? null : message.attributes().get("MessageGroupId");
    if (group != null) {
      kept.add(new ArchivedMessage(event.tenant(), JournalEntry.EVENT + event.eventId(), group, message.body(),
          eventAttributes));
    }
    for (OutboundMessage m : out) {
      kept.add(hl7(event, m));
    }
    return kept;
  }

  /** One queued HL7 message as the to-EHR queue got it: its patient's group and the outbox's attributes. */
  private static ArchivedMessage hl7(PlatformEvent event, OutboundMessage m) {
    return new ArchivedMessage(event.tenant(), JournalEntry.HL7 + m.controlId(), TranslateToEhr.groupOf(event),
        m.payload(), Map.of("controlId", m.controlId(), "messageType", m.messageType(), "eventId", event.eventId(),
            "tenant", event.tenant(), "occurredAt", String.valueOf(event.occurredAt())));
  }

  static int receiveCount(SqsMessage message) {
    try {
      return message.attributes() == null ? 0
          : Integer.parseInt(message.attributes().getOrDefault("ApproximateReceiveCount", "0"));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static String attribute(SqsMessage message, String name) {
    return message.messageAttribute(name);
  }
}
