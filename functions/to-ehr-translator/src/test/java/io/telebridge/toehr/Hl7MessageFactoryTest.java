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

  @Test
  void aNoteWhoseMdmWouldNotFitAQueueMessageIsRefusedWithItsSizeNotRetried() throws IOException {
    PlatformEvent e = sample("visit.note_signed.json");
    VisitNote n = e.visit().note();
    String text = (n.content() + "\n").repeat(2_200); // ≈ 410 kB of text: over the queue's bound as TX lines
    VisitNote big = new VisitNote(n.id(), n.type(), n.title(), n.contentType(), text, null, n.signedAt(), n.author(),
        n.status(), n.version());
    PlatformEvent event = new PlatformEvent(e.eventId(), e.type(), e.occurredAt(), e.tenant(), e.patient(), null, null,
        null, null, null, new Visit(e.visit().id(), null, big, null, null));
    var refused = assertThrows(UntranslatableEventException.class, () -> factory.messagesFor(event, known(event)));
    assertTrue(refused.getMessage().startsWith("event evt-0007-note-signed: MDM^T02 is "), refused.getMessage());
    assertTrue(refused.getMessage().contains("no claim check yet"), refused.getMessage());
  }
}
