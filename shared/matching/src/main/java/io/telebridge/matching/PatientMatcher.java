package io.telebridge.matching;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Decides LINK, REVIEW or NEW for one incoming record against a {@link CandidateIndex}. It only
 * reads the index; filing the record afterwards ({@link #file}) is the caller's step, so that a
 * REVIEW can be parked without touching the index.
 *
 * <p>A candidate whose comparison raises a guard that marks a different person (sex, Jr/Sr, birth
 * dates years apart, twins' given names: see {@link Guard#rulesOut()}) is ruled out: it can never be
 * linked, and it is listed in a NEW result's explanation. A candidate is linkable when it scores at
 * or above LINK, raises no guard, and is {@link Comparison#corroborated() corroborated} by more than
 * name, birth date and town (namesakes born the same day share all of those).
 *
 * <p>A candidate below LINK that only name, birth date and town tie to the record while a different
 * house and a different phone or email contradict (namesakes) is dropped, as if below REVIEW.
 *
 * <p>Rules, in order: no candidate at or above REVIEW → NEW. Exactly one linkable candidate → LINK,
 * unless only a nickname ties it to the record while a ruled-out relative scores higher (REVIEW).
 * Several linkable candidates → REVIEW. Anything else at or above REVIEW (an SSN conflict, an
 * uncorroborated candidate, a score between the thresholds) → REVIEW. Logs carry record ids,
 * patient ids and scores only.
 */
public final class PatientMatcher {

  private static final Logger LOG = Logger.getLogger(PatientMatcher.class.getName());

  private final CandidateIndex index;
  private final FieldComparator comparator;
  private final Nicknames nicknames;
  private final MatchSettings settings;

  public PatientMatcher(CandidateIndex index, Nicknames nicknames, MatchSettings settings) {
    this.index = index;
    this.nicknames = nicknames;
    this.comparator = new FieldComparator(
        settings.weights().isHandSet() ? nicknames : nicknames.withKnown(settings.weights().frequentGivenNames()),
        settings.weights());
    this.settings = settings;
  }

  public PatientMatcher(CandidateIndex index) {
    this(index, Nicknames.bundled(), MatchSettings.defaults());
  }

  public NormalizedPerson normalize(MatchInput input) {
    return Normalizer.normalize(input);
  }

  public MatchResult match(MatchInput input) {
    return match(normalize(input));
  }

  public MatchResult match(NormalizedPerson person) {
    Set<String> candidateIds = new LinkedHashSet<>();
    for (List<String> ids : index.lookupAll(List.copyOf(BlockingKeys.of(person, nicknames)), settings.keyLimit())) {
      if (ids.size() <= settings.keyLimit()) {
        candidateIds.addAll(ids);
      }
    }
    List<Comparison> scored = new ArrayList<>();
    List<Comparison> ruledOut = new ArrayList<>();
    List<String> ids = List.copyOf(candidateIds);
    List<List<NormalizedPerson>> records = index.recordsAll(ids);
    for (int i = 0; i < ids.size(); i++) {
      String id = ids.get(i);
      Comparison best = null;
      for (NormalizedPerson r : records.get(i)) {
        Comparison c = comparator.compare(id, person, r);
        if (best == null || c.score() > best.score()) {
          best = c;
        }
      }
      if (best != null && best.score() >= settings.review()) {
        if (!best.guarded() && best.score() < settings.link() && isNamesake(best)) {
          continue; // name and birth date only, a different house and a different phone or email
        }
        if (best.guards().stream().anyMatch(Guard::rulesOut)) {
          ruledOut.add(best);
        } else {
          scored.add(best);
        }
      }
    }
    scored.sort(Comparator.comparingDouble(Comparison::score).reversed());
    ruledOut.sort(Comparator.comparingDouble(Comparison::score).reversed());
    MatchResult result = decide(person.recordId(), scored, ruledOut);
    if (LOG.isLoggable(Level.FINE)) {
      LOG.fine(result.explanation());
    }
    return result;
  }

  /**
   * A candidate below LINK whom only name and birth date (and town) tie to the record, while a
   * different house and a different phone or email contradict: what namesakes born the same day
   * look like. Not worth a person's review; the record becomes a new patient (issue 9: review rate).
   */
  private static boolean isNamesake(Comparison c) {
    List<String> disagreed = c.fieldsWith(Outcome.DISAGREE);
    return !c.corroborated() && (disagreed.contains("phone") || disagreed.contains("email"));
  }

  /**
   * The LINK threshold for one candidate. A moved person keeps an email and often a phone while the
   * house, street and postcode all change, so the address caps the score below LINK although the
   * person's own contact agrees. When the email or phone agrees, the birth date agrees exactly or
   * within one keystroke, neither name disagrees outright and the home differs, the threshold is
   * {@link MatchSettings#contactLink()}. A household member sharing that contact is ruled out by the
   * guards first (name, birth date, sex, suffix).
   */
  private double linkThreshold(Comparison c) {
    boolean contact = false;
    boolean homeDiffers = false;
    for (FieldComparison f : c.fields()) {
      switch (f.field()) {
        case "email", "phone" -> contact |= f.outcome() == Outcome.AGREE;
        case "birth_date" -> {
          if (f.outcome() != Outcome.AGREE && !f.reason().equals("typo") && !f.reason().equals("day_month_swapped")) {
            return settings.link();
          }
        }
        case "given", "surname" -> {
          if (f.outcome() == Outcome.DISAGREE || f.outcome() == Outcome.MISSING) {
            return settings.link();
          }
        }
        case "street_number", "street" -> homeDiffers |= f.outcome() == Outcome.DISAGREE;
        default -> { }
      }
    }
    return contact && homeDiffers ? settings.contactLink() : settings.link();
  }

  /**
   * A nickname ties the record to one candidate while a candidate ruled out as another member of a
   * household resembles it more closely (twins Elise and Eliza; "Elsie" is a nickname of Eliza and
   * a typo of Elise): which of the two it is, a person decides.
   */
  private static boolean nicknameOutscoredByRelative(Comparison linked, List<Comparison> ruledOut) {
    return !ruledOut.isEmpty() && ruledOut.get(0).score() > linked.score()
        && linked.fields().stream().anyMatch(f -> f.field().equals("given") && f.reason().equals("nickname"));
  }

  private MatchResult decide(String recordId, List<Comparison> scored, List<Comparison> ruledOut) {
    if (scored.isEmpty()) {
      if (!ruledOut.isEmpty()) {
        Comparison other = ruledOut.get(0);
        return new MatchResult(recordId, Decision.NEW, null, other.score(),
            "ruled_out_" + other.guards().iterator().next().name().toLowerCase(java.util.Locale.ROOT), ruledOut);
      }
      return new MatchResult(recordId, Decision.NEW, null, 0.0, "no_candidate_above_review", List.of());
    }
    List<Comparison> linkable = scored.stream()
        .filter(c -> !c.guarded() && c.score() >= linkThreshold(c) && c.corroborated()).toList();
    Comparison best = scored.get(0);
    if (linkable.size() == 1 && nicknameOutscoredByRelative(linkable.get(0), ruledOut)) {
      Comparison only = linkable.get(0);
      return new MatchResult(recordId, Decision.REVIEW, only.patientId(), only.score(), "nickname_or_relative", scored);
    }
    if (linkable.size() == 1) {
      Comparison only = linkable.get(0);
      return new MatchResult(recordId, Decision.LINK, only.patientId(), only.score(), "single_certain_match", scored);
    }
    if (linkable.size() > 1) {
      return new MatchResult(recordId, Decision.REVIEW, best.patientId(), best.score(), "several_certain_matches", scored);
    }
    String reason = best.guarded() ? "guard_" + best.guards().iterator().next().name().toLowerCase(java.util.Locale.ROOT)
        : best.score() >= settings.link() ? "uncorroborated" : "possible_match";
    return new MatchResult(recordId, Decision.REVIEW, best.patientId(), best.score(), reason, scored);
  }

  /** Files a record for a patient (after LINK, after NEW with a fresh id, or after a review resolved). */
  public void file(String patientId, NormalizedPerson person) {
    index.file(patientId, person, BlockingKeys.of(person, nicknames));
  }
}
