package io.telebridge.aws;

import io.telebridge.core.context.ContextSchedules;
import io.telebridge.core.context.PullSchedule;
import io.telebridge.core.error.TransientException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.scheduler.SchedulerClient;
import software.amazon.awssdk.services.scheduler.model.ActionAfterCompletion;
import software.amazon.awssdk.services.scheduler.model.ConflictException;
import software.amazon.awssdk.services.scheduler.model.FlexibleTimeWindowMode;
import software.amazon.awssdk.services.scheduler.model.ResourceNotFoundException;
import software.amazon.awssdk.services.scheduler.model.Target;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@link ContextSchedules} port on EventBridge Scheduler: one one-time schedule per tenant and
 * appointment in the stack's schedule group, named {@link PullSchedule#nameOf}, {@code at(...)} in UTC,
 * flexible window off, deleted after it fires. Its target is the context function with the input
 * {@code {"tenant","appointmentId","patientId"[,"onDemand":true]}} (ids, no PHI), the scheduler's role, a retry policy
 * and the target DLQ. Create, and on {@code ConflictException} (it exists) update: a redelivered
 * booking and a reschedule both land on the one schedule.
 */
public final class EventBridgeContextSchedules implements ContextSchedules {

  private static final DateTimeFormatter AT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /**
   * @param group the schedule group (template: ContextScheduleGroup)
   * @param targetArn the context function's ARN
   * @param roleArn the role the scheduler assumes (may invoke the context function only)
   * @param deadLetterArn the target DLQ (standard SQS) for invocations the scheduler could not make
   */
  public record Settings(String group, String targetArn, String roleArn, String deadLetterArn, int retryAttempts) {}

  private final java.util.function.Supplier<SchedulerClient> scheduler;
  private final Settings settings;

  public EventBridgeContextSchedules(SchedulerClient scheduler, Settings settings) {
    this(() -> scheduler, settings);
  }

  /**
   * With the client built on first use ({@code clients::scheduler}): for a function that calls the scheduler on a
   * rare path only (the context function: an on-demand request the EHR is too slow for), so its cold start does not
   * build a client its first request does not need.
   */
  public EventBridgeContextSchedules(java.util.function.Supplier<SchedulerClient> scheduler, Settings settings) {
    this.scheduler = scheduler;
    this.settings = settings;
  }

  /** The target input the context function receives when the schedule fires. */
  public static String input(PullSchedule s) {
    ObjectNode n = JSON.createObjectNode();
    n.put("tenant", s.tenant());
    if (s.appointmentId() != null) {
      n.put("appointmentId", s.appointmentId());
    }
    n.put("patientId", s.platformPatientId());
    if (s.onDemand()) {
      n.put("onDemand", true);
    }
    return JSON.writeValueAsString(n);
  }

  /** {@code at(yyyy-mm-ddThh:mm:ss)} of the instant in UTC, rounded up to the second. */
  public static String expression(java.time.Instant at) {
    java.time.Instant up = at.truncatedTo(ChronoUnit.SECONDS).equals(at) ? at : at.truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
    return "at(" + AT.format(LocalDateTime.ofInstant(up, ZoneOffset.UTC)) + ")";
  }

  @Override
  public void put(PullSchedule s) {
    Target target = Target.builder().arn(settings.targetArn()).roleArn(settings.roleArn()).input(input(s))
        .retryPolicy(r -> r.maximumRetryAttempts(settings.retryAttempts()).maximumEventAgeInSeconds(3600))
        .deadLetterConfig(d -> d.arn(settings.deadLetterArn()))
        .build();
    String expression = expression(s.at());
    try {
      try {
        scheduler.get().createSchedule(b -> b.name(s.name()).groupName(settings.group()).scheduleExpression(expression)
            .scheduleExpressionTimezone("UTC").flexibleTimeWindow(f -> f.mode(FlexibleTimeWindowMode.OFF))
            .actionAfterCompletion(ActionAfterCompletion.DELETE).target(target)
            .description("context pull before the visit"));
      } catch (ConflictException exists) {
        scheduler.get().updateSchedule(b -> b.name(s.name()).groupName(settings.group()).scheduleExpression(expression)
            .scheduleExpressionTimezone("UTC").flexibleTimeWindow(f -> f.mode(FlexibleTimeWindowMode.OFF))
            .actionAfterCompletion(ActionAfterCompletion.DELETE).target(target)
            .description("context pull before the visit"));
      }
    } catch (SdkException e) {
      throw new TransientException("EventBridge Scheduler put " + s.name() + " failed (" + e.getClass().getSimpleName()
          + ")", e);
    }
  }

  @Override
  public void delete(String tenant, String appointmentId) {
    String name = PullSchedule.nameOf(tenant, appointmentId);
    try {
      scheduler.get().deleteSchedule(b -> b.name(name).groupName(settings.group()));
    } catch (ResourceNotFoundException gone) {
      // fired already (deleted after completion) or never scheduled
    } catch (SdkException e) {
      throw new TransientException("EventBridge Scheduler delete " + name + " failed (" + e.getClass().getSimpleName()
          + ")", e);
    }
  }

  /**
   * A Scheduler client of {@link Priming#unsent(io.telebridge.aws.dynamodb.DynamoDb)}'s kind, for SnapStart priming:
   * no schedule is created or deleted. Here, not in {@code Priming}: the Scheduler module is optional, and a
   * public method of Priming naming it breaks reflection on Priming in every jar without it.
   */
  public static SchedulerClient unsent(SchedulerClient live) {
    var c = live.serviceClientConfiguration();
    var b = SchedulerClient.builder().region(c.region())
        .credentialsProvider(c.credentialsProvider()).overrideConfiguration(c.overrideConfiguration())
        .httpClient(new Priming.Unsent());
    c.endpointOverride().ifPresent(b::endpointOverride);
    return b.build();
  }
}
