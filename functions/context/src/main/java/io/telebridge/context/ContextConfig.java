package io.telebridge.context;

import io.telebridge.aws.AwsSettings;
import io.telebridge.aws.ContextScheduleSettings;
import io.telebridge.core.config.EnvironmentReader;
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
 *   FHIR_BASE_URL                the FHIR R4 base URL (empty: no FHIR source, every pull is unavailable: no_fhir_source)
 *   FHIR_AUTH                    none | healthlake (SigV4 with the function's role) | smart (SMART Backend Services)
 *   FHIR_SMART_CLIENT_ID, FHIR_SMART_TOKEN_URL, FHIR_SMART_KEY_SECRET_ARN (the private JWK), FHIR_SMART_SCOPES: for smart
 *   FHIR_MRN_SYSTEM              the identifier system of the MRNs in FHIR (required with FHIR_BASE_URL)
 *   FHIR_MRN_AUTHORITY           the HL7 assigning authority of those MRNs in the identity index (e.g. EPI)
 *   CONTEXT_SCHEDULE_GROUP ...   ContextScheduleSettings: where an on-demand request the EHR is too slow for
 *                                is handed to (a schedule now), the context then delivered as a webhook
 *   ON_DEMAND_WAIT_MILLIS        how long an on-demand request waits for a pull before 202, default 8000
 *   JOURNAL_TABLE ...            JournalSettings: where a pull the context flow's switch held back is journaled
 *   FLOW_SWITCHES_TABLE, SHADOW_TABLE ...   FlowSwitchSettings: the tenant's context flow (on, off, shadow)
 * </pre>
 */
record ContextConfig(String toPlatformQueueUrl, String dlqUrl, String identityTable, String appointmentsTable,
    String cacheTable, Duration cacheMaxAge, String webhookSecretArn, String fhirBaseUrl, String fhirAuth,
    String smartClientId, String smartTokenUrl, String smartKeySecretArn, String smartScopes, String mrnSystem,
    String mrnAuthority, ContextScheduleSettings schedules, Duration onDemandWait, AwsSettings aws,
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
    String fhir = read.optional("FHIR_BASE_URL", "");
    String auth = read.optional("FHIR_AUTH", "none");
    String mrnSystem = read.optional("FHIR_MRN_SYSTEM", "");
    int wait = read.integer("ON_DEMAND_WAIT_MILLIS", 8000);
    read.check();
    if (!fhir.isBlank() && mrnSystem.isBlank()) {
      throw new IllegalStateException("context function: FHIR_MRN_SYSTEM is required with FHIR_BASE_URL");
    }
    if (!java.util.Set.of("none", "healthlake", "smart").contains(auth)) {
      throw new IllegalStateException("context function: FHIR_AUTH must be none, healthlake or smart, not " + auth);
    }
    return new ContextConfig(queue, dlq, identity, blankToNull(appointments), blankToNull(cache),
        Duration.ofSeconds(cacheSeconds), blankToNull(secret), blankToNull(fhir), auth,
        blankToNull(env.get("FHIR_SMART_CLIENT_ID")), blankToNull(env.get("FHIR_SMART_TOKEN_URL")),
        blankToNull(env.get("FHIR_SMART_KEY_SECRET_ARN")), blankToNull(env.get("FHIR_SMART_SCOPES")),
        blankToNull(mrnSystem), blankToNull(env.get("FHIR_MRN_AUTHORITY")), ContextScheduleSettings.fromEnvironment(env), Duration.ofMillis(wait),
        AwsSettings.fromEnvironment(env), io.telebridge.aws.JournalSettings.fromEnvironment(env),
        io.telebridge.aws.FlowSwitchSettings.fromEnvironment(env));
  }

  static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
