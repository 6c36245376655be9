package io.telebridge.core.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class JsonLinesTest {

  @Test
  void writesOneEscapedJsonObjectPerLine() {
    LogRecord record = new LogRecord(Level.WARNING, "accepted eventId={0} note=\"a\nb\"");
    record.setParameters(new Object[] {"evt-1"});
    record.setLoggerName("io.telebridge.X");
    String line = new JsonLines().format(record);
    assertTrue(line.endsWith("}\n"));
    assertEquals(1, line.split("\n").length);
    assertTrue(line.contains("\"level\":\"WARN\""));
    assertTrue(line.contains("\"message\":\"accepted eventId=evt-1 note=\\\"a\\nb\\\"\""), line);
  }

  @Test
  void namesTheExceptionClassButNeverItsMessage() {
    LogRecord record = new LogRecord(Level.SEVERE, "failed");
    record.setThrown(new IllegalArgumentException("Jane Roe 1980-01-01"));
    String line = new JsonLines().format(record);
    assertTrue(line.contains("java.lang.IllegalArgumentException"));
    assertFalse(line.contains("Jane"));
  }
}
