package io.telebridge.aws;

import static io.telebridge.aws.IdentityItems.*;

import io.telebridge.aws.dynamodb.AttributeValue;
import io.telebridge.aws.dynamodb.ConditionalCheckFailedException;
import io.telebridge.aws.dynamodb.DynamoDb;
import io.telebridge.aws.dynamodb.DynamoDbException;
import io.telebridge.aws.dynamodb.Request;
import io.telebridge.aws.dynamodb.Result;
import io.telebridge.aws.dynamodb.TransactWriteItem;
import io.telebridge.aws.dynamodb.TransactionCanceledException;
import io.telebridge.aws.dynamodb.TransactionCanceledException.CancellationReason;
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
 * never logged; exceptions carry class names only. The keys and the item mapping: {@link IdentityItems}.
 */
public final class DynamoDbIdentityStore implements IdentityStore {

  private final DynamoDb dynamo;
  private final String table;
  private final DynamoDbCandidateIndex index;

  public DynamoDbIdentityStore(DynamoDb dynamo, String table) {
    this.dynamo = dynamo;
    this.table = table;
    this.index = new DynamoDbCandidateIndex(dynamo, table);
  }

  /** The candidate index on the same table, for the matcher. */
  public DynamoDbCandidateIndex candidateIndex() {
    return index;
  }

  // ---- reads

  private Map<String, AttributeValue> get(Map<String, AttributeValue> key, String what) {
    return call(what, () -> {
      Map<String, AttributeValue> item = dynamo.getItem(Request.create().tableName(table).key(key)
          .consistentRead(true)).item();
      return item == null || item.isEmpty() ? null : item;
    });
  }

  private List<Map<String, AttributeValue>> query(String pk, String skPrefix, String what) {
    return call(what, () -> {
      List<Map<String, AttributeValue>> out = new ArrayList<>();
      Map<String, AttributeValue> start = null;
      do {
        Result r = dynamo.query(Request.create().tableName(table)
            .keyConditionExpression("pk = :pk AND begins_with(sk, :p)")
            .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(pk), ":p", AttributeValue.fromS(skPrefix)))
            .consistentRead(true).exclusiveStartKey(start));
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
    } catch (DynamoDbException e) {
      throw new TransientException("DynamoDB " + what + " failed (" + e.code() + ")", e);
    }
  }

  @Override
  public Optional<CrossReference> xref(String tenant, String platformPatientId) {
    return Optional.ofNullable(get(xrefKey(tenant, platformPatientId), "GetItem (xref)")).map(IdentityItems::toXref);
  }

  @Override
  public Optional<Person> person(String personId) {
    return Optional.ofNullable(get(personKey(personId), "GetItem (person)")).map(IdentityItems::toPerson);
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
    return Optional.ofNullable(get(caseKey(tenant, caseId), "GetItem (case)")).map(IdentityItems::toCase);
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
    Request p = Request.create().tableName(table).item(item);
    if (condition != null) {
      p.conditionExpression(condition);
    }
    return TransactWriteItem.put(p);
  }

  private void transact(List<TransactWriteItem> writes, String what) {
    call(what, () -> dynamo.transactWriteItems(writes));
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
    writes.add(TransactWriteItem.put(Request.create().tableName(table).item(claim)
        .conditionExpression("attribute_not_exists(pk) OR personId = :me")
        .expressionAttributeValues(Map.of(":me", AttributeValue.fromS(person.personId())))));
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
      Request bump = Request.create().tableName(table).key(xrefKey(tenant, platformPatientId))
          .updateExpression("SET parkedCount = :next")
          .conditionExpression("#st <> :linked AND parkedCount = :count")
          .expressionAttributeNames(Map.of("#st", "state"))
          .expressionAttributeValues(Map.of(":next", AttributeValue.fromN(Integer.toString(next)),
              ":linked", AttributeValue.fromS(State.LINKED.name()),
              ":count", AttributeValue.fromN(Integer.toString(x.parkedCount()))))
          ;
      try {
        transact(List.of(TransactWriteItem.update(bump),
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
      writes.add(TransactWriteItem.delete(Request.create().tableName(table)
          .key(openCaseKey(reviewCase.tenant(), reviewCase.caseId()))));
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
    Request put = Request.create().tableName(table).item(caseItem(resolving))
        .conditionExpression("#st = :open")
        .expressionAttributeNames(Map.of("#st", "status"))
        .expressionAttributeValues(Map.of(":open", AttributeValue.fromS(ReviewCase.Status.OPEN.name())))
        ;
    try {
      transact(List.of(TransactWriteItem.put(put), put(openEntry(resolving), null)),
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
      writes.add(TransactWriteItem.delete(Request.create().tableName(table)
          .key(linkKey(before.personId(), xref.tenant(), xref.platformPatientId()))));
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
      call("UpdateItem (finish replay)", () -> dynamo.updateItem(Request.create().tableName(table)
          .key(xrefKey(tenant, platformPatientId))
          .updateExpression("SET #st = :linked")
          .conditionExpression("parkedCount = :n")
          .expressionAttributeNames(Map.of("#st", "state"))
          .expressionAttributeValues(Map.of(":linked", AttributeValue.fromS(State.LINKED.name()),
              ":n", AttributeValue.fromN(Integer.toString(replayed))))
          ));
      return true;
    } catch (ConditionalCheckFailedException more) {
      return false;
    }
  }

  @Override
  public void savePerson(Person person) {
    call("PutItem (person)", () -> dynamo.putItem(Request.create().tableName(table).item(personItem(person))));
  }

  @Override
  public void mapIdentifier(String tenant, Identifier identifier, String personId) {
    Map<String, AttributeValue> item = new HashMap<>(identifierKey(tenant, identifier));
    item.put("personId", AttributeValue.fromS(personId));
    call("PutItem (identifier)", () -> dynamo.putItem(Request.create().tableName(table).item(item)));
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
}
