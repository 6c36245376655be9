package io.telebridge.aws;

import io.telebridge.aws.dynamodb.AttributeValue;
import io.telebridge.aws.dynamodb.ConditionalCheckFailedException;
import io.telebridge.aws.dynamodb.DynamoDb;
import io.telebridge.aws.dynamodb.DynamoDbException;
import io.telebridge.aws.dynamodb.Request;
import io.telebridge.aws.dynamodb.Result;
import io.telebridge.aws.dynamodb.TransactWriteItem;
import io.telebridge.aws.dynamodb.TransactionCanceledException;
import io.telebridge.aws.dynamodb.TransactionCanceledException.CancellationReason;
import io.telebridge.aws.dynamodb.WriteRequest;
import io.telebridge.core.error.TransientException;
import io.telebridge.core.model.Sex;
import io.telebridge.matching.CandidateIndex;
import io.telebridge.matching.NormalizedPerson;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The matcher's {@link CandidateIndex} in the identity table (pk S HASH, sk S RANGE), beside the
 * cross-references ({@code PLATFORM#<tenant>#<id> / XREF}), which it never touches.
 *
 * <pre>
 * pk = BLOCK#&lt;blocking key&gt;   sk = PAT#&lt;patient id&gt;   pid            one entry per key and patient
 * pk = PAT#&lt;patient id&gt;       sk = REC#&lt;record id&gt;    the record's normalised fields (PHI)
 * </pre>
 *
 * {@code lookup} is one Query on {@code BLOCK#key} with {@code Limit = limit + 1} (no scan);
 * {@code records} one consistent Query on {@code PAT#id, begins_with(sk, "REC#")}. {@code file} writes
 * the record and its key entries in one TransactWriteItems (≤ 100 items; the record put is conditional
 * on {@code attribute_not_exists(pk)}, so a re-file of the same record id changes nothing). With more
 * than 99 keys it falls back to BatchWriteItem for the key entries first, then the conditional record
 * put last: all keys are deterministic, so a retry after a crash re-writes the same items and completes
 * the state. Values are never logged; exceptions carry class names only.
 */
public final class DynamoDbCandidateIndex implements CandidateIndex {

  static final int MAX_TRANSACTION_ITEMS = 100;
  static final int BATCH_SIZE = 25;
  private static final String NO_RECORD_ID = "-";

  private final DynamoDb dynamo;
  private final String table;

  public DynamoDbCandidateIndex(DynamoDb dynamo, String table) {
    this.dynamo = dynamo;
    this.table = table;
  }

  static String blockPk(String key) {
    return "BLOCK#" + key;
  }

  static String patientPk(String patientId) {
    return "PAT#" + patientId;
  }

  @Override
  public List<String> lookup(String key, int limit) {
    try {
      Result r = dynamo.query(Request.create().tableName(table)
          .keyConditionExpression("pk = :pk")
          .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(blockPk(key))))
          .projectionExpression("sk")
          .limit(limit + 1)
          );
      List<String> ids = new ArrayList<>(r.count());
      for (Map<String, AttributeValue> item : r.items()) {
        ids.add(item.get("sk").s().substring("PAT#".length()));
      }
      return ids;
    } catch (DynamoDbException e) {
      throw new TransientException("DynamoDB Query (candidate key) failed (" + e.code() + ")", e);
    }
  }

  /** All keys at once: one Query per key, concurrently on virtual threads (one round trip of latency). */
  @Override
  public List<List<String>> lookupAll(List<String> keys, int limit) {
    return parallel(keys, k -> lookup(k, limit));
  }

  /** All candidates' records at once, concurrently (one round trip of latency). */
  @Override
  public List<List<NormalizedPerson>> recordsAll(List<String> patientIds) {
    return parallel(patientIds, this::records);
  }

  private static <T, R> List<R> parallel(List<T> inputs, java.util.function.Function<T, R> call) {
    if (inputs.size() <= 1) {
      return inputs.stream().map(call).toList();
    }
    try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
      List<java.util.concurrent.Future<R>> futures = new ArrayList<>(inputs.size());
      for (T input : inputs) {
        futures.add(pool.submit(() -> call.apply(input)));
      }
      List<R> out = new ArrayList<>(inputs.size());
      for (java.util.concurrent.Future<R> f : futures) {
        out.add(f.get());
      }
      return out;
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new TransientException("DynamoDB candidate lookups failed", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TransientException("interrupted during candidate lookups", e);
    }
  }

  @Override
  public List<NormalizedPerson> records(String patientId) {
    List<NormalizedPerson> out = new ArrayList<>();
    Map<String, AttributeValue> start = null;
    try {
      do {
        Result r = dynamo.query(Request.create().tableName(table)
            .keyConditionExpression("pk = :pk AND begins_with(sk, :rec)")
            .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(patientPk(patientId)),
                ":rec", AttributeValue.fromS("REC#")))
            .consistentRead(true)
            .exclusiveStartKey(start)
            );
        for (Map<String, AttributeValue> item : r.items()) {
          out.add(fromItem(item));
        }
        start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
      } while (start != null);
      return out;
    } catch (DynamoDbException e) {
      throw new TransientException("DynamoDB Query (patient records) failed (" + e.code() + ")", e);
    }
  }

  @Override
  public void file(String patientId, NormalizedPerson record, Set<String> keys) {
    Map<String, AttributeValue> recordItem = recordItem(patientId, record);
    if (keys.size() + 1 <= MAX_TRANSACTION_ITEMS) {
      List<TransactWriteItem> writes = new ArrayList<>(keys.size() + 1);
      writes.add(TransactWriteItem.put(Request.create().tableName(table).item(recordItem)
          .conditionExpression("attribute_not_exists(pk)")));
      for (String key : keys) {
        writes.add(TransactWriteItem.put(Request.create().tableName(table).item(keyItem(key, patientId)))
            );
      }
      try {
        dynamo.transactWriteItems(writes);
      } catch (TransactionCanceledException e) {
        if (alreadyFiled(e)) {
          return; // the same record id was filed before (a retry or a redelivery): nothing to change
        }
        throw new TransientException("DynamoDB TransactWriteItems (candidate file) cancelled ("
            + reasons(e) + ")", e);
      } catch (DynamoDbException e) {
        throw new TransientException("DynamoDB TransactWriteItems (candidate file) failed ("
            + e.code() + ")", e);
      }
      return;
    }
    // too many items for one transaction: key entries first (idempotent puts), the record last
    List<Map<String, AttributeValue>> entries = new ArrayList<>(keys.size());
    for (String key : keys) {
      entries.add(keyItem(key, patientId));
    }
    batchPut(entries);
    try {
      dynamo.putItem(Request.create().tableName(table).item(recordItem)
          .conditionExpression("attribute_not_exists(pk)"));
    } catch (ConditionalCheckFailedException already) {
      // filed before
    } catch (DynamoDbException e) {
      throw new TransientException("DynamoDB PutItem (candidate record) failed (" + e.code() + ")", e);
    }
  }

  /** One patient's record and keys for {@link #bulkLoad}. */
  public record Filing(String patientId, NormalizedPerson record, Set<String> keys) {}

  /**
   * Bulk load into an index being built (go-live, benchmark): unconditional BatchWriteItem, 25 items
   * per call, unprocessed items retried with backoff. Deterministic keys make a re-run safe; it
   * overwrites a record filed under the same id. Returns the number of items written.
   */
  public long bulkLoad(Iterable<Filing> filings) {
    List<Map<String, AttributeValue>> pending = new ArrayList<>(BATCH_SIZE);
    long written = 0;
    for (Filing f : filings) {
      pending.add(recordItem(f.patientId(), f.record()));
      for (String key : f.keys()) {
        pending.add(keyItem(key, f.patientId()));
      }
      if (pending.size() >= 1_000) {
        written += batchPut(pending);
        pending.clear();
      }
    }
    written += batchPut(pending);
    return written;
  }

  long batchPut(List<Map<String, AttributeValue>> items) {
    long n = 0;
    for (int i = 0; i < items.size(); i += BATCH_SIZE) {
      List<WriteRequest> chunk = new ArrayList<>(BATCH_SIZE);
      for (Map<String, AttributeValue> item : items.subList(i, Math.min(items.size(), i + BATCH_SIZE))) {
        chunk.add(WriteRequest.put(item));
      }
      n += chunk.size();
      Map<String, List<WriteRequest>> request = Map.of(table, chunk);
      int attempt = 0;
      while (!request.isEmpty()) {
        try {
          Result r = dynamo.batchWriteItem(request);
          request = r.unprocessedItems();
        } catch (DynamoDbException | TransientException e) {
          if (attempt >= 8) {
            throw new TransientException("DynamoDB BatchWriteItem (candidate index) failed ("
                + e.getClass().getSimpleName() + ")", e);
          }
        }
        if (!request.isEmpty()) {
          attempt++;
          if (attempt > 8) {
            throw new TransientException("DynamoDB BatchWriteItem (candidate index): items still unprocessed", null);
          }
          SignedHttp.sleep(Math.min(2_000L, 25L << attempt));
        }
      }
    }
    return n;
  }

  private static boolean alreadyFiled(TransactionCanceledException e) {
    if (!e.hasCancellationReasons() || e.cancellationReasons().isEmpty()) {
      return false;
    }
    List<CancellationReason> reasons = e.cancellationReasons();
    if (!"ConditionalCheckFailed".equals(reasons.get(0).code())) {
      return false;
    }
    for (int i = 1; i < reasons.size(); i++) {
      String code = reasons.get(i).code();
      if (code != null && !"None".equals(code)) {
        return false;
      }
    }
    return true;
  }

  private static String reasons(TransactionCanceledException e) {
    if (!e.hasCancellationReasons()) {
      return "no reasons";
    }
    return String.join(",", e.cancellationReasons().stream().map(r -> String.valueOf(r.code())).toList());
  }

  static Map<String, AttributeValue> keyItem(String key, String patientId) {
    return Map.of("pk", AttributeValue.fromS(blockPk(key)), "sk", AttributeValue.fromS("PAT#" + patientId),
        "pid", AttributeValue.fromS(patientId));
  }

  static Map<String, AttributeValue> recordItem(String patientId, NormalizedPerson p) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put("pk", AttributeValue.fromS(patientPk(patientId)));
    item.put("sk", AttributeValue.fromS("REC#" + (p.recordId() == null ? NO_RECORD_ID : p.recordId())));
    item.put("pid", AttributeValue.fromS(patientId));
    putS(item, "recordId", p.recordId());
    putS(item, "given", p.given());
    putS(item, "givenFull", p.givenFull());
    putL(item, "givenOther", p.givenOther());
    putS(item, "surname", p.surname());
    putL(item, "surnameParts", p.surnameParts());
    putS(item, "suffix", p.suffix());
    putS(item, "dob", p.dob());
    putS(item, "sex", p.sex().name());
    putL(item, "phones", p.phones());
    putS(item, "email", p.email());
    putS(item, "streetNumber", p.streetNumber());
    putS(item, "unit", p.unit());
    putS(item, "streetName", p.streetName());
    putS(item, "addressExtra", p.addressExtra());
    putS(item, "city", p.city());
    putS(item, "state", p.state());
    putS(item, "postcode", p.postcode());
    putS(item, "ssnLast4", p.ssnLast4());
    putS(item, "nationalId", p.nationalId());
    return item;
  }

  static NormalizedPerson fromItem(Map<String, AttributeValue> item) {
    return new NormalizedPerson(s(item, "recordId"), s(item, "given"), s(item, "givenFull"), l(item, "givenOther"),
        s(item, "surname"), l(item, "surnameParts"), s(item, "suffix"), s(item, "dob"),
        item.containsKey("sex") ? Sex.valueOf(s(item, "sex")) : Sex.UNKNOWN, l(item, "phones"), s(item, "email"),
        s(item, "streetNumber"), s(item, "unit"), s(item, "streetName"), s(item, "addressExtra"), s(item, "city"),
        s(item, "state"), s(item, "postcode"), s(item, "ssnLast4"), s(item, "nationalId"));
  }

  private static void putS(Map<String, AttributeValue> item, String name, String value) {
    if (value != null) {
      item.put(name, AttributeValue.fromS(value));
    }
  }

  private static void putL(Map<String, AttributeValue> item, String name, List<String> values) {
    if (!values.isEmpty()) {
      item.put(name, AttributeValue.fromL(values.stream().map(AttributeValue::fromS).toList()));
    }
  }

  private static String s(Map<String, AttributeValue> item, String name) {
    AttributeValue v = item.get(name);
    return v == null ? null : v.s();
  }

  private static List<String> l(Map<String, AttributeValue> item, String name) {
    AttributeValue v = item.get(name);
    return v == null || !v.hasL() ? List.of() : v.l().stream().map(AttributeValue::s).toList();
  }
}
