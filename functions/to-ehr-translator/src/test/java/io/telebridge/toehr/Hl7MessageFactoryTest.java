package io.telebridge.toehr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.telebridge.core.identity.Resolution;
import io.telebridge.core.model.PlatformEvent;
import io.telebridge.core.model.Visit;
import io.telebridge.core.model.VisitNote;
import io.telebridge.core.toehr.OutboundMessage;
import io.telebridge.hl7v2.UntranslatableEventException;
import io.telebridge.json.PlatformEventReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The translator's HL7 factory on the bundled profile: visit events, and the queue-size bound. */
class Hl7MessageFactoryTest {

  private final Hl7MessageFactory factory = Hl7MessageFactory.load("generic-epic-like", "dev", Clock.systemUTC());
  private final PlatformEventReader reader = new PlatformEventReader();

  private PlatformEvent sample(String name) throws IOException {
    return reader.read(Files.readAllBytes(Path.of("../../events").resolve(name)));
  }

  private Resolution known(PlatformEvent event) {
    return new Resolution(List.of(new io.telebridge.core.model.Identifier(event.patient().platformPatientId(), "TELEHEALTH", "PI")),
        false);
  }

  @Test
  void theVisitSamplesBecomeMdmOrmAndDft() throws IOException {
    for (String[] c : new String[][] {{"visit.note_signed.json", "MDM^T02"}, {"visit.orders_placed.json", "ORM^O01"},
        {"visit.charges_posted.json", "DFT^P03"}}) {
      PlatformEvent e = sample(c[0]);
      assertEquals(List.of(c[1]), factory.messagesFor(e, known(e)).stream().map(OutboundMessage::messageType).toList());
    }
  }

  private PlatformEvent noteOf(String text) throws IOException {
    PlatformEvent e = sample("visit.note_signed.json");
    VisitNote n = e.visit().note();
    VisitNote big = new VisitNote(n.id(), n.type(), n.title(), n.contentType(), text, null, n.signedAt(), n.author(),
        n.status(), n.version());
    return new PlatformEvent(e.eventId(), e.type(), e.occurredAt(), e.tenant(), e.patient(), null, null,
        null, null, null, new Visit(e.visit().id(), null, big, null, null));
  }

  @Test
  void withoutAClaimCheckANoteWhoseMdmWouldNotFitAQueueMessageIsRefusedWithItsSizeNotRetried() throws IOException {
    PlatformEvent event = noteOf((sample("visit.note_signed.json").visit().note().content() + "\n").repeat(2_200)); // ≈ 410 kB
    var refused = assertThrows(UntranslatableEventException.class, () -> factory.messagesFor(event, known(event)));
    assertTrue(refused.getMessage().startsWith("event evt-0007-note-signed: MDM^T02 is "), refused.getMessage());
    assertTrue(refused.getMessage().contains("no claim check (PAYLOAD_BUCKET is not set)"), refused.getMessage());
  }

  @Test
  void withTheClaimCheckTheSameNoteBecomesOneMdmLargerThanAQueueMessage() throws IOException {
    PlatformEvent event = noteOf((sample("visit.note_signed.json").visit().note().content() + "\n").repeat(2_200));
    List<OutboundMessage> out = factory.withClaimCheck().messagesFor(event, known(event));
    assertEquals(List.of("MDM^T02"), out.stream().map(OutboundMessage::messageType).toList());
    assertTrue(out.get(0).payload().length() > Hl7MessageFactory.MAX_INLINE_BYTES, "it travels by claim check");
  }

  @Test
  void aNoteWhoseMdmExceedsTheEhrProfilesMaximumIsRefusedNamingTheProfileAndItsLimit() throws IOException {
    String paragraph = "x".repeat(999) + "\n";
    PlatformEvent event = noteOf(paragraph.repeat(4_300)); // 4.3 MB of text: over the profile's 4 MiB
    var refused = assertThrows(UntranslatableEventException.class,
        () -> factory.withClaimCheck().messagesFor(event, known(event)));
    assertTrue(refused.getMessage().contains("over the EHR profile's maximum message size of 4194304 bytes "
        + "(generic-epic-like maxMessageBytes)"), refused.getMessage());
  }
}
