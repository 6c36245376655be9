package io.telebridge.local.testfn;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test handler for concurrent SQS batches: records each body it gets per message group, and what
 * overlapped — how many invocations ran at once (at most), whether one group was in two invocations
 * at once, whether one instance served two invocations at once. Holds each batch for
 * {@code holdMillis} so that concurrent batches overlap.
 */
public class ConcurrencyProbeHandler implements RequestHandler<SQSEvent, Void> {

  public static final Map<String, List<String>> BODIES_BY_GROUP = new ConcurrentHashMap<>();
  public static final AtomicInteger ACTIVE = new AtomicInteger();
  public static final AtomicInteger MOST_ACTIVE = new AtomicInteger();
  public static final AtomicInteger GROUP_OVERLAPS = new AtomicInteger();
  public static final AtomicInteger INSTANCE_OVERLAPS = new AtomicInteger();
  public static final AtomicInteger INSTANCES = new AtomicInteger();
  private static final Map<String, AtomicInteger> ACTIVE_BY_GROUP = new ConcurrentHashMap<>();
  public static volatile long holdMillis = 200;

  private final AtomicInteger mine = new AtomicInteger();

  public ConcurrencyProbeHandler(Map<String, String> environment) {
    INSTANCES.incrementAndGet();
  }

  public static void reset() {
    BODIES_BY_GROUP.clear();
    ACTIVE.set(0);
    MOST_ACTIVE.set(0);
    GROUP_OVERLAPS.set(0);
    INSTANCE_OVERLAPS.set(0);
    INSTANCES.set(0);
    ACTIVE_BY_GROUP.clear();
  }

  @Override
  public Void handleRequest(SQSEvent event, Context context) {
    if (mine.incrementAndGet() > 1) {
      INSTANCE_OVERLAPS.incrementAndGet();
    }
    int now = ACTIVE.incrementAndGet();
    MOST_ACTIVE.accumulateAndGet(now, Math::max);
    List<String> groups = event.getRecords().stream().map(m -> m.getAttributes().get("MessageGroupId")).distinct().toList();
    for (String g : groups) {
      if (ACTIVE_BY_GROUP.computeIfAbsent(g, k -> new AtomicInteger()).incrementAndGet() > 1) {
        GROUP_OVERLAPS.incrementAndGet();
      }
    }
    try {
      for (SQSEvent.SQSMessage m : event.getRecords()) {
        BODIES_BY_GROUP.computeIfAbsent(m.getAttributes().get("MessageGroupId"), k -> new CopyOnWriteArrayList<>())
            .add(m.getBody());
      }
      Thread.sleep(holdMillis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      groups.forEach(g -> ACTIVE_BY_GROUP.get(g).decrementAndGet());
      ACTIVE.decrementAndGet();
      mine.decrementAndGet();
    }
    return null;
  }
}
