package io.telebridge.matching.mpi;

import io.telebridge.core.identity.CrossReference;
import io.telebridge.core.model.Identifier;
import io.telebridge.matching.NormalizedPerson;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Port: the identity index's state besides the candidate keys — cross-references, persons, identifier
 * mappings, registration claims, review cases and parked events (one DynamoDB table in AWS). Every
 * write is idempotent, and the writes that must change together are one atomic step, so a crash
 * between two calls leaves a state that a retry of the same event completes.
 */
public interface IdentityStore {

  Optional<CrossReference> xref(String tenant, String platformPatientId);

  Optional<Person> person(String personId);

  /** The person an EHR identifier (MRN) maps to. */
  Optional<String> personOf(String tenant, Identifier identifier);

  /** The platform patients (of the person's tenant) whose cross-reference points at the person. */
  List<String> platformPatients(String personId);

  /** Outcome of {@link #registerNew}. */
  sealed interface Registration {
    record Registered(CrossReference xref) implements Registration {}
    /** Another registration holds the claim: its person is already in the index, match again. */
    record ClaimTaken(String ownerPersonId) implements Registration {}
  }

  /**
   * NEW: atomically claims {@code claimKey} for the person, creates the person, the cross-reference and
   * its reverse link, and files the record under its keys. When the claim is held by the same person
   * (a retry), completes and returns Registered; when by another person, changes nothing.
   */
  Registration registerNew(String claimKey, Person person, CrossReference xref, NormalizedPerson record, Set<String> keys);

  /**
   * LINK: atomically writes the cross-reference (if absent) and its reverse link, and files the record
   * under the person. Returns the stored cross-reference (the existing one if it was already there).
   */
  CrossReference link(CrossReference xref, NormalizedPerson record, Set<String> keys);

  /** REVIEW: atomically writes the PARKED cross-reference, the case, and the first parked event. */
  void openCase(CrossReference xref, ReviewCase reviewCase, ParkedEvent first);

  /**
   * Appends an event to the patient's review case, unless it is there already (a redelivery).
   *
   * @return false when the cross-reference is LINKED again (the replay finished): resolve normally
   */
  boolean park(String tenant, String platformPatientId, String eventId, String body);

  List<ParkedEvent> parked(String tenant, String caseId);

  Optional<ReviewCase> reviewCase(String tenant, String caseId);

  List<ReviewCase> openCases(String tenant);

  void saveCase(ReviewCase reviewCase);

  /**
   * Records a review decision: writes the case only if it is still OPEN (one decision wins when two
   * people decide at once).
   *
   * @return false when the case was no longer open (read it again to see the decision taken)
   */
  boolean startResolution(ReviewCase resolving);

  /** Overwrites the cross-reference (review resolution, merges) and keeps its reverse link with the person. */
  void saveXref(CrossReference xref);

  /**
   * Ends a replay: the cross-reference becomes LINKED only if no event was parked beyond
   * {@code replayed}; returns false if more arrived (replay them, then try again).
   */
  boolean finishReplay(String tenant, String platformPatientId, int replayed);

  /** Creates or overwrites a person (EHR upserts, merges). */
  void savePerson(Person person);

  /** Points an EHR identifier at a person (overwrites: merges re-point the prior MRN). */
  void mapIdentifier(String tenant, Identifier identifier, String personId);

  /** Files a record under a person outside a registration (EHR upserts, review resolutions). */
  void file(String personId, NormalizedPerson record, Set<String> keys);

  /** One chart of an initial bulk load: its person, the identifiers that map to it, its record and keys. */
  record BulkChart(Person person, java.util.List<Identifier> identifiers, NormalizedPerson record, Set<String> keys) {}

  /**
   * Go-live bulk load into an index being built: persons, identifier mappings, records and keys, with
   * batched unconditional writes (deterministic keys: a re-run overwrites the same items).
   *
   * @return the number of items written
   */
  long bulkLoad(List<BulkChart> charts);
}
