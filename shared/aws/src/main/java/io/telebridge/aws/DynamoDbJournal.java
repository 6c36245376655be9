package io.telebridge.aws;

import io.telebridge.aws.dynamodb.AttributeValue;
import io.telebridge.aws.dynamodb.DynamoDb;
import io.telebridge.aws.dynamodb.DynamoDbException;
import io.telebridge.aws.dynamodb.Request;
import io.telebridge.aws.dynamodb.Result;
import io.telebridge.core.error.TransientException;
import io.telebridge.core.journal.Journal;
import io.telebridge.core.journal.JournalEntry;
import io.telebridge.core.journal.JournalReader;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The journal table: one item per step, {@code pk = <tenant>|<subject>} (e.g. {@code acme|event:evt-1},
 * {@code acme|hl7:SIU0001}), {@code sk = <ISO instant>|<stage>|<outcome>|<attempt>}, so one Query
 * returns a subject's steps in time order and the tenant is part of every key. Steps that name an
 * appointment or a platform patient also carry {@code apptKey = <tenant>|<appointmentId>} and
 * {@code patientKey = <tenant>|<platformPatientId>}, the hash keys of the {@value #BY_APPOINTMENT} and
 * {@value #BY_PATIENT} indexes (KEYS_ONLY). Every step carries {@code hourKey = <tenant>|<yyyy-MM-ddTHH>} (UTC),
 * the hash key of the {@value #BY_TENANT_HOUR} index (range {@code sk}, all attributes): a tenant's steps
 * of one hour in one Query, for the console's figures ({@link #recorded}). {@code expiresAt} (epoch seconds) is the TTL attribute:
 * the step's time plus the retention (JOURNAL_RETENTION_DAYS, default 30).
 *
 * <p>One PutItem per step, unconditional: a repeated step (a redelivered message) writes the same key
 * again only when it happens at the same instant; otherwise it shows as the repetition it is.
 */
public final class DynamoDbJournal implements Journal, JournalReader {

  public static final String BY_APPOINTMENT = "byAppointment";
  public static final String BY_PATIENT = "byPatient";
  public static final String BY_TENANT_HOUR = "byTenantHour";
  public static final Duration DEFAULT_RETENTION = Duration.ofDays(30);

  private final DynamoDb dynamo;
  private final String table;
  private final Duration retention;

  public DynamoDbJournal(DynamoDb dynamo, String table, Duration retention) {
    this.dynamo = dynamo;
    this.table = table;
    this.retention = retention;
  }

  /** The journal a stage writes to: none without a table name (a stage deployed before the journal). */
  public static Journal of(DynamoDb dynamo, String table, Duration retention) {
    return table == null || table.isBlank() ? Journal.NONE : new DynamoDbJournal(dynamo, table, retention);
  }

  @Override
  public void record(JournalEntry e) {
    try {
      dynamo.putItem(b -> b.tableName(table).item(item(e, retention)));
    } catch (DynamoDbException ex) {
      throw new TransientException("DynamoDB PutItem (journal) failed (" + ex.code() + ")", ex);
    }
  }

  static Map<String, AttributeValue> item(JournalEntry e, Duration retention) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put("pk", s(e.tenant() + "|" + e.subject()));
    item.put("sk", s(e.at() + "|" + e.stage() + "|" + e.outcome() + "|" + e.attempt()));
    item.put("tenant", s(e.tenant()));
    item.put("hourKey", s(hourKey(e.tenant(), e.at())));
    item.put("subject", s(e.subject()));
    item.put("stage", s(e.stage()));
    item.put("outcome", s(e.outcome()));
    item.put("at", s(e.at().toString()));
    item.put("attempt", AttributeValue.fromN(Integer.toString(e.attempt())));
    item.put("expiresAt", AttributeValue.fromN(Long.toString(e.at().plus(retention).getEpochSecond())));
    put(item, "type", e.type());
    put(item, "errorClass", e.errorClass());
    put(item, "errorCode", e.errorCode());
    put(item, "waitsAt", e.waitsAt());
    put(item, "by", e.by());
    put(item, "appointmentId", e.appointmentId());
    put(item, "platformPatientId", e.platformPatientId());
    if (e.appointmentId() != null && !e.appointmentId().isEmpty()) {
      item.put("apptKey", s(e.tenant() + "|" + e.appointmentId()));
    }
    if (e.platformPatientId() != null && !e.platformPatientId().isEmpty()) {
      item.put("patientKey", s(e.tenant() + "|" + e.platformPatientId()));
    }
    if (!e.links().isEmpty()) {
      item.put("links", AttributeValue.fromL(e.links().stream().map(DynamoDbJournal::s).toList()));
    }
    return item;
  }

  @Override
  public List<JournalEntry> entries(String tenant, String subject) {
    List<JournalEntry> out = new ArrayList<>();
    for (Map<String, AttributeValue> item : query(Request.create().tableName(table)
        .keyConditionExpression("pk = :pk").expressionAttributeValues(Map.of(":pk", s(tenant + "|" + subject)))
        .consistentRead(true))) {
      out.add(entry(item));
    }
    return out;
  }

  /** One Query of the time index per hour from {@code from} to {@code to}, filtered to the instants asked. */
  @Override
  public List<JournalEntry> recorded(String tenant, Instant from, Instant to, int limit) {
    List<JournalEntry> out = new ArrayList<>();
    for (Instant hour = from.truncatedTo(ChronoUnit.HOURS); hour.isBefore(to) && out.size() < limit;
        hour = hour.plus(1, ChronoUnit.HOURS)) {
      List<Map<String, AttributeValue>> items = query(Request.create().tableName(table).indexName(BY_TENANT_HOUR)
          .keyConditionExpression("hourKey = :h").expressionAttributeValues(Map.of(":h", s(hourKey(tenant, hour)))),
          limit - out.size());
      List<JournalEntry> inHour = new ArrayList<>();
      for (Map<String, AttributeValue> item : items) {
        JournalEntry e = entry(item);
        if (!e.at().isBefore(from) && e.at().isBefore(to)) {
          inHour.add(e);
        }
      }
      inHour.sort(Comparator.comparing(JournalEntry::at));
      out.addAll(inHour.subList(0, Math.min(inHour.size(), limit - out.size())));
    }
    return out;
  }

  static String hourKey(String tenant, Instant at) {
    return tenant + "|" + at.truncatedTo(ChronoUnit.HOURS).toString().substring(0, 13);
  }

  @Override
  public List<String> subjectsOfAppointment(String tenant, String appointmentId) {
    return subjects(BY_APPOINTMENT, "apptKey", tenant, appointmentId);
  }

  @Override
  public List<String> subjectsOfPatient(String tenant, String platformPatientId) {
    return subjects(BY_PATIENT, "patientKey", tenant, platformPatientId);
  }

  private List<String> subjects(String index, String attribute, String tenant, String id) {
    LinkedHashSet<String> out = new LinkedHashSet<>();
    String prefix = tenant + "|";
    for (Map<String, AttributeValue> item : query(Request.create().tableName(table).indexName(index)
        .keyConditionExpression("#k = :k").expressionAttributeNames(Map.of("#k", attribute))
        .expressionAttributeValues(Map.of(":k", s(tenant + "|" + id))))) {
      String pk = item.get("pk").s();
      if (pk.startsWith(prefix)) {
        out.add(pk.substring(prefix.length()));
      }
    }
    return List.copyOf(out);
  }

  private List<Map<String, AttributeValue>> query(Request request) {
    return query(request, 1000);
  }

  /** Every page of the query until at least {@code cap} items were read (then as many as the last page held). */
  private List<Map<String, AttributeValue>> query(Request request, int cap) {
    List<Map<String, AttributeValue>> items = new ArrayList<>();
    Map<String, AttributeValue> start = null;
    try {
      do {
        Result page = dynamo.query(request.exclusiveStartKey(start));
        items.addAll(page.items());
        start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
      } while (start != null && items.size() < cap);
    } catch (DynamoDbException e) {
      throw new TransientException("DynamoDB Query (journal) failed (" + e.code() + ")", e);
    }
    return items;
  }

  static JournalEntry entry(Map<String, AttributeValue> item) {
    List<String> links = item.containsKey("links") ? item.get("links").l().stream().map(AttributeValue::s).toList()
        : List.of();
    return new JournalEntry(str(item, "tenant"), str(item, "subject"), str(item, "stage"), str(item, "type"),
        str(item, "outcome"), item.containsKey("attempt") ? Integer.parseInt(item.get("attempt").n()) : 0,
        str(item, "errorClass"), str(item, "errorCode"), Instant.parse(str(item, "at")), links, str(item, "waitsAt"),
        str(item, "appointmentId"), str(item, "platformPatientId"), str(item, "by"));
  }

  /** Days from JOURNAL_RETENTION_DAYS (default 30). */
  public static Duration retention(String days) {
    if (days == null || days.isBlank()) {
      return DEFAULT_RETENTION;
    }
    int d = Integer.parseInt(days.trim());
    if (d < 1 || d > 3650) {
      throw new IllegalArgumentException("JOURNAL_RETENTION_DAYS must be 1..3650");
    }
    return Duration.ofDays(d);
  }


  private static String str(Map<String, AttributeValue> item, String name) {
    AttributeValue v = item.get(name);
    return v == null ? null : v.s();
  }

  private static void put(Map<String, AttributeValue> item, String name, String value) {
    if (value != null && !value.isEmpty()) {
      item.put(name, s(value));
    }
  }

  private static AttributeValue s(String v) {
    return AttributeValue.fromS(v == null ? "" : v);
  }
}
