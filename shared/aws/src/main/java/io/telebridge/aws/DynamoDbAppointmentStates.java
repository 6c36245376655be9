package io.telebridge.aws;

import io.telebridge.aws.dynamodb.AttributeValue;
import io.telebridge.aws.dynamodb.ConditionalCheckFailedException;
import io.telebridge.aws.dynamodb.DynamoDb;
import io.telebridge.aws.dynamodb.DynamoDbException;
import io.telebridge.aws.dynamodb.Request;
import io.telebridge.core.error.TransientException;
import io.telebridge.core.fromehr.AppointmentField;
import io.telebridge.core.fromehr.AppointmentState;
import io.telebridge.core.fromehr.AppointmentStates;
import io.telebridge.core.fromehr.ChangeSource;
import io.telebridge.core.fromehr.FieldState;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Appointment state for the conflict rule in the appointments table: one item per appointment,
 * {@code pk = APPT#<tenant>#<key>, sk = STATE}, with {@code version} (N) and per field
 * ({@code time}, {@code provider}, {@code status}) {@code <field>Value}, {@code <field>Source},
 * {@code <field>At}. Every write is a PutItem conditional on the version read
 * ({@value #CREATE_CONDITION} for the first, {@value #VERSION_CONDITION} after), so two writers never
 * overwrite each other: the loser gets {@code false} and decides again.
 */
public final class DynamoDbAppointmentStates implements AppointmentStates {

  static final String CREATE_CONDITION = "attribute_not_exists(pk)";
  static final String VERSION_CONDITION = "#version = :expected";

  private final DynamoDb dynamo;
  private final String table;

  public DynamoDbAppointmentStates(DynamoDb dynamo, String table) {
    this.dynamo = dynamo;
    this.table = table;
  }

  static Map<String, AttributeValue> key(String tenant, String key) {
    return Map.of("pk", AttributeValue.fromS("APPT#" + tenant + "#" + key), "sk", AttributeValue.fromS("STATE"));
  }

  @Override
  public Optional<AppointmentState> load(String tenant, String key) {
    try {
      Map<String, AttributeValue> item = dynamo.getItem(Request.create()
          .tableName(table).key(key(tenant, key)).consistentRead(true)).item();
      return item == null || item.isEmpty() ? Optional.empty() : Optional.of(fromItem(tenant, key, item));
    } catch (DynamoDbException e) {
      throw new TransientException("DynamoDB GetItem (appointments) failed (" + e.code() + ")", e);
    }
  }

  @Override
  public boolean save(AppointmentState next, long expectedVersion) {
    Request request = request(next, expectedVersion);
    try {
      dynamo.putItem(request);
      return true;
    } catch (ConditionalCheckFailedException conflict) {
      return false;
    } catch (DynamoDbException e) {
      throw new TransientException("DynamoDB PutItem (appointments) failed (" + e.code() + ")", e);
    }
  }

  /** The conditional write (package-private: the test pins its condition). */
  Request request(AppointmentState next, long expectedVersion) {
    Map<String, AttributeValue> item = new HashMap<>(key(next.tenant(), next.key()));
    item.put("tenant", AttributeValue.fromS(next.tenant()));
    item.put("appointmentKey", AttributeValue.fromS(next.key()));
    if (next.placerId() != null) {
      item.put("placerId", AttributeValue.fromS(next.placerId()));
    }
    if (next.fillerId() != null) {
      item.put("fillerId", AttributeValue.fromS(next.fillerId()));
    }
    item.put("version", AttributeValue.fromN(Long.toString(expectedVersion + 1)));
    next.fields().forEach((f, v) -> {
      String n = f.wireName();
      item.put(n + "Value", AttributeValue.fromS(v.value()));
      item.put(n + "Source", AttributeValue.fromS(v.source().name()));
      item.put(n + "At", AttributeValue.fromS(v.at().toString()));
    });
    Request b = Request.create().tableName(table).item(item);
    if (expectedVersion == 0) {
      b.conditionExpression(CREATE_CONDITION);
    } else {
      b.conditionExpression(VERSION_CONDITION)
          .expressionAttributeNames(Map.of("#version", "version"))
          .expressionAttributeValues(Map.of(":expected", AttributeValue.fromN(Long.toString(expectedVersion))));
    }
    return b;
  }

  private static AppointmentState fromItem(String tenant, String key, Map<String, AttributeValue> item) {
    Map<AppointmentField, FieldState> fields = new EnumMap<>(AppointmentField.class);
    for (AppointmentField f : AppointmentField.values()) {
      String n = f.wireName();
      String value = s(item, n + "Value");
      if (value != null) {
        fields.put(f, new FieldState(value, ChangeSource.valueOf(s(item, n + "Source")), Instant.parse(s(item, n + "At"))));
      }
    }
    AttributeValue version = item.get("version");
    return new AppointmentState(tenant, key, s(item, "placerId"), s(item, "fillerId"), fields,
        version == null ? 0 : Long.parseLong(version.n()));
  }

  private static String s(Map<String, AttributeValue> m, String name) {
    AttributeValue v = m.get(name);
    return v == null ? null : v.s();
  }
}
