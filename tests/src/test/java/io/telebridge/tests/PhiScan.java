package io.telebridge.tests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The CI's PHI scan: after the integration suite, the logs it collected (failsafe keeps each test
 * class's stdout and stderr, where every function, the bridge and the local stack log, in
 * {@code target/failsafe-reports/<class>-output.txt}) must contain none of the synthetic patient data
 * the tests use: names, birth dates, street addresses, phone numbers and MRNs.
 *
 * <p>The terms come from the fixtures themselves ({@code events/**.json}: names, birth dates, address
 * lines, phones, emails, MRNs; {@code tests/fixtures/**.hl7}: PID-3 and MRG-1 MRNs, PID-5 names, PID-7
 * birth dates, PID-11 streets, PID-13 phones) and from what the tests generate at run time
 * ({@link #record}: {@code target/phi-terms.txt}). A term matches as a whole word. Run by the
 * {@code verify} phase of this module (exec-maven-plugin); it fails the build listing file, line and
 * kind of every hit.
 */
public final class PhiScan {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  /** Where the tests record the synthetic PHI they generate (one {@code kind<TAB>value} a line). */
  static final Path RECORDED = Path.of("target", "phi-terms.txt");

  private PhiScan() {}

  /** Adds a synthetic PHI value a test generated to the terms the scan looks for. */
  static synchronized void record(String kind, String value) {
    if (value == null || value.isBlank()) {
      return;
    }
    try {
      Files.createDirectories(RECORDED.toAbsolutePath().getParent());
      Files.writeString(RECORDED, kind + "\t" + value + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code PhiScan <logs dir> <repository root> [recorded terms file]}; throws when PHI is found. */
  public static void main(String[] args) throws IOException {
    Path logs = Path.of(args[0]);
    Path repo = Path.of(args[1]);
    Path recorded = args.length > 2 ? Path.of(args[2]) : RECORDED;
    Map<String, String> terms = terms(repo, recorded);
    List<Path> files = new ArrayList<>();
    if (Files.isDirectory(logs)) {
      try (Stream<Path> s = Files.list(logs)) {
        s.filter(p -> p.getFileName().toString().endsWith("-output.txt")).sorted().forEach(files::add);
      }
    }
    List<String> hits = scan(files, terms);
    System.out.println("PHI scan: " + terms.size() + " synthetic PHI terms, " + files.size() + " log files, "
        + hits.size() + " hits");
    if (!hits.isEmpty()) {
      hits.stream().limit(50).forEach(h -> System.out.println("  " + h));
      throw new IllegalStateException("PHI scan: " + hits.size() + " log line(s) hold synthetic patient data (first: "
          + hits.get(0) + ")");
    }
  }

  /** Every hit as {@code file:line: kind "term"}. */
  static List<String> scan(List<Path> files, Map<String, String> terms) throws IOException {
    List<String> hits = new ArrayList<>();
    for (Path f : files) {
      int n = 0;
      for (String line : new String(Files.readAllBytes(f), StandardCharsets.UTF_8).split("\n")) {
        n++;
        for (Map.Entry<String, String> t : terms.entrySet()) {
          if (containsWord(line, t.getKey())) {
            hits.add(f.getFileName() + ":" + n + ": " + t.getValue() + " \"" + t.getKey() + "\"");
          }
        }
      }
    }
    return hits;
  }

  static boolean containsWord(String line, String term) {
    int from = 0;
    while (true) {
      int i = line.indexOf(term, from);
      if (i < 0) {
        return false;
      }
      int end = i + term.length();
      boolean before = i == 0 || !Character.isLetterOrDigit(line.charAt(i - 1));
      boolean after = end == line.length() || !Character.isLetterOrDigit(line.charAt(end));
      if (before && after) {
        return true;
      }
      from = i + 1;
    }
  }

  /** term → kind, from the fixtures and the recorded file. */
  static Map<String, String> terms(Path repo, Path recorded) throws IOException {
    Map<String, String> terms = new TreeMap<>();
    try (Stream<Path> s = Files.walk(repo.resolve("events"))) {
      for (Path p : (Iterable<Path>) s.filter(f -> f.toString().endsWith(".json"))::iterator) {
        try {
          json(JSON.readTree(Files.readString(p)), "", terms);
        } catch (RuntimeException notJson) {
          // an edge-case sample that is deliberately not JSON
        }
      }
    }
    try (Stream<Path> s = Files.walk(repo.resolve("tests/fixtures"))) {
      for (Path p : (Iterable<Path>) s.filter(f -> f.toString().endsWith(".hl7"))::iterator) {
        hl7(new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1), terms);
      }
    }
    if (Files.isRegularFile(recorded)) {
      for (String line : Files.readAllLines(recorded, StandardCharsets.UTF_8)) {
        int tab = line.indexOf('\t');
        if (tab > 0) {
          add(terms, line.substring(0, tab), line.substring(tab + 1));
        }
      }
    }
    return terms;
  }

  private static void json(JsonNode node, String key, Map<String, String> terms) {
    if (node == null) {
      return;
    }
    if (node.isObject()) {
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        if (key.equals("mrn") && e.getKey().equals("value")) {
          add(terms, "mrn", e.getValue().asString());
        } else {
          json(e.getValue(), e.getKey(), terms);
        }
      }
    } else if (node.isArray()) {
      for (Iterator<JsonNode> it = node.iterator(); it.hasNext(); ) {
        json(it.next(), key, terms);
      }
    } else if (node.isString()) {
      switch (key) {
        case "family", "given" -> add(terms, "name", node.asString());
        case "birthDate" -> add(terms, "birth date", node.asString());
        case "lines", "line" -> add(terms, "address", node.asString());
        case "number" -> add(terms, "phone", node.asString());
        case "email" -> add(terms, "email", node.asString());
        default -> { }
      }
    }
  }

  private static void hl7(String text, Map<String, String> terms) {
    for (String segment : text.split("[\r\n]+")) {
      String[] f = segment.split("\\|", -1);
      if (segment.startsWith("PID|")) {
        mrns(field(f, 3), terms);
        String[] name = field(f, 5).split("\\^", -1);
        add(terms, "name", name[0]);
        if (name.length > 1) {
          add(terms, "name", name[1]);
        }
        String dob = field(f, 7);
        if (dob.length() >= 8 && dob.substring(0, 8).chars().allMatch(Character::isDigit)) {
          add(terms, "birth date", dob.substring(0, 8));
          add(terms, "birth date", dob.substring(0, 4) + "-" + dob.substring(4, 6) + "-" + dob.substring(6, 8));
        }
        add(terms, "address", field(f, 11).split("\\^", -1)[0]);
        for (String part : field(f, 13).split("[\\^~]")) {
          add(terms, "phone", part);
        }
      } else if (segment.startsWith("MRG|")) {
        mrns(field(f, 1), terms);
      }
    }
  }

  private static void mrns(String cx, Map<String, String> terms) {
    for (String rep : cx.split("~")) {
      String[] c = rep.split("\\^", -1);
      if (c.length > 4 && c[4].equals("MR")) {
        add(terms, "mrn", c[0]);
      }
    }
  }

  private static String field(String[] f, int i) {
    return f.length > i ? f[i] : "";
  }

  /** Too short or too common to be evidence (a 4-digit number, a one-letter initial) is not a term. */
  private static void add(Map<String, String> terms, String kind, String value) {
    if (value == null) {
      return;
    }
    String v = value.strip();
    long digits = v.chars().filter(Character::isDigit).count();
    boolean numeric = digits == v.chars().filter(Character::isLetterOrDigit).count();
    if (v.length() < 4 || numeric && digits < 6) {
      return;
    }
    terms.putIfAbsent(v, kind);
  }
}
