package io.telebridge.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.telebridge.aws.DynamoDbCandidateIndex;
import io.telebridge.aws.DynamoDbIdentityStore;
import io.telebridge.core.identity.CrossReference;
import io.telebridge.local.LocalStack;
import io.telebridge.local.LocalStackOptions;
import io.telebridge.matching.BlockingKeys;
import io.telebridge.matching.Decision;
import io.telebridge.matching.InMemoryCandidateIndex;
import io.telebridge.matching.MatchResult;
import io.telebridge.matching.Nicknames;
import io.telebridge.matching.NormalizedPerson;
import io.telebridge.matching.PatientMatcher;
import io.telebridge.matching.bench.BenchRecord;
import io.telebridge.matching.bench.UsPopulationGenerator;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

/** The matcher's DynamoDB candidate index on the identity table, against moto, beside the in-memory index. */
class DynamoDbCandidateIndexIT {

  private static LocalStack stack;
  private static DynamoDbCandidateIndex index;
  private static String table;

  @BeforeAll
  static void start() throws IOException {
    stack = LocalStack.start(LocalStackOptions.forTests(Signed.REPO.resolve("template.yaml")).runFunctions(false));
    table = stack.tableName("IdentityTable");
    index = new DynamoDbCandidateIndex(stack.adapterDynamoDb(), table);
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  private static NormalizedPerson person(String recordId, String given, String surname, String dob) {
    return new NormalizedPerson(recordId, given, given, List.of("q"), surname, List.of(surname), null, dob, null,
        List.of("+15555550100"), "x@example.org", "12", null, "main st", null, "springfield", "il", "62701", "1234", null);
  }

  @Test
  void makesTheSameDecisionsAsTheInMemoryIndexOnGeneratedUsRecords() {
    List<BenchRecord> records = UsPopulationGenerator.records(50, 4242L); // small: moto scans the table on every Query
    InMemoryCandidateIndex memory = new InMemoryCandidateIndex();
    PatientMatcher inMemory = new PatientMatcher(memory);
    PatientMatcher dynamo = new PatientMatcher(index);
    Map<Decision, Integer> counts = new EnumMap<>(Decision.class);
    int next = 0;
    for (BenchRecord r : records) {
      NormalizedPerson p = inMemory.normalize(r.toInput(true));
      MatchResult a = inMemory.match(p);
      MatchResult b = dynamo.match(p);
      assertEquals(a.decision(), b.decision(), () -> "decision for " + r.recId());
      assertEquals(a.score(), b.score(), 1e-9, () -> "score for " + r.recId());
      if (!a.reason().startsWith("ruled_out_")) { // which guard is named among equal scores depends on key order
        assertEquals(a.reason(), b.reason(), () -> "reason for " + r.recId());
      }
      assertEquals(candidates(a), candidates(b), () -> "candidates for " + r.recId());
      counts.merge(a.decision(), 1, Integer::sum);
      String patientId = switch (a.decision()) {
        case LINK -> {
          assertEquals(a.patientId(), b.patientId(), () -> "linked patient for " + r.recId());
          yield a.patientId();
        }
        case NEW -> "GEN-" + (++next);
        case REVIEW -> null; // parked: nothing filed
      };
      if (patientId != null) {
        inMemory.file(patientId, p);
        dynamo.file(patientId, p);
      }
    }
    assertTrue(records.size() >= 70, "records: " + records.size());
    assertTrue(counts.getOrDefault(Decision.LINK, 0) > 20 && counts.getOrDefault(Decision.NEW, 0) > 20,
        "decisions: " + counts);
    // the stored records round-trip field for field (DynamoDB returns them in sort-key order)
    assertEquals(byRecordId(memory.records("GEN-1")), byRecordId(index.records("GEN-1")));
    assertEquals(byRecordId(memory.records("GEN-" + next)), byRecordId(index.records("GEN-" + next)));
  }

  private static List<io.telebridge.matching.NormalizedPerson> byRecordId(
      java.util.Collection<io.telebridge.matching.NormalizedPerson> records) {
    return records.stream()
        .sorted(java.util.Comparator.comparing(io.telebridge.matching.NormalizedPerson::recordId))
        .toList();
  }

  private static Set<String> candidates(MatchResult r) {
    Set<String> out = new java.util.TreeSet<>();
    r.candidates().forEach(c -> out.add(c.patientId() + "=" + c.score()));
    return out;
  }

  @Test
  void lookupReturnsAtMostLimitPlusOnePatients() {
    for (int i = 0; i < 7; i++) {
      index.file("LIM-" + i, person("lim-r" + i, "ann", "limit", "19800101"), Set.of("it-limit-key"));
    }
    assertEquals(3, index.lookup("it-limit-key", 2).size());
    assertEquals(7, index.lookup("it-limit-key", 6).size());
    assertEquals(7, index.lookup("it-limit-key", 200).size());
    assertEquals(Set.of("LIM-0", "LIM-1", "LIM-2", "LIM-3", "LIM-4", "LIM-5", "LIM-6"),
        Set.copyOf(index.lookup("it-limit-key", 200)));
    assertEquals(List.of(), index.lookup("it-no-such-key", 200));
  }

  @Test
  void reFilingTheSameRecordChangesNothing() {
    NormalizedPerson p = person("idem-r1", "bob", "idem", "19700202");
    index.file("IDEM-1", p, Set.of("it-idem-a", "it-idem-b"));
    index.file("IDEM-1", p, Set.of("it-idem-a", "it-idem-b"));
    assertEquals(List.of(p), index.records("IDEM-1"));
    assertEquals(List.of("IDEM-1"), index.lookup("it-idem-a", 10));
    // a second record for the same patient is added beside the first
    NormalizedPerson q = person("idem-r2", "robert", "idem", "19700202");
    index.file("IDEM-1", q, Set.of("it-idem-a", "it-idem-c"));
    assertEquals(2, index.records("IDEM-1").size());
    assertEquals(List.of("IDEM-1"), index.lookup("it-idem-a", 10));
    assertEquals(List.of("IDEM-1"), index.lookup("it-idem-c", 10));
  }

  @Test
  void aRetryAfterAPartialWriteCompletesTheState() {
    // a crash in the batch path left one key entry but no record: the retry writes the rest
    stack.dynamoDb().putItem(PutItemRequest.builder().tableName(table).item(Map.of(
        "pk", AttributeValue.fromS("BLOCK#it-crash-a"), "sk", AttributeValue.fromS("PAT#CRASH-1"),
        "pid", AttributeValue.fromS("CRASH-1"))).build());
    NormalizedPerson p = person("crash-r1", "cy", "crash", "19600303");
    index.file("CRASH-1", p, Set.of("it-crash-a", "it-crash-b"));
    assertEquals(List.of(p), index.records("CRASH-1"));
    assertEquals(List.of("CRASH-1"), index.lookup("it-crash-a", 10));
    assertEquals(List.of("CRASH-1"), index.lookup("it-crash-b", 10));
  }

  @Test
  void moreKeysThanOneTransactionHoldsGoThroughBatches() {
    Set<String> keys = new LinkedHashSet<>();
    IntStream.range(0, 130).forEach(i -> keys.add("it-many-" + i));
    NormalizedPerson p = person("many-r1", "dee", "many", "19500404");
    index.file("MANY-1", p, keys);
    index.file("MANY-1", p, keys);
    assertEquals(List.of(p), index.records("MANY-1"));
    for (String k : keys) {
      assertEquals(List.of("MANY-1"), index.lookup(k, 5), k);
    }
  }

  @Test
  void bulkLoadWritesEveryRecordAndKey() {
    Nicknames nicknames = Nicknames.bundled();
    List<DynamoDbCandidateIndex.Filing> filings = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      NormalizedPerson p = person("bulk-r" + i, "eve" + i, "bulkload", "1990010" + (i % 9 + 1));
      filings.add(new DynamoDbCandidateIndex.Filing("BULK-" + i, p, BlockingKeys.of(p, nicknames)));
    }
    long items = index.bulkLoad(filings);
    assertEquals(filings.stream().mapToLong(f -> 1 + f.keys().size()).sum(), items);
    for (DynamoDbCandidateIndex.Filing f : filings) {
      assertEquals(List.of(f.record()), index.records(f.patientId()));
      for (String k : f.keys()) {
        assertTrue(index.lookup(k, 200).contains(f.patientId()), "key entry");
      }
    }
  }

  @Test
  void leavesTheCrossReferencesAlone() {
    DynamoDbIdentityStore identities = new DynamoDbIdentityStore(stack.adapterDynamoDb(), table);
    CrossReference xref = CrossReference.linked("it-tenant", "pat-x1", "person-x1", "evt-x1",
        Instant.parse("2026-11-25T16:00:00Z"));
    identities.saveXref(xref);
    index.file("pat-x1", person("x-r1", "fay", "xref", "19850505"), Set.of("it-xref-key"));
    index.file("it-tenant#pat-x1", person("x-r2", "fay", "xref", "19850505"), Set.of("it-xref-key"));
    assertEquals(xref, identities.xref("it-tenant", "pat-x1").orElseThrow());
    assertEquals(Set.of("pat-x1", "it-tenant#pat-x1"), Set.copyOf(index.lookup("it-xref-key", 10)));
    assertEquals(List.of(), index.records("PLATFORM#it-tenant#pat-x1"));
  }
}
