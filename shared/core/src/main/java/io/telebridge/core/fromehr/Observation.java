package io.telebridge.core.fromehr;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * One OBX with its NTE comments. PHI: {@code toString} shows the set id, value type and test code
 * only.
 *
 * @param valueType OBX-2 as sent (NM, ST, TX, FT, CE, CWE, SN, ED, ...)
 * @param values OBX-5 repetitions, typed
 * @param abnormalFlags OBX-8 repetitions (H, L, A, N, ...)
 * @param performingLab OBX-23 (v2.5+) organisation name, else OBX-15 producer; null when neither
 */
public record Observation(
    int setId,
    String valueType,
    Code code,
    String subId,
    List<ObservationValue> values,
    String units,
    String referenceRange,
    List<String> abnormalFlags,
    ResultStatus status,
    OffsetDateTime observedAt,
    String performingLab,
    List<String> notes) {

  public Observation {
    values = List.copyOf(values);
    abnormalFlags = List.copyOf(abnormalFlags);
    notes = List.copyOf(notes);
  }

  @Override
  public String toString() {
    return "Observation[setId=" + setId + ", valueType=" + valueType + ", code="
        + (code == null ? null : code.code()) + ", status=" + status + ", ***]";
  }
}
