package io.telebridge.fhir;

import io.telebridge.core.context.VisitRecord;
import io.telebridge.core.context.VisitRecordProfile;
import io.telebridge.core.error.RejectedException;
import io.telebridge.core.model.EventType;
import io.telebridge.core.model.Visit;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Reference;

/**
 * One {@code visit.*} event → the FHIR R4 transaction Bundle(s) that put it into the patient's record,
 * for one tenant's {@link VisitRecordProfile}. Pure (no I/O) and deterministic (fullUrls and Binary ids
 * derive from the tenant and the platform ids), so the output is compared with golden files.
 *
 * <p>Every resource carries the platform id under the tenant's system
 * ({@code urn:telebridge:<tenant>:visit|note|note-version|order|charge}); creates are conditional on it
 * ({@code ifNoneExist}), so a bundle sent twice stores its resources once. The visit's {@link Encounter}
 * (class VR, status finished; {@link R4Encounters}) comes first: when the record does not hold it yet, it is
 * conditionally created in every bundle and the others reference it by its fullUrl (the server points them
 * at the existing Encounter when it matches); when it does, what this event adds to it (period, participants,
 * reason codes) is merged in and PUT on its id with {@code ifMatch} on the version read — or, when the event
 * adds nothing (a repeat, an older event redelivered), it is not written at all — and the others reference
 * its id. The entries ({@link R4NoteEntries}, {@link R4OrderEntries}; their parts in {@link R4Entries}):
 * <ul>
 *   <li>note signed → DocumentReference (status current, docStatus final, the profile's LOINC type, author,
 *       date, context.encounter, the text inline, or a Binary (PUT on an id derived from the note version)
 *       above the profile's inline limit; a PDF rendition as a second content)</li>
 *   <li>note amended → a DocumentReference for the new version (docStatus amended, relatesTo replaces the
 *       latest stored version), the stored earlier versions PUT back as superseded</li>
 *   <li>note retracted → every stored version PUT back as entered-in-error</li>
 *   <li>orders → ServiceRequest per order (status active, intent order, the platform's code and the EHR's
 *       orderable, requester, reasonCode, note); a cancelled order → a conditional update to revoked</li>
 *   <li>charges → ChargeItem per line (status billable, CPT with its modifiers, subject, context, occurrence,
 *       performer, quantity, reason, place of service); a reversal → a conditional update to aborted</li>
 * </ul>
 * A bundle holds at most the profile's {@code maxBundleEntries}; more entries are split into several. What
 * the profile cannot express (an unmapped order code, note type or place of service, a medication order) is
 * refused with {@link RejectedException}, naming the id and the key.
 */
public final class R4VisitBundles {

  public static final String NPI_SYSTEM = "http://hl7.org/fhir/sid/us-npi";
  public static final String CPT_SYSTEM = "http://www.ama-assn.org/go/cpt";
  public static final String ICD10_SYSTEM = "http://hl7.org/fhir/sid/icd-10-cm";
  public static final String ACT_CODE_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-ActCode";
  public static final String PARTICIPATION_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType";
  public static final String POS_SYSTEM = "https://www.cms.gov/Medicare/Coding/place-of-service-codes/Place_of_Service_Code_Set";
  public static final String POS_EXTENSION = "urn:telebridge:fhir:StructureDefinition:place-of-service";

  private final VisitRecordProfile profile;
  private final String baseUrl;
  private final R4NoteEntries notes;
  private final R4OrderEntries orders;

  /** @param baseUrl the server's base URL (no trailing slash): the fullUrl of an entry PUT on a literal id */
  public R4VisitBundles(VisitRecordProfile profile, String baseUrl) {
    this.profile = profile;
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.notes = new R4NoteEntries(profile, this.baseUrl);
    this.orders = new R4OrderEntries(profile);
  }

  /** Whether an event type is written by this mapper. */
  public static boolean supports(EventType type) {
    return type == EventType.VISIT_NOTE_SIGNED || type == EventType.VISIT_ORDERS_PLACED
        || type == EventType.VISIT_CHARGES_POSTED;
  }

  /** As {@link #transactions(VisitRecord, String, List, Encounter)} for a visit the record holds no Encounter of. */
  public List<Bundle> transactions(VisitRecord r, String patientReference, List<DocumentReference> storedNote) {
    return transactions(r, patientReference, storedNote, null);
  }

  /**
   * @param patientReference the Patient found by MRN, e.g. {@code Patient/123}
   * @param storedNote the DocumentReferences the server holds for this note (every version; for an amended or
   *     retracted note), as read back: ids, identifiers and status are used
   * @param storedEncounter the visit's Encounter as the server holds it (id with its version), or null when it
   *     holds none
   * @return the transactions in sending order; none when the event adds nothing (a retraction of a note the
   *     record does not hold, on a stored Encounter it does not change)
   */
  public List<Bundle> transactions(VisitRecord r, String patientReference, List<DocumentReference> storedNote,
      Encounter storedEncounter) {
    Visit visit = r.visit();
    if (visit == null || visit.id() == null) {
      throw new RejectedException("event " + r.eventId() + " has no visit id");
    }
    Encounter incoming = R4Encounters.of(r, patientReference);
    Bundle.BundleEntryComponent encounter;
    Reference encounterRef;
    if (storedEncounter == null) {
      encounter = R4Entries.create(incoming, "visit", r.tenant(), visit.id());
      encounterRef = new Reference(encounter.getFullUrl());
    } else {
      String id = storedEncounter.getIdElement().toUnqualifiedVersionless().getValue();
      Encounter merged = R4Encounters.merge(storedEncounter, incoming, r.eventId());
      encounter = merged == null ? null
          : R4Entries.put(merged, baseUrl, id, storedEncounter.getIdElement().getVersionIdPart());
      encounterRef = new Reference(id);
    }
    List<Bundle.BundleEntryComponent> entries = new ArrayList<>();
    switch (r.type()) {
      case VISIT_NOTE_SIGNED -> notes.note(r, patientReference, encounterRef, storedNote, entries);
      case VISIT_ORDERS_PLACED -> visit.orders().forEach(o -> entries.add(orders.order(r, o, patientReference,
          encounterRef)));
      case VISIT_CHARGES_POSTED -> visit.charges().forEach(c -> entries.add(orders.charge(r, c, patientReference,
          encounterRef)));
      default -> throw new IllegalArgumentException("not a visit event: " + r.type());
    }
    List<Bundle> bundles = new ArrayList<>();
    int per = profile.maxBundleEntries() - 1;
    for (int from = 0; from < Math.max(1, entries.size()); from += per) {
      Bundle b = new Bundle().setType(Bundle.BundleType.TRANSACTION);
      // a conditional create goes in every bundle (each must resolve the fullUrl); the PUT of a stored one once
      if (encounter != null && (storedEncounter == null || from == 0)) {
        b.addEntry(encounter.copy());
      }
      entries.subList(from, Math.min(entries.size(), from + per)).forEach(e -> b.addEntry(e.copy()));
      if (!b.getEntry().isEmpty()) {
        bundles.add(b);
      }
    }
    return bundles;
  }
}
