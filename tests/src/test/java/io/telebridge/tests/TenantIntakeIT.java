package io.telebridge.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.telebridge.local.LocalStack;
import io.telebridge.local.LocalStackOptions;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.PurgeQueueRequest;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;
import tools.jackson.databind.json.JsonMapper;

/**
 * The intake with two tenants on the local stack (real HTTP, ElasticMQ, moto's Secrets Manager), the
 * translator off so the intake queue can be read as it fills: each tenant signs with its own secrets,
 * and the FIFO group and deduplication ids carry the tenant.
 */
class TenantIntakeIT {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static LocalStack stack;
  private static URI url;
  private static String queueUrl;

  @BeforeAll
  static void start() throws IOException {
    LocalStackOptions options = LocalStackOptions.forTests(Signed.REPO.resolve("template.yaml"))
        .disableEventSources("ToEhrTranslatorFunction");
    options.secretValue("WebhookSecretArn", TenantIsolationIT.webhookSecrets(options.devSigningSecret()));
    stack = LocalStack.start(options);
    url = stack.apiUrl("/v1/events");
    queueUrl = stack.queueUrl("IntakeQueue");
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  @BeforeEach
  void emptyQueue() {
    stack.sqs().purgeQueue(PurgeQueueRequest.builder().queueUrl(queueUrl).build());
  }

  /** What a consumer receives now (not deleted: received messages stay in flight for a minute). */
  private static List<Message> receiveInFlight(int rounds) {
    List<Message> all = new ArrayList<>();
    for (int i = 0; i < rounds; i++) {
      all.addAll(stack.sqs().receiveMessage(ReceiveMessageRequest.builder().queueUrl(queueUrl).maxNumberOfMessages(10)
          .waitTimeSeconds(1).visibilityTimeout(60).messageSystemAttributeNames(
              software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName.ALL).build()).messages());
    }
    return all;
  }

  private static String tenantOf(Message m) {
    return JSON.readTree(m.body()).get("source").get("tenant").asString();
  }

  @Test
  void twoTenantsReusingAnEventIdWithinFiveMinutesAreBothQueued() throws Exception {
    byte[] demo = TenantIsolationIT.event("appointment.booked.json", TenantIsolationIT.DEMO, "evt-shared-1", "pat-shared",
        "intake person kasimir");
    byte[] north = TenantIsolationIT.event("appointment.booked.json", TenantIsolationIT.NORTH, "evt-shared-1",
        "pat-shared", "intake person kasimir");
    assertEquals(202, Signed.post(url, stack.devSigningSecret(), demo).statusCode());
    assertEquals(202, Signed.post(url, TenantIsolationIT.NORTH_SECRET, north).statusCode());

    List<Message> queued = receiveInFlight(3);
    assertEquals(List.of(TenantIsolationIT.DEMO, TenantIsolationIT.NORTH), queued.stream().map(TenantIntakeIT::tenantOf)
        .sorted().toList(), "both tenants' events are on the queue");
    assertTrue(queued.get(0).attributes().get(
        software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName.MESSAGE_GROUP_ID).length() <= 128);
  }

  @Test
  void oneTenantsBurstNeverHoldsUpAnotherTenantsPatientOfTheSameId() throws Exception {
    for (int i = 0; i < 15; i++) {
      assertEquals(202, Signed.post(url, stack.devSigningSecret(), TenantIsolationIT.event("appointment.booked.json",
          TenantIsolationIT.DEMO, "evt-burst-" + i, "pat-burst", "intake person leocadia")).statusCode());
    }
    assertEquals(202, Signed.post(url, TenantIsolationIT.NORTH_SECRET, TenantIsolationIT.event(
        "appointment.booked.json", TenantIsolationIT.NORTH, "evt-burst-north", "pat-burst", "intake person leocadia"))
        .statusCode());

    // while the burst's first messages are in flight (not yet processed), north-clinic's patient is served
    List<Message> received = receiveInFlight(3);
    assertTrue(received.stream().anyMatch(m -> tenantOf(m).equals(TenantIsolationIT.NORTH)),
        "north-clinic's event is not queued behind demo-clinic's burst for the same patient id");
  }

  @Test
  void anEventNamingAnotherTenantThanTheOneWhoseSecretSignedItIsRefusedWith401AndNothingIsQueued() throws Exception {
    byte[] claimsDemo = TenantIsolationIT.event("appointment.booked.json", TenantIsolationIT.DEMO, "evt-forged-1",
        "pat-forged", "intake person melisande");
    HttpResponse<String> refused = Signed.post(url, TenantIsolationIT.NORTH_SECRET, claimsDemo);
    assertEquals(401, refused.statusCode());
    assertEquals("urn:telebridge:problem:tenant-mismatch", JSON.readTree(refused.body()).get("type").asString());
    assertTrue(receiveInFlight(2).isEmpty(), "nothing is queued");
  }

  @Test
  void aTenantsPreviousSecretStillVerifiesDuringARotationAndAnUnknownSecretDoesNot() throws Exception {
    byte[] north = TenantIsolationIT.event("appointment.booked.json", TenantIsolationIT.NORTH, "evt-rotation-1",
        "pat-rotation", "intake person nerissa");
    assertEquals(202, Signed.post(url, "north-clinic-webhook-secret-2025", north).statusCode());
    byte[] again = TenantIsolationIT.event("appointment.booked.json", TenantIsolationIT.NORTH, "evt-rotation-2",
        "pat-rotation", "intake person nerissa");
    assertEquals(401, Signed.post(url, "a-secret-of-nobody", again).statusCode());
  }
}
