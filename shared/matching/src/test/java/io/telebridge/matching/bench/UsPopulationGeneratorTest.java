package io.telebridge.matching.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/** The US generator plants the must-not-merge pairs of issue 9 §3 (ground truth: two entities each). */
class UsPopulationGeneratorTest {

  private static final List<BenchRecord> US = UsPopulationGenerator.records(2000, UsPopulationGenerator.DEFAULT_SEED);

  private static Map<Integer, BenchRecord> originals() {
    Map<Integer, BenchRecord> org = new HashMap<>();
    for (BenchRecord r : US) {
      if (r.recId().endsWith("-org")) {
        org.put(Integer.parseInt(MatchBenchmark.entity(r.recId())), r);
      }
    }
    return org;
  }

  private static boolean sameHome(BenchRecord a, BenchRecord b) {
    return Objects.equals(a.get("surname"), b.get("surname")) && Objects.equals(a.get("street_number"), b.get("street_number"))
        && Objects.equals(a.get("address_1"), b.get("address_1")) && Objects.equals(a.get("phone"), b.get("phone"));
  }

  @Test
  void plantsParentsAndChildrenOfOneNameWhoseBirthYearsDifferInOneDigit() {
    Map<Integer, BenchRecord> org = originals();
    int pairs = 0;
    for (int id = 0; org.containsKey(id + 1); id++) {
      BenchRecord parent = org.get(id);
      BenchRecord child = org.get(id + 1);
      String p = parent.get("date_of_birth");
      String c = child.get("date_of_birth");
      if (sameHome(parent, child) && parent.get("given_name").equals(child.get("given_name"))
          && p.substring(4).equals(c.substring(4)) && !p.equals(c)) {
        int years = Integer.parseInt(c.substring(0, 4)) - Integer.parseInt(p.substring(0, 4));
        boolean oneDigit = p.charAt(0) == c.charAt(0) && p.charAt(1) == c.charAt(1)
            && (p.charAt(2) == c.charAt(2) || p.charAt(3) == c.charAt(3)
                || (p.charAt(2) == c.charAt(3) && p.charAt(3) == c.charAt(2)));
        assertTrue(oneDigit && years >= 15 && years <= 50, p + " / " + c);
        pairs++;
      }
    }
    assertTrue(pairs >= 40, "parent/child pairs planted: " + pairs);
  }

  @Test
  void plantsTwinsWithNearIdenticalGivenNamesAtOneHomeAndBirthDate() {
    Map<Integer, BenchRecord> org = originals();
    int pairs = 0;
    for (int id = 0; org.containsKey(id + 1); id++) {
      BenchRecord a = org.get(id);
      BenchRecord b = org.get(id + 1);
      String x = a.get("given_name");
      String y = b.get("given_name");
      if (sameHome(a, b) && a.get("date_of_birth").equals(b.get("date_of_birth")) && !x.equals(y)
          && (x.startsWith(y.substring(0, 3)) || y.startsWith(x.substring(0, 3)) || x.endsWith("ella") && y.endsWith("ella"))) {
        pairs++;
      }
    }
    assertTrue(pairs >= 40, "near-identical-name twins planted: " + pairs);
  }

  @Test
  void isDeterministicForASeed() {
    assertEquals(US.stream().map(r -> r.values().toString()).toList(),
        UsPopulationGenerator.records(2000, UsPopulationGenerator.DEFAULT_SEED).stream().map(r -> r.values().toString()).toList());
  }
}
