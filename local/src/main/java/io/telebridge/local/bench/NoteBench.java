package io.telebridge.local.bench;

import io.telebridge.hl7v2.ControlIds;
import io.telebridge.local.LocalStack;
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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Note → ACK: a signed {@code visit.note_signed} of a given size, end to end, on an in-process local stack
 * with the MLLP bridge and the EHR simulator: POST → 202 → intake queue (inline, or through the S3 claim
 * check above 240 KiB) → translator (MDM^T02; through the claim check again when the MDM is larger than a
 * queue message) → to-EHR queue → bridge → MLLP → the simulator's AA. One known patient (registered
 * first), notes sent one after another; each is timed from the POST to the moment the simulator has
 * recorded its MDM^T02 (answered AA). Prints p50/p90/p99/max per size; asserts nothing about time.
 * Exit 1 when a note was not answered 202, its MDM did not arrive, or arrived other than once with AA.
 *
 * <pre>
 *   ./tb bench note [--sizes 2048,204800,2000000] [--count 30] [--warmup 5] [--timeout 120]
 * </pre>
 *
 * The note text is paragraphs of about 1,000 characters (one TX OBX each) up to the size; the body is
 * the sample {@code events/visit.note_signed.json} with that content.
 */
public final class NoteBench {

  static final String USAGE = """
      Usage: ./tb bench note [--sizes 2048,204800,2000000] [--count 30] [--warmup 5] [--timeout 120]
        --sizes A,B,..  note text sizes in bytes, each measured in turn
        --count N       measured notes per size (sequential: the next is sent once the previous MDM^T02 arrived)
        --warmup N      notes per size sent first and reported apart
        --timeout S     seconds to wait for one note's MDM^T02 before counting it lost
      """;

  static final String MDM = "MDM^T02";

  private NoteBench() {}

  public static void main(String[] argv) throws Exception {
    BenchArgs.main("note", argv, NoteBench::run);
  }

  record Note(int size, String eventId, String controlId, long sentNanos, long answeredNanos, String outcome) {}

  /** Paragraphs of ~1,000 characters up to {@code bytes}, as a JSON string's content (LF escaped). */
  static String noteJson(int bytes) {
    StringBuilder text = new StringBuilder(bytes + 1_100);
    String filler = "Synthetic benchmark note text, nothing clinical in it. ";
    for (int p = 1; text.length() < bytes; p++) {
      int start = text.length();
      text.append("Paragraph ").append(p).append(": ");
      while (text.length() - start < Math.min(1_000, bytes)) {
        text.append(filler);
      }
      text.append("\\n");
    }
    return text.toString();
  }

  private static void run(String[] argv) throws Exception {
    BenchArgs args = new BenchArgs(argv);
    if (args.flag("--help") || args.flag("-h")) {
      System.out.print(USAGE);
      return;
    }
    List<Integer> sizes = new ArrayList<>();
    for (String s : args.option("--sizes", "2048,204800,2000000").split(",")) {
      sizes.add(Integer.parseInt(s.trim()));
    }
    int count = args.intOption("--count", 30);
    int warmup = args.intOption("--warmup", 5);
    int timeoutSeconds = args.intOption("--timeout", 120);
    args.done(USAGE);
    if (count < 1 || warmup < 0 || timeoutSeconds < 1 || sizes.stream().anyMatch(s -> s < 1)) {
      throw new IllegalArgumentException("--count >= 1, --warmup >= 0, --timeout >= 1, sizes >= 1");
    }
    Path root = BenchArgs.repoRoot();
    String noteSample = Files.readString(root.resolve("events/visit.note_signed.json"), StandardCharsets.UTF_8);
    String registration = Files.readString(root.resolve("events/patient.registered.json"), StandardCharsets.UTF_8);
    String sampleContent = noteSample.replaceAll("(?s).*\"content\": (\"[^\"]*\").*", "$1");
    String tenant = "demo-clinic";
    String patient = "pat-note-bench";

    long t = System.nanoTime();
    int code;
    try (LocalStack stack = BenchArgs.start(BenchArgs.bridgeStack())) {
      EhrSimulator ehr = stack.ehrSimulator();
      URI url = stack.apiUrl("/v1/events");
      System.out.printf(Locale.ROOT, "in-process local stack with the MLLP bridge and the EHR simulator up in %d ms%n",
          (System.nanoTime() - t) / 1_000_000);
      System.out.printf(Locale.ROOT, "path     %s -> IntakeFunction (S3 claim check above 240 KiB) -> IntakeQueue -> "
          + "ToEhrTranslatorFunction (MDM^T02; S3 claim check above 256,000 B) -> ToEhrQueue -> MLLP bridge -> EHR simulator%n",
          url);
      System.out.printf(Locale.ROOT, "notes    sizes %s bytes of text; %d warm-up + %d measured per size, sequential, one known"
          + " patient%n", sizes, warmup, count);
      System.out.printf(Locale.ROOT, "jvm      %s %s, %d cpu(s)%n%n", System.getProperty("java.vm.name"),
          System.getProperty("java.runtime.version"), Runtime.getRuntime().availableProcessors());

      BookingBench.Arrivals arrivals = new BookingBench.Arrivals(ehr);
      Thread watcher = Thread.ofPlatform().daemon().name("bench-ehr-watcher").start(arrivals);
      List<Note> all = new ArrayList<>();
      try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5)).build()) {
        String reg = registration.replace("\"pat-1001\"", "\"" + patient + "\"")
            .replaceFirst("\"id\": \"[^\"]+\"", "\"id\": \"evt-note-bench-reg\"");
        String adt = ControlIds.of(tenant, "evt-note-bench-reg", "ADT^A04");
        String regOutcome = post(http, url, stack.devSigningSecret(), reg.getBytes(StandardCharsets.UTF_8));
        if (!regOutcome.equals("202") || arrivals.await(adt, System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds)) == null) {
          throw new IllegalStateException("the registration did not reach the EHR: " + regOutcome);
        }
        int n = 0;
        for (int size : sizes) {
          String content = "\"" + noteJson(size) + "\"";
          List<Note> notes = new ArrayList<>();
          for (int i = 0; i < warmup + count; i++, n++) {
            String eventId = "evt-note-bench-" + n;
            byte[] body = noteSample.replaceFirst("\"id\": \"[^\"]+\"", "\"id\": \"" + eventId + "\"")
                .replace("\"pat-1001\"", "\"" + patient + "\"")
                .replace("\"content\": " + sampleContent, "\"content\": " + content)
                .getBytes(StandardCharsets.UTF_8);
            notes.add(send(http, url, stack.devSigningSecret(), tenant, size, eventId, body, arrivals, timeoutSeconds));
          }
          all.addAll(notes);
          if (warmup > 0) {
            print("warm-up", size, notes.subList(0, warmup), arrivals);
          }
          print("measured", size, notes.subList(warmup, notes.size()), arrivals);
        }
      }
      Thread.sleep(2_000);
      arrivals.stop();
      watcher.join(2_000);
      code = check(ehr, all) ? 0 : 1;
    }
    System.exit(code);
  }

  private static String post(HttpClient http, URI url, String secret, byte[] body) throws InterruptedException {
    HttpRequest request = io.telebridge.local.SignedPost.of(url, secret, body, Duration.ofSeconds(60));
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      return Integer.toString(response.statusCode());
    } catch (IOException e) {
      return e.getClass().getSimpleName();
    }
  }

  private static Note send(HttpClient http, URI url, String secret, String tenant, int size, String eventId, byte[] body,
      BookingBench.Arrivals arrivals, int timeoutSeconds) throws InterruptedException {
    String controlId = ControlIds.of(tenant, eventId, MDM);
    long sent = System.nanoTime();
    String outcome = post(http, url, secret, body);
    long answered = System.nanoTime();
    if (outcome.equals("202") && arrivals.await(controlId, sent + TimeUnit.SECONDS.toNanos(timeoutSeconds)) == null) {
      outcome = "202-no-MDM-in-" + timeoutSeconds + "s";
    }
    return new Note(size, eventId, controlId, sent, answered, outcome);
  }

  static void print(String label, int size, List<Note> notes, BookingBench.Arrivals arrivals) {
    List<Long> total = new ArrayList<>();
    List<Long> intake = new ArrayList<>();
    Map<String, Integer> outcomes = new TreeMap<>();
    for (Note n : notes) {
      outcomes.merge(n.outcome(), 1, Integer::sum);
      Long at = arrivals.arrival(n.controlId());
      if (n.outcome().equals("202") && at != null) {
        total.add(at - n.sentNanos());
        intake.add(n.answeredNanos() - n.sentNanos());
      }
    }
    System.out.printf(Locale.ROOT, "%-8s note of %,d bytes: notes=%d outcomes=%s%n", label, size, notes.size(), outcomes);
    row("POST -> MDM^T02 at the EHR (AA)", total);
    row("POST -> 202 (intake)", intake);
    System.out.println();
  }

  private static void row(String label, List<Long> nanos) {
    Stats s = new Stats(nanos.stream().mapToLong(Long::longValue).toArray());
    System.out.printf(Locale.ROOT, "  %-32s n=%-4d ms: p50=%s p90=%s p99=%s max=%s mean=%s min=%s%n", label, s.count(),
        Stats.fmt(s.percentileMs(50)), Stats.fmt(s.percentileMs(90)), Stats.fmt(s.percentileMs(99)),
        Stats.fmt(s.maxMs()), Stats.fmt(s.meanMs()), Stats.fmt(s.minMs()));
  }

  /** Every note's MDM^T02 exactly once, answered AA. */
  static boolean check(EhrSimulator ehr, List<Note> notes) {
    Map<String, Integer> times = new TreeMap<>();
    int notAa = 0;
    for (ReceivedMessage m : ehr.received()) {
      if (m.messageType().equals(MDM)) {
        times.merge(m.controlId(), 1, Integer::sum);
        if (m.answer() != Answer.AA) {
          notAa++;
        }
      }
    }
    long missing = notes.stream().filter(n -> !times.containsKey(n.controlId())).count();
    long repeated = times.values().stream().filter(c -> c > 1).count();
    boolean ok = missing == 0 && repeated == 0 && notAa == 0 && notes.stream().allMatch(n -> n.outcome().equals("202"));
    System.out.printf(Locale.ROOT, "check    %d notes: MDM^T02 missing %d, received more than once %d, answered other than AA %d: %s%n",
        notes.size(), missing, repeated, notAa, ok ? "ok" : "NOT OK");
    return ok;
  }
}
