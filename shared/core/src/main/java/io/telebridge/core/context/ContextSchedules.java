package io.telebridge.core.context;

/**
 * Port: one-time schedules that pull a patient's context before the visit (EventBridge Scheduler in
 * AWS), one per tenant and appointment, named {@link PullSchedule#nameOf}.
 *
 * @throws io.telebridge.core.error.TransientException when the scheduler is unavailable
 */
public interface ContextSchedules {

  ContextSchedules NONE = new ContextSchedules() {
    @Override
    public void put(PullSchedule schedule) {}

    @Override
    public void delete(String tenant, String appointmentId) {}
  };

  /** Creates the appointment's schedule, or moves it when it exists (a redelivered booking changes nothing). */
  void put(PullSchedule schedule);

  /** Deletes the appointment's schedule; nothing to delete is not an error. */
  void delete(String tenant, String appointmentId);
}
