package io.telebridge.hl7v2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.telebridge.core.model.Identifier;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EhrProfileTest {

  private static String bundled() throws IOException {
    try (InputStream in = EhrProfile.class.getClassLoader().getResourceAsStream("ehr-profiles/generic-epic-like.yaml")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static EhrProfile yaml(String text) {
    return EhrProfile.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "test.yaml");
  }

  @Test
  void loadsTheBundledYamlProfile() {
    EhrProfile p = Samples.EPIC_LIKE;
    assertEquals("generic-epic-like", p.id());
    assertEquals("TELEBRIDGE", p.sendingApplication().namespaceId());
    assertEquals("EPIC", p.receivingApplication().namespaceId());
    assertEquals(ZoneId.of("America/New_York"), p.messageTimeZone());
    assertNull(p.scheduleTimeZone());
    assertEquals(EhrProfile.RegistrationEvent.A04, p.variants().registration());
    assertEquals(EhrProfile.Timing.SCH11, p.segments().timing());
    assertEquals("E10501", p.providers().ids().get("prov-501"));
    assertEquals(EhrProfile.UnmappedProvider.REJECT, p.providers().unmapped());
    assertEquals("TELE_NEW_PH", p.visitTypes().get("new_patient").typeFor("phone").code());
    assertEquals("TELE_NEW", p.visitTypes().get("new_patient").typeFor("video").code());
    assertEquals(StandardCharsets.UTF_8, p.charset());
  }

  @Test
  void loadsTheSecondProfileFromJsonWithOtherVariantsAndSegments() {
    EhrProfile p = Samples.COMMUNITY;
    assertEquals(EhrProfile.RegistrationEvent.A28, p.variants().registration());
    assertEquals(EhrProfile.UpdateEvent.A31, p.variants().update());
    assertEquals(EhrProfile.DetailChangeEvent.S13, p.variants().detailChange());
    assertEquals(EhrProfile.Timing.TQ1, p.segments().timing());
    assertEquals(false, p.segments().ais());
    assertEquals(EhrProfile.UnmappedProvider.NPI_ONLY, p.providers().unmapped());
    assertEquals("general", p.defaultVisitType());
  }

  @Test
  void loadsAProfileFileFromDisk(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("site.yml");
    Files.writeString(file, bundled().replace("id: generic-epic-like", "id: site-b"));
    assertEquals("site-b", EhrProfile.load(file).id());
  }

  @Test
  void picksTheProcessingIdByEnvironment() {
    assertEquals("P", Samples.EPIC_LIKE.processingId("prod"));
    assertEquals("T", Samples.EPIC_LIKE.processingId("staging"));
    assertEquals("T", Samples.EPIC_LIKE.processingId("dev"));
    assertEquals("D", Samples.COMMUNITY.processingId("dev"));
  }

  @Test
  void makesPid3IdentifiersUnderItsAuthorities() {
    assertEquals(new Identifier("pat-1001", "TELEHEALTH", "PI"), Samples.EPIC_LIKE.platformIdentifier("pat-1001"));
    assertEquals(new Identifier("100234", "EPI", "MR"), Samples.EPIC_LIKE.mrn("100234"));
    assertEquals(new Identifier("pat-1001", "TBPAT", "PT"), Samples.COMMUNITY.platformIdentifier("pat-1001"));
  }

  @Test
  void refusesAnUnknownKeySoATypoNeverFallsBackToADefault() throws IOException {
    String typo = bundled().replace("segments:\n", "segmnts:\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> yaml(typo));
    assertTrue(e.getMessage().contains("segmnts"), e.getMessage());
  }

  @Test
  void namesEveryMissingKey() throws IOException {
    String broken = bundled()
        .replace("receivingApplication: {namespaceId: EPIC}\n", "")
        .replace("  booked: {code: BOOKED, text: Booked on the telehealth platform, system: L}\n", "")
        .replace("messageTimeZone: America/New_York", "messageTimeZone: null");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> yaml(broken));
    assertTrue(e.getMessage().contains("receivingApplication.namespaceId is required"), e.getMessage());
    assertTrue(e.getMessage().contains("eventReasons.booked.code is required"), e.getMessage());
    assertTrue(e.getMessage().contains("messageTimeZone is required"), e.getMessage());
  }

  @Test
  void refusesAnUnknownVariantProcessingIdOrCharacterSet() throws IOException {
    assertThrows(IllegalArgumentException.class, () -> yaml(bundled().replace("registration: A04", "registration: A01")));
    assertThrows(IllegalArgumentException.class, () -> yaml(bundled().replace("prod: P", "prod: X")));
    assertThrows(IllegalArgumentException.class, () -> yaml(bundled().replace("UNICODE UTF-8", "EBCDIC")));
    assertThrows(IllegalArgumentException.class, () -> yaml(bundled().replace("America/New_York", "Mars/Olympus")));
  }

  @Test
  void refusesADefaultVisitTypeThatIsNotMapped() throws IOException {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> yaml(bundled().replace("# defaultVisitType: follow_up", "defaultVisitType: dermatology")));
    assertTrue(e.getMessage().contains("defaultVisitType"), e.getMessage());
  }

  @Test
  void mapsMsh18ToTheWireCharset() throws IOException {
    assertEquals(StandardCharsets.ISO_8859_1, yaml(bundled().replace("UNICODE UTF-8", "8859/1")).charset());
  }

  @Test
  void theVisitFlowsHaveSafeDefaultsWhenAProfileSaysNothingAboutThem() throws IOException {
    String withoutVisitKeys = bundled().substring(0, bundled().indexOf("# ---------------------------------------------------------------- after the visit"));
    EhrProfile p = yaml(withoutVisitKeys);
    assertEquals("O", p.encounter().patientClass());
    assertEquals(EhrProfile.NoteFormat.TX, p.documents().format());
    assertEquals(EhrProfile.AmendmentEvent.T08, p.documents().amendment());
    assertEquals("AU", p.documents().completionStatus());
    assertEquals("PR", p.documents().typeOf("progress_note").code());
    assertNull(p.documents().typeOf("discharge_letter"), "no default type: an unmapped note type is refused");
    assertEquals(EhrProfile.OrderMessage.ORM_O01, p.orders().message());
    assertNull(p.orders().codeFor("http://loinc.org", "4548-4", "HbA1c"), "no code passes unmapped by default");
    assertEquals(EhrProfile.ChargeReversal.CREDIT, p.billing().reversal());
    assertEquals("10", p.billing().placeOfService().get("10"));
    assertNull(p.billing().placeOfService().get("11"));
    assertNull(p.billing().telehealthModifier());
  }

  private static final String NORTH_SOURCE = """
        source:
          baseUrl: https://fhir.north.example/r4
          auth: smart
          smart: {clientId: tb-north, tokenUrl: "https://fhir.north.example/token", keySecretArn: "arn:aws:secretsmanager:us-east-1:1:secret:north", scopes: v1}
          pageSize: 50
      """;

  @Test
  void aProfileNamesItsFhirSourceWithItsOwnMrnSystemAndAuthority() throws IOException {
    String withSource = bundled().replace("fhir:\n", "fhir:\n" + NORTH_SOURCE);
    EhrProfile p = yaml(withSource);
    io.telebridge.core.context.FhirSource deployment = io.telebridge.core.context.FhirSource.deploymentDefault("t",
        java.util.Map.of("FHIR_BASE_URL", "https://healthlake.us-east-1.amazonaws.com/datastore/d/r4/",
            "FHIR_AUTH", "healthlake", "FHIR_MRN_SYSTEM", "urn:oid:9.9"));
    io.telebridge.core.context.FhirSource s = p.fhirSource(deployment);
    assertEquals("https://fhir.north.example/r4", s.baseUrl());
    assertEquals(io.telebridge.core.context.FhirSource.Auth.SMART, s.auth());
    assertEquals("system/*.read system/*.write", s.smart().scopes(io.telebridge.core.context.FhirSource.Purpose.WRITE));
    assertEquals(50, s.pageSize());
    assertEquals("urn:oid:1.2.840.99999.1", s.mrnSystem());
    assertEquals("EPI", s.mrnAuthority());

    io.telebridge.core.context.FhirSource fallback = yaml(bundled()).fhirSource(deployment);
    assertEquals(deployment.baseUrl(), fallback.baseUrl(), "no fhir.source: the deployment's");
    assertEquals("urn:oid:1.2.840.99999.1", fallback.mrnSystem(), "the profile's MRN system wins");
    assertEquals("EPI", fallback.mrnAuthority());
    assertEquals(null, yaml(bundled()).fhirSource(null), "neither: no source");
  }

  @Test
  void thePatientPolicyIsFindUnlessTheProfileSaysCreate() throws IOException {
    assertEquals(io.telebridge.core.context.VisitRecordProfile.PatientPolicy.FIND,
        yaml(bundled()).visitRecordProfile().patients(), "an EHR's record: telebridge never creates its Patients");
    EhrProfile own = yaml(bundled().replace("fhir:\n", "fhir:\n  patients: create\n"));
    assertEquals(io.telebridge.core.context.VisitRecordProfile.PatientPolicy.CREATE, own.visitRecordProfile().patients());
    assertThrows(IllegalArgumentException.class, () -> yaml(bundled().replace("fhir:\n", "fhir:\n  patients: invent\n")));
  }

  @Test
  void aBadFhirSourceIsRefusedByName() throws IOException {
    var e = assertThrows(IllegalArgumentException.class, () -> yaml(bundled().replace("fhir:\n", "fhir:\n"
        + NORTH_SOURCE.replace("keySecretArn: \"arn:aws:secretsmanager:us-east-1:1:secret:north\", ", "")
            .replace("auth: smart", "auth: smart"))));
    assertTrue(e.getMessage().contains("fhir.source: smart.keySecretArn is required"), e.getMessage());
    var bad = assertThrows(IllegalArgumentException.class, () -> yaml(bundled().replace("fhir:\n", "fhir:\n"
        + NORTH_SOURCE.replace("auth: smart", "auth: basic"))));
    assertTrue(bad.getMessage().contains("fhir.source: FHIR auth must be none, healthlake or smart"), bad.getMessage());
  }

  @Test
  void badVisitFlowKeysAreRefusedByName() throws IOException {
    var e = assertThrows(IllegalArgumentException.class, () -> yaml(bundled()
        .replace("  completionStatus: AU", "  completionStatus: XX")
        .replace("\"http://loinc.org|2345-7\"", "\"2345-7\"")
        .replace("# telehealthModifier: \"95\"", "telehealthModifier: \"telehealth\"")));
    assertTrue(e.getMessage().contains("documents.completionStatus must be AU, LA or DO"), e.getMessage());
    assertTrue(e.getMessage().contains("orders.codes key 2345-7 must be <system URI>|<code>"), e.getMessage());
    assertTrue(e.getMessage().contains("billing.telehealthModifier must be a two-character"), e.getMessage());
  }

  @Test
  void theBundledProfileMapsTheSampleOrdersAndPassesNothingElse() {
    EhrProfile p = Samples.EPIC_LIKE;
    assertEquals("LAB2001", p.orders().codeFor("http://loinc.org", "4548-4", null).code());
    assertNull(p.orders().codeFor("http://loinc.org", "99999-9", null));
    assertEquals("LN", Samples.COMMUNITY.orders().codeFor("http://loinc.org", "99999-9", "x").system());
  }
}
