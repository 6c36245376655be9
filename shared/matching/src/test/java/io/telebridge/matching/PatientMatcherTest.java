package io.telebridge.matching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.telebridge.core.model.Address;
import io.telebridge.core.model.PatientDemographics;
import io.telebridge.core.model.PersonName;
import io.telebridge.core.model.Phone;
import io.telebridge.core.model.Sex;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PatientMatcherTest {

  /** Test data builder; every value is invented. */
  static final class Builder {
    String id, given, family, dob, sex, suffix, phone, email, ssn4;
    String line = "12 Oak Street", city = "Springfield", state = "IL", zip = "62701";

    Builder phone(String v) { phone = v; return this; }
    Builder email(String v) { email = v; return this; }
    Builder ssn(String v) { ssn4 = v; return this; }
    Builder suffix(String v) { suffix = v; return this; }
    Builder sex(String v) { sex = v; return this; }
    Builder given(String v) { given = v; return this; }
    Builder family(String v) { family = v; return this; }
    Builder dob(String v) { dob = v; return this; }
    Builder id(String v) { id = v; return this; }
    Builder address(String l, String c, String s, String z) { line = l; city = c; state = s; zip = z; return this; }

    Builder copy() {
      Builder b = new Builder();
      b.id = id; b.given = given; b.family = family; b.dob = dob; b.sex = sex; b.suffix = suffix; b.phone = phone;
      b.email = email; b.ssn4 = ssn4; b.line = line; b.city = city; b.state = state; b.zip = zip;
      return b;
    }

    MatchInput input() {
      PatientDemographics d = new PatientDemographics(id, new PersonName(List.of(given), family, null, suffix),
          dob == null ? null : LocalDate.parse(dob, DateTimeFormatter.BASIC_ISO_DATE), Sex.of(sex),
          phone == null ? List.of() : List.of(new Phone("mobile", phone)), email,
          line == null ? null : new Address(List.of(line), city, state, zip, "US"), ssn4);
      return MatchInput.of(id, d);
    }

    NormalizedPerson build() {
      return Normalizer.normalize(input());
    }
  }

  static Builder person(String id, String given, String family, String dob, String sex) {
    Builder b = new Builder();
    b.id = id; b.given = given; b.family = family; b.dob = dob; b.sex = sex;
    return b;
  }

  private InMemoryCandidateIndex index;
  private PatientMatcher matcher;

  @BeforeEach
  void setUp() {
    index = new InMemoryCandidateIndex();
    matcher = new PatientMatcher(index);
  }

  private void existing(String patientId, Builder b) {
    matcher.file(patientId, b.build());
  }

  private Builder mary() {
    return person("r-mary", "Mary", "Johnson", "19800307", "female")
        .phone("(217) 555-0142").email("mary.j@example.com").ssn("4821");
  }

  @Test
  void createsNewWhenNobodyIsSimilar() {
    MatchResult r = matcher.match(mary().input());
    assertEquals(Decision.NEW, r.decision());
    assertEquals(0.0, r.score());
  }

  @Test
  void linksTheSamePersonRegisteredAgain() {
    existing("P1", mary());
    MatchResult r = matcher.match(mary().id("r2").input());
    assertEquals(Decision.LINK, r.decision());
    assertEquals("P1", r.patientId());
  }

  @Test
  void linksThroughNicknameTypoAndFormatting() {
    existing("P1", person("r1", "William", "Thompson", "19720115", "male").phone("217-555-0199").ssn("1111"));
    Builder again = person("r2", "BILL", "Thomson", "19720115", "male").phone("+1 (217) 555 0199").ssn("1111")
        .address("12 Oak St.", "springfield", "il", "62701-0000");
    assertEquals(Decision.LINK, matcher.match(again.input()).decision());
  }

  @Test
  void linksAcrossSwappedDayAndMonth() {
    existing("P1", mary());
    assertEquals(Decision.LINK, matcher.match(mary().id("r2").dob("19800703").input()).decision());
  }

  @Test
  void linksAPersonWhoMovedButKeptPhoneAndEmail() {
    existing("P1", mary());
    Builder moved = mary().id("r2").address("900 Lake Avenue Apt 3", "Madison", "WI", "53703");
    assertEquals(Decision.LINK, matcher.match(moved.input()).decision());
  }

  @Test
  void linksOrHoldsAMarriageSurnameChangeButNeverCreatesANewChart() {
    existing("P1", mary());
    Builder married = mary().id("r2").family("Johnson-Reyes");
    assertNotEquals(Decision.NEW, matcher.match(married.input()).decision());
    Builder renamed = mary().id("r3").family("Reyes");
    assertNotEquals(Decision.NEW, matcher.match(renamed.input()).decision());
  }

  @Test
  void neverMergesTwins() {
    Builder anna = person("r1", "Anna", "Kowalski", "20100512", "female").phone("217-555-0177").ssn("3001");
    existing("P1", anna);
    Builder beth = anna.copy().id("r2").given("Beth").ssn("3002");
    MatchResult r = matcher.match(beth.input());
    assertNotEquals(Decision.LINK, r.decision());
    Builder noSsn = anna.copy().id("r3").given("Clara").ssn(null);
    assertNotEquals(Decision.LINK, matcher.match(noSsn.input()).decision());
  }

  @Test
  void neverMergesTwinsOfDifferentSex() {
    Builder anna = person("r1", "Anna", "Kowalski", "20100512", "female").phone("217-555-0177");
    existing("P1", anna);
    MatchResult r = matcher.match(anna.copy().id("r2").given("Adam").sex("male").input());
    assertEquals(Decision.NEW, r.decision());
    assertTrue(r.reason().startsWith("ruled_out"));
  }

  @Test
  void neverMergesJuniorWithSeniorAtOneAddress() {
    Builder senior = person("r1", "Robert", "Miller", "19550220", "male").phone("217-555-0150");
    existing("P1", senior);
    Builder junior = senior.copy().id("r2").suffix("Jr").dob("19850611");
    assertNotEquals(Decision.LINK, matcher.match(junior.input()).decision());
    Builder juniorNoDob = senior.copy().id("r3").suffix("Jr").dob(null);
    assertNotEquals(Decision.LINK, matcher.match(juniorNoDob.input()).decision());
    existing("P2", junior);
    Builder seniorLabelled = senior.copy().id("r4").suffix("Sr");
    MatchResult r = matcher.match(seniorLabelled.input());
    assertEquals(Decision.LINK, r.decision());
    assertEquals("P1", r.patientId());
  }

  @Test
  void neverMergesSpousesSharingPhoneAndAddress() {
    Builder husband = person("r1", "David", "Nguyen", "19700101", "male").phone("217-555-0111").email("nguyens@example.com");
    existing("P1", husband);
    Builder wife = husband.copy().id("r2").given("Linda").sex("female").dob("19720909");
    assertNotEquals(Decision.LINK, matcher.match(wife.input()).decision());
  }

  @Test
  void neverMergesNamesakesBornTheSameDayElsewhere() {
    existing("P1", person("r1", "James", "Smith", "19881212", "male").phone("217-555-0120"));
    Builder elsewhere = person("r2", "James", "Smith", "19881212", "male").phone("608-555-0188")
        .address("77 Pine Road", "Madison", "WI", "53703");
    assertNotEquals(Decision.LINK, matcher.match(elsewhere.input()).decision());
  }

  @Test
  void neverMergesNamesakesBornTheSameDayInTheSameTown() {
    existing("P1", person("r1", "James", "Smith", "19881212", "male").address("400 Cedar Lane", "Springfield", "IL", "62704"));
    Builder sameTown = person("r2", "James", "Smith", "19881212", "male")
        .address("18 Cedar Lane", "Springfield", "IL", "62711");
    MatchResult r = matcher.match(sameTown.input());
    assertNotEquals(Decision.LINK, r.decision());
  }

  @Test
  void neverMergesTwinsWhoseSsnLastFourAreConsecutive() {
    Builder liz = person("r1", "Elizabeth", "Reyes", "20010101", "female").phone("217-555-0133").ssn("5120");
    existing("P1", liz);
    Builder lisa = liz.copy().id("r2").given("Lisa").ssn("5121");
    assertNotEquals(Decision.LINK, matcher.match(lisa.input()).decision());
  }

  /** Issue 9 §3: a parent and child of one name at one address and phone, birth years one digit apart. */
  @Test
  void neverLinksAParentAndChildOfOneNameWhoseBirthYearsDifferInOneDigit() {
    String[][] years = {{"19390614", "19590614"}, {"19650614", "19950614"}, {"19140614", "19410614"}};
    for (String[] y : years) {
      setUp();
      Builder parent = person("r-parent", "Carlos", "Ortega", y[0], "male").phone("(217) 555-0160");
      existing("P1", parent);
      for (String email : new String[] {null, "carlos.ortega@example.com"}) {
        // no SSN, nothing else differs: a typo or the child, so a person decides
        MatchResult same = matcher.match(parent.copy().id("r-child").dob(y[1]).email(email).input());
        assertNotEquals(Decision.LINK, same.decision(), y[0] + "/" + y[1] + " " + same.explanation());
      }
      // an email of his own at the same address and phone says "another member of the household"
      setUp();
      existing("P1", parent.copy().email("c.ortega.sr@example.com"));
      MatchResult own = matcher.match(parent.copy().id("r-child-2").dob(y[1]).email("carlitos@example.com").input());
      assertEquals(Decision.NEW, own.decision(), y[0] + "/" + y[1] + " " + own.explanation());
    }
  }

  /** Issue 9 §3: twins with near-identical given names at one address, phone and birth date. */
  @Test
  void neverLinksTwinsWithNearIdenticalGivenNames() {
    String[][] names = {{"Maria", "Mariana"}, {"Julia", "Juliana"}, {"Christian", "Christina"}};
    for (String[] n : names) {
      setUp();
      Builder first = person("r-1", n[0], "Lopez", "20120304", "female").phone("(217) 555-0171");
      existing("P1", first);
      MatchResult r = matcher.match(first.copy().id("r-2").given(n[1]).input());
      assertNotEquals(Decision.LINK, r.decision(), n[0] + "/" + n[1] + " " + r.explanation());
      MatchResult own = matcher.match(first.copy().id("r-3").given(n[1]).email("twin.two@example.com").input());
      assertNotEquals(Decision.LINK, own.decision(), n[0] + "/" + n[1] + " " + own.explanation());
    }
    setUp();
    Builder maria = person("r-1", "Maria", "Lopez", "20120304", "female").phone("(217) 555-0171").email("maria.l@example.com");
    existing("P1", maria);
    MatchResult r = matcher.match(maria.copy().id("r-2").given("Mariana").email("mariana.l@example.com").input());
    assertEquals(Decision.NEW, r.decision(), "her own email at the same home says twin: " + r.explanation());
  }

  @Test
  void anAgreeingSsnSettlesABirthYearOffByAGenerationAsATypo() {
    Builder parent = person("r-parent", "Carlos", "Ortega", "19650614", "male").phone("(217) 555-0160").ssn("4417");
    existing("P1", parent);
    MatchResult r = matcher.match(parent.copy().id("r-again").dob("19950614").input());
    assertEquals(Decision.LINK, r.decision(), r.explanation());
    MatchResult child = matcher.match(parent.copy().id("r-child").dob("19950614").ssn("8120").input());
    assertNotEquals(Decision.LINK, child.decision(), child.explanation());
  }

  @Test
  void stillLinksAOneKeystrokeTypoInTheGivenNameOrTheBirthYearWhenNothingSaysHousehold() {
    existing("P1", mary());
    assertEquals(Decision.LINK, matcher.match(mary().id("r2").given("Mray").input()).decision());
    assertEquals(Decision.LINK, matcher.match(mary().id("r3").dob("19810307").input()).decision());
    assertEquals(Decision.LINK, matcher.match(mary().id("r4").dob("19800307").given("Marry").ssn(null).input()).decision());
  }

  /** Two keystrokes in the given name (Jennifer / Jenifre) at the same home: a double typo, unless the household says otherwise. */
  @Test
  void linksADoubleTypoInTheGivenNameOnlyWhenNothingSaysHousehold() {
    Builder jennifer = person("r-1", "Jennifer", "Walsh", "19770512", "female").phone("(217) 555-0188")
        .email("jen.walsh@example.com");
    existing("P1", jennifer);
    MatchResult typo = matcher.match(jennifer.copy().id("r-2").given("Jenifre").input());
    assertEquals(Decision.LINK, typo.decision(), typo.explanation());
    MatchResult own = matcher.match(jennifer.copy().id("r-3").given("Jenifre").email("jenifre.w@example.com").input());
    assertEquals(Decision.NEW, own.decision(), "her own email at the same home says sister: " + own.explanation());
    MatchResult brother = matcher.match(jennifer.copy().id("r-4").given("Jenifre").sex("male").input());
    assertNotEquals(Decision.LINK, brother.decision(), brother.explanation());
  }

  /** A moved person keeps an email: it agrees while house, street and postcode all differ. */
  @Test
  void linksAMovedPersonWhoseOwnEmailAgreesBelowTheUsualLinkThreshold() {
    Builder ann = person("r-1", "Julia", "Kowalski", "19840219", "female").phone("(217) 555-0190")
        .email("julia.k@example.com");
    existing("P1", ann);
    Builder moved = ann.copy().id("r-2").family("Kowalsky").phone("(312) 555-0111")
        .address("77 Lake Shore Drive", "Chicago", "IL", "60611");
    MatchResult r = matcher.match(moved.input());
    assertTrue(r.score() < MatchSettings.defaults().link(), "below the usual threshold: " + r.explanation());
    assertEquals(Decision.LINK, r.decision(), r.explanation());
    // the same, but the birth date years apart (a child registered with the parent's email): never
    MatchResult child = matcher.match(moved.copy().id("r-3").family("Kowalski").dob("20140219").input());
    assertNotEquals(Decision.LINK, child.decision(), child.explanation());
    // a twin with a near-identical name sharing the family email, moved away: never
    MatchResult twin = matcher.match(moved.copy().id("r-4").family("Kowalski").given("Juliana").input());
    assertNotEquals(Decision.LINK, twin.decision(), twin.explanation());
    // no contact agreeing: name and birth date after a move stay below LINK
    MatchResult namesake = matcher.match(moved.copy().id("r-5").family("Kowalski").email(null).input());
    assertNotEquals(Decision.LINK, namesake.decision(), namesake.explanation());
  }

  /** Twins Elise and Eliza; Elise's moved record spelt "Elsie", a nickname of Eliza: Eliza must not link to it. */
  @Test
  void aNicknameDoesNotLinkWhenARuledOutRelativeResemblesTheRecordMore() {
    Builder elise = person("r-1", "Elise", "Williams", "19711123", "female").phone("(709) 555-0140")
        .email("elise.w@example.com");
    existing("P1", elise);
    existing("P2", elise.copy().id("r-2").given("Elsie").address("9074 Main Court", "Georgetown", "KY", "40381"));
    MatchResult eliza = matcher.match(elise.copy().id("r-3").given("Eliza").email(null).input());
    assertEquals(Decision.REVIEW, eliza.decision(), eliza.explanation());
    assertEquals("nickname_or_relative", eliza.reason());
    // without the twin in the index the nickname links as before
    setUp();
    existing("P2", elise.copy().id("r-2").given("Elsie").address("9074 Main Court", "Georgetown", "KY", "40381"));
    MatchResult alone = matcher.match(elise.copy().id("r-3").given("Eliza").email(null).input());
    assertNotEquals("nickname_or_relative", alone.reason(), alone.explanation());
  }

  @Test
  void linksWhenTheAddressIsBlankButNameBirthDateAndPhoneAgree() {
    existing("P1", mary());
    Builder noAddress = mary().id("r2").address(null, null, null, null).email(null);
    assertEquals(Decision.LINK, matcher.match(noAddress.input()).decision());
  }

  @Test
  void holdsForReviewWhenSsnConflictsWithEverythingElseAgreeing() {
    existing("P1", mary());
    MatchResult r = matcher.match(mary().id("r2").ssn("9999").input());
    assertEquals(Decision.REVIEW, r.decision());
    assertTrue(r.candidates().get(0).guards().contains(Guard.SSN_CONFLICT));
  }

  @Test
  void holdsForReviewWhenSexConflicts() {
    existing("P1", mary());
    MatchResult r = matcher.match(mary().id("r2").sex("male").input());
    assertNotEquals(Decision.LINK, r.decision());
  }

  @Test
  void holdsForReviewWhenTwoPatientsQualify() {
    existing("P1", mary());
    existing("P2", mary().id("r-dup"));
    MatchResult r = matcher.match(mary().id("r3").input());
    assertEquals(Decision.REVIEW, r.decision());
    assertEquals("several_certain_matches", r.reason());
  }

  @Test
  void explainsDecisionsWithFieldsAndScoresButNoDemographics() {
    existing("P1", mary());
    MatchResult r = matcher.match(mary().id("r2").email(null).input());
    String text = r.explanation();
    assertTrue(text.contains("agreed=[given, surname, birth_date"), text);
    assertTrue(text.contains("missing=["), text);
    assertTrue(text.contains("score="), text);
    assertFalse(text.toLowerCase().contains("mary"), text);
    assertFalse(text.toLowerCase().contains("johnson"), text);
    assertFalse(text.contains("1980"), text);
    assertTrue(r.score() >= MatchSettings.defaults().link());
  }

  @Test
  void neverScansTheIndex() {
    for (int i = 0; i < 500; i++) {
      existing("X" + i, person("x" + i, "Zed" + (char) ('a' + i % 26), "Other" + i, "19500101", "male")
          .phone(null).address(i + " Elm Street", "Salem", "OR", "97301"));
    }
    CountingIndex counting = new CountingIndex(index);
    new PatientMatcher(counting).match(mary().input());
    assertTrue(counting.recordsRead < 50, "read " + counting.recordsRead);
  }

  private static final class CountingIndex implements CandidateIndex {
    final CandidateIndex inner;
    int recordsRead;

    CountingIndex(CandidateIndex inner) {
      this.inner = inner;
    }

    @Override
    public List<String> lookup(String key, int limit) {
      return inner.lookup(key, limit);
    }

    @Override
    public List<NormalizedPerson> records(String patientId) {
      recordsRead++;
      return inner.records(patientId);
    }

    @Override
    public void file(String patientId, NormalizedPerson record, java.util.Set<String> keys) {
      inner.file(patientId, record, keys);
    }
  }
}
