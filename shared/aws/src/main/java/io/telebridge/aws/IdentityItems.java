package io.telebridge.aws;

import io.telebridge.aws.dynamodb.AttributeValue;
import io.telebridge.core.identity.CrossReference;
import io.telebridge.core.identity.CrossReference.State;
import io.telebridge.core.model.Identifier;
import io.telebridge.matching.mpi.ParkedEvent;
import io.telebridge.matching.mpi.Person;
import io.telebridge.matching.mpi.ReviewCase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The identity table's keys and items ({@link DynamoDbIdentityStore} lists the layout): each record of the
 * matcher to its item and back. No I/O; the store does the reads and writes.
 */
final class IdentityItems {

  private IdentityItems() {}

  // ---- keys

  static Map<String, AttributeValue> key(String pk, String sk) {
    return Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS(sk));
  }

  static Map<String, AttributeValue> xrefKey(String tenant, String platformId) {
    return key("PLATFORM#" + tenant + "#" + platformId, "XREF");
  }

  static Map<String, AttributeValue> personKey(String personId) {
    return key("PAT#" + personId, "META");
  }

  static Map<String, AttributeValue> linkKey(String personId, String tenant, String platformId) {
    return key("PAT#" + personId, "LINK#" + tenant + "#" + platformId);
  }

  static Map<String, AttributeValue> identifierKey(String tenant, Identifier id) {
    return key("MRN#" + tenant + "#" + id.assigningAuthority() + "#" + id.value(), "PERSON");
  }

  static Map<String, AttributeValue> caseKey(String tenant, String caseId) {
    return key("CASE#" + tenant + "#" + caseId, "CASE");
  }

  static Map<String, AttributeValue> openCaseKey(String tenant, String caseId) {
    return key("CASES#" + tenant, "OPEN#" + caseId);
  }

  static Map<String, AttributeValue> parkedKey(String tenant, String caseId, int seq) {
    return key("CASE#" + tenant + "#" + caseId, String.format("EVT#%08d", seq));
  }


  // ---- items

  static Map<String, AttributeValue> xrefItem(CrossReference x) {
    Map<String, AttributeValue> item = new HashMap<>(xrefKey(x.tenant(), x.platformPatientId()));
    item.put("tenant", AttributeValue.fromS(x.tenant()));
    item.put("platformPatientId", AttributeValue.fromS(x.platformPatientId()));
    putS(item, "personId", x.personId());
    item.put("state", AttributeValue.fromS(x.state().name()));
    putS(item, "reviewCaseId", x.reviewCaseId());
    putS(item, "registeredByEvent", x.registeredByEvent());
    item.put("parkedCount", AttributeValue.fromN(Integer.toString(x.parkedCount())));
    putS(item, "createdAt", x.createdAt() == null ? null : x.createdAt().toString());
    return item;
  }

  static CrossReference toXref(Map<String, AttributeValue> i) {
    String created = s(i, "createdAt");
    AttributeValue count = i.get("parkedCount");
    String state = s(i, "state");
    return new CrossReference(s(i, "tenant"), s(i, "platformPatientId"), s(i, "personId"),
        state == null ? State.LINKED : State.valueOf(state), s(i, "reviewCaseId"), s(i, "registeredByEvent"),
        count == null ? 0 : Integer.parseInt(count.n()), created == null ? null : Instant.parse(created));
  }

  static Map<String, AttributeValue> personItem(Person p) {
    Map<String, AttributeValue> item = new HashMap<>(personKey(p.personId()));
    item.put("personId", AttributeValue.fromS(p.personId()));
    item.put("tenant", AttributeValue.fromS(p.tenant()));
    List<AttributeValue> ids = new ArrayList<>();
    for (Identifier id : p.identifiers()) {
      Map<String, AttributeValue> m = new HashMap<>();
      putS(m, "value", id.value());
      putS(m, "authority", id.assigningAuthority());
      putS(m, "type", id.typeCode());
      ids.add(AttributeValue.fromM(m));
    }
    item.put("identifiers", AttributeValue.fromL(ids));
    putS(item, "mergedInto", p.mergedInto());
    putS(item, "createdAt", p.createdAt() == null ? null : p.createdAt().toString());
    return item;
  }

  static Person toPerson(Map<String, AttributeValue> i) {
    List<Identifier> ids = new ArrayList<>();
    AttributeValue list = i.get("identifiers");
    if (list != null && list.hasL()) {
      for (AttributeValue v : list.l()) {
        ids.add(new Identifier(s(v.m(), "value"), s(v.m(), "authority"), s(v.m(), "type")));
      }
    }
    String created = s(i, "createdAt");
    return new Person(s(i, "personId"), s(i, "tenant"), ids, s(i, "mergedInto"),
        created == null ? null : Instant.parse(created));
  }

  static Map<String, AttributeValue> linkItem(String personId, String tenant, String platformId) {
    Map<String, AttributeValue> item = new HashMap<>(linkKey(personId, tenant, platformId));
    item.put("tenant", AttributeValue.fromS(tenant));
    item.put("platformPatientId", AttributeValue.fromS(platformId));
    return item;
  }

  static Map<String, AttributeValue> parkedItem(String tenant, String caseId, ParkedEvent e) {
    Map<String, AttributeValue> item = new HashMap<>(parkedKey(tenant, caseId, e.seq()));
    item.put("seq", AttributeValue.fromN(Integer.toString(e.seq())));
    item.put("eventId", AttributeValue.fromS(e.eventId()));
    putS(item, "body", e.body());
    return item;
  }

  static Map<String, AttributeValue> openEntry(ReviewCase c) {
    Map<String, AttributeValue> item = new HashMap<>(openCaseKey(c.tenant(), c.caseId()));
    item.put("caseId", AttributeValue.fromS(c.caseId()));
    return item;
  }

  static Map<String, AttributeValue> caseItem(ReviewCase c) {
    Map<String, AttributeValue> item = new HashMap<>(caseKey(c.tenant(), c.caseId()));
    item.put("caseId", AttributeValue.fromS(c.caseId()));
    item.put("tenant", AttributeValue.fromS(c.tenant()));
    item.put("platformPatientId", AttributeValue.fromS(c.platformPatientId()));
    putS(item, "firstEventId", c.firstEventId());
    item.put("status", AttributeValue.fromS(c.status().name()));
    putS(item, "reason", c.reason());
    item.put("score", AttributeValue.fromN(Double.toString(c.score())));
    List<AttributeValue> candidates = new ArrayList<>();
    for (ReviewCase.Candidate k : c.candidates()) {
      Map<String, AttributeValue> m = new HashMap<>();
      putS(m, "personId", k.personId());
      m.put("score", AttributeValue.fromN(Double.toString(k.score())));
      putS(m, "agreed", k.agreed());
      putS(m, "disagreed", k.disagreed());
      putS(m, "missing", k.missing());
      putS(m, "guards", k.guards());
      candidates.add(AttributeValue.fromM(m));
    }
    item.put("candidates", AttributeValue.fromL(candidates));
    putS(item, "explanation", c.explanation());
    putS(item, "createdAt", c.createdAt() == null ? null : c.createdAt().toString());
    putS(item, "resolution", c.resolution());
    putS(item, "resolvedBy", c.resolvedBy());
    putS(item, "resolvedAt", c.resolvedAt() == null ? null : c.resolvedAt().toString());
    item.put("replayed", AttributeValue.fromN(Integer.toString(c.replayed())));
    return item;
  }

  static ReviewCase toCase(Map<String, AttributeValue> i) {
    List<ReviewCase.Candidate> candidates = new ArrayList<>();
    AttributeValue list = i.get("candidates");
    if (list != null && list.hasL()) {
      for (AttributeValue v : list.l()) {
        Map<String, AttributeValue> m = v.m();
        candidates.add(new ReviewCase.Candidate(s(m, "personId"), Double.parseDouble(m.get("score").n()),
            s(m, "agreed"), s(m, "disagreed"), s(m, "missing"), s(m, "guards")));
      }
    }
    return new ReviewCase(s(i, "caseId"), s(i, "tenant"), s(i, "platformPatientId"), s(i, "firstEventId"),
        ReviewCase.Status.valueOf(s(i, "status")), s(i, "reason"), Double.parseDouble(i.get("score").n()), candidates,
        s(i, "explanation"), instant(s(i, "createdAt")), s(i, "resolution"), s(i, "resolvedBy"),
        instant(s(i, "resolvedAt")), Integer.parseInt(i.get("replayed").n()));
  }

  static Instant instant(String s) {
    return s == null ? null : Instant.parse(s);
  }

  static void putS(Map<String, AttributeValue> m, String name, String value) {
    if (value != null) {
      m.put(name, AttributeValue.fromS(value));
    }
  }

  static String s(Map<String, AttributeValue> m, String name) {
    AttributeValue v = m.get(name);
    return v == null ? null : v.s();
  }
}
