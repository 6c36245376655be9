package io.telebridge.core.journal;

import io.telebridge.core.model.TenantKeys;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Use case: re-send one message to the stage that consumes it — an HL7 message (by MSH-10) to the
 * MLLP sender through the to-EHR queue (e.g. an ACKed SIU the EHR lost), or a platform event (by event
 * id) to the to-EHR translator through the intake queue — from the replay archive, within one tenant,
 * and record who asked in the journal (stage {@code replay}, {@code by} = the verified caller). The
 * audit record is written before the send and is not guarded: no record, no replay.
 */
public final class ReplayMessage {

  /** What happened: {@code queue} is null when nothing was archived for the id (nothing sent). */
  public record Replayed(String subject, String queue, String deduplicationId) {
    public boolean sent() {
      return queue != null;
    }
  }

  private final ReplayArchive archive;
  private final ReplayTarget target;
  private final Journal audit;
  private final Clock clock;

  public ReplayMessage(ReplayArchive archive, ReplayTarget target, Journal audit, Clock clock) {
    this.archive = archive;
    this.target = target;
    this.audit = audit;
    this.clock = clock;
  }

  /**
   * @param id an MSH-10 or an event id
   * @param caller the verified identity of who asked (an IAM ARN)
   */
  public Replayed replay(String tenant, String id, String caller) {
    Optional<ArchivedMessage> found = archive.find(tenant, JournalEntry.HL7 + id)
        .or(() -> archive.find(tenant, JournalEntry.EVENT + id));
    if (found.isEmpty()) {
      return new Replayed(null, null, null);
    }
    ArchivedMessage m = found.get();
    Instant now = clock.instant();
    String dedup = "replay-" + TenantKeys.sha256(tenant, m.subject(), now.toString(), caller).substring(0, 40);
    String stage = m.subject().startsWith(JournalEntry.HL7) ? "to-ehr" : "intake";
    audit.record(new JournalEntry(tenant, m.subject(), Stage.REPLAY.wire(), m.attributes().get("messageType"),
        "requested", 0, null, null, now, List.of(), "queue:" + stage, null, null, caller));
    String queue = target.send(m, dedup);
    return new Replayed(m.subject(), queue, dedup);
  }
}
