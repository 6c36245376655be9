package io.telebridge.aws;

import io.telebridge.core.error.TransientException;
import io.telebridge.core.identity.EhrPatient;
import io.telebridge.core.identity.EhrPatientIndex;
import io.telebridge.core.model.Identifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * The {@link EhrPatientIndex} on the identity table, minimal: one item per EHR chart,
 * {@code pk = EHR#<tenant>#<authority>#<MRN>, sk = LINKS}, with {@code platformPatientIds} (a string
 * set). Every write is an idempotent UpdateItem ({@code ADD} to the set), so a redelivered message
 * changes nothing more.
 *
 * <ul>
 *   <li>{@link #upsert}: links the platform patient the EHR echoes in PID-3 (if any) to the MRN;
 *   <li>{@link #merge}: adds the prior chart's platform patients to the survivor's and marks the
 *       prior chart {@code mergedInto} (its set is left for audit);
 *   <li>{@link #platformPatientsOf}: reads the set (a merged chart answers with its survivor's).
 * </ul>
 *
 * Blocking keys for the matcher and review cases are the matching issue's (not filed here).
 */
public final class DynamoDbEhrPatientIndex implements EhrPatientIndex {

  private final DynamoDbClient dynamo;
  private final String table;

  public DynamoDbEhrPatientIndex(DynamoDbClient dynamo, String table) {
    this.dynamo = dynamo;
    this.table = table;
  }

  static Map<String, AttributeValue> key(String tenant, Identifier mrn) {
    return Map.of("pk", AttributeValue.fromS("EHR#" + tenant + "#" + (mrn.assigningAuthority() == null ? ""
        : mrn.assigningAuthority()) + "#" + mrn.value()), "sk", AttributeValue.fromS("LINKS"));
  }

  @Override
  public List<String> upsert(String tenant, EhrPatient patient) {
    Identifier mrn = patient.mrn();
    String echoed = patient.demographics() == null ? null : patient.demographics().platformPatientId();
    try {
      UpdateItemRequest.Builder b = UpdateItemRequest.builder().tableName(table).key(key(tenant, mrn));
      if (echoed != null && !echoed.isBlank()) {
        b.updateExpression("SET tenant = :t, mrn = :m ADD platformPatientIds :p")
            .expressionAttributeValues(Map.of(":t", AttributeValue.fromS(tenant), ":m", AttributeValue.fromS(mrn.value()),
                ":p", AttributeValue.fromSs(List.of(echoed))));
      } else {
        b.updateExpression("SET tenant = :t, mrn = :m")
            .expressionAttributeValues(Map.of(":t", AttributeValue.fromS(tenant), ":m", AttributeValue.fromS(mrn.value())));
      }
      dynamo.updateItem(b.build());
    } catch (SdkException e) {
      throw new TransientException("DynamoDB UpdateItem (identity) failed (" + e.getClass().getSimpleName() + ")", e);
    }
    return platformPatientsOf(tenant, mrn);
  }

  @Override
  public List<String> merge(String tenant, Identifier survivor, Identifier prior) {
    List<String> moved = read(tenant, prior).platformIds();
    try {
      if (!moved.isEmpty()) {
        dynamo.updateItem(UpdateItemRequest.builder().tableName(table).key(key(tenant, survivor))
            .updateExpression("SET tenant = :t, mrn = :m ADD platformPatientIds :p")
            .expressionAttributeValues(Map.of(":t", AttributeValue.fromS(tenant),
                ":m", AttributeValue.fromS(survivor.value()), ":p", AttributeValue.fromSs(moved)))
            .build());
      }
      dynamo.updateItem(UpdateItemRequest.builder().tableName(table).key(key(tenant, prior))
          .updateExpression("SET tenant = :t, mrn = :m, mergedInto = :s")
          .expressionAttributeValues(Map.of(":t", AttributeValue.fromS(tenant), ":m", AttributeValue.fromS(prior.value()),
              ":s", AttributeValue.fromS(key(tenant, survivor).get("pk").s())))
          .build());
    } catch (SdkException e) {
      throw new TransientException("DynamoDB UpdateItem (identity merge) failed (" + e.getClass().getSimpleName() + ")", e);
    }
    return platformPatientsOf(tenant, survivor);
  }

  @Override
  public List<String> platformPatientsOf(String tenant, Identifier mrn) {
    Links links = read(tenant, mrn);
    if (links.mergedInto() != null) {
      return readPk(links.mergedInto()).platformIds();
    }
    return links.platformIds();
  }

  private record Links(List<String> platformIds, String mergedInto) {}

  private Links read(String tenant, Identifier mrn) {
    return readPk(key(tenant, mrn).get("pk").s());
  }

  private Links readPk(String pk) {
    try {
      Map<String, AttributeValue> item = dynamo.getItem(GetItemRequest.builder().tableName(table)
          .key(Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS("LINKS")))
          .consistentRead(true).build()).item();
      if (item == null || item.isEmpty()) {
        return new Links(List.of(), null);
      }
      AttributeValue ids = item.get("platformPatientIds");
      List<String> list = ids == null || !ids.hasSs() ? List.of() : new ArrayList<>(ids.ss());
      AttributeValue merged = item.get("mergedInto");
      return new Links(list.stream().sorted().toList(), merged == null ? null : merged.s());
    } catch (SdkException e) {
      throw new TransientException("DynamoDB GetItem (identity) failed (" + e.getClass().getSimpleName() + ")", e);
    }
  }
}
