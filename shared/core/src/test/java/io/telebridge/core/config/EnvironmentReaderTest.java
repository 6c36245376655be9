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
}
