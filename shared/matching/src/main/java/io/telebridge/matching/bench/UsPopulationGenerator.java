package io.telebridge.matching.bench;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * A synthetic US-style registration set with ground truth (rec-N-org / rec-N-dup-K), built for the
 * cases that cause false merges: twins, Jr/Sr at one address, spouses sharing phone and address,
 * namesakes with the same birth date elsewhere, a parent and child of one name at one address whose
 * birth years differ in one digit, twins with near-identical given names (Maria / Mariana) — each
 * pair two people who must never be merged ({@link #TRAPS}); and for the ones that cause missed matches:
 * nicknames, typos, day/month swaps, moves, marriage surname changes, blanks. Deterministic for a
 * seed. All names and numbers are invented; phone numbers use the 555-01xx fictional range.
 */
public final class UsPopulationGenerator {

  public static final long DEFAULT_SEED = 20261125L;

  /** The must-not-merge pairs the generator plants, in the order of its kinds 0.. (for the docs and tests). */
  public static final List<String> TRAPS = List.of("twins", "jr_sr", "spouses", "namesakes_elsewhere",
      "parent_child_year_digit", "twins_near_identical_names");

  /** Near-identical names twins are given (first, second, sex of each): not one's nickname, mostly one sex. */
  private static final String[][] TWIN_NAMES = {{"maria", "mariana", "F", "F"}, {"julia", "juliana", "F", "F"},
      {"julian", "juliana", "M", "F"}, {"christina", "christine", "F", "F"}, {"joanna", "joanne", "F", "F"},
      {"daniella", "danielle", "F", "F"}, {"elise", "eliza", "F", "F"}, {"ella", "bella", "F", "F"},
      {"marian", "marion", "F", "F"}, {"eli", "elias", "M", "M"}, {"mark", "marco", "M", "M"},
      {"christian", "christina", "M", "F"}, {"gabriel", "gabriela", "M", "F"}, {"adrian", "adriana", "M", "F"}};

  private static final String[] MALE = {"james", "john", "robert", "michael", "william", "david", "richard", "joseph",
      "thomas", "charles", "christopher", "daniel", "matthew", "anthony", "mark", "steven", "andrew", "joshua", "kevin",
      "brian", "george", "edward", "ronald", "timothy", "jason", "jeffrey", "ryan", "jacob", "gary", "nicholas", "eric",
      "jonathan", "stephen", "larry", "justin", "scott", "brandon", "benjamin", "samuel", "gregory", "frank", "patrick"};
  private static final String[] FEMALE = {"mary", "patricia", "jennifer", "linda", "elizabeth", "barbara", "susan",
      "jessica", "sarah", "karen", "nancy", "lisa", "margaret", "betty", "sandra", "ashley", "dorothy", "kimberly",
      "emily", "donna", "michelle", "carol", "amanda", "melissa", "deborah", "stephanie", "rebecca", "laura", "sharon",
      "cynthia", "kathleen", "amy", "shirley", "angela", "helen", "anna", "brenda", "pamela", "nicole", "samantha",
      "katherine", "christine", "emma", "victoria"};
  private static final String[] SURNAMES = {"smith", "johnson", "williams", "brown", "jones", "garcia", "miller",
      "davis", "rodriguez", "martinez", "hernandez", "lopez", "gonzalez", "wilson", "anderson", "thomas", "taylor",
      "moore", "jackson", "martin", "lee", "perez", "thompson", "white", "harris", "sanchez", "clark", "ramirez",
      "lewis", "robinson", "walker", "young", "allen", "king", "wright", "scott", "torres", "nguyen", "hill", "flores",
      "green", "adams", "nelson", "baker", "hall", "rivera", "campbell", "mitchell", "carter", "roberts", "o'brien",
      "de la cruz", "van der berg", "mcdonald", "st. john", "müller", "peña"};
  private static final String[] STREETS = {"main", "oak", "pine", "maple", "cedar", "elm", "washington", "lake", "hill",
      "park", "sunset", "lincoln", "jackson", "church", "highland", "river", "willow", "meadow", "forest", "spring"};
  private static final String[] STREET_TYPES = {"street", "avenue", "road", "drive", "lane", "court", "boulevard"};
  private static final String[] CITIES = {"springfield|il|627", "riverside|ca|925", "franklin|tn|370",
      "greenville|sc|296", "fairview|tx|750", "madison|wi|537", "georgetown|ky|403", "salem|or|973",
      "clinton|ia|527", "arlington|va|222"};
  private static final String[][] NICK = {{"william", "bill"}, {"robert", "bob"}, {"richard", "rick"},
      {"elizabeth", "liz"}, {"margaret", "peggy"}, {"james", "jim"}, {"michael", "mike"}, {"katherine", "kate"},
      {"jennifer", "jen"}, {"joseph", "joe"}, {"thomas", "tom"}, {"christopher", "chris"}, {"daniel", "dan"},
      {"patricia", "trish"}, {"rebecca", "becky"}, {"samantha", "sam"}, {"anthony", "tony"}, {"deborah", "debbie"}};

  // Parents do not give twins names that are nicknames of each other (Elizabeth and Lisa).
  private static final io.telebridge.matching.Nicknames NICKNAMES = io.telebridge.matching.Nicknames.bundled();

  static {
    for (String[] n : TWIN_NAMES) {
      if (NICKNAMES.equivalent(n[0], n[1])) {
        throw new IllegalStateException("twins are not given names that are nicknames of each other: " + n[0]);
      }
    }
  }

  private final Random rnd;
  private final List<String[]> rows = new ArrayList<>();
  private int entity = 0;

  private UsPopulationGenerator(long seed) {
    this.rnd = new Random(seed);
  }

  /** A person's registration values; mutable copies are corrupted into duplicates. */
  private static final class P {
    String given, surname, suffix = "", number, street, unit = "", city, state, zip, dob, ssn, sex, phone, email;

    P copy() {
      P p = new P();
      p.given = given; p.surname = surname; p.suffix = suffix; p.number = number; p.street = street; p.unit = unit;
      p.city = city; p.state = state; p.zip = zip; p.dob = dob; p.ssn = ssn; p.sex = sex; p.phone = phone;
      p.email = email;
      return p;
    }
  }

  public static void write(Path file, int people, long seed) throws IOException {
    UsPopulationGenerator g = new UsPopulationGenerator(seed);
    List<String[]> rows = g.generate(people);
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write("rec_id, given_name, surname, street_number, address_1, address_2, suburb, postcode, state, "
          + "date_of_birth, ssn, sex, phone, email\n");
      for (String[] r : rows) {
        w.write(String.join(", ", r) + "\n");
      }
    }
  }

  /** The rows, shuffled, for tests. */
  public static List<BenchRecord> records(int people, long seed) {
    String[] cols = {"rec_id", "given_name", "surname", "street_number", "address_1", "address_2", "suburb",
        "postcode", "state", "date_of_birth", "ssn", "sex", "phone", "email"};
    List<BenchRecord> out = new ArrayList<>();
    for (String[] r : new UsPopulationGenerator(seed).generate(people)) {
      java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
      for (int i = 0; i < cols.length; i++) {
        m.put(cols[i], r[i]);
      }
      out.add(new BenchRecord(m));
    }
    return out;
  }

  private List<String[]> generate(int people) {
    while (entity < people) {
      int kind = rnd.nextInt(22);
      P base = person(rnd.nextBoolean() ? "F" : "M");
      switch (kind) {
        case 0 -> { // twins: same surname, birth date, address, phone; different given name (and SSN)
          P twin = base.copy();
          twin.sex = rnd.nextBoolean() ? base.sex : other(base.sex);
          twin.given = differentGiven(twin.sex, base.given);
          twin.ssn = String.format(Locale.ROOT, "%04d", (Integer.parseInt(base.ssn) + 1) % 10000);
          twin.email = email(twin.given, twin.surname);
          emit(base);
          emit(twin);
        }
        case 1 -> { // Jr and Sr at one address, same phone
          P son = base.copy();
          base.sex = "M";
          base.given = pick(MALE);
          son.sex = "M";
          son.given = base.given;
          son.suffix = "jr";
          base.suffix = rnd.nextBoolean() ? "sr" : "";
          son.dob = dob(1985, 2005);
          base.dob = dob(1940, 1965);
          son.ssn = ssn();
          son.email = rnd.nextBoolean() ? "" : email(son.given + "jr", son.surname);
          emit(base);
          emit(son);
        }
        case 2 -> { // spouses sharing phone, address and surname
          P spouse = base.copy();
          spouse.sex = other(base.sex);
          spouse.given = pick(spouse.sex.equals("F") ? FEMALE : MALE);
          spouse.dob = dob(1940, 2000);
          spouse.ssn = ssn();
          spouse.email = email(spouse.given, spouse.surname);
          emit(base);
          emit(spouse);
        }
        case 3 -> { // namesakes: same name and birth date, different address, phone, SSN
          P other = person(base.sex);
          other.given = base.given;
          other.surname = base.surname;
          other.dob = base.dob;
          other.sex = rnd.nextInt(4) == 0 ? "" : base.sex;
          emit(base);
          emit(other);
        }
        case 4 -> { // parent and child of one name, address and phone, no suffix; years one digit apart
          base.dob = dob(1930, 1976);
          P child = base.copy();
          child.dob = childBirthDate(base.dob);
          child.ssn = ssn();
          child.email = switch (rnd.nextInt(3)) {
            case 0 -> "";
            case 1 -> email(child.given, child.surname);
            default -> base.email; // the parent registers the child with the parent's own email
          };
          emit(base);
          emit(child);
        }
        case 5 -> { // twins with near-identical given names at one address, phone and birth date
          String[] n = pick(TWIN_NAMES);
          base.given = n[0];
          base.sex = n[2];
          P twin = base.copy();
          twin.given = n[1];
          twin.sex = n[3];
          twin.ssn = String.format(Locale.ROOT, "%04d", (Integer.parseInt(base.ssn) + 1) % 10000);
          twin.email = switch (rnd.nextInt(3)) {
            case 0 -> "";
            case 1 -> email(twin.given, twin.surname);
            default -> base.email;
          };
          emit(base);
          emit(twin);
        }
        default -> emit(base);
      }
    }
    Collections.shuffle(rows, rnd);
    return rows;
  }

  /** Emits one person: an original and 0 to 3 corrupted duplicates. */
  private void emit(P p) {
    int id = entity++;
    rows.add(row("rec-" + id + "-org", p));
    int dups = rnd.nextInt(10) < 4 ? 0 : 1 + rnd.nextInt(3);
    for (int k = 0; k < dups; k++) {
      rows.add(row("rec-" + id + "-dup-" + k, corrupt(p.copy())));
    }
  }

  private P corrupt(P p) {
    int changes = 1 + rnd.nextInt(2);
    for (int i = 0; i < changes; i++) {
      switch (rnd.nextInt(11)) {
        case 0 -> p.given = typo(p.given);
        case 1 -> p.surname = typo(p.surname);
        case 2 -> p.given = nickname(p.given);
        case 3 -> { // day/month swap or a digit typo
          p.dob = rnd.nextBoolean() && Integer.parseInt(p.dob.substring(6)) <= 12
              ? p.dob.substring(0, 4) + p.dob.substring(6) + p.dob.substring(4, 6) : digitTypo(p.dob);
        }
        case 4 -> { // moved: new address, often a new phone
          P moved = person(p.sex);
          p.number = moved.number; p.street = moved.street; p.unit = moved.unit; p.city = moved.city;
          p.state = moved.state; p.zip = moved.zip;
          if (rnd.nextBoolean()) {
            p.phone = moved.phone;
          }
        }
        case 5 -> { // marriage surname change (or hyphenated)
          if ("F".equals(p.sex)) {
            String s = pick(SURNAMES);
            p.surname = rnd.nextBoolean() ? s : p.surname + "-" + s;
            p.email = rnd.nextBoolean() ? p.email : email(p.given, s);
          } else {
            p.phone = "";
          }
        }
        case 6 -> { p.email = ""; p.phone = ""; }
        case 7 -> p.ssn = "";
        case 8 -> { p.street = p.street.replace("street", "st").replace("avenue", "ave").replace("road", "rd"); p.unit = p.unit.isEmpty() ? "" : "#" + p.unit.replace("apt ", ""); }
        case 9 -> { p.given = p.given.toUpperCase(Locale.ROOT); p.phone = p.phone.isEmpty() ? "" : "+1 " + p.phone; }
        default -> p.sex = "";
      }
    }
    return p;
  }

  private String[] row(String id, P p) {
    String surname = p.suffix.isEmpty() ? p.surname : p.surname + " " + p.suffix;
    return new String[] {id, p.given, surname, p.number, p.street, p.unit, p.city, p.zip, p.state, p.dob, p.ssn,
        p.sex.isEmpty() ? "" : (p.sex.equals("F") ? "female" : "male"), p.phone, p.email};
  }

  private P person(String sex) {
    P p = new P();
    p.sex = sex;
    p.given = pick(sex.equals("F") ? FEMALE : MALE);
    p.surname = pick(SURNAMES);
    p.number = String.valueOf(1 + rnd.nextInt(9999));
    p.street = pick(STREETS) + " " + pick(STREET_TYPES);
    p.unit = rnd.nextInt(4) == 0 ? "apt " + (1 + rnd.nextInt(40)) : "";
    String[] c = pick(CITIES).split("\\|");
    p.city = c[0];
    p.state = c[1];
    p.zip = c[2] + String.format(Locale.ROOT, "%02d", rnd.nextInt(100));
    p.dob = dob(1930, 2020);
    p.ssn = ssn();
    p.phone = String.format(Locale.ROOT, "(%03d) 555-01%02d", 201 + rnd.nextInt(700), rnd.nextInt(100));
    p.email = rnd.nextInt(3) == 0 ? "" : email(p.given, p.surname);
    return p;
  }

  private String email(String given, String surname) {
    return (given + "." + surname).replaceAll("[^a-z.]", "") + rnd.nextInt(100) + "@example.com";
  }

  private String ssn() {
    return String.format(Locale.ROOT, "%04d", 1 + rnd.nextInt(9999));
  }

  private String dob(int from, int to) {
    return String.format(Locale.ROOT, "%04d%02d%02d", from + rnd.nextInt(to - from), 1 + rnd.nextInt(12), 1 + rnd.nextInt(28));
  }

  /** The parent's birth date with one digit of the year changed or its last two swapped, 15 to 50 years later. */
  private String childBirthDate(String parent) {
    int year = Integer.parseInt(parent.substring(0, 4));
    List<Integer> years = new ArrayList<>();
    for (int pos = 2; pos < 4; pos++) {
      for (char d = '0'; d <= '9'; d++) {
        char[] c = parent.substring(0, 4).toCharArray();
        c[pos] = d;
        years.add(Integer.parseInt(new String(c)));
      }
    }
    String y = parent.substring(0, 4);
    years.add(Integer.parseInt(y.substring(0, 2) + y.charAt(3) + y.charAt(2)));
    years.removeIf(x -> x - year < 15 || x - year > 50 || x > 2020);
    return years.get(rnd.nextInt(years.size())) + parent.substring(4);
  }

  private String differentGiven(String sex, String not) {
    String g;
    do {
      g = pick(sex.equals("F") ? FEMALE : MALE);
    } while (g.equals(not) || g.charAt(0) == not.charAt(0) || NICKNAMES.equivalent(g, not));
    return g;
  }

  private static String other(String sex) {
    return sex.equals("F") ? "M" : "F";
  }

  private String nickname(String given) {
    for (String[] n : NICK) {
      if (n[0].equals(given)) {
        return n[1];
      }
    }
    return typo(given);
  }

  private String typo(String s) {
    if (s.length() < 4) {
      return s;
    }
    int i = 1 + rnd.nextInt(s.length() - 2);
    char[] c = s.toCharArray();
    return switch (rnd.nextInt(3)) {
      case 0 -> { char t = c[i]; c[i] = c[i + 1]; c[i + 1] = t; yield new String(c); }
      case 1 -> s.substring(0, i) + s.substring(i + 1);
      default -> { c[i] = (char) ('a' + rnd.nextInt(26)); yield new String(c); }
    };
  }

  /** One digit of the year's last, the month or the day changed; still a valid date (forms check dates). */
  private String digitTypo(String d) {
    for (int attempt = 0; ; attempt++) {
      int i = 3 + rnd.nextInt(5);
      char[] c = d.toCharArray();
      c[i] = (char) ('0' + rnd.nextInt(10));
      String t = new String(c);
      if (BenchRecord.dob(t) != null || attempt == 20) {
        return t;
      }
    }
  }

  private <T> T pick(T[] a) {
    return a[rnd.nextInt(a.length)];
  }
}
