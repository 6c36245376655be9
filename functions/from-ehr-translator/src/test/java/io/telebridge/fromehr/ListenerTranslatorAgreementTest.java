package io.telebridge.fromehr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.telebridge.aws.lambda.SqsBatchResponse;
import io.telebridge.aws.lambda.SqsEvent;
import io.telebridge.aws.lambda.SqsMessage;
import io.telebridge.core.fromehr.ConflictPolicy;
import io.telebridge.core.fromehr.OutboundEvent;
import io.telebridge.core.fromehr.ReconcileAppointment;
import io.telebridge.core.fromehr.TranslateFromEhr;
import io.telebridge.core.model.Identifier;
import io.telebridge.hl7v2.FromEhrReader;
import io.telebridge.hl7v2.Hl7Text;
import io.telebridge.hl7v2.UnreadableMessageException;
import io.telebridge.mllp.hl7.AckCode;
import io.telebridge.mllp.listener.AcceptInboundFrame;
import io.telebridge.mllp.listener.FromEhrMessage;
import io.telebridge.mllp.listener.InboundStore;
import io.telebridge.mllp.listener.QuarantinedFrame;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract between the MLLP listener and the from-EHR translator, over every HL7 fixture in
 * tests/fixtures (inbound, inbound/refused, the MLLP samples and the golden files telebridge emits, which
 * an EHR could echo), each sent with LF, CR and CRLF segment ends and, for the readable ones, with and
 * without a final terminator: a frame the listener answers AA/CA goes on the queue and the handler
 * translates it (or routes it by its documented rule: an unlinked MRN is recorded and counted) without a
 * dead letter; a frame the listener answers AR is quarantined, never queued, and the handler would
 * dead-letter the same text. The listener decides with the same reader the handler reads with.
 */
class ListenerTranslatorAgreementTest {

  static final Path FIXTURES = FromEhrTranslatorHandlerTest.REPO.resolve("tests/fixtures");
  static final ZoneId EHR_ZONE = ZoneId.of("America/Chicago");

  /** What the listener's store received. */
  static final class Store implements InboundStore {
    final List<FromEhrMessage> queued = new ArrayList<>();
    final List<QuarantinedFrame> quarantined = new ArrayList<>();

    @Override
    public void enqueue(FromEhrMessage message) {
      queued.add(message);
    }

    @Override
    public void quarantine(QuarantinedFrame frame) {
      quarantined.add(frame);
    }
  }

  static Stream<Arguments> frames() throws IOException {
    List<Path> files;
    try (Stream<Path> all = Files.walk(FIXTURES)) {
      files = all.filter(p -> p.toString().endsWith(".hl7")).sorted().toList();
    }
    assertTrue(files.size() >= 40, "every HL7 fixture: " + files.size());
    List<Arguments> out = new ArrayList<>();
    for (Path f : files) {
      byte[] raw = Files.readAllBytes(f);
      String name = FIXTURES.relativize(f).toString();
      out.add(Arguments.of(name, raw));
      for (String ending : List.of("\r", "\n", "\r\n")) { // the same message with other segment ends
        out.add(Arguments.of(name + " " + ending.replace("\r", "CR").replace("\n", "LF"), withEndings(raw, ending)));
      }
    }
    return out.stream();
  }

  /** The bytes with every CR, LF or CRLF replaced by {@code ending} (bytes, so a Latin-1 file stays Latin-1). */
  static byte[] withEndings(byte[] raw, String ending) {
    String latin1 = new String(raw, StandardCharsets.ISO_8859_1).replace("\r\n", "\n").replace('\r', '\n')
        .replace("\n", ending);
    return latin1.getBytes(StandardCharsets.ISO_8859_1);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("frames")
  void theListenersVerdictIsTheTranslatorsOutcome(String name, byte[] frame) {
    Store store = new Store();
    AcceptInboundFrame listener = new AcceptInboundFrame(store, new FromEhrReader("TELEHEALTH", EHR_ZONE),
        StandardCharsets.UTF_8, Clock.fixed(Instant.parse("2025-11-24T16:00:00Z"), ZoneOffset.UTC), () -> "ACK1");
    AcceptInboundFrame.Reply reply = assertInstanceOf(AcceptInboundFrame.Reply.class, listener.accept(frame), name);

    Fakes.Index index = new Fakes.Index().link(new Identifier("100234", "EPI", "MR"), "pat-1001");
    List<OutboundEvent> sent = new ArrayList<>();
    List<String> deadLettered = new ArrayList<>();
    FromEhrTranslatorHandler handler = new FromEhrTranslatorHandler(new FromEhrReader("TELEHEALTH", EHR_ZONE),
        new TranslateFromEhr("demo-clinic", index, new ReconcileAppointment(new Fakes.States(), ConflictPolicy.ehrWins()),
            sent::add, (metric, value, properties) -> { }, Clock.systemUTC()),
        (message, reason, errorClass) -> deadLettered.add(reason));

    if (reply.code().accepted()) {
      assertEquals(1, store.queued.size(), name);
      assertTrue(store.quarantined.isEmpty(), name);
      SqsBatchResponse r = handler.handle(batch(store.queued.get(0).body()), null);
      assertEquals(List.of(), r.batchItemFailures(), name);
      assertEquals(List.of(), deadLettered, name + ": AA/CA then the from-EHR DLQ");
    } else {
      assertTrue(reply.code() == AckCode.AR || reply.code() == AckCode.CR, name + ": " + reply.code());
      assertTrue(store.queued.isEmpty(), name + ": refused yet queued");
      assertEquals(1, store.quarantined.size(), name);
      QuarantinedFrame q = store.quarantined.get(0);
      assertEquals(reply.reason(), q.reason());
      if (q.bytesBase64()) { // undecodable: nothing the translator could ever get; the bytes are kept exactly
        assertArrayEquals(frame, Base64.getDecoder().decode(q.body()), name);
        return;
      }
      handler.handle(batch(q.body()), null);
      assertEquals(1, deadLettered.size(), name + ": refused at the door although the translator reads it");
      assertTrue(sent.isEmpty(), name);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("frames")
  void aFrameIsRefusedExactlyWhenTheReaderCannotReadItsText(String name, byte[] frame) {
    Store store = new Store();
    Charset profileCharset = StandardCharsets.UTF_8;
    AcceptInboundFrame listener = new AcceptInboundFrame(store, new FromEhrReader("TELEHEALTH", EHR_ZONE),
        profileCharset, Clock.systemUTC(), () -> "ACK1");
    AcceptInboundFrame.Reply reply = (AcceptInboundFrame.Reply) listener.accept(frame);
    boolean readable;
    try {
      new FromEhrReader("TELEHEALTH", EHR_ZONE).read(Hl7Text.decode(frame, profileCharset));
      readable = true;
    } catch (UnreadableMessageException e) {
      readable = false;
    }
    assertEquals(readable, reply.code().accepted(), name + " -> " + reply.reason());
  }

  static SqsEvent batch(String body) {
    return SqsEvent.of(SqsMessage.of("m1", body, Map.of("MessageGroupId", "g")));
  }

  static {
    if (!Files.isDirectory(FIXTURES)) {
      throw new UncheckedIOException(new IOException("no fixtures at " + FIXTURES.toAbsolutePath()));
    }
  }
}
