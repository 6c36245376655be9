package io.telebridge.matching.bench;

import io.telebridge.core.model.Address;
import io.telebridge.core.model.PatientDemographics;
import io.telebridge.core.model.PersonName;
import io.telebridge.core.model.Phone;
import io.telebridge.core.model.Sex;
import io.telebridge.matching.MatchInput;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One CSV row in the Febrl columns (plus optional sex, phone, email, suffix). PHI: redacted toString. */
public record BenchRecord(Map<String, String> values) {

  private static final DateTimeFormatter DOB = DateTimeFormatter.ofPattern("uuuuMMdd").withResolverStyle(ResolverStyle.STRICT);

  public String get(String column) {
    String v = values.get(column);
    return v == null || v.isBlank() ? null : v.strip();
  }

  public String recId() {
    return get("rec_id");
  }

  /** As a registration; {@code withSsn=false} drops soc_sec_id (and any ssn column). */
  public MatchInput toInput(boolean withSsn) {
    List<String> lines = new ArrayList<>();
    String line1 = join(get("street_number"), get("address_1"));
    if (line1 != null) {
      lines.add(line1);
    }
    if (get("address_2") != null) {
      lines.add(get("address_2"));
    }
    Address address = new Address(lines, get("suburb"), get("state"), get("postcode"), null);
    List<String> given = get("given_name") == null ? List.of() : List.of(get("given_name"));
    PersonName name = new PersonName(given, get("surname"), null, get("suffix"));
    List<Phone> phones = get("phone") == null ? List.of() : List.of(new Phone("home", get("phone")));
    String ssn = withSsn ? (get("soc_sec_id") != null ? get("soc_sec_id") : get("ssn")) : null;
    String ssnLast4 = ssn == null ? null : ssn.replaceAll("[^0-9]", "");
    if (ssnLast4 != null && ssnLast4.length() > 4) {
      ssnLast4 = ssnLast4.substring(ssnLast4.length() - 4);
    }
    PatientDemographics d = new PatientDemographics(recId(), name, dob(get("date_of_birth")), Sex.of(get("sex")),
        phones, get("email"), address, ssnLast4);
    // A full id (Febrl soc_sec_id, 7 digits) is compared whole; a US SSN column is taken as last 4 only.
    String nationalId = withSsn && get("soc_sec_id") != null ? get("soc_sec_id") : null;
    return new MatchInput(recId(), d, nationalId);
  }

  static LocalDate dob(String raw) {
    if (raw == null) {
      return null;
    }
    String d = raw.replaceAll("[^0-9]", "");
    if (d.length() != 8) {
      return null;
    }
    try {
      return LocalDate.parse(d, DOB);
    } catch (DateTimeParseException e) {
      return null; // an impossible date is treated as missing
    }
  }

  private static String join(String a, String b) {
    if (a == null) {
      return b;
    }
    return b == null ? a : a + " " + b;
  }

  @Override
  public String toString() {
    return "BenchRecord[rec_id=" + recId() + ", ***]";
  }
}
