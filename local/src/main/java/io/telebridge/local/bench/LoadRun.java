package io.telebridge.local.bench;

import io.telebridge.core.webhook.WebhookSignature;
import io.telebridge.hl7v2.ControlIds;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.LockSupport;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import tools.jackson.databind.json.JsonMapper;

/**
 * One open-loop run of signed webhooks against a stack, and what the EHR made of it: the engine of
 * {@code ./tb bench load}, {@code ./tb bench faults} and LoadFaultsIT.
 *
 * <p>Events are planned first (a seeded mix of bookings for new patients, bookings, reschedules and
 * cancels of patients and appointments booked earlier in the run), each with a due time
 * {@code start + n / rate}. The sender dispatches each at its due time whatever happened to the
 * earlier ones (open loop: a slow stack shows as latency, not as a lower rate), except that a
 * patient's event waits for the 202 of that patient's previous event, as the API asks of the
 * platform ("send a patient's events one after another"). Like a well-behaved platform it retries
 * a 5xx, a 429 or a refused connection with the same id, re-signed, for up to {@code retryFor}.
 *
 * <p>Each event's HL7 messages are known in advance by MSH-10 ({@link ControlIds}: tenant, event id,
 * message type): a new patient's booking ADT^A04 + SIU^S12, a booking SIU^S12, a reschedule SIU^S13,
 * a cancel SIU^S15. Latencies are from the due time (not the send time) to the EHR simulator's
 * receipt of the message it acknowledged. Then: lost (accepted with 202, never acknowledged by the
 * EHR and not on a dead-letter queue), duplicated (acknowledged AA more than once: the same MSH-10
 * stored twice), order violations (a patient's messages acknowledged in another order than sent).
 */
public final class LoadRun {

  public enum Kind { NEW_PATIENT_BOOKING, BOOKING, RESCHEDULE, CANCEL }

  static final String ADT = "ADT^A04";

  /** Where to send and where to look. {@code queues}: label → URL sampled for depth; {@code deadLetters} likewise. */
  public record Target(URI eventsUrl, String secret, String tenant, EhrView ehr, SqsClient sqs,
      Map<String, String> queues, Map<String, String> deadLetters) {}

  /** What to send. */
  public static final class Config {
    public double rate = 10;
    public int count = 100;
    public double newShare = 0.2;
    public double rescheduleShare = 0.15;
    public double cancelShare = 0.15;
    /** Each webhook sent this many times at once (same id and body, each signed afresh). */
    public int copies = 1;
    public int maxInFlight = 64;
    public Duration retryFor = Duration.ofMinutes(5);
    public Duration drain = Duration.ofMinutes(3);
    public Duration sampleEvery = Duration.ofSeconds(1);
    public long seed = 42;
    public String runId = "load-" + Long.toString(System.currentTimeMillis(), 36);
  }

  /** One planned event and what became of it. */
  public static final class Event {
    final int n;
    final Kind kind;
    final String id;
    final String patient;
    final byte[] body;
    final List<String> expected;
    final long dueNanos;
    volatile long acceptedNanos;
    volatile String outcome = "not sent";
    volatile int attempts;

    Event(int n, Kind kind, String id, String patient, byte[] body, List<String> expected, long dueNanos) {
      this.n = n;
      this.kind = kind;
      this.id = id;
      this.patient = patient;
      this.body = body;
      this.expected = expected;
      this.dueNanos = dueNanos;
    }

    boolean accepted() {
      return outcome.startsWith("202");
    }
  }

  /** A queue depth sample: seconds since the start, label → visible + in flight. */
  public record Sample(double seconds, Map<String, Long> depth) {}

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final Target target;
  private final Config config;
  final List<Event> events = new ArrayList<>();
  final List<Sample> samples = new ArrayList<>();
  final Map<String, Integer> outcomes = new TreeMap<>();
  long startNanos;
  Instant startInstant;
  long sendEndNanos;
  long drainedNanos = -1;
  /** What the dead-letter queues held before the run (a long-lived ./tb local may have some). */
  private long deadAtStart;

  public LoadRun(Target target, Config config) {
    this.target = target;
    this.config = config;
  }

  // ------------------------------------------------------------------ the plan (LoadPlan)

  /** Builds the events from the repository's samples (events/appointment.{booked,rescheduled,cancelled}.json). */
  void plan(Path repo) throws IOException {
    events.addAll(LoadPlan.plan(repo, config, target.tenant()));
  }

  // ------------------------------------------------------------------ sending

  /** Sends every planned event at its due time; returns once each has its answer (or gave up). */
  void send(Runnable atHalfway) throws InterruptedException {
    Semaphore inFlight = new Semaphore(config.maxInFlight);
    Map<String, CompletableFuture<Void>> tails = new ConcurrentHashMap<>();
    List<CompletableFuture<Void>> all = new ArrayList<>();
    try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).executor(Executors.newVirtualThreadPerTaskExecutor()).build();
        ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
      deadAtStart = deadLetteredNow();
      startInstant = Instant.now();
      startNanos = System.nanoTime();
      // one sampler for the sending and the drain; drain() stops it
      sampler = Thread.ofPlatform().daemon().name("load-sampler").start(this::sample);
      boolean halfwayDone = atHalfway == null;
      for (Event e : events) {
        long wait = startNanos + e.dueNanos - System.nanoTime();
        while (wait > 0) {
          LockSupport.parkNanos(wait);
          wait = startNanos + e.dueNanos - System.nanoTime();
        }
        if (!halfwayDone && e.n >= events.size() / 2) {
          halfwayDone = true;
          workers.submit(atHalfway);
        }
        CompletableFuture<Void> next = tails.compute(e.patient, (p, prev) ->
            (prev == null ? CompletableFuture.<Void>completedFuture(null) : prev)
                .thenRunAsync(() -> deliver(http, e, inFlight), workers));
        all.add(next);
      }
      CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
      sendEndNanos = System.nanoTime();
    }
    for (Event e : events) {
      outcomes.merge(e.outcome, 1, Integer::sum);
    }
  }

  private Thread sampler;
  private volatile boolean samplingDone;

  private void deliver(HttpClient http, Event e, Semaphore inFlight) {
    long giveUp = System.nanoTime() + config.retryFor.toNanos();
    long backoff = 250;
    while (true) {
      e.attempts++;
      List<String> answers = new ArrayList<>();
      try {
        inFlight.acquire();
        try {
          List<CompletableFuture<HttpResponse<String>>> copies = new ArrayList<>();
          for (int c = 0; c < config.copies; c++) {
            long ts = Instant.now().getEpochSecond();
            HttpRequest request = HttpRequest.newBuilder(target.eventsUrl())
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header(WebhookSignature.TIMESTAMP_HEADER, Long.toString(ts))
                .header(WebhookSignature.SIGNATURE_HEADER, WebhookSignature.sign(target.secret(), ts, e.body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(e.body)).build();
            copies.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)));
          }
          for (CompletableFuture<HttpResponse<String>> f : copies) {
            try {
              HttpResponse<String> r = f.join();
              answers.add(r.statusCode() == 202 && r.body().contains("\"replay\":true") ? "202-replay"
                  : Integer.toString(r.statusCode()));
            } catch (java.util.concurrent.CompletionException ex) {
              answers.add(ex.getCause() == null ? ex.toString() : ex.getCause().getClass().getSimpleName());
            }
          }
        } finally {
          inFlight.release();
        }
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
        e.outcome = "interrupted";
        return;
      }
      if (answers.stream().anyMatch(a -> a.startsWith("202"))) {
        e.acceptedNanos = System.nanoTime();
        long fresh = answers.stream().filter(a -> a.equals("202")).count();
        // one first acceptance; the other copies are replays. A replay on a retry is fine too (the
        // first attempt was stored but its answer lost); a replay on the first attempt means the id was used before.
        e.outcome = fresh > 1 ? "202 accepted " + fresh + "x" : fresh == 1 || e.attempts > 1 ? "202" : "202-replay";
        return;
      }
      boolean retryable = answers.stream().allMatch(a -> a.startsWith("5") || a.equals("429") || !Character.isDigit(a.charAt(0)));
      if (!retryable || System.nanoTime() > giveUp) {
        e.outcome = String.join(",", new java.util.TreeSet<>(answers));
        return;
      }
      try {
        Thread.sleep(backoff);
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
        e.outcome = "interrupted";
        return;
      }
      backoff = Math.min(backoff * 2, 5_000);
    }
  }

  private void sample() {
    long next = System.nanoTime();
    while (!samplingDone) {
      Map<String, Long> depth = new LinkedHashMap<>();
      for (var q : target.queues().entrySet()) {
        depth.put(q.getKey(), depth(q.getValue()));
      }
      synchronized (samples) {
        samples.add(new Sample((System.nanoTime() - startNanos) / 1e9, depth));
      }
      next += config.sampleEvery.toNanos();
      long wait = next - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
    }
  }

  /** Visible + in flight, or -1 when the queue does not answer (ElasticMQ down). */
  long depth(String queueUrl) {
    try {
      Map<String, String> a = target.sqs().getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(
          QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
          QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributesAsStrings();
      return Long.parseLong(a.getOrDefault("ApproximateNumberOfMessages", "0"))
          + Long.parseLong(a.getOrDefault("ApproximateNumberOfMessagesNotVisible", "0"));
    } catch (RuntimeException e) {
      return -1;
    }
  }

  // ------------------------------------------------------------------ draining and checking

  /**
   * Waits until every accepted event's messages were acknowledged by the EHR or dead-lettered (or
   * {@code drain} passed), then {@code settle} more for late duplicates.
   */
  void drain(Duration settle) throws InterruptedException {
    Set<String> expected = expectedIds();
    long deadline = System.nanoTime() + config.drain.toNanos();
    while (System.nanoTime() < deadline) {
      Set<String> done = new HashSet<>();
      try {
        for (EhrView.Arrival a : target.ehr().received()) {
          if (a.accepted()) {
            done.add(a.controlId());
          }
        }
      } catch (RuntimeException e) {
        // the stack is restarting: look again
      }
      if (done.containsAll(expected) || (done.size() + deadLettered() >= expected.size() && deadLetterSettled())) {
        drainedNanos = System.nanoTime();
        break;
      }
      Thread.sleep(250);
    }
    Thread.sleep(settle.toMillis());
    samplingDone = true;
    if (sampler != null) {
      sampler.join(30_000);
    }
  }

  private long lastDead = -2;

  private boolean deadLetterSettled() {
    long now = deadLettered();
    boolean same = now == lastDead;
    lastDead = now;
    return same && now > 0;
  }

  /** Dead-lettered during this run. */
  private long deadLettered() {
    return Math.max(0, deadLetteredNow() - deadAtStart);
  }

  private long deadLetteredNow() {
    long sum = 0;
    for (String url : target.deadLetters().values()) {
      sum += Math.max(0, depth(url));
    }
    return sum;
  }

  Set<String> expectedIds() {
    Set<String> ids = new HashSet<>();
    for (Event e : events) {
      if (e.accepted()) {
        ids.addAll(e.expected);
      }
    }
    return ids;
  }

  /** The figures of one run. */
  public record Result(int events, int accepted, Map<String, Integer> outcomes, int expectedMessages, int lost,
      int duplicated, int resentAfterNoAck, int nacked, long deadLettered, int orderViolations, double sendSeconds,
      double drainSeconds, Stats bookingToAck, Stats allToAck, Stats postTo202, Map<String, Long> maxDepth,
      List<Sample> depthOverTime, List<String> disorders) {

    public boolean clean() {
      return lost == 0 && orderViolations == 0;
    }
  }

  Result result() {
    return LoadVerdict.judge(this, target.ehr().received(), deadLettered());
  }

  List<Sample> samples() {
    synchronized (samples) {
      return List.copyOf(samples);
    }
  }

  List<Event> events() {
    return events;
  }

  /** Plans, sends, drains: the whole run. {@code atHalfway} (may be null) runs once half the events are due. */
  public static Result run(Target target, Config config, Path repo, Runnable atHalfway) throws IOException,
      InterruptedException {
    LoadRun run = new LoadRun(target, config);
    run.plan(repo);
    run.send(atHalfway);
    run.drain(Duration.ofSeconds(2));
    return run.result();
  }

  static String percentiles(Stats s) {
    return String.format(Locale.ROOT, "n=%d p50=%s p95=%s p99=%s max=%s ms", s.count(), Stats.fmt(s.percentileMs(50)),
        Stats.fmt(s.percentileMs(95)), Stats.fmt(s.percentileMs(99)), Stats.fmt(s.maxMs()));
  }
}
