package io.telebridge.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.telebridge.local.LocalStack;
import io.telebridge.local.LocalStackOptions;
import io.telebridge.local.platform.PlatformSimulator.Delivery;
import io.telebridge.mllp.hl7.RawHl7;
import io.telebridge.mllp.sim.ReceivedMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 9, character sets, on the local stack with an EHR whose profile says {@code characterSet: 8859/1}
 * (the generic profile with that one line changed): telebridge's ADT^A04 reaches the EHR simulator over
 * real MLLP as ISO-8859-1 bytes with MSH-18 {@code 8859/1} (the simulator decodes by MSH-18, strictly, so
 * UTF-8 bytes would read as "MuÃ±oz"); and the EHR's A31 in Latin-1 <em>without</em> MSH-18 is read with
 * the profile's charset and reaches the platform simulator with the accents intact.
 */
class CharacterSetsIT {

  static final JsonMapper JSON = JsonMapper.builder().build();
  private static LocalStack stack;
  private static Path profileDir;

  @BeforeAll
  static void start() throws IOException {
    profileDir = Files.createTempDirectory("latin1-profile");
    String generic = Files.readString(Signed.REPO.resolve(
        "shared/hl7v2/src/main/resources/ehr-profiles/generic-epic-like.yaml"));
    assertTrue(generic.contains("characterSet: UNICODE UTF-8"));
    Path profile = profileDir.resolve("latin1-ehr.yaml");
    Files.writeString(profile, generic.replace("characterSet: UNICODE UTF-8", "characterSet: 8859/1")
        .replace("id: generic-epic-like", "id: latin1-ehr"));
    stack = LocalStack.start(LocalStackOptions.forTests(Signed.REPO.resolve("template.yaml")).runBridge(true)
        .parameter("EhrProfile", profile.toString()));
  }

  @AfterAll
  static void stop() throws IOException {
    if (stack != null) {
      stack.close();
    }
    try (var files = Files.list(profileDir)) {
      for (Path f : files.toList()) {
        Files.deleteIfExists(f);
      }
    }
    Files.deleteIfExists(profileDir);
  }

  private static Optional<ReceivedMessage> awaitEhr(String type, String patientId, Duration within)
      throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      for (ReceivedMessage m : stack.ehrSimulator().received()) {
        if (m.messageType().startsWith(type) && m.text().contains(patientId + "^^^TELEHEALTH^PI")) {
          return Optional.of(m);
        }
      }
      Thread.sleep(200);
    }
    return Optional.empty();
  }

  private static Optional<JsonNode> awaitEvent(String type, String controlId, Duration within) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      for (Delivery d : stack.platformSimulator().received()) {
        JsonNode event = JSON.readTree(d.bodyText());
        if (d.accepted() && type.equals(event.get("type").asString())
            && controlId.equals(event.get("source").get("controlId").asString())) {
          return Optional.of(event);
        }
      }
      Thread.sleep(200);
    }
    return Optional.empty();
  }

  @Test
  void aLatin1EhrGetsIso88591BytesWithMsh18SayingSoAndItsLatin1MessagesWithoutMsh18ReachThePlatformIntact()
      throws Exception {
    // the platform registers Muñoz, José: the A04 goes to the EHR in the profile's charset
    String body = new String(Signed.event("patient.registered.json", "evt-latin1-1", "pat-l1"), StandardCharsets.UTF_8)
        .replaceFirst("\"family\": \"[^\"]*\"", "\"family\": \"Muñoz\"")
        .replaceFirst("(\"given\": \\[\\s*\")[^\"]*\"", "$1José\"");
    assertTrue(body.contains("Muñoz") && body.contains("José"), body);
    assertEquals(202, Signed.post(stack.apiUrl("/v1/events"), stack.devSigningSecret(),
        body.getBytes(StandardCharsets.UTF_8)).statusCode());
    ReceivedMessage a04 = awaitEhr("ADT^A04", "pat-l1", Duration.ofSeconds(30)).orElseThrow();
    assertEquals("8859/1", RawHl7.of(a04.text()).msh(18), "MSH-18 names the charset the bytes are in");
    String pid = java.util.Arrays.stream(a04.text().split("\r")).filter(l -> l.startsWith("PID")).findFirst().orElse("");
    assertTrue(pid.contains("Muñoz^José"), "read back intact by the EHR simulator (decoded as MSH-18 says): " + pid);
    assertFalse(a04.text().contains("Ã"), "not UTF-8 bytes under an 8859/1 label");
    assertEquals("AA", a04.answer().name());

    // the EHR answers with its chart 700555 for pat-l1, in Latin-1 and without MSH-18: the profile's charset applies
    String a31 = "MSH|^~\\&|EPIC|MAIN_CLINIC|TELEBRIDGE|TELEHEALTH|20251124110000-0500||ADT^A31^ADT_A05|L1-A31|P|2.4\r"
        + "EVN|A31|20251124110000-0500\r"
        + "PID|1||700555^^^EPI^MR~pat-l1^^^TELEHEALTH^PI||Muñoz^José||19840719|M\r"
        + "PV1|1|N\r";
    String ack;
    try (MllpTestClient ehr = MllpTestClient.connect(stack.mllpListenerPort())) {
      ack = ehr.exchange(a31.getBytes(StandardCharsets.ISO_8859_1));
    }
    assertTrue(ack != null && ack.contains("MSA|AA|L1-A31"), "AA: " + ack);
    JsonNode updated = awaitEvent("ehr.patient.updated", "L1-A31", Duration.ofSeconds(30)).orElseThrow();
    assertEquals("pat-l1", updated.get("patient").get("platformPatientId").asString());
    String json = updated.toString();
    assertTrue(json.contains("\"Muñoz\"") && json.contains("\"José\""), json);
    assertFalse(json.contains("\uFFFD"), json);
  }
}
