package io.telebridge.toehr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.telebridge.aws.lambda.HttpApiRequest;
import io.telebridge.aws.lambda.HttpApiResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The console's gate, without AWS: who may see a page, what a POST must carry, and that every value is
 * escaped. (The pages against real queues, tables and a browser: tests/ConsoleBrowserIT.)
 */
class ConsoleHandlerTest {

  private static final String OPS = "arn:aws:iam::123456789012:user/ops-anna";
  private static final String TOKEN = "abcdefghijklmnopqrstuvwxyz012345";

  // no use case is reached by these requests: each is refused at the gate
  private final ConsoleHandler handler = new ConsoleHandler(null, null, null,
      ReviewAccess.of(Map.of(OPS, List.of("demo-clinic"))), null, List.of(), "", null, null, null);

  private static HttpApiRequest request(String method, String path, String userArn, Map<String, String> headers,
      List<String> cookies, String body) {
    HttpApiRequest r = HttpApiRequest.of(method, path, headers, body).withRequestId("req-1").withCookies(cookies);
    return userArn == null ? r : r.withIam(new HttpApiRequest.Iam("AKIAEXAMPLE", "123456789012", "AIDAEXAMPLE", userArn));
  }

  private HttpApiResponse call(HttpApiRequest event) {
    return io.telebridge.aws.lambda.LambdaJson.invoke(handler, event);
  }


  @Test
  void theFlowsPageShowsTheSwitchesOfTheCallersTenantsOnly() {
    var store = new io.telebridge.core.switches.InMemoryFlowSwitches();
    store.set(new io.telebridge.core.switches.FlowSwitch("demo-clinic", io.telebridge.core.switches.Flow.SCHEDULING,
        io.telebridge.core.switches.FlowMode.SHADOW, java.time.Instant.parse("2026-12-01T09:00:00Z"), OPS));
    store.set(new io.telebridge.core.switches.FlowSwitch("north-clinic", io.telebridge.core.switches.Flow.CHARGES,
        io.telebridge.core.switches.FlowMode.OFF, java.time.Instant.parse("2026-12-01T09:00:00Z"), "someone-else"));
    ConsoleHandler withFlows = new ConsoleHandler(null, null, null, ReviewAccess.of(Map.of(OPS, List.of("demo-clinic"))),
        null, List.of(), "", new io.telebridge.core.switches.ListFlowSwitches(store), null, null);
    HttpApiResponse page = withFlows.handle(request("GET", "/console/flows", OPS, Map.of(), null, null),
        null);
    assertEquals(200, page.statusCode(), page.body());
    String html = page.body();
    assertTrue(html.contains("<td>scheduling</td><td class=\"mode-shadow\">shadow</td><td>2026-12-01T09:00:00Z</td>"),
        html);
    assertTrue(html.contains("<td>charges</td><td class=\"mode-on\">on</td><td>(default)</td>"), html);
    assertFalse(html.contains("north-clinic") || html.contains("someone-else"), "another tenant's switches shown");
  }

  @Test
  void aFlowIsSwitchedFromTheFlowsPageForTheCallersOwnTenantsOnlyAndAudited() {
    var store = new io.telebridge.core.switches.InMemoryFlowSwitches();
    var journal = new io.telebridge.core.journal.InMemoryJournal();
    var clock = java.time.Clock.fixed(java.time.Instant.parse("2026-12-07T10:00:00Z"), java.time.ZoneOffset.UTC);
    ConsoleHandler withFlows = new ConsoleHandler(null, null, null, ReviewAccess.of(Map.of(OPS, List.of("demo-clinic"))),
        null, List.of(), "", new io.telebridge.core.switches.ListFlowSwitches(store, journal),
        new io.telebridge.core.switches.SetFlowSwitch(store, journal, clock), null);
    Map<String, String> sameOrigin = Map.of("sec-fetch-site", "same-origin");
    List<String> cookie = List.of("tb_console_csrf=" + TOKEN);

    HttpApiResponse set = withFlows.handle(request("POST", "/console/flows/demo-clinic/scheduling", OPS,
        sameOrigin, cookie, "csrf=" + TOKEN + "&mode=shadow"), null);
    assertEquals(303, set.statusCode(), set.body());
    assertTrue(set.headers().get("Location").startsWith("/console/flows?done="), set.headers().get("Location"));
    assertEquals(io.telebridge.core.switches.FlowMode.SHADOW, store.of("demo-clinic").get(0).mode());
    var audit = journal.entries("demo-clinic", "flow:scheduling");
    assertEquals(1, audit.size());
    assertEquals("on->shadow", audit.get(0).outcome());
    assertEquals(OPS, audit.get(0).by());

    String page = withFlows.handle(request("GET", "/console/flows", OPS, Map.of(), cookie, null), null).body();
    assertTrue(page.contains("action=\"/console/flows/demo-clinic/scheduling\""), page);
    assertTrue(page.contains("2026-12-07T10:00:00Z on-&gt;shadow by " + OPS), page);

    assertEquals(403, withFlows.handle(request("POST", "/console/flows/north-clinic/scheduling", OPS, sameOrigin,
        cookie, "csrf=" + TOKEN + "&mode=off"), null).statusCode(), "another tenant's flow");
    assertEquals(403, withFlows.handle(request("POST", "/console/flows/demo-clinic/scheduling", OPS, sameOrigin,
        null, "csrf=" + TOKEN + "&mode=off"), null).statusCode(), "no CSRF cookie");
    assertEquals(400, withFlows.handle(request("POST", "/console/flows/demo-clinic/scheduling", OPS, sameOrigin,
        cookie, "csrf=" + TOKEN + "&mode=maybe"), null).statusCode(), "no such mode");
    assertTrue(store.of("north-clinic").isEmpty());
    assertEquals(1, journal.entries("demo-clinic", "flow:scheduling").size(), "refused changes are not audited");
  }

  @Test
  void theQueuesShowTheOldestQueuedFromTheJournalUnknownWhenTheJournalCannotSayAndNothingWhenEmpty() {
    java.time.Instant now = java.time.Instant.now();
    var journal = new io.telebridge.core.journal.InMemoryJournal();
    // demo-clinic's booking translated 10 minutes ago: its SIU waits on the to-EHR queue
    journal.record(io.telebridge.core.journal.JournalEntry.event("demo-clinic", "e1",
        io.telebridge.core.journal.Stage.TO_EHR_TRANSLATOR, "translated", now.minusSeconds(600))
        .links(List.of("hl7:SIU1")).waitsAt("queue:to-ehr"));
    // depths: to-ehr holds 1, from-ehr holds 2 (nothing of demo-clinic's in the journal), intake is empty
    Map<String, Integer> depth = Map.of("http://q/to-ehr.fifo", 1, "http://q/from-ehr.fifo", 2);
    software.amazon.awssdk.services.sqs.SqsClient sqs = new software.amazon.awssdk.services.sqs.SqsClient() {
      @Override
      public software.amazon.awssdk.services.sqs.model.GetQueueAttributesResponse getQueueAttributes(
          software.amazon.awssdk.services.sqs.model.GetQueueAttributesRequest request) {
        return software.amazon.awssdk.services.sqs.model.GetQueueAttributesResponse.builder().attributesWithStrings(
            Map.of("ApproximateNumberOfMessages", String.valueOf(depth.getOrDefault(request.queueUrl(), 0)),
                "ApproximateNumberOfMessagesNotVisible", "0", "ApproximateNumberOfMessagesDelayed", "0")).build();
      }

      @Override
      public String serviceName() {
        return "sqs";
      }

      @Override
      public void close() {}
    };
    ConsoleHandler console = new ConsoleHandler(null, null, null, ReviewAccess.of(Map.of(OPS, List.of("demo-clinic"))),
        new io.telebridge.aws.SqsQueues(sqs), ConsoleQueues.parseQueues("intake=http://q/intake.fifo|;"
            + "to-ehr=http://q/to-ehr.fifo|;from-ehr=http://q/from-ehr.fifo|"), "", null, null,
        new io.telebridge.core.journal.JournalFigures(journal, java.time.Clock.systemUTC()));
    String html = console.handle(request("GET", "/console/queues", OPS, Map.of(), null, null), null).body();
    assertTrue(html.contains("<tr id=\"queue-to-ehr\"><td>to-ehr</td><td class=\"num\">1</td><td class=\"num\">0</td>"
        + "<td class=\"oldest\">10 min</td>"), html);
    assertTrue(html.contains("<td class=\"oldest\">unknown</td>"), "from-ehr holds messages the journal shows none of: "
        + html);
    assertTrue(html.contains("<tr id=\"queue-intake\"><td>intake</td><td class=\"num\">0</td><td class=\"num\">0</td>"
        + "<td class=\"oldest\">—</td>"), html);
    assertTrue(html.contains("ApproximateAgeOfOldestMessage"), "the note says where the live figure is");
  }

  @Test
  void aRequestWithoutAVerifiedIdentityOrWithoutATenantIsRefused() {
    assertEquals(403, call(request("GET", "/console", null, Map.of(), null, null)).statusCode());
    HttpApiResponse stranger = call(request("GET", "/console", "arn:aws:iam::123456789012:user/x", Map.of(),
        null, null));
    assertEquals(403, stranger.statusCode());
    assertTrue(stranger.body().contains("mapped to no tenant"));
    assertEquals("text/html; charset=utf-8", stranger.headers().get("Content-Type"));
    assertTrue(stranger.headers().get("Content-Security-Policy").contains("default-src 'none'"));
  }

  @Test
  void aPostNeedsTheTokenOfTheBrowsersOwnCookieAndNotACrossSiteOrigin() {
    String form = "scope=all&csrf=" + TOKEN;
    String path = "/console/queues/to-ehr/redrive";
    assertEquals(403, call(request("POST", path, OPS, Map.of(), null, form)).statusCode(), "no cookie");
    assertEquals(403, call(request("POST", path, OPS, Map.of(), List.of("tb_console_csrf=" + TOKEN.replace('a', 'b')),
        form)).statusCode(), "another token");
    assertEquals(403, call(request("POST", path, OPS, Map.of(), List.of("tb_console_csrf=" + TOKEN), "scope=all"))
        .statusCode(), "no token in the form");
    HttpApiResponse crossSite = call(request("POST", path, OPS, Map.of("sec-fetch-site", "cross-site"),
        List.of("tb_console_csrf=" + TOKEN), form));
    assertEquals(403, crossSite.statusCode());
    // with both, the gate lets it through to the route: no such queue here, 404
    assertEquals(404, call(request("POST", path, OPS, Map.of("sec-fetch-site", "same-origin"),
        List.of("tb_console_csrf=" + TOKEN), form)).statusCode());
  }

  @Test
  void aBrowserWithoutTheCookieGetsOneThatScriptsCannotReadAndOtherSitesDoNotSend() {
    HttpApiResponse r = call(request("GET", "/console/nothing-here", OPS, Map.of("host", "console.example",
        "x-forwarded-proto", "https"), null, null));
    assertEquals(404, r.statusCode());
    String cookie = r.cookies().get(0);
    assertTrue(cookie.startsWith("tb_console_csrf="), cookie);
    assertTrue(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Secure")
        && cookie.contains("Path=/console"), cookie);
    HttpApiResponse again = call(request("GET", "/console/nothing-here", OPS, Map.of(),
        List.of("tb_console_csrf=" + TOKEN), null));
    assertTrue(again.cookies().isEmpty(), "a browser that has one keeps it");
  }

  @Test
  void everyValueIsEscaped() {
    assertEquals("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;",
        ConsoleHtml.esc("<script>alert('x')</script> & \"q\""));
    String page = ConsoleHtml.page("trace", "<b>title</b>", "<i>caller</i>", "<flash>", null, "");
    assertFalse(page.contains("<b>") || page.contains("<i>") || page.contains("<flash>"), page);
    assertEquals("a%2Fb%20c%3F", ConsoleHtml.url("a/b c?"));
  }

  @Test
  void theQueuesAreLabelledPairsOfAQueueAndItsDeadLetterQueue() {
    List<ConsoleQueues.QueuePair> pairs = ConsoleQueues.parseQueues(
        "intake=http://q/intake.fifo|http://q/intake-dlq.fifo;quarantine=|http://q/quarantine");
    assertEquals(new ConsoleQueues.QueuePair("intake", "http://q/intake.fifo", "http://q/intake-dlq.fifo"), pairs.get(0));
    assertEquals(new ConsoleQueues.QueuePair("quarantine", null, "http://q/quarantine"), pairs.get(1));
    assertThrows(IllegalStateException.class, () -> ConsoleQueues.parseQueues("intake"));
  }
}
