package io.telebridge.hl7v2;

import java.util.Map;

/**
 * The FHIR R4 parts of an {@link EhrProfile}: whether the visit goes into the record over FHIR, how, and
 * where this EHR's FHIR source is ({@code fhir.source}). {@link EhrProfile} implements this interface, so
 * each part is named {@code EhrProfile.Fhir}, … (member types are inherited).
 */
public interface EhrFhirParts {

  /** Where the visit events ({@code visit.*}) go: MDM/ORM/DFT only, FHIR R4 resources instead, or both. */
  public enum VisitRecord { HL7V2, FHIR, BOTH }

  /** HL7 coding system names (CE-3) every profile may use, as FHIR system URIs. */
  public static final Map<String, String> KNOWN_CODE_SYSTEMS = Map.of(
      "LN", "http://loinc.org",
      "C4", "http://www.ama-assn.org/go/cpt",
      "CPT", "http://www.ama-assn.org/go/cpt",
      "I10", "http://hl7.org/fhir/sid/icd-10-cm",
      "I10C", "http://hl7.org/fhir/sid/icd-10-cm",
      "SCT", "http://snomed.info/sct");

  /**
   * The visit into the record over FHIR R4 (shared/fhir); each null means the default in brackets.
   *
   * @param visitRecord hl7v2, fhir or both [hl7v2]
   * @param patientIdentifierSystem the FHIR identifier system of the EHR's MRN (the Patient is found by it);
   *     required unless hl7v2
   * @param platformIdentifierSystem the FHIR system the EHR keeps the platform patient id under, to find the
   *     Patient by when no MRN is known [none: by MRN only]
   * @param codeSystems HL7 coding system name (CE-3, e.g. the EHR's {@code EPIC}) → FHIR system URI, beside
   *     {@link #KNOWN_CODE_SYSTEMS} [none]
   * @param chargeModifiers extension or coding [extension]
   * @param maxBundleEntries the server's transaction entry limit [100; HealthLake takes 160]
   * @param maxInlineAttachmentBytes a note larger than this goes as a Binary [65536]
   * @param idempotencyKeyHeader send {@code x-amz-fhir-idempotency-key} (HealthLake) [false]
   * @param source where this EHR's FHIR R4 is and how to get in, for the context reads and the visit writes
   *     [none: the deployment's default source, FhirBaseUrl / FhirAuth / FhirSmart*]
   * @param patients find: the visit waits until the EHR's registration is in the record; create: telebridge
   *     creates a Patient of identifiers only when none is found — only for a record store telebridge owns
   *     (e.g. its own HealthLake data store), never an EHR's record [find]
   */
  public record Fhir(VisitRecord visitRecord, String patientIdentifierSystem, String platformIdentifierSystem,
      Map<String, String> codeSystems, io.telebridge.core.context.VisitRecordProfile.ModifierStyle chargeModifiers,
      Integer maxBundleEntries, Integer maxInlineAttachmentBytes, Boolean idempotencyKeyHeader, Source source,
      io.telebridge.core.context.VisitRecordProfile.PatientPolicy patients) {
    public Fhir {
      patients = patients == null ? io.telebridge.core.context.VisitRecordProfile.PatientPolicy.FIND : patients;
      visitRecord = visitRecord == null ? VisitRecord.HL7V2 : visitRecord;
      codeSystems = codeSystems == null ? Map.of() : Map.copyOf(codeSystems);
      chargeModifiers = chargeModifiers == null ? io.telebridge.core.context.VisitRecordProfile.ModifierStyle.EXTENSION
          : chargeModifiers;
      maxBundleEntries = maxBundleEntries == null ? 100 : maxBundleEntries;
      maxInlineAttachmentBytes = maxInlineAttachmentBytes == null ? 65_536 : maxInlineAttachmentBytes;
      idempotencyKeyHeader = idempotencyKeyHeader != null && idempotencyKeyHeader;
    }

    /** Whether the visit events go over FHIR R4 (alone or besides HL7 v2). */
    public boolean writesFhir() {
      return visitRecord != VisitRecord.HL7V2;
    }

    /** Whether the visit events still go as MDM/ORM/DFT. */
    public boolean writesHl7() {
      return visitRecord != VisitRecord.FHIR;
    }

    /** A CE-3 coding system name as a FHIR URI ({@code codeSystems}, then the known ones); a URI stays itself. */
    public String systemUri(String hl7System) {
      if (hl7System == null) {
        return null;
      }
      String uri = codeSystems.get(hl7System);
      if (uri == null) {
        uri = KNOWN_CODE_SYSTEMS.get(hl7System);
      }
      return uri != null ? uri : hl7System.contains(":") ? hl7System : null;
    }
  }

  /**
   * This EHR's FHIR source ({@code fhir.source}), when it is not the deployment's default. The MRN system and
   * authority are the profile's own ({@code fhir.patientIdentifierSystem}, {@code authorities.ehrMrn}); keys
   * stay in Secrets Manager (only the secret's ARN is here).
   *
   * @param baseUrl the FHIR R4 base URL
   * @param auth none, healthlake (SigV4 with the function role) or smart
   * @param smart the SMART Backend Services client, for auth smart
   * @param pageSize {@code _count} of list searches [100, HealthLake's maximum]
   */
  public record Source(String baseUrl, String auth, SmartClient smart, Integer pageSize) {}

  /**
   * A SMART Backend Services client registered with the EHR.
   *
   * @param keySecretArn the Secrets Manager secret holding the private JWK (with its kid)
   * @param scopes v2 ({@code system/Patient.rs}, {@code system/Encounter.cu}, …) or v1 ({@code system/*.read},
   *     {@code system/*.write}) [v2]
   * @param readScopes the exact scopes asked for the context reads [by {@code scopes}]
   * @param writeScopes the exact scopes asked for the visit writes [by {@code scopes}]
   */
  public record SmartClient(String clientId, String tokenUrl, String keySecretArn, String scopes, String readScopes,
      String writeScopes) {}
}
