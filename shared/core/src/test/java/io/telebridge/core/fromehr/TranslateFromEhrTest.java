package io.telebridge.core.fromehr;

import static io.telebridge.core.fromehr.Messages.MRN;
import static io.telebridge.core.fromehr.Messages.OTHER_MRN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.telebridge.core.error.TransientException;
import io.telebridge.core.fromehr.EhrAppointmentEvent.Kind;
import io.telebridge.core.model.Identifier;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TranslateFromEhrTest {

  static final String TENANT = "demo-clinic";

  final InMemoryEhrPatientIndex index = new InMemoryEhrPatientIndex();
  final InMemoryAppointmentStates states = new InMemoryAppointmentStates();
  final RecordingOutbox outbox = new RecordingOutbox();
  final RecordingMetrics metrics = new RecordingMetrics();
  final Clock clock = Clock.fixed(Instant.parse("2025-11-24T16:00:00Z"), ZoneOffset.UTC);

  TranslateFromEhr translate(ConflictPolicy policy) {
    return new TranslateFromEhr(TENANT, index, new ReconcileAppointment(states, policy), outbox, metrics, clock);
  }

  final TranslateFromEhr translate = translate(ConflictPolicy.ehrWins());

  @Test
  void sendsAResultToEveryPlatformPatientLinkedToTheMrn() {
    index.link(TENANT, MRN, "pat-1001").link(TENANT, MRN, "pat-2002");
    List<OutboundEvent> sent = translate.translate(Messages.result("LAB1", MRN, "F", "112"));
    assertEquals(List.of("pat-1001", "pat-2002"), sent.stream().map(OutboundEvent::platformPatientId).toList());
    OutboundEvent e = sent.get(0);
    assertEquals(OutboundEventType.RESULT_AVAILABLE, e.type());
    assertEquals("demo-clinic:pat-1001", e.groupId());
    assertEquals(OffsetDateTime.parse("2025-11-20T14:30:00-05:00"), e.occurredAt());
    var data = assertInstanceOf(OutboundData.ResultAvailable.class, e.data());
    assertFalse(data.correction());
    assertNull(data.replaces());
    assertEquals(sent, outbox.sent);
    assertTrue(e.eventId().matches("^ehr-[0-9a-f]{40}$"));
    assertFalse(sent.get(0).eventId().equals(sent.get(1).eventId()));
  }

  @Test
  void aRedeliveredMessageYieldsTheSameEventIds() {
    index.link(TENANT, MRN, "pat-1001");
    String first = translate.translate(Messages.result("LAB1", MRN, "F", "112")).get(0).eventId();
    String again = translate.translate(Messages.result("LAB1", MRN, "F", "112")).get(0).eventId();
    String other = translate.translate(Messages.result("LAB2", MRN, "F", "112")).get(0).eventId();
    assertEquals(first, again);
    assertFalse(first.equals(other));
  }

  @Test
  void aCorrectedResultSaysItReplacesTheEarlierOne() {
    index.link(TENANT, MRN, "pat-1001");
    OutboundEvent fin = translate.translate(Messages.result("LAB1", MRN, "F", "112")).get(0);
    OutboundEvent corrected = translate.translate(Messages.result("LAB9", MRN, "C", "121")).get(0);
    var data = assertInstanceOf(OutboundData.ResultAvailable.class, corrected.data());
    assertTrue(data.correction());
    assertEquals("EPIC_LAB:F-778812", data.replaces());
    assertEquals(((OutboundData.ResultAvailable) fin.data()).result().id(), data.result().id());
    assertFalse(fin.eventId().equals(corrected.eventId()));
  }

  @Test
  void aResultForAnUnlinkedMrnIsCountedNotDeliveredAndNotAnError() {
    assertEquals(List.of(), translate.translate(Messages.result("LAB1", OTHER_MRN, "F", "1")));
    assertEquals(List.of(), outbox.sent);
    assertEquals(1, metrics.get(Metrics.UNLINKED_MRN_MESSAGES));
  }

  @Test
  void a04AndA28OnlyFileThePatientInTheIndex() {
    for (var kind : List.of(EhrPatientEvent.Kind.REGISTERED, EhrPatientEvent.Kind.PERSON_ADDED)) {
      var e = new EhrPatientEvent(Messages.header("ADT-" + kind, "ADT^" + kind.trigger(), "2025-11-19T10:00:00-05:00"),
          kind, Messages.patient(MRN, "pat-1001"), null, null);
      assertEquals(List.of(), translate.translate(e));
    }
    assertEquals(2, index.upserted.size());
    assertEquals(List.of("pat-1001"), index.platformPatientsOf(TENANT, MRN));
    assertEquals(0, metrics.get(Metrics.UNLINKED_MRN_MESSAGES));
  }

  @Test
  void anUnlinkedA04IsRecordedAndCounted() {
    var e = new EhrPatientEvent(Messages.header("ADT1", "ADT^A04", "2025-11-19T10:00:00-05:00"),
        EhrPatientEvent.Kind.REGISTERED, Messages.patient(OTHER_MRN, null), null, null);
    assertEquals(List.of(), translate.translate(e));
    assertEquals(1, index.upserted.size());
    assertEquals(1, metrics.get(Metrics.UNLINKED_MRN_MESSAGES));
  }

  @Test
  void a08AndA31UpdateThePlatformPatient() {
    index.link(TENANT, MRN, "pat-1001");
    for (var kind : List.of(EhrPatientEvent.Kind.UPDATED, EhrPatientEvent.Kind.PERSON_UPDATED)) {
      var e = new EhrPatientEvent(Messages.header("ADT-" + kind, "ADT^" + kind.trigger(), "2025-11-20T12:00:00-05:00"),
          kind, Messages.patient(MRN, null), null, OffsetDateTime.parse("2025-11-20T11:59:00-05:00"));
      OutboundEvent sent = translate.translate(e).get(0);
      assertEquals(OutboundEventType.PATIENT_UPDATED, sent.type());
      assertEquals(OffsetDateTime.parse("2025-11-20T11:59:00-05:00"), sent.occurredAt(), "EVN-2");
      assertEquals(kind.trigger(), ((OutboundData.PatientUpdated) sent.data()).trigger());
    }
  }

  @Test
  void a40MergesTheIndexAndTellsEveryAffectedPlatformPatient() {
    index.link(TENANT, OTHER_MRN, "pat-3003").link(TENANT, MRN, "pat-1001");
    var e = new EhrPatientEvent(Messages.header("ADT40", "ADT^A40", "2025-11-22T08:00:00-05:00"),
        EhrPatientEvent.Kind.MERGED, Messages.patient(MRN, null), OTHER_MRN, null);
    List<OutboundEvent> sent = translate.translate(e);
    assertEquals(List.of("pat-1001", "pat-3003"), sent.stream().map(OutboundEvent::platformPatientId).sorted().toList());
    var data = assertInstanceOf(OutboundData.PatientsMerged.class, sent.get(0).data());
    assertEquals(MRN, data.surviving());
    assertEquals(OTHER_MRN, data.merged());
    assertEquals(List.of("pat-1001", "pat-3003"), index.platformPatientsOf(TENANT, MRN).stream().sorted().toList());
    assertEquals(List.of(), index.platformPatientsOf(TENANT, OTHER_MRN));
  }

  // ------------------------------------------------------------------------- appointments

  @Test
  void anEhrBookingReachesThePlatformWithEveryField() {
    index.link(TENANT, MRN, "pat-1001");
    OutboundEvent e = translate.translate(Messages.siu("S1", Kind.BOOKED, "2025-11-19T11:00:00-05:00",
        "2025-12-02T09:30:00-05:00", "2025-12-02T10:00:00-05:00", "1555014202")).get(0);
    var data = assertInstanceOf(OutboundData.AppointmentChanged.class, e.data());
    assertEquals("booked", data.change());
    assertEquals(List.of("time", "provider", "status"), data.changedFields());
    assertEquals("apt-3001", data.appointment().id());
    assertEquals("SCH-104233", data.appointment().ehrId());
    assertEquals(OffsetDateTime.parse("2025-12-02T09:30:00-05:00"), data.appointment().start());
    assertEquals("1555014202", data.appointment().provider().npi());
    assertEquals("booked", data.appointment().status());
  }

  @Test
  void theEchoOfTelebridgesOwnRescheduleIsNotSentBack() {
    index.link(TENANT, MRN, "pat-1001");
    ReconcileAppointment reconcile = new ReconcileAppointment(states, ConflictPolicy.ehrWins());
    // what the to-EHR path pushed for the platform's reschedule
    reconcile.recordPlatformChange(TENANT, "apt-3001", "SCH-104233", OffsetDateTime.parse("2025-11-21T10:00:00-05:00"),
        OffsetDateTime.parse("2025-11-21T10:30:00-05:00"), "1555014202", null, "rescheduled",
        Instant.parse("2025-11-24T16:00:00Z"));
    // the EHR's S13 reports exactly that (in another offset, a few minutes later)
    List<OutboundEvent> sent = translate.translate(Messages.siu("S13echo", Kind.RESCHEDULED,
        "2025-11-24T11:05:00-05:00", "2025-11-21T15:00:00Z", "2025-11-21T15:30:00Z", "1555014202"));
    assertEquals(List.of(), sent);
    assertEquals(1, metrics.get(Metrics.ECHOES_SUPPRESSED));
    assertEquals(ChangeSource.PLATFORM, states.load(TENANT, "apt-3001").orElseThrow().field(AppointmentField.TIME).source());
  }

  @Test
  void anEchoStillPassesOnWhatTheEhrChangedBeyondIt() {
    index.link(TENANT, MRN, "pat-1001");
    new ReconcileAppointment(states, ConflictPolicy.ehrWins()).recordPlatformChange(TENANT, "apt-3001", null,
        OffsetDateTime.parse("2025-11-21T10:00:00-05:00"), OffsetDateTime.parse("2025-11-21T10:30:00-05:00"),
        "1555014202", null, "booked", Instant.parse("2025-11-24T16:00:00Z"));
    List<OutboundEvent> sent = translate.translate(Messages.siu("S14", Kind.MODIFIED, "2025-11-24T12:00:00-05:00",
        "2025-11-21T10:00:00-05:00", "2025-11-21T10:30:00-05:00", "1555019904"));
    var data = (OutboundData.AppointmentChanged) sent.get(0).data();
    assertEquals(List.of("provider"), data.changedFields());
    assertEquals("1555019904", data.appointment().provider().npi());
  }

  @Test
  void aStaleUpdateIsIgnoredAndCounted() {
    index.link(TENANT, MRN, "pat-1001");
    translate.translate(Messages.siu("S13b", Kind.RESCHEDULED, "2025-11-20T16:00:00-05:00",
        "2025-11-21T14:00:00-05:00", "2025-11-21T14:30:00-05:00", "1555014202"));
    outbox.sent.clear();
    // an older reschedule arrives late (a redrive, or two EHR feeds out of order)
    List<OutboundEvent> sent = translate.translate(Messages.siu("S13a", Kind.RESCHEDULED, "2025-11-20T15:00:00-05:00",
        "2025-11-21T11:00:00-05:00", "2025-11-21T11:30:00-05:00", "1555014202"));
    assertEquals(List.of(), sent);
    assertEquals(1, metrics.get(Metrics.STALE_APPOINTMENT_UPDATES));
    assertEquals("2025-11-21T14:00-05:00/2025-11-21T14:30-05:00",
        states.load(TENANT, "apt-3001").orElseThrow().field(AppointmentField.TIME).value());
  }

  @Test
  void aPolicyThatGivesStatusToThePlatformKeepsThePlatformsCancellationOut() {
    index.link(TENANT, MRN, "pat-1001");
    TranslateFromEhr platformOwnsStatus = translate(ConflictPolicy.parse("status:PLATFORM"));
    new ReconcileAppointment(states, ConflictPolicy.ehrWins()).recordPlatformChange(TENANT, "apt-3001", null,
        OffsetDateTime.parse("2025-11-21T10:00:00-05:00"), OffsetDateTime.parse("2025-11-21T10:30:00-05:00"),
        "1555014202", null, "booked", Instant.parse("2025-11-24T16:00:00Z"));
    List<OutboundEvent> sent = platformOwnsStatus.translate(Messages.siu("S15", Kind.CANCELLED,
        "2025-11-24T12:00:00-05:00", "2025-11-21T10:00:00-05:00", "2025-11-21T10:30:00-05:00", "1555014202"));
    assertEquals(List.of(), sent);
    assertEquals(1, metrics.get(Metrics.CONFLICTS_KEPT_BY_POLICY));
    assertEquals("booked", states.load(TENANT, "apt-3001").orElseThrow().field(AppointmentField.STATUS).value());
    // the default policy lets the same cancellation through
    List<OutboundEvent> ehrWins = translate.translate(Messages.siu("S15", Kind.CANCELLED,
        "2025-11-24T12:00:00-05:00", "2025-11-21T10:00:00-05:00", "2025-11-21T10:30:00-05:00", "1555014202"));
    assertEquals(List.of("status"), ((OutboundData.AppointmentChanged) ehrWins.get(0).data()).changedFields());
  }

  @Test
  void whenTheQueueFailsTheStateDoesNotMoveSoTheRetrySendsTheSameEvent() {
    index.link(TENANT, MRN, "pat-1001");
    EhrAppointmentEvent s12 = Messages.siu("S1", Kind.BOOKED, "2025-11-19T11:00:00-05:00",
        "2025-12-02T09:30:00-05:00", "2025-12-02T10:00:00-05:00", "1555014202");
    outbox.failuresToInject = 1;
    assertThrows(TransientException.class, () -> translate.translate(s12));
    assertTrue(states.load(TENANT, "apt-3001").isEmpty());
    List<OutboundEvent> retry = translate.translate(s12);
    assertEquals(1, retry.size());
    // and once through, a redelivery changes nothing and sends nothing
    assertEquals(List.of(), translate.translate(s12));
  }

  @Test
  void aConcurrentWriterMakesTheRuleDecideAgain() {
    index.link(TENANT, MRN, "pat-1001");
    states.conflictsToInject = 2;
    List<OutboundEvent> sent = translate.translate(Messages.siu("S1", Kind.BOOKED, "2025-11-19T11:00:00-05:00",
        "2025-12-02T09:30:00-05:00", "2025-12-02T10:00:00-05:00", "1555014202"));
    assertEquals(1, sent.size());
    assertEquals(1, states.load(TENANT, "apt-3001").orElseThrow().version());
    assertEquals(3, outbox.sent.size(), "sent on every attempt, with one event id: the queue deduplicates");
    assertEquals(1, outbox.sent.stream().map(OutboundEvent::eventId).distinct().count());
  }

  @Test
  void anAppointmentOfAnUnlinkedMrnIsCounted() {
    assertEquals(List.of(), translate.translate(Messages.siu("S1", Kind.BOOKED, "2025-11-19T11:00:00-05:00",
        "2025-12-02T09:30:00-05:00", "2025-12-02T10:00:00-05:00", null)));
    assertEquals(1, metrics.get(Metrics.UNLINKED_MRN_MESSAGES));
    assertTrue(states.load(TENANT, "apt-3001").isEmpty());
  }

  @Test
  void theMetricLinesCarryIdsOnly() {
    StringBuilder lines = new StringBuilder();
    var emf = new io.telebridge.core.log.EmfMetrics("telebridge", "from-ehr-translator", lines::append, clock);
    new TranslateFromEhr(TENANT, index, new ReconcileAppointment(states, ConflictPolicy.ehrWins()), outbox, emf, clock)
        .translate(Messages.result("LAB1", OTHER_MRN, "F", "1"));
    assertEquals("{\"_aws\":{\"Timestamp\":1764000000000,\"CloudWatchMetrics\":[{\"Namespace\":\"telebridge\","
        + "\"Dimensions\":[[\"Service\"]],\"Metrics\":[{\"Name\":\"UnlinkedMrnMessages\",\"Unit\":\"Count\"}]}]},"
        + "\"Service\":\"from-ehr-translator\",\"UnlinkedMrnMessages\":1,\"tenant\":\"demo-clinic\","
        + "\"controlId\":\"LAB1\",\"messageType\":\"ORU^R01\",\"sendingFacility\":\"MAIN_CLINIC\"}", lines.toString());
    assertFalse(lines.toString().contains("Testpatient"));
    assertFalse(lines.toString().contains("100877"), "not even the MRN");
  }

  @Test
  void parsesTheConflictPolicy() {
    ConflictPolicy p = ConflictPolicy.parse("time:EHR, provider:platform");
    assertEquals(ChangeSource.EHR, p.winner(AppointmentField.TIME));
    assertEquals(ChangeSource.PLATFORM, p.winner(AppointmentField.PROVIDER));
    assertEquals(ChangeSource.EHR, p.winner(AppointmentField.STATUS), "unnamed: the default");
    assertEquals(ConflictPolicy.ehrWins(), ConflictPolicy.parse(""));
    assertThrows(IllegalArgumentException.class, () -> ConflictPolicy.parse("colour:EHR"));
    assertThrows(IllegalArgumentException.class, () -> ConflictPolicy.parse("time=EHR"));
  }

  @Test
  void theRuleComparesTimesAsInstants() {
    Instant t0 = Instant.parse("2025-11-24T16:00:00Z");
    FieldState stored = new FieldState("2025-11-21T10:00-05:00/2025-11-21T10:30-05:00", ChangeSource.PLATFORM, t0);
    FieldState same = new FieldState("2025-11-21T15:00Z/2025-11-21T15:30Z", ChangeSource.EHR, t0.minusSeconds(60));
    assertEquals(FieldDecision.ECHO, ConflictRule.decide(AppointmentField.TIME, stored, same, ChangeSource.EHR));
    FieldState older = new FieldState("2025-11-21T16:00Z/2025-11-21T16:30Z", ChangeSource.EHR, t0.minusSeconds(60));
    assertEquals(FieldDecision.STALE, ConflictRule.decide(AppointmentField.TIME, stored, older, ChangeSource.EHR));
    FieldState newer = new FieldState("2025-11-21T16:00Z/2025-11-21T16:30Z", ChangeSource.EHR, t0.plusSeconds(60));
    assertEquals(FieldDecision.APPLIED, ConflictRule.decide(AppointmentField.TIME, stored, newer, ChangeSource.EHR));
    assertEquals(FieldDecision.KEPT_BY_POLICY,
        ConflictRule.decide(AppointmentField.TIME, stored, newer, ChangeSource.PLATFORM));
    assertEquals(FieldDecision.APPLIED, ConflictRule.decide(AppointmentField.TIME, null, newer, ChangeSource.PLATFORM));
    assertEquals(FieldDecision.UNCHANGED, ConflictRule.decide(AppointmentField.TIME, stored, null, ChangeSource.EHR));
  }

  @Test
  void recordsCarryNoPatientDataInToString() {
    ResultReport r = Messages.result("LAB1", MRN, "F", "112");
    String s = r + " " + r.results() + " " + r.results().get(0).observations() + " "
        + r.results().get(0).observations().get(0).values();
    assertFalse(s.contains("112") || s.contains("Testpatient") || s.contains("1984"), s);
    assertTrue(Map.of("k", s).toString().contains("EPIC_LAB:F-778812"));
  }
}
