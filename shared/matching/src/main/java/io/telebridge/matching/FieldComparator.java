package io.telebridge.matching;

import io.telebridge.core.model.Sex;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.commons.codec.language.DoubleMetaphone;
import org.apache.commons.text.similarity.JaroWinklerSimilarity;

/**
 * Fellegi–Sunter comparison of two normalised records. Each field has levels (agree, partial kinds,
 * disagree, missing); a level's weight is log2(m/u), where m is the chance of that level for two
 * records of the same person and u for two different people. Missing contributes 0. The m/u values
 * are set by hand from the error rates registrations show (typos, swapped day/month, moves) and
 * are deliberately not fitted to any one data set.
 *
 * <p>Address components are correlated (a move changes all of them), so their combined negative
 * evidence is capped at {@link #ADDRESS_FLOOR}.
 */
public final class FieldComparator {

  static final double ADDRESS_FLOOR = -6.0;

  private static final JaroWinklerSimilarity JW = new JaroWinklerSimilarity();
  private static final DoubleMetaphone DM = new DoubleMetaphone();

  private final Nicknames nicknames;
  private final MatchWeights weights;

  public FieldComparator(Nicknames nicknames) {
    this(nicknames, MatchWeights.handSet());
  }

  public FieldComparator(Nicknames nicknames, MatchWeights weights) {
    this.nicknames = nicknames;
    this.weights = weights;
  }

  static double w(double m, double u) {
    return Math.log(m / u) / Math.log(2);
  }

  public Comparison compare(String patientId, NormalizedPerson a, NormalizedPerson b) {
    List<FieldComparison> fields = new ArrayList<>();

    // Names, allowing given and family to have been swapped.
    FieldComparison given = given(a.given(), b.given());
    if (given.outcome() != Outcome.AGREE && a.givenFull() != null && b.givenFull() != null
        && !(a.givenFull().equals(a.given()) && b.givenFull().equals(b.given()))) {
      FieldComparison full = given(a.givenFull(), b.givenFull());
      if (full.weight() > given.weight()) {
        given = full;
      }
    }
    FieldComparison surname = surname(a, b);
    if (given.outcome() == Outcome.DISAGREE && surname.outcome() == Outcome.DISAGREE) {
      FieldComparison g2 = given(a.givenFull(), b.surname());
      FieldComparison s2 = given(a.surname(), b.givenFull());
      if (ConflictGuards.isNameMatch(g2) && ConflictGuards.isNameMatch(s2)) {
        given = new FieldComparison("given", Outcome.PARTIAL, "swapped", w(0.01, 0.0001));
        surname = new FieldComparison("surname", Outcome.PARTIAL, "swapped", w(0.01, 0.0001));
      }
    }
    fields.add(weights.apply(given, a.givenFull() != null && given.reason().equals("exact") && !a.given().equals(b.given())
        ? a.givenFull() : a.given()));
    fields.add(weights.apply(surname, a.surname()));

    FieldComparison dob = dob(a.dob(), b.dob());
    fields.add(weights.apply(dob, null));
    fields.add(weights.apply(sex(a.sex(), b.sex()), null));
    fields.add(weights.apply(suffix(a.suffix(), b.suffix()), null));
    fields.add(weights.apply(phone(a.phones(), b.phones()), null));
    fields.add(weights.apply(exactField("email", a.email(), b.email(), w(0.7, 0.0005), w(0.3, 0.9995)), null));

    FieldComparison id = identifier(a, b);
    fields.add(id);

    List<FieldComparison> address = new ArrayList<>();
    address.add(streetNumber(a.streetNumber(), b.streetNumber()));
    address.add(exactField("unit", a.unit(), b.unit(), w(0.8, 0.1), w(0.2, 0.9)));
    address.add(fuzzy("street", a.streetName(), b.streetName(), w(0.8, 0.01), w(0.1, 0.01), w(0.1, 0.98)));
    address.add(fuzzy("address_extra", a.addressExtra(), b.addressExtra(), w(0.7, 0.01), w(0.15, 0.01), w(0.15, 0.98)));
    address.add(fuzzy("city", a.city(), b.city(), w(0.85, 0.05), w(0.07, 0.02), w(0.08, 0.95)));
    address.add(postcode(a.postcode(), b.postcode()));
    address.add(exactField("state", a.state(), b.state(), w(0.9, 0.4), w(0.1, 0.6)));
    address.replaceAll(f -> weights.apply(f, null));
    double addressNegative = address.stream().mapToDouble(FieldComparison::weight).filter(x -> x < 0).sum();
    double scale = addressNegative < ADDRESS_FLOOR ? ADDRESS_FLOOR / addressNegative : 1.0;
    for (FieldComparison f : address) {
      fields.add(f.weight() < 0 && scale != 1.0
          ? new FieldComparison(f.field(), f.outcome(), f.reason(), f.weight() * scale) : f);
    }

    Set<Guard> guards = ConflictGuards.find(a, b, given, dob, id, fields);
    double score = fields.stream().mapToDouble(FieldComparison::weight).sum();
    return new Comparison(patientId, score, fields, guards);
  }

  FieldComparison given(String a, String b) {
    if (a == null || b == null) {
      return missing("given");
    }
    if (a.equals(b)) {
      return new FieldComparison("given", Outcome.AGREE, "exact", w(0.85, 0.02));
    }
    if (nicknames.equivalent(a, b)) {
      return new FieldComparison("given", Outcome.PARTIAL, "nickname", w(0.03, 0.002));
    }
    if (a.length() == 1 || b.length() == 1) {
      return a.charAt(0) == b.charAt(0)
          ? new FieldComparison("given", Outcome.PARTIAL, "initial", 0.0)
          : new FieldComparison("given", Outcome.DISAGREE, "different", w(0.03, 0.9));
    }
    double jw = JW.apply(a, b);
    if (Keystrokes.typo(a, b) && !(nicknames.known(a) && nicknames.known(b))) {
      return new FieldComparison("given", Outcome.PARTIAL, "typo", w(0.07, 0.01));
    }
    if (doubleTypo(a, b)) {
      return new FieldComparison("given", Outcome.PARTIAL, "typo2", w(0.03, 0.01));
    }
    if (jw >= 0.92 || Keystrokes.typo(a, b)) {
      // Close, but not one keystroke between a name and a non-name: Maria / Mariana, Christian /
      // Christina. The same person, or a twin or sibling: see the household rule in ConflictGuards.
      return new FieldComparison("given", Outcome.PARTIAL, "variant", w(0.07, 0.01));
    }
    if (jw >= 0.85 || DM.isDoubleMetaphoneEqual(a, b) || DM.isDoubleMetaphoneEqual(a, b, true)) {
      return new FieldComparison("given", Outcome.PARTIAL, "similar", w(0.03, 0.02));
    }
    return new FieldComparison("given", Outcome.DISAGREE, "different", w(0.03, 0.9));
  }

  /**
   * Two keystrokes between a real name and a misspelling of it (Jennifer / Jenifre), or two
   * misspellings of one real name (Jenifer / Jennifr): never two real names (those are a variant or
   * different people), same first letter, four letters or more, and a misspelt side not itself one
   * keystroke from another real name (Mariama is Mariana's typo rather than Maria's). A double typo,
   * subject to the household rule like a single one.
   */
  private boolean doubleTypo(String a, String b) {
    if (a.length() < 4 || b.length() < 4 || a.charAt(0) != b.charAt(0) || Keystrokes.editDistance(a, b) != 2) {
      return false;
    }
    boolean ka = nicknames.known(a);
    boolean kb = nicknames.known(b);
    if (ka && kb) {
      return false;
    }
    if (ka || kb) {
      String misspelt = ka ? b : a;
      String real = ka ? a : b;
      return !nicknames.nearOtherName(misspelt, real);
    }
    String ra = nicknames.reading(a);
    return ra != null && ra.equals(nicknames.reading(b));
  }

  FieldComparison surname(NormalizedPerson pa, NormalizedPerson pb) {
    String a = pa.surname();
    String b = pb.surname();
    if (a == null || b == null) {
      return missing("surname");
    }
    if (a.equals(b)) {
      return new FieldComparison("surname", Outcome.AGREE, "exact", w(0.85, 0.005));
    }
    double jw = JW.apply(a, b);
    if (jw >= 0.92 || Keystrokes.typo(a, b)) {
      return new FieldComparison("surname", Outcome.PARTIAL, "typo", w(0.07, 0.005));
    }
    if (pa.surnameParts().size() > 1 || pb.surnameParts().size() > 1) {
      for (String x : pa.surnameParts()) {
        if (x.length() > 2 && pb.surnameParts().contains(x)) {
          return new FieldComparison("surname", Outcome.PARTIAL, "part", w(0.02, 0.002));
        }
      }
    }
    if (jw >= 0.85 || DM.isDoubleMetaphoneEqual(a, b) || DM.isDoubleMetaphoneEqual(a, b, true)) {
      return new FieldComparison("surname", Outcome.PARTIAL, "similar", w(0.03, 0.01));
    }
    return new FieldComparison("surname", Outcome.DISAGREE, "different", w(0.03, 0.98));
  }

  static FieldComparison dob(String a, String b) {
    if (a == null || b == null) {
      return missing("birth_date");
    }
    if (a.equals(b)) {
      return new FieldComparison("birth_date", Outcome.AGREE, "exact", w(0.85, 0.0005));
    }
    String swapped = a.substring(0, 4) + a.substring(6, 8) + a.substring(4, 6);
    if (swapped.equals(b)) {
      return new FieldComparison("birth_date", Outcome.PARTIAL, "day_month_swapped", w(0.02, 0.0005));
    }
    if (Keystrokes.typo(a, b)) {
      return new FieldComparison("birth_date", Outcome.PARTIAL, "typo", w(0.06, 0.005));
    }
    return new FieldComparison("birth_date", Outcome.DISAGREE, "different", w(0.07, 0.99));
  }

  static FieldComparison sex(Sex a, Sex b) {
    if (!ConflictGuards.isStated(a) || !ConflictGuards.isStated(b)) {
      return missing("sex");
    }
    return a == b
        ? new FieldComparison("sex", Outcome.AGREE, "exact", w(0.97, 0.5))
        : new FieldComparison("sex", Outcome.DISAGREE, "different", w(0.01, 0.48));
  }

  static FieldComparison suffix(String a, String b) {
    if (a == null || b == null) {
      return missing("suffix");
    }
    return a.equals(b)
        ? new FieldComparison("suffix", Outcome.AGREE, "exact", w(0.9, 0.2))
        : new FieldComparison("suffix", Outcome.DISAGREE, "different", w(0.02, 0.8));
  }

  static FieldComparison phone(List<String> a, List<String> b) {
    if (a.isEmpty() || b.isEmpty()) {
      return missing("phone");
    }
    for (String x : a) {
      if (b.contains(x)) {
        return new FieldComparison("phone", Outcome.AGREE, "exact", w(0.7, 0.001));
      }
    }
    return new FieldComparison("phone", Outcome.DISAGREE, "different", w(0.3, 0.999));
  }

  static FieldComparison identifier(NormalizedPerson a, NormalizedPerson b) {
    String x = a.nationalId();
    String y = b.nationalId();
    boolean full = x != null && y != null;
    if (!full) {
      x = a.ssnLast4();
      y = b.ssnLast4();
    }
    if (x == null || y == null) {
      return missing("ssn");
    }
    if (x.equals(y)) {
      return new FieldComparison("ssn", Outcome.AGREE, "exact", full ? w(0.85, 0.00001) : w(0.9, 0.0005));
    }
    if (Keystrokes.typo(x, y)) {
      return new FieldComparison("ssn", Outcome.PARTIAL, "typo", full ? w(0.08, 0.0001) : 0.0);
    }
    return new FieldComparison("ssn", Outcome.DISAGREE, "different", full ? w(0.07, 0.99999) : w(0.05, 0.9975));
  }

  static FieldComparison streetNumber(String a, String b) {
    if (a == null || b == null) {
      return missing("street_number");
    }
    if (a.equals(b)) {
      return new FieldComparison("street_number", Outcome.AGREE, "exact", w(0.85, 0.03));
    }
    if (Keystrokes.typo(a, b)) {
      return new FieldComparison("street_number", Outcome.PARTIAL, "typo", w(0.05, 0.04));
    }
    return new FieldComparison("street_number", Outcome.DISAGREE, "different", w(0.1, 0.93));
  }

  static FieldComparison postcode(String a, String b) {
    if (a == null || b == null) {
      return missing("postcode");
    }
    if (a.equals(b)) {
      return new FieldComparison("postcode", Outcome.AGREE, "exact", w(0.85, 0.01));
    }
    if (Keystrokes.typo(a, b)) {
      return new FieldComparison("postcode", Outcome.PARTIAL, "typo", w(0.07, 0.02));
    }
    return new FieldComparison("postcode", Outcome.DISAGREE, "different", w(0.08, 0.97));
  }

  static FieldComparison exactField(String field, String a, String b, double agree, double disagree) {
    if (a == null || b == null) {
      return missing(field);
    }
    return a.equals(b)
        ? new FieldComparison(field, Outcome.AGREE, "exact", agree)
        : new FieldComparison(field, Outcome.DISAGREE, "different", disagree);
  }

  static FieldComparison fuzzy(String field, String a, String b, double agree, double partial, double disagree) {
    if (a == null || b == null) {
      return missing(field);
    }
    if (a.equals(b) || a.replace(" ", "").equals(b.replace(" ", ""))) {
      return new FieldComparison(field, Outcome.AGREE, "exact", agree);
    }
    if (JW.apply(a, b) >= 0.9 || Keystrokes.typo(a, b)) {
      return new FieldComparison(field, Outcome.PARTIAL, "typo", partial);
    }
    return new FieldComparison(field, Outcome.DISAGREE, "different", disagree);
  }

  private static FieldComparison missing(String field) {
    return new FieldComparison(field, Outcome.MISSING, "missing", 0.0);
  }
}
