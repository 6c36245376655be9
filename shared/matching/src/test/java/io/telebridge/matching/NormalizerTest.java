package io.telebridge.matching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.telebridge.core.model.Address;
import io.telebridge.core.model.PatientDemographics;
import io.telebridge.core.model.PersonName;
import io.telebridge.core.model.Phone;
import io.telebridge.core.model.Sex;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class NormalizerTest {

  static NormalizedPerson person(String given, String family, String suffix, Address address, String phone,
      String email) {
    PatientDemographics d = new PatientDemographics("p1", new PersonName(List.of(given), family, null, suffix),
        LocalDate.of(1980, 3, 7), Sex.FEMALE, phone == null ? List.of() : List.of(new Phone("mobile", phone)), email,
        address, "123-45-6789");
    return Normalizer.normalize(MatchInput.of("r1", d));
  }

  @Test
  void foldsCaseAccentsPunctuationAndWhitespace() {
    NormalizedPerson p = person("  José-María ", "Peña   Ñúñez", null, null, null, null);
    assertEquals("jose", p.given());
    assertEquals("josemaria", p.givenFull());
    assertEquals("penanunez", p.surname());
    assertEquals(List.of("pena", "nunez"), p.surnameParts());
  }

  @Test
  void joinsApostrophesAndMultiPartSurnames() {
    assertEquals("obrien", person("Ann", "O'Brien", null, null, null, null).surname());
    assertEquals("vanderberg", person("Ann", "van der Berg", null, null, null, null).surname());
    assertEquals(List.of("smith", "jones"), person("Ann", "Smith-Jones", null, null, null, null).surnameParts());
  }

  @Test
  void takesGenerationalSuffixFromFieldOrName() {
    assertEquals("JR", person("John", "Smith", "Jr.", null, null, null).suffix());
    assertEquals("JR", person("John", "Smith Jr", null, null, null, null).suffix());
    assertEquals("smith", person("John", "Smith Jr", null, null, null, null).surname());
    assertEquals("SR", person("John Sr.", "Smith", null, null, null, null).suffix());
    assertEquals("III", person("John", "Smith III", null, null, null, null).suffix());
    assertNull(person("John", "Smith", null, null, null, null).suffix());
  }

  @Test
  void writesPhonesAsE164WithUsDefault() {
    assertEquals("+12065550123", Normalizer.phone("(206) 555-0123"));
    assertEquals("+12065550123", Normalizer.phone("1-206-555-0123"));
    assertEquals("+12065550123", Normalizer.phone("+1 206 555 0123 x12"));
    assertEquals("+442079460018", Normalizer.phone("+44 20 7946 0018"));
    assertNull(Normalizer.phone("555-0123"));
    assertNull(Normalizer.phone("000-000-0000"));
    assertNull(Normalizer.phone(null));
  }

  @Test
  void lowerCasesEmailAndRejectsNonAddresses() {
    assertEquals("ann.lee@example.com", Normalizer.email("  Ann.Lee@Example.COM "));
    assertNull(Normalizer.email("not an email"));
  }

  @Test
  void standardisesStreetTypesAndUnits() {
    NormalizedPerson a = person("Ann", "Lee", null,
        new Address(List.of("12 North Main Street, Apt. 4B"), "Springfield", "IL", "62701-1234", "US"), null, null);
    NormalizedPerson b = person("Ann", "Lee", null,
        new Address(List.of("12 N Main St #4b"), "SPRINGFIELD", "il", "62701", "US"), null, null);
    assertEquals("n main st", a.streetName());
    assertEquals(a.streetName(), b.streetName());
    assertEquals("4b", a.unit());
    assertEquals(a.unit(), b.unit());
    assertEquals("12", a.streetNumber());
    assertEquals("62701", a.postcode());
    assertEquals(a.city(), b.city());
  }

  @Test
  void readsAustralianSlashUnits() {
    String[] parsed = Normalizer.parseStreetLine("2/98 latchford avenue");
    assertEquals("2", parsed[0]);
    assertEquals("98", parsed[1]);
    assertEquals("latchford ave", parsed[2]);
  }

  @Test
  void keepsBirthDateAndSsnLastFour() {
    NormalizedPerson p = person("Ann", "Lee", null, null, null, null);
    assertEquals("19800307", p.dob());
    assertEquals("6789", p.ssnLast4());
  }

  @Test
  void dropsPlaceholderNames() {
    assertNull(person("Unknown", "Lee", null, null, null, null).given());
  }

  @Test
  void knowsNicknamesFromTheProjectList() {
    Nicknames n = Nicknames.bundled();
    assertTrue(n.equivalent("william", "bill"));
    assertTrue(n.equivalent("margaret", "peggy"));
    assertFalse(n.equivalent("william", "robert"));
    assertFalse(n.equivalent("ann", "ann"));
  }

  @Test
  void redactsToString() {
    assertFalse(person("Ann", "Lee", null, null, null, null).toString().contains("lee"));
  }
}
