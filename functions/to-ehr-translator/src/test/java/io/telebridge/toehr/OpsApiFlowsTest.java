package io.telebridge.toehr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.telebridge.aws.lambda.HttpApiRequest;
import io.telebridge.aws.lambda.HttpApiResponse;
import io.telebridge.core.journal.InMemoryJournal;
import io.telebridge.core.journal.JournalEntry;
import io.telebridge.core.journal.ReplayArchive;
import io.telebridge.core.journal.ReplayMessage;
import io.telebridge.core.journal.TraceMessage;
import io.telebridge.core.switches.Flow;
import io.telebridge.core.switches.InMemoryFlowSwitches;
import io.telebridge.core.switches.InMemoryShadowStore;
import io.telebridge.core.switches.ListFlowSwitches;
import io.telebridge.core.switches.ReportShadow;
import io.telebridge.core.switches.SetFlowSwitch;
import io.telebridge.core.switches.ShadowFields;
import io.telebridge.core.switches.ShadowMessage;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The ops API's switch and shadow-report routes, on in-memory stores (one class: the handler). */
class OpsApiFlowsTest {

  private static final String OPS = "arn:aws:iam::123456789012:user/ops";
  private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final InMemoryFlowSwitches switches = new InMemoryFlowSwitches();
  private final InMemoryShadowStore shadows = new InMemoryShadowStore();
  private final ShadowFields fields = m -> new ShadowFields.Fields("S12", Set.of(), Set.of("pat-1"),
      Map.of("status", m.body()));
  private final InMemoryJournal journal = new InMemoryJournal();
  private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
  private final OpsApiHandler handler = new OpsApiHandler(new TraceMessage(journal),
      new ReplayMessage(ReplayArchive.NONE, null, journal, clock), ReviewAccess.of(Map.of(OPS, List.of("acme"))),
      new OpsApiHandler.Switchboard(new ListFlowSwitches(switches, journal), new SetFlowSwitch(switches, journal, clock),
          new ReportShadow(shadows, fields)), clock);

  private static HttpApiRequest request(String method, String path, Map<String, String> query, String body) {
    return HttpApiRequest.of(method, path, null, body).withRequestId("req-1").withQuery(query)
        .withIam(new HttpApiRequest.Iam("AKIAEXAMPLE", null, null, OPS));
  }

  private HttpApiResponse send(String method, String path, Map<String, String> query, String body) {
    return io.telebridge.aws.lambda.LambdaJson.invoke(handler, request(method, path, query, body));
  }

  @Test
  void listsEveryFlowOnByDefaultThenSetsOneToShadowWithTheCaller() throws Exception {
    JsonNode before = JSON.readTree(send("GET", "/v1/flows", null, null).body());
    JsonNode flows = before.path("tenants").get(0).path("flows");
    assertEquals(Flow.values().length, flows.size());
    flows.forEach(f -> assertEquals("on", f.path("mode").asString()));

    HttpApiResponse set = send("PUT", "/v1/flows/acme/scheduling", null, "{\"mode\":\"shadow\"}");
    assertEquals(200, set.statusCode(), set.body());
    JsonNode after = JSON.readTree(send("GET", "/v1/flows", Map.of("tenant", "acme"), null).body());
    JsonNode scheduling = after.path("tenants").get(0).path("flows").get(Flow.SCHEDULING.ordinal());
    assertEquals("shadow", scheduling.path("mode").asString());
    assertEquals(OPS, scheduling.path("updatedBy").asString());
    assertEquals(NOW.toString(), scheduling.path("updatedAt").asString());
    assertEquals("on", JSON.readTree(set.body()).path("from").asString());

    // the audit record: who, what, when, from→to, in the journal
    send("PUT", "/v1/flows/acme/scheduling", null, "{\"mode\":\"on\"}");
    List<JournalEntry> audit = journal.entries("acme", "flow:scheduling");
    assertEquals(List.of("on->shadow", "shadow->on"), audit.stream().map(JournalEntry::outcome).toList());
    assertEquals("flow-switch", audit.get(0).stage());
    assertEquals(OPS, audit.get(0).by());
    assertEquals(NOW, audit.get(0).at());
  }

  @Test
  void refusesAnotherTenantAnUnknownFlowOrModeWithProblemJson() {
    HttpApiResponse other = send("PUT", "/v1/flows/north/scheduling", null, "{\"mode\":\"off\"}");
    assertEquals(403, other.statusCode());
    assertEquals("application/problem+json", other.headers().get("Content-Type"));
    assertEquals(400, send("PUT", "/v1/flows/acme/billing", null, "{\"mode\":\"off\"}").statusCode());
    assertEquals(400, send("PUT", "/v1/flows/acme/scheduling", null, "{\"mode\":\"maybe\"}").statusCode());
    assertEquals(400, send("GET", "/v1/shadow-report", null, null).statusCode(), "since is required");
    assertTrue(switches.of("acme").isEmpty() && switches.of("north").isEmpty(), "nothing was switched");
  }

  @Test
  void theShadowReportGivesCountsAndFieldNamesNeverValues() throws Exception {
    shadows.keep(new ShadowMessage("acme", ShadowMessage.Side.TELEBRIDGE, Flow.SCHEDULING, "SIU^S12", "TB1",
        NOW.minusSeconds(3600), "Booked-SECRET-VALUE"));
    shadows.keep(new ShadowMessage("acme", ShadowMessage.Side.EHR, Flow.SCHEDULING, "SIU^S12", "EHR1",
        NOW.minusSeconds(1800), "Pending-OTHER-VALUE"));
    HttpApiResponse r = send("GET", "/v1/shadow-report", Map.of("since", "2h"), null);
    assertEquals(200, r.statusCode(), r.body());
    JsonNode flow = JSON.readTree(r.body()).path("reports").get(0).path("flows").get(0);
    assertEquals("scheduling", flow.path("flow").asString());
    assertEquals(1, flow.path("matched").asInt());
    assertEquals(0, flow.path("agreed").asInt());
    assertEquals(1, flow.path("differingFields").path("status").asInt());
    assertFalse(r.body().contains("VALUE"), "no field value in the answer");
    assertEquals(NOW.minusSeconds(7200), OpsApiHandler.since("2h", NOW));
    assertEquals(NOW.minusSeconds(1800), OpsApiHandler.since("PT30M", NOW));
    assertEquals(Instant.parse("2026-12-07T09:00:00Z"), OpsApiHandler.since("2026-12-07T09:00:00Z", NOW));
  }
}
