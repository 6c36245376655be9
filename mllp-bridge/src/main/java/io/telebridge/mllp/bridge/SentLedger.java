package io.telebridge.mllp.bridge;

/**
 * Which HL7 messages the EHR already accepted (AA / CA), by tenant and MSH-10: the bridge's last guard
 * against sending the same message twice when it comes back onto the to-EHR queue after SQS FIFO's
 * 5-minute deduplication window (a translator batch redelivered behind a backlog). A port:
 * {@link io.telebridge.mllp.DynamoDbSentLedger} on DynamoDB.
 *
 * <p>Failures are unchecked; the bridge fails open on any of them (the message is sent as without a ledger).
 */
public interface SentLedger {

  /** No ledger: nothing is ever found, nothing recorded (tests, benches, a bridge without SENT_LEDGER_TABLE). */
  SentLedger NONE = new SentLedger() {
    @Override
    public boolean accepted(String tenant, String controlId) {
      return false;
    }

    @Override
    public void recordAccepted(String tenant, String controlId) { }
  };

  /** The EHR accepted this tenant's message with this MSH-10 before (a strongly consistent read). */
  boolean accepted(String tenant, String controlId);

  /** The EHR accepted it now: remember it (idempotent). */
  void recordAccepted(String tenant, String controlId);
}
