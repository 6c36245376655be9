package io.telebridge.matching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.telebridge.matching.bench.BenchRecord;
import io.telebridge.matching.bench.UsPopulationGenerator;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MatchWeightsTest {

  private static final List<BenchRecord> POPULATION = UsPopulationGenerator.records(600, 11L);
  private static MatchWeights estimated;

  private static MatchWeights estimate(long seed) {
    List<NormalizedPerson> people = POPULATION.stream().map(r -> Normalizer.normalize(r.toInput(false))).toList();
    return new WeightEstimator(Nicknames.bundled()).estimate(people, seed, 30_000);
  }

  private static synchronized MatchWeights estimated() {
    if (estimated == null) {
      estimated = estimate(5L);
    }
    return estimated;
  }

  private static double surnameWeight(FieldComparator c, String surname) {
    NormalizedPerson a = PatientMatcherTest.person("a", "Ann", surname, "19800101", "female").build();
    NormalizedPerson b = PatientMatcherTest.person("b", "Ann", surname, "19800101", "female").build();
    return c.compare("P", a, b).fields().stream().filter(f -> f.field().equals("surname")).findFirst().orElseThrow().weight();
  }

  @Test
  void aCommonSurnameAgreeingWeighsLessThanARareOne() {
    MatchWeights w = new MatchWeights(Map.of(), Map.of("surname", 0.9),
        Map.of("surname", Map.of("smith", 0.02, "*", 0.0004)));
    FieldComparator c = new FieldComparator(Nicknames.bundled(), w);
    double common = surnameWeight(c, "Smith");
    double rare = surnameWeight(c, "Quillfeather");
    assertEquals(Math.log(0.9 / 0.02) / Math.log(2), common, 1e-9);
    assertEquals(Math.log(0.9 / 0.0004) / Math.log(2), rare, 1e-9);
    assertTrue(rare > common + 5);
  }

  @Test
  void levelsMissingFromTheFileKeepTheirHandSetWeight() throws IOException {
    MatchWeights w = MatchWeights.read(new StringReader("# x\nweight.phone.exact=12.5\n"));
    FieldComparator estimated = new FieldComparator(Nicknames.bundled(), w);
    FieldComparator handSet = new FieldComparator(Nicknames.bundled());
    NormalizedPerson a = PatientMatcherTest.person("a", "Ann", "Lee", "19800101", "female").phone("217-555-0101").build();
    Comparison x = estimated.compare("P", a, a);
    Comparison y = handSet.compare("P", a, a);
    for (int i = 0; i < x.fields().size(); i++) {
      FieldComparison f = x.fields().get(i);
      assertEquals(f.field().equals("phone") ? 12.5 : y.fields().get(i).weight(), f.weight(), 1e-9, f.field());
    }
  }

  @Test
  void estimationIsDeterministicAndTheFileRoundTrips() throws IOException {
    MatchWeights one = estimated();
    MatchWeights two = estimate(5L);
    StringWriter a = new StringWriter();
    StringWriter b = new StringWriter();
    one.write(a, "t");
    two.write(b, "t");
    assertEquals(a.toString(), b.toString());
    StringWriter c = new StringWriter();
    MatchWeights.read(new StringReader(a.toString())).write(c, "t");
    assertEquals(a.toString(), c.toString());
    assertFalse(one.isHandSet());
  }

  @Test
  void estimatedWeightsSayAgreementIsEvidenceForAndDisagreementAgainst() {
    Map<String, Double> levels = estimated().levels();
    for (String field : List.of("given", "surname", "birth_date", "phone", "email", "postcode")) {
      assertTrue(levels.get(field + ".exact") > 2, field + " " + levels);
      assertTrue(levels.get(field + ".different") < 0, field + " " + levels);
    }
  }

  @Test
  void theFileNamesNoRareValue() throws IOException {
    StringWriter out = new StringWriter();
    estimated().write(out, "t");
    for (String line : out.toString().split("\n")) {
      if (line.startsWith("tf.") && !line.contains(".*=")) {
        String[] kv = line.split("=");
        double share = Double.parseDouble(kv[1]);
        assertTrue(share * POPULATION.size() >= MatchWeights.TF_MIN_COUNT - 0.01, line);
      }
    }
  }
}
