package io.telebridge.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.rest.api.CacheControlDirective;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import io.telebridge.aws.DynamoDbIdentityStore;
import io.telebridge.core.identity.EhrPatient;
import io.telebridge.core.identity.EhrPatientIndex;
import io.telebridge.core.model.Identifier;
import io.telebridge.core.model.PatientDemographics;
import io.telebridge.fhir.FhirContexts;
import io.telebridge.json.PlatformEventReader;
import io.telebridge.local.LocalStack;
import io.telebridge.local.LocalStackOptions;
import io.telebridge.matching.mpi.MatcherWiring;
import io.telebridge.local.fhirserver.FhirServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.ChargeItem;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 12 §5/§6/§8 (the FHIR half) on the local stack and a real FHIR R4 server (HAPI FHIR JPA): two
 * tenants whose EHR profile records the visit over FHIR (generic-epic-like-fhir, and a copy for
 * north-clinic with its own platform authority and MRN system). A patient whose chart the EHR has (its MRN
 * linked by the matcher, its Patient on the FHIR server under the profile's MRN system) gets, from the
 * signed sample events, an Encounter, DocumentReference, ServiceRequests and a ChargeItem, found by the
 * platform ids under the tenant's systems and referencing that Patient; every event sent twice (a new
 * event id, the same content) is stored once; the amendment, cancellation and reversal update them; the
 * other tenant's same visit, note, order and charge ids stay its own; nothing reaches the intake DLQ.
 */
class VisitFhirIT {

  static final String DEMO = TenantIsolationIT.DEMO;
  static final String NORTH = TenantIsolationIT.NORTH;
  static final String DEMO_MRN_SYSTEM = "urn:oid:1.2.840.99999.1";
  static final String NORTH_MRN_SYSTEM = "urn:oid:2.16.840.1.113883.3.9999.7.1";
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final PlatformEventReader READER = new PlatformEventReader();

  private static LocalStack stack;
  private static IGenericClient fhir;

  static Path northProfile() throws IOException {
    String generic = Files.readString(Signed.REPO.resolve(
        "shared/hl7v2/src/main/resources/ehr-profiles/generic-epic-like-fhir.yaml"));
    String north = generic.replace("id: generic-epic-like-fhir", "id: north-epic-like-fhir")
        .replace("platform: {namespaceId: TELEHEALTH, typeCode: PI}", "platform: {namespaceId: NORTHPLAT, typeCode: PI}")
        .replace("receivingFacility: {namespaceId: MAIN_CLINIC}", "receivingFacility: {namespaceId: NORTH_HOSP}")
        .replace("patientIdentifierSystem: " + DEMO_MRN_SYSTEM, "patientIdentifierSystem: " + NORTH_MRN_SYSTEM);
    assertTrue(north.contains("NORTHPLAT") && north.contains("NORTH_HOSP") && north.contains(NORTH_MRN_SYSTEM),
        "the sample profile changed shape");
    Path file = Files.createTempDirectory("tb-visit-fhir").resolve("north-epic-like-fhir.yaml");
    Files.writeString(file, north);
    return file;
  }

  @BeforeAll
  static void start() throws IOException {
    FhirServer server = FhirServer.shared();
    fhir = FhirContexts.r4().newRestfulGenericClient(server.baseUrl());
    LocalStackOptions options = LocalStackOptions.forTests(Signed.REPO.resolve("template.yaml"))
        .environment("FHIR_BASE_URL", server.baseUrl()).environment("FHIR_AUTH", "none");
    options.parameter("Tenants", "{\"" + DEMO + "\": {\"ehrProfile\": \"generic-epic-like-fhir\", \"ehrFacilities\":"
        + " [\"MAIN_CLINIC\"]}, \"" + NORTH + "\": {\"ehrProfile\": \"" + northProfile()
        + "\", \"ehrFacilities\": [\"NORTH_HOSP\"]}}");
    options.secretValue("WebhookSecretArn", TenantIsolationIT.webhookSecrets(options.devSigningSecret()));
    stack = LocalStack.start(options);
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  private static byte[] event(String sample, String tenant, String id, String patient) throws IOException {
    return TenantIsolationIT.event(sample, tenant, id, patient, patient);
  }

  /** As the platform sends: a 5xx (a timeout on this shared machine) is sent again; the intake deduplicates by id. */
  private static void send(String tenant, byte[] body) throws Exception {
    String secret = tenant.equals(DEMO) ? stack.devSigningSecret() : TenantIsolationIT.NORTH_SECRET;
    int status = 0;
    for (int attempt = 0; attempt < 3 && (status == 0 || status >= 500); attempt++) {
      status = Signed.post(stack.apiUrl("/v1/events"), secret, body).statusCode();
    }
    assertEquals(202, status);
  }

  /**
   * The EHR already has this patient's chart: the matcher's EHR index knows its MRN (so the registration
   * links it) and the FHIR server holds its Patient under the tenant's MRN system.
   */
  private static String chart(String tenant, String patient, String mrn, String mrnSystem) throws Exception {
    byte[] registration = event("patient.registered.json", tenant, "evt-" + patient + "-reg", patient);
    PatientDemographics d = READER.read(new String(registration, StandardCharsets.UTF_8)).patient();
    DynamoDbIdentityStore store = new DynamoDbIdentityStore(stack.adapterDynamoDb(), stack.tableName("IdentityTable"));
    EhrPatientIndex index = MatcherWiring.ehrPatientIndex(store, store.candidateIndex());
    index.upsert(tenant, new EhrPatient(List.of(new Identifier(mrn, "EPI", "MR")),
        new PatientDemographics(null, d.name(), d.birthDate(), d.sex(), d.phones(), null, d.address(), d.ssnLast4())));
    PhiScan.record("mrn", mrn);
    Patient p = new Patient();
    p.addIdentifier().setSystem(mrnSystem).setValue(mrn);
    String id = fhir.create().resource(p).execute().getId().getIdPart();
    send(tenant, registration);
    return "Patient/" + id;
  }

  private static <T extends Resource> List<T> byIdentifier(Class<T> type, String tenant, String kind, String value) {
    Bundle b = fhir.search().byUrl(type.getSimpleName() + "?identifier=urn:telebridge:" + tenant + ":" + kind + "|"
        + value).returnBundle(Bundle.class).cacheControl(new CacheControlDirective().setNoCache(true)).execute();
    return b.getEntry().stream().map(e -> type.cast(e.getResource())).toList();
  }

  private static <T> T await(String what, Supplier<T> probe, java.util.function.Predicate<T> done)
      throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    T last = probe.get();
    while (!done.test(last)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(300);
      last = probe.get();
    }
    return last;
  }

  @Test
  void theVisitOfAFhirTenantIsInTheRecordOnceEvenWhenSentTwiceAndItsCorrectionsUpdateIt() throws Exception {
    String patient = chart(DEMO, "pat-vfh-1", "MRN-VFH-1", DEMO_MRN_SYSTEM);
    for (String round : List.of("a", "b")) { // the same content twice, under two event ids
      send(DEMO, event("visit.note_signed.json", DEMO, "evt-vfh-1n" + round, "pat-vfh-1"));
      send(DEMO, event("visit.orders_placed.json", DEMO, "evt-vfh-1o" + round, "pat-vfh-1"));
      send(DEMO, event("visit.charges_posted.json", DEMO, "evt-vfh-1c" + round, "pat-vfh-1"));
    }
    // the patient's events go in order: once a seventh (another note, of another visit) is stored, all six are
    send(DEMO, event("edge/visit.note_signed.pdf.json", DEMO, "evt-vfh-1z", "pat-vfh-1"));
    await("the seventh event's note", () -> byIdentifier(DocumentReference.class, DEMO, "note", "note-4002"),
        l -> !l.isEmpty());

    List<Encounter> encounters = byIdentifier(Encounter.class, DEMO, "visit", "vis-2001");
    assertEquals(1, encounters.size(), "one Encounter");
    Encounter e = encounters.getFirst();
    assertEquals(patient, e.getSubject().getReference());
    assertEquals("VR", e.getClass_().getCode());
    assertEquals(Encounter.EncounterStatus.FINISHED, e.getStatus());
    String encounter = "Encounter/" + e.getIdElement().getIdPart();
    // the Encounter reflects all three events (created by the note, the orders merged in), whatever came first
    assertEquals("2025-11-21T10:34:40-05:00", e.getPeriod().getStartElement().getValueAsString(), "the orders' time");
    assertEquals("2025-11-21T15:40:11-05:00", e.getPeriod().getEndElement().getValueAsString(), "the note's signing");
    assertEquals(List.of("G44.209", "R51.9"), e.getReasonCode().stream().map(c -> c.getCodingFirstRep().getCode())
        .sorted().toList());
    assertEquals(1, e.getParticipant().size(), "one provider, by NPI");
    assertEquals("2", e.getMeta().getVersionId(), "created, then the orders merged; the charges and every repeat"
        + " added nothing and were not written");

    List<DocumentReference> notes = byIdentifier(DocumentReference.class, DEMO, "note", "note-4001");
    assertEquals(1, notes.size(), "one DocumentReference");
    DocumentReference note = notes.getFirst();
    assertEquals(patient, note.getSubject().getReference());
    assertEquals(encounter, note.getContext().getEncounterFirstRep().getReference());
    assertEquals("11506-3", note.getType().getCodingFirstRep().getCode());
    assertTrue(new String(note.getContentFirstRep().getAttachment().getData(), StandardCharsets.UTF_8)
        .startsWith("Synthetic note for testing."));

    for (String order : List.of("ord-5001", "ord-5002")) {
      List<ServiceRequest> s = byIdentifier(ServiceRequest.class, DEMO, "order", order);
      assertEquals(1, s.size(), "one ServiceRequest " + order);
      assertEquals(ServiceRequest.ServiceRequestStatus.ACTIVE, s.getFirst().getStatus());
      assertEquals(patient, s.getFirst().getSubject().getReference());
      assertEquals(encounter, s.getFirst().getEncounter().getReference());
    }
    List<ChargeItem> charges = byIdentifier(ChargeItem.class, DEMO, "charge", "chg-6001");
    assertEquals(1, charges.size(), "one ChargeItem");
    assertEquals("99204", charges.getFirst().getCode().getCodingFirstRep().getCode());
    assertEquals(encounter, charges.getFirst().getContext().getReference());

    // the corrections: an amendment, a cancelled order, a reversed charge
    send(DEMO, event("edge/visit.note_signed.amended.json", DEMO, "evt-vfh-1x-amend", "pat-vfh-1"));
    send(DEMO, event("edge/visit.orders_placed.cancelled.json", DEMO, "evt-vfh-1x-cancel", "pat-vfh-1"));
    send(DEMO, event("edge/visit.charges_posted.reversal.json", DEMO, "evt-vfh-1x-reverse", "pat-vfh-1"));
    await("the reversal", () -> byIdentifier(ChargeItem.class, DEMO, "charge", "chg-6001"),
        l -> l.getFirst().getStatus() == ChargeItem.ChargeItemStatus.ABORTED);
    List<DocumentReference> versions = byIdentifier(DocumentReference.class, DEMO, "note", "note-4001");
    assertEquals(2, versions.size());
    DocumentReference v1 = versions.stream().filter(d -> d.getIdElement().getIdPart().equals(note.getIdElement()
        .getIdPart())).findFirst().orElseThrow();
    DocumentReference v2 = versions.stream().filter(d -> d != v1).findFirst().orElseThrow();
    assertEquals(Enumerations.DocumentReferenceStatus.SUPERSEDED, v1.getStatus());
    assertEquals(Enumerations.DocumentReferenceStatus.CURRENT, v2.getStatus());
    assertEquals(DocumentReference.ReferredDocumentStatus.AMENDED, v2.getDocStatus());
    assertEquals("DocumentReference/" + v1.getIdElement().getIdPart(), v2.getRelatesToFirstRep().getTarget().getReference());
    assertEquals(ServiceRequest.ServiceRequestStatus.REVOKED,
        byIdentifier(ServiceRequest.class, DEMO, "order", "ord-5002").getFirst().getStatus());
    assertEquals(1, byIdentifier(ServiceRequest.class, DEMO, "order", "ord-5002").size());
    assertEquals("2", byIdentifier(Encounter.class, DEMO, "visit", "vis-2001").getFirst().getMeta().getVersionId(),
        "the corrections add nothing to the Encounter (the amendment does not lengthen the visit)");
    assertEquals(0, EhrSide.depth(stack, "IntakeDeadLetterQueue"));
  }

  private static io.telebridge.fhir.FhirChartWriter writer(io.telebridge.core.context.VisitRecordProfile.PatientPolicy p) {
    return new io.telebridge.fhir.FhirChartWriter(FhirContexts.r4(), FhirServer.shared().baseUrl(),
        io.telebridge.hl7v2.EhrProfile.named("generic-epic-like-fhir").visitRecordProfile().withPatients(p), null);
  }

  private static io.telebridge.core.context.VisitRecord record(String sample, String eventId, String patient,
      String visit, List<Identifier> ids) throws IOException {
    io.telebridge.core.model.PlatformEvent e = READER.read(Files.readString(Signed.REPO.resolve("events/" + sample)));
    io.telebridge.core.model.Visit v = e.visit();
    // the note's and orders' ids of this visit's own (the server is shared with the other tests' samples)
    io.telebridge.core.model.VisitNote n = v.note();
    io.telebridge.core.model.VisitNote note = n == null ? null : new io.telebridge.core.model.VisitNote(
        n.id() + "-" + visit, n.type(), n.title(), n.contentType(), n.content(), n.pdf(), n.signedAt(), n.author(),
        n.status(), n.version());
    List<io.telebridge.core.model.VisitOrder> orders = v.orders().stream().map(o -> new io.telebridge.core.model.VisitOrder(
        o.id() + "-" + visit, o.category(), o.code(), o.priority(), o.instructions(), o.orderedAt(), o.orderer(),
        o.diagnoses(), o.cancelled())).toList();
    return new io.telebridge.core.context.VisitRecord(DEMO, eventId, e.type(), e.occurredAt(), patient, ids,
        new io.telebridge.core.model.Visit(visit, v.appointmentId(), note, orders, v.charges()));
  }

  /**
   * A patient the EHR has not put in the record yet: the writer (the translator's own, on the real FHIR server)
   * writes nothing and says PatientNotInRecord; once the EHR's Patient is there, the retry writes the visit on it.
   */
  @Test
  void aVisitWaitsForItsPatientInTheRecordAndIsWrittenOnItOnceItIsThere() throws Exception {
    var writer = writer(io.telebridge.core.context.VisitRecordProfile.PatientPolicy.FIND);
    var note = record("visit.note_signed.json", "evt-vfh-3n", "pat-vfh-3", "vis-vfh-3",
        List.of(new Identifier("MRN-VFH-3", "EPI", "MR")));
    io.telebridge.core.context.PatientNotInRecord e = org.junit.jupiter.api.Assertions.assertThrows(
        io.telebridge.core.context.PatientNotInRecord.class, () -> writer.write(note));
    assertTrue(e.getMessage().startsWith("patient_not_in_record"), e.getMessage());
    assertEquals(0, byIdentifier(Encounter.class, DEMO, "visit", "vis-vfh-3").size(), "nothing written");
    assertEquals(0, fhir.search().byUrl("Patient?identifier=urn:telebridge:" + DEMO + ":patient|pat-vfh-3")
        .returnBundle(Bundle.class).cacheControl(new CacheControlDirective().setNoCache(true)).execute().getEntry().size(),
        "FIND never creates a Patient in the EHR's record");
    Patient p = new Patient();
    p.addIdentifier().setSystem(DEMO_MRN_SYSTEM).setValue("MRN-VFH-3");
    String id = fhir.create().resource(p).execute().getId().getIdPart();
    writer.write(note);
    List<Encounter> visits = byIdentifier(Encounter.class, DEMO, "visit", "vis-vfh-3");
    assertEquals(1, visits.size());
    assertEquals("Patient/" + id, visits.getFirst().getSubject().getReference());
  }

  /** CREATE (telebridge's own record store): the Patient is created once, of identifiers only, and the visit on it. */
  @Test
  void withTheCreatePolicyTheMissingPatientIsCreatedOnceAndTheVisitWrittenOnIt() throws Exception {
    var writer = writer(io.telebridge.core.context.VisitRecordProfile.PatientPolicy.CREATE);
    List<Identifier> ids = List.of(new Identifier("pat-vfh-4", "TELEHEALTH", "PI"));
    writer.write(record("visit.note_signed.json", "evt-vfh-4n", "pat-vfh-4", "vis-vfh-4", ids));
    writer.write(record("visit.orders_placed.json", "evt-vfh-4o", "pat-vfh-4", "vis-vfh-4", ids));
    writer.write(record("visit.orders_placed.json", "evt-vfh-4o", "pat-vfh-4", "vis-vfh-4", ids)); // a retry
    List<Patient> patients = fhir.search().byUrl("Patient?identifier=urn:telebridge:" + DEMO + ":patient|pat-vfh-4")
        .returnBundle(Bundle.class).cacheControl(new CacheControlDirective().setNoCache(true)).execute().getEntry()
        .stream().map(x -> (Patient) x.getResource()).toList();
    assertEquals(1, patients.size(), "created once");
    assertTrue(patients.getFirst().getName().isEmpty(), "identifiers only");
    assertEquals("created-by-telebridge", patients.getFirst().getMeta().getTagFirstRep().getCode());
    Encounter e = byIdentifier(Encounter.class, DEMO, "visit", "vis-vfh-4").getFirst();
    assertEquals("Patient/" + patients.getFirst().getIdElement().getIdPart(), e.getSubject().getReference());
    assertEquals("2025-11-21T10:34:40-05:00", e.getPeriod().getStartElement().getValueAsString(), "the orders merged in");
    assertEquals("2", e.getMeta().getVersionId(), "the retry wrote nothing");
  }

  /** The server honours ifMatch inside a transaction: a write on a version that is no longer current fails whole. */
  @Test
  void aMergeOnAStaleVersionOfTheEncounterIsRefusedByTheServer() throws Exception {
    Patient p = new Patient();
    p.addIdentifier().setSystem(DEMO_MRN_SYSTEM).setValue("MRN-VFH-5");
    fhir.create().resource(p).execute();
    var writer = writer(io.telebridge.core.context.VisitRecordProfile.PatientPolicy.FIND);
    List<Identifier> ids = List.of(new Identifier("MRN-VFH-5", "EPI", "MR"));
    writer.write(record("visit.note_signed.json", "evt-vfh-5n", "pat-vfh-5", "vis-vfh-5", ids));
    writer.write(record("visit.orders_placed.json", "evt-vfh-5o", "pat-vfh-5", "vis-vfh-5", ids));
    Encounter now = byIdentifier(Encounter.class, DEMO, "visit", "vis-vfh-5").getFirst();
    assertEquals("2", now.getMeta().getVersionId());
    Bundle stale = new Bundle().setType(Bundle.BundleType.TRANSACTION);
    Encounter copy = now.copy();
    copy.setStatus(Encounter.EncounterStatus.CANCELLED);
    stale.addEntry().setResource(copy).getRequest().setMethod(Bundle.HTTPVerb.PUT)
        .setUrl("Encounter/" + now.getIdElement().getIdPart()).setIfMatch("W/\"1\"");
    ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException refused = org.junit.jupiter.api.Assertions.assertThrows(
        ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException.class,
        () -> fhir.transaction().withBundle(stale).execute());
    assertTrue(refused.getStatusCode() == 409 || refused.getStatusCode() == 412, "status " + refused.getStatusCode());
    assertEquals(Encounter.EncounterStatus.FINISHED,
        byIdentifier(Encounter.class, DEMO, "visit", "vis-vfh-5").getFirst().getStatus());
  }

  @Test
  void twoTenantsWithTheSameVisitNoteOrderAndChargeIdsStayApart() throws Exception {
    String demo = chart(DEMO, "pat-vfh-2", "MRN-VFH-2", DEMO_MRN_SYSTEM);
    String north = chart(NORTH, "pat-vfh-2", "MRN-VFH-2", NORTH_MRN_SYSTEM);
    send(NORTH, event("visit.note_signed.json", NORTH, "evt-vfh-2n", "pat-vfh-2"));
    send(NORTH, event("visit.charges_posted.json", NORTH, "evt-vfh-2c", "pat-vfh-2"));
    List<ChargeItem> northCharges = await("north's ChargeItem",
        () -> byIdentifier(ChargeItem.class, NORTH, "charge", "chg-6001"), l -> !l.isEmpty());
    assertEquals(1, northCharges.size());
    assertEquals(north, northCharges.getFirst().getSubject().getReference());
    List<DocumentReference> northNotes = byIdentifier(DocumentReference.class, NORTH, "note", "note-4001");
    assertEquals(1, northNotes.size());
    assertEquals(north, northNotes.getFirst().getSubject().getReference());
    List<Encounter> northVisits = byIdentifier(Encounter.class, NORTH, "visit", "vis-2001");
    assertEquals(1, northVisits.size());
    assertEquals(north, northVisits.getFirst().getSubject().getReference());
    assertTrue(!north.equals(demo));
    // demo-clinic's records of the same ids (from the other test, if it ran) name only demo-clinic's patients
    for (Encounter e : byIdentifier(Encounter.class, DEMO, "visit", "vis-2001")) {
      assertTrue(!north.equals(e.getSubject().getReference()), "no demo-clinic Encounter on north's patient");
    }
  }

  /**
   * Figures, not assertions (a shared 2-core machine): ms per write of a signed note (Patient search + one
   * transaction of Encounter + DocumentReference) by the translator's own writer against the local HAPI FHIR
   * JPA server, first writes and the same events again (found, nothing created); and CPU per note → Bundle
   * (mapping + JSON encoding, in this JVM after a warm-up).
   */
  @Test
  void printsMillisecondsPerNoteWriteOnTheLocalFhirServer() throws Exception {
    Patient p = new Patient();
    p.addIdentifier().setSystem(DEMO_MRN_SYSTEM).setValue("MRN-VFH-BENCH");
    fhir.create().resource(p).execute();
    io.telebridge.core.context.VisitRecordProfile profile =
        io.telebridge.hl7v2.EhrProfile.named("generic-epic-like-fhir").visitRecordProfile();
    io.telebridge.fhir.FhirChartWriter writer = new io.telebridge.fhir.FhirChartWriter(FhirContexts.r4(),
        FhirServer.shared().baseUrl(), profile, null);
    io.telebridge.core.model.PlatformEvent sample = READER.read(Files.readString(
        Signed.REPO.resolve("events/visit.note_signed.json")));
    int n = 40;
    List<io.telebridge.core.context.VisitRecord> records = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) {
      io.telebridge.core.model.VisitNote note = sample.visit().note();
      io.telebridge.core.model.VisitNote ni = new io.telebridge.core.model.VisitNote("note-bench-" + i, note.type(),
          note.title(), note.contentType(), note.content(), null, note.signedAt(), note.author(), note.status(),
          note.version());
      records.add(new io.telebridge.core.context.VisitRecord(DEMO, "evt-bench-" + i, sample.type(), sample.occurredAt(),
          "pat-bench", List.of(new Identifier("MRN-VFH-BENCH", "EPI", "MR")),
          new io.telebridge.core.model.Visit("vis-bench-" + i, null, ni, null, null)));
    }
    writer.write(records.getFirst()); // warm-up: the first write of this JVM
    long[] first = new long[n - 1];
    long[] again = new long[n - 1];
    for (int i = 1; i < n; i++) {
      long t0 = System.nanoTime();
      writer.write(records.get(i));
      first[i - 1] = System.nanoTime() - t0;
    }
    for (int i = 1; i < n; i++) {
      long t0 = System.nanoTime();
      io.telebridge.core.context.ChartWrite w = writer.write(records.get(i));
      again[i - 1] = System.nanoTime() - t0;
      assertEquals(0, w.created(), "the same event again creates nothing");
    }
    io.telebridge.fhir.R4VisitBundles bundles = new io.telebridge.fhir.R4VisitBundles(profile, "http://fhir.local/fhir");
    var json = FhirContexts.r4().newJsonParser();
    int warm = 2_000;
    int runs = 5_000;
    for (int i = 0; i < warm; i++) {
      json.encodeResourceToString(bundles.transactions(records.get(i % n), "Patient/1", List.of()).getFirst());
    }
    long t0 = System.nanoTime();
    for (int i = 0; i < runs; i++) {
      json.encodeResourceToString(bundles.transactions(records.get(i % n), "Patient/1", List.of()).getFirst());
    }
    double cpuMicros = (System.nanoTime() - t0) / 1e3 / runs;
    System.out.printf("VisitFhirIT figures: note write (Patient search + Encounter search + transaction of 2) on HAPI FHIR JPA/H2,"
        + " %d writes: first p50 %.1f ms p90 %.1f ms max %.1f ms; again (stored once) p50 %.1f ms p90 %.1f ms;"
        + " note -> Bundle JSON %.1f us (%d runs after %d warm-up)%n", n - 1, pct(first, 50), pct(first, 90),
        pct(first, 100), pct(again, 50), pct(again, 90), cpuMicros, runs, warm);
  }

  private static double pct(long[] nanos, int p) {
    long[] s = nanos.clone();
    java.util.Arrays.sort(s);
    int i = Math.min(s.length - 1, Math.max(0, (int) Math.ceil(p / 100.0 * s.length) - 1));
    return s[i] / 1e6;
  }
}
