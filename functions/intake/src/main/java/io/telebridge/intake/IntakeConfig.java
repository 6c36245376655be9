package io.telebridge.intake;

import io.telebridge.aws.AwsSettings;
import io.telebridge.core.config.EnvironmentReader;
import io.telebridge.core.intake.IntakeSettings;
import java.time.Duration;
import java.util.Map;

/**
 * The intake function's configuration, read once from the environment at cold start and
 * validated there (a missing variable fails the init, not the first request).
 *
 * <pre>
 *   INTAKE_QUEUE_URL             the intake FIFO queue (required)
 *   IDEMPOTENCY_TABLE            the idempotency table (required)
 *   WEBHOOK_SECRET_ARN           Secrets Manager secret with {"current": "...", "previous": "..."} (required)
 *   MAX_BODY_BYTES               default 245760, at most 262144: the limit of every type, and what travels inline
 *   PAYLOAD_BUCKET               the claim-check bucket (optional): set, a visit.note_signed body may be up to
 *                                MAX_NOTE_BODY_BYTES; above MAX_BODY_BYTES it is stored there and a claim check queued
 *   MAX_NOTE_BODY_BYTES          default 5242880 (5 MiB), at most 6000000 (Lambda's 6 MB synchronous payload)
 *   DATA_KEY_ARN                 the KMS key the payloads are encrypted with (SSE-KMS); empty: the bucket's default
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
    AwsSettings aws,
    String payloadBucket,
    String dataKeyArn) {

  public static IntakeConfig fromEnvironment(Map<String, String> env) {
    EnvironmentReader read = new EnvironmentReader("intake function", env);
    String queue = read.required("INTAKE_QUEUE_URL");
    String table = read.required("IDEMPOTENCY_TABLE");
    String secret = read.required("WEBHOOK_SECRET_ARN");
    String bucket = read.optional("PAYLOAD_BUCKET", "");
    String dataKey = read.optional("DATA_KEY_ARN", "");
    int timeoutSeconds = read.integer("AWS_LAMBDA_FUNCTION_TIMEOUT", 10);
    int maxBody = read.integer("MAX_BODY_BYTES", IntakeSettings.DEFAULT_MAX_BODY_BYTES);
    int maxNote = bucket.isBlank() ? maxBody : read.integer("MAX_NOTE_BODY_BYTES", IntakeSettings.DEFAULT_MAX_NOTE_BODY_BYTES);
    int tolerance = read.integer("SIGNATURE_TOLERANCE_SECONDS", 300);
    int retentionHours = read.integer("IDEMPOTENCY_RETENTION_HOURS", 168);
    int refresh = read.integer("SECRET_REFRESH_SECONDS", 300);
    read.check();
    IntakeSettings settings = new IntakeSettings(
        maxBody,
        Duration.ofSeconds(tolerance),
        // a claim must outlive the invocation that holds it
        Duration.ofSeconds(Math.max(30, timeoutSeconds + 5)),
        Duration.ofSeconds(5),
        maxNote);
    return new IntakeConfig(queue, table, secret, settings, Duration.ofHours(retentionHours),
        Duration.ofSeconds(refresh), AwsSettings.fromEnvironment(env), bucket.isBlank() ? null : bucket,
        dataKey.isBlank() ? null : dataKey);
  }
}
