package io.telebridge.tests;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Everything the test JVM logs while it is open — java.util.logging records and whatever any
 * logger prints to stdout or stderr — so a test can assert no patient data appears anywhere.
 */
final class LogCapture implements AutoCloseable {

  private final List<String> records = new CopyOnWriteArrayList<>();
  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
  private final PrintStream originalOut = System.out;
  private final PrintStream originalErr = System.err;
  private final Handler handler = new Handler() {
    @Override
    public void publish(LogRecord record) {
      records.add(new SimpleFormatter().format(record));
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  LogCapture() {
    handler.setLevel(Level.ALL);
    Logger.getLogger("").addHandler(handler);
    System.setOut(new PrintStream(new Tee(originalOut, printed), true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(new Tee(originalErr, printed), true, StandardCharsets.UTF_8));
  }

  /** All captured text so far. */
  String text() {
    synchronized (printed) {
      return String.join("\n", records) + "\n" + printed.toString(StandardCharsets.UTF_8);
    }
  }

  @Override
  public void close() {
    Logger.getLogger("").removeHandler(handler);
    System.setOut(originalOut);
    System.setErr(originalErr);
  }

  private static final class Tee extends OutputStream {
    private final OutputStream console;
    private final ByteArrayOutputStream copy;

    Tee(OutputStream console, ByteArrayOutputStream copy) {
      this.console = console;
      this.copy = copy;
    }

    @Override
    public void write(int c) throws IOException {
      console.write(c);
      synchronized (copy) {
        copy.write(c);
      }
    }

    @Override
    public void write(byte[] buf, int off, int len) throws IOException {
      console.write(buf, off, len);
      synchronized (copy) {
        copy.write(buf, off, len);
      }
    }
  }
}
