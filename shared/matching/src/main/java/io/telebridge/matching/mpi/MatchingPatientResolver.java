package io.telebridge.matching.mpi;

import io.telebridge.core.error.TransientException;
import io.telebridge.core.identity.CrossReference;
import io.telebridge.core.identity.CrossReference.State;
import io.telebridge.core.identity.PatientResolver;
import io.telebridge.core.identity.Resolution;
import io.telebridge.core.identity.ResolveRequest;
import io.telebridge.core.model.Identifier;
import io.telebridge.core.model.PatientDemographics;
import io.telebridge.matching.BlockingKeys;
import io.telebridge.matching.CandidateIndex;
import io.telebridge.matching.Comparison;
import io.telebridge.matching.MatchInput;
import io.telebridge.matching.MatchResult;
import io.telebridge.matching.MatchSettings;
import io.telebridge.matching.Nicknames;
import io.telebridge.matching.NormalizedPerson;
import io.telebridge.matching.Outcome;
import io.telebridge.matching.PatientMatcher;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * The identity step of the to-EHR flow, on the matcher.
 *
 * <ul>
 *   <li>A platform patient seen before resolves through its cross-reference (no matching): to the
 *       person's EHR identifiers; while a review case is open, its events are parked behind it.
 *   <li>A platform patient seen for the first time is matched on its demographics:
 *       <b>LINK</b> → cross-referenced to the existing person, its EHR identifiers are used;
 *       <b>NEW</b> → a person is registered (the EHR gets an A04) under a claim on a deterministic key
 *       (phonetic surname + birth date), so that two concurrent registrations of one new person create
 *       one person: the loser matches again against the winner's filed record;
 *       <b>REVIEW</b> → the event is parked in a review case, nothing is created or guessed.
 * </ul>
 *
 * Logs carry event, patient, person and case ids, decisions and scores: never demographics.
 */
public final class MatchingPatientResolver implements PatientResolver {

  private static final Logger LOG = Logger.getLogger(MatchingPatientResolver.class.getName());
  /** HL7 table 0203: patient internal identifier, used for the platform's id. */
  public static final String PLATFORM_ID_TYPE = "PI";
  private static final int MAX_CLAIM_ATTEMPTS = 8;

  private final IdentityStore store;
  private final CandidateIndex index;
  private final Nicknames nicknames;
  private final MatchSettings settings;
  private final String platformAuthority;
  private final Map<String, String> tenantAuthorities;
  private final Clock clock;
  private final Map<String, PatientMatcher> matchers = new ConcurrentHashMap<>();

  public MatchingPatientResolver(IdentityStore store, CandidateIndex index, String platformAuthority, Clock clock) {
    this(store, index, Nicknames.bundled(), MatchSettings.defaults(), platformAuthority, clock);
  }

  public MatchingPatientResolver(IdentityStore store, CandidateIndex index, Nicknames nicknames, MatchSettings settings,
      String platformAuthority, Clock clock) {
    this(store, index, nicknames, settings, platformAuthority, Map.of(), clock);
  }

  /**
   * @param tenantAuthorities each tenant's PID-3 assigning authority of the platform id (from its EHR
   *     profile); a tenant not in it uses {@code platformAuthority}
   */
  public MatchingPatientResolver(IdentityStore store, CandidateIndex index, String platformAuthority,
      Map<String, String> tenantAuthorities, Clock clock) {
    this(store, index, Nicknames.bundled(), MatchSettings.defaults(), platformAuthority, tenantAuthorities, clock);
  }

  private MatchingPatientResolver(IdentityStore store, CandidateIndex index, Nicknames nicknames, MatchSettings settings,
      String platformAuthority, Map<String, String> tenantAuthorities, Clock clock) {
    this.store = store;
    this.index = index;
    this.nicknames = nicknames;
    this.settings = settings;
    this.platformAuthority = platformAuthority;
    this.tenantAuthorities = Map.copyOf(tenantAuthorities);
    this.clock = clock;
  }

  CandidateIndex matcherIndex() {
    return index;
  }

  PatientMatcher matcher(String tenant) {
    return matchers.computeIfAbsent(tenant, t -> new PatientMatcher(new TenantIndex(index, t), nicknames, settings));
  }

  /** The person id telebridge gives a patient it registers: deterministic, so a retry re-creates the same one. */
  public static String registeredPersonId(String tenant, String platformPatientId) {
    return "tb:" + tenant + ":" + platformPatientId;
  }

  /** The index record id for a platform patient's demographics. */
  public static String platformRecordId(String tenant, String platformPatientId) {
    return "platform:" + tenant + ":" + platformPatientId;
  }

  public Identifier platformIdentifier(String platformPatientId) {
    return new Identifier(platformPatientId, platformAuthority, PLATFORM_ID_TYPE);
  }

  /** The platform id as the tenant's EHR knows it: under the tenant's own assigning authority. */
  public Identifier platformIdentifier(String tenant, String platformPatientId) {
    return new Identifier(platformPatientId, tenantAuthorities.getOrDefault(tenant, platformAuthority), PLATFORM_ID_TYPE);
  }

  /** A resolution with the matcher's result behind it ({@code null} when the cross-reference answered). */
  public record Decided(Resolution resolution, MatchResult match, String personId) {}

  @Override
  public Resolution resolve(ResolveRequest request) {
    return decide(request, null).resolution();
  }

  /**
   * As {@link #resolve}, with the matcher's evidence; {@code input} may add what platform events do not
   * carry (a full national id, as in Febrl), else the request's demographics are matched.
   */
  public Decided decide(ResolveRequest request, MatchInput input) {
    String tenant = request.tenant();
    String platformId = request.patient().platformPatientId();
    for (int attempt = 0; attempt < 3; attempt++) {
      var existing = store.xref(tenant, platformId);
      if (existing.isPresent()) {
        CrossReference xref = existing.get();
        boolean replayOfItsCase = request.resumedFromCase() != null
            && request.resumedFromCase().equals(xref.reviewCaseId());
        if (xref.state() != State.LINKED && !replayOfItsCase) {
          if (store.park(tenant, platformId, request.eventId(), request.rawEvent())) {
            LOG.info(() -> "parked eventId=" + request.eventId() + " behind reviewCase=" + xref.reviewCaseId());
            return new Decided(Resolution.parked(xref.reviewCaseId()), null, null);
          }
          continue; // the replay finished meanwhile: resolve through the link
        }
        if (request.resumedFromCase() == null && xref.personId() != null) {
          fileVariant(request, xref.personId());
        }
        return new Decided(throughPerson(xref, platformId, request.eventId()), null, xref.personId());
      }
      return matchNew(request, input);
    }
    throw new TransientException("cross-reference kept changing while resolving eventId=" + request.eventId(), null);
  }

  private Resolution throughPerson(CrossReference xref, String platformId, String eventId) {
    Person person = follow(xref.personId());
    boolean isNew = eventId.equals(xref.registeredByEvent()) && !person.hasMrn();
    return new Resolution(identifiersOf(person, platformId), isNew);
  }

  /** The person, following merges to the survivor. */
  Person follow(String personId) {
    String id = personId;
    for (int hops = 0; hops < 16; hops++) {
      String current = id;
      Person p = store.person(current).orElseThrow(() -> new TransientException(
          "person " + current + " not in the identity index yet", null));
      if (p.mergedInto() == null) {
        return p;
      }
      id = p.mergedInto();
    }
    throw new IllegalStateException("merge chain too long from person " + personId);
  }

  List<Identifier> identifiersOf(Person person, String platformId) {
    List<Identifier> ids = new ArrayList<>(person.identifiers());
    Identifier own = platformIdentifier(person.tenant(), platformId);
    if (!ids.contains(own)) {
      ids.add(own);
    }
    return ids;
  }

  private Decided matchNew(ResolveRequest request, MatchInput input) {
    String tenant = request.tenant();
    PatientDemographics demographics = request.patient();
    String platformId = demographics.platformPatientId();
    if (!matchable(demographics)) {
      return new Decided(park(request, null, "no_demographics"), null, null);
    }
    PatientMatcher matcher = matcher(tenant);
    NormalizedPerson record = platformRecord(tenant, new MatchInput(platformId,
        input == null ? demographics : input.demographics(), input == null ? null : input.nationalId()));
    Set<String> keys = new TenantIndex(index, tenant).scoped(BlockingKeys.of(record, nicknames));
    for (int attempt = 0; attempt < MAX_CLAIM_ATTEMPTS; attempt++) {
      MatchResult result = matcher.match(record);
      switch (result.decision()) {
        case LINK -> {
          Person person;
          try {
            person = follow(result.patientId());
          } catch (TransientException notYetVisible) {
            // the candidate's record is visible but its person item not yet (a store whose
            // transactions are not isolated, e.g. moto): match again shortly
            pause(attempt);
            continue;
          }
          CrossReference stored = store.link(
              CrossReference.linked(tenant, platformId, person.personId(), null, clock.instant()), record, keys);
          LOG.info(() -> "LINK eventId=" + request.eventId() + " person=" + person.personId()
              + " score=" + String.format(java.util.Locale.ROOT, "%.2f", result.score()));
          return new Decided(throughPerson(stored, platformId, request.eventId()), result, person.personId());
        }
        case REVIEW -> {
          return new Decided(park(request, result, result.reason()), result, null);
        }
        case NEW -> {
          String personId = registeredPersonId(tenant, platformId);
          Person person = new Person(personId, tenant, List.of(platformIdentifier(tenant, platformId)), null, clock.instant());
          CrossReference xref = CrossReference.linked(tenant, platformId, personId, request.eventId(), clock.instant());
          String claim = claimKey(tenant, record, attempt);
          IdentityStore.Registration r = store.registerNew(claim, person, xref, record, keys);
          if (r instanceof IdentityStore.Registration.Registered registered) {
            LOG.info(() -> "NEW eventId=" + request.eventId() + " person=" + personId + " reason=" + result.reason());
            return new Decided(throughPerson(registered.xref(), platformId, request.eventId()), result,
                registered.xref().personId());
          }
          String owner = ((IdentityStore.Registration.ClaimTaken) r).ownerPersonId();
          LOG.info(() -> "claim held by person=" + owner + " eventId=" + request.eventId() + ": matching again");
          pause(attempt);
        }
      }
    }
    throw new TransientException("no free registration claim after " + MAX_CLAIM_ATTEMPTS + " attempts", null);
  }

  /**
   * A known patient's event that carries demographics files them as a record of the person, under an
   * id derived from their content: a repeat files nothing, a change (a move, a new phone, a married
   * name) becomes one more variant the matcher compares later registrations with.
   */
  private void fileVariant(ResolveRequest request, String personId) {
    PatientDemographics d = request.patient();
    if (!matchable(d)) {
      return;
    }
    NormalizedPerson record = platformRecord(request.tenant(), MatchInput.of(d.platformPatientId(), d));
    store.file(personId, record, new TenantIndex(index, request.tenant()).scoped(BlockingKeys.of(record, nicknames)));
  }

  /**
   * A platform patient's demographics as an index record, its id {@code platform:<tenant>:<id>:<content
   * hash>}: the same content always files under the same id (idempotent), a change under a new one.
   */
  NormalizedPerson platformRecord(String tenant, MatchInput input) {
    PatientMatcher matcher = matcher(tenant);
    NormalizedPerson probe = matcher.normalize(new MatchInput("probe", input.demographics(), input.nationalId()));
    String recordId = platformRecordId(tenant, input.demographics().platformPatientId()) + ":" + contentHash(probe);
    return matcher.normalize(new MatchInput(recordId, input.demographics(), input.nationalId()));
  }

  /** A short hash of a normalised record's content (its id when filed as a variant). */
  static String contentHash(NormalizedPerson p) {
    String content = String.join("|", String.valueOf(p.given()), String.valueOf(p.givenOther()),
        String.valueOf(p.surname()), String.valueOf(p.suffix()), String.valueOf(p.dob()), String.valueOf(p.sex()),
        String.valueOf(p.phones()), String.valueOf(p.email()), String.valueOf(p.streetNumber()),
        String.valueOf(p.unit()), String.valueOf(p.streetName()), String.valueOf(p.addressExtra()),
        String.valueOf(p.city()), String.valueOf(p.state()), String.valueOf(p.postcode()), String.valueOf(p.ssnLast4()),
        String.valueOf(p.nationalId()));
    return sha256(content).substring(0, 16);
  }

  /** A name to match on (a birth date helps but Febrl-style lists lack some). */
  static boolean matchable(PatientDemographics d) {
    return d.name() != null && (d.name().family() != null && !d.name().family().isBlank()
        || d.name().given().stream().anyMatch(g -> g != null && !g.isBlank()));
  }

  private Resolution park(ResolveRequest request, MatchResult result, String reason) {
    String tenant = request.tenant();
    String platformId = request.patient().platformPatientId();
    String caseId = caseId(tenant, platformId, request.eventId());
    List<ReviewCase.Candidate> candidates = new ArrayList<>();
    if (result != null) {
      for (Comparison c : result.candidates()) {
        candidates.add(new ReviewCase.Candidate(c.patientId(), c.score(), String.join(",", c.fieldsWith(Outcome.AGREE)),
            String.join(",", c.fieldsWith(Outcome.DISAGREE)), String.join(",", c.fieldsWith(Outcome.MISSING)),
            c.guards().toString()));
      }
    }
    ReviewCase reviewCase = new ReviewCase(caseId, tenant, platformId, request.eventId(), ReviewCase.Status.OPEN, reason,
        result == null ? 0 : result.score(), candidates, result == null ? reason : result.explanation(),
        clock.instant(), null, null, null, 0);
    CrossReference xref = new CrossReference(tenant, platformId, null, CrossReference.State.PARKED, caseId, null, 1,
        clock.instant());
    store.openCase(xref, reviewCase, new ParkedEvent(1, request.eventId(), request.rawEvent()));
    LOG.info(() -> "REVIEW eventId=" + request.eventId() + " reviewCase=" + caseId + " reason=" + reason);
    return Resolution.parked(caseId);
  }

  private static void pause(int attempt) {
    try {
      Thread.sleep(20L << Math.min(attempt, 5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TransientException("interrupted while resolving", e);
    }
  }

  static String caseId(String tenant, String platformPatientId, String eventId) {
    return "rc-" + sha256(tenant + "\n" + platformPatientId + "\n" + eventId).substring(0, 20);
  }

  /**
   * The registration claim: phonetic surname and birth date (the same person's two concurrent
   * registrations agree on it despite most typos); a namesake born the same day who the matcher says
   * is someone else takes the next attempt's key.
   */
  static String claimKey(String tenant, NormalizedPerson record, int attempt) {
    String base = record.surname() == null || record.dob() == null
        ? "record:" + record.recordId()
        : new org.apache.commons.codec.language.DoubleMetaphone().doubleMetaphone(record.surname()) + "|" + record.dob();
    return tenant + "|" + sha256(base).substring(0, 32) + "#" + attempt;
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
