package io.telebridge.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.telebridge.aws.DynamoDbIdempotencyStore;
import io.telebridge.core.intake.IdempotencyStore.Claim;
import io.telebridge.local.LocalStack;
import io.telebridge.local.LocalStackOptions;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The idempotency adapter's conditional writes against moto's DynamoDB, with the clock moved by hand. */
class DynamoDbIdempotencyStoreIT {

  private static final Instant T0 = Instant.parse("2026-11-25T15:00:00Z");
  private static LocalStack stack;
  private static DynamoDbIdempotencyStore store;

  @BeforeAll
  static void start() throws IOException {
    stack = LocalStack.start(LocalStackOptions.forTests(Signed.REPO.resolve("template.yaml")));
    store = new DynamoDbIdempotencyStore(stack.adapterDynamoDb(), stack.tableName("IdempotencyTable"),
        Duration.ofSeconds(30), Duration.ofDays(7));
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void remembersACompletedKeyHoursLaterAndForgetsItAfterTheRetention() {
    Claim.Claimed first = assertInstanceOf(Claim.Claimed.class, store.claim("t/evt-a", "h1", T0));
    store.complete("t/evt-a", first.token(), "m-1", T0);

    assertEquals(new Claim.Completed("h1"), store.claim("t/evt-a", "h1", T0.plus(Duration.ofHours(6))));
    assertEquals(new Claim.Completed("h1"), store.claim("t/evt-a", "h1", T0.plus(Duration.ofDays(6))));
    // TTL deletion lags in DynamoDB (and never happens in moto): the condition itself treats it as gone
    assertInstanceOf(Claim.Claimed.class, store.claim("t/evt-a", "h1", T0.plus(Duration.ofDays(8))));
  }

  /** The MLLP bridge's sent ledger shares this table under its own key prefix (sent|tenant|MSH-10). */
  @Test
  void theSentLedgerRemembersAnAcceptedMsh10PerTenantForItsRetentionBesideTheIntakesKeys() {
    java.util.concurrent.atomic.AtomicReference<Instant> now = new java.util.concurrent.atomic.AtomicReference<>(T0);
    java.time.Clock clock = new java.time.Clock() {
      @Override
      public java.time.ZoneId getZone() {
        return java.time.ZoneOffset.UTC;
      }

      @Override
      public java.time.Clock withZone(java.time.ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return now.get();
      }
    };
    var ledger = new io.telebridge.mllp.DynamoDbSentLedger(stack.adapterDynamoDb(), stack.tableName("IdempotencyTable"), clock);
    assertInstanceOf(Claim.Claimed.class, store.claim("t/CTL-L1", "h", T0)); // an intake key that looks alike
    assertEquals(false, ledger.accepted("t", "CTL-L1"));
    ledger.recordAccepted("t", "CTL-L1");
    ledger.recordAccepted("t", "CTL-L1"); // again (a replay's AA): no error, the first stands
    assertEquals(true, ledger.accepted("t", "CTL-L1"));
    assertEquals(false, ledger.accepted("u", "CTL-L1"), "another tenant's MSH-10 is another key");
    now.set(T0.plus(Duration.ofDays(6)));
    assertEquals(true, ledger.accepted("t", "CTL-L1"));
    now.set(T0.plus(Duration.ofDays(8))); // past the retention; TTL deletion lags (never happens in moto)
    assertEquals(false, ledger.accepted("t", "CTL-L1"));
    ledger.recordAccepted("t", "CTL-L1"); // the expired item is replaced
    assertEquals(true, ledger.accepted("t", "CTL-L1"));
  }

  @Test
  void blocksAConcurrentClaimUntilTheLeaseLapses() {
    assertInstanceOf(Claim.Claimed.class, store.claim("t/evt-b", "h", T0));
    assertEquals(new Claim.InProgress(T0.plusSeconds(30)), store.claim("t/evt-b", "h", T0.plusSeconds(10)));
    assertInstanceOf(Claim.Claimed.class, store.claim("t/evt-b", "h", T0.plusSeconds(31)));
  }

  @Test
  void aReleasedClaimCanBeTakenAtOnce() {
    Claim.Claimed mine = assertInstanceOf(Claim.Claimed.class, store.claim("t/evt-c", "h", T0));
    store.release("t/evt-c", mine.token());
    assertInstanceOf(Claim.Claimed.class, store.claim("t/evt-c", "h", T0.plusSeconds(1)));
  }

  @Test
  void aStaleTokenCannotCompleteSomeoneElsesClaim() {
    Claim.Claimed old = assertInstanceOf(Claim.Claimed.class, store.claim("t/evt-d", "h", T0));
    Claim.Claimed current = assertInstanceOf(Claim.Claimed.class, store.claim("t/evt-d", "h", T0.plusSeconds(40)));
    store.complete("t/evt-d", old.token(), "m-old", T0.plusSeconds(41));
    assertEquals(new Claim.InProgress(T0.plusSeconds(70)), store.claim("t/evt-d", "h", T0.plusSeconds(42)));
    store.complete("t/evt-d", current.token(), "m-new", T0.plusSeconds(43));
    assertEquals(new Claim.Completed("h"), store.claim("t/evt-d", "h", T0.plusSeconds(44)));
  }

  @Test
  void exactlyOneOfManyConcurrentClaimsWins() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<Claim>> tries = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        tries.add(() -> store.claim("t/evt-e", "h", T0));
      }
      long winners = 0;
      for (Future<Claim> f : pool.invokeAll(tries)) {
        if (f.get() instanceof Claim.Claimed) {
          winners++;
        }
      }
      assertEquals(1, winners);
    } finally {
      pool.shutdown();
    }
  }
}
