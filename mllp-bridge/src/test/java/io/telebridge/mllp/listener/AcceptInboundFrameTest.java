package io.telebridge.mllp.listener;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.telebridge.hl7v2.FromEhrReader;
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
  private final FromEhrReader reader = new FromEhrReader("TELEHEALTH", ZoneOffset.UTC);
  private final AcceptInboundFrame accept = new AcceptInboundFrame(store, reader, StandardCharsets.UTF_8,
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
  void aMessageWithoutPidIsRefusedAtTheDoorBecauseTheTranslatorCouldNotRouteIt() throws Exception {
    String msg = "MSH|^~\\&|LAB|GENHOSP|TB|TB|20261125||ORU^R01|L2|P|2.5.1\rOBR|1||O1|1^X\r";
    Ack ack = read(accept.accept(bytes(msg)));
    assertEquals(AckCode.AR, ack.code());
    assertEquals("100", ack.errorCode());
    assertEquals("untranslatable", store.quarantined.get(0).reason());
    assertTrue(store.queued.isEmpty());
    assertEquals("facility:GENHOSP", AcceptInboundFrame.groupId("", "GENHOSP"), "the group id's fallback");
  }

  @Test
  void anOruWithoutObrGetsArWithErrAndAQuarantineCopyNotAaThenTheDlq() throws Exception {
    String msg = "MSH|^~\\&|LAB|GENHOSP|TB|TB|20261125||ORU^R01|L3|P|2.5.1\rPID|1||MRN-1^^^GENHOSP^MR||Secretname^Pat\r"
        + "OBX|1|NM|2345-7^Glucose^LN||5.4|||||F\r";
    AcceptInboundFrame.Reply r = assertInstanceOf(AcceptInboundFrame.Reply.class, accept.accept(bytes(msg)));
    String ackText = new String(r.ack(), StandardCharsets.UTF_8);
    Ack ack = new AckReader().read(ackText);
    assertEquals(AckCode.AR, ack.code());
    assertEquals("L3", ack.controlId());
    assertEquals("100", ack.errorCode());
    assertTrue(ack.errorLocation().startsWith("OBR"), ack.errorLocation());
    assertTrue(ackText.contains("OBX before any OBR"), ackText);
    assertFalse(ackText.contains("Secretname"));
    assertEquals("untranslatable", store.quarantined.get(0).reason());
    assertEquals(msg, store.quarantined.get(0).body());
    assertTrue(store.queued.isEmpty());
  }

  @Test
  void aMessageTypeTheReturnPathDoesNotCarryGetsAr200() throws Exception {
    String msg = "MSH|^~\\&|EHR|GEN|TB|TB|20261125||MDM^T02|D1|P|2.5.1\rPID|1||MRN-1^^^GEN^MR\r";
    Ack ack = read(accept.accept(bytes(msg)));
    assertEquals(AckCode.AR, ack.code());
    assertEquals("200", ack.errorCode());
    assertEquals("unsupported-message-type", store.quarantined.get(0).reason());
  }

  @Test
  void valuesValidationWouldRefuseAreAcceptedBecauseTheTranslatorReadsThem() throws Exception {
    String msg = ORU.replace("||5.4|mmol/L", "||<0.010|mmol/L") + "OBX|2|SN|1988-5^CRP^LN||>^500|mg/L|||||F\nZLR|1|X\n";
    assertEquals(AckCode.AA, read(accept.accept(bytes(msg))).code());
    assertEquals(1, store.queued.size());
  }

  @Test
  void bytesTheDeclaredCharsetCannotDecodeGetArAndTheExactBytesAreQuarantined() throws Exception {
    String msg = "MSH|^~\\&|LAB|GEN|TB|TB|2026||ADT^A08|C10|P|2.5.1||||||UNICODE UTF-8\rPID|1||M9||Muñoz^José\r";
    byte[] latin1 = msg.getBytes(StandardCharsets.ISO_8859_1);
    AcceptInboundFrame.Reply r = assertInstanceOf(AcceptInboundFrame.Reply.class, accept.accept(latin1));
    String ackText = new String(r.ack(), StandardCharsets.UTF_8);
    Ack ack = new AckReader().read(ackText);
    assertEquals(AckCode.AR, ack.code());
    assertEquals("C10", ack.controlId());
    assertEquals("102", ack.errorCode());
    assertTrue(ackText.contains("not valid UTF-8"), ackText);
    QuarantinedFrame q = store.quarantined.get(0);
    assertEquals("undecodable", q.reason());
    assertTrue(q.bytesBase64());
    assertArrayEquals(latin1, java.util.Base64.getDecoder().decode(q.body()));
    assertTrue(store.queued.isEmpty());
  }

  @Test
  void anUnknownMsh18GetsAr103AtMsh18() throws Exception {
    String msg = "MSH|^~\\&|LAB|GEN|TB|TB|2026||ADT^A08|C11|P|2.5.1||||||KLINGON-8\rPID|1||M9||X\r";
    Ack ack = read(accept.accept(bytes(msg)));
    assertEquals(AckCode.AR, ack.code());
    assertEquals("103", ack.errorCode());
    assertEquals("MSH^1^18", ack.errorLocation());
    assertEquals("unknown-charset", store.quarantined.get(0).reason());
  }

  @Test
  void msh18AbsentDecodesWithTheEhrProfilesCharset() throws Exception {
    AcceptInboundFrame latin1Profile = new AcceptInboundFrame(store, reader, StandardCharsets.ISO_8859_1,
        Clock.fixed(now, ZoneOffset.UTC), () -> "ACK-2");
    String msg = "MSH|^~\\&|LAB|GEN|TB|TB|2026||ADT^A08|C12|P|2.4\rEVN|A08\rPID|1||M9^^^EPI^MR||Muñoz^José\r";
    assertEquals(AckCode.AA, read(latin1Profile.accept(msg.getBytes(StandardCharsets.ISO_8859_1))).code());
    assertTrue(store.queued.get(0).body().contains("Muñoz^José"));
    assertEquals(AckCode.AR, read(accept.accept(msg.replace("C12", "C13").getBytes(StandardCharsets.ISO_8859_1))).code(),
        "a UTF-8 profile refuses the same Latin-1 bytes rather than store U+FFFD");
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
  void anUnsupportedVersionIsRefusedWithoutQuotingItsContent() throws Exception {
    // not an HL7 v2 version: the reader refuses it (203)
    String msg = "MSH|^~\\&|LAB|GEN|TB|TB|2026||ORU^R01|C3|P|9.9\rPID|1||M||Secretname^Pat\r";
    AcceptInboundFrame.Reply r = assertInstanceOf(AcceptInboundFrame.Reply.class, accept.accept(bytes(msg)));
    String ackText = new String(r.ack(), StandardCharsets.UTF_8);
    Ack ack = new AckReader().read(ackText);
    assertEquals(AckCode.AR, ack.code());
    assertEquals("C3", ack.controlId());
    assertTrue(ackText.contains("|9.9"), "the ACK carries the sender's version");
    assertFalse(ackText.contains("Secretname"));
    assertEquals("203", ack.errorCode());
    assertEquals("unsupported-version", store.quarantined.get(0).reason());
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
