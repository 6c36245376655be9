package io.telebridge.intake;

import io.telebridge.aws.AwsSettings;
import io.telebridge.core.intake.IntakeSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The intake function's configuration, read once from the environment at cold start and
 * validated there (a missing variable fails the init, not the first request).
 *
 * <pre>
 *   INTAKE_QUEUE_URL             the intake FIFO queue (required)
 *   IDEMPOTENCY_TABLE            the idempotency table (required)
 *   WEBHOOK_SECRET_ARN           Secrets Manager secret with {"current": "...", "previous": "..."} (required)
 *   MAX_BODY_BYTES               default 245760, at most 262144
 *   IDEMPOTENCY_RETENTION_HOURS  how long accepted event ids are remembered, default 168
 *   SIGNATURE_TOLERANCE_SECONDS  default 300
 *   SECRET_REFRESH_SECONDS       default 300
 * </pre>
 */
public record IntakeConfig(
    String queueUrl,
    String idempotencyTable,
    String secretArn,
    IntakeSettings settings,
    Duration retention,
    Duration secretRefresh,
    AwsSettings aws) {

  public static IntakeConfig fromEnvironment(Map<String, String> env) {
    List<String> missing = new ArrayList<>();
    String queue = required(env, "INTAKE_QUEUE_URL", missing);
    String table = required(env, "IDEMPOTENCY_TABLE", missing);
    String secret = required(env, "WEBHOOK_SECRET_ARN", missing);
    if (!missing.isEmpty()) {
      throw new IllegalStateException("intake function misconfigured; missing environment: " + String.join(", ", missing));
    }
    int timeoutSeconds = intOf(env, "AWS_LAMBDA_FUNCTION_TIMEOUT", 10);
    IntakeSettings settings = new IntakeSettings(
        intOf(env, "MAX_BODY_BYTES", IntakeSettings.DEFAULT_MAX_BODY_BYTES),
        Duration.ofSeconds(intOf(env, "SIGNATURE_TOLERANCE_SECONDS", 300)),
        // a claim must outlive the invocation that holds it
        Duration.ofSeconds(Math.max(30, timeoutSeconds + 5)),
        Duration.ofSeconds(5));
    return new IntakeConfig(queue, table, secret, settings,
        Duration.ofHours(intOf(env, "IDEMPOTENCY_RETENTION_HOURS", 168)),
        Duration.ofSeconds(intOf(env, "SECRET_REFRESH_SECONDS", 300)),
        AwsSettings.fromEnvironment(env));
  }

  private static String required(Map<String, String> env, String name, List<String> missing) {
    String v = env.get(name);
    if (v == null || v.isBlank()) {
      missing.add(name);
      return null;
    }
    return v.trim();
  }

  private static int intOf(Map<String, String> env, String name, int fallback) {
    String v = env.get(name);
    if (v == null || v.isBlank()) {
      return fallback;
    }
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalStateException(name + " must be an integer");
    }
  }
}
