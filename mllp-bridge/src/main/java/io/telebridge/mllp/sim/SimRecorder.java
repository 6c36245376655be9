package io.telebridge.mllp.sim;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What the simulator received: in memory (in order of arrival, awaitable), and optionally appended to
 * {@code messages.hl7} + {@code received.log} in a directory and summarised on a console.
 */
final class SimRecorder {

  private final Path recordDir;
  private final PrintStream console;
  private final List<ReceivedMessage> received = new ArrayList<>();

  /** @param recordDir null: memory only; @param console null: silent */
  SimRecorder(Path recordDir, PrintStream console) {
    this.recordDir = recordDir;
    this.console = console;
  }

  /** File and console first, then memory: whoever awaits a message finds it everywhere. */
  void record(ReceivedMessage m) {
    if (recordDir != null) {
      writeRecord(m);
    }
    if (console != null) {
      console.println("EHR simulator <- " + m.summary() + "  -> " + m.answer());
    }
    synchronized (received) {
      received.add(m);
      received.notifyAll();
    }
  }

  private synchronized void writeRecord(ReceivedMessage m) {
    try (Writer hl7 = Files.newBufferedWriter(recordDir.resolve("messages.hl7"), StandardCharsets.UTF_8,
            StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        Writer log = Files.newBufferedWriter(recordDir.resolve("received.log"), StandardCharsets.UTF_8,
            StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
      hl7.write(m.text().replace('\r', '\n'));
      hl7.write(m.text().endsWith("\r") ? "\n" : "\n\n");
      log.write(m.receivedAt() + " " + m.controlId() + " " + m.messageType() + " -> " + m.answer() + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write to " + recordDir, e);
    }
  }

  List<ReceivedMessage> received() {
    synchronized (received) {
      return List.copyOf(received);
    }
  }

  boolean awaitCount(int count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (received) {
      while (received.size() < count) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        received.wait(Math.max(1, left / 1_000_000L));
      }
      return true;
    }
  }

  void clear() {
    synchronized (received) {
      received.clear();
    }
  }

  Path recordDir() {
    return recordDir;
  }
}
