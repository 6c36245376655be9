package io.telebridge.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.telebridge.hl7v2.FromEhrReader;
import io.telebridge.local.LocalStack;
import io.telebridge.local.LocalStackOptions;
import io.telebridge.mllp.tls.TlsConfig;
import io.telebridge.mllp.tls.TlsContexts;
import io.telebridge.mllp.hl7.Ack;
import io.telebridge.mllp.hl7.AckCode;
import io.telebridge.mllp.hl7.AckReader;
import io.telebridge.mllp.listener.AcceptInboundFrame;
import io.telebridge.mllp.listener.ClientAllowList;
import io.telebridge.mllp.listener.ListenerConfig;
import io.telebridge.mllp.listener.MllpListener;
import io.telebridge.mllp.listener.SqsInboundStore;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Issue 5, item 1: the EHR sends to the bridge's MLLP listener over real TCP (the listener in the
 * local stack's bridge, configured from the template; or one started here on the stack's ElasticMQ
 * for the outage, allow-list and TLS cases). AA comes only once the message is on the from-EHR FIFO
 * queue; a failed write means no ACK and a closed connection; malformed and oversize frames get AR
 * with ERR and a quarantined copy.
 */
class MllpListenerIT {

  private static final int MAX_FRAME = 4096;
  private static final int FRAME_TIMEOUT_SECONDS = 2;
  private static final AtomicLong IDS = new AtomicLong();
  private static LocalStack stack;
  private static String oruTemplate;
  private static final AckReader ACKS = new AckReader();
  private static final FromEhrReader READER = new FromEhrReader("TELEHEALTH", java.time.ZoneOffset.UTC);
  @TempDir
  static Path certDir;
  private static TestTls certs;

  /** keytool takes seconds per store on a busy machine: one set of stores for the class. */
  private static synchronized TestTls certs() throws IOException, InterruptedException {
    if (certs == null) {
      certs = TestTls.create(certDir);
    }
    return certs;
  }

  @BeforeAll
  static void start() throws IOException {
    stack = LocalStack.start(LocalStackOptions.forTests(Signed.REPO.resolve("template.yaml"))
        .runBridge(true)
        .disableEventSources("FromEhrTranslatorFunction") // this test reads the from-EHR queue itself
        .bridgeEnvironment("MLLP_MAX_FRAME_BYTES", Integer.toString(MAX_FRAME))
        .bridgeEnvironment("MLLP_FRAME_TIMEOUT_SECONDS", Integer.toString(FRAME_TIMEOUT_SECONDS)));
    oruTemplate = Files.readString(Signed.REPO.resolve("tests/fixtures/mllp/oru-r01.hl7"));
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  /** The fixture ORU with its own MSH-10 and MRN, CR segment ends. */
  private static String oru(String controlId, String mrn) {
    return oruTemplate.replace("LAB20261125-0001", controlId).replace("MRN100234", mrn).replace('\n', '\r');
  }

  private static String controlId(String prefix) {
    return prefix + "-" + IDS.incrementAndGet();
  }

  private static Ack ack(String text) throws Exception {
    assertNotNull(text, "an ACK");
    return ACKS.read(text);
  }

  /** Every message now on the queue (received with all attributes, then deleted). */
  private static List<Message> drain(String queueUrl) {
    List<Message> out = new ArrayList<>();
    while (true) {
      List<Message> batch = stack.sqs().receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(0)
          .messageSystemAttributeNames(MessageSystemAttributeName.ALL).messageAttributeNames("All")).messages();
      if (batch.isEmpty()) {
        return out;
      }
      for (Message m : batch) {
        stack.sqs().deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
      }
      out.addAll(batch);
    }
  }

  private static List<Message> withControlId(List<Message> messages, String controlId) {
    return messages.stream().filter(m -> m.messageAttributes().containsKey("controlId")
        && m.messageAttributes().get("controlId").stringValue().equals(controlId)).toList();
  }

  private static String sha256(String s) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
  }

  private static MllpListener listener(String fromEhrUrl, ClientAllowList allowed, TlsConfig tls) throws IOException {
    ListenerConfig config = new ListenerConfig(true, "127.0.0.1", 0, fromEhrUrl, stack.queueUrl("QuarantineQueue"), tls,
        allowed, MAX_FRAME, Duration.ofSeconds(30), 8, StandardCharsets.UTF_8, "TELEHEALTH", java.time.ZoneOffset.UTC);
    AcceptInboundFrame accept = new AcceptInboundFrame(new SqsInboundStore(stack.sqs(), fromEhrUrl,
        stack.queueUrl("QuarantineQueue")), READER, StandardCharsets.UTF_8, Clock.systemUTC(),
        () -> "IT" + IDS.incrementAndGet());
    return new MllpListener(config, accept).start();
  }

  // ------------------------------------------------------------------ the stack's listener

  @Test
  void anOruOverMllpIsAcknowledgedAaOnlyOnceItIsOnTheFromEhrQueueWithTheContractsGroupDedupAndAttributes()
      throws Exception {
    String id = controlId("ORU");
    String message = oru(id, "MRN-IT-1");
    Instant before = Instant.now();
    String answer;
    try (MllpTestClient ehr = MllpTestClient.connect(stack.mllpListenerPort())) {
      answer = ehr.exchange(message);
    }
    Ack ack = ack(answer);
    assertEquals(AckCode.AA, ack.code());
    assertEquals(id, ack.controlId());
    assertTrue(answer.startsWith("MSH|^~\\&|TELEBRIDGE|TELEHEALTH|LABSYS|GENHOSP|"), "sender and receiver swapped");
    // no wait: the AA promised the message is already there
    List<Message> queued = withControlId(drain(stack.queueUrl("FromEhrQueue")), id);
    assertEquals(1, queued.size());
    Message m = queued.get(0);
    assertEquals(message, m.body(), "the text as received, CR segment ends");
    assertEquals("mrn#" + io.telebridge.core.model.TenantKeys.sha256("GENHOSP", "MRN-IT-1").substring(0, 40),
        m.attributesAsStrings().get("MessageGroupId"), "an opaque hash of the EHR connection and the MRN, not the MRN");
    assertEquals(sha256("GENHOSP|" + id), m.attributesAsStrings().get("MessageDeduplicationId"));
    Map<String, software.amazon.awssdk.services.sqs.model.MessageAttributeValue> a = m.messageAttributes();
    assertEquals("GENHOSP", a.get("sendingFacility").stringValue());
    assertEquals("ORU^R01", a.get("messageType").stringValue());
    Instant receivedAt = Instant.parse(a.get("receivedAt").stringValue());
    assertFalse(receivedAt.isBefore(before.minusSeconds(1)));
  }

  @Test
  void theDocumentedFixtureFileWithLfEndingsIsAcceptedThroughTheCliOneLiner() throws Exception {
    var out = new java.io.ByteArrayOutputStream();
    var err = new java.io.ByteArrayOutputStream();
    int rc = io.telebridge.local.Cli.run(new String[] {"mllp-send", Signed.REPO.resolve(
        "tests/fixtures/mllp/oru-r01.hl7").toString(), "--port", Integer.toString(stack.mllpListenerPort())},
        new java.io.PrintStream(out, true, StandardCharsets.UTF_8), new java.io.PrintStream(err, true, StandardCharsets.UTF_8));
    String printed = out.toString(StandardCharsets.UTF_8);
    assertEquals(0, rc, printed + err);
    assertTrue(printed.contains("MSA|AA|LAB20261125-0001"), printed);
    List<Message> queued = withControlId(drain(stack.queueUrl("FromEhrQueue")), "LAB20261125-0001");
    assertEquals(1, queued.size());
    assertFalse(queued.get(0).body().contains("\n"), "LF became CR");
    String group = queued.get(0).attributesAsStrings().get("MessageGroupId");
    assertTrue(group.startsWith("mrn#") && !group.contains("100234"), "the group id is not the MRN: " + group);
  }

  @Test
  void aMalformedFrameGetsArWithErrAndAQuarantinedCopyWithTheReasonAndTheConnectionGoesOn() throws Exception {
    String garbage = "PID|1||MRN-IT-2^^^GENHOSP^MR||Sample^Jordan\rOBX|1|NM|2093-3||182\r";
    String id = controlId("AFTER-BAD");
    String answer;
    String next;
    try (MllpTestClient ehr = MllpTestClient.connect(stack.mllpListenerPort())) {
      answer = ehr.exchange(garbage);
      next = ehr.exchange(oru(id, "MRN-IT-2"));
    }
    Ack ack = ack(answer);
    assertEquals(AckCode.AR, ack.code());
    assertEquals("100", ack.errorCode());
    assertEquals("E", ack.severity());
    assertTrue(answer.contains("\rERR|"), answer);
    assertFalse(answer.contains("Sample"), "no message content in the ACK");
    List<Message> quarantined = drain(stack.queueUrl("QuarantineQueue")).stream()
        .filter(m -> m.body().equals(garbage)).toList();
    assertEquals(1, quarantined.size());
    assertEquals("no-msh", quarantined.get(0).messageAttributes().get("reason").stringValue());
    assertNotNull(quarantined.get(0).messageAttributes().get("receivedAt"));
    assertEquals(AckCode.AA, ack(next).code(), "the same connection carries the next message");
    assertEquals(1, withControlId(drain(stack.queueUrl("FromEhrQueue")), id).size());
  }

  @Test
  void peekFindsTheQuarantineQueueByItsTemplateLogicalIdAndShowsTheReason() throws Exception {
    String garbage = "NOT HL7 " + IDS.incrementAndGet();
    try (MllpTestClient ehr = MllpTestClient.connect(stack.mllpListenerPort())) {
      assertEquals(AckCode.AR, ack(ehr.exchange(garbage)).code());
    }
    var out = new java.io.ByteArrayOutputStream();
    int rc = io.telebridge.local.Cli.run(new String[] {"peek", "QuarantineQueue", "--endpoint", stack.sqsEndpoint().toString()},
        new java.io.PrintStream(out, true, StandardCharsets.UTF_8), System.err);
    String printed = out.toString(StandardCharsets.UTF_8);
    assertEquals(0, rc, printed);
    assertTrue(printed.contains("mllp-quarantine"), printed);
    assertTrue(printed.contains("reason (String) = no-msh"), printed);
    assertTrue(printed.contains(garbage), printed);
    drain(stack.queueUrl("QuarantineQueue"));
  }

  @Test
  void aMessageWithoutMsh10GetsArAndIsQuarantinedNotQueued() throws Exception {
    String noId = oru("", "MRN-IT-3");
    String answer;
    try (MllpTestClient ehr = MllpTestClient.connect(stack.mllpListenerPort())) {
      answer = ehr.exchange(noId);
    }
    Ack ack = ack(answer);
    assertEquals(AckCode.AR, ack.code());
    assertEquals("101", ack.errorCode());
    assertEquals("MSH^1^10", ack.errorLocation());
    List<Message> quarantined = drain(stack.queueUrl("QuarantineQueue")).stream().filter(m -> m.body().equals(noId)).toList();
    assertEquals(1, quarantined.size());
    assertEquals("missing-msh-10", quarantined.get(0).messageAttributes().get("reason").stringValue());
    assertTrue(drain(stack.queueUrl("FromEhrQueue")).stream().noneMatch(m -> m.body().equals(noId)));
  }

  @Test
  void anOversizeFrameGetsArIsQuarantinedTruncatedAndTheConnectionResynchronises() throws Exception {
    String id = controlId("BIG");
    String big = oru(id, "MRN-IT-4") + "OBX|3|TX|1^Note||" + "x".repeat(3 * MAX_FRAME) + "|||||F\r";
    String after = controlId("AFTER-BIG");
    String answer;
    String next;
    try (MllpTestClient ehr = MllpTestClient.connect(stack.mllpListenerPort())) {
      answer = ehr.exchange(big);
      next = ehr.exchange(oru(after, "MRN-IT-4"));
    }
    Ack ack = ack(answer);
    assertEquals(AckCode.AR, ack.code());
    assertEquals(id, ack.controlId(), "MSA-2 from the head of the frame");
    assertEquals("207", ack.errorCode());
    List<Message> quarantined = drain(stack.queueUrl("QuarantineQueue")).stream()
        .filter(m -> "frame-too-large".equals(m.messageAttributes().get("reason").stringValue())).toList();
    assertEquals(1, quarantined.size());
    Message q = quarantined.get(0);
    assertEquals("true", q.messageAttributes().get("truncated").stringValue());
    assertEquals(Integer.toString(big.length()), q.messageAttributes().get("frameBytes").stringValue());
    assertEquals(big.substring(0, MAX_FRAME), q.body());
    assertEquals(AckCode.AA, ack(next).code(), "the connection survives an oversize frame");
    List<Message> queued = drain(stack.queueUrl("FromEhrQueue"));
    assertEquals(1, withControlId(queued, after).size());
    assertTrue(withControlId(queued, id).isEmpty());
  }

  @Test
  void readinessReportsTheBoundListener() throws Exception {
    int health = stack.mllpBridge().healthPort();
    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + health + "/health/ready"))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode(), r.body());
      assertTrue(r.body().contains("\"listener\":\"BOUND\""), r.body());
      assertTrue(r.body().contains("\"listenerPort\":" + stack.mllpListenerPort()), r.body());
    }
  }

  // ------------------------------------------------------------------ listeners started here

  @Test
  void withTheQueueUnavailableThereIsNoAckAndTheConnectionClosesThenTheResentMessageIsQueuedExactlyOnce()
      throws Exception {
    String name = "listener-outage-" + IDS.incrementAndGet() + ".fifo";
    Map<QueueAttributeName, String> fifo = Map.of(QueueAttributeName.FIFO_QUEUE, "true",
        QueueAttributeName.CONTENT_BASED_DEDUPLICATION, "false");
    String url = stack.sqs().createQueue(b -> b.queueName(name).attributes(fifo)).queueUrl();
    String id = controlId("OUTAGE");
    String message = oru(id, "MRN-IT-5");
    try (MllpListener listener = listener(url, ClientAllowList.any(), TlsConfig.off())) {
      stack.sqs().deleteQueue(b -> b.queueUrl(url)); // the queue is gone: SendMessage fails
      try (MllpTestClient ehr = MllpTestClient.connect(listener.port())) {
        assertNull(ehr.exchange(message), "no ACK: the listener closed the connection");
        assertThrows(IOException.class, () -> {
          String again = ehr.exchange(message);
          if (again == null) {
            throw new IOException("closed");
          }
        }, "the connection is closed");
      }
      assertEquals(1, listener.counters().notAcknowledged.get());

      stack.sqs().createQueue(b -> b.queueName(name).attributes(fifo)); // back
      try (MllpTestClient ehr = MllpTestClient.connect(listener.port())) {
        assertEquals(AckCode.AA, ack(ehr.exchange(message)).code(), "the resend is accepted");
        assertEquals(AckCode.AA, ack(ehr.exchange(message)).code(), "a duplicate resend too (ACK lost, say)");
      }
      List<Message> queued = drain(url);
      assertEquals(1, queued.size(), "on the queue exactly once");
      assertEquals(message, queued.get(0).body());
    } finally {
      stack.sqs().deleteQueue(b -> b.queueUrl(url));
    }
  }

  @Test
  void aMessageTheQueueCannotTakeIsAnsweredArAndQuarantinedNotLeftToLoop() throws Exception {
    // ISO-8859-1 on the wire, each 'é' two bytes in the UTF-8 queue body: ~2 MB, over SQS's 1 MiB
    String id = controlId("HUGE");
    String text = oru(id, "MRN-IT-8").replace("|P|2.5.1\r", "|P|2.5.1||||||8859/1\r")
        + "OBX|3|TX|1^Note||" + "é".repeat(1_000_000) + "|||||F\r";
    ListenerConfig config = new ListenerConfig(true, "127.0.0.1", 0, stack.queueUrl("FromEhrQueue"),
        stack.queueUrl("QuarantineQueue"), TlsConfig.off(), ClientAllowList.any(), ListenerConfig.MAX_FRAME_BYTES_LIMIT,
        Duration.ofSeconds(30), 8, StandardCharsets.UTF_8, "TELEHEALTH", java.time.ZoneOffset.UTC);
    AcceptInboundFrame accept = new AcceptInboundFrame(new SqsInboundStore(stack.sqs(), stack.queueUrl("FromEhrQueue"),
        stack.queueUrl("QuarantineQueue")), READER, StandardCharsets.UTF_8, Clock.systemUTC(), () -> "H");
    try (MllpListener listener = new MllpListener(config, accept).start();
        MllpTestClient ehr = MllpTestClient.connect(listener.port())) {
      Ack ack = ack(ehr.exchange(text.getBytes(StandardCharsets.ISO_8859_1)));
      assertEquals(AckCode.AR, ack.code());
      assertEquals(id, ack.controlId());
    }
    List<Message> quarantined = drain(stack.queueUrl("QuarantineQueue")).stream()
        .filter(m -> "refused-by-queue".equals(m.messageAttributes().get("reason").stringValue())).toList();
    assertEquals(1, quarantined.size());
    assertEquals("true", quarantined.get(0).messageAttributes().get("truncated").stringValue());
    assertTrue(withControlId(drain(stack.queueUrl("FromEhrQueue")), id).isEmpty());
  }

  @Test
  void aClientNotOnTheAllowListIsRefusedAndOneOnItIsServed() throws Exception {
    try (MllpListener refusing = listener(stack.queueUrl("FromEhrQueue"), ClientAllowList.parse("192.0.2.0/24"),
        TlsConfig.off())) {
      String id = controlId("REFUSED");
      String answer;
      try (MllpTestClient ehr = MllpTestClient.connect(refusing.port())) {
        answer = ehr.exchange(oru(id, "MRN-IT-6"));
      } catch (IOException e) {
        answer = null; // reset by the listener (during the connect or at the first read)
      }
      assertNull(answer);
      assertEquals(1, refusing.counters().refusedConnections.get());
      assertTrue(withControlId(drain(stack.queueUrl("FromEhrQueue")), id).isEmpty());
    }
    try (MllpListener allowing = listener(stack.queueUrl("FromEhrQueue"), ClientAllowList.parse("10.0.0.0/8, 127.0.0.0/8"),
        TlsConfig.off());
        MllpTestClient ehr = MllpTestClient.connect(allowing.port())) {
      assertEquals(AckCode.AA, ack(ehr.exchange(oru(controlId("ALLOWED"), "MRN-IT-6"))).code());
    }
    drain(stack.queueUrl("FromEhrQueue"));
  }

  @Test
  void mutualTlsServesAnEhrWithATrustedCertificateAndRefusesOthers() throws Exception {
    TestTls certs = certs();
    char[] pw = TestTls.PASSWORD.toCharArray();
    TlsConfig tls = new TlsConfig(true, Files.readAllBytes(certs.listenerKeystore), pw, certs.listenerKeystore.toString(),
        Files.readAllBytes(certs.listenerTruststore), pw, certs.listenerTruststore.toString(), false);
    String id = controlId("TLS");
    try (MllpListener listener = listener(stack.queueUrl("FromEhrQueue"), ClientAllowList.any(), tls)) {
      SSLContext trusted = TlsContexts.create(certs.ehrKeystore, pw, certs.ehrTruststore, pw);
      try (MllpTestClient ehr = MllpTestClient.connect(listener.port(), trusted)) {
        assertEquals(AckCode.AA, ack(ehr.exchange(oru(id, "MRN-IT-7"))).code());
      }
      assertEquals(1, withControlId(drain(stack.queueUrl("FromEhrQueue")), id).size());

      SSLContext stranger = TlsContexts.create(certs.strangerKeystore, pw, certs.ehrTruststore, pw);
      String strangerId = controlId("TLS-STRANGER");
      try (MllpTestClient ehr = MllpTestClient.connect(listener.port(), stranger)) {
        ehr.exchange(oru(strangerId, "MRN-IT-7"));
        fail("a client certificate the listener does not trust must not get an answer");
      } catch (IOException expected) {
        // handshake refused (TLS 1.3: seen at the first read)
      }
      SSLContext noClientCert = TlsContexts.create((byte[]) null, null, Files.readAllBytes(certs.ehrTruststore), pw);
      try (MllpTestClient ehr = MllpTestClient.connect(listener.port(), noClientCert)) {
        ehr.exchange(oru(strangerId, "MRN-IT-7"));
        fail("a client without a certificate must not get an answer");
      } catch (IOException expected) {
        // refused
      }
      assertTrue(withControlId(drain(stack.queueUrl("FromEhrQueue")), strangerId).isEmpty());
    }
  }

  // ------------------------------------------------------------------ slow and hostile peers (issue 10, item 6)

  /** Writes one byte at a time, {@code gapMs} apart, until the listener closes the connection; returns whether it did. */
  private static boolean trickle(MllpTestClient ehr, byte[] bytes, long gapMs, Duration atMost) throws InterruptedException {
    long deadline = System.nanoTime() + atMost.toNanos();
    for (int i = 0; i < bytes.length && System.nanoTime() < deadline; i++) {
      try {
        ehr.writeRaw(new byte[] {bytes[i]});
      } catch (IOException closed) {
        return true;
      }
      Thread.sleep(gapMs);
    }
    return false;
  }

  /** The connection's end as the EHR sees it: null (closed), "timeout" (still open, silent) or the answer. */
  private static String outcome(MllpTestClient ehr) {
    try {
      String a = ehr.readAnswer();
      return a == null ? null : a;
    } catch (java.net.SocketTimeoutException e) {
      return "timeout";
    } catch (IOException e) {
      return null; // reset: closed
    }
  }

  @Test
  void aFrameThatTricklesInBeyondTheFrameTimeoutIsDroppedUnansweredAndTheConnectionClosed() throws Exception {
    String id = controlId("SLOW");
    byte[] framed = io.telebridge.mllp.frame.MllpFrames.frame(oru(id, "MRN-IT-9").getBytes(StandardCharsets.UTF_8));
    try (MllpTestClient ehr = MllpTestClient.connect(stack.mllpListenerPort())) {
      // a byte every 100 ms: never idle for the idle timeout, never a whole frame within the frame timeout
      boolean closed = trickle(ehr, Arrays.copyOf(framed, framed.length - 2), 100, Duration.ofSeconds(15));
      assertTrue(closed, "the listener closed the slow connection while the frame was still trickling in");
      assertNull(outcome(ehr), "and sent no ACK");
    }
    assertTrue(withControlId(drain(stack.queueUrl("FromEhrQueue")), id).isEmpty(), "the partial frame was not stored");
    try (MllpTestClient ehr = MllpTestClient.connect(stack.mllpListenerPort())) {
      assertEquals(AckCode.AA, ack(ehr.exchange(oru(controlId("AFTER-SLOW"), "MRN-IT-9"))).code(), "others are served");
    }
    drain(stack.queueUrl("FromEhrQueue"));
  }

  @Test
  void garbageWithoutAStartBlockClosesTheConnectionOnceTheSkipLimitIsPassed() throws Exception {
    byte[] garbage = new byte[64 * 1024]; // no VT anywhere: on main it was skipped for as long as it came
    Arrays.fill(garbage, (byte) 'x');
    try (MllpTestClient ehr = MllpTestClient.connect(stack.mllpListenerPort())) {
      try {
        for (int i = 0; i < garbage.length; i += 1024) {
          ehr.writeRaw(Arrays.copyOfRange(garbage, i, i + 1024));
        }
      } catch (IOException closedWhileWriting) {
        // the listener closed it: what we expect
      }
      assertNull(outcome(ehr), "closed, without an answer");
    }
  }

  @Test
  void aStackOverflowErrorFromTheParserIsAnsweredArAndQuarantinedNotLeftUnanswered() throws Exception {
    ca.uhn.hl7v2.parser.PipeParser overflowing = new ca.uhn.hl7v2.parser.PipeParser() {
      @Override
      public ca.uhn.hl7v2.model.Message parse(String message) {
        throw new StackOverflowError(); // as a parser recursing on a hostile message would
      }
    };
    ListenerConfig config = new ListenerConfig(true, "127.0.0.1", 0, stack.queueUrl("FromEhrQueue"),
        stack.queueUrl("QuarantineQueue"), TlsConfig.off(), ClientAllowList.any(), MAX_FRAME, Duration.ofSeconds(30), 8,
        StandardCharsets.UTF_8, "TELEHEALTH", java.time.ZoneOffset.UTC);
    AcceptInboundFrame accept = new AcceptInboundFrame(new SqsInboundStore(stack.sqs(), stack.queueUrl("FromEhrQueue"),
        stack.queueUrl("QuarantineQueue")), new FromEhrReader("TELEHEALTH", java.time.ZoneOffset.UTC, overflowing),
        StandardCharsets.UTF_8, Clock.systemUTC(), () -> "SO");
    String id = controlId("OVERFLOW");
    String message = oru(id, "MRN-IT-10");
    String first;
    String resent;
    try (MllpListener listener = new MllpListener(config, accept).start();
        MllpTestClient ehr = MllpTestClient.connect(listener.port())) {
      first = ehr.exchange(message);
      resent = ehr.exchange(message); // the same connection goes on; a resend is refused the same way
    }
    Ack ack = ack(first);
    assertEquals(AckCode.AR, ack.code(), "AR, not silence: the EHR would resend a message that fails again forever");
    assertEquals(id, ack.controlId());
    assertEquals("207", ack.errorCode());
    assertEquals(AckCode.AR, ack(resent).code());
    List<Message> quarantined = drain(stack.queueUrl("QuarantineQueue")).stream().filter(m -> m.body().equals(message)).toList();
    assertFalse(quarantined.isEmpty(), "a copy waits in the quarantine queue");
    assertEquals("unparseable", quarantined.get(0).messageAttributes().get("reason").stringValue());
    assertTrue(withControlId(drain(stack.queueUrl("FromEhrQueue")), id).isEmpty());
  }

  // ------------------------------------------------------------------ a deployed listener (issue 10, item 5)

  @Test
  void theLocalStackSaysExplicitlyThatItIsNotADeployedEnvironment() {
    Map<String, String> env = stack.bridgeEnvironment();
    assertEquals("local", env.get("ENVIRONMENT"), "plain and permissive only because the stack says so");
    assertEquals("false", env.get("MLLP_TLS"));
    assertFalse(env.containsKey("MLLP_ALLOWED_CLIENTS"));
    assertTrue(stack.mllpBridge().config().listener().allowedClients().allowsAll());
  }

  /** The stack's bridge environment made a deployed one: ENVIRONMENT=prod, no TLS or allow-list setting of its own. */
  private static Map<String, String> deployedEnvironment() {
    Map<String, String> env = new java.util.HashMap<>(stack.bridgeEnvironment());
    env.put("ENVIRONMENT", "prod");
    env.remove("MLLP_TLS");
    env.remove("MLLP_ALLOWED_CLIENTS");
    env.put("SENDER_ENABLED", "false"); // a listener-only task (the stack's bridge sends)
    env.put("MLLP_LISTEN_HOST", "127.0.0.1");
    env.put("MLLP_LISTEN_PORT", "0");
    env.put("HEALTH_HOST", "127.0.0.1");
    env.put("HEALTH_PORT", "0");
    return env;
  }

  private static String tlsMaterial(Path keystore, Path truststore) throws IOException {
    String json = "{\"keystore\":\"" + java.util.Base64.getEncoder().encodeToString(Files.readAllBytes(keystore))
        + "\",\"keystorePassword\":\"" + TestTls.PASSWORD + "\"";
    if (truststore != null) {
      json += ",\"truststore\":\"" + java.util.Base64.getEncoder().encodeToString(Files.readAllBytes(truststore))
          + "\",\"truststorePassword\":\"" + TestTls.PASSWORD + "\"";
    }
    return json + "}";
  }

  @Test
  void aDeployedBridgeRefusesToStartItsListenerWithoutAnAllowList() throws Exception {
    TestTls certs = certs();
    Map<String, String> env = deployedEnvironment();
    env.put("MLLP_TLS_MATERIAL", tlsMaterial(certs.listenerKeystore, null));
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> io.telebridge.mllp.bridge.BridgeConfig.fromEnvironment(env));
    assertTrue(e.getMessage().contains("MLLP_ALLOWED_CLIENTS"), e.getMessage());
  }

  @Test
  void aDeployedListenerSpeaksTlsByDefaultWithItsCertificateFromTheSecretAndRefusesPlainMllp() throws Exception {
    TestTls certs = certs();
    char[] pw = TestTls.PASSWORD.toCharArray();
    Map<String, String> env = deployedEnvironment();
    env.put("MLLP_ALLOWED_CLIENTS", "127.0.0.1");
    env.put("MLLP_TLS_MATERIAL", tlsMaterial(certs.listenerKeystore, null)); // the whole secret, as ECS injects it
    var config = io.telebridge.mllp.bridge.BridgeConfig.fromEnvironment(env);
    String plainId = controlId("PLAIN");
    String tlsId = controlId("TLS-DEFAULT");
    try (var bridge = io.telebridge.mllp.MllpBridgeService.start(config, stack.sqs(),
        new io.telebridge.mllp.bridge.EmfMetrics(line -> { }, System::currentTimeMillis))) {
      int port = bridge.listener().port();
      String plainAnswer;
      try (MllpTestClient ehr = MllpTestClient.connect(port)) {
        plainAnswer = ehr.exchange(oru(plainId, "MRN-IT-11"));
      } catch (IOException refused) {
        plainAnswer = null;
      }
      assertNull(plainAnswer, "plain MLLP gets no answer from a TLS listener");
      SSLContext ehrTls = TlsContexts.create((byte[]) null, null, Files.readAllBytes(certs.ehrTruststore), pw);
      try (MllpTestClient ehr = MllpTestClient.connect(port, ehrTls)) {
        assertEquals(AckCode.AA, ack(ehr.exchange(oru(tlsId, "MRN-IT-11"))).code(),
            "one-way TLS: no client certificate needed when the secret has no truststore");
      }
    }
    List<Message> queued = drain(stack.queueUrl("FromEhrQueue"));
    assertTrue(withControlId(queued, plainId).isEmpty());
    assertEquals(1, withControlId(queued, tlsId).size());
  }

  @Test
  void aTruststoreInTheListenersSecretTurnsOnMutualTlsForThatEhr() throws Exception {
    TestTls certs = certs();
    char[] pw = TestTls.PASSWORD.toCharArray();
    Map<String, String> env = deployedEnvironment();
    env.put("MLLP_ALLOWED_CLIENTS", "127.0.0.1/32");
    env.put("MLLP_TLS_MATERIAL", tlsMaterial(certs.listenerKeystore, certs.listenerTruststore));
    String id = controlId("MTLS");
    try (var bridge = io.telebridge.mllp.MllpBridgeService.start(io.telebridge.mllp.bridge.BridgeConfig.fromEnvironment(env),
        stack.sqs(), new io.telebridge.mllp.bridge.EmfMetrics(line -> { }, System::currentTimeMillis))) {
      int port = bridge.listener().port();
      SSLContext noCert = TlsContexts.create((byte[]) null, null, Files.readAllBytes(certs.ehrTruststore), pw);
      String refused;
      try (MllpTestClient ehr = MllpTestClient.connect(port, noCert)) {
        refused = ehr.exchange(oru(controlId("MTLS-NOCERT"), "MRN-IT-12"));
      } catch (IOException e) {
        refused = null;
      }
      assertNull(refused, "a client without a certificate is refused");
      SSLContext trusted = TlsContexts.create(certs.ehrKeystore, pw, certs.ehrTruststore, pw);
      try (MllpTestClient ehr = MllpTestClient.connect(port, trusted)) {
        assertEquals(AckCode.AA, ack(ehr.exchange(oru(id, "MRN-IT-12"))).code());
      }
    }
    assertEquals(1, withControlId(drain(stack.queueUrl("FromEhrQueue")), id).size());
  }

  // ------------------------------------------------------------------ group commit (issue 15 §3)

  /**
   * {@code connections} EHR connections, each sending {@code perConnection} messages one at a time, all
   * of them released together before each message (so that frames arrive at the same moment and share
   * batches); each connection carries three patients of its own, in order. Every 4th message asks for
   * commit-level ACKs (MSH-15 = AL). Returns each connection's control ids in sending order; fails on
   * any ACK that is not AA/CA for that very message.
   */
  private static List<List<String>> sendTogether(int port, int connections, int perConnection, String run)
      throws Exception {
    java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(connections);
    List<List<String>> sent = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    for (int c = 0; c < connections; c++) {
      List<String> mine = new ArrayList<>();
      sent.add(mine);
      int conn = c;
      threads.add(Thread.ofPlatform().start(() -> {
        try (MllpTestClient ehr = MllpTestClient.connect(port)) {
          for (int i = 0; i < perConnection; i++) {
            String id = run + "-" + conn + "-" + i;
            boolean commitMode = i % 4 == 3;
            String message = oru(id, "MRN-" + run + "-" + conn + "-" + (i % 3));
            if (commitMode) {
              message = message.replaceFirst("\\|P\\|2\\.5\\.1\r", "|P|2.5.1|||AL\r");
            }
            together.await(60, java.util.concurrent.TimeUnit.SECONDS);
            Ack ack = ack(ehr.exchange(message));
            assertEquals(commitMode ? AckCode.CA : AckCode.AA, ack.code(), id);
            assertEquals(id, ack.controlId(), "this connection's ACK, in its order");
            mine.add(id);
          }
        } catch (Throwable e) {
          failures.add(e);
          together.reset();
        }
      }));
    }
    for (Thread t : threads) {
      t.join();
    }
    if (!failures.isEmpty()) {
      throw new AssertionError("a connection failed: " + failures.get(0), failures.get(0));
    }
    return sent;
  }

  /** Every message of the run is on the queue exactly once, and each patient's in the order it was sent. */
  private static void assertPersistedOnceInOrder(List<Message> drained, List<List<String>> sent, String run) {
    List<Message> ours = drained.stream().filter(m -> m.messageAttributes().get("controlId").stringValue()
        .startsWith(run + "-")).toList();
    List<String> all = sent.stream().flatMap(List::stream).toList();
    assertEquals(all.size(), ours.size(), "every message once");
    assertEquals(new java.util.HashSet<>(all), ours.stream().map(m -> m.messageAttributes().get("controlId")
        .stringValue()).collect(java.util.stream.Collectors.toSet()));
    Map<String, List<String>> queuedByGroup = new java.util.LinkedHashMap<>();
    for (Message m : ours) { // a FIFO queue hands a group's messages out in its order
      queuedByGroup.computeIfAbsent(m.attributesAsStrings().get("MessageGroupId"), g -> new ArrayList<>())
          .add(m.messageAttributes().get("controlId").stringValue());
    }
    Map<String, List<String>> sentByGroup = new java.util.LinkedHashMap<>();
    for (String id : all) {
      String[] parts = id.split("-");
      String mrn = "MRN-" + run + "-" + parts[parts.length - 2] + "-" + (Integer.parseInt(parts[parts.length - 1]) % 3);
      sentByGroup.computeIfAbsent("mrn#" + io.telebridge.core.model.TenantKeys.sha256("GENHOSP", mrn).substring(0, 40),
          g -> new ArrayList<>()).add(id);
    }
    for (var e : sentByGroup.entrySet()) {
      List<String> sentOrder = new ArrayList<>(e.getValue());
      sentOrder.sort(java.util.Comparator.comparingInt(id -> Integer.parseInt(id.substring(id.lastIndexOf('-') + 1))));
      assertEquals(sentOrder, queuedByGroup.get(e.getKey()), "one patient's messages in the order they were sent");
    }
  }

  @Test
  void fourConnectionsAtOnceThroughTheStacksListenerAreEachPersistedOnceAckedAaOrCaAndInOrderPerPatient()
      throws Exception {
    drain(stack.queueUrl("FromEhrQueue"));
    String run = "GC" + IDS.incrementAndGet();
    List<List<String>> sent = sendTogether(stack.mllpListenerPort(), 4, 25, run);
    // no wait: each ACK promised its message was already on the queue
    assertPersistedOnceInOrder(drain(stack.queueUrl("FromEhrQueue")), sent, run);
  }

  @Test
  void framesArrivingTogetherShareBatchesAndAPipeliningConnectionGetsItsAcksInOrder() throws Exception {
    String url = stack.queueUrl("FromEhrQueue");
    drain(url);
    // a linger long enough that frames released together always meet in a batch on a loaded machine
    SqsInboundStore store = new SqsInboundStore(stack.sqs(), url, stack.queueUrl("QuarantineQueue"),
        new io.telebridge.mllp.listener.GroupCommit.Limits(10, 256 * 1024, Duration.ofMillis(200), Duration.ofSeconds(5)));
    ListenerConfig config = new ListenerConfig(true, "127.0.0.1", 0, url, stack.queueUrl("QuarantineQueue"),
        TlsConfig.off(), ClientAllowList.any(), MAX_FRAME, Duration.ofSeconds(30), 8, StandardCharsets.UTF_8,
        "TELEHEALTH", java.time.ZoneOffset.UTC);
    String run = "GB" + IDS.incrementAndGet();
    try (MllpListener listener = new MllpListener(config, new AcceptInboundFrame(store, READER, StandardCharsets.UTF_8,
        Clock.systemUTC(), () -> "GB" + IDS.incrementAndGet())).start()) {
      List<List<String>> sent = sendTogether(listener.port(), 4, 10, run);
      long batches = store.groupCommit().batches();
      long entries = store.groupCommit().entries();
      assertEquals(40, entries);
      assertTrue(batches < entries, "frames that arrived together shared SendMessageBatch calls: " + entries
          + " entries in " + batches + " writes");
      assertPersistedOnceInOrder(drain(url), sent, run);

      // an EHR that does not wait for each ACK: five frames at once on one connection, ACKs in that order
      String piped = "GP" + IDS.incrementAndGet();
      try (MllpTestClient ehr = MllpTestClient.connect(listener.port())) {
        StringBuilder frames = new StringBuilder();
        for (int i = 0; i < 5; i++) {
          frames.append('\u000b').append(oru(piped + "-0-" + i, "MRN-" + piped + "-0-" + (i % 3))).append("\u001c\r");
        }
        ehr.writeRaw(frames.toString().getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < 5; i++) {
          Ack ack = ack(ehr.readAnswer());
          assertEquals(AckCode.AA, ack.code());
          assertEquals(piped + "-0-" + i, ack.controlId(), "ACKs in the order the messages came");
        }
      }
      List<String> pipedIds = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        pipedIds.add(piped + "-0-" + i);
      }
      assertPersistedOnceInOrder(drain(url), List.of(pipedIds), piped);
    }
  }
}
