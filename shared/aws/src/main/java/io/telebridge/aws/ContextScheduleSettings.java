package io.telebridge.aws;

import io.telebridge.core.context.ScheduleContextPull;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Where pre-visit context pulls are scheduled, read from the environment the same way by the to-EHR
 * translator (which schedules) and the context function (which hands a slow on-demand pull to a
 * schedule):
 *
 * <pre>
 *   CONTEXT_SCHEDULE_GROUP       the schedule group (unset: no schedules)
 *   CONTEXT_FUNCTION_ARN         the target: the context function
 *   CONTEXT_SCHEDULER_ROLE_ARN   the role the scheduler assumes (invoke the context function only)
 *   CONTEXT_TARGET_DLQ_ARN       the target DLQ
 *   CONTEXT_LEAD_MINUTES         60 (default), or per tenant {"tenant": 1, "default": 60}
 * </pre>
 */
public record ContextScheduleSettings(EventBridgeContextSchedules.Settings target, Map<String, Duration> lead,
    Duration defaultLead) {

  public static final int RETRY_ATTEMPTS = 2;

  /** Null when CONTEXT_SCHEDULE_GROUP is unset. */
  public static ContextScheduleSettings fromEnvironment(Map<String, String> env) {
    String group = env.get("CONTEXT_SCHEDULE_GROUP");
    if (group == null || group.isBlank()) {
      return null;
    }
    Map<String, Duration> lead = new LinkedHashMap<>();
    Duration fallback = ScheduleContextPull.DEFAULT_LEAD;
    String spec = env.getOrDefault("CONTEXT_LEAD_MINUTES", "").trim();
    try {
      if (spec.startsWith("{")) {
        JsonNode n = JsonMapper.builder().build().readTree(spec);
        for (var e : n.properties()) {
          Duration d = Duration.ofMinutes(e.getValue().asLong());
          if ("default".equals(e.getKey())) {
            fallback = d;
          } else {
            lead.put(e.getKey(), d);
          }
        }
      } else if (!spec.isEmpty()) {
        fallback = Duration.ofMinutes(Long.parseLong(spec));
      }
    } catch (RuntimeException e) {
      throw new IllegalStateException("CONTEXT_LEAD_MINUTES must be minutes or {\"<tenant>\": minutes, \"default\": minutes}");
    }
    return new ContextScheduleSettings(new EventBridgeContextSchedules.Settings(group,
        require(env, "CONTEXT_FUNCTION_ARN"), require(env, "CONTEXT_SCHEDULER_ROLE_ARN"),
        require(env, "CONTEXT_TARGET_DLQ_ARN"), RETRY_ATTEMPTS), Map.copyOf(lead), fallback);
  }

  public Duration leadOf(String tenant) {
    return lead.getOrDefault(tenant, defaultLead);
  }

  private static String require(Map<String, String> env, String name) {
    String v = env.get(name);
    if (v == null || v.isBlank()) {
      throw new IllegalStateException(name + " is required with CONTEXT_SCHEDULE_GROUP");
    }
    return v;
  }
}
