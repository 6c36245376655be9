package io.telebridge.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.telebridge.core.identity.EhrPatient;
import io.telebridge.core.model.Identifier;
import io.telebridge.core.model.Sex;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Invented patients only. */
class FhirPatientReaderTest {

  private final FhirPatientReader reader = new FhirPatientReader(Map.of("urn:oid:1.2.840.99999.1", "EPI"));

  @Test
  void readsIdentifiersMrnFirstAndTheOfficialNameHomeAddressAndTelecom() {
    EhrPatient p = reader.read("""
        {"resourceType":"Patient","id":"p1",
         "identifier":[{"system":"urn:ssn","value":"000-00-0000"},
                       {"system":"urn:oid:1.2.840.99999.1","value":"E1001","type":{"coding":[{"code":"MR"}]}}],
         "name":[{"use":"nickname","given":["Dot"]},{"use":"official","family":"Quill","given":["Dorothea","Ann"],"suffix":["Jr"]}],
         "gender":"female","birthDate":"1961-04-09",
         "telecom":[{"system":"email","value":"dq@example.org"},{"system":"phone","use":"mobile","value":"(555) 010-4477"}],
         "address":[{"use":"work","line":["1 Office Park"]},{"use":"home","line":["8 Fern Row","Unit 2"],"city":"Salem","state":"OR","postalCode":"97301"}]}
        """);
    assertEquals(new Identifier("E1001", "EPI", "MR"), p.mrn());
    assertEquals(new Identifier("E1001", "EPI", "MR"), p.identifiers().get(0));
    assertEquals("Quill", p.demographics().name().family());
    assertEquals(List.of("Dorothea", "Ann"), p.demographics().name().given());
    assertEquals("Jr", p.demographics().name().suffix());
    assertEquals(LocalDate.of(1961, 4, 9), p.demographics().birthDate());
    assertEquals(Sex.FEMALE, p.demographics().sex());
    assertEquals("(555) 010-4477", p.demographics().phones().get(0).number());
    assertEquals("dq@example.org", p.demographics().email());
    assertEquals("Salem", p.demographics().address().city());
    assertNull(p.demographics().platformPatientId());
    assertFalse(p.toString().contains("Quill"));
  }

  @Test
  void aPartialBirthDateIsLeftOutAndAPatientWithoutIdentifiersIsRefusedWithoutEchoingIt() {
    EhrPatient p = reader.read("""
        {"resourceType":"Patient","identifier":[{"value":"X9"}],"name":[{"family":"Vane"}],"birthDate":"1970-03"}""");
    assertNull(p.demographics().birthDate());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> reader.read("{\"resourceType\":\"Patient\",\"id\":\"p9\",\"name\":[{\"family\":\"Secretname\"}]}"));
    assertFalse(e.getMessage().contains("Secretname"));
    assertThrows(IllegalArgumentException.class, () -> reader.read("{\"resourceType\":\"Observation\"}"));
  }
}
