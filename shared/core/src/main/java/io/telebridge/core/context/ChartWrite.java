package io.telebridge.core.context;

import java.util.List;

/**
 * What one {@link ChartWriter#write} did: the server's locations of the resources the event stands
 * for (created now or found from an earlier write of the same event), how many entries the
 * transaction(s) held and how many HTTP requests it took. No patient data.
 *
 * @param locations e.g. {@code Encounter/12/_history/1}, in bundle order
 * @param created how many resources this write created (0 when the event was written before)
 */
public record ChartWrite(List<String> locations, int created, int entries, int requests) {

  public ChartWrite {
    locations = List.copyOf(locations);
  }
}
