package io.telebridge.matching.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Runs the benchmark on the Febrl sets (read from {@code <repo>/tests/fixtures/febrl}, vendored) and on the
 * generated US set, holding floors just below the measured figures: any false merge, or a recall or
 * review-rate regression, fails the build.
 */
class MatchBenchmarkTest {

  private static Path febrl() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("shared/matching/pom.xml"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      return null;
    }
    Path vendored = dir.resolve("tests/fixtures/febrl");
    return Files.isDirectory(vendored) ? vendored : dir.resolve("../shared/data/febrl").normalize();
  }

  private static List<BenchRecord> read(String name) throws IOException {
    Path dir = febrl();
    assumeTrue(dir != null && Files.exists(dir.resolve(name)),
        "Febrl data not found at <repo>/tests/fixtures/febrl; benchmark floors skipped");
    return BenchCsv.read(dir.resolve(name));
  }

  private static void holds(BenchmarkResult r, double minRecall, double maxReview) {
    String row = BenchmarkResult.header() + "\n" + r.row();
    System.out.println(row);
    assertEquals(0, r.falseMerges(), row);
    assertEquals(1.0, r.precision(), 0.0, row);
    assertTrue(r.recall() >= minRecall, row);
    assertTrue(r.reviewRate() <= maxReview, row);
  }

  @Test
  void febrl1HasNoFalseMerges() throws IOException {
    holds(MatchBenchmark.run("dataset1", List.of(), read("dataset1.csv"), true, null), 0.935, 0.025);
    holds(MatchBenchmark.run("dataset1 no-ssn", List.of(), read("dataset1.csv"), false, null), 0.83, 0.016);
  }

  @Test
  void febrl2HasNoFalseMerges() throws IOException {
    holds(MatchBenchmark.run("dataset2", List.of(), read("dataset2.csv"), true, null), 0.905, 0.014);
    holds(MatchBenchmark.run("dataset2 no-ssn", List.of(), read("dataset2.csv"), false, null), 0.76, 0.008);
  }

  @Test
  void febrl3HasNoFalseMerges() throws IOException {
    holds(MatchBenchmark.run("dataset3", List.of(), read("dataset3.csv"), true, null), 0.895, 0.036);
    holds(MatchBenchmark.run("dataset3 no-ssn", List.of(), read("dataset3.csv"), false, null), 0.735, 0.028);
  }

  @Test
  void febrl4LinkageHasNoFalseMerges() throws IOException {
    List<BenchRecord> a = read("dataset4a.csv");
    List<BenchRecord> b = read("dataset4b.csv");
    holds(MatchBenchmark.run("dataset4a>4b", a, b, true, null), 0.95, 0.037);
    holds(MatchBenchmark.run("dataset4a>4b no-ssn", a, b, false, null), 0.842, 0.021);
  }

  private static final List<BenchRecord> US = UsPopulationGenerator.records(2000, UsPopulationGenerator.DEFAULT_SEED);

  /**
   * The generated US set (2,000 people, the default seed: what `./tb bench match --generate-us` writes)
   * with its must-not-merge pairs: twins, Jr/Sr, spouses, namesakes, parents and children of one name
   * whose birth years differ in one digit, twins with near-identical given names. Issue 9 targets:
   * 0 false merges with and without SSN; without SSN review and duplicates created at most 3 % of
   * records. Floors just above the measured figures (docs/measurements.md §9: no SSN 1.97 % review,
   * 94 duplicates = 2.15 %, recall 0.9053; with SSN 1.69 %, 13, 0.9607).
   */
  @Test
  void generatedUsSetWithSsnHasNoFalseMerges() throws IOException {
    BenchmarkResult r = MatchBenchmark.run("us-generated", List.of(), US, true, null);
    holds(r, 0.955, 0.018);
    assertTrue(r.duplicatesCreated() <= 0.004 * r.records(), r.row());
  }

  @Test
  void generatedUsSetWithoutSsnHasNoFalseMerges() throws IOException {
    BenchmarkResult r = MatchBenchmark.run("us-generated no-ssn", List.of(), US, false, null);
    holds(r, 0.90, 0.021);
    assertTrue(r.duplicatesCreated() <= 0.023 * r.records(), r.row());
  }

  @Test
  void generatedUsSetWithoutSsnHasNoFalseMergesWithWeightsEstimatedFromIt() throws IOException {
    BenchmarkResult r = MatchBenchmark.run("us-generated no-ssn estimated", List.of(), US, false, null,
        MatchBenchmark.IN_MEMORY, MatchBenchmark.estimate(US, false, UsPopulationGenerator.DEFAULT_SEED));
    holds(r, 0.905, 0.021);
    assertTrue(r.duplicatesCreated() <= 0.023 * r.records(), r.row());
  }

  @Test
  void writesOneDecisionLinePerRecord() throws IOException {
    List<BenchRecord> us = UsPopulationGenerator.records(50, 7L);
    StringWriter out = new StringWriter();
    BenchmarkResult r = MatchBenchmark.run("small", List.of(), us, true, out);
    String[] lines = out.toString().split("\n");
    assertEquals("rec_id,decision,patient_id,score", lines[0]);
    assertEquals(us.size() + 1, lines.length);
    assertTrue(lines[1].matches("rec-\\d+-(org|dup-\\d+),(LINK|NEW|REVIEW),P?\\d*,-?\\d+\\.\\d\\d"), lines[1]);
    assertEquals(us.size(), r.links() + r.news() + r.reviews());
  }

  @Test
  void readsFebrlStyleCsvWithLeadingSpacesAndBlanks(@org.junit.jupiter.api.io.TempDir Path tmp) throws IOException {
    Path f = tmp.resolve("t.csv");
    Files.writeString(f, "rec_id, given_name, surname, street_number, address_1, address_2, suburb, postcode, state,"
        + " date_of_birth, soc_sec_id\nrec-1-org, ann, lee, , oak street, , salem, 2000, nsw, 19800230, 1234567\n\n");
    List<BenchRecord> rows = BenchCsv.read(f);
    assertEquals(1, rows.size());
    assertEquals("lee", rows.get(0).get("surname"));
    assertEquals(null, rows.get(0).get("street_number"));
    assertEquals(null, rows.get(0).toInput(true).demographics().birthDate(), "impossible date read as missing");
    assertEquals("4567", rows.get(0).toInput(true).demographics().ssnLast4());
    assertEquals(null, rows.get(0).toInput(false).demographics().ssnLast4());
  }
}
