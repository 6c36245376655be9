package io.telebridge.core.claimcheck;

import io.telebridge.core.model.EventType;
import io.telebridge.core.model.PlatformEvent;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.telebridge.core.toehr.EhrOutbox;
import io.telebridge.core.toehr.OutboundMessage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClaimChecksTest {

  private final InMemoryPayloadStore store = new InMemoryPayloadStore();
  private final ClaimChecks claimChecks = new ClaimChecks(store);

  @Test
  void aClaimCheckTravelsAsSmallJsonAndReadsBackTheSame() {
    ClaimCheck check = ClaimCheck.of("telebridge-dev-payloadbucket", "intake/acme/abc.json", "hello".getBytes(StandardCharsets.UTF_8));
    String json = check.toJson();
    assertEquals(Optional.of(check), ClaimCheck.in(json));
    assertTrue(json.length() < 300, json);
  }

  @Test
  void anOrdinaryEventOrHl7BodyIsNotAClaimCheck() {
    assertEquals(Optional.empty(), ClaimCheck.in("{\"id\":\"evt-1\",\"type\":\"visit.note_signed\"}"));
    assertEquals(Optional.empty(), ClaimCheck.in("MSH|^~\\&|TELEBRIDGE|..."));
    assertEquals(Optional.empty(), ClaimCheck.in("{\"note\":\"the word \\\"claimCheck\\\" in a note\"}"));
    assertEquals("MSH|^~\\&|X", claimChecks.redeem("MSH|^~\\&|X"), "a body that is no claim check is itself");
  }

  @Test
  void aClaimCheckWithAKeyOutsideItsCharactersIsRefused() {
    String bad = "{\"claimCheck\":{\"bucket\":\"b-1\",\"key\":\"../etc/passwd\",\"sha256\":\"" + "0".repeat(64)
        + "\",\"size\":1}}";
    assertThrows(ClaimCheckException.class, () -> ClaimCheck.in(bad));
  }

  @Test
  void keysArePerTenantDeterministicAndCarryNoIdInClear() {
    String key = ClaimChecks.key(ClaimChecks.INTAKE, "acme", "evt-note-1", ".json");
    assertTrue(key.startsWith("intake/acme/"), key);
    assertFalse(key.contains("evt-note-1"), key);
    assertEquals(key, ClaimChecks.key(ClaimChecks.INTAKE, "acme", "evt-note-1", ".json"), "a replay writes the same object");
    assertFalse(key.equals(ClaimChecks.key(ClaimChecks.INTAKE, "north", "evt-note-1", ".json")), "another tenant, another key");
  }

  @Test
  void aStoredPayloadIsRedeemedVerified() {
    byte[] payload = "{\"id\":\"evt-1\"}".getBytes(StandardCharsets.UTF_8);
    ClaimCheck check = claimChecks.store(ClaimChecks.INTAKE, "acme", "evt-1", ".json", payload);
    assertEquals("{\"id\":\"evt-1\"}", claimChecks.redeem(check.toJson()));
  }

  @Test
  void anObjectReplacedByOtherBytesIsRefusedNotDelivered() {
    ClaimCheck check = claimChecks.store(ClaimChecks.INTAKE, "acme", "evt-1", ".json", "original".getBytes(StandardCharsets.UTF_8));
    store.objects.put(check.key(), "tampered".getBytes(StandardCharsets.UTF_8)); // same length, other bytes
    ClaimCheckException e = assertThrows(ClaimCheckException.class, () -> claimChecks.redeem(check.toJson()));
    assertTrue(e.getMessage().contains("SHA-256 differs"), e.getMessage());
    store.objects.put(check.key(), "short".getBytes(StandardCharsets.UTF_8));
    assertTrue(assertThrows(ClaimCheckException.class, () -> claimChecks.redeem(check.toJson())).getMessage()
        .contains("has 5 bytes, the claim check says 8"));
  }

  @Test
  void aClaimCheckWhoseObjectIsGoneIsRefused() {
    ClaimCheck check = ClaimCheck.of(InMemoryPayloadStore.BUCKET, "intake/acme/gone.json", new byte[3]);
    assertThrows(ClaimCheckException.class, () -> claimChecks.redeem(check.toJson()));
  }

  /** Records what reached the queue. */
  static final class RecordingOutbox implements EhrOutbox {
    final List<OutboundMessage> sent = new ArrayList<>();

    @Override
    public void send(String groupId, String eventId, OutboundMessage message) {
      sent.add(message);
    }
  }

  private static PlatformEvent event(String id) {
    return new PlatformEvent(id, EventType.VISIT_NOTE_SIGNED, Instant.EPOCH, "acme", null, null, null, null, null, null);
  }

  @Test
  void theOutboxSendsSmallMessagesInlineAndLargeOnesAsClaimChecksWithTheSameControlId() {
    RecordingOutbox queue = new RecordingOutbox();
    ClaimCheckedOutbox outbox = new ClaimCheckedOutbox(queue, claimChecks, 100);
    OutboundMessage small = new OutboundMessage("C1", "ADT^A04", "MSH|small");
    OutboundMessage large = new OutboundMessage("C2", "MDM^T02", "MSH|" + "x".repeat(200));
    outbox.send(event("evt-1"), "acme:pat-1", small);
    outbox.send(event("evt-2"), "acme:pat-1", large);

    assertEquals(small, queue.sent.get(0));
    OutboundMessage checked = queue.sent.get(1);
    assertEquals("C2", checked.controlId(), "deduplication by MSH-10 holds");
    assertEquals("MDM^T02", checked.messageType());
    ClaimCheck check = ClaimCheck.in(checked.payload()).orElseThrow();
    assertTrue(check.key().startsWith("to-ehr/acme/"), check.key());
    assertArrayEquals(large.payload().getBytes(StandardCharsets.UTF_8), store.objects.get(check.key()));
    assertEquals(large.payload(), claimChecks.redeem(checked.payload()));
  }
}
