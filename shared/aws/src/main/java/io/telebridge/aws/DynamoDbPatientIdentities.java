package io.telebridge.aws;

import io.telebridge.core.error.TransientException;
import io.telebridge.core.identity.CrossReference;
import io.telebridge.core.identity.PatientIdentities;
import io.telebridge.core.model.Identifier;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * Cross-references in the identity table. One item per platform patient:
 * {@code pk = PLATFORM#<tenant>#<platform id>, sk = XREF}, with {@code ehrIds} (a list of
 * {value, authority, type}), {@code registeredByEvent} and {@code createdAt}. The key layout leaves
 * room for the matcher's blocking keys and review cases in the same table (issue 4).
 */
public final class DynamoDbPatientIdentities implements PatientIdentities {

  static final String REGISTER_CONDITION = "attribute_not_exists(pk)";

  private final DynamoDbClient dynamo;
  private final String table;

  public DynamoDbPatientIdentities(DynamoDbClient dynamo, String table) {
    this.dynamo = dynamo;
    this.table = table;
  }

  static Map<String, AttributeValue> key(String tenant, String platformPatientId) {
    return Map.of("pk", AttributeValue.fromS("PLATFORM#" + tenant + "#" + platformPatientId), "sk", AttributeValue.fromS("XREF"));
  }

  @Override
  public Optional<CrossReference> find(String tenant, String platformPatientId) {
    try {
      Map<String, AttributeValue> item = dynamo.getItem(GetItemRequest.builder()
          .tableName(table).key(key(tenant, platformPatientId)).consistentRead(true).build()).item();
      return item == null || item.isEmpty() ? Optional.empty() : Optional.of(fromItem(item));
    } catch (SdkException e) {
      throw new TransientException("DynamoDB GetItem (identity) failed (" + e.getClass().getSimpleName() + ")", e);
    }
  }

  @Override
  public CrossReference registerIfAbsent(String tenant, String platformPatientId, String eventId, Instant now) {
    Map<String, AttributeValue> item = new java.util.HashMap<>(key(tenant, platformPatientId));
    item.put("tenant", AttributeValue.fromS(tenant));
    item.put("platformPatientId", AttributeValue.fromS(platformPatientId));
    item.put("ehrIds", AttributeValue.fromL(List.of()));
    item.put("registeredByEvent", AttributeValue.fromS(eventId));
    item.put("createdAt", AttributeValue.fromS(now.toString()));
    try {
      dynamo.putItem(PutItemRequest.builder().tableName(table).item(item)
          .conditionExpression(REGISTER_CONDITION)
          .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
          .build());
      return fromItem(item);
    } catch (ConditionalCheckFailedException exists) {
      return exists.item() != null && !exists.item().isEmpty()
          ? fromItem(exists.item())
          : find(tenant, platformPatientId).orElseThrow();
    } catch (SdkException e) {
      throw new TransientException("DynamoDB PutItem (identity) failed (" + e.getClass().getSimpleName() + ")", e);
    }
  }

  private static CrossReference fromItem(Map<String, AttributeValue> item) {
    List<Identifier> ids = new ArrayList<>();
    AttributeValue list = item.get("ehrIds");
    if (list != null && list.hasL()) {
      for (AttributeValue v : list.l()) {
        Map<String, AttributeValue> m = v.m();
        ids.add(new Identifier(s(m, "value"), s(m, "authority"), s(m, "type")));
      }
    }
    String created = s(item, "createdAt");
    return new CrossReference(s(item, "tenant"), s(item, "platformPatientId"), ids, s(item, "registeredByEvent"),
        created == null ? null : Instant.parse(created));
  }

  private static String s(Map<String, AttributeValue> m, String name) {
    AttributeValue v = m.get(name);
    return v == null ? null : v.s();
  }
}
