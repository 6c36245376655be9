package io.telebridge.matching;

import io.telebridge.core.model.Address;
import io.telebridge.core.model.PatientDemographics;
import io.telebridge.core.model.PersonName;
import io.telebridge.core.model.Phone;
import java.text.Normalizer.Form;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns canonical demographics into {@link NormalizedPerson}: pure functions, no state. */
public final class Normalizer {

  private static final Set<String> SUFFIXES = Set.of("jr", "sr", "ii", "iii", "iv", "junior", "senior", "2nd", "3rd");
  private static final Set<String> PREFIXES = Set.of("mr", "mrs", "ms", "miss", "dr", "prof", "rev", "mx");
  private static final Set<String> PLACEHOLDERS = Set.of("unknown", "unk", "na", "none", "null", "baby", "test");
  private static final Map<String, String> STREET_WORDS = Map.ofEntries(
      Map.entry("street", "st"), Map.entry("str", "st"),
      Map.entry("avenue", "ave"), Map.entry("av", "ave"), Map.entry("avn", "ave"),
      Map.entry("road", "rd"), Map.entry("drive", "dr"), Map.entry("drv", "dr"),
      Map.entry("place", "pl"), Map.entry("court", "ct"), Map.entry("crescent", "cres"), Map.entry("cresent", "cres"),
      Map.entry("boulevard", "blvd"), Map.entry("lane", "ln"), Map.entry("terrace", "tce"), Map.entry("ter", "tce"),
      Map.entry("parkway", "pkwy"), Map.entry("highway", "hwy"), Map.entry("circle", "cir"), Map.entry("circuit", "cct"),
      Map.entry("square", "sq"), Map.entry("close", "cl"), Map.entry("parade", "pde"), Map.entry("way", "wy"),
      Map.entry("trail", "trl"), Map.entry("point", "pt"), Map.entry("mount", "mt"), Map.entry("saint", "st"),
      Map.entry("north", "n"), Map.entry("south", "s"), Map.entry("east", "e"), Map.entry("west", "w"),
      Map.entry("northeast", "ne"), Map.entry("northwest", "nw"), Map.entry("southeast", "se"), Map.entry("southwest", "sw"));
  private static final Set<String> UNIT_WORDS = Set.of("apt", "apartment", "unit", "suite", "ste", "flat", "apmnt", "rm", "room", "#");
  private static final Pattern UNIT_PATTERN =
      Pattern.compile("(?:^|\\s)(?:apt|apartment|unit|suite|ste|flat|apmnt|rm|room|#)\\s*#?\\s*([a-z0-9]+)");
  private static final Pattern SLASH_UNIT = Pattern.compile("^([a-z0-9]+)\\s*/\\s*([0-9]+[a-z]?)\\b");
  private static final Pattern LEADING_NUMBER = Pattern.compile("^([0-9]+[a-z]?)\\b");
  private static final DateTimeFormatter YYYYMMDD = DateTimeFormatter.BASIC_ISO_DATE;

  private Normalizer() {}

  public static NormalizedPerson normalize(MatchInput input) {
    PatientDemographics d = input.demographics();
    PersonName name = d.name();
    String suffix = suffix(name == null ? null : name.suffix());
    List<String> givenTokens = new ArrayList<>();
    List<String> familyTokens = new ArrayList<>();
    if (name != null) {
      for (String g : name.given()) {
        givenTokens.addAll(nameTokens(g));
      }
      familyTokens.addAll(nameTokens(name.family()));
    }
    // Suffixes typed into a name field ("John Jr", "Smith III").
    for (List<String> tokens : List.of(givenTokens, familyTokens)) {
      for (int i = tokens.size() - 1; i >= 0; i--) {
        String s = suffix(tokens.get(i));
        if (s != null && tokens.size() > 1) {
          suffix = suffix == null ? s : suffix;
          tokens.remove(i);
        } else if (PREFIXES.contains(tokens.get(i)) && tokens.size() > 1) {
          tokens.remove(i);
        }
      }
    }
    givenTokens.removeIf(PLACEHOLDERS::contains);
    String given = givenTokens.isEmpty() ? null : givenTokens.get(0);
    List<String> givenOther = givenTokens.size() > 1 ? givenTokens.subList(1, givenTokens.size()) : List.of();
    String surname = familyTokens.isEmpty() || PLACEHOLDERS.contains(String.join("", familyTokens))
        ? null : String.join("", familyTokens);

    Address a = d.address();
    String streetNumber = null, unit = null, streetName = null, extra = null, city = null, state = null, postcode = null;
    if (a != null) {
      List<String> lines = a.lines().stream().map(Normalizer::basic).filter(s -> s != null && !s.isBlank()).toList();
      if (!lines.isEmpty()) {
        String[] parsed = parseStreetLine(lines.get(0));
        unit = parsed[0];
        streetNumber = parsed[1];
        streetName = parsed[2];
        for (int i = 1; i < lines.size(); i++) {
          String[] more = parseStreetLine(lines.get(i));
          if (unit == null && more[0] != null) {
            unit = more[0];
          }
          String rest = more[1] == null ? more[2] : (more[2] == null ? more[1] : more[1] + " " + more[2]);
          if (rest != null && !rest.isBlank()) {
            extra = extra == null ? rest : extra + " " + rest;
          }
        }
      }
      city = blankToNull(basic(a.city()));
      state = blankToNull(basic(a.state()));
      postcode = postcode(a.postalCode());
    }
    List<String> phones = new ArrayList<>();
    for (Phone p : d.phones()) {
      String e164 = phone(p.number());
      if (e164 != null && !phones.contains(e164)) {
        phones.add(e164);
      }
    }
    String dob = d.birthDate() == null ? null : d.birthDate().format(YYYYMMDD);
    String nationalId = digits(input.nationalId());
    String ssn4 = digits(d.ssnLast4());
    if (ssn4 != null && ssn4.length() > 4) {
      ssn4 = ssn4.substring(ssn4.length() - 4);
    }
    if (ssn4 != null && (ssn4.length() != 4 || ssn4.equals("0000"))) {
      ssn4 = null;
    }
    String givenFull = givenTokens.isEmpty() ? null : String.join("", givenTokens);
    return new NormalizedPerson(input.recordId(), given, givenFull, givenOther, surname, familyTokens, suffix, dob, d.sex(),
        phones, email(d.email()), streetNumber, unit, streetName, extra, city, state, postcode, ssn4, nationalId);
  }

  /** Lower case, accents stripped, punctuation to spaces (apostrophes dropped), whitespace collapsed. */
  public static String basic(String s) {
    if (s == null) {
      return null;
    }
    String t = java.text.Normalizer.normalize(s, Form.NFD).replaceAll("\\p{M}+", "");
    t = t.toLowerCase(Locale.ROOT).replace("'", "").replace("\u2019", "").replace("`", "");
    t = t.replaceAll("[^a-z0-9#/]+", " ").strip();
    return t;
  }

  /** Name tokens: letters only, hyphens and spaces split parts. */
  public static List<String> nameTokens(String s) {
    String b = basic(s);
    if (b == null || b.isBlank()) {
      return new ArrayList<>();
    }
    b = b.replaceAll("[^a-z ]+", " ").strip();
    if (b.isEmpty()) {
      return new ArrayList<>();
    }
    return new ArrayList<>(Arrays.asList(b.split(" +")));
  }

  static String suffix(String s) {
    String b = basic(s);
    if (b == null) {
      return null;
    }
    b = b.replace(" ", "");
    return switch (b) {
      case "jr", "junior", "ii", "2nd" -> b.equals("ii") || b.equals("2nd") ? "II" : "JR";
      case "sr", "senior" -> "SR";
      case "iii", "3rd" -> "III";
      case "iv", "4th" -> "IV";
      default -> null;
    };
  }

  /** [unit, number, street]. */
  static String[] parseStreetLine(String line) {
    String unit = null;
    String s = line;
    Matcher slash = SLASH_UNIT.matcher(s);
    if (slash.find()) {
      unit = slash.group(1);
      s = slash.group(2) + s.substring(slash.end());
    }
    Matcher m = UNIT_PATTERN.matcher(s);
    if (m.find()) {
      unit = unit == null ? m.group(1) : unit;
      s = (s.substring(0, m.start()) + " " + s.substring(m.end())).strip();
    }
    String number = null;
    Matcher n = LEADING_NUMBER.matcher(s);
    if (n.find()) {
      number = n.group(1);
      s = s.substring(n.end()).strip();
    }
    List<String> words = new ArrayList<>();
    for (String w : s.split(" +")) {
      if (w.isEmpty() || UNIT_WORDS.contains(w)) {
        continue;
      }
      words.add(STREET_WORDS.getOrDefault(w, w));
    }
    String street = words.isEmpty() ? null : String.join(" ", words);
    return new String[] {unit, number, street};
  }

  /** A phone number in E.164; ten-digit numbers are taken as US (+1). {@code null} if not a number. */
  public static String phone(String raw) {
    if (raw == null) {
      return null;
    }
    String t = raw.strip();
    int ext = t.toLowerCase(Locale.ROOT).indexOf('x');
    if (ext > 0) {
      t = t.substring(0, ext);
    }
    boolean plus = t.startsWith("+");
    String digits = t.replaceAll("[^0-9]", "");
    if (digits.isEmpty() || digits.chars().distinct().count() == 1) {
      return null;
    }
    if (plus) {
      return digits.length() >= 8 && digits.length() <= 15 ? "+" + digits : null;
    }
    if (digits.startsWith("00") && digits.length() >= 10 && digits.charAt(2) != '0') {
      return "+" + digits.substring(2);
    }
    if (digits.length() == 11 && digits.startsWith("1")) {
      digits = digits.substring(1);
    }
    if (digits.length() == 10 && digits.charAt(0) >= '2' && digits.charAt(3) >= '2') {
      if (digits.substring(3).equals("5555555") || digits.chars().distinct().count() == 1) {
        return null;
      }
      return "+1" + digits;
    }
    return null;
  }

  public static String email(String raw) {
    if (raw == null) {
      return null;
    }
    String e = raw.strip().toLowerCase(Locale.ROOT);
    int at = e.indexOf('@');
    return at > 0 && at == e.lastIndexOf('@') && at < e.length() - 1 ? e : null;
  }

  static String postcode(String raw) {
    String d = digits(raw);
    if (d == null) {
      return null;
    }
    return d.length() == 9 ? d.substring(0, 5) : d;
  }

  static String digits(String raw) {
    if (raw == null) {
      return null;
    }
    String d = raw.replaceAll("[^0-9]", "");
    return d.isEmpty() ? null : d;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
