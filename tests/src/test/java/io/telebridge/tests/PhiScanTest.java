package io.telebridge.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The PHI scan on planted log files: it must fail when a fixture's patient data is logged. */
class PhiScanTest {

  @Test
  void findsTheFixturesNamesBirthDatesAddressesPhonesAndMrnsAsTerms() throws Exception {
    Map<String, String> terms = PhiScan.terms(Signed.REPO, Path.of("does-not-exist"));
    assertEquals("name", terms.get("O'Connell-Reyes"), "events/patient.registered.json's family name");
    assertEquals("birth date", terms.get("1984-07-19"));
    assertEquals("address", terms.get("12 Synthetic Way"), "PID-11 of an inbound fixture");
    assertEquals("mrn", terms.get("100234"), "PID-3's MR identifier");
    assertEquals("birth date", terms.get("19840719"));
    assertTrue(terms.containsKey("+16175550142"), "a phone");
    assertFalse(terms.containsKey("pat-1001"), "platform ids are opaque ids, not PHI");
  }

  @Test
  void failsTheBuildWhenALogLineHoldsAnMrnAndPassesOnIdsOnly(@TempDir Path dir) throws Exception {
    Path reports = Files.createDirectories(dir.resolve("failsafe-reports"));
    Files.writeString(reports.resolve("io.telebridge.tests.SomeIT-output.txt"),
        "INFO: translated controlId=LAB000101 events=[ehr.result.available/ehr-9a4c]\n");
    PhiScan.main(new String[] {reports.toString(), Signed.REPO.toString(), dir.resolve("none.txt").toString()});

    Files.writeString(reports.resolve("io.telebridge.tests.OtherIT-output.txt"),
        "INFO: EHR upsert mrn=100234 person=ehr:demo-clinic\n");
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> PhiScan.main(
        new String[] {reports.toString(), Signed.REPO.toString(), dir.resolve("none.txt").toString()}));
    assertTrue(e.getMessage().contains("OtherIT-output.txt:1: mrn"), e.getMessage());
  }

  @Test
  void matchesWholeWordsOnly() {
    assertTrue(PhiScan.containsWord("mrn=100234 ok", "100234"));
    assertFalse(PhiScan.containsWord("at 20251002342", "100234"));
  }
}
