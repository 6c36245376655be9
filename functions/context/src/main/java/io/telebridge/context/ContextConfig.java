package io.telebridge.context;

import io.telebridge.aws.AwsSettings;
import io.telebridge.aws.ContextScheduleSettings;
import io.telebridge.core.config.EnvironmentReader;
import io.telebridge.core.context.FhirSource;
import io.telebridge.hl7v2.EhrProfile;
import java.time.Duration;
import java.util.Map;

/**
 * The context function's configuration (both handlers), read once at cold start and validated there.
 *
 * <pre>
 *   TO_PLATFORM_QUEUE_URL        the to-platform FIFO queue: context events go out through the platform delivery (required)
 *   CONTEXT_DLQ_URL              the context function's DLQ: pulls that failed after the retries, with the reason (required)
 *   IDENTITY_TABLE               the identity index: platform patient → MRN (required)
 *   APPOINTMENTS_TABLE           appointment states: a pull for a cancelled / no-show appointment does nothing (optional)
 *   CONTEXT_CACHE_TABLE          the on-demand cache (optional: without it every request pulls)
 *   CONTEXT_CACHE_SECONDS        how long a cached context is fresh, default 900
 *   WEBHOOK_SECRET_ARN           the tenants' webhook secrets (on-demand requests are signed as webhooks are)
 *   EHR_PROFILE, TENANTS         each tenant's EHR profile ({@link io.telebridge.hl7v2.TenantDirectory}; without
 *                                TENANTS every tenant is on EHR_PROFILE): its {@code fhir.source} is the tenant's
 *                                FHIR source, with the profile's MRN system and authority
 *   FHIR_BASE_URL, FHIR_AUTH, FHIR_SMART_*, FHIR_PAGE_SIZE, FHIR_MRN_SYSTEM
 *                                the deployment's default source, for profiles that name none
 *                                ({@link FhirSource#deploymentDefault}); a tenant with neither: no_fhir_source
 *   CONTEXT_SCHEDULE_GROUP ...   ContextScheduleSettings: where an on-demand request the EHR is too slow for
 *                                is handed to (a schedule now), the context then delivered as a webhook
 *   ON_DEMAND_WAIT_MILLIS        how long an on-demand request waits for a pull before 202, default 8000
 *   JOURNAL_TABLE ...            JournalSettings: where a pull the context flow's switch held back is journaled
 *   FLOW_SWITCHES_TABLE, SHADOW_TABLE ...   FlowSwitchSettings: the tenant's context flow (on, off, shadow)
 * </pre>
 */
record ContextConfig(String toPlatformQueueUrl, String dlqUrl, String identityTable, String appointmentsTable,
    String cacheTable, Duration cacheMaxAge, String webhookSecretArn, FhirSource defaultSource, String ehrProfile,
    String tenants, ContextScheduleSettings schedules, Duration onDemandWait, AwsSettings aws,
    io.telebridge.aws.JournalSettings journal, io.telebridge.aws.FlowSwitchSettings switches) {

  static ContextConfig fromEnvironment(Map<String, String> env) {
    EnvironmentReader read = new EnvironmentReader("context function", env);
    String queue = read.required("TO_PLATFORM_QUEUE_URL");
    String dlq = read.required("CONTEXT_DLQ_URL");
    String identity = read.required("IDENTITY_TABLE");
    String appointments = read.optional("APPOINTMENTS_TABLE", "");
    String cache = read.optional("CONTEXT_CACHE_TABLE", "");
    int cacheSeconds = read.integer("CONTEXT_CACHE_SECONDS", 900);
    String secret = read.optional("WEBHOOK_SECRET_ARN", "");
    String profile = read.optional("EHR_PROFILE", EhrProfile.DEFAULT_NAME);
    String tenants = read.optional("TENANTS", "");
    int wait = read.integer("ON_DEMAND_WAIT_MILLIS", 8000);
    read.check();
    FhirSource fhir = FhirSource.deploymentDefault("context function", env);
    return new ContextConfig(queue, dlq, identity, blankToNull(appointments), blankToNull(cache),
        Duration.ofSeconds(cacheSeconds), blankToNull(secret), fhir, profile, tenants,
        ContextScheduleSettings.fromEnvironment(env), Duration.ofMillis(wait), AwsSettings.fromEnvironment(env),
        io.telebridge.aws.JournalSettings.fromEnvironment(env), io.telebridge.aws.FlowSwitchSettings.fromEnvironment(env));
  }

  static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
