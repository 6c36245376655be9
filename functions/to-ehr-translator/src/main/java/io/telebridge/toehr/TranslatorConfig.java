package io.telebridge.toehr;

import io.telebridge.hl7v2.EhrProfile;
import io.telebridge.aws.AwsSettings;
import io.telebridge.aws.ContextScheduleSettings;
import io.telebridge.core.config.EnvironmentReader;
import io.telebridge.core.context.FhirSource;
import java.util.Map;

/**
 * The to-EHR translator's configuration, read once from the environment at cold start.
 *
 * <pre>
 *   TO_EHR_QUEUE_URL   the to-EHR FIFO queue (required)
 *   INTAKE_DLQ_URL     the intake queue's FIFO DLQ: events that can never translate go there at once, with the reason (required)
 *   IDENTITY_TABLE     the identity table (required)
 *   EHR_PROFILE        the EHR profile name or file path (default generic-epic-like)
 *   TENANTS            optional: tenant -> its EHR profile and connection, JSON ({@link io.telebridge.hl7v2.TenantDirectory});
 *                      set, a tenant's events are built with its own profile and an unlisted tenant's are refused
 *   REVIEW_CALLER_TENANTS  the review API only: principal ARN -> tenants it may review ({@link ReviewAccess})
 *   ENVIRONMENT        dev | test | prod: HL7 MSH-11 processing id (P in prod)
 *   PAYLOAD_BUCKET     optional: the claim-check bucket: an intake message that is a claim check is redeemed from it
 *                      (verified), and an HL7 message above the to-EHR queue's inline limit is stored there and
 *                      queued as a claim check for the MLLP bridge. Unset: claim checks are refused to the DLQ and
 *                      a message that does not fit the queue is refused with its size
 *   DATA_KEY_ARN       optional: the KMS key of the stored messages (SSE-KMS); empty: the bucket's default
 *   APPOINTMENTS_TABLE optional: where appointment changes pushed to the EHR are recorded (source PLATFORM)
 *                      for the return path's conflict rule, so the EHR's echo of them is not looped back
 *   CONTEXT_SCHEDULE_GROUP ... optional ({@link ContextScheduleSettings}): each booked appointment gets a pre-visit
 *                      context pull (EventBridge Scheduler), moved on reschedule, deleted on cancel / no-show
 *   FHIR_BASE_URL, FHIR_AUTH, FHIR_SMART_*, FHIR_PAGE_SIZE, FHIR_MRN_SYSTEM
 *                      optional: the deployment's default FHIR source ({@link FhirSource#deploymentDefault}) the visit
 *                      events of tenants whose EHR profile says fhir.visitRecord fhir or both are written to, when the
 *                      profile names no fhir.source of its own (the context reads use the same source)
 * </pre>
 */
public record TranslatorConfig(
    String toEhrQueueUrl, String intakeDlqUrl, String identityTable, String ehrProfile, String environment,
    String appointmentsTable, String tenants, AwsSettings aws, String payloadBucket, String dataKeyArn,
    ContextScheduleSettings contextSchedules, FhirSource fhirSource) {

  public static TranslatorConfig fromEnvironment(Map<String, String> env) {
    EnvironmentReader read = new EnvironmentReader("to-EHR translator", env);
    String queue = read.required("TO_EHR_QUEUE_URL");
    String dlq = read.required("INTAKE_DLQ_URL");
    String table = read.required("IDENTITY_TABLE");
    read.check();
    return new TranslatorConfig(queue, dlq, table,
        read.optional("EHR_PROFILE", EhrProfile.DEFAULT_NAME),
        read.optional("ENVIRONMENT", "dev"),
        read.optional("APPOINTMENTS_TABLE", null),
        read.optional("TENANTS", ""),
        AwsSettings.fromEnvironment(env),
        read.optional("PAYLOAD_BUCKET", null),
        read.optional("DATA_KEY_ARN", null),
        ContextScheduleSettings.fromEnvironment(env),
        FhirSource.deploymentDefault("to-EHR translator", env));
  }
}
