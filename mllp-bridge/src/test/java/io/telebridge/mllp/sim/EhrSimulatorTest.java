package io.telebridge.mllp.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.telebridge.mllp.Hl7Samples;
import io.telebridge.mllp.bridge.MllpClient;
import io.telebridge.mllp.hl7.Ack;
import io.telebridge.mllp.hl7.AckCode;
import io.telebridge.mllp.hl7.AckReader;
import java.io.EOFException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EhrSimulatorTest {

  private static final AckReader ACKS = new AckReader();
  private final HttpClient http = HttpClient.newHttpClient();

  private static MllpClient client(EhrSimulator sim) throws IOException {
    MllpClient c = new MllpClient("127.0.0.1", sim.port(), Duration.ofSeconds(2), 1 << 20, null, true, Duration.ofHours(1));
    c.connect();
    return c;
  }

  private static Ack send(MllpClient c, String message) throws Exception {
    return ACKS.read(new String(c.exchange(message.getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(5)),
        StandardCharsets.UTF_8));
  }

  private String call(String method, URI uri) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).method(method, HttpRequest.BodyPublishers.noBody())
        .build(), HttpResponse.BodyHandlers.ofString());
    return r.statusCode() + " " + r.body();
  }

  @Test
  void answersAaByDefaultAndRecordsWhatItReceived(@TempDir Path dir) throws Exception {
    try (EhrSimulator sim = EhrSimulator.builder().recordDir(dir).start(); MllpClient c = client(sim)) {
      Ack ack = send(c, Hl7Samples.adtA04("A-1", "PAT-1"));
      assertEquals(AckCode.AA, ack.code());
      assertEquals("A-1", ack.controlId());
      ReceivedMessage m = sim.received().get(0);
      assertEquals("ADT^A04", m.messageType());
      assertEquals(List.of("PAT-1"), m.patientIds());
      assertTrue(Files.readString(dir.resolve("messages.hl7")).contains("EVN|A04"));
      assertTrue(Files.readString(dir.resolve("received.log")).contains("A-1 ADT^A04 -> AA"));
    }
  }

  @Test
  void appliesRulesInOrderForTheNumberOfTimesAndMessagesTheyName() throws Exception {
    try (EhrSimulator sim = EhrSimulator.builder().start(); MllpClient c = client(sim)) {
      sim.addRule(SimRule.answer(Answer.AR).forPatient("PAT-R"));
      sim.addRule(SimRule.answer(Answer.AE).times(1).errorCode("101").errorLocation("PID^1^7"));
      Ack first = send(c, Hl7Samples.siuS12("S-1", "PAT-1"));
      assertEquals(AckCode.AE, first.code());
      assertEquals("101", first.errorCode());
      assertEquals("PID^1^7", first.errorLocation());
      assertEquals(AckCode.AA, send(c, Hl7Samples.siuS12("S-2", "PAT-1")).code(), "the AE rule was used up");
      assertEquals(AckCode.AR, send(c, Hl7Samples.siuS12("S-3", "PAT-R")).code());
      assertEquals(AckCode.AR, send(c, Hl7Samples.siuS12("S-4", "PAT-R")).code(), "unlimited");
    }
  }

  @Test
  void dropsTheConnectionWithoutAnAnswerWhenTold() throws Exception {
    try (EhrSimulator sim = EhrSimulator.builder().start(); MllpClient c = client(sim)) {
      sim.addRule(SimRule.answer(Answer.DROP).times(1));
      assertThrows(EOFException.class, () -> send(c, Hl7Samples.siuS12("D-1", "PAT-1")));
      assertEquals(1, sim.received().size(), "recorded even though not answered");
    }
  }

  @Test
  void isControlledOverHttp() throws Exception {
    try (EhrSimulator sim = EhrSimulator.builder().controlPort(0).start()) {
      URI base = sim.controlUrl();
      assertTrue(call("POST", base.resolve("/rules?answer=AE&times=1&errCode=207")).startsWith("201 added: AE"));
      assertTrue(call("GET", base.resolve("/rules")).contains("AE errCode=207 (1 time)"));
      try (MllpClient c = client(sim)) {
        assertEquals(AckCode.AE, send(c, Hl7Samples.siuS12("H-1", "PAT-1")).code());
        assertEquals(AckCode.AA, send(c, Hl7Samples.siuS12("H-2", "PAT-1")).code());
      }
      String listing = call("GET", base.resolve("/messages"));
      assertTrue(listing.contains("H-1\tSIU^S12\tAE") && listing.contains("H-2\tSIU^S12\tAA"), listing);
      assertTrue(call("GET", base.resolve("/messages?full=1")).contains("SCH|APT-H-1"));

      assertTrue(call("POST", base.resolve("/down")).startsWith("200"));
      // refused, or reset when the connect raced the listener's close: either way the EHR is down
      assertThrows(java.net.SocketException.class, () -> client(sim));
      assertTrue(call("POST", base.resolve("/up")).startsWith("200"));
      try (MllpClient c = client(sim)) {
        assertEquals(AckCode.AA, send(c, Hl7Samples.siuS12("H-3", "PAT-1")).code());
      }
      assertTrue(call("POST", base.resolve("/rules?answer=MAYBE")).startsWith("400"));
      assertTrue(call("POST", base.resolve("/reset")).startsWith("200"));
      assertEquals(0, sim.received().size());
    }
  }

  @Test
  void answersInTheMessagesOwnCharset() throws Exception {
    try (EhrSimulator sim = EhrSimulator.builder().start(); MllpClient c = client(sim)) {
      String latin1 = "MSH|^~\\&|A|B|C|D|20260101||ADT^A08^ADT_A01|L-1|P|2.5.1|||||DEU|8859/1\rPID|1||P9||Müller\r";
      byte[] answer = c.exchange(latin1.getBytes(StandardCharsets.ISO_8859_1), Duration.ofSeconds(5));
      assertEquals(AckCode.AA, ACKS.read(new String(answer, StandardCharsets.ISO_8859_1)).code());
      assertTrue(sim.received().get(0).text().contains("Müller"), "decoded with MSH-18");
      assertEquals("8859/1", io.telebridge.mllp.hl7.RawHl7.of(new String(answer, StandardCharsets.ISO_8859_1)).msh(18),
          "the ACK names its charset in MSH-18");
    }
  }
}
