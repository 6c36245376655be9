package io.telebridge.toehr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.telebridge.aws.lambda.HttpApiRequest;
import io.telebridge.aws.lambda.HttpApiResponse;
import io.telebridge.core.error.TransientException;
import io.telebridge.core.identity.EhrPatient;
import io.telebridge.core.identity.Resolution;
import io.telebridge.core.identity.ResolveRequest;
import io.telebridge.core.model.Address;
import io.telebridge.core.model.Identifier;
import io.telebridge.core.model.PatientDemographics;
import io.telebridge.core.model.PersonName;
import io.telebridge.core.model.Phone;
import io.telebridge.core.model.Sex;
import io.telebridge.matching.mpi.InMemoryIdentityStore;
import io.telebridge.matching.mpi.MatchingEhrPatientIndex;
import io.telebridge.matching.mpi.MatchingPatientResolver;
import io.telebridge.matching.mpi.ReviewCases;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The review API's routes, statuses and PHI rules on the in-memory identity store (invented data). */
class ReviewApiHandlerTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String OPS = "arn:aws:iam::123456789012:user/ops-anna";

  private final InMemoryIdentityStore store = new InMemoryIdentityStore();
  private final MatchingPatientResolver resolver =
      new MatchingPatientResolver(store, store.index(), "PLATFORM", Clock.systemUTC());
  private final MatchingEhrPatientIndex ehr = new MatchingEhrPatientIndex(store, resolver, Clock.systemUTC());
  private final Map<String, PatientDemographics> bodies = new HashMap<>();
  private final List<String> replayed = new ArrayList<>();
  private int failReplays;
  private ReviewApiHandler handler;
  private String caseId;

  private static PatientDemographics patient(String platformId, String phone, String line, String zip) {
    return new PatientDemographics(platformId, new PersonName(List.of("Alice"), "Marlowe", null, null),
        LocalDate.parse("1984-03-02"), Sex.FEMALE, phone == null ? List.of() : List.of(new Phone("mobile", phone)),
        null, new Address(List.of(line), "Springfield", "IL", zip, "US"), null);
  }

  @BeforeEach
  void parkOneCase() {
    ReviewCases reviews = new ReviewCases(store, resolver, bodies::get, (event, c) -> {
      if (failReplays > 0) {
        failReplays--;
        throw new TransientException("queue down", null);
      }
      Resolution r = resolver.resolve(new ResolveRequest("acme", bodies.get(event.body()), event.eventId(),
          event.body(), c));
      replayed.add(event.eventId() + "->" + r.identifiers().get(0).value());
    }, Clock.systemUTC());
    handler = new ReviewApiHandler(reviews, ReviewAccess.of(Map.of(OPS, List.of("acme"))));
    ehr.upsert("acme", new EhrPatient(List.of(new Identifier("M200", "HOSP", "MR")),
        patient(null, null, "400 Elm Avenue", "62704")));
    PatientDemographics alice = patient("pp-1", "+12175550101", "12 Oak Street", "62701");
    bodies.put("pp-1", alice);
    Resolution r = resolver.resolve(new ResolveRequest("acme", alice, "evt-1", "pp-1", null));
    assertTrue(r.parked());
    caseId = r.parkedInCase();
    assertTrue(resolver.resolve(new ResolveRequest("acme", alice, "evt-2", "pp-1", null)).parked());
  }

  private static HttpApiRequest request(String method, String path, Map<String, String> query, String body,
      String userArn) {
    HttpApiRequest r = HttpApiRequest.of(method, path, null, body).withRequestId("req-1").withQuery(query);
    return userArn == null ? r : r.withIam(new HttpApiRequest.Iam("AKIAEXAMPLE", "123456789012", "AIDAEXAMPLE", userArn));
  }

  private HttpApiResponse call(String method, String path, Map<String, String> query, String body) {
    return io.telebridge.aws.lambda.LambdaJson.invoke(handler, request(method, path, query, body, OPS));
  }


  private static JsonNode json(HttpApiResponse r) {
    return JSON.readTree(r.body());
  }

  private String ehrPerson() {
    return MatchingEhrPatientIndex.ehrPersonId("acme", new Identifier("M200", "HOSP", "MR"));
  }

  @Test
  void listsOpenCasesWithIdsScoresAndExplanationsButNoDemographics() {
    HttpApiResponse r = call("GET", "/v1/reviews", Map.of("tenant", "acme"), null);
    assertEquals(200, r.statusCode());
    JsonNode c = json(r).get("cases").get(0);
    assertEquals(caseId, c.get("caseId").asString());
    assertEquals("OPEN", c.get("status").asString());
    assertEquals(ehrPerson(), c.get("candidates").get(0).get("personId").asString());
    assertTrue(c.get("candidates").get(0).get("agreed").isArray());
    assertFalse(r.body().contains("Marlowe") || r.body().contains("1984") || r.body().contains("Oak"),
        "the list carries no demographics");
    assertEquals(403, call("GET", "/v1/reviews", Map.of("tenant", "other"), null).statusCode(),
        "a tenant the caller is not mapped to cannot be listed");
  }

  @Test
  void showsACaseWithItsParkedEventIdsAndDemographicsOnlyOnExplicitRequest() {
    HttpApiResponse plain = call("GET", "/v1/reviews/" + caseId, Map.of("tenant", "acme"), null);
    assertEquals(200, plain.statusCode());
    assertEquals("evt-2", json(plain).get("parkedEvents").get(1).get("eventId").asString());
    assertFalse(plain.body().contains("Marlowe"));

    HttpApiResponse phi = call("GET", "/v1/reviews/" + caseId,
        Map.of("tenant", "acme", "include", "demographics"), null);
    assertEquals(200, phi.statusCode());
    JsonNode d = json(phi).get("demographics");
    assertEquals("Marlowe", d.get("incoming").get("name").get("family").asString());
    assertEquals(ehrPerson(), d.get("candidates").get(0).get("personId").asString());
    assertEquals("19840302", d.get("candidates").get(0).get("records").get(0).get("birthDate").asString());
    assertEquals("no-store", phi.headers().get("Cache-Control"));
  }

  @Test
  void linkingReplaysTheParkedEventsInOrderAndRecordsTheCallerAsResolver() {
    HttpApiResponse r = call("POST", "/v1/reviews/" + caseId + "/resolution", Map.of("tenant", "acme"),
        "{\"action\":\"link\",\"personId\":\"" + ehrPerson() + "\"}");
    assertEquals(200, r.statusCode(), r.body());
    JsonNode c = json(r);
    assertEquals("RESOLVED", c.get("status").asString());
    assertEquals(OPS, c.get("resolvedBy").asString());
    assertEquals(2, c.get("replayed").asInt());
    assertEquals(List.of("evt-1->M200", "evt-2->M200"), replayed);
    assertEquals(0, json(call("GET", "/v1/reviews", Map.of("tenant", "acme"), null)).get("cases").size());

    HttpApiResponse again = call("POST", "/v1/reviews/" + caseId + "/resolution", Map.of("tenant", "acme"),
        "{\"action\":\"new\"}");
    assertEquals(409, again.statusCode());
    assertEquals("application/problem+json", again.headers().get("Content-Type"));
    assertEquals("urn:telebridge:problem:review-conflict", json(again).get("type").asString());
  }

  @Test
  void aResolverNamedInTheBodyIsRefusedAndChangesNothing() {
    HttpApiResponse r = call("POST", "/v1/reviews/" + caseId + "/resolution", Map.of("tenant", "acme"),
        "{\"action\":\"new\",\"resolvedBy\":\"someone-else\"}");
    assertEquals(400, r.statusCode());
    assertEquals("/resolvedBy", json(r).get("errors").get(0).get("pointer").asString());
    assertTrue(replayed.isEmpty());
    assertEquals("OPEN", json(call("GET", "/v1/reviews/" + caseId, Map.of("tenant", "acme"), null))
        .get("status").asString());
  }

  @Test
  void refusesBadBodiesUnknownCasesMissingTenantsAndCallersWithoutIdentity() {
    String path = "/v1/reviews/" + caseId + "/resolution";
    assertEquals(400, call("POST", path, Map.of("tenant", "acme"), "{not json").statusCode());
    assertEquals(400, call("POST", path, Map.of("tenant", "acme"), "{\"action\":\"merge\"}").statusCode());
    assertEquals(400, call("POST", path, Map.of("tenant", "acme"), "{\"action\":\"link\"}").statusCode());
    assertEquals(404, call("POST", "/v1/reviews/rc-nope/resolution", Map.of("tenant", "acme"), "{\"action\":\"new\"}")
        .statusCode());
    assertEquals(200, call("GET", "/v1/reviews", null, null).statusCode(), "the caller's tenants need no parameter");
    assertEquals(403, handler.handle(request("GET", "/v1/reviews", Map.of("tenant", "acme"), null, null), null)
        .statusCode());
    assertEquals(422, call("POST", path, Map.of("tenant", "acme"),
        "{\"action\":\"link\",\"personId\":\"ehr:acme:HOSP:NOPE\",\"confirm\":true}")
        .statusCode(), "a person that does not exist cannot be linked");
    assertTrue(replayed.isEmpty());
  }

  @Test
  void aReplayStoppedByATransientFailureAnswers503AndTheSameResolutionContinuesIt() {
    failReplays = 1;
    String path = "/v1/reviews/" + caseId + "/resolution";
    String body = "{\"action\":\"link\",\"personId\":\"" + ehrPerson() + "\"}";
    HttpApiResponse stopped = call("POST", path, Map.of("tenant", "acme"), body);
    assertEquals(503, stopped.statusCode());
    assertEquals("10", stopped.headers().get("Retry-After"));
    assertEquals("REPLAYING", json(call("GET", "/v1/reviews/" + caseId, Map.of("tenant", "acme"), null))
        .get("status").asString());

    HttpApiResponse done = call("POST", path, Map.of("tenant", "acme"), body);
    assertEquals(200, done.statusCode());
    assertEquals("RESOLVED", json(done).get("status").asString());
    assertEquals(List.of("evt-1->M200", "evt-2->M200"), replayed);
  }

  private static final String OTHER_OPS = "arn:aws:sts::123456789012:assumed-role/ops-other/session-7";

  private ReviewApiHandler withAccess(Map<String, List<String>> mapping) {
    ReviewCases reviews = new ReviewCases(store, resolver, bodies::get, (event, c) -> replayed.add(event.eventId()),
        Clock.systemUTC());
    return new ReviewApiHandler(reviews, ReviewAccess.of(mapping));
  }

  @Test
  void aCallerMappedToNoTenantIsRefusedWith403WhateverTheQueryParameterSays() {
    ReviewApiHandler h = withAccess(Map.of(OPS, List.of("acme")));
    HttpApiResponse r = h.handle(request("GET", "/v1/reviews", Map.of("tenant", "acme"), null,
        "arn:aws:iam::123456789012:user/someone-else"), null);
    assertEquals(403, r.statusCode());
    assertEquals("urn:telebridge:problem:forbidden", json(r).get("type").asString());
  }

  @Test
  void aCaseOfAnotherTenantIsNotFoundEvenWhenTheQueryParameterNamesItsTenant() {
    ReviewApiHandler h = withAccess(Map.of("arn:aws:iam::123456789012:role/ops-other", List.of("other")));
    HttpApiResponse show = h.handle(request("GET", "/v1/reviews/" + caseId,
        Map.of("tenant", "acme", "include", "demographics"), null, OTHER_OPS), null);
    assertEquals(404, show.statusCode(), "the assumed role's caller reviews tenant other only");
    assertFalse(show.body().contains("Marlowe"));
    HttpApiResponse resolve = h.handle(request("POST", "/v1/reviews/" + caseId + "/resolution",
        Map.of("tenant", "acme"), "{\"action\":\"new\"}", OTHER_OPS), null);
    assertEquals(404, resolve.statusCode());
    assertEquals(0, json(h.handle(request("GET", "/v1/reviews", null, null, OTHER_OPS), null))
        .get("cases").size(), "its list holds none of acme's cases");
    assertTrue(replayed.isEmpty());
  }

  @Test
  void linkRefusesAnotherTenantsPersonEvenConfirmedAndANonCandidateWithoutConfirmation() {
    ehr.upsert("other", new EhrPatient(List.of(new Identifier("M200", "HOSP", "MR")),
        patient(null, null, "400 Elm Avenue", "62704")));
    String otherTenantsPerson = MatchingEhrPatientIndex.ehrPersonId("other", new Identifier("M200", "HOSP", "MR"));
    String path = "/v1/reviews/" + caseId + "/resolution";
    HttpApiResponse cross = call("POST", path, null,
        "{\"action\":\"link\",\"personId\":\"" + otherTenantsPerson + "\",\"confirm\":true}");
    assertEquals(422, cross.statusCode(), cross.body());
    assertEquals("urn:telebridge:problem:not-linkable", json(cross).get("type").asString());

    ehr.upsert("acme", new EhrPatient(List.of(new Identifier("M300", "HOSP", "MR")),
        new PatientDemographics(null, new PersonName(List.of("Zebulon"), "Quist", null, null),
            LocalDate.parse("1950-01-01"), Sex.MALE, List.of(), null, null, null)));
    String sameTenantNonCandidate = MatchingEhrPatientIndex.ehrPersonId("acme", new Identifier("M300", "HOSP", "MR"));
    assertEquals(422, call("POST", path, null,
        "{\"action\":\"link\",\"personId\":\"" + sameTenantNonCandidate + "\"}").statusCode(),
        "not a candidate: needs an explicit confirmation");
    assertTrue(replayed.isEmpty(), "the refusals changed nothing");
    assertEquals("OPEN", json(call("GET", "/v1/reviews/" + caseId, null, null)).get("status").asString());

    HttpApiResponse confirmed = call("POST", path, null,
        "{\"action\":\"link\",\"personId\":\"" + sameTenantNonCandidate + "\",\"confirm\":true}");
    assertEquals(200, confirmed.statusCode(), confirmed.body());
    assertEquals("LINK:" + sameTenantNonCandidate, json(confirmed).get("resolution").asString());
  }
}
