package io.telebridge.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.telebridge.local.aws.AwsClients;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Issue 13, items 1 and 2: {@code ./tb local} killed with SIGKILL (a crash, an OOM kill) leaves no
 * process behind, starts again on the same ports and data directory, and has lost nothing: table
 * items, idempotency records and queued messages are all there, a webhook sent again is a replay, and
 * the EHR gets no second registration.
 */
class LocalStackCrashIT {

  private static final Duration WAIT = Duration.ofSeconds(90);
  /** The to-EHR dead-letter queue: nothing consumes it, so a message there must simply stay. */
  private static final String DLQ = "ToEhrDeadLetterQueue.fifo";

  @Test
  void aStackKilledWithSigkillLeavesNoMotoBehindAndStartsAgainOnTheSamePortsAndData(@TempDir Path dir)
      throws Exception {
    Path data = dir.resolve("data");
    Map<String, Integer> ports = StackProcess.freePorts(false);
    Path output = dir.resolve("stack.out");
    ProcessHandle moto;
    try (StackProcess first = StackProcess.start(data, ports, false, output)) {
      moto = first.moto().orElseThrow(() -> new AssertionError("no moto child process:\n" + first.tail()));
      first.killHard();
    }
    assertTrue(await(() -> !moto.isAlive()), "moto (pid " + moto.pid() + ") outlived the stack killed with SIGKILL");
    try (StackProcess second = StackProcess.start(data, ports, false, output);
        DynamoDbClient dynamo = AwsClients.dynamoDb(StackProcess.local(ports.get("--moto-port")))) {
      assertTrue(second.moto().isPresent());
      assertFalse(dynamo.listTables().tableNames().isEmpty(), "moto answers on the same port");
    }
  }

  @Test
  void afterACrashAndARestartTablesAndQueuesAreIntactAndAWebhookSentAgainReachesTheEhrOnce(@TempDir Path dir)
      throws Exception {
    Path data = dir.resolve("data");
    Map<String, Integer> ports = StackProcess.freePorts(true);
    Path output = dir.resolve("stack.out");
    String patient = "pat-crash-1";
    byte[] booking = Signed.event("appointment.booked.json", "evt-crash-book-1", patient);
    Map<String, List<String>> tablesBefore;
    String parked;
    try (StackProcess first = StackProcess.start(data, ports, true, output);
        SqsClient sqs = AwsClients.sqs(StackProcess.local(ports.get("--sqs-port")));
        DynamoDbClient dynamo = AwsClients.dynamoDb(StackProcess.local(ports.get("--moto-port")))) {
      HttpResponse<String> accepted = post(ports, booking);
      assertEquals(202, accepted.statusCode(), accepted.body());
      assertTrue(await(() -> types(data, patient).size() >= 2), "the EHR did not get the booking:\n" + first.tail());
      assertEquals(List.of("ADT^A04", "SIU^S12"), types(data, patient));
      tablesBefore = tables(dynamo);
      assertFalse(tablesBefore.values().stream().allMatch(List::isEmpty), "the booking wrote identity and idempotency items");
      // a message nobody consumes, acknowledged just before the crash: it must still be queued after it
      String dlq = sqs.getQueueUrl(b -> b.queueName(DLQ)).queueUrl();
      parked = "parked before the crash " + Instant.now();
      String body = parked;
      sqs.sendMessage(b -> b.queueUrl(dlq).messageBody(body).messageGroupId("g-crash").messageDeduplicationId("d-crash"));
      ProcessHandle moto = first.moto().orElseThrow();
      first.killHard();
      if (!await(() -> !moto.isAlive())) { // the other test asserts this; here only what the data survived matters
        moto.destroyForcibly();
        moto.onExit().join();
      }
    }

    try (StackProcess second = StackProcess.start(data, ports, true, output);
        SqsClient sqs = AwsClients.sqs(StackProcess.local(ports.get("--sqs-port")));
        DynamoDbClient dynamo = AwsClients.dynamoDb(StackProcess.local(ports.get("--moto-port")))) {
      Map<String, List<String>> tablesAfter = tables(dynamo);
      for (var table : tablesBefore.entrySet()) {
        assertTrue(tablesAfter.get(table.getKey()).containsAll(table.getValue()),
            table.getKey() + " lost items in the crash: before " + table.getValue().size() + ", after "
                + tablesAfter.get(table.getKey()).size());
      }
      String dlq = sqs.getQueueUrl(b -> b.queueName(DLQ)).queueUrl();
      List<String> queued = sqs.receiveMessage(b -> b.queueUrl(dlq).waitTimeSeconds(2).maxNumberOfMessages(10))
          .messages().stream().map(m -> m.body()).toList();
      assertEquals(List.of(parked), queued, "the queued message survived");

      HttpResponse<String> again = post(ports, booking);
      assertEquals(202, again.statusCode(), again.body());
      assertTrue(again.body().contains("\"replay\":true"), "the webhook sent again is a replay: " + again.body());
      // the patient's next event (same FIFO group, so it comes after anything the replay could have caused)
      byte[] reschedule = Signed.event("appointment.rescheduled.json", "evt-crash-resched-1", patient);
      assertEquals(202, post(ports, reschedule).statusCode());
      assertTrue(await(() -> types(data, patient).contains("SIU^S13")), "the reschedule did not arrive:\n" + second.tail());
      assertEquals(List.of("ADT^A04", "SIU^S12", "SIU^S13"), types(data, patient),
          "one registration and one booking at the EHR, then the reschedule of the known patient");
    }
  }

  /**
   * POSTs the signed webhook as the platform does: a 5xx is retried (twice, 2 s apart) with the same
   * bytes. The first request after a start meets cold functions; on a loaded 2-core machine it has hit
   * the function's timeout (500) before the stack was warm. What this test checks is what survives the
   * crash, and a resend of the same event is exactly what the platform's retry would do.
   */
  private static HttpResponse<String> post(Map<String, Integer> ports, byte[] body) throws Exception {
    HttpResponse<String> response = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      response = Signed.post(StackProcess.local(ports.get("--api-port")).resolve("/v1/events"),
          io.telebridge.local.LocalStackOptions.DEFAULT_DEV_SIGNING_SECRET, body);
      if (response.statusCode() < 500) {
        return response;
      }
      Thread.sleep(2000);
    }
    return response;
  }

  /** Every table's items, as sorted key strings. */
  private static Map<String, List<String>> tables(DynamoDbClient dynamo) {
    Map<String, List<String>> out = new java.util.TreeMap<>();
    for (String table : dynamo.listTables().tableNames()) {
      TreeSet<String> keys = new TreeSet<>();
      dynamo.scanPaginator(b -> b.tableName(table)).items().forEach(item -> keys.add(key(item)));
      out.put(table, new ArrayList<>(keys));
    }
    return out;
  }

  private static String key(Map<String, AttributeValue> item) {
    return String.valueOf(item.get("pk")) + "|" + item.get("sk");
  }

  /** HL7 message types (MSH-9) the EHR simulator recorded for a patient, in order of arrival. */
  private static List<String> types(Path data, String patient) {
    Path hl7 = data.resolve("ehr-simulator").resolve("messages.hl7");
    List<String> out = new ArrayList<>();
    if (!Files.exists(hl7)) {
      return out;
    }
    String text;
    try {
      text = Files.readString(hl7, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return out;
    }
    for (String message : text.split("\n(?=MSH\\|)")) {
      if (message.contains(patient)) {
        String[] msh = message.split("\n", 2)[0].split("\\|");
        String[] type = msh.length > 8 ? msh[8].split("\\^") : new String[] {"?", "?"};
        out.add(type[0] + "^" + (type.length > 1 ? type[1] : ""));
      }
    }
    return out;
  }

  private static boolean await(BooleanSupplier condition) throws InterruptedException {
    Instant deadline = Instant.now().plus(WAIT);
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(deadline)) {
        return false;
      }
      Thread.sleep(200);
    }
    return true;
  }
}
