package io.telebridge.matching;

import java.util.List;
import java.util.Set;

/** A record compared with one indexed patient: total weight, per-field detail, guards raised. */
public record Comparison(String patientId, double score, List<FieldComparison> fields, Set<Guard> guards) {

  public Comparison {
    fields = List.copyOf(fields);
    guards = guards.isEmpty() ? Set.of() : java.util.Collections.unmodifiableSet(java.util.EnumSet.copyOf(guards));
  }

  public boolean guarded() {
    return !guards.isEmpty();
  }

  /**
   * False when only name, birth date and town tie the records while finer locators contradict (a
   * different house on another street or in another postcode, or a different house plus a different
   * phone or email): namesakes born
   * the same day in the same town look exactly like that.
   * True when an id, phone, email, street address or second address line (building, complex) agrees,
   * or when nothing finer contradicts.
   */
  public boolean corroborated() {
    Outcome number = Outcome.MISSING;
    Outcome street = Outcome.MISSING;
    Outcome postcode = Outcome.MISSING;
    boolean contradicted = false;
    for (FieldComparison f : fields) {
      switch (f.field()) {
        case "ssn", "phone", "email" -> {
          if (f.outcome() == Outcome.AGREE || (f.field().equals("ssn") && f.outcome() == Outcome.PARTIAL && f.weight() > 0)) {
            return true;
          }
          contradicted |= f.outcome() == Outcome.DISAGREE && !f.field().equals("ssn");
        }
        case "address_extra" -> {
          if (f.outcome() == Outcome.AGREE) {
            return true; // a named building, complex or rural locality: as fine as a street address
          }
        }
        case "street_number" -> number = f.outcome();
        case "street" -> street = f.outcome();
        case "postcode" -> postcode = f.outcome();
        default -> { }
      }
    }
    boolean near = number == Outcome.AGREE || number == Outcome.PARTIAL;
    if (near && (street == Outcome.AGREE || street == Outcome.PARTIAL)) {
      return true;
    }
    boolean otherAddress = number == Outcome.DISAGREE && (street == Outcome.DISAGREE || postcode == Outcome.DISAGREE);
    boolean otherHouse = number == Outcome.DISAGREE || street == Outcome.DISAGREE;
    return !(otherAddress || (otherHouse && contradicted));
  }

  public List<String> fieldsWith(Outcome outcome) {
    return fields.stream().filter(f -> f.outcome() == outcome).map(FieldComparison::field).toList();
  }
}
