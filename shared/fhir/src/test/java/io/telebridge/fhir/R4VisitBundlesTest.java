package io.telebridge.fhir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import io.telebridge.core.context.VisitRecord;
import io.telebridge.core.context.VisitRecordProfile;
import io.telebridge.core.error.RejectedException;
import io.telebridge.core.model.Identifier;
import io.telebridge.core.model.PlatformEvent;
import io.telebridge.hl7v2.EhrProfile;
import io.telebridge.json.PlatformEventReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Enumerations;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The visit's FHIR bundles for the sample events (events/ and events/edge/) on the sample profile
 * generic-epic-like-fhir, compared with the golden files under {@code src/test/resources/golden/}
 * (rewrite them with {@code -Dgolden.update=true} and review the diff), and each validated against the
 * R4 base definitions with HAPI's instance validator: no error.
 */
class R4VisitBundlesTest {

  private static final Path REPO = Path.of("../..");
  private static final Path GOLDEN = Path.of("src/test/resources/golden");
  private static final boolean UPDATE = Boolean.getBoolean("golden.update");
  private static final String PATIENT = "Patient/example-1";
  private static final String BASE = "https://fhir.example.org/r4";
  private static final List<Identifier> MRN = List.of(new Identifier("E1001", "EPI", "MR"),
      new Identifier("pat-1001", "TELEHEALTH", "PI"));

  private static FhirContext fhir;
  private static FhirValidator validator;
  private static VisitRecordProfile profile;

  @BeforeAll
  static void setUp() {
    fhir = FhirContexts.r4();
    ValidationSupportChain chain = new ValidationSupportChain(new DefaultProfileValidationSupport(fhir),
        new InMemoryTerminologyServerValidationSupport(fhir), new CommonCodeSystemsTerminologyService(fhir),
        new SnapshotGeneratingValidationSupport(fhir));
    validator = fhir.newValidator().registerValidatorModule(new FhirInstanceValidator(chain));
    profile = EhrProfile.named("generic-epic-like-fhir").visitRecordProfile();
  }

  private static VisitRecord record(String sample) throws IOException {
    PlatformEvent event = new PlatformEventReader().read(Files.readString(REPO.resolve(sample)));
    return VisitRecord.of(event, MRN);
  }

  private static Bundle only(VisitRecordProfile p, String sample, List<DocumentReference> stored) throws IOException {
    List<Bundle> bundles = new R4VisitBundles(p, BASE).transactions(record(sample), PATIENT, stored);
    assertEquals(1, bundles.size(), sample);
    return bundles.getFirst();
  }

  /** Compares with (or, with -Dgolden.update=true, rewrites) the golden file, and validates against R4 base. */
  private static void golden(String name, Bundle bundle) throws IOException {
    String json = fhir.newJsonParser().setPrettyPrint(true).encodeResourceToString(bundle) + "\n";
    Path file = GOLDEN.resolve(name + ".json");
    if (UPDATE || !Files.exists(file)) {
      Files.writeString(file, json, StandardCharsets.UTF_8);
    }
    assertEquals(Files.readString(file, StandardCharsets.UTF_8), json, "golden " + file + " (rebuild: -Dgolden.update=true)");
    List<SingleValidationMessage> errors = validator.validateWithResult(bundle).getMessages().stream()
        .filter(m -> m.getSeverity().ordinal() >= ResultSeverityEnum.ERROR.ordinal()).toList();
    assertTrue(errors.isEmpty(), name + " is not valid R4: " + errors.stream()
        .map(m -> m.getLocationString() + " " + m.getMessage()).toList());
    // and it parses back to the same bundle
    assertEquals(json, fhir.newJsonParser().setPrettyPrint(true)
        .encodeResourceToString(fhir.newJsonParser().parseResource(Bundle.class, json)) + "\n");
  }

  /** The signed note's DocumentReference as the server would hand it back, with a server id and a status. */
  private static DocumentReference stored(String id, String sample, Enumerations.DocumentReferenceStatus status)
      throws IOException {
    Bundle b = only(profile, sample, List.of());
    DocumentReference d = (DocumentReference) b.getEntry().getLast().getResource().copy();
    d.setId("DocumentReference/" + id + "/_history/1");
    d.setStatus(status);
    return d;
  }

  @Test
  void aSignedNoteIsAnEncounterAndAFinalProgressNoteWithItsTextInline() throws IOException {
    Bundle b = only(profile, "events/visit.note_signed.json", List.of());
    assertEquals(List.of("Encounter", "DocumentReference"), types(b));
    assertEquals("identifier=urn:telebridge:demo-clinic:visit|vis-2001", b.getEntry().get(0).getRequest().getIfNoneExist());
    assertEquals("identifier=urn:telebridge:demo-clinic:note-version|note-4001/1",
        b.getEntry().get(1).getRequest().getIfNoneExist());
    DocumentReference d = (DocumentReference) b.getEntry().get(1).getResource();
    assertEquals("11506-3", d.getType().getCodingFirstRep().getCode());
    assertEquals(b.getEntry().get(0).getFullUrl(), d.getContext().getEncounterFirstRep().getReference());
    golden("note.signed", b);
  }

  @Test
  void anAmendedNoteReplacesTheStoredVersionWhichBecomesSuperseded() throws IOException {
    Bundle b = only(profile, "events/edge/visit.note_signed.amended.json",
        List.of(stored("1001", "events/visit.note_signed.json", Enumerations.DocumentReferenceStatus.CURRENT)));
    assertEquals(List.of("Encounter", "DocumentReference", "DocumentReference"), types(b));
    assertEquals("DocumentReference/1001", b.getEntry().get(1).getRequest().getUrl());
    assertEquals(Enumerations.DocumentReferenceStatus.SUPERSEDED,
        ((DocumentReference) b.getEntry().get(1).getResource()).getStatus());
    DocumentReference amended = (DocumentReference) b.getEntry().get(2).getResource();
    assertEquals(DocumentReference.ReferredDocumentStatus.AMENDED, amended.getDocStatus());
    assertEquals("DocumentReference/1001", amended.getRelatesToFirstRep().getTarget().getReference());
    golden("note.amended", b);
  }

  @Test
  void aRetractedNoteMarksEveryStoredVersionEnteredInError() throws IOException {
    Bundle b = only(profile, "events/edge/visit.note_signed.retracted.json", List.of(
        stored("1001", "events/visit.note_signed.json", Enumerations.DocumentReferenceStatus.SUPERSEDED),
        stored("1002", "events/visit.note_signed.json", Enumerations.DocumentReferenceStatus.CURRENT)));
    assertEquals(List.of("Encounter", "DocumentReference", "DocumentReference"), types(b));
    b.getEntry().subList(1, 3).forEach(e -> assertEquals(Enumerations.DocumentReferenceStatus.ENTEREDINERROR,
        ((DocumentReference) e.getResource()).getStatus()));
    golden("note.retracted", b);
  }

  @Test
  void aPdfNoteIsAnInlinePdfAttachment() throws IOException {
    Bundle b = only(profile, "events/edge/visit.note_signed.pdf.json", List.of());
    DocumentReference d = (DocumentReference) b.getEntry().get(1).getResource();
    assertEquals("application/pdf", d.getContentFirstRep().getAttachment().getContentType());
    assertTrue(new String(d.getContentFirstRep().getAttachment().getData(), StandardCharsets.ISO_8859_1).startsWith("%PDF"));
    golden("note.pdf", b);
  }

  @Test
  void aNoteAboveTheInlineLimitGoesAsABinaryOnAnIdOfItsOwn() throws IOException {
    VisitRecordProfile small = withLimits(profile, 100, 64);
    Bundle b = only(small, "events/visit.note_signed.json", List.of());
    assertEquals(List.of("Encounter", "Binary", "DocumentReference"), types(b));
    String binary = b.getEntry().get(1).getRequest().getUrl();
    assertEquals(Bundle.HTTPVerb.PUT, b.getEntry().get(1).getRequest().getMethod());
    assertEquals(binary, ((DocumentReference) b.getEntry().get(2).getResource()).getContentFirstRep().getAttachment().getUrl());
    assertEquals(binary, new R4VisitBundles(small, BASE).transactions(record("events/visit.note_signed.json"), PATIENT, List.of())
        .getFirst().getEntry().get(1).getRequest().getUrl(), "the same id when built again");
    golden("note.binary", b);
  }

  @Test
  void ordersAreActiveServiceRequestsWithThePlatformCodeAndTheEhrsOrderable() throws IOException {
    Bundle b = only(profile, "events/visit.orders_placed.json", List.of());
    assertEquals(List.of("Encounter", "ServiceRequest", "ServiceRequest"), types(b));
    var s = (org.hl7.fhir.r4.model.ServiceRequest) b.getEntry().get(1).getResource();
    assertEquals("4548-4", s.getCode().getCoding().get(0).getCode());
    assertEquals("LAB2001", s.getCode().getCoding().get(1).getCode());
    assertEquals("urn:oid:2.16.840.1.113883.3.9999.1.2", s.getCode().getCoding().get(1).getSystem());
    golden("orders", b);
  }

  @Test
  void aCancelledOrderIsAConditionalUpdateToRevoked() throws IOException {
    Bundle b = only(profile, "events/edge/visit.orders_placed.cancelled.json", List.of());
    assertEquals(Bundle.HTTPVerb.PUT, b.getEntry().get(1).getRequest().getMethod());
    assertEquals("ServiceRequest?identifier=urn:telebridge:demo-clinic:order|ord-5002", b.getEntry().get(1).getRequest().getUrl());
    golden("orders.cancelled", b);
  }

  @Test
  void chargesAreBillableChargeItemsWithTheirModifiers() throws IOException {
    Bundle b = only(profile, "events/visit.charges_posted.json", List.of());
    assertEquals(List.of("Encounter", "ChargeItem"), types(b));
    var c = (org.hl7.fhir.r4.model.ChargeItem) b.getEntry().get(1).getResource();
    assertEquals("99204", c.getCode().getCodingFirstRep().getCode());
    assertEquals("95", ((org.hl7.fhir.r4.model.Coding) c.getCode().getCodingFirstRep()
        .getExtensionByUrl(VisitRecordProfile.MODIFIER_EXTENSION).getValue()).getCode());
    golden("charges", b);
  }

  @Test
  void aReversalIsAConditionalUpdateToAborted() throws IOException {
    Bundle b = only(profile, "events/edge/visit.charges_posted.reversal.json", List.of());
    assertEquals(Bundle.HTTPVerb.PUT, b.getEntry().get(1).getRequest().getMethod());
    assertEquals(org.hl7.fhir.r4.model.ChargeItem.ChargeItemStatus.ABORTED,
        ((org.hl7.fhir.r4.model.ChargeItem) b.getEntry().get(1).getResource()).getStatus());
    golden("charges.reversal", b);
  }

  @Test
  void moreEntriesThanTheServerTakesAreSplitEachBundleStartingWithTheEncounter() throws IOException {
    List<Bundle> bundles = new R4VisitBundles(withLimits(profile, 2, 65_536), BASE)
        .transactions(record("events/visit.orders_placed.json"), PATIENT, List.of());
    assertEquals(2, bundles.size());
    for (Bundle b : bundles) {
      assertEquals(List.of("Encounter", "ServiceRequest"), types(b));
    }
  }

  @Test
  void anOrderCodeTheProfileDoesNotMapIsRefusedWithItsKey() throws IOException {
    VisitRecord r = record("events/visit.orders_placed.json");
    var orders = r.visit().orders().stream().map(o -> new io.telebridge.core.model.VisitOrder(o.id(), o.category(),
        new io.telebridge.core.model.Coding("http://loinc.org", "0000-0", null), o.priority(), o.instructions(),
        o.orderedAt(), o.orderer(), o.diagnoses(), false)).toList();
    VisitRecord unmapped = new VisitRecord(r.tenant(), r.eventId(), r.type(), r.occurredAt(), r.platformPatientId(),
        r.patientIdentifiers(), new io.telebridge.core.model.Visit(r.visit().id(), null, null, orders, null));
    RejectedException e = assertThrows(RejectedException.class,
        () -> new R4VisitBundles(profile, BASE).transactions(unmapped, PATIENT, List.of()));
    assertTrue(e.getMessage().contains("http://loinc.org|0000-0 is not in the EHR profile (orders.codes)"), e.getMessage());
  }

  /** The golden bundles the tests above compare with: each must be on disk, and nothing else. */
  private static final java.util.Set<String> GOLDEN_NAMES = java.util.Set.of("note.signed", "note.amended",
      "note.retracted", "note.pdf", "note.binary", "orders", "orders.cancelled", "charges", "charges.reversal",
      "encounter.merged");

  /**
   * The golden files as checked in: each belongs to a test above (no orphan, none missing), parses with HAPI's
   * strict parser (an unknown element is an error), and validates against the R4 base definitions.
   */
  @Test
  void everyGoldenBundleOnDiskBelongsToATestParsesStrictlyAndIsValidR4() throws IOException {
    java.util.Set<String> onDisk;
    try (var files = Files.list(GOLDEN)) {
      onDisk = files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".json"))
          .map(n -> n.substring(0, n.length() - ".json".length())).collect(java.util.stream.Collectors.toSet());
    }
    assertEquals(GOLDEN_NAMES, onDisk);
    var strict = fhir.newJsonParser().setParserErrorHandler(new ca.uhn.fhir.parser.StrictErrorHandler());
    for (String name : GOLDEN_NAMES) {
      Bundle b = strict.parseResource(Bundle.class, Files.readString(GOLDEN.resolve(name + ".json"), StandardCharsets.UTF_8));
      List<SingleValidationMessage> errors = validator.validateWithResult(b).getMessages().stream()
          .filter(m -> m.getSeverity().ordinal() >= ResultSeverityEnum.ERROR.ordinal()).toList();
      assertTrue(errors.isEmpty(), name + " is not valid R4: " + errors.stream()
          .map(m -> m.getLocationString() + " " + m.getMessage()).toList());
    }
  }

  // ------------------------------------------------------------------------------------ the Encounter over time

  private static final String ORDERS = "events/visit.orders_placed.json";
  private static final String NOTE = "events/visit.note_signed.json";
  private static final String CHARGES = "events/visit.charges_posted.json";

  /** The Encounter a sample's first write created, as the server hands it back (id 77, the given version). */
  private static Encounter storedFrom(String sample, int version) throws IOException {
    Encounter e = (Encounter) only(profile, sample, List.of()).getEntry().getFirst().getResource().copy();
    e.setId("Encounter/77/_history/" + version);
    return e;
  }

  /** What the server holds after this event's bundles, starting from {@code stored} (null: none yet). */
  private static Encounter apply(String sample, Encounter stored) throws IOException {
    List<Bundle> bundles = new R4VisitBundles(profile, BASE).transactions(record(sample), PATIENT, List.of(), stored);
    if (stored == null) {
      Encounter created = (Encounter) bundles.getFirst().getEntry().getFirst().getResource().copy();
      created.setId("Encounter/77/_history/1");
      return created;
    }
    Bundle.BundleEntryComponent first = bundles.getFirst().getEntry().getFirst();
    if (!(first.getResource() instanceof Encounter merged)) {
      return stored; // nothing to add: not written
    }
    assertEquals("W/\"" + stored.getIdElement().getVersionIdPart() + "\"", first.getRequest().getIfMatch());
    Encounter next = merged.copy();
    next.setId("Encounter/77/_history/" + (Integer.parseInt(stored.getIdElement().getVersionIdPart()) + 1));
    return next;
  }

  /** What a reader sees of an Encounter: period, participants' NPIs, reason codes, status, appointments. */
  private static String seen(Encounter e) {
    return e.getStatus() + " " + e.getPeriod().getStartElement().getValueAsString() + ".."
        + e.getPeriod().getEndElement().getValueAsString() + " "
        + e.getParticipant().stream().map(p -> p.getIndividual().getIdentifier().getValue()).sorted().toList() + " "
        + e.getReasonCode().stream().map(c -> c.getCodingFirstRep().getCode()).sorted().toList() + " "
        + e.getAppointment().size();
  }

  @Test
  void aNoteAfterTheOrdersUpdatesTheStoredEncounterOnTheVersionItRead() throws IOException {
    Bundle b = new R4VisitBundles(profile, BASE).transactions(record(NOTE), PATIENT, List.of(), storedFrom(ORDERS, 3))
        .getFirst();
    assertEquals(List.of("Encounter", "DocumentReference"), types(b));
    Bundle.BundleEntryComponent put = b.getEntry().getFirst();
    assertEquals(Bundle.HTTPVerb.PUT, put.getRequest().getMethod());
    assertEquals("Encounter/77", put.getRequest().getUrl());
    assertEquals("W/\"3\"", put.getRequest().getIfMatch());
    Encounter e = (Encounter) put.getResource();
    assertEquals("2025-11-21T10:34:40-05:00", e.getPeriod().getStartElement().getValueAsString(), "from the orders");
    assertEquals("2025-11-21T15:40:11-05:00", e.getPeriod().getEndElement().getValueAsString(), "the note's signing");
    assertEquals(1, e.getParticipant().size(), "the orderer and the author are one provider (one NPI)");
    assertEquals(List.of("R51.9", "G44.209"), e.getReasonCode().stream().map(c -> c.getCodingFirstRep().getCode()).toList());
    assertEquals("Encounter/77", ((DocumentReference) b.getEntry().get(1).getResource()).getContext()
        .getEncounterFirstRep().getReference());
    golden("encounter.merged", b);
  }

  @Test
  void anEventThatAddsNothingLeavesTheStoredEncounterUnwrittenAndOnlyReferencesIt() throws IOException {
    Encounter all = apply(CHARGES, apply(NOTE, apply(ORDERS, null)));
    for (String again : List.of(ORDERS, NOTE, CHARGES)) { // each redelivered after all three
      Bundle b = new R4VisitBundles(profile, BASE).transactions(record(again), PATIENT, List.of(), all).getFirst();
      assertTrue(types(b).stream().noneMatch("Encounter"::equals), again + ": " + types(b));
      assertTrue(fhir.newJsonParser().encodeResourceToString(b).contains("\"reference\":\"Encounter/77\""), again);
    }
    assertEquals(seen(all), seen(apply(ORDERS, all)), "an older event changes nothing");
  }

  @Test
  void theEncounterComesOutTheSameWhateverOrderTheEventsArriveInAndNeverMovesBack() throws IOException {
    List<List<String>> orders = List.of(List.of(ORDERS, NOTE, CHARGES), List.of(ORDERS, CHARGES, NOTE),
        List.of(NOTE, ORDERS, CHARGES), List.of(NOTE, CHARGES, ORDERS), List.of(CHARGES, ORDERS, NOTE),
        List.of(CHARGES, NOTE, ORDERS));
    java.util.Set<String> outcomes = new java.util.HashSet<>();
    for (List<String> order : orders) {
      Encounter e = null;
      for (String sample : order) {
        e = apply(sample, e);
        e = apply(sample, e); // and each twice
      }
      outcomes.add(seen(e));
    }
    assertEquals(java.util.Set.of("FINISHED 2025-11-21T10:34:40-05:00..2025-11-21T15:40:11-05:00 [1555014202]"
        + " [G44.209, R51.9] 1"), outcomes);
  }

  @Test
  void aLaterProviderAndDiagnosisAreAddedAndAnAmendmentDoesNotLengthenTheVisit() throws IOException {
    Encounter stored = apply(NOTE, apply(ORDERS, null));
    VisitRecord c = record(CHARGES);
    var charge = c.visit().charges().getFirst();
    var other = new io.telebridge.core.model.VisitCharge(charge.id(), charge.cpt(), charge.modifiers(),
        List.of("Z71.89"), charge.units(), charge.serviceDate(), charge.placeOfService(),
        new io.telebridge.core.model.Provider("prov-777", "1999999984", "Dr. Synthetic Second"), charge.orderer(),
        charge.reversed());
    VisitRecord later = new VisitRecord(c.tenant(), c.eventId(), c.type(), c.occurredAt(), c.platformPatientId(),
        c.patientIdentifiers(), new io.telebridge.core.model.Visit(c.visit().id(), c.visit().appointmentId(), null, null,
        List.of(other)));
    Encounter merged = (Encounter) new R4VisitBundles(profile, BASE).transactions(later, PATIENT, List.of(), stored)
        .getFirst().getEntry().getFirst().getResource();
    assertEquals("FINISHED 2025-11-21T10:34:40-05:00..2025-11-21T15:40:11-05:00 [1555014202, 1999999984]"
        + " [G44.209, R51.9, Z71.89] 1", seen(merged));
    Encounter amended = apply("events/edge/visit.note_signed.amended.json", stored);
    assertEquals("2025-11-21T15:40:11-05:00", amended.getPeriod().getEndElement().getValueAsString(),
        "signed the next day: still the visit's end");
  }

  @Test
  void theVisitsEncounterOnAnotherPatientIsRefused() throws IOException {
    Encounter stored = storedFrom(ORDERS, 1);
    stored.setSubject(new org.hl7.fhir.r4.model.Reference("Patient/someone-else"));
    RejectedException e = assertThrows(RejectedException.class,
        () -> new R4VisitBundles(profile, BASE).transactions(record(NOTE), PATIENT, List.of(), stored));
    assertTrue(e.getMessage().contains("another Patient"), e.getMessage());
  }

  @Test
  void splitBundlesPutTheStoredEncounterOnceInTheFirst() throws IOException {
    List<Bundle> bundles = new R4VisitBundles(withLimits(profile, 2, 65_536), BASE)
        .transactions(record(ORDERS), PATIENT, List.of(), storedFrom(NOTE, 2));
    assertEquals(List.of(List.of("Encounter", "ServiceRequest"), List.of("ServiceRequest")),
        bundles.stream().map(R4VisitBundlesTest::types).toList());
  }

  private static List<String> types(Bundle b) {
    return b.getEntry().stream().map(e -> e.getResource().fhirType()).toList();
  }

  static VisitRecordProfile withLimits(VisitRecordProfile p, int maxEntries, int maxInline) {
    return new VisitRecordProfile(p.mrnAuthority(), p.patientIdentifierSystem(), p.platformAuthority(),
        p.platformIdentifierSystem(), p.documentTypes(), p.defaultDocumentType(), p.orderCodes(),
        p.passThroughSystems(), p.placeOfService(), p.telehealthModifier(), p.chargeModifiers(), maxEntries, maxInline,
        p.idempotencyKeyHeader());
  }
}
