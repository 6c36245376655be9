package io.telebridge.core.context;

import io.telebridge.core.model.Coding;
import java.util.Map;
import java.util.Set;

/**
 * How one tenant's visit events become FHIR R4 resources in its record (from its EHR profile's
 * {@code fhir} section and the code maps the HL7 v2 half shares): which FHIR identifier systems name
 * the patient, the document types and orderables as FHIR codings, the place-of-service map, how CPT
 * modifiers are written, and the server's limits.
 *
 * @param mrnAuthority the assigning authority of the EHR's MRN among the resolved identifiers (HL7 PID-3)
 * @param patientIdentifierSystem the FHIR identifier system of that MRN: the Patient is searched by it
 * @param platformAuthority the assigning authority of the platform patient id among the resolved identifiers
 * @param platformIdentifierSystem the FHIR system of the platform patient id, to find the Patient by when no
 *     MRN is known (an EHR keeps the PID-3 it was registered with); null: only by MRN
 * @param documentTypes platform note type → DocumentReference.type (LOINC 11506-3 progress note, ...)
 * @param defaultDocumentType the key of {@code documentTypes} for an unmapped note type; null: refused
 * @param orderCodes {@code <system URI>|<code>} → the EHR's orderable (ServiceRequest.code, beside the platform's
 *     own coding); a code neither here nor under {@code passThroughSystems} is refused
 * @param passThroughSystems code systems whose codes go unchanged when not in {@code orderCodes}
 * @param placeOfService platform place of service → the CMS code written on the ChargeItem; others refused
 * @param telehealthModifier added to every charge line that lacks it; null: nothing added
 * @param chargeModifiers how CPT modifiers are written on ChargeItem.code
 * @param maxBundleEntries the server's transaction entry limit (HealthLake: 160)
 * @param maxInlineAttachmentBytes a note (or PDF) larger than this goes as a Binary the DocumentReference
 *     points at, not inline
 * @param idempotencyKeyHeader send {@code x-amz-fhir-idempotency-key} (HealthLake) with every transaction
 * @param patients what the writer does when no Patient of the record carries the patient's identifiers: wait
 *     for the EHR's registration ({@link PatientPolicy#FIND}, the default) or create it ({@link PatientPolicy#CREATE})
 */
public record VisitRecordProfile(
    String mrnAuthority,
    String patientIdentifierSystem,
    String platformAuthority,
    String platformIdentifierSystem,
    Map<String, Coding> documentTypes,
    String defaultDocumentType,
    Map<String, Coding> orderCodes,
    Set<String> passThroughSystems,
    Map<String, String> placeOfService,
    String telehealthModifier,
    ModifierStyle chargeModifiers,
    int maxBundleEntries,
    int maxInlineAttachmentBytes,
    boolean idempotencyKeyHeader,
    PatientPolicy patients) {

  /**
   * Who puts the Patient into the record. {@code FIND}: the EHR does (it registered the patient from telebridge's
   * ADT, or already had it): the writer finds it by MRN, the platform id under {@code platformIdentifierSystem},
   * or the tenant's telebridge id, and retries while there is none ({@link PatientNotInRecord}); telebridge never
   * creates patients in an EHR's record (a second chart of one person). {@code CREATE}: the record is telebridge's
   * own (a HealthLake data store only telebridge writes): when none is found, the writer creates it,
   * conditionally on the platform id under the tenant's system ({@code urn:telebridge:<tenant>:patient}), with
   * the identifiers it knows and no demographics, tagged {@value #CREATED_TAG}.
   */
  public enum PatientPolicy { FIND, CREATE }

  /** The {@code meta.tag} (system|code) of a Patient telebridge created under {@link PatientPolicy#CREATE}. */
  public static final String CREATED_TAG = "urn:telebridge:fhir:tag|created-by-telebridge";

  /** As the canonical constructor, finding the Patient only ({@link PatientPolicy#FIND}). */
  public VisitRecordProfile(String mrnAuthority, String patientIdentifierSystem, String platformAuthority,
      String platformIdentifierSystem, Map<String, Coding> documentTypes, String defaultDocumentType,
      Map<String, Coding> orderCodes, Set<String> passThroughSystems, Map<String, String> placeOfService,
      String telehealthModifier, ModifierStyle chargeModifiers, int maxBundleEntries, int maxInlineAttachmentBytes,
      boolean idempotencyKeyHeader) {
    this(mrnAuthority, patientIdentifierSystem, platformAuthority, platformIdentifierSystem, documentTypes,
        defaultDocumentType, orderCodes, passThroughSystems, placeOfService, telehealthModifier, chargeModifiers,
        maxBundleEntries, maxInlineAttachmentBytes, idempotencyKeyHeader, PatientPolicy.FIND);
  }

  /** This profile with another {@link PatientPolicy}. */
  public VisitRecordProfile withPatients(PatientPolicy policy) {
    return new VisitRecordProfile(mrnAuthority, patientIdentifierSystem, platformAuthority, platformIdentifierSystem,
        documentTypes, defaultDocumentType, orderCodes, passThroughSystems, placeOfService, telehealthModifier,
        chargeModifiers, maxBundleEntries, maxInlineAttachmentBytes, idempotencyKeyHeader, policy);
  }

  /** CPT modifiers on ChargeItem.code: an extension per modifier on the CPT coding, or one coding {@code 99204-95}. */
  public enum ModifierStyle { EXTENSION, CODING }

  /** The extension URL telebridge writes each CPT modifier under (R4 ChargeItem has no modifier element). */
  public static final String MODIFIER_EXTENSION = "urn:telebridge:fhir:StructureDefinition:cpt-modifier";

  public VisitRecordProfile {
    if (patientIdentifierSystem == null || patientIdentifierSystem.isBlank()) {
      throw new IllegalArgumentException("patientIdentifierSystem is required");
    }
    documentTypes = Map.copyOf(documentTypes);
    orderCodes = Map.copyOf(orderCodes);
    passThroughSystems = Set.copyOf(passThroughSystems);
    placeOfService = Map.copyOf(placeOfService);
    chargeModifiers = chargeModifiers == null ? ModifierStyle.EXTENSION : chargeModifiers;
    patients = patients == null ? PatientPolicy.FIND : patients;
    if (maxBundleEntries < 2) {
      throw new IllegalArgumentException("maxBundleEntries must be at least 2");
    }
    if (maxInlineAttachmentBytes < 0) {
      throw new IllegalArgumentException("maxInlineAttachmentBytes must not be negative");
    }
  }

  /** The document type of a platform note type, or null when neither it nor the default is mapped. */
  public Coding documentTypeOf(String noteType) {
    Coding c = noteType == null ? null : documentTypes.get(noteType);
    return c == null && defaultDocumentType != null ? documentTypes.get(defaultDocumentType) : c;
  }

  /** The EHR's orderable for a platform code: mapped, passed through, or null (refused). */
  public Coding orderCodeOf(Coding platform) {
    if (platform == null) {
      return null;
    }
    Coding mapped = orderCodes.get(platform.system() + "|" + platform.code());
    if (mapped != null) {
      return mapped;
    }
    return passThroughSystems.contains(platform.system()) ? platform : null;
  }

  /** The tenant's identifier system for one kind of platform id: {@code urn:telebridge:<tenant>:<kind>}. */
  public static String system(String tenant, String kind) {
    return "urn:telebridge:" + tenant + ":" + kind;
  }
}
