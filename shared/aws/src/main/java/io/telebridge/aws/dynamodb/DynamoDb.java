package io.telebridge.aws.dynamodb;

import io.telebridge.aws.SignedHttp;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * The DynamoDB operations the adapters call, over DynamoDB's JSON protocol (awsJson1_0: {@code POST /},
 * {@code X-Amz-Target: DynamoDB_20120810.<Operation>}, SigV4 service {@code dynamodb}), sent by
 * {@link SignedHttp} (the SDK's signer, url-connection, 3 attempts on 5xx, throttling and I/O errors). It
 * replaces the SDK's DynamoDB client, whose module (2.8 MB, ~1,500 classes, every DynamoDB operation) no
 * function jar carries.
 *
 * <p>Operations: GetItem, PutItem, UpdateItem, DeleteItem, Query, BatchWriteItem, TransactWriteItems,
 * DescribeTable; each takes a {@link Request} (or fills one) and answers a {@link Result}. An error answer is
 * a {@link DynamoDbException}: {@link ConditionalCheckFailedException} (with the old item when asked),
 * {@link TransactionCanceledException} (with the reasons), {@link ResourceNotFoundException}, else the base
 * class with the code; no answer after the attempts is a {@code TransientException}. Nothing of a request
 * or an item is logged or put in a message.
 */
public final class DynamoDb {

  private static final String TARGET_PREFIX = "DynamoDB_20120810.";
  private static final String CONTENT_TYPE = "application/x-amz-json-1.0";

  /** The SDK's standard retry conditions (AwsErrorCode): throttling and transient error codes. */
  static final Set<String> RETRYABLE_CODES = Set.of("Throttling", "ThrottlingException", "ThrottledException",
      "ProvisionedThroughputExceededException", "SlowDown", "TooManyRequestsException", "RequestLimitExceeded",
      "BandwidthLimitExceeded", "RequestThrottled", "RequestThrottledException", "EC2ThrottledException",
      "TransactionInProgressException", "PriorRequestNotComplete", "RequestTimeout", "RequestTimeoutException",
      "InternalError", "InternalServerError");

  private final SignedHttp http;
  private final URI endpoint;

  /**
   * @param http signing (service {@code dynamodb}) and sending
   * @param endpoint the override ({@code AWS_ENDPOINT_URL_DYNAMODB} / {@code AWS_ENDPOINT_URL}), or null for
   *     {@code https://dynamodb.<region>.amazonaws.com}
   */
  public DynamoDb(SignedHttp http, URI endpoint) {
    this.http = http;
    this.endpoint = endpoint != null ? endpoint : URI.create("https://dynamodb." + http.region() + ".amazonaws.com");
  }

  /** The same client over another HTTP client (priming: one that sends nothing and answers {@code {}}). */
  public DynamoDb over(SdkHttpClient other) {
    return new DynamoDb(http.over(other), endpoint);
  }

  public URI endpoint() {
    return endpoint;
  }

  public Result getItem(Request request) {
    return call("GetItem", Wire.json(request));
  }

  public Result getItem(Consumer<Request> request) {
    return getItem(fill(request));
  }

  public Result putItem(Request request) {
    return call("PutItem", Wire.json(request));
  }

  public Result putItem(Consumer<Request> request) {
    return putItem(fill(request));
  }

  public Result updateItem(Request request) {
    return call("UpdateItem", Wire.json(request));
  }

  public Result updateItem(Consumer<Request> request) {
    return updateItem(fill(request));
  }

  public Result deleteItem(Request request) {
    return call("DeleteItem", Wire.json(request));
  }

  public Result query(Request request) {
    return call("Query", Wire.json(request));
  }

  public Result query(Consumer<Request> request) {
    return query(fill(request));
  }

  /** Up to 25 writes over one or more tables; {@link Result#unprocessedItems()} are left to send again. */
  public Result batchWriteItem(Map<String, List<WriteRequest>> requestItems) {
    Map<String, Object> tables = new LinkedHashMap<>();
    requestItems.forEach((table, writes) -> {
      List<Object> list = new ArrayList<>(writes.size());
      for (WriteRequest w : writes) {
        list.add(w.putItem() != null
            ? Map.of("PutRequest", Map.of("Item", Wire.json(w.putItem())))
            : Map.of("DeleteRequest", Map.of("Key", Wire.json(w.deleteKey()))));
      }
      tables.put(table, list);
    });
    return call("BatchWriteItem", Map.of("RequestItems", tables));
  }

  /** All or none of up to 100 item operations. */
  public Result transactWriteItems(List<TransactWriteItem> items) {
    List<Object> list = new ArrayList<>(items.size());
    for (TransactWriteItem item : items) {
      list.add(Map.of(item.kind().name(), Wire.json(item.request())));
    }
    return call("TransactWriteItems", Map.of("TransactItems", list));
  }

  public Result describeTable(String table) {
    return call("DescribeTable", Map.of("TableName", table));
  }

  private static Request fill(Consumer<Request> request) {
    Request r = new Request();
    request.accept(r);
    return r;
  }

  private Result call(String operation, Map<String, Object> body) {
    byte[] payload = Json.write(body);
    SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(endpoint.resolve("/"))
        .putHeader("Content-Type", CONTENT_TYPE)
        .putHeader("X-Amz-Target", TARGET_PREFIX + operation)
        .putHeader("Content-Length", Integer.toString(payload.length))
        .build();
    SignedHttp.Response response = http.send(request, payload, operation, DynamoDb::retryable);
    if (response.ok()) {
      return new Result(parse(response.body()));
    }
    throw error(operation, response);
  }

  static boolean retryable(SignedHttp.Response r) {
    if (r.status() >= 500 || r.status() == 429) {
      return true;
    }
    return r.status() == 400 && RETRYABLE_CODES.contains(code(parse(r.body())));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> parse(byte[] body) {
    if (body.length == 0) {
      return Map.of();
    }
    try {
      return Json.read(body) instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    } catch (RuntimeException notJson) {
      return Map.of();
    }
  }

  /** The error code: {@code __type} after its '#' (e.g. com.amazonaws.dynamodb.v20120810#ValidationException). */
  static String code(Map<String, Object> error) {
    Object type = error.get("__type");
    if (!(type instanceof String t) || t.isEmpty()) {
      return null;
    }
    return t.substring(t.lastIndexOf('#') + 1);
  }

  static DynamoDbException error(String operation, SignedHttp.Response response) {
    Map<String, Object> error = parse(response.body());
    String code = code(error);
    Object m = error.containsKey("message") ? error.get("message") : error.get("Message");
    String message = m == null ? null : m.toString();
    int status = response.status();
    if (code == null) {
      return new DynamoDbException(operation, "HTTP" + status, status, message);
    }
    return switch (code) {
      case "ConditionalCheckFailedException" ->
          new ConditionalCheckFailedException(operation, status, message,
              error.containsKey("Item") ? Wire.item(error.get("Item")) : null);
      case "TransactionCanceledException" -> new TransactionCanceledException(operation, status, message,
          reasons(error.get("CancellationReasons")));
      case "ResourceNotFoundException" -> new ResourceNotFoundException(operation, status, message);
      default -> new DynamoDbException(operation, code, status, message);
    };
  }

  private static List<TransactionCanceledException.CancellationReason> reasons(Object json) {
    List<TransactionCanceledException.CancellationReason> out = new ArrayList<>();
    if (json instanceof List<?> list) {
      for (Object r : list) {
        Map<?, ?> reason = (Map<?, ?>) r;
        out.add(new TransactionCanceledException.CancellationReason((String) reason.get("Code"),
            reason.containsKey("Item") ? Wire.item(reason.get("Item")) : null));
      }
    }
    return out;
  }

}
