package io.telebridge.toehr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.telebridge.aws.lambda.HttpApiRequest;
import io.telebridge.aws.lambda.HttpApiResponse;
import io.telebridge.aws.lambda.LambdaJson;
import io.telebridge.aws.lambda.SqsBatchResponse;
import io.telebridge.aws.lambda.SqsEvent;
import io.telebridge.aws.lambda.SqsMessage;
import io.telebridge.core.error.TransientException;
import io.telebridge.core.intake.AcceptWebhook;
import io.telebridge.core.intake.EventQueue;
import io.telebridge.core.intake.IdempotencyStore;
import io.telebridge.core.intake.IntakeSettings;
import io.telebridge.core.intake.QueuedEvent;
import io.telebridge.core.toehr.EhrOutbox;
import io.telebridge.core.toehr.TranslateToEhr;
import io.telebridge.core.webhook.SigningSecrets;
import io.telebridge.core.webhook.WebhookSignature;
import io.telebridge.intake.IntakeHandler;
import io.telebridge.intake.IntakeHandlers;
import io.telebridge.intake.JsonSchemaEventValidator;
import io.telebridge.matching.MatchSettings;
import io.telebridge.matching.Nicknames;
import io.telebridge.matching.mpi.InMemoryIdentityStore;
import io.telebridge.matching.mpi.MatchingPatientResolver;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import tools.jackson.core.json.JsonWriteFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Fuzzes the intake handler with mutated samples of every event type in {@code events/} (odd code
 * points incl. U+FFFF, unpaired surrogates and C0 controls, huge strings, wrong types, missing and
 * unknown members, odd dates, offsets and zones, nested junk, broken bytes), signed correctly, and
 * sends every accepted one through the to-EHR translator in process (the generic EHR profile, the
 * matcher on an in-memory identity store, a to-EHR outbox that refuses what SQS refuses).
 *
 * <p>Properties: the intake answers only 202, 400, 409 or 413 (never 5xx: the intake queue here
 * refuses what SQS refuses, as the real one does); every 400 names its fields; every 202'd event
 * translates, or reaches the DLQ only for a documented reason that is not about its values
 * ({@code visit.*}: no EHR flow yet; a visit type or provider the tenant's EHR profile does not map).
 */
class IntakeFuzzTest {

  private static final Path EVENTS = Path.of(System.getProperty("telebridge.events.dir", "../events"));
  private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final String SECRET = "fuzz-secret";
  private static final JsonMapper RAW = JsonMapper.builder().build();
  private static final JsonMapper ESCAPED = JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Nicknames NICKNAMES = Nicknames.bundled();

  /** Reasons a 202'd event may still reach the DLQ: configuration and flows, not values. */
  private static final List<String> DOCUMENTED_DLQ_REASONS = List.of("has no EHR flow yet", "is not mapped in EHR profile");

  private static Map<String, JsonNode> samples;
  private static JsonNode registration;
  private static IntakeHandler intake;
  private static Hl7MessageFactory messages;
  private static final List<QueuedEvent> queued = new ArrayList<>();
  private static final Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
  private static final AtomicInteger serial = new AtomicInteger();

  @BeforeContainer
  static void setUp() throws IOException {
    Logger.getLogger("").setLevel(Level.SEVERE); // thousands of INFO lines help nobody here
    Map<String, JsonNode> s = new TreeMap<>();
    try (Stream<Path> files = Files.list(EVENTS)) {
      for (Path p : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
        s.put(p.getFileName().toString(), RAW.readTree(Files.readAllBytes(p)));
      }
    }
    s.put("edge/patient.registered.escaping.json",
        RAW.readTree(Files.readAllBytes(EVENTS.resolve("edge/patient.registered.escaping.json"))));
    samples = s;
    registration = s.get("patient.registered.json");
    intake = IntakeHandlers.of(new AcceptWebhook(new JsonSchemaEventValidator().prime(), new Idempotency(),
        new SqsLikeQueue(), () -> io.telebridge.core.webhook.TenantSecrets.of("demo-clinic", SigningSecrets.of(SECRET)), CLOCK,
        IntakeSettings.defaults()));
    messages = Hl7MessageFactory.load("generic-epic-like", "test", CLOCK);
  }

  @AfterContainer
  static void report() {
    System.out.println("IntakeFuzzTest outcomes: " + new TreeMap<>(outcomes));
    System.out.println("IntakeFuzzTest ms spent: " + new TreeMap<>(TIMES.entrySet().stream()
        .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> e.getValue() / 1_000_000))));
  }

  // ------------------------------------------------------------------ the property

  // A fixed seed keeps CI deterministic (tries: jqwik.tries.default in junit-platform.properties). To
  // explore further, drop the seed locally: a failure prints the sample, shrunk, and its own seed.
  @Property(shrinking = ShrinkingMode.BOUNDED, seed = "625107657540519246")
  void everyMutatedEventIsAnsweredWithoutA5xxAndEveryAcceptedOneTranslates(
      @ForAll("sampleNames") String sample, @ForAll("mutations") List<Mutation> mutations) {
    ObjectNode event = (ObjectNode) samples.get(sample).deepCopy();
    int n = serial.incrementAndGet();
    // a fresh id per try, so most tries reach the translator; one shared id makes replays and 409s
    event.put("id", n % 50 == 0 ? "fz-shared" : "fz-" + n);
    byte[] body = null;
    for (Mutation m : mutations) {
      if (m.kind() == Kind.RAW_BYTES) {
        body = rawBytes(body == null ? serialise(event, m.choice()) : body, m);
      } else if (body == null) {
        m.applyTo(event);
      }
    }
    if (body == null) {
      body = serialise(event, mutations.isEmpty() ? 0 : mutations.get(0).choice());
    }

    queued.clear();
    long t0 = System.nanoTime();
    HttpApiResponse response = LambdaJson.invoke(intake, signed(body));
    TIMES.merge("intake", System.nanoTime() - t0, Long::sum);
    int status = response.statusCode();
    count(sample + " " + status);
    if (status == 401) { // only when the body names another tenant than the one whose secret signed it
      assertTrue(response.body().contains("tenant-mismatch") && !"demo-clinic".equals(event.path("source").path("tenant").asString()),
          "401 for a body of the signing tenant: " + describe(sample, mutations) + ": " + response.body());
      return;
    }
    assertTrue(Set.of(202, 400, 409, 413).contains(status),
        "status " + status + " for " + describe(sample, mutations) + ": " + response.body());
    if (status == 400) {
      JsonNode problem = RAW.readTree(response.body());
      assertEquals("application/problem+json", response.headers().get("Content-Type"));
      assertTrue(problem.path("errors").isArray() && !problem.path("errors").isEmpty(), response.body());
      problem.path("errors").forEach(e -> assertTrue(e.path("pointer").isString(), response.body()));
      return;
    }
    if (status != 202 || queued.isEmpty()) {
      return; // 409, 413, or a replay: nothing new was queued
    }
    assertEquals(1, queued.size());
    long t1 = System.nanoTime();
    translateAccepted(queued.get(0), sample, mutations);
    TIMES.merge("translate", System.nanoTime() - t1, Long::sum);
  }

  /** Time spent in the intake handler and in the translation path, printed at the end (a figure, not an assert). */
  private static final Map<String, Long> TIMES = new ConcurrentHashMap<>();

  /** The to-EHR translator's handler on the queued body, after the platform registered the patient. */
  private static void translateAccepted(QueuedEvent accepted, String sample, List<Mutation> mutations) {
    String json = new String(accepted.body(), StandardCharsets.UTF_8);
    InMemoryIdentityStore store = new InMemoryIdentityStore();
    List<String> deadLettered = new ArrayList<>();
    List<String> sent = new ArrayList<>();
    EhrOutbox outbox = (group, eventId, message) -> {
      if (!SqsLikeQueue.carries(message.payload()) || utf8Length(message.payload()) > 256 * 1024
          || group.length() > 128) {
        throw new TransientException("the to-EHR queue refuses message " + message.controlId(), null);
      }
      sent.add(message.messageType());
    };
    TranslateToEhr translate = new TranslateToEhr(
        new MatchingPatientResolver(store, store.index(), NICKNAMES, MatchSettings.defaults(), messages.platformAuthority(),
            CLOCK), messages, outbox);
    ToEhrTranslatorHandler translator = new ToEhrTranslatorHandler(translate,
        (message, reason, errorClass) -> deadLettered.add(reason));

    // the API contract: a patient is registered before their other events (needed for one sent without demographics)
    if (RAW.readTree(json).path("patient").has("name")) {
      translateOne(translator, json, accepted, deadLettered, sent, sample, mutations);
      return;
    }
    ObjectNode register = (ObjectNode) registration.deepCopy();
    register.put("id", "reg-" + accepted.eventId());
    ((ObjectNode) register.get("patient")).put("id", accepted.groupId());
    ((ObjectNode) register.get("source")).put("tenant", accepted.tenant());
    SqsBatchResponse first = translator.handle(batch(RAW.writeValueAsString(register), accepted.groupId()), null);
    assertTrue(first.batchItemFailures().isEmpty() && deadLettered.isEmpty(), "registration " + deadLettered);

    sent.clear();
    translateOne(translator, json, accepted, deadLettered, sent, sample, mutations);
  }

  private static void translateOne(ToEhrTranslatorHandler translator, String json, QueuedEvent accepted,
      List<String> deadLettered, List<String> sent, String sample, List<Mutation> mutations) {
    SqsBatchResponse r = translator.handle(batch(json, accepted.groupId()), null);
    assertTrue(r.batchItemFailures().isEmpty(),
        "the translator failed (would retry, then DLQ) on " + describe(sample, mutations));
    for (String reason : deadLettered) {
      boolean documented = DOCUMENTED_DLQ_REASONS.stream().anyMatch(reason::contains);
      if (!documented) {
        fail("a 202'd event was dead-lettered: " + reason + " for " + describe(sample, mutations));
      }
      count("dlq " + (reason.contains("no EHR flow") ? "visit flow" : "profile mapping"));
    }
    if (deadLettered.isEmpty()) {
      count(sent.isEmpty() ? "translated: parked for review" : "translated");
    }
  }

  private static SqsEvent batch(String body, String group) {
    return SqsEvent.of(SqsMessage.of("m-" + serial.get(), body, Map.of("MessageGroupId", group)));
  }

  private static HttpApiRequest signed(byte[] body) {
    long ts = NOW.getEpochSecond();
    return HttpApiRequest.of("POST", "/v1/events", Map.of(
            "content-type", "application/json",
            "x-telebridge-timestamp", Long.toString(ts),
            "x-telebridge-signature", WebhookSignature.sign(SECRET, ts, body)), null)
        .withBase64Body(java.util.Base64.getEncoder().encodeToString(body));
  }

  private static byte[] serialise(JsonNode event, int choice) {
    // raw UTF-8 or every non-ASCII character escaped; a lone surrogate only survives escaped
    if (choice % 2 == 0) {
      try {
        return RAW.writeValueAsBytes(event);
      } catch (RuntimeException e) {
        // fall through
      }
    }
    return ESCAPED.writeValueAsBytes(event);
  }

  private static void count(String key) {
    outcomes.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
  }

  private static String describe(String sample, List<Mutation> mutations) {
    return sample + " with " + mutations;
  }

  private static int utf8Length(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  // ------------------------------------------------------------------ generators

  @Provide
  Arbitrary<String> sampleNames() {
    return Arbitraries.of(new ArrayList<>(samples.keySet()));
  }

  @Provide
  Arbitrary<List<Mutation>> mutations() {
    Arbitrary<Mutation> one = Combinators.combine(
            Arbitraries.of(Kind.values()), Arbitraries.integers().between(0, 10_000), Arbitraries.integers().between(0, 10_000))
        .as(Mutation::new);
    return one.list().ofMinSize(0).ofMaxSize(4);
  }

  enum Kind { ODD_CHARS, HUGE_STRING, WRONG_TYPE, REMOVE, ODD_DATE, ODD_ZONE, NESTED_JUNK, UNKNOWN_MEMBER, OTHER_VALUE, RAW_BYTES }

  static final String[] ODD_TEXT = {
    "\uFFFF", "\uFFFE", "\u0000", "\u0001", "\u0008", "\u000B", "\u001F", "\u007F", "\uD800", "\uDC00", "x\uDBFF",
    "\uD83D\uDE00", "\uFFFD", "\uE000", "\uDBFF\uDFFF", "\t", "\r\n", "\n", "|^~\\&", "\\X0D\\", "\\.br\\", "\u0301",
    "\u202E", "\u00A0", "\u2028", "ñ", "中文", " ", ""
  };

  static final String[] ODD_DATES = {
    "2025-11-20T14:30:00+19:00", "2025-11-20T14:30:00-19:00", "2025-11-20T14:30:00+14:00", "2025-11-20T14:30:00-14:01",
    "2025-11-20T14:30:00+14:30", "2025-11-20T14:30:00-12:00", "2025-11-20T14:30:00+05:60", "2025-11-20T23:59:60Z",
    "2025-02-30T10:00:00Z", "2025-13-01T10:00:00Z", "0000-01-01T00:00:00Z", "0001-01-01T00:00:00+01:00",
    "9999-12-31T23:59:59-14:00", "9998-12-31T23:59:59Z", "1799-12-31T23:59:59Z", "2025-11-20T14:30:00.123456789Z",
    "2025-11-20T14:30:00.1234567891Z", "2025-11-20t14:30:00z", "2025-11-20T14:30:00", "2025-11-20 14:30:00Z",
    "2025-11-20", "1984-07-19", "1984-02-29", "0000-00-00", "2026-12-08", "9999-12-31", "+10000-01-01T00:00:00Z"
  };

  static final String[] ODD_ZONES = {
    "Mars/Olympus_Mons", "America/New_Yorkk", "EST", "EST5EDT", "UTC", "Etc/GMT+14", "Etc/GMT-14", "+05:00", "UTC+05:00",
    "GMT", "Z", "America/Argentina/Buenos_Aires", "Pacific/Kiritimati", "US/Eastern", "Asia/Kolkata", "america/new_york"
  };

  static final String[] OTHER_VALUES = {
    "prov-999", "prov-502", "zz_unknown_type", "urgent_care", "behavioral_health", "1234567893", "1234567890",
    "phone", "video", "female", "other", "unknown", "ehr", "platform", "+442071838750", "617.555.0142", "12345-6789",
    "US", "apt-1", "pat-1002", "other-clinic", "visit.note_signed", "patient.updated", "a".repeat(128),
    "a".repeat(129), "|".repeat(500), "\\".repeat(500), "é".repeat(500), "\r\n".repeat(250)
  };

  /** One change to an event; {@code target} picks the place, {@code choice} the value. */
  record Mutation(Kind kind, int target, int choice) {

    void applyTo(ObjectNode event) {
      List<Slot> slots = new ArrayList<>();
      collect(event, null, null, -1, slots);
      if (slots.isEmpty()) {
        return;
      }
      List<Slot> strings = slots.stream().filter(s -> s.node().isString()).toList();
      Slot any = slots.get(target % slots.size());
      Slot string = strings.isEmpty() ? any : strings.get(target % strings.size());
      switch (kind) {
        case ODD_CHARS -> {
          String v = string.node().isString() ? string.node().stringValue() : "";
          String odd = ODD_TEXT[choice % ODD_TEXT.length];
          int at = v.isEmpty() ? 0 : choice % (v.length() + 1);
          string.replace(NODES.stringNode(v.substring(0, at) + odd + v.substring(at)));
        }
        case HUGE_STRING -> {
          String[] fill = {"a", "|", "é", "\uD83D\uDE00", "\\", "\n", "&"};
          int[] lengths = {129, 501, 4_000, 60_000, 130_000, 250_000};
          string.replace(NODES.stringNode(fill[choice % fill.length].repeat(lengths[(choice / 7) % lengths.length])));
        }
        case WRONG_TYPE -> {
          JsonNode[] values = {NODES.numberNode(0), NODES.numberNode(-1), NODES.numberNode(1e308), NODES.booleanNode(true),
            NODES.nullNode(), NODES.arrayNode(), NODES.objectNode(), NODES.stringNode(""), NODES.stringNode("null"),
            NODES.numberNode(new java.math.BigDecimal("1e400"))};
          any.replace(values[choice % values.length]);
        }
        case REMOVE -> any.remove();
        case ODD_DATE -> {
          List<Slot> dates = strings.stream().filter(s -> s.key() != null && Set.of("occurredAt", "start", "end",
              "registeredAt", "updatedAt", "signedAt", "birthDate", "serviceDate").contains(s.key())).toList();
          Slot where = dates.isEmpty() ? string : dates.get(target % dates.size());
          where.replace(NODES.stringNode(ODD_DATES[choice % ODD_DATES.length]));
        }
        case ODD_ZONE -> {
          Slot where = strings.stream().filter(s -> "timeZone".equals(s.key())).findFirst().orElse(string);
          where.replace(NODES.stringNode(ODD_ZONES[choice % ODD_ZONES.length]));
        }
        case NESTED_JUNK -> {
          JsonNode junk = NODES.stringNode("x");
          for (int i = 0; i < choice % 64; i++) {
            junk = i % 2 == 0 ? NODES.arrayNode().add(junk) : NODES.objectNode().set("k" + i, junk);
          }
          any.replace(junk);
        }
        case UNKNOWN_MEMBER -> {
          List<Slot> objects = slots.stream().filter(s -> s.node().isObject()).toList();
          ObjectNode into = objects.isEmpty() ? event : (ObjectNode) objects.get(target % objects.size()).node();
          into.put("extra" + ODD_TEXT[choice % ODD_TEXT.length], "junk");
        }
        case OTHER_VALUE -> string.replace(NODES.stringNode(OTHER_VALUES[choice % OTHER_VALUES.length]));
        case RAW_BYTES -> { } // applied to the serialised body
      }
    }
  }

  /** Byte-level damage: invalid UTF-8, CESU-8 surrogates, a BOM, truncation, raw U+FFFF. */
  static byte[] rawBytes(byte[] body, Mutation m) {
    byte[][] inserts = {{(byte) 0xFF}, {(byte) 0xC0, (byte) 0x80}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
      {(byte) 0xEF, (byte) 0xBF, (byte) 0xBF}, {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, {0}, {(byte) 0x80}};
    int at = body.length == 0 ? 0 : m.target() % body.length;
    if (m.choice() % 8 == 7) {
      return Arrays.copyOf(body, at); // truncated
    }
    if (m.choice() % 8 == 6) {
      // inside the first string value, where a raw character is legal JSON
      int quote = new String(body, StandardCharsets.ISO_8859_1).indexOf("\":\"");
      at = quote < 0 ? at : quote + 3;
    }
    byte[] insert = inserts[m.choice() % inserts.length];
    byte[] out = new byte[body.length + insert.length];
    System.arraycopy(body, 0, out, 0, at);
    System.arraycopy(insert, 0, out, at, insert.length);
    System.arraycopy(body, at, out, at + insert.length, body.length - at);
    return out;
  }

  /** A place in the tree: the node and how to replace or remove it in its parent. */
  record Slot(JsonNode node, JsonNode parent, String key, int index) {

    void replace(JsonNode value) {
      if (parent instanceof ObjectNode o) {
        o.set(key, value);
      } else if (parent instanceof ArrayNode a) {
        a.set(index, value);
      }
    }

    void remove() {
      if (parent instanceof ObjectNode o) {
        o.remove(key);
      } else if (parent instanceof ArrayNode a) {
        a.remove(index);
      }
    }
  }

  private static void collect(JsonNode node, JsonNode parent, String key, int index, List<Slot> out) {
    if (parent != null) {
      out.add(new Slot(node, parent, key, index));
    }
    if (node.isObject()) {
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        collect(e.getValue(), node, e.getKey(), -1, out);
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        collect(node.get(i), node, null, i, out);
      }
    }
  }

  // ------------------------------------------------------------------ in-memory ports

  /** The intake queue: refuses what SQS refuses (characters outside its set, more than 256 KiB), as SQS does. */
  static final class SqsLikeQueue implements EventQueue {

    /** SQS message body characters: #x9 | #xA | #xD | #x20-#xD7FF | #xE000-#xFFFD | #x10000-#x10FFFF (the test's own oracle). */
    static boolean carries(String text) {
      return text.codePoints().allMatch(cp -> cp == 0x9 || cp == 0xA || cp == 0xD
          || (cp >= 0x20 && cp <= 0xD7FF) || (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF));
    }

    @Override
    public String enqueue(QueuedEvent event) {
      String body = new String(event.body(), StandardCharsets.UTF_8); // what SqsEventQueue sends
      if (!carries(body) || utf8Length(body) > 256 * 1024) {
        throw new TransientException("SQS SendMessage failed (InvalidMessageContents)", null);
      }
      queued.add(event);
      return "msg-" + serial.get();
    }
  }

  /** The idempotency port with the DynamoDB adapter's claim rules, in a map. */
  static final class Idempotency implements IdempotencyStore {
    private final Map<String, String[]> entries = new LinkedHashMap<>(); // key -> {status, hash, token}

    @Override
    public synchronized Claim claim(String key, String bodyHash, Instant now) {
      String[] e = entries.get(key);
      if (e != null && e[0].equals("COMPLETED")) {
        return new Claim.Completed(e[1]);
      }
      String token = "t-" + serial.get();
      entries.put(key, new String[] {"IN_PROGRESS", bodyHash, token});
      return new Claim.Claimed(token);
    }

    @Override
    public synchronized void complete(String key, String token, String messageId, Instant now) {
      String[] e = entries.get(key);
      if (e != null && e[2].equals(token)) {
        entries.put(key, new String[] {"COMPLETED", e[1], token});
      }
    }

    @Override
    public synchronized void release(String key, String token) {
      String[] e = entries.get(key);
      if (e != null && e[2].equals(token) && e[0].equals("IN_PROGRESS")) {
        entries.remove(key);
      }
    }
  }
}
