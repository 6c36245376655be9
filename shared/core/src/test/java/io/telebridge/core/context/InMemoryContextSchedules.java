package io.telebridge.core.context;

import java.util.LinkedHashMap;
import java.util.Map;

/** The {@link ContextSchedules} port in memory: schedules by name. */
final class InMemoryContextSchedules implements ContextSchedules {

  final Map<String, PullSchedule> byName = new LinkedHashMap<>();

  @Override
  public void put(PullSchedule schedule) {
    byName.put(schedule.name(), schedule);
  }

  @Override
  public void delete(String tenant, String appointmentId) {
    byName.remove(PullSchedule.nameOf(tenant, appointmentId));
  }
}
