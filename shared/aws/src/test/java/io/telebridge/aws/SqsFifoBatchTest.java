package io.telebridge.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import io.telebridge.aws.lambda.SqsBatchResponse;
import io.telebridge.aws.lambda.SqsEvent;
import io.telebridge.aws.lambda.SqsMessage;
import io.telebridge.aws.SqsFifoBatch.Outcome;
import io.telebridge.core.error.RejectedException;
import io.telebridge.core.error.TransientException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageResponse;

/** The FIFO batch loop with in-memory ports: per-group order, per-group failure, time, DLQ mapping. */
class SqsFifoBatchTest {

  private final List<String> attempted = new ArrayList<>();
  private final List<String> deadLettered = new ArrayList<>();
  private final Map<String, Duration> visibility = new LinkedHashMap<>();
  private final Set<String> failing = new HashSet<>();
  private final Set<String> refused = new HashSet<>();

  private SqsFifoBatch batch(Duration budget) {
    return new SqsFifoBatch((m, reason, errorClass) -> deadLettered.add(m.messageId()), visibility::put, budget);
  }

  private Outcome step(SqsMessage m) {
    attempted.add(m.messageId());
    if (failing.contains(m.messageId())) {
      throw new TransientException("table down", null);
    }
    if (refused.contains(m.messageId())) {
      throw new RejectedException("unsupported message type");
    }
    return Outcome.done();
  }

  private static SqsMessage record(String id, String group) {
    return SqsMessage.of(id, "{}", Map.of("MessageGroupId", group)).withReceiptHandle("rh-" + id);
  }

  /** The batch of {@code records} through {@code batch}: the message ids it reports failed, in order. */
  private static List<String> failedIds(SqsFifoBatch batch, Context context, SqsFifoBatch.Step step,
      SqsMessage... records) {
    SqsEvent event = new SqsEvent(List.of(records));
    SqsBatchResponse response = batch.process(event, context, step);
    return response.batchItemFailures();
  }

  @Test
  void aFailureInOneGroupDoesNotReportAnotherGroupsMessagesAsFailed() {
    failing.add("a1");
    List<String> failed = failedIds(batch(Duration.ZERO), null, this::step, record("a1", "A"), record("b1", "B"),
        record("a2", "A"), record("b2", "B"));
    assertEquals(List.of("a1", "a2"), failed, "only group A: its failed record and the one after it");
    assertEquals(List.of("a1", "b1", "b2"), attempted, "group B goes on; a2 is not attempted behind a1");
    assertEquals(Duration.ZERO, visibility.get("rh-a2"), "the unattempted record is handed back at once");
    assertTrue(!visibility.containsKey("rh-b1") && !visibility.containsKey("rh-b2"));
  }

  @Test
  void recordsOfAGroupAreHandledInTheBatchOrder() {
    List<String> failed = failedIds(batch(Duration.ZERO), null, this::step, record("a1", "A"), record("b1", "B"),
        record("a2", "A"), record("a3", "A"), record("b2", "B"));
    assertTrue(failed.isEmpty());
    Map<Character, List<String>> byGroup = attempted.stream().collect(Collectors.groupingBy(id -> id.charAt(0)));
    assertEquals(List.of("a1", "a2", "a3"), byGroup.get('a'));
    assertEquals(List.of("b1", "b2"), byGroup.get('b'));
  }

  @Test
  void aRecordIsNotStartedWithoutTimeForOneAttemptAndNeitherAreTheRest() {
    TimeLeft context = new TimeLeft(20_000);
    List<String> failed = failedIds(batch(Duration.ofSeconds(15)), context, m -> {
      context.millis -= 10_000; // each attempt takes 10 s
      return step(m);
    }, record("a1", "A"), record("b1", "B"), record("c1", "C"));
    assertEquals(List.of("a1"), attempted, "after a1 only 10 s are left, less than one attempt's 15 s");
    assertEquals(List.of("b1", "c1"), failed);
    assertEquals(Duration.ZERO, visibility.get("rh-b1"));
    assertEquals(Duration.ZERO, visibility.get("rh-c1"));
  }

  @Test
  void aRecordThatCanNeverSucceedIsDeadLetteredAndItsGroupGoesOn() {
    refused.add("a1");
    assertTrue(failedIds(batch(Duration.ZERO), null, this::step, record("a1", "A"), record("a2", "A")).isEmpty());
    assertEquals(List.of("a1"), deadLettered);
    assertEquals(List.of("a1", "a2"), attempted);
  }

  @Test
  void whenTheDlqIsDownTheRefusedRecordFailsAndHoldsOnlyItsGroup() {
    refused.add("a1");
    SqsFifoBatch b = new SqsFifoBatch((m, reason, errorClass) -> {
      throw new TransientException("dlq down", null);
    }, null, Duration.ZERO);
    assertEquals(List.of("a1", "a2"),
        failedIds(b, null, this::step, record("a1", "A"), record("a2", "A"), record("b1", "B")));
    assertEquals(List.of("a1", "b1"), attempted);
  }

  @Test
  void aRetryLaterSetsTheRecordsDelayAndHandsBackTheRestOfItsGroupAtOnce() {
    List<String> failed = failedIds(batch(Duration.ZERO), null, m -> {
      attempted.add(m.messageId());
      return m.messageId().equals("a1") ? Outcome.retryAfter(Duration.ofSeconds(30)) : Outcome.done();
    }, record("a1", "A"), record("a2", "A"), record("b1", "B"));
    assertEquals(List.of("a1", "a2"), failed);
    assertEquals(Duration.ofSeconds(30), visibility.get("rh-a1"));
    assertEquals(Duration.ZERO, visibility.get("rh-a2"));
    assertEquals(List.of("a1", "b1"), attempted);
  }

  @Test
  void theDeadLetterCarriesTheGroupTheSourceIdTheCopiedIdsAndTheReason() {
    List<SendMessageRequest> sent = new ArrayList<>();
    InvocationHandler h = (proxy, method, args) -> {
      if (method.getName().equals("sendMessage") && args[0] instanceof SendMessageRequest req) {
        sent.add(req);
        return SendMessageResponse.builder().messageId("dlq-1").build();
      }
      if (method.isDefault()) {
        return InvocationHandler.invokeDefault(proxy, method, args);
      }
      throw new UnsupportedOperationException(method.getName());
    };
    SqsClient sqs = (SqsClient) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {SqsClient.class}, h);
    SqsFifoBatch.DeadLetter dl = SqsFifoBatch.deadLetterTo(new SqsDeadLetters(sqs, "dlq-url"), "to-ehr-translator",
        List.of("eventId", "tenant"));
    SqsMessage m = record("m-7", "pat-1").withMessageAttribute("eventId", "evt-7");
    dl.send(m, "order code not mapped", "RejectedException");

    SendMessageRequest req = sent.get(0);
    assertEquals("dlq-url", req.queueUrl());
    assertEquals("pat-1", req.messageGroupId());
    assertEquals("m-7", req.messageDeduplicationId());
    assertEquals("{}", req.messageBody());
    Map<String, String> attrs = req.messageAttributes().entrySet().stream()
        .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().stringValue()));
    assertEquals(Map.of("eventId", "evt-7", "failedStage", "to-ehr-translator", "reason", "order code not mapped",
        "errorClass", "RejectedException", "sourceMessageId", "m-7"), attrs);
  }

  /** A Lambda context whose remaining time the test sets. */
  private static final class TimeLeft implements Context {
    int millis;

    TimeLeft(int millis) {
      this.millis = millis;
    }

    @Override public int getRemainingTimeInMillis() { return millis; }
    @Override public String getAwsRequestId() { return "req"; }
    @Override public String getLogGroupName() { return null; }
    @Override public String getLogStreamName() { return null; }
    @Override public String getFunctionName() { return "f"; }
    @Override public String getFunctionVersion() { return null; }
    @Override public String getInvokedFunctionArn() { return null; }
    @Override public CognitoIdentity getIdentity() { return null; }
    @Override public ClientContext getClientContext() { return null; }
    @Override public int getMemoryLimitInMB() { return 512; }
    @Override public LambdaLogger getLogger() { return null; }
  }
}
