package io.telebridge.local.testfn;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * Test handler for HTTP API routes: answers with what it received, so tests can check the v2 event
 * the local API built. Headers {@code x-test-throw} and {@code x-test-sleep-ms} make it fail or
 * run long; {@code x-test-binary} makes it answer a base64 body.
 */
public class EchoHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final Map<String, String> environment;

  public EchoHandler() {
    this(io.telebridge.core.config.ProcessEnvironment.read());
  }

  public EchoHandler(Map<String, String> environment) {
    this.environment = Map.copyOf(environment);
  }

  @Override
  public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
    Map<String, String> headers = event.getHeaders() == null ? Map.of() : event.getHeaders();
    if (headers.containsKey("x-test-throw")) {
      throw new IllegalStateException("synthetic failure");
    }
    if (headers.containsKey("x-test-sleep-ms")) {
      try {
        Thread.sleep(Long.parseLong(headers.get("x-test-sleep-ms")));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (headers.containsKey("x-test-binary")) {
      return APIGatewayV2HTTPResponse.builder()
          .withStatusCode(200)
          .withHeaders(Map.of("Content-Type", "application/octet-stream"))
          .withBody("AAEC/w==")
          .withIsBase64Encoded(true)
          .build();
    }
    Map<String, Object> echo = new LinkedHashMap<>();
    echo.put("version", event.getVersion());
    echo.put("routeKey", event.getRouteKey());
    echo.put("rawPath", event.getRawPath());
    echo.put("rawQueryString", event.getRawQueryString());
    echo.put("cookies", event.getCookies());
    echo.put("headers", headers);
    echo.put("queryStringParameters", event.getQueryStringParameters());
    echo.put("pathParameters", event.getPathParameters());
    echo.put("body", event.getBody());
    echo.put("isBase64Encoded", event.getIsBase64Encoded());
    var rc = event.getRequestContext();
    Map<String, Object> ctx = new LinkedHashMap<>();
    ctx.put("accountId", rc.getAccountId());
    ctx.put("apiId", rc.getApiId());
    ctx.put("stage", rc.getStage());
    ctx.put("routeKey", rc.getRouteKey());
    ctx.put("requestId", rc.getRequestId());
    ctx.put("timeEpoch", rc.getTimeEpoch());
    ctx.put("time", rc.getTime());
    ctx.put("method", rc.getHttp().getMethod());
    ctx.put("path", rc.getHttp().getPath());
    ctx.put("sourceIp", rc.getHttp().getSourceIp());
    ctx.put("userAgent", rc.getHttp().getUserAgent());
    if (rc.getAuthorizer() != null && rc.getAuthorizer().getIam() != null) {
      ctx.put("iamUserArn", rc.getAuthorizer().getIam().getUserArn());
      ctx.put("iamAccessKey", rc.getAuthorizer().getIam().getAccessKey());
    }
    echo.put("requestContext", ctx);
    echo.put("environment", environment);
    echo.put("functionName", context.getFunctionName());
    echo.put("awsRequestId", context.getAwsRequestId());
    echo.put("remainingTimeInMillis", context.getRemainingTimeInMillis());
    context.getLogger().log("echo " + event.getRouteKey());
    return APIGatewayV2HTTPResponse.builder()
        .withStatusCode(headers.containsKey("x-test-status") ? Integer.parseInt(headers.get("x-test-status")) : 200)
        .withHeaders(Map.of("Content-Type", "application/json", "X-Echo", "yes"))
        .withCookies(List.of("session=abc; Path=/"))
        .withBody(JSON.writeValueAsString(echo))
        .build();
  }
}
