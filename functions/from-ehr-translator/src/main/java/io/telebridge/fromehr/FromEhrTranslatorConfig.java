package io.telebridge.fromehr;

import io.telebridge.hl7v2.EhrProfile;
import io.telebridge.aws.AwsSettings;
import io.telebridge.core.config.EnvironmentReader;
import io.telebridge.core.fromehr.ConflictPolicy;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Map;

/**
 * The from-EHR translator's configuration, read once from the environment at cold start.
 *
 * <pre>
 *   FROM_EHR_DLQ_URL       the from-EHR queue's FIFO DLQ: messages that can never be read go there at once, with the reason (required)
 *   TO_PLATFORM_QUEUE_URL  the to-platform FIFO queue (required)
 *   APPOINTMENTS_TABLE     appointment state for the conflict rule (required)
 *   IDENTITY_TABLE         the identity table (EHR patient index) (required)
 *   TENANTS                tenant -> EHR profile and EHR connection (sending facilities), JSON ({@link io.telebridge.hl7v2.TenantDirectory})
 *   TENANT                 without TENANTS: the one tenant that owns the EHR connection (one of the two is required)
 *   CONFLICT_POLICY        which system wins each field, e.g. time:EHR,provider:EHR,status:EHR (the default)
 *   EHR_TIME_ZONE          zone of HL7 times sent without an offset (default UTC)
 *   EHR_PROFILE            EHR profile name or file: its platform authority finds the platform id in PID-3 (default generic-epic-like)
 * </pre>
 */
public record FromEhrTranslatorConfig(
    String fromEhrDlqUrl,
    String toPlatformQueueUrl,
    String appointmentsTable,
    String identityTable,
    String tenant,
    String tenants,
    ConflictPolicy conflictPolicy,
    ZoneId ehrTimeZone,
    String ehrProfile,
    AwsSettings aws) {

  public static FromEhrTranslatorConfig fromEnvironment(Map<String, String> env) {
    EnvironmentReader read = new EnvironmentReader("from-EHR translator", env);
    String dlq = read.required("FROM_EHR_DLQ_URL");
    String queue = read.required("TO_PLATFORM_QUEUE_URL");
    String appointments = read.required("APPOINTMENTS_TABLE");
    String identity = read.required("IDENTITY_TABLE");
    String tenants = read.optional("TENANTS", "");
    String tenant = tenants.isBlank() ? read.required("TENANT") : read.optional("TENANT", "");
    ConflictPolicy policy = ConflictPolicy.ehrWins();
    String policyText = read.optional("CONFLICT_POLICY", "");
    ZoneId zone = ZoneId.of("UTC");
    String problems = "";
    try {
      policy = ConflictPolicy.parse(policyText);
    } catch (IllegalArgumentException e) {
      problems += e.getMessage();
    }
    try {
      zone = ZoneId.of(read.optional("EHR_TIME_ZONE", "UTC"));
    } catch (DateTimeException e) {
      problems += (problems.isEmpty() ? "" : "; ") + "EHR_TIME_ZONE is not a time zone id";
    }
    try {
      read.check();
    } catch (IllegalStateException e) {
      throw new IllegalStateException(e.getMessage() + (problems.isEmpty() ? "" : "; " + problems));
    }
    if (!problems.isEmpty()) {
      throw new IllegalStateException("from-EHR translator misconfigured: " + problems);
    }
    return new FromEhrTranslatorConfig(dlq, queue, appointments, identity, tenant, tenants, policy, zone,
        read.optional("EHR_PROFILE", EhrProfile.DEFAULT_NAME), AwsSettings.fromEnvironment(env));
  }
}
