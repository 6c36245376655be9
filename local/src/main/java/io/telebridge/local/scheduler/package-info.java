/**
 * Extension point for EventBridge Scheduler (not emulated yet).
 *
 * <p>moto serves the Scheduler API (create, get, update, delete schedules and schedule groups)
 * but never fires a schedule. When a later issue needs schedules to fire locally:
 * <ol>
 *   <li>provision {@code AWS::Scheduler::ScheduleGroup} / {@code AWS::Scheduler::Schedule}
 *       resources with a {@link io.telebridge.local.aws.ResourceProvisioner} registered in
 *       {@code LocalStack#provisioners};</li>
 *   <li>implement an {@link io.telebridge.local.EventSource} that polls moto's
 *       {@code ListSchedules} / {@code GetSchedule} (endpoint {@code AWS_ENDPOINT_URL_SCHEDULER})
 *       and, for each due {@code at(...)} / {@code rate(...)} / {@code cron(...)} schedule whose
 *       target ARN is a local function ({@code LocalStack#functionByArn}), invokes it with the
 *       target's {@code Input} (or a Scheduler event), honouring
 *       {@code ActionAfterCompletion: DELETE} for one-time schedules;</li>
 *   <li>bind it in {@code LocalStack#bindEvent} for the SAM event types {@code Schedule}
 *       and {@code ScheduleV2}, which today are reported as "not emulated" at start-up.</li>
 * </ol>
 */
package io.telebridge.local.scheduler;
