package io.telebridge.local.scheduler;

import io.telebridge.local.EventSource;
import io.telebridge.local.lambda.FunctionError;
import io.telebridge.local.lambda.LocalFunction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.scheduler.SchedulerClient;
import software.amazon.awssdk.services.scheduler.model.GetScheduleResponse;
import software.amazon.awssdk.services.scheduler.model.ResourceNotFoundException;
import software.amazon.awssdk.services.scheduler.model.ScheduleState;
import software.amazon.awssdk.services.scheduler.model.ScheduleSummary;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Fires the template's one-time schedules, which moto stores but never fires: every poll it lists the
 * schedule groups' schedules ({@code ListSchedules}, then {@code GetSchedule} for the target), and for
 * each enabled {@code at(...)} schedule that is due (in its {@code ScheduleExpressionTimezone}) whose
 * target is a local function, invokes the function with the target's {@code Input}, as the scheduler's
 * asynchronous invocation would: on a function error it retries (the target's
 * {@code MaximumRetryAttempts}, default 2), then sends the input to the target's dead-letter queue with
 * the error. A fired one-time schedule is deleted (AWS: {@code ActionAfterCompletion: DELETE}; with
 * {@code NONE} it would stay, and locally it is deleted too, so it never fires twice). {@code rate()} and
 * {@code cron()} schedules are not fired (none in the template).
 */
public final class SchedulerEventSource implements EventSource {

  private static final Logger LOG = LoggerFactory.getLogger(SchedulerEventSource.class);
  private static final Pattern AT = Pattern.compile("at\\((\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2})\\)");

  private final SchedulerClient scheduler;
  private final SqsClient sqs;
  private final List<String> groups;
  private final Function<String, Optional<LocalFunction>> functionByArn;
  private final Function<String, String> queueUrlByArn;
  private final Duration every;
  private final Clock clock;
  private ScheduledExecutorService loop;
  private volatile int fired;

  /**
   * @param groups the template's schedule groups (by name)
   * @param queueUrlByArn a target DLQ's ARN → its local queue URL (null when not a local queue)
   */
  public SchedulerEventSource(SchedulerClient scheduler, SqsClient sqs, List<String> groups,
      Function<String, Optional<LocalFunction>> functionByArn, Function<String, String> queueUrlByArn, Duration every,
      Clock clock) {
    this.scheduler = scheduler;
    this.sqs = sqs;
    this.groups = List.copyOf(groups);
    this.functionByArn = functionByArn;
    this.queueUrlByArn = queueUrlByArn;
    this.every = every;
    this.clock = clock;
  }

  @Override
  public synchronized void start() {
    if (loop != null) {
      return;
    }
    loop = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "scheduler-" + String.join(",", groups));
      t.setDaemon(true);
      return t;
    });
    loop.scheduleWithFixedDelay(this::pollSafely, 0, every.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public String describe() {
    return "schedules of " + groups + " (EventBridge Scheduler, fired locally every " + every.toMillis() + " ms)";
  }

  /** How many schedules fired since start. */
  public int fired() {
    return fired;
  }

  private void pollSafely() {
    try {
      pollOnce();
    } catch (RuntimeException e) {
      LOG.warn("scheduler poll failed: {}", e.toString());
    }
  }

  /** One pass: fires every due schedule (public for tests that do not want to wait for the loop). */
  public synchronized int pollOnce() {
    int n = 0;
    for (String group : groups) {
      List<ScheduleSummary> summaries = new ArrayList<>();
      String token = null;
      do {
        String t = token;
        var page = scheduler.listSchedules(b -> b.groupName(group).nextToken(t));
        summaries.addAll(page.schedules());
        token = page.nextToken();
      } while (token != null && !token.isEmpty());
      for (ScheduleSummary s : summaries) {
        if (s.state() == ScheduleState.DISABLED) {
          continue;
        }
        GetScheduleResponse full;
        try {
          full = scheduler.getSchedule(b -> b.groupName(group).name(s.name()));
        } catch (ResourceNotFoundException gone) {
          continue;
        }
        Instant due = dueAt(full.scheduleExpression(), full.scheduleExpressionTimezone());
        if (due == null || due.isAfter(clock.instant())) {
          continue;
        }
        fire(group, full);
        n++;
      }
    }
    return n;
  }

  /** The instant of an {@code at(...)} expression in its time zone; null for rate/cron or unreadable. */
  static Instant dueAt(String expression, String timeZone) {
    if (expression == null) {
      return null;
    }
    Matcher m = AT.matcher(expression.trim());
    if (!m.matches()) {
      return null;
    }
    try {
      ZoneId zone = timeZone == null || timeZone.isBlank() ? ZoneId.of("UTC") : ZoneId.of(timeZone);
      return LocalDateTime.parse(m.group(1)).atZone(zone).toInstant();
    } catch (java.time.DateTimeException e) {
      return null;
    }
  }

  private void fire(String group, GetScheduleResponse s) {
    var target = s.target();
    Optional<LocalFunction> fn = target == null ? Optional.empty() : functionByArn.apply(target.arn());
    // one-time: deleted before the invocation, so a slow function is not fired again by the next poll
    try {
      scheduler.deleteSchedule(b -> b.groupName(group).name(s.name()));
    } catch (ResourceNotFoundException gone) {
      return; // deleted meanwhile (cancelled)
    }
    fired++;
    if (fn.isEmpty()) {
      LOG.warn("schedule {}/{} fired but its target {} is not a local function", group, s.name(),
          target == null ? null : target.arn());
      return;
    }
    String input = target.input() == null ? "{}" : target.input();
    int attempts = 1 + (target.retryPolicy() == null || target.retryPolicy().maximumRetryAttempts() == null ? 2
        : target.retryPolicy().maximumRetryAttempts());
    FunctionError last = null;
    for (int attempt = 1; attempt <= attempts; attempt++) {
      try {
        fn.get().invoke(input.getBytes(StandardCharsets.UTF_8));
        LOG.info("schedule {}/{} fired -> {}", group, s.name(), fn.get().logicalId());
        return;
      } catch (FunctionError e) {
        last = e;
        LOG.warn("schedule {}/{} -> {} failed (attempt {}/{}): {}", group, s.name(), fn.get().logicalId(), attempt,
            attempts, e.kind());
      }
    }
    String dlq = target.deadLetterConfig() == null ? null : queueUrlByArn.apply(target.deadLetterConfig().arn());
    if (dlq != null) {
      String error = last == null ? "" : String.valueOf(last.kind());
      sqs.sendMessage(b -> b.queueUrl(dlq).messageBody(input).messageAttributes(Map.of(
          "scheduleName", text(s.name()), "errorClass", text(error), "failedStage", text("scheduler"))));
    }
  }

  private static software.amazon.awssdk.services.sqs.model.MessageAttributeValue text(String v) {
    return software.amazon.awssdk.services.sqs.model.MessageAttributeValue.builder().dataType("String")
        .stringValue(v == null || v.isEmpty() ? "-" : v).build();
  }

  @Override
  public synchronized void close() {
    if (loop != null) {
      loop.shutdown();
      try {
        loop.awaitTermination(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      loop = null;
    }
  }
}
