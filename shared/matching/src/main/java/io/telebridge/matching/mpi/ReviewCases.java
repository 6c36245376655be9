package io.telebridge.matching.mpi;

import io.telebridge.core.identity.CrossReference;
import io.telebridge.core.identity.CrossReference.State;
import io.telebridge.core.model.PatientDemographics;
import io.telebridge.matching.BlockingKeys;
import io.telebridge.matching.MatchInput;
import io.telebridge.matching.Nicknames;
import io.telebridge.matching.NormalizedPerson;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Use case: ops decide the possible matches. A case is listed with ids, scores and the field-by-field
 * explanation; demographics only on explicit request. Resolving it (link to a person, or create a new
 * one) points the platform patient's cross-reference at the person, files the patient's demographics
 * there, then translates the parked events in their order, and any that arrive meanwhile, before the
 * patient's events flow normally again. Repeating a resolution (after a crash, or a second click) with
 * the same decision continues where it stopped; a different decision on a resolved case is refused.
 */
public final class ReviewCases {

  private static final Logger LOG = Logger.getLogger(ReviewCases.class.getName());

  /** Translates one parked event as a replay of its case (the to-EHR flow with {@code resumedFromCase}). */
  public interface Replay {
    void translate(ParkedEvent event, String caseId);
  }

  /** Reads the patient out of a parked event's JSON. */
  public interface PatientReader {
    PatientDemographics read(String eventJson);
  }

  /** A case's demographics, on explicit request: the incoming patient and each candidate's records. PHI. */
  public record Demographics(PatientDemographics incoming, Map<String, List<NormalizedPerson>> candidates) {
    @Override
    public String toString() {
      return "Demographics[candidates=" + candidates.keySet() + ", ***]";
    }
  }

  /** A request the case cannot take (unknown person, contradicting an earlier decision). */
  public static final class Conflict extends RuntimeException {
    public Conflict(String message) {
      super(message);
    }
  }

  private final IdentityStore store;
  private final MatchingPatientResolver resolver;
  private final Nicknames nicknames;
  private final PatientReader reader;
  private final Replay replay;
  private final Clock clock;

  public ReviewCases(IdentityStore store, MatchingPatientResolver resolver, PatientReader reader, Replay replay,
      Clock clock) {
    this.store = store;
    this.resolver = resolver;
    this.nicknames = Nicknames.bundled();
    this.reader = reader;
    this.replay = replay;
    this.clock = clock;
  }

  public List<ReviewCase> open(String tenant) {
    return store.openCases(tenant);
  }

  public Optional<ReviewCase> get(String tenant, String caseId) {
    return store.reviewCase(tenant, caseId);
  }

  public Demographics demographics(String tenant, String caseId) {
    ReviewCase c = require(tenant, caseId);
    List<ParkedEvent> events = store.parked(tenant, caseId);
    PatientDemographics incoming = events.isEmpty() ? null : reader.read(events.get(0).body());
    Map<String, List<NormalizedPerson>> candidates = new java.util.LinkedHashMap<>();
    for (ReviewCase.Candidate candidate : c.candidates()) {
      candidates.put(candidate.personId(), resolver.matcherIndex().records(candidate.personId()));
    }
    return new Demographics(incoming, candidates);
  }

  /** Links the case's platform patient to one of the case's candidates, then replays its parked events. */
  public ReviewCase link(String tenant, String caseId, String personId, String by) {
    return link(tenant, caseId, personId, false, by);
  }

  /**
   * Links the case's platform patient to an existing person, then replays its parked events. The person
   * must be one of the case's candidates, or, with {@code confirmedNonCandidate}, a person of the case's
   * tenant; never another tenant's person ({@link NotLinkable} otherwise, nothing changes).
   */
  public ReviewCase link(String tenant, String caseId, String personId, boolean confirmedNonCandidate, String by) {
    ReviewCase c = require(tenant, caseId);
    if (c.status() == ReviewCase.Status.OPEN) {
      boolean candidate = c.candidates().stream().anyMatch(k -> k.personId().equals(personId));
      if (!candidate && !confirmedNonCandidate) {
        throw new NotLinkable("person " + personId + " is not one of the case's candidates (to link another person of"
            + " the tenant, confirm it explicitly)");
      }
      Optional<Person> person = store.person(personId);
      if (person.isEmpty() || !tenant.equals(person.get().tenant())
          || !tenant.equals(resolver.follow(person.get().personId()).tenant())) {
        // another tenant's person and no person at all get the same answer: nothing about other tenants leaks
        throw new NotLinkable("no person " + personId + " in the case's tenant");
      }
    }
    return resolve(tenant, caseId, "LINK:" + personId, by);
  }

  /** A link the case's tenant rules refuse (a person not among the candidates, or not of the tenant). */
  public static final class NotLinkable extends RuntimeException {
    public NotLinkable(String message) {
      super(message, null, false, false);
    }
  }

  /** Registers the case's platform patient as a new person, then replays its parked events (the first re-registers). */
  public ReviewCase createNew(String tenant, String caseId, String by) {
    ReviewCase c = require(tenant, caseId);
    return resolve(tenant, caseId, "NEW:" + MatchingPatientResolver.registeredPersonId(tenant, c.platformPatientId()), by);
  }

  private ReviewCase require(String tenant, String caseId) {
    return store.reviewCase(tenant, caseId).orElseThrow(() -> new java.util.NoSuchElementException(
        "no review case " + caseId));
  }

  private ReviewCase resolve(String tenant, String caseId, String requested, String by) {
    ReviewCase c = require(tenant, caseId);
    String decision = requested;
    if (c.status() == ReviewCase.Status.OPEN) {
      if (decision.startsWith("LINK:")) {
        String target = decision.substring("LINK:".length());
        Person person = store.person(target).orElseThrow(() -> new Conflict("no person " + target));
        decision = "LINK:" + resolver.follow(person.personId()).personId();
      }
      ReviewCase resolving = c.resolved(ReviewCase.Status.REPLAYING, decision, by, clock.instant());
      // the decision is taken once: a concurrent different decision loses this conditional write
      c = store.startResolution(resolving) ? resolving : require(tenant, caseId);
    }
    if (!decision.equals(c.resolution()) && !requested.equals(c.resolution())) {
      throw new Conflict("case " + caseId + " was already resolved as " + c.resolution());
    }
    if (c.status() == ReviewCase.Status.RESOLVED) {
      return c;
    }
    apply(c);
    ReviewCase resolved = c;
    LOG.info(() -> "review case=" + caseId + " resolved " + resolved.resolution() + " by=" + resolved.resolvedBy());
    return replay(c);
  }

  /** Points the patient at the decided person (idempotent: a re-run after a crash completes it). */
  private void apply(ReviewCase c) {
    String tenant = c.tenant();
    String decision = c.resolution();
    String personId = decision.substring(decision.indexOf(':') + 1);
    CrossReference xref = store.xref(tenant, c.platformPatientId()).orElseThrow(() -> new IllegalStateException(
        "case " + c.caseId() + " has no cross-reference"));
    if (xref.state() != State.PARKED) {
      return; // already pointed at the person (REPLAYING) or the replay finished (LINKED)
    }
    List<ParkedEvent> events = store.parked(tenant, c.caseId());
    if (decision.startsWith("NEW:")) {
      store.savePerson(new Person(personId, tenant, List.of(resolver.platformIdentifier(tenant, c.platformPatientId())), null,
          clock.instant()));
      xref = xref.withRegisteredByEvent(events.isEmpty() ? c.firstEventId() : events.get(0).eventId());
    } else {
      xref = xref.withRegisteredByEvent(null);
    }
    PatientDemographics incoming = events.isEmpty() ? null : reader.read(events.get(0).body());
    if (incoming != null && MatchingPatientResolver.matchable(incoming)) {
      NormalizedPerson record = resolver.platformRecord(tenant, MatchInput.of(c.platformPatientId(), incoming));
      store.file(personId, record, new TenantIndex(resolver.matcherIndex(), tenant)
          .scoped(BlockingKeys.of(record, nicknames)));
    }
    store.saveXref(xref.withPerson(personId, State.REPLAYING));
  }

  private ReviewCase replay(ReviewCase c) {
    ReviewCase current = c;
    for (int round = 0; round < 1_000; round++) {
      for (ParkedEvent e : store.parked(c.tenant(), c.caseId())) {
        if (e.seq() <= current.replayed()) {
          continue;
        }
        replay.translate(e, c.caseId());
        current = current.withReplayed(e.seq());
        store.saveCase(current);
      }
      if (store.finishReplay(c.tenant(), c.platformPatientId(), current.replayed())) {
        ReviewCase done = current.withStatus(ReviewCase.Status.RESOLVED);
        store.saveCase(done);
        LOG.info(() -> "review case=" + c.caseId() + " replayed=" + done.replayed() + ": patient flows again");
        return done;
      }
    }
    throw new IllegalStateException("events keep arriving for case " + c.caseId());
  }

  /** For tests and tools: every event parked in a case, in order (bodies are PHI). */
  public List<ParkedEvent> parked(String tenant, String caseId) {
    return new ArrayList<>(store.parked(tenant, caseId));
  }
}
