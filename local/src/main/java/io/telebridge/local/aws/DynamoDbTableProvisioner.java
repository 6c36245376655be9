package io.telebridge.local.aws;

import io.telebridge.local.template.StackResolver;
import io.telebridge.local.template.TemplateException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.LocalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughput;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.Tag;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/**
 * {@code AWS::DynamoDB::Table} (and {@code AWS::Serverless::SimpleTable}) in moto. The table name
 * is {@code TableName} when set, otherwise the logical id. Carried over: AttributeDefinitions,
 * KeySchema, BillingMode / ProvisionedThroughput, GlobalSecondaryIndexes, LocalSecondaryIndexes,
 * StreamSpecification, Tags, then TimeToLiveSpecification through UpdateTimeToLive. Ignored: SSE,
 * point-in-time recovery, contributor insights, deletion protection.
 */
public final class DynamoDbTableProvisioner implements ResourceProvisioner {

  private static final Logger LOG = LoggerFactory.getLogger(DynamoDbTableProvisioner.class);

  private final DynamoDbClient dynamo;
  private final String type;

  public DynamoDbTableProvisioner(DynamoDbClient dynamo, String type) {
    this.dynamo = dynamo;
    this.type = type;
  }

  @Override
  public String type() {
    return type;
  }

  public static String tableName(String logicalId, Map<String, Object> properties) {
    Object explicit = properties.get("TableName");
    return explicit == null ? logicalId : StackResolver.scalarToString(explicit);
  }

  @Override
  public ProvisionedResource provision(String logicalId, Map<String, Object> properties) {
    String name = tableName(logicalId, properties);
    CreateTableRequest request = type.equals("AWS::Serverless::SimpleTable")
        ? simpleTable(logicalId, name, properties)
        : table(logicalId, name, properties);
    TableDescription table;
    try {
      table = dynamo.createTable(request).tableDescription();
    } catch (ResourceInUseException e) {
      table = dynamo.describeTable(b -> b.tableName(name)).table();
      LOG.info("table {} already existed", name);
    }
    if (properties.get("TimeToLiveSpecification") instanceof Map<?, ?> ttl
        && "true".equalsIgnoreCase(StackResolver.scalarToString(ttl.get("Enabled")))) {
      String attribute = StackResolver.scalarToString(ttl.get("AttributeName"));
      boolean already = "ENABLED".equals(dynamo.describeTimeToLive(b -> b.tableName(name))
          .timeToLiveDescription().timeToLiveStatusAsString());
      if (!already) {
        dynamo.updateTimeToLive(b -> b.tableName(name)
            .timeToLiveSpecification(t -> t.attributeName(attribute).enabled(true)));
      }
    }
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put("Arn", table.tableArn());
    if (table.latestStreamArn() != null) {
      attributes.put("StreamArn", table.latestStreamArn());
    }
    return new ProvisionedResource(logicalId, type, name, attributes);
  }

  private static CreateTableRequest table(String logicalId, String name, Map<String, Object> p) {
    CreateTableRequest.Builder b = CreateTableRequest.builder().tableName(name);
    b.attributeDefinitions(list(p.get("AttributeDefinitions")).stream()
        .map(d -> AttributeDefinition.builder()
            .attributeName(str(d.get("AttributeName")))
            .attributeType(str(d.get("AttributeType")))
            .build())
        .toList());
    List<Map<String, Object>> keySchema = list(p.get("KeySchema"));
    if (keySchema.isEmpty()) {
      throw new TemplateException(logicalId + ": KeySchema is required");
    }
    b.keySchema(keys(keySchema));
    ProvisionedThroughput throughput = throughput(p.get("ProvisionedThroughput"));
    String billing = p.get("BillingMode") != null ? str(p.get("BillingMode"))
        : throughput != null ? "PROVISIONED" : "PAY_PER_REQUEST";
    b.billingMode(BillingMode.fromValue(billing));
    if ("PROVISIONED".equals(billing)) {
      b.provisionedThroughput(throughput != null ? throughput : ProvisionedThroughput.builder()
          .readCapacityUnits(5L).writeCapacityUnits(5L).build());
    }
    List<GlobalSecondaryIndex> gsis = new ArrayList<>();
    for (Map<String, Object> g : list(p.get("GlobalSecondaryIndexes"))) {
      GlobalSecondaryIndex.Builder gb = GlobalSecondaryIndex.builder()
          .indexName(str(g.get("IndexName")))
          .keySchema(keys(list(g.get("KeySchema"))))
          .projection(projection(g.get("Projection")));
      if ("PROVISIONED".equals(billing)) {
        ProvisionedThroughput t = throughput(g.get("ProvisionedThroughput"));
        gb.provisionedThroughput(t != null ? t : ProvisionedThroughput.builder()
            .readCapacityUnits(5L).writeCapacityUnits(5L).build());
      }
      gsis.add(gb.build());
    }
    if (!gsis.isEmpty()) {
      b.globalSecondaryIndexes(gsis);
    }
    List<LocalSecondaryIndex> lsis = new ArrayList<>();
    for (Map<String, Object> l : list(p.get("LocalSecondaryIndexes"))) {
      lsis.add(LocalSecondaryIndex.builder()
          .indexName(str(l.get("IndexName")))
          .keySchema(keys(list(l.get("KeySchema"))))
          .projection(projection(l.get("Projection")))
          .build());
    }
    if (!lsis.isEmpty()) {
      b.localSecondaryIndexes(lsis);
    }
    if (p.get("StreamSpecification") instanceof Map<?, ?> s && s.get("StreamViewType") != null) {
      b.streamSpecification(StreamSpecification.builder()
          .streamEnabled(true).streamViewType(str(s.get("StreamViewType"))).build());
    }
    List<Tag> tags = new ArrayList<>();
    for (Map<String, Object> t : list(p.get("Tags"))) {
      tags.add(Tag.builder().key(str(t.get("Key"))).value(str(t.get("Value"))).build());
    }
    if (!tags.isEmpty()) {
      b.tags(tags);
    }
    return b.build();
  }

  private static CreateTableRequest simpleTable(String logicalId, String name, Map<String, Object> p) {
    String keyName = "id";
    String keyType = "S";
    if (p.get("PrimaryKey") instanceof Map<?, ?> pk) {
      keyName = str(pk.get("Name"));
      keyType = switch (str(pk.get("Type"))) {
        case "Number" -> "N";
        case "Binary" -> "B";
        default -> "S";
      };
    }
    ProvisionedThroughput throughput = throughput(p.get("ProvisionedThroughput"));
    CreateTableRequest.Builder b = CreateTableRequest.builder().tableName(name)
        .attributeDefinitions(AttributeDefinition.builder().attributeName(keyName).attributeType(keyType).build())
        .keySchema(KeySchemaElement.builder().attributeName(keyName).keyType("HASH").build());
    if (throughput != null) {
      b.billingMode(BillingMode.PROVISIONED).provisionedThroughput(throughput);
    } else {
      b.billingMode(BillingMode.PAY_PER_REQUEST);
    }
    return b.build();
  }

  private static List<KeySchemaElement> keys(List<Map<String, Object>> schema) {
    return schema.stream()
        .map(k -> KeySchemaElement.builder()
            .attributeName(str(k.get("AttributeName")))
            .keyType(str(k.get("KeyType")))
            .build())
        .toList();
  }

  private static Projection projection(Object value) {
    if (!(value instanceof Map<?, ?> p)) {
      return Projection.builder().projectionType("ALL").build();
    }
    Projection.Builder b = Projection.builder()
        .projectionType(p.get("ProjectionType") == null ? "ALL" : str(p.get("ProjectionType")));
    if (p.get("NonKeyAttributes") instanceof List<?> attrs && !attrs.isEmpty()) {
      b.nonKeyAttributes(attrs.stream().map(StackResolver::scalarToString).toList());
    }
    return b.build();
  }

  private static ProvisionedThroughput throughput(Object value) {
    if (!(value instanceof Map<?, ?> t)) {
      return null;
    }
    return ProvisionedThroughput.builder()
        .readCapacityUnits(Long.parseLong(str(t.get("ReadCapacityUnits"))))
        .writeCapacityUnits(Long.parseLong(str(t.get("WriteCapacityUnits"))))
        .build();
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> list(Object value) {
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof List<?> l)) {
      throw new TemplateException("expected a list, got " + value);
    }
    List<Map<String, Object>> out = new ArrayList<>();
    for (Object o : l) {
      if (o instanceof Map<?, ?> m) {
        out.add((Map<String, Object>) m);
      }
    }
    return out;
  }

  private static String str(Object value) {
    return StackResolver.scalarToString(value);
  }
}
