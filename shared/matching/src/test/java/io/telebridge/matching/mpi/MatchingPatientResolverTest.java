package io.telebridge.matching.mpi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.telebridge.core.identity.CrossReference;
import io.telebridge.core.identity.EhrPatient;
import io.telebridge.core.identity.Resolution;
import io.telebridge.core.identity.ResolveRequest;
import io.telebridge.core.model.Address;
import io.telebridge.core.model.Identifier;
import io.telebridge.core.model.PatientDemographics;
import io.telebridge.core.model.PersonName;
import io.telebridge.core.model.Phone;
import io.telebridge.core.model.Sex;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The identity step end to end on the in-memory store: every value is invented. */
class MatchingPatientResolverTest {

  private final InMemoryIdentityStore store = new InMemoryIdentityStore();
  private final MatchingPatientResolver resolver =
      new MatchingPatientResolver(store, store.index(), "PLATFORM", Clock.systemUTC());
  private final MatchingEhrPatientIndex ehr = new MatchingEhrPatientIndex(store, resolver, Clock.systemUTC());
  /** Parked bodies in these tests are the platform patient id: the reader looks it up here. */
  private final Map<String, PatientDemographics> bodies = new HashMap<>();
  private final List<String> replayed = new ArrayList<>();
  private final ReviewCases reviews = new ReviewCases(store, resolver, bodies::get, (event, caseId) -> {
    Resolution r = resolver.resolve(new ResolveRequest("acme", bodies.get(event.body()), event.eventId(),
        event.body(), caseId));
    assertFalse(r.parked(), "a replayed event must resolve");
    replayed.add(event.eventId() + "->" + r.identifiers().get(0).value());
  }, Clock.systemUTC());

  static PatientDemographics patient(String platformId, String given, String family, String dob, String phone,
      String line, String zip) {
    return new PatientDemographics(platformId, new PersonName(List.of(given), family, null, null),
        LocalDate.parse(dob), Sex.FEMALE, phone == null ? List.of() : List.of(new Phone("mobile", phone)), null,
        new Address(List.of(line), "Springfield", "IL", zip, "US"), null);
  }

  static final PatientDemographics ALICE = patient("pp-1", "Alice", "Marlowe", "1984-03-02", "+12175550101",
      "12 Oak Street", "62701");

  private Resolution resolve(PatientDemographics p, String eventId) {
    bodies.put(p.platformPatientId(), p);
    return resolver.resolve(new ResolveRequest("acme", p, eventId, p.platformPatientId(), null));
  }

  private static Identifier mrn(String value) {
    return new Identifier(value, "HOSP", "MR");
  }

  @Test
  void aNewPatientIsRegisteredOnceAndItsRedeliveryRegistersAgain() {
    Resolution first = resolve(ALICE, "evt-1");
    assertTrue(first.newPatient());
    assertEquals(List.of(new Identifier("pp-1", "PLATFORM", "PI")), first.identifiers());
    assertTrue(resolve(ALICE, "evt-1").newPatient(), "a redelivery re-emits the registration (same control id)");
    assertFalse(resolve(ALICE, "evt-2").newPatient());
    assertEquals(1, store.index().patientCount());
  }

  @Test
  void aKnownPatientsNewAddressAndPhoneAreMatchedLater() {
    assertTrue(resolve(ALICE, "evt-1").newPatient());
    PatientDemographics moved = patient("pp-1", "Alice", "Marlowe", "1984-03-02", "+13095550188",
        "7 Harbor Lane", "61602");
    assertFalse(resolve(moved, "evt-2").newPatient(), "an update of a known patient resolves through its link");
    assertFalse(resolve(moved, "evt-2").newPatient(), "and a repeat files nothing new");
    PatientDemographics secondAccount = patient("pp-2", "Alice", "Marlowe", "1984-03-02", "+13095550188",
        "7 Harbor Lane", "61602");
    Resolution r = resolve(secondAccount, "evt-3");
    assertFalse(r.parked(), "the new address and phone are known: no review");
    assertFalse(r.newPatient(), "and no second registration");
    assertEquals(store.xref("acme", "pp-1").orElseThrow().personId(), store.xref("acme", "pp-2").orElseThrow().personId());
    assertEquals(3, store.index().records(store.xref("acme", "pp-1").orElseThrow().personId()).size(),
        "the first registration, the move, the second account: one record each");
  }

  @Test
  void aPatientTheEhrAlreadyHasIsLinkedToItsMrn() {
    ehr.upsert("acme", new EhrPatient(List.of(mrn("M100")), patient(null, "Alice", "Marlowe", "1984-03-02",
        "(217) 555-0101", "12 Oak St", "62701")));
    Resolution r = resolve(ALICE, "evt-1");
    assertFalse(r.newPatient());
    assertEquals(List.of(mrn("M100"), new Identifier("pp-1", "PLATFORM", "PI")), r.identifiers());
    assertEquals(List.of("pp-1"), ehr.platformPatientsOf("acme", mrn("M100")));
  }

  @Test
  void anotherTenantsChartIsNeverACandidate() {
    ehr.upsert("other", new EhrPatient(List.of(mrn("M100")), ALICE));
    assertTrue(resolve(ALICE, "evt-1").newPatient());
  }

  @Test
  void aPossibleMatchIsParkedWithItsLaterEventsAndReplayedInOrderOnceLinked() {
    ehr.upsert("acme", new EhrPatient(List.of(mrn("M200")), patient(null, "Alice", "Marlowe", "1984-03-02",
        null, "400 Elm Avenue", "62704")));
    Resolution r = resolve(ALICE, "evt-1");
    assertTrue(r.parked(), "same name and birth date, nothing else agreeing: a person decides");
    String caseId = r.parkedInCase();
    assertEquals(caseId, resolve(ALICE, "evt-2").parkedInCase());
    assertEquals(caseId, resolve(ALICE, "evt-2").parkedInCase(), "a redelivery is parked once");
    ReviewCase open = reviews.open("acme").get(0);
    assertEquals(caseId, open.caseId());
    assertEquals(ehrPerson("M200"), open.candidates().get(0).personId());
    assertTrue(open.score() > 0);
    assertEquals(List.of("evt-1", "evt-2"), reviews.parked("acme", caseId).stream().map(ParkedEvent::eventId).toList());

    ReviewCase done = reviews.link("acme", caseId, ehrPerson("M200"), "ops@example.test");
    assertEquals(ReviewCase.Status.RESOLVED, done.status());
    assertEquals(List.of("evt-1->M200", "evt-2->M200"), replayed);
    assertTrue(reviews.open("acme").isEmpty());
    Resolution after = resolve(ALICE, "evt-3");
    assertFalse(after.parked());
    assertEquals(mrn("M200"), after.identifiers().get(0));
    assertEquals(done, reviews.link("acme", caseId, ehrPerson("M200"), "ops@example.test"), "same decision again: no-op");
    assertThrows(ReviewCases.Conflict.class, () -> reviews.createNew("acme", caseId, "ops@example.test"));
  }

  @Test
  void aReviewResolvedAsNewRegistersWithTheFirstParkedEvent() {
    ehr.upsert("acme", new EhrPatient(List.of(mrn("M200")), patient(null, "Alice", "Marlowe", "1984-03-02",
        null, "400 Elm Avenue", "62704")));
    String caseId = resolve(ALICE, "evt-1").parkedInCase();
    List<Boolean> newFlags = new ArrayList<>();
    ReviewCases recording = new ReviewCases(store, resolver, bodies::get, (event, c) -> newFlags.add(
        resolver.resolve(new ResolveRequest("acme", ALICE, event.eventId(), event.body(), c)).newPatient()),
        Clock.systemUTC());
    recording.createNew("acme", caseId, "ops@example.test");
    assertEquals(List.of(true), newFlags);
    assertEquals(MatchingPatientResolver.registeredPersonId("acme", "pp-1"), store.xref("acme", "pp-1").orElseThrow().personId());
  }

  @Test
  void anEventArrivingDuringTheReplayIsTranslatedAfterTheParkedOnes() {
    ehr.upsert("acme", new EhrPatient(List.of(mrn("M200")), patient(null, "Alice", "Marlowe", "1984-03-02",
        null, "400 Elm Avenue", "62704")));
    String caseId = resolve(ALICE, "evt-1").parkedInCase();
    List<String> order = new ArrayList<>();
    ReviewCases racing = new ReviewCases(store, resolver, bodies::get, (event, c) -> {
      if (event.eventId().equals("evt-1")) {
        // a live event of the same patient is being translated meanwhile: it must wait its turn
        assertTrue(resolve(ALICE, "evt-live").parked());
      }
      order.add(event.eventId());
    }, Clock.systemUTC());
    racing.link("acme", caseId, ehrPerson("M200"), "ops");
    assertEquals(List.of("evt-1", "evt-live"), order);
    assertEquals(CrossReference.State.LINKED, store.xref("acme", "pp-1").orElseThrow().state());
  }

  @Test
  void twoPeopleDecidingOneCaseAtOnceGetOneDecisionAndOneReplay() throws Exception {
    ehr.upsert("acme", new EhrPatient(List.of(mrn("M200")), patient(null, "Alice", "Marlowe", "1984-03-02",
        null, "400 Elm Avenue", "62704")));
    String caseId = resolve(ALICE, "evt-1").parkedInCase();
    for (int round = 0; round < 10; round++) {
      CountDownLatch go = new CountDownLatch(1);
      List<String> outcomes = java.util.Collections.synchronizedList(new ArrayList<>());
      try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
        Future<?> a = pool.submit(() -> {
          go.await();
          try {
            reviews.link("acme", caseId, ehrPerson("M200"), "ops-a");
            outcomes.add("link");
          } catch (ReviewCases.Conflict c) {
            outcomes.add("conflict");
          }
          return null;
        });
        Future<?> b = pool.submit(() -> {
          go.await();
          try {
            reviews.createNew("acme", caseId, "ops-b");
            outcomes.add("new");
          } catch (ReviewCases.Conflict c) {
            outcomes.add("conflict");
          }
          return null;
        });
        go.countDown();
        a.get();
        b.get();
      }
      assertEquals(1, outcomes.stream().filter("conflict"::equals).count(), "round " + round + ": " + outcomes);
      if (round == 0) {
        assertEquals(1, replayed.size(), "the parked event is translated once: " + replayed);
      }
    }
  }

  @Test
  void twoConcurrentRegistrationsOfOneNewPersonCreateOnePerson() throws Exception {
    PatientDemographics second = patient("pp-2", "Alice", "Marlowe", "1984-03-02", "+12175550101",
        "12 Oak Street", "62701");
    bodies.put("pp-1", ALICE);
    bodies.put("pp-2", second);
    for (int round = 0; round < 20; round++) {
      InMemoryIdentityStore s = new InMemoryIdentityStore();
      MatchingPatientResolver r = new MatchingPatientResolver(s, s.index(), "PLATFORM", Clock.systemUTC());
      CountDownLatch go = new CountDownLatch(1);
      try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
        Future<Resolution> a = pool.submit(() -> {
          go.await();
          return r.resolve(new ResolveRequest("acme", ALICE, "evt-a", "pp-1", null));
        });
        Future<Resolution> b = pool.submit(() -> {
          go.await();
          return r.resolve(new ResolveRequest("acme", second, "evt-b", "pp-2", null));
        });
        go.countDown();
        int registrations = (a.get().newPatient() ? 1 : 0) + (b.get().newPatient() ? 1 : 0);
        assertEquals(1, registrations, "round " + round);
      }
      assertEquals(1, s.index().patientCount(), "round " + round);
      assertEquals(s.xref("acme", "pp-1").orElseThrow().personId(), s.xref("acme", "pp-2").orElseThrow().personId());
    }
  }

  @Test
  void aNamesakeBornTheSameDayTakesTheNextClaimAndBecomesAnotherPerson() {
    assertTrue(resolve(ALICE, "evt-1").newPatient());
    PatientDemographics namesake = new PatientDemographics("pp-9", new PersonName(List.of("Alice"), "Marlowe", null, null),
        LocalDate.parse("1984-03-02"), Sex.MALE, List.of(new Phone("mobile", "+13125550199")), null,
        new Address(List.of("77 Lake Shore Drive"), "Chicago", "IL", "60611", "US"), null);
    assertTrue(resolve(namesake, "evt-9").newPatient());
    assertNotEquals(store.xref("acme", "pp-1").orElseThrow().personId(), store.xref("acme", "pp-9").orElseThrow().personId());
  }

  @Test
  void theEhrEchoOfARegistrationAttachesTheMrn() {
    assertTrue(resolve(ALICE, "evt-1").newPatient());
    List<String> linked = ehr.upsert("acme", new EhrPatient(
        List.of(mrn("M300"), new Identifier("pp-1", "PLATFORM", "PI")), ALICE));
    assertEquals(List.of("pp-1"), linked);
    Resolution r = resolve(ALICE, "evt-1");
    assertFalse(r.newPatient(), "once the EHR has the chart, a redelivery does not register again");
    assertEquals(mrn("M300"), r.identifiers().get(0));
  }

  @Test
  void anA40MergeRepointsEveryPlatformPatientToTheSurvivor() {
    ehr.upsert("acme", new EhrPatient(List.of(mrn("M400")), ALICE));
    resolve(ALICE, "evt-1");
    PatientDemographics bob = patient("pp-5", "Robert", "Quince", "1970-11-30", "+12175550155", "9 Pine Road", "62702");
    ehr.upsert("acme", new EhrPatient(List.of(mrn("M500")), bob));
    resolve(bob, "evt-5");

    List<String> now = ehr.merge("acme", mrn("M500"), mrn("M400"));
    assertEquals(List.of("pp-5", "pp-1"), now);
    assertEquals(mrn("M500"), resolve(ALICE, "evt-2").identifiers().get(0));
    assertFalse(resolve(ALICE, "evt-2").identifiers().contains(mrn("M400")));
    assertEquals(List.of("pp-5", "pp-1"), ehr.platformPatientsOf("acme", mrn("M400")), "the prior MRN follows the merge");
    assertEquals(now, ehr.merge("acme", mrn("M500"), mrn("M400")), "a redelivered A40 changes nothing");
  }

  @Test
  void anUnknownMrnIsLinkedToNoPlatformPatient() {
    assertTrue(ehr.platformPatientsOf("acme", mrn("M999")).isEmpty());
    assertTrue(ehr.upsert("acme", new EhrPatient(List.of(mrn("M999")), ALICE)).isEmpty());
  }

  @Test
  void anEventWithoutDemographicsIsParkedNotGuessed() {
    PatientDemographics bare = new PatientDemographics("pp-7", null, null, null, null, null, null, null);
    Resolution r = resolver.resolve(new ResolveRequest("acme", bare, "evt-7", "{}", null));
    assertTrue(r.parked());
    assertEquals("no_demographics", reviews.get("acme", r.parkedInCase()).orElseThrow().reason());
    assertNull(store.xref("acme", "pp-7").orElseThrow().personId());
  }

  private static String ehrPerson(String mrnValue) {
    return MatchingEhrPatientIndex.ehrPersonId("acme", mrn(mrnValue));
  }
}
