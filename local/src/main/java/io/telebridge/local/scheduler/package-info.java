/**
 * EventBridge Scheduler on the local stack. moto serves the Scheduler API (create, get, update,
 * delete schedules and schedule groups) but never fires a schedule, so:
 * <ul>
 *   <li>{@link io.telebridge.local.scheduler.ScheduleGroupProvisioner} creates the template's
 *       {@code AWS::Scheduler::ScheduleGroup}s in moto (kept across restarts with their schedules);</li>
 *   <li>{@link io.telebridge.local.scheduler.SchedulerEventSource} polls those groups and fires each due
 *       one-time {@code at(...)} schedule whose target is a local function (the target's {@code Input},
 *       its retry policy, then its dead-letter queue), deleting it as {@code ActionAfterCompletion: DELETE}
 *       does.</li>
 * </ul>
 * SAM {@code Schedule} / {@code ScheduleV2} events and {@code rate()} / {@code cron()} expressions are
 * not fired (the template has none).
 */
package io.telebridge.local.scheduler;
