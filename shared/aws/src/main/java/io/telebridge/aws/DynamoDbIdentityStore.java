package io.telebridge.aws;

import io.telebridge.core.error.TransientException;
import io.telebridge.core.identity.CrossReference;
import io.telebridge.core.identity.CrossReference.State;
import io.telebridge.core.model.Identifier;
import io.telebridge.matching.NormalizedPerson;
import io.telebridge.matching.mpi.IdentityStore;
import io.telebridge.matching.mpi.ParkedEvent;
import io.telebridge.matching.mpi.Person;
import io.telebridge.matching.mpi.ReviewCase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * {@link IdentityStore} in the identity table (pk S, sk S), beside the candidate index's items:
 *
 * <pre>
 * PLATFORM#&lt;tenant&gt;#&lt;platform id&gt;  XREF          personId, state, reviewCaseId, registeredByEvent, parkedCount
 * PAT#&lt;person&gt;                      META          tenant, identifiers [{value, authority, type}], mergedInto
 * PAT#&lt;person&gt;                      LINK#&lt;tenant&gt;#&lt;platform id&gt;   reverse link (who points here)
 * PAT#&lt;person&gt;                      REC#&lt;record&gt;  the candidate index's records (PHI)
 * BLOCK#&lt;key&gt;                       PAT#&lt;person&gt;  the candidate index's key entries
 * MRN#&lt;tenant&gt;#&lt;authority&gt;#&lt;value&gt;  PERSON        personId
 * CLAIM#&lt;claim key&gt;                 CLAIM         personId (one NEW registration per claim)
 * CASE#&lt;tenant&gt;#&lt;case&gt;              CASE          the review case (ids, scores, field names)
 * CASE#&lt;tenant&gt;#&lt;case&gt;              EVT#&lt;seq&gt;     a parked event (eventId, body: PHI)
 * CASES#&lt;tenant&gt;                    OPEN#&lt;case&gt;   the open-case list (deleted when resolved)
 * </pre>
 *
 * Writes that belong together are one TransactWriteItems; conditions make each idempotent. Values are
 * never logged; exceptions carry class names only.
 */
public final class DynamoDbIdentityStore implements IdentityStore {

  private final DynamoDbClient dynamo;
  private final String table;
  private final DynamoDbCandidateIndex index;

  public DynamoDbIdentityStore(DynamoDbClient dynamo, String table) {
    this.dynamo = dynamo;
    this.table = table;
    this.index = new DynamoDbCandidateIndex(dynamo, table);
  }

  /** The candidate index on the same table, for the matcher. */
  public DynamoDbCandidateIndex candidateIndex() {
    return index;
  }

  // ---- keys

  private static Map<String, AttributeValue> key(String pk, String sk) {
    return Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS(sk));
  }

  private static Map<String, AttributeValue> xrefKey(String tenant, String platformId) {
    return key("PLATFORM#" + tenant + "#" + platformId, "XREF");
  }

  private static Map<String, AttributeValue> personKey(String personId) {
    return key("PAT#" + personId, "META");
  }

  private static Map<String, AttributeValue> linkKey(String personId, String tenant, String platformId) {
    return key("PAT#" + personId, "LINK#" + tenant + "#" + platformId);
  }

  private static Map<String, AttributeValue> identifierKey(String tenant, Identifier id) {
    return key("MRN#" + tenant + "#" + id.assigningAuthority() + "#" + id.value(), "PERSON");
  }

  private static Map<String, AttributeValue> caseKey(String tenant, String caseId) {
    return key("CASE#" + tenant + "#" + caseId, "CASE");
  }

  private static Map<String, AttributeValue> openCaseKey(String tenant, String caseId) {
    return key("CASES#" + tenant, "OPEN#" + caseId);
  }

  private static Map<String, AttributeValue> parkedKey(String tenant, String caseId, int seq) {
    return key("CASE#" + tenant + "#" + caseId, String.format("EVT#%08d", seq));
  }

  // ---- reads

  private Map<String, AttributeValue> get(Map<String, AttributeValue> key, String what) {
    return call(what, () -> {
      Map<String, AttributeValue> item = dynamo.getItem(GetItemRequest.builder().tableName(table).key(key)
          .consistentRead(true).build()).item();
      return item == null || item.isEmpty() ? null : item;
    });
  }

  private List<Map<String, AttributeValue>> query(String pk, String skPrefix, String what) {
    return call(what, () -> {
      List<Map<String, AttributeValue>> out = new ArrayList<>();
      Map<String, AttributeValue> start = null;
      do {
        QueryResponse r = dynamo.query(QueryRequest.builder().tableName(table)
            .keyConditionExpression("pk = :pk AND begins_with(sk, :p)")
            .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(pk), ":p", AttributeValue.fromS(skPrefix)))
            .consistentRead(true).exclusiveStartKey(start).build());
        out.addAll(r.items());
        start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
      } while (start != null);
      return out;
    });
  }

  private <T> T call(String what, Supplier<T> call) {
    try {
      return call.get();
    } catch (TransactionCanceledException | ConditionalCheckFailedException e) {
      throw e;
    } catch (SdkException e) {
      throw new TransientException("DynamoDB " + what + " failed (" + e.getClass().getSimpleName() + ")", e);
    }
  }

  @Override
  public Optional<CrossReference> xref(String tenant, String platformPatientId) {
    return Optional.ofNullable(get(xrefKey(tenant, platformPatientId), "GetItem (xref)")).map(DynamoDbIdentityStore::toXref);
  }

  @Override
  public Optional<Person> person(String personId) {
    return Optional.ofNullable(get(personKey(personId), "GetItem (person)")).map(DynamoDbIdentityStore::toPerson);
  }

  @Override
  public Optional<String> personOf(String tenant, Identifier identifier) {
    return Optional.ofNullable(get(identifierKey(tenant, identifier), "GetItem (identifier)")).map(i -> s(i, "personId"));
  }

  @Override
  public List<String> platformPatients(String personId) {
    return query("PAT#" + personId, "LINK#", "Query (links)").stream().map(i -> s(i, "platformPatientId")).toList();
  }

  @Override
  public List<ParkedEvent> parked(String tenant, String caseId) {
    return query("CASE#" + tenant + "#" + caseId, "EVT#", "Query (parked)").stream()
        .map(i -> new ParkedEvent(Integer.parseInt(i.get("seq").n()), s(i, "eventId"), s(i, "body"))).toList();
  }

  @Override
  public Optional<ReviewCase> reviewCase(String tenant, String caseId) {
    return Optional.ofNullable(get(caseKey(tenant, caseId), "GetItem (case)")).map(DynamoDbIdentityStore::toCase);
  }

  @Override
  public List<ReviewCase> openCases(String tenant) {
    List<ReviewCase> out = new ArrayList<>();
    for (Map<String, AttributeValue> entry : query("CASES#" + tenant, "OPEN#", "Query (open cases)")) {
      reviewCase(tenant, s(entry, "caseId")).ifPresent(out::add);
    }
    return out;
  }

  // ---- writes

  private TransactWriteItem put(Map<String, AttributeValue> item, String condition) {
    Put.Builder p = Put.builder().tableName(table).item(item);
    if (condition != null) {
      p.conditionExpression(condition);
    }
    return TransactWriteItem.builder().put(p.build()).build();
  }

  private void transact(List<TransactWriteItem> writes, String what) {
    call(what, () -> dynamo.transactWriteItems(TransactWriteItemsRequest.builder().transactItems(writes).build()));
  }

  private static boolean conditionFailed(TransactionCanceledException e, int index) {
    List<CancellationReason> reasons = e.cancellationReasons();
    return reasons != null && reasons.size() > index && "ConditionalCheckFailed".equals(reasons.get(index).code());
  }

  private List<TransactWriteItem> filing(String personId, NormalizedPerson record, Set<String> keys) {
    List<TransactWriteItem> writes = new ArrayList<>();
    writes.add(put(DynamoDbCandidateIndex.recordItem(personId, record), null));
    for (String k : keys) {
      writes.add(put(DynamoDbCandidateIndex.keyItem(k, personId), null));
    }
    return writes;
  }

  @Override
  public Registration registerNew(String claimKey, Person person, CrossReference xref, NormalizedPerson record,
      Set<String> keys) {
    Map<String, AttributeValue> claim = new HashMap<>(key("CLAIM#" + claimKey, "CLAIM"));
    claim.put("personId", AttributeValue.fromS(person.personId()));
    List<TransactWriteItem> writes = new ArrayList<>();
    writes.add(TransactWriteItem.builder().put(Put.builder().tableName(table).item(claim)
        .conditionExpression("attribute_not_exists(pk) OR personId = :me")
        .expressionAttributeValues(Map.of(":me", AttributeValue.fromS(person.personId()))).build()).build());
    writes.add(put(personItem(person), null));
    writes.add(put(xrefItem(xref), "attribute_not_exists(pk)"));
    writes.add(put(linkItem(person.personId(), xref.tenant(), xref.platformPatientId()), null));
    writes.addAll(filing(person.personId(), record, keys));
    try {
      transact(writes, "TransactWriteItems (register)");
      return new Registration.Registered(xref);
    } catch (TransactionCanceledException e) {
      if (conditionFailed(e, 0)) {
        Map<String, AttributeValue> owner = get(key("CLAIM#" + claimKey, "CLAIM"), "GetItem (claim)");
        return new Registration.ClaimTaken(owner == null ? "?" : s(owner, "personId"));
      }
      if (conditionFailed(e, 2)) {
        return new Registration.Registered(xref(xref.tenant(), xref.platformPatientId()).orElseThrow());
      }
      throw new TransientException("DynamoDB TransactWriteItems (register) cancelled", e);
    }
  }

  @Override
  public CrossReference link(CrossReference xref, NormalizedPerson record, Set<String> keys) {
    List<TransactWriteItem> writes = new ArrayList<>();
    writes.add(put(xrefItem(xref), "attribute_not_exists(pk)"));
    writes.add(put(linkItem(xref.personId(), xref.tenant(), xref.platformPatientId()), null));
    writes.addAll(filing(xref.personId(), record, keys));
    try {
      transact(writes, "TransactWriteItems (link)");
      return xref;
    } catch (TransactionCanceledException e) {
      if (conditionFailed(e, 0)) {
        return xref(xref.tenant(), xref.platformPatientId()).orElseThrow();
      }
      throw new TransientException("DynamoDB TransactWriteItems (link) cancelled", e);
    }
  }

  @Override
  public void openCase(CrossReference xref, ReviewCase reviewCase, ParkedEvent first) {
    List<TransactWriteItem> writes = List.of(
        put(xrefItem(xref), "attribute_not_exists(pk)"),
        put(caseItem(reviewCase), null),
        put(parkedItem(reviewCase.tenant(), reviewCase.caseId(), first), null),
        put(openEntry(reviewCase), null));
    try {
      transact(writes, "TransactWriteItems (open case)");
    } catch (TransactionCanceledException e) {
      if (!conditionFailed(e, 0)) {
        throw new TransientException("DynamoDB TransactWriteItems (open case) cancelled", e);
      }
      // the patient has a cross-reference already (a retry): nothing to open
    }
  }

  @Override
  public boolean park(String tenant, String platformPatientId, String eventId, String body) {
    for (int attempt = 0; attempt < 5; attempt++) {
      CrossReference x = xref(tenant, platformPatientId).orElse(null);
      if (x == null || x.state() == State.LINKED) {
        return false;
      }
      if (parked(tenant, x.reviewCaseId()).stream().anyMatch(e -> e.eventId().equals(eventId))) {
        return true;
      }
      int next = x.parkedCount() + 1;
      Update bump = Update.builder().tableName(table).key(xrefKey(tenant, platformPatientId))
          .updateExpression("SET parkedCount = :next")
          .conditionExpression("#st <> :linked AND parkedCount = :count")
          .expressionAttributeNames(Map.of("#st", "state"))
          .expressionAttributeValues(Map.of(":next", AttributeValue.fromN(Integer.toString(next)),
              ":linked", AttributeValue.fromS(State.LINKED.name()),
              ":count", AttributeValue.fromN(Integer.toString(x.parkedCount()))))
          .build();
      try {
        transact(List.of(TransactWriteItem.builder().update(bump).build(),
            put(parkedItem(tenant, x.reviewCaseId(), new ParkedEvent(next, eventId, body)), null)),
            "TransactWriteItems (park)");
        return true;
      } catch (TransactionCanceledException e) {
        // the state or the count changed under us: read again
      }
    }
    throw new TransientException("parking kept conflicting", null);
  }

  @Override
  public void saveCase(ReviewCase reviewCase) {
    List<TransactWriteItem> writes = new ArrayList<>();
    writes.add(put(caseItem(reviewCase), null));
    if (reviewCase.status() == ReviewCase.Status.RESOLVED) {
      writes.add(TransactWriteItem.builder().delete(Delete.builder().tableName(table)
          .key(openCaseKey(reviewCase.tenant(), reviewCase.caseId())).build()).build());
    } else {
      writes.add(put(openEntry(reviewCase), null));
    }
    try {
      transact(writes, "TransactWriteItems (case)");
    } catch (TransactionCanceledException e) {
      throw new TransientException("DynamoDB TransactWriteItems (case) cancelled", e);
    }
  }

  @Override
  public boolean startResolution(ReviewCase resolving) {
    Put put = Put.builder().tableName(table).item(caseItem(resolving))
        .conditionExpression("#st = :open")
        .expressionAttributeNames(Map.of("#st", "status"))
        .expressionAttributeValues(Map.of(":open", AttributeValue.fromS(ReviewCase.Status.OPEN.name())))
        .build();
    try {
      transact(List.of(TransactWriteItem.builder().put(put).build(), put(openEntry(resolving), null)),
          "TransactWriteItems (start resolution)");
      return true;
    } catch (TransactionCanceledException e) {
      if (conditionFailed(e, 0)) {
        return false;
      }
      throw new TransientException("DynamoDB TransactWriteItems (start resolution) cancelled", e);
    }
  }

  @Override
  public void saveXref(CrossReference xref) {
    CrossReference before = xref(xref.tenant(), xref.platformPatientId()).orElse(null);
    List<TransactWriteItem> writes = new ArrayList<>();
    writes.add(put(xrefItem(xref), null));
    if (xref.personId() != null) {
      writes.add(put(linkItem(xref.personId(), xref.tenant(), xref.platformPatientId()), null));
    }
    if (before != null && before.personId() != null && !before.personId().equals(xref.personId())) {
      writes.add(TransactWriteItem.builder().delete(Delete.builder().tableName(table)
          .key(linkKey(before.personId(), xref.tenant(), xref.platformPatientId())).build()).build());
    }
    try {
      transact(writes, "TransactWriteItems (xref)");
    } catch (TransactionCanceledException e) {
      throw new TransientException("DynamoDB TransactWriteItems (xref) cancelled", e);
    }
  }

  @Override
  public boolean finishReplay(String tenant, String platformPatientId, int replayed) {
    try {
      call("UpdateItem (finish replay)", () -> dynamo.updateItem(UpdateItemRequest.builder().tableName(table)
          .key(xrefKey(tenant, platformPatientId))
          .updateExpression("SET #st = :linked")
          .conditionExpression("parkedCount = :n")
          .expressionAttributeNames(Map.of("#st", "state"))
          .expressionAttributeValues(Map.of(":linked", AttributeValue.fromS(State.LINKED.name()),
              ":n", AttributeValue.fromN(Integer.toString(replayed))))
          .build()));
      return true;
    } catch (ConditionalCheckFailedException more) {
      return false;
    }
  }

  @Override
  public void savePerson(Person person) {
    call("PutItem (person)", () -> dynamo.putItem(PutItemRequest.builder().tableName(table).item(personItem(person)).build()));
  }

  @Override
  public void mapIdentifier(String tenant, Identifier identifier, String personId) {
    Map<String, AttributeValue> item = new HashMap<>(identifierKey(tenant, identifier));
    item.put("personId", AttributeValue.fromS(personId));
    call("PutItem (identifier)", () -> dynamo.putItem(PutItemRequest.builder().tableName(table).item(item).build()));
  }

  @Override
  public void file(String personId, NormalizedPerson record, Set<String> keys) {
    index.file(personId, record, keys);
  }

  @Override
  public long bulkLoad(List<BulkChart> charts) {
    List<DynamoDbCandidateIndex.Filing> filings = new ArrayList<>(charts.size());
    List<Map<String, AttributeValue>> items = new ArrayList<>();
    for (BulkChart c : charts) {
      items.add(personItem(c.person()));
      for (Identifier id : c.identifiers()) {
        Map<String, AttributeValue> map = new HashMap<>(identifierKey(c.person().tenant(), id));
        map.put("personId", AttributeValue.fromS(c.person().personId()));
        items.add(map);
      }
      filings.add(new DynamoDbCandidateIndex.Filing(c.person().personId(), c.record(), c.keys()));
    }
    return index.batchPut(items) + index.bulkLoad(filings);
  }

  // ---- item mapping

  private static Map<String, AttributeValue> xrefItem(CrossReference x) {
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

  private static CrossReference toXref(Map<String, AttributeValue> i) {
    String created = s(i, "createdAt");
    AttributeValue count = i.get("parkedCount");
    String state = s(i, "state");
    return new CrossReference(s(i, "tenant"), s(i, "platformPatientId"), s(i, "personId"),
        state == null ? State.LINKED : State.valueOf(state), s(i, "reviewCaseId"), s(i, "registeredByEvent"),
        count == null ? 0 : Integer.parseInt(count.n()), created == null ? null : Instant.parse(created));
  }

  private static Map<String, AttributeValue> personItem(Person p) {
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

  private static Person toPerson(Map<String, AttributeValue> i) {
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

  private static Map<String, AttributeValue> linkItem(String personId, String tenant, String platformId) {
    Map<String, AttributeValue> item = new HashMap<>(linkKey(personId, tenant, platformId));
    item.put("tenant", AttributeValue.fromS(tenant));
    item.put("platformPatientId", AttributeValue.fromS(platformId));
    return item;
  }

  private static Map<String, AttributeValue> parkedItem(String tenant, String caseId, ParkedEvent e) {
    Map<String, AttributeValue> item = new HashMap<>(parkedKey(tenant, caseId, e.seq()));
    item.put("seq", AttributeValue.fromN(Integer.toString(e.seq())));
    item.put("eventId", AttributeValue.fromS(e.eventId()));
    putS(item, "body", e.body());
    return item;
  }

  private static Map<String, AttributeValue> openEntry(ReviewCase c) {
    Map<String, AttributeValue> item = new HashMap<>(openCaseKey(c.tenant(), c.caseId()));
    item.put("caseId", AttributeValue.fromS(c.caseId()));
    return item;
  }

  private static Map<String, AttributeValue> caseItem(ReviewCase c) {
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

  private static ReviewCase toCase(Map<String, AttributeValue> i) {
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

  private static Instant instant(String s) {
    return s == null ? null : Instant.parse(s);
  }

  private static void putS(Map<String, AttributeValue> m, String name, String value) {
    if (value != null) {
      m.put(name, AttributeValue.fromS(value));
    }
  }

  private static String s(Map<String, AttributeValue> m, String name) {
    AttributeValue v = m.get(name);
    return v == null ? null : v.s();
  }
}
