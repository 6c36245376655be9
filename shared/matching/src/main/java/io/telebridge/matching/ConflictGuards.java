package io.telebridge.matching;

import io.telebridge.core.model.Sex;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The guards of a {@link FieldComparator} comparison: strong conflicting evidence (a differing SSN, stated
 * sex, birth year, suffix or given name) and the household rule, read from the weighed fields. A guard
 * rules a candidate out or holds it for review whatever its score ({@link Guard#rulesOut}).
 */
final class ConflictGuards {

  private static final DateTimeFormatter YYYYMMDD = DateTimeFormatter.BASIC_ISO_DATE;

  private ConflictGuards() {}

  /** The guards two records raise, given their weighed fields (given, birth date and SSN among them). */
  static Set<Guard> find(NormalizedPerson a, NormalizedPerson b, FieldComparison given, FieldComparison dob,
      FieldComparison id, List<FieldComparison> fields) {
    Set<Guard> guards = EnumSet.noneOf(Guard.class);
    if (id.outcome() == Outcome.DISAGREE) {
      guards.add(Guard.SSN_CONFLICT);
    }
    // Last-4 digits one keystroke apart are also what consecutively issued numbers (twins) look like:
    // only a typo when the given names agree exactly.
    if (id.outcome() == Outcome.PARTIAL && a.nationalId() == null && given.outcome() != Outcome.AGREE) {
      guards.add(Guard.SSN_CONFLICT);
    }
    if (a.sex() != b.sex() && isStated(a.sex()) && isStated(b.sex())) {
      guards.add(Guard.SEX_CONFLICT);
    }
    boolean idAgrees = id.outcome() == Outcome.AGREE;
    if (dob.outcome() == Outcome.DISAGREE && yearsApart(a.dob(), b.dob()) >= 1 && !idAgrees) {
      guards.add(Guard.BIRTH_DATE_CONFLICT);
    }
    boolean bothSuffixes = a.suffix() != null && b.suffix() != null;
    boolean oneSuffix = (a.suffix() == null) != (b.suffix() == null);
    if ((bothSuffixes && !a.suffix().equals(b.suffix())) || (oneSuffix && dob.outcome() != Outcome.AGREE)) {
      guards.add(Guard.SUFFIX_CONFLICT);
    }
    if (!idAgrees && given.outcome() != Outcome.MISSING && !isNameMatch(given)
        && !given.reason().equals("initial") && !given.reason().equals("swapped")) {
      guards.add(Guard.GIVEN_NAME_CONFLICT);
    }
    household(a, b, given, dob, id, fields, guards);
    return guards;
  }

  static boolean isNameMatch(FieldComparison f) {
    return f.outcome() == Outcome.AGREE || f.reason().equals("typo") || f.reason().equals("typo2")
        || f.reason().equals("variant") || f.reason().equals("nickname");
  }

  /**
   * The household rule (issue 9): a birth year that differs, or a given name that is a variant
   * (typo, Maria / Mariana), may count as a typo only when nothing says "another member of this
   * household". What says so: a different stated sex, a generational suffix on either record that
   * the other does not share, an email of one's own while address or phone is
   * shared, or a year that differs beside a second real name (a sibling: Maria 2012 / Mariana 2014). Then
   * the difference is a conflict and the candidate is ruled out. Without such a sign it is still
   * not taken for a typo when the difference is what a relative looks like: years
   * ten or more apart (a parent or child whose year differs in one digit: 1939 / 1959, 1914 / 1941),
   * or two real names (a variant rather than a one-keystroke typo of a name): those are ruled out
   * too ({@link Guard#POSSIBLE_RELATIVE}). An agreeing SSN settles it (a typo); a differing one
   * keeps its own guard (review), as with everything else equal.
   */
  private static void household(NormalizedPerson a, NormalizedPerson b, FieldComparison given, FieldComparison dob,
      FieldComparison id, List<FieldComparison> fields, Set<Guard> guards) {
    if (id.outcome() == Outcome.AGREE) {
      return;
    }
    boolean yearOff = a.dob() != null && b.dob() != null && dob.outcome() == Outcome.PARTIAL
        && !a.birthYear().equals(b.birthYear());
    boolean givenOff = given.outcome() == Outcome.PARTIAL
        && (given.reason().equals("typo") || given.reason().equals("typo2") || given.reason().equals("variant"));
    if (!yearOff && !givenOff) {
      return;
    }
    boolean sharedHome = false;
    boolean emailDiffers = false;
    for (FieldComparison f : fields) {
      switch (f.field()) {
        case "phone", "address_extra" -> sharedHome |= f.outcome() == Outcome.AGREE;
        case "street" -> sharedHome |= f.outcome() == Outcome.AGREE && a.streetNumber() != null
            && a.streetNumber().equals(b.streetNumber());
        case "email" -> emailDiffers = f.outcome() == Outcome.DISAGREE;
        default -> { }
      }
    }
    boolean sign = (a.sex() != b.sex() && isStated(a.sex()) && isStated(b.sex()))
        || !Objects.equals(a.suffix(), b.suffix())
        || (sharedHome && emailDiffers)
        || (yearOff && given.reason().equals("variant"));
    if (yearOff) {
      if (sign) {
        guards.add(Guard.BIRTH_DATE_CONFLICT);
      } else if (yearsApart(a.dob(), b.dob()) >= 10) {
        guards.add(Guard.POSSIBLE_RELATIVE);
      }
    }
    if (givenOff) {
      if (sign) {
        guards.add(Guard.GIVEN_NAME_CONFLICT);
      } else if (given.reason().equals("variant")) {
        guards.add(Guard.POSSIBLE_RELATIVE);
      }
    }
  }

  static boolean isStated(Sex s) {
    return s == Sex.FEMALE || s == Sex.MALE;
  }

  static long yearsApart(String a, String b) {
    try {
      return Math.abs(ChronoUnit.YEARS.between(LocalDate.parse(a, YYYYMMDD), LocalDate.parse(b, YYYYMMDD)));
    } catch (RuntimeException e) {
      return 0;
    }
  }
}
