package io.telebridge.mllp.listener;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.telebridge.hl7v2.Hl7Context;
import io.telebridge.mllp.hl7.Ack;
import io.telebridge.mllp.hl7.AckCode;
import io.telebridge.mllp.hl7.AckReader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class AcceptInboundFrameTest {

  static final String ORU = "MSH|^~\\&|LAB|GENHOSP|TELEBRIDGE|TB|20261125120000||ORU^R01^ORU_R01|LAB-0001|P|2.5.1\n"
      + "PID|1||MRN-7731^^^GENHOSP^MR~X99^^^OTHER^PI||Testpatient^Alex||19800101|F\n"
      + "OBR|1||ORD-1|2345-7^Glucose^LN|||20261125110000\n"
      + "OBX|1|NM|2345-7^Glucose^LN||5.4|mmol/L|3.9-5.5|N|||F\n";

  private final InMemoryInboundStore store = new InMemoryInboundStore();
  private final Instant now = Instant.parse("2026-11-25T17:00:00Z");
  private final AcceptInboundFrame accept = new AcceptInboundFrame(store, Hl7Context.parser(), StandardCharsets.UTF_8,
      Clock.fixed(now, ZoneOffset.UTC), () -> "ACK-1");

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static Ack read(AcceptInboundFrame.Outcome o) throws Exception {
    AcceptInboundFrame.Reply r = assertInstanceOf(AcceptInboundFrame.Reply.class, o);
    return new AckReader().read(new String(r.ack(), StandardCharsets.UTF_8));
  }

  @Test
  void queuesAWellFormedOruWithTheContractsGroupDedupAndAttributesThenAnswersAa() throws Exception {
    Ack ack = read(accept.accept(bytes(ORU)));
    assertEquals(AckCode.AA, ack.code());
    assertEquals("LAB-0001", ack.controlId());
    assertEquals(1, store.queued.size());
    FromEhrMessage m = store.queued.get(0);
    assertEquals(AcceptInboundFrame.groupId("MRN-7731", "GENHOSP"), m.groupId());
    assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes("GENHOSP|LAB-0001"))),
        m.deduplicationId());
    assertEquals("GENHOSP", m.sendingFacility());
    assertEquals("LAB-0001", m.controlId());
    assertEquals("ORU^R01", m.messageType());
    assertEquals(now, m.receivedAt());
    assertEquals(ORU.replace('\n', '\r'), m.body(), "LF segment ends become CR");
    assertFalse(m.toString().contains("Testpatient"), "no PHI in toString");
  }

  @Test
  void aMessageWithoutPidIsGroupedByFacility() throws Exception {
    String msg = "MSH|^~\\&|LAB|GENHOSP|TB|TB|20261125||ORU^R01|L2|P|2.5.1\rOBR|1||O1|1^X\r";
    assertEquals(AckCode.AA, read(accept.accept(bytes(msg))).code());
    assertEquals("facility:GENHOSP", store.queued.get(0).groupId());
  }

  @Test
  void queueFailureMeansNoAckAndClose() {
    store.queueDown = true;
    AcceptInboundFrame.Close c = assertInstanceOf(AcceptInboundFrame.Close.class, accept.accept(bytes(ORU)));
    assertEquals("LAB-0001", c.controlId());
    assertTrue(store.queued.isEmpty());
    assertTrue(store.quarantined.isEmpty());
  }

  @Test
  void aMessageTheQueueRefusesOutrightIsAnsweredArAndQuarantinedInsteadOfResentForever() throws Exception {
    store.queueRefusesContent = true;
    Ack ack = read(accept.accept(bytes(ORU)));
    assertEquals(AckCode.AR, ack.code());
    assertEquals("207", ack.errorCode());
    assertEquals("refused-by-queue", store.quarantined.get(0).reason());
    assertTrue(store.queued.isEmpty());
  }

  @Test
  void aFrameWithoutMshIsRefusedWithErrAndQuarantinedWithItsReason() throws Exception {
    Ack ack = read(accept.accept(bytes("PID|1||MRN-1\rOBX|1|NM|x\r")));
    assertEquals(AckCode.AR, ack.code());
    assertEquals("100", ack.errorCode());
    assertEquals("E", ack.severity());
    assertEquals(1, store.quarantined.size());
    assertEquals("no-msh", store.quarantined.get(0).reason());
    assertEquals("PID|1||MRN-1\rOBX|1|NM|x\r", store.quarantined.get(0).body());
    assertTrue(store.queued.isEmpty());
  }

  @Test
  void missingMsh10OrMsh9AreRefusedAs101AtTheirField() throws Exception {
    Ack noId = read(accept.accept(bytes("MSH|^~\\&|LAB|GEN|TB|TB|2026||ORU^R01||P|2.5.1\rPID|1||M\r")));
    assertEquals(AckCode.AR, noId.code());
    assertEquals("101", noId.errorCode());
    assertEquals("MSH^1^10", noId.errorLocation());
    Ack noType = read(accept.accept(bytes("MSH|^~\\&|LAB|GEN|TB|TB|2026|||C2|P|2.5.1\rPID|1||M\r")));
    assertEquals("101", noType.errorCode());
    assertEquals("MSH^1^9", noType.errorLocation());
    assertEquals("C2", noType.controlId());
    assertEquals("missing-msh-10", store.quarantined.get(0).reason());
    assertEquals("missing-msh-9", store.quarantined.get(1).reason());
    assertEquals("C2", store.quarantined.get(1).controlId());
  }

  @Test
  void anUnparseableMessageIsRefusedWithoutQuotingItsContent() throws Exception {
    // an unknown version: the project's HapiContext refuses it (203)
    String msg = "MSH|^~\\&|LAB|GEN|TB|TB|2026||ORU^R01|C3|P|9.9\rPID|1||M||Secretname^Pat\r";
    AcceptInboundFrame.Reply r = assertInstanceOf(AcceptInboundFrame.Reply.class, accept.accept(bytes(msg)));
    String ackText = new String(r.ack(), StandardCharsets.UTF_8);
    Ack ack = new AckReader().read(ackText);
    assertEquals(AckCode.AR, ack.code());
    assertEquals("C3", ack.controlId());
    assertTrue(ackText.contains("|9.9"), "the ACK carries the sender's version");
    assertFalse(ackText.contains("Secretname"));
    assertEquals("unparseable", store.quarantined.get(0).reason());
  }

  @Test
  void quarantineFailureMeansNoAckAndClose() {
    store.quarantineDown = true;
    assertInstanceOf(AcceptInboundFrame.Close.class, accept.accept(bytes("garbage")));
  }

  @Test
  void anOversizeHeadIsQuarantinedTruncatedAndAnsweredAr() throws Exception {
    Ack ack = read(accept.oversize(bytes("MSH|^~\\&|LAB|GEN|TB|TB|2026||ORU^R01|BIG1|P|2.5.1\rOBX|1|ED|"), 5_000_000, 1024));
    assertEquals(AckCode.AR, ack.code());
    assertEquals("BIG1", ack.controlId());
    QuarantinedFrame q = store.quarantined.get(0);
    assertEquals("frame-too-large", q.reason());
    assertTrue(q.truncated());
    assertEquals(5_000_000, q.frameBytes());
  }

  @Test
  void msh15AlGetsCommitLevelAcks() throws Exception {
    String msg = ORU.replace("|P|2.5.1\n", "|P|2.5.1|||AL|NE\n");
    assertEquals(AckCode.CA, read(accept.accept(bytes(msg))).code());
  }

  @Test
  void groupIdsAreMadeSafeForSqs() {
    assertEquals("facility:A_B", AcceptInboundFrame.groupId("", "A B"));
    String longFacility = "x".repeat(300);
    String g = AcceptInboundFrame.groupId("", longFacility);
    assertEquals(128, g.length());
    assertEquals(g, AcceptInboundFrame.groupId("", longFacility));
    assertTrue(AcceptInboundFrame.groupId("x".repeat(300), "F").length() <= 128);
  }

  @Test
  void theGroupIdIsAnOpaqueHashOfTheMrnScopedByTheEhrConnectionNeverTheMrnItself() {
    String g = AcceptInboundFrame.groupId("MRN-7731", "GENHOSP");
    assertFalse(g.contains("7731"), "the MRN does not appear in the group id");
    assertEquals(g, AcceptInboundFrame.groupId("MRN-7731", "GENHOSP"), "one group per patient: order holds");
    assertNotEquals(g, AcceptInboundFrame.groupId("MRN-7731", "NORTH_HOSP"),
        "the same MRN value from another tenant's EHR connection is another group");
  }

  @Test
  void msh18SelectsTheDecoding() throws Exception {
    String msg = "MSH|^~\\&|LAB|GEN|TB|TB|2026||ADT^A08|C9|P|2.5.1||||||8859/1\rPID|1||M9||Müller^Jörg\r";
    assertEquals(AckCode.AA, read(accept.accept(msg.getBytes(StandardCharsets.ISO_8859_1))).code());
    assertTrue(store.queued.get(0).body().contains("Müller^Jörg"));
  }
}
