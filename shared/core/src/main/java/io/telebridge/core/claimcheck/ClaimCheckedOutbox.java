package io.telebridge.core.claimcheck;

import io.telebridge.core.model.PlatformEvent;
import io.telebridge.core.toehr.EhrOutbox;
import io.telebridge.core.toehr.OutboundMessage;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;

/**
 * The to-EHR outbox with a claim check: a message up to {@code inlineBytes} goes on the queue as it is;
 * a larger one (a long note's MDM) is stored first ({@code to-ehr/<tenant>/<hash of tenant and MSH-10>.hl7},
 * so a redelivered event writes the same object) and the queue carries its claim check, which the MLLP
 * bridge redeems. Same group, same deduplication id (the control id), same attributes: order and
 * deduplication do not change.
 */
public final class ClaimCheckedOutbox implements EhrOutbox {

  private static final System.Logger LOG = System.getLogger(ClaimCheckedOutbox.class.getName());

  private final EhrOutbox queue;
  private final ClaimChecks claimChecks;
  private final int inlineBytes;

  public ClaimCheckedOutbox(EhrOutbox queue, ClaimChecks claimChecks, int inlineBytes) {
    this.queue = queue;
    this.claimChecks = claimChecks;
    this.inlineBytes = inlineBytes;
  }

  @Override
  public void send(String groupId, String eventId, OutboundMessage message) {
    throw new UnsupportedOperationException("the claim-checked outbox needs the tenant");
  }

  @Override
  public void send(PlatformEvent event, String groupId, OutboundMessage message) {
    byte[] bytes = message.payload().getBytes(StandardCharsets.UTF_8);
    if (bytes.length <= inlineBytes) {
      queue.send(event, groupId, message);
      return;
    }
    ClaimCheck check = claimChecks.store(ClaimChecks.TO_EHR, event.tenant(), message.controlId(), ".hl7", bytes);
    LOG.log(Level.INFO, "stored {0} controlId={1} eventId={2} ({3} bytes) for a claim check key={4}",
        message.messageType(), message.controlId(), event.eventId(), bytes.length, check.key());
    queue.send(event, groupId, new OutboundMessage(message.controlId(), message.messageType(), check.toJson()));
  }
}
