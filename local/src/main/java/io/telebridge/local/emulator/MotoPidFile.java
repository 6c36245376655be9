package io.telebridge.local.emulator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code server.pid} of a moto keeping its state in a directory: written at start, deleted at a clean stop,
 * and read at the next start to end the server a crashed run left behind (only when its command line is one of
 * ours for this directory: a reused pid is left alone).
 */
final class MotoPidFile {

  private static final Logger LOG = LoggerFactory.getLogger(MotoServer.class);
  /** In the command line of every server {@link MotoServer} starts (the pidfile check looks for it). */
  static final String MARKER = "telebridge-moto";
  static final String PID_FILE = "server.pid";

  private MotoPidFile() {}

  static void write(Path stateDir, long pid) throws IOException {
    Files.writeString(stateDir.resolve(PID_FILE), pid + "\n");
  }

  /**
   * Ends the server a crashed run left on this state directory: the pid in {@code server.pid}, if
   * that process still runs and its command line is one of ours for this directory (a reused pid
   * is left alone), with its children (a snapshot being written).
   */
  static void reclaim(Path stateDir) {
    Path pidFile = stateDir.resolve(PID_FILE);
    long pid;
    try {
      pid = Long.parseLong(Files.readString(pidFile).trim());
    } catch (IOException | NumberFormatException e) {
      return;
    }
    Optional<ProcessHandle> found = ProcessHandle.of(pid);
    if (found.isPresent() && found.get().isAlive() && isOurs(found.get(), stateDir)) {
      ProcessHandle old = found.get();
      LOG.warn("moto (pid {}) of an earlier run on {} is still running: ending it", pid, stateDir);
      List<ProcessHandle> children = old.descendants().toList();
      old.destroy();
      children.forEach(ProcessHandle::destroy);
      try {
        old.onExit().get(10, TimeUnit.SECONDS);
      } catch (TimeoutException | ExecutionException e) {
        old.destroyForcibly();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        old.destroyForcibly();
      }
      children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }
    try {
      Files.deleteIfExists(pidFile);
    } catch (IOException e) {
      LOG.debug("{} not deleted: {}", pidFile, e.toString());
    }
  }


  /**
   * The process's command line names our server and this state directory. Linux's
   * {@code /proc/<pid>/cmdline} first: the JDK's {@code ProcessHandle.Info.commandLine()} stops at
   * 4,096 characters, before the state directory (our server's script comes first).
   */
  static boolean isOurs(ProcessHandle process, Path stateDir) {
    String commandLine;
    try {
      commandLine = new String(Files.readAllBytes(Path.of("/proc", Long.toString(process.pid()), "cmdline")),
          StandardCharsets.UTF_8).replace('\0', ' ');
    } catch (IOException e) {
      commandLine = process.info().commandLine().orElse("");
    }
    return commandLine.contains(MARKER) && commandLine.contains(stateDir.toString());
  }


  /** Deletes the pidfile of {@code stateDir}; nothing for a server in memory (null). */
  static void delete(Path stateDir) {
    if (stateDir != null) {
      try {
        Files.deleteIfExists(stateDir.resolve(PID_FILE));
      } catch (IOException e) {
        LOG.debug("pidfile not deleted: {}", e.toString());
      }
    }
  }
}
