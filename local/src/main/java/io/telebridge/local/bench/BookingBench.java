package io.telebridge.local.bench;

import io.telebridge.hl7v2.ControlIds;
import io.telebridge.local.LocalStack;
import io.telebridge.local.RepoRoot;
import io.telebridge.mllp.sim.Answer;
import io.telebridge.mllp.sim.EhrSimulator;
import io.telebridge.mllp.sim.ReceivedMessage;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import tools.jackson.databind.json.JsonMapper;

/**
 * Booking → ACK: the whole to-EHR path, end to end, in one JVM. Starts an in-process local stack
 * with the MLLP bridge and the bundled EHR simulator, sends N signed bookings one after another
 * (1 in {@code --new-every} for a new patient, the others for a patient booked earlier), and for
 * each measures from the HTTP POST to the moment the EHR simulator has received that booking's
 * SIU^S12 (answered AA). Prints p50/p90/p99/max/mean and throughput, and checks that the
 * simulator got exactly the expected messages: one ADT^A04 per new patient and one SIU^S12 per
 * booking, each once, all answered AA.
 *
 * <pre>
 *   ./tb bench booking [--count 500] [--warmup 50] [--new-every 5] [--event FILE] [--timeout 30]
 * </pre>
 *
 * The path: local API → IntakeFunction (verify, validate, idempotency in moto, IntakeQueue in
 * ElasticMQ) → the local SQS poller → ToEhrTranslatorFunction (identity in moto, ToEhrQueue) → the
 * MLLP bridge (long poll) → MLLP over loopback TCP → the EHR simulator. Messages are matched by
 * MSH-10, which the translator derives from (tenant, event id, message type) ({@link ControlIds});
 * the arrival time is taken by a thread that waits on the simulator's received list
 * ({@link EhrSimulator#awaitCount}) and stamps each new message with {@link System#nanoTime()} as it
 * wakes up. The simulator records a message just before it writes the ACK, with the answer (AA)
 * already decided. Prints figures; asserts nothing about time. Exit 1 when a POST was not
 * answered 202, a booking's SIU^S12 did not arrive in time, or the simulator's messages are not
 * exactly the expected ones.
 */
public final class BookingBench {

  static final String USAGE = """
      Usage: ./tb bench booking [--count 500] [--warmup 50] [--new-every 5] [--event FILE] [--timeout 30]
        --count N       measured bookings (sequential: the next is sent once the previous SIU^S12 arrived)
        --warmup N      bookings sent first and reported apart
        --new-every K   1 booking in K is for a new patient (ADT^A04 + SIU^S12); the others are for a
                        patient booked earlier in the run (SIU^S12 only). 1 = every booking a new patient
        --event FILE    the booking to copy (default events/appointment.booked.json): unique id, patient id
        --timeout S     seconds to wait for one booking's SIU^S12 before counting it lost
      """;

  static final String SIU = "SIU^S12";
  static final String ADT = "ADT^A04";

  private BookingBench() {}

  public static void main(String[] argv) throws Exception {
    BenchArgs.main("booking", argv, BookingBench::run);
  }

  /** One booking: when it was sent, answered, and when its messages reached the EHR. */
  record Booking(int n, String eventId, String patient, boolean newPatient, String siuControlId, String adtControlId,
      long sentNanos, long answeredNanos, String outcome) {}

  private static void run(String[] argv) throws Exception {
    BenchArgs args = new BenchArgs(argv);
    if (args.flag("--help") || args.flag("-h")) {
      System.out.print(USAGE);
      return;
    }
    int count = args.intOption("--count", 500);
    int warmup = args.intOption("--warmup", 50);
    int newEvery = args.intOption("--new-every", 5);
    int timeoutSeconds = args.intOption("--timeout", 30);
    Path eventFile = Path.of(args.option("--event", BenchEvents.defaultFile().toString()));
    args.done(USAGE);
    if (count < 1 || warmup < 0 || newEvery < 1 || timeoutSeconds < 1) {
      throw new IllegalArgumentException("--count and --new-every must be >= 1, --warmup >= 0, --timeout >= 1");
    }
    BenchEvents events = new BenchEvents(eventFile, 1);
    String tenant = JsonMapper.builder().build().readTree(Files.readString(eventFile, StandardCharsets.UTF_8))
        .path("source").path("tenant").asString(null);
    if (tenant == null) {
      throw new IllegalArgumentException(eventFile + " has no source.tenant");
    }

    Path template = BenchArgs.repoRoot().resolve(RepoRoot.TEMPLATE);
    long t = System.nanoTime();
    int code;
    try (LocalStack stack = BenchArgs.start(BenchArgs.bridgeStack())) {
      EhrSimulator ehr = stack.ehrSimulator();
      if (ehr == null || stack.mllpBridge() == null) {
        throw new IllegalStateException("the local stack started no MLLP bridge / EHR simulator (warnings: "
            + stack.warnings() + ")");
      }
      URI url = stack.apiUrl("/v1/events");
      Map<String, String> bridgeEnv = stack.bridgeEnvironment();
      System.out.printf(Locale.ROOT, "in-process local stack with the MLLP bridge and the EHR simulator up in %d ms%n",
          (System.nanoTime() - t) / 1_000_000);
      System.out.printf(Locale.ROOT, "target   %s -> IntakeQueue -> ToEhrTranslatorFunction -> ToEhrQueue -> MLLP bridge"
          + " -> EHR simulator 127.0.0.1:%d%n", url, ehr.port());
      System.out.printf(Locale.ROOT, "bridge   POLL_WAIT_SECONDS=%s BATCH_SIZE=%s (poller of the translator: long poll %d s)%n",
          bridgeEnv.getOrDefault("POLL_WAIT_SECONDS", "20"), bridgeEnv.getOrDefault("BATCH_SIZE", "10"),
          stack.options().sqsPollWaitSeconds());
      System.out.printf(Locale.ROOT, "body     %s with unique ids; 1 booking in %d for a new patient; %d warm-up + %d measured,"
          + " sequential, one connection%n", eventFile, newEvery, warmup, count);
      System.out.printf(Locale.ROOT, "jvm      %s %s, %d cpu(s)%n%n", System.getProperty("java.vm.name"),
          System.getProperty("java.runtime.version"), Runtime.getRuntime().availableProcessors());

      Arrivals arrivals = new Arrivals(ehr);
      Thread watcher = Thread.ofPlatform().daemon().name("bench-ehr-watcher").start(arrivals);
      List<Booking> bookings = new ArrayList<>();
      List<String> patients = new ArrayList<>();
      Random pick = new Random(42);
      long phaseStart = 0;
      long phaseEnd = 0;
      try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5)).build()) {
        for (int i = 0; i < warmup + count; i++) {
          if (i == warmup) {
            phaseStart = System.nanoTime();
          }
          boolean newPatient = patients.isEmpty() || i % newEvery == 0;
          String patient;
          if (newPatient) {
            patient = events.runPatient(patients.size());
            patients.add(patient);
          } else {
            patient = patients.get(pick.nextInt(patients.size()));
          }
          bookings.add(book(http, url, stack.devSigningSecret(), events, tenant, i, patient, newPatient, arrivals,
              timeoutSeconds));
        }
        phaseEnd = System.nanoTime();
      }

      // every expected message, and a moment for any duplicate to show up
      int expectedTotal = (int) bookings.stream().mapToLong(b -> b.newPatient() ? 2 : 1).sum();
      ehr.awaitCount(expectedTotal, Duration.ofSeconds(10));
      Thread.sleep(2_000);
      arrivals.stop();
      watcher.join(2_000);

      List<Booking> warm = bookings.subList(0, warmup);
      List<Booking> measured = bookings.subList(warmup, bookings.size());
      if (warmup > 0) {
        print("warm-up", warm, arrivals, 0);
      }
      print("measured", measured, arrivals, phaseEnd - phaseStart);
      code = check(stack, ehr, bookings, expectedTotal) ? 0 : 1;
    }
    System.exit(code);
  }

  static Booking book(HttpClient http, URI url, String secret, BenchEvents events, String tenant, int n, String patient,
      boolean newPatient, Arrivals arrivals, int timeoutSeconds) throws InterruptedException {
    String eventId = events.eventId(n);
    String siu = ControlIds.of(tenant, eventId, SIU);
    String adt = newPatient ? ControlIds.of(tenant, eventId, ADT) : null;
    byte[] body = events.body(n, patient);
    HttpRequest request = io.telebridge.local.SignedPost.of(url, secret, body, Duration.ofSeconds(30));
    long sent = System.nanoTime();
    long answered;
    String outcome;
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      answered = System.nanoTime();
      outcome = Integer.toString(response.statusCode());
      if (response.statusCode() == 202 && response.body().contains("\"replay\":true")) {
        outcome = "202-replay";
      }
    } catch (IOException e) {
      answered = System.nanoTime();
      outcome = e.getClass().getSimpleName();
    }
    if (outcome.equals("202") && arrivals.await(siu, sent + TimeUnit.SECONDS.toNanos(timeoutSeconds)) == null) {
      outcome = "202-no-SIU-in-" + timeoutSeconds + "s";
    }
    return new Booking(n, eventId, patient, newPatient, siu, adt, sent, answered, outcome);
  }

  /**
   * Stamps every message the simulator records with the time this thread saw it (first arrival of
   * each MSH-10), and keeps them all for the final check.
   */
  static final class Arrivals implements Runnable {
    private final EhrSimulator ehr;
    private final Map<String, Long> first = new HashMap<>();
    private volatile boolean running = true;
    private int seen;

    Arrivals(EhrSimulator ehr) {
      this.ehr = ehr;
    }

    @Override
    public void run() {
      try {
        while (running) {
          if (!ehr.awaitCount(seen + 1, Duration.ofMillis(200))) {
            continue;
          }
          long now = System.nanoTime();
          List<ReceivedMessage> all = ehr.received();
          synchronized (this) {
            for (int i = seen; i < all.size(); i++) {
              first.putIfAbsent(all.get(i).controlId(), now);
            }
            seen = all.size();
            notifyAll();
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    /** When this control id arrived (nanoTime), waiting until the deadline; null on timeout. */
    synchronized Long await(String controlId, long deadlineNanos) throws InterruptedException {
      while (!first.containsKey(controlId)) {
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
          return null;
        }
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
      return first.get(controlId);
    }

    synchronized Long arrival(String controlId) {
      return controlId == null ? null : first.get(controlId);
    }

    void stop() {
      running = false;
    }
  }

  static void print(String label, List<Booking> bookings, Arrivals arrivals, long wallNanos) {
    List<Long> total = new ArrayList<>();
    List<Long> totalNew = new ArrayList<>();
    List<Long> totalKnown = new ArrayList<>();
    List<Long> intake = new ArrayList<>();
    List<Long> after = new ArrayList<>();
    List<Long> adt = new ArrayList<>();
    Map<String, Integer> outcomes = new TreeMap<>();
    int errors = 0;
    for (Booking b : bookings) {
      outcomes.merge(b.outcome(), 1, Integer::sum);
      Long siuAt = arrivals.arrival(b.siuControlId());
      if (!b.outcome().equals("202") || siuAt == null) {
        errors++;
        continue;
      }
      long latency = siuAt - b.sentNanos();
      total.add(latency);
      (b.newPatient() ? totalNew : totalKnown).add(latency);
      intake.add(b.answeredNanos() - b.sentNanos());
      after.add(siuAt - b.answeredNanos());
      Long adtAt = arrivals.arrival(b.adtControlId());
      if (adtAt != null) {
        adt.add(adtAt - b.sentNanos());
      }
    }
    System.out.printf(Locale.ROOT, "%-8s bookings=%d (new patients %d) errors=%d outcomes=%s%n", label, bookings.size(),
        bookings.stream().filter(Booking::newPatient).count(), errors, outcomes);
    row("POST -> SIU^S12 at the EHR (all)", total);
    row("  of which new patients", totalNew);
    row("  of which known patients", totalKnown);
    row("POST -> 202 (intake)", intake);
    row("202 -> SIU^S12 at the EHR", after);
    row("POST -> ADT^A04 at the EHR (new)", adt);
    if (wallNanos > 0) {
      double seconds = wallNanos / 1e9;
      System.out.printf(Locale.ROOT, "         throughput=%.1f bookings/s (%d in %.2f s, one booking at a time)%n",
          bookings.size() / seconds, bookings.size(), seconds);
    }
    System.out.println();
  }

  private static void row(String label, List<Long> nanos) {
    Stats s = new Stats(nanos.stream().mapToLong(Long::longValue).toArray());
    System.out.printf(Locale.ROOT, "  %-34s n=%-4d ms: p50=%s p90=%s p99=%s max=%s mean=%s min=%s%n", label, s.count(),
        Stats.fmt(s.percentileMs(50)), Stats.fmt(s.percentileMs(90)), Stats.fmt(s.percentileMs(99)),
        Stats.fmt(s.maxMs()), Stats.fmt(s.meanMs()), Stats.fmt(s.minMs()));
  }

  /** Exactly the expected messages, each once, each answered AA; nothing dead-lettered. */
  static boolean check(LocalStack stack, EhrSimulator ehr, List<Booking> bookings, int expectedTotal) {
    Map<String, String> expected = new LinkedHashMap<>();
    for (Booking b : bookings) {
      if (b.adtControlId() != null) {
        expected.put(b.adtControlId(), ADT);
      }
      expected.put(b.siuControlId(), SIU);
    }
    List<ReceivedMessage> received = ehr.received();
    Map<String, Integer> times = new HashMap<>();
    Map<String, Integer> byType = new TreeMap<>();
    int unexpected = 0;
    int wrongType = 0;
    int notAa = 0;
    for (ReceivedMessage m : received) {
      times.merge(m.controlId(), 1, Integer::sum);
      byType.merge(m.messageType(), 1, Integer::sum);
      String type = expected.get(m.controlId());
      if (type == null) {
        unexpected++;
      } else if (!type.equals(m.messageType())) {
        wrongType++;
      }
      if (m.answer() != Answer.AA) {
        notAa++;
      }
    }
    long missing = expected.keySet().stream().filter(id -> !times.containsKey(id)).count();
    long repeated = times.values().stream().filter(c -> c > 1).count();
    long newPatients = bookings.stream().filter(Booking::newPatient).count();
    System.out.printf(Locale.ROOT, "check    the EHR simulator received %d message(s) %s; expected %d = %d ADT^A04 (new patients)"
        + " + %d SIU^S12 (bookings)%n", received.size(), byType, expectedTotal, newPatients, bookings.size());
    System.out.printf(Locale.ROOT, "         missing %d, received more than once %d, unexpected %d, wrong type %d,"
        + " answered other than AA %d; connections %d%n", missing, repeated, unexpected, wrongType, notAa,
        ehr.connectionCount());
    long dead = 0;
    for (String queue : List.of("IntakeDeadLetterQueue", "ToEhrDeadLetterQueue", "ToEhrQueue", "IntakeQueue")) {
      String queueUrl = stack.queueUrl(queue);
      Map<String, String> attrs = stack.sqs().getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(
          QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
          QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributesAsStrings();
      long visible = Long.parseLong(attrs.getOrDefault("ApproximateNumberOfMessages", "0"));
      long inFlight = Long.parseLong(attrs.getOrDefault("ApproximateNumberOfMessagesNotVisible", "0"));
      System.out.printf(Locale.ROOT, "         %-22s %d waiting, %d in flight%n", queue, visible, inFlight);
      dead += visible + inFlight;
    }
    boolean ok = received.size() == expectedTotal && missing == 0 && repeated == 0 && unexpected == 0 && wrongType == 0
        && notAa == 0 && dead == 0 && bookings.stream().allMatch(b -> b.outcome().equals("202"));
    System.out.println(ok ? "         ok: every expected message exactly once, all AA, all queues empty"
        : "         NOT OK");
    return ok;
  }

}
