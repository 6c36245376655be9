package io.telebridge.mllp;

import io.telebridge.aws.AwsClients;
import io.telebridge.aws.AwsSettings;
import io.telebridge.aws.JournalSettings;
import io.telebridge.core.fromehr.Metrics;
import io.telebridge.core.journal.BackgroundJournal;
import io.telebridge.core.journal.GuardedJournal;
import io.telebridge.core.journal.Journal;
import io.telebridge.core.journal.JournalEntry;
import io.telebridge.core.journal.Stage;
import io.telebridge.core.log.EmfMetrics;
import io.telebridge.hl7v2.TenantDirectory;
import io.telebridge.mllp.bridge.QueuedMessage;
import io.telebridge.mllp.listener.AcceptInboundFrame;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The bridge's journal steps, after each commit point: the sender's (sent with the EHR's ACK code,
 * NACKed and waiting for a resend at T, dead-lettered) and the listener's (received with the verdict
 * ACKed back). Guarded: a journal outage never holds a message. The sender reads the tenant from the
 * message's {@code tenant} attribute; the listener from the tenant directory (TENANTS / TENANT) that
 * owns the sending facility. Messages of no known tenant are not journaled.
 */
public final class BridgeJournal {

  /** Journals nothing, counts nothing (tests, benches). */
  public static final BridgeJournal NONE = new BridgeJournal(Journal.NONE, facility -> Optional.empty(),
      new Metrics() {
        @Override
        public void count(String metric, long value, Map<String, String> properties) { }
      }, Clock.systemUTC());

  /** The sender's journal status of a copy it did not send because the EHR had accepted it before. */
  public static final String SUPPRESSED_DUPLICATE = "suppressed-duplicate";

  private final Journal journal;
  private final java.util.function.Function<String, Optional<String>> tenantOfFacility;
  private final Metrics metrics;
  private final Clock clock;

  public BridgeJournal(Journal journal, java.util.function.Function<String, Optional<String>> tenantOfFacility,
      Metrics metrics, Clock clock) {
    this.journal = journal;
    this.tenantOfFacility = tenantOfFacility;
    this.metrics = metrics;
    this.clock = clock;
  }

  /** JOURNAL_TABLE, JOURNAL_RETENTION_DAYS, TENANTS / TENANT and EHR_PROFILE from the task's environment. */
  public static BridgeJournal fromEnvironment(Map<String, String> env, AwsSettings aws) {
    JournalSettings settings = JournalSettings.fromEnvironment(env);
    EmfMetrics metrics = EmfMetrics.stdout("mllp-bridge");
    GuardedJournal guarded = settings.table() == null ? new GuardedJournal(Journal.NONE, metrics)
        : settings.journal(AwsClients.shared(aws).dynamoDb(), "mllp-bridge");
    // off the send loop: the sender's next message and the listener's next frame never wait for a journal write
    BackgroundJournal journal = new BackgroundJournal(guarded, 10_000);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> journal.close(java.time.Duration.ofSeconds(3)),
        "journal-drain"));
    TenantDirectory tenants;
    try {
      tenants = TenantDirectory.parse(env.get("TENANTS"), env.getOrDefault("TENANT", "default"),
          env.getOrDefault("EHR_PROFILE", "generic-epic-like"));
    } catch (RuntimeException e) {
      tenants = null; // the listener's steps are then not journaled; the sender's still are
    }
    TenantDirectory directory = tenants;
    return new BridgeJournal(journal,
        facility -> directory == null ? Optional.empty() : directory.ofFacility(facility).map(TenantDirectory.Tenant::id),
        metrics, Clock.systemUTC());
  }

  /**
   * The sender settled one message.
   *
   * @param ackCode the EHR's MSA-1, or null (not sendable / no ACK)
   * @param waitsAt null (done), {@code retry-at:<T>} or {@code dlq:to-ehr}
   */
  public void sent(QueuedMessage m, String controlId, String messageType, String ackCode, String errorClass,
      String errorCode, int attempt, String waitsAt) {
    String tenant = m.attribute("tenant");
    String id = controlId == null || controlId.isEmpty() ? m.attribute("controlId") : controlId;
    if (tenant.isEmpty() || id.isEmpty()) {
      return;
    }
    Instant now = clock.instant();
    String eventId = m.attribute("eventId");
    journal.record(JournalEntry.hl7(tenant, id, Stage.MLLP_SENDER, ackCode == null ? "not-sent" : ackCode, now)
        .type(messageType).attempt(Math.max(attempt, m.receiveCount())).error(errorClass, errorCode).waitsAt(waitsAt)
        .links(eventId.isEmpty() ? java.util.List.of() : java.util.List.of(JournalEntry.EVENT + eventId)));
    if (ackCode != null && ackCode.endsWith("A") && !m.attribute("occurredAt").isEmpty()) {
      try {
        GuardedJournal.JournalMetrics.endToEnd(metrics, tenant, Instant.parse(m.attribute("occurredAt")), now);
      } catch (RuntimeException e) {
        // no latency for a message without a readable event time; metrics never fail a message
      }
    }
  }

  /**
   * The sender deleted m unsent: the EHR had accepted this tenant's MSH-10 before (sent ledger), so this copy
   * (queued again after SQS's deduplication window) would have doubled it.
   */
  public void suppressed(QueuedMessage m, String controlId, String messageType) {
    String tenant = m.attribute("tenant");
    if (tenant.isEmpty() || controlId == null || controlId.isEmpty()) {
      return;
    }
    String eventId = m.attribute("eventId");
    journal.record(JournalEntry.hl7(tenant, controlId, Stage.MLLP_SENDER, SUPPRESSED_DUPLICATE, clock.instant())
        .type(messageType).attempt(m.receiveCount())
        .links(eventId.isEmpty() ? java.util.List.of() : java.util.List.of(JournalEntry.EVENT + eventId)));
  }

  /** The listener answered a frame (after the message was stored, or quarantined). */
  public void received(AcceptInboundFrame.Reply r) {
    if (r.controlId() == null || r.controlId().isEmpty()) {
      return;
    }
    tenantOfFacility.apply(r.sendingFacility()).ifPresent(tenant -> journal.record(
        JournalEntry.hl7(tenant, r.controlId(), Stage.MLLP_LISTENER, r.code().name(), clock.instant())
            .type(r.messageType()).error(r.code().accepted() ? null : r.reason(), null)
            .waitsAt(r.code().accepted() ? "queue:from-ehr" : "quarantine")));
  }
}
