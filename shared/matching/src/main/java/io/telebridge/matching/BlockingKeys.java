package io.telebridge.matching;

import java.util.LinkedHashSet;
import java.util.Set;
import org.apache.commons.codec.language.DoubleMetaphone;

/**
 * The keys a record is filed under and looked up by. Each key pairs two fields so that a typo or a
 * blank in any one field still leaves several keys intact, while every key stays selective enough
 * to return a handful of patients. Keys contain hashed-looking codes, but they are derived from
 * PHI: store them like PHI.
 */
public final class BlockingKeys {

  private static final DoubleMetaphone DM = new DoubleMetaphone();

  private BlockingKeys() {}

  static String phonetic(String s) {
    if (s == null || s.isEmpty()) {
      return null;
    }
    String code = DM.doubleMetaphone(s);
    return code == null || code.isEmpty() ? s : code;
  }

  public static Set<String> of(NormalizedPerson p, Nicknames nicknames) {
    Set<String> keys = new LinkedHashSet<>();
    String sn = phonetic(p.surname());
    String gn = phonetic(p.given());
    String year = p.birthYear();
    if (sn != null && year != null) {
      keys.add("SY|" + sn + "|" + year);
    }
    if (p.dob() != null) {
      if (p.given() != null) {
        keys.add("GD|" + p.given().charAt(0) + "|" + p.dob());
      }
      if (sn != null) {
        keys.add("SD|" + p.surname().charAt(0) + "|" + p.dob());
      }
      if (p.postcode() != null) {
        keys.add("PD|" + p.postcode() + "|" + p.dob());
      }
    }
    if (sn != null && gn != null) {
      // Order-free, so swapped given and family names share the key.
      keys.add("GS|" + (sn.compareTo(gn) < 0 ? sn + "|" + gn : gn + "|" + sn));
      String nick = nicknames.canonical(p.given());
      if (!nick.equals(p.given())) {
        keys.add("NS|" + sn + "|" + nick);
      }
    }
    for (String phone : p.phones()) {
      keys.add("PH|" + phone);
    }
    if (p.email() != null) {
      keys.add("EM|" + p.email());
    }
    if (p.ssnLast4() != null) {
      // Last 4 alone would gather ~n/10,000 patients per key; paired, it stays selective at any size.
      if (year != null) {
        keys.add("S4Y|" + p.ssnLast4() + "|" + year);
      }
      if (sn != null) {
        keys.add("S4S|" + p.ssnLast4() + "|" + sn);
      }
    }
    if (p.nationalId() != null) {
      keys.add("ID|" + p.nationalId());
    }
    if (p.postcode() != null && p.given() != null) {
      keys.add("PG|" + p.postcode() + "|" + p.given().charAt(0));
    }
    if (p.postcode() != null && p.streetNumber() != null) {
      keys.add("PN|" + p.postcode() + "|" + p.streetNumber());
    }
    if (p.streetName() != null && p.streetNumber() != null) {
      keys.add("AD|" + p.streetNumber() + "|" + phonetic(p.streetName().replace(" ", "")));
    }
    return keys;
  }
}
