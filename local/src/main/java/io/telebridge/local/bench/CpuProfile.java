package io.telebridge.local.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Where the CPU went during a run: this JVM's threads grouped by name (digits stripped: "api-12"
 * and "api-3" are one group "api-"), and the child processes (moto). A coarse profile, enough to
 * name the bottleneck; a thread that ended during the run is not counted.
 */
final class CpuProfile {

  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final Map<Long, Long> startByThread = new HashMap<>();
  private final Map<Long, Long> startByChild = new HashMap<>();
  private final long startWall = System.nanoTime();
  private final long startProcess = processCpu(ProcessHandle.current());

  CpuProfile() {
    for (long id : threads.getAllThreadIds()) {
      startByThread.put(id, Math.max(0, threads.getThreadCpuTime(id)));
    }
    ProcessHandle.current().descendants().forEach(p -> startByChild.put(p.pid(), processCpu(p)));
  }

  String report() {
    double wall = (System.nanoTime() - startWall) / 1e9;
    Map<String, Long> groups = new HashMap<>();
    for (var info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info == null) {
        continue;
      }
      long cpu = threads.getThreadCpuTime(info.getThreadId());
      if (cpu < 0) {
        continue;
      }
      String group = info.getThreadName().replaceAll("[0-9]+", "#");
      groups.merge(group, cpu - startByThread.getOrDefault(info.getThreadId(), 0L), Long::sum);
    }
    StringBuilder b = new StringBuilder();
    double jvm = (processCpu(ProcessHandle.current()) - startProcess) / 1e9;
    b.append(String.format(Locale.ROOT, "cpu      over %.0f s of wall time: this JVM %.1f s", wall, jvm));
    ProcessHandle.current().descendants().forEach(p -> {
      String cmd = p.info().command().orElse("?");
      double s = (processCpu(p) - startByChild.getOrDefault(p.pid(), 0L)) / 1e9;
      if (s > 0.05) {
        b.append(String.format(Locale.ROOT, ", %s (pid %d) %.1f s", cmd.substring(cmd.lastIndexOf('/') + 1), p.pid(), s));
      }
    });
    b.append("\n         JVM threads (platform threads only; virtual threads count on their carriers):");
    Map<String, Long> top = new LinkedHashMap<>();
    groups.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(10)
        .forEach(e -> top.put(e.getKey(), e.getValue()));
    top.forEach((k, v) -> b.append(String.format(Locale.ROOT, "\n           %-48s %6.1f s", k, v / 1e9)));
    return b.toString();
  }

  private static long processCpu(ProcessHandle p) {
    return p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
  }
}
