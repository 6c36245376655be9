package io.telebridge.local.bench;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.util.Map;

/**
 * The cold-start baseline: an API Gateway v2 handler that does nothing but answer 202 with a
 * constant body. Same probe, same classpath as the intake handler; the difference between the
 * two is what the intake's own code and dependencies cost.
 */
public final class BareHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

  @Override
  public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
    return APIGatewayV2HTTPResponse.builder()
        .withStatusCode(202)
        .withHeaders(Map.of("Content-Type", "application/json"))
        .withBody("{\"status\":\"accepted\"}")
        .build();
  }
}
