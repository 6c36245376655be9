package io.telebridge.context;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.telebridge.aws.lambda.LambdaJson;
import io.telebridge.core.config.ProcessEnvironment;
import io.telebridge.core.context.ContextRequest;
import io.telebridge.core.context.PullContext;
import io.telebridge.core.switches.FlowGate;
import io.telebridge.core.switches.FlowMode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The context function, as the target of a pre-visit schedule (EventBridge Scheduler invokes it
 * asynchronously with {@code {"tenant","appointmentId","patientId"}}): one pull, the outcome on the
 * to-platform queue. A pull for an appointment cancelled meanwhile does nothing. A FHIR server that
 * stays down goes to the DLQ with the reason and the platform gets {@code patient.context.unavailable}
 * (PullContext); an input that is not a pull request throws (Lambda's retries, then the function's DLQ).
 * It reads and writes its plain JSON with the functions' one codec ({@link LambdaJson}).
 * The tenant's context flow switch: off, nothing is pulled ({@code switched-off}); shadow, the context is
 * pulled and kept for comparison, not sent ({@code shadowed}); both journaled (PullContext).
 */
public final class ContextPullHandler implements RequestStreamHandler {

  private final PullContext pull;

  /** SnapStart priming (Lambda's entry only), held for the CRaC context. */
  private io.telebridge.aws.Priming priming;

  /** Lambda's entry: wiring built once per container, primed before the SnapStart snapshot. */
  public ContextPullHandler() {
    this(ContextWiring.of(ContextConfig.fromEnvironment(ProcessEnvironment.forLambda())), true);
  }

  private ContextPullHandler(ContextWiring wiring, boolean snapStart) {
    this(wiring.pull());
    if (snapStart) {
      this.priming = wiring.priming()
          // the codec's read and write (the stream entry itself would pull: a side effect)
          .step("request parsing", () -> {
            request(LambdaJson.readObject(new java.io.ByteArrayInputStream(
                "{\"tenant\":\"prime\",\"patientId\":\"prime\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8))));
            LambdaJson.write(LambdaJson.object().put("outcome", "skipped"), new java.io.ByteArrayOutputStream());
          })
          .register();
    }
  }

  public ContextPullHandler(Map<String, String> environment) {
    this(ContextWiring.of(ContextConfig.fromEnvironment(environment)).pull());
  }

  ContextPullHandler(PullContext pull) {
    this.pull = pull;
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
    JsonNode in = LambdaJson.readObject(input);
    ContextRequest request = request(in);
    // an on-demand request handed on (the EHR was slow): pulled whatever the appointment's state
    JsonNode onDemand = in.get("onDemand");
    PullContext.Result result = onDemand != null && onDemand.asBoolean() ? pull.pull(request) : pull.scheduled(request);
    ObjectNode out = LambdaJson.object();
    if (result.skipped()) {
      out.put("outcome", "skipped");
    } else if (result.heldBy() != null) {
      // the tenant's context flow is off (nothing pulled) or in shadow (pulled, kept, not sent): journaled
      out.put("outcome", result.heldBy() == FlowMode.OFF ? FlowGate.SWITCHED_OFF : FlowGate.SHADOWED);
      if (result.outcome() != null) {
        out.put("eventId", result.outcome().eventId());
      }
    } else {
      out.put("outcome", result.outcome().eventType());
      out.put("eventId", result.outcome().eventId());
    }
    LambdaJson.write(out, output);
  }

  static ContextRequest request(JsonNode in) {
    String tenant = text(in, "tenant");
    String patient = text(in, "patientId");
    if (tenant == null || patient == null) {
      throw new IllegalArgumentException("a context pull needs tenant and patientId");
    }
    return new ContextRequest(tenant, patient, text(in, "appointmentId"));
  }

  private static String text(JsonNode in, String field) {
    JsonNode v = in == null ? null : in.get(field);
    return v == null || !v.isString() || v.asString().isBlank() ? null : v.asString();
  }
}
