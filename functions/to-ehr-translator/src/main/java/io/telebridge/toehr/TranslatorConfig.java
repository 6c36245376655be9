package io.telebridge.toehr;

import io.telebridge.aws.AwsSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The to-EHR translator's configuration, read once from the environment at cold start.
 *
 * <pre>
 *   TO_EHR_QUEUE_URL   the to-EHR FIFO queue (required)
 *   INTAKE_DLQ_URL     the intake queue's FIFO DLQ: events that can never translate go there at once, with the reason (required)
 *   IDENTITY_TABLE     the identity table (required)
 *   EHR_PROFILE        the EHR profile name or file path (default generic-epic-like)
 *   ENVIRONMENT        dev | test | prod: HL7 MSH-11 processing id (P in prod)
 * </pre>
 */
public record TranslatorConfig(
    String toEhrQueueUrl, String intakeDlqUrl, String identityTable, String ehrProfile, String environment, AwsSettings aws) {

  public static TranslatorConfig fromEnvironment(Map<String, String> env) {
    List<String> missing = new ArrayList<>();
    String queue = required(env, "TO_EHR_QUEUE_URL", missing);
    String dlq = required(env, "INTAKE_DLQ_URL", missing);
    String table = required(env, "IDENTITY_TABLE", missing);
    if (!missing.isEmpty()) {
      throw new IllegalStateException("to-EHR translator misconfigured; missing environment: " + String.join(", ", missing));
    }
    return new TranslatorConfig(queue, dlq, table,
        env.getOrDefault("EHR_PROFILE", "generic-epic-like"),
        env.getOrDefault("ENVIRONMENT", "dev"),
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
}
