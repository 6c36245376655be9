package io.telebridge.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvironmentReaderTest {

  @Test
  void namesEveryProblemAtOnce() {
    EnvironmentReader read = new EnvironmentReader("fn", Map.of("B", " ", "N", "x"));
    read.required("A");
    read.required("B");
    read.integer("N", 1);
    IllegalStateException e = assertThrows(IllegalStateException.class, read::check);
    assertEquals("fn misconfigured: missing A; missing B; N must be an integer", e.getMessage());
  }

  @Test
  void readsValuesTrimmedWithFallbacks() {
    EnvironmentReader read = new EnvironmentReader("fn", Map.of("A", " a ", "N", "7"));
    assertEquals("a", read.required("A"));
    assertEquals(7, read.integer("N", 1));
    assertEquals(3, read.integer("M", 3));
    assertEquals("d", read.optional("O", "d"));
    read.check();
  }

  @Test
  void rangesAndFlagsAreCheckedAndEveryProblemNamed() {
    EnvironmentReader read = new EnvironmentReader("fn", Map.of("P", "70000", "Q", "x", "R", "8", "T", " Yes ",
        "F", "off", "B", "maybe"));
    assertEquals(1, read.integer("P", 1, 1, 65535));
    assertEquals(2, read.integer("Q", 2, 1, 10));
    assertEquals(8, read.integer("R", 2, 1, 10));
    assertEquals(5, read.integer("unset", 5, 1, 10));
    assertEquals(true, read.bool("T", false));
    assertEquals(false, read.bool("F", true));
    assertEquals(true, read.bool("B", true));
    assertEquals(false, read.bool("unset", false));
    read.problem("A and B disagree");
    IllegalStateException e = assertThrows(IllegalStateException.class, read::check);
    assertEquals("fn misconfigured: P must be between 1 and 65535; Q must be an integer; B must be true or false; "
        + "A and B disagree", e.getMessage());
  }
}
