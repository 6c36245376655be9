package io.telebridge.matching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FieldComparatorTest {

  private final FieldComparator comparator = new FieldComparator(Nicknames.bundled());

  @Test
  void gradesGivenNames() {
    assertEquals(Outcome.AGREE, comparator.given("katherine", "katherine").outcome());
    assertEquals("nickname", comparator.given("william", "bill").reason());
    assertEquals("typo", comparator.given("katherine", "kathrine").reason());
    assertEquals("initial", comparator.given("k", "katherine").reason());
    assertEquals(Outcome.DISAGREE, comparator.given("katherine", "margaret").outcome());
    assertEquals(Outcome.MISSING, comparator.given(null, "margaret").outcome());
    assertEquals(0.0, comparator.given(null, "margaret").weight());
  }

  @Test
  void readsTwoKeystrokesFromARealNameAsADoubleTypoButNeverTwoRealNames() {
    assertEquals("typo2", comparator.given("jennifer", "jenifre").reason(), "a name and its misspelling");
    assertEquals("typo2", comparator.given("jenifer", "jennifr").reason(), "two misspellings of one name");
    assertFalse(comparator.given("maria", "mariana").reason().equals("typo2"), "twins' names: both real");
    assertFalse(comparator.given("mark", "marco").reason().equals("typo2"), "both real");
    assertFalse(comparator.given("maria", "mariama").reason().equals("typo2"),
        "one keystroke from Mariana: her misspelling rather than Maria's");
    assertFalse(comparator.given("jenifre", "kenifre").reason().equals("typo2"), "first letters differ");
    assertEquals(2, Keystrokes.editDistance("jennifer", "jenifre"));
  }

  @Test
  void weighsAgreementAboveTyposAboveDisagreement() {
    double agree = comparator.given("katherine", "katherine").weight();
    double typo = comparator.given("katherine", "kathrine").weight();
    double disagree = comparator.given("katherine", "margaret").weight();
    assertTrue(agree > typo && typo > 0 && disagree < 0);
  }

  @Test
  void recognisesSwappedDayAndMonthAndOneDigitTypos() {
    assertEquals(Outcome.AGREE, FieldComparator.dob("19800307", "19800307").outcome());
    assertEquals("day_month_swapped", FieldComparator.dob("19800307", "19800703").reason());
    assertEquals("typo", FieldComparator.dob("19800307", "19800317").reason());
    assertEquals("typo", FieldComparator.dob("19800307", "19800370").reason());
    assertEquals(Outcome.DISAGREE, FieldComparator.dob("19800307", "19551120").outcome());
  }

  @Test
  void typoMeansOneEditOrAdjacentTransposition() {
    assertTrue(Keystrokes.typo("smith", "smiht"));
    assertTrue(Keystrokes.typo("smith", "smth"));
    assertTrue(Keystrokes.typo("smith", "smithe"));
    assertTrue(Keystrokes.typo("smith", "smyth"));
    assertFalse(Keystrokes.typo("smith", "smoth1"));
    assertFalse(Keystrokes.typo("1234", "4321"));
  }

  @Test
  void treatsPhoneticSurnamesAsPartial() {
    NormalizedPerson a = PatientMatcherTest.person("r1", "ann", "thompson", "19800307", null).build();
    NormalizedPerson b = PatientMatcherTest.person("r2", "ann", "tomson", "19800307", null).build();
    assertEquals(Outcome.PARTIAL, comparator.surname(a, b).outcome());
  }
}
