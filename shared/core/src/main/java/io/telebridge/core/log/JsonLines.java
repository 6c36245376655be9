package io.telebridge.core.log;

import java.time.Instant;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * One JSON object per log line on stderr (CloudWatch Logs keeps each line as one event and Logs
 * Insights reads the fields). Messages are the project's own, which carry ids only; a thrown
 * exception contributes its class name, never its message (SDK and parser messages can echo input).
 */
public final class JsonLines extends Formatter {

  private static volatile boolean installed;

  /** Replaces the root handlers with one JSON-lines handler; idempotent. */
  public static void install() {
    if (installed) {
      return;
    }
    synchronized (JsonLines.class) {
      if (installed) {
        return;
      }
      LogManager.getLogManager().reset();
      Logger root = Logger.getLogger("");
      Handler handler = new ConsoleHandler();
      handler.setFormatter(new JsonLines());
      handler.setLevel(Level.ALL);
      root.addHandler(handler);
      root.setLevel(Level.INFO);
      installed = true;
    }
  }

  /**
   * Writes one line straight to stderr, bypassing the handlers: for shutdown hooks, which run
   * while java.util.logging's own shutdown hook may already have reset (removed) every handler.
   */
  public static void writeDirect(String logger, Level level, String message) {
    LogRecord record = new LogRecord(level, message);
    record.setLoggerName(logger);
    System.err.print(new JsonLines().format(record));
    System.err.flush();
  }

  @Override
  public String format(LogRecord record) {
    StringBuilder out = new StringBuilder(160);
    out.append("{\"time\":\"").append(Instant.ofEpochMilli(record.getMillis())).append('"');
    out.append(",\"level\":\"").append(level(record.getLevel())).append('"');
    out.append(",\"logger\":");
    quote(out, record.getLoggerName());
    out.append(",\"message\":");
    quote(out, formatMessage(record));
    if (record.getThrown() != null) {
      out.append(",\"error\":");
      quote(out, record.getThrown().getClass().getName());
    }
    return out.append("}\n").toString();
  }

  private static String level(Level level) {
    int v = level.intValue();
    if (v >= Level.SEVERE.intValue()) {
      return "ERROR";
    }
    if (v >= Level.WARNING.intValue()) {
      return "WARN";
    }
    if (v >= Level.INFO.intValue()) {
      return "INFO";
    }
    return "DEBUG";
  }

  static void quote(StringBuilder out, String s) {
    if (s == null) {
      out.append("null");
      return;
    }
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
