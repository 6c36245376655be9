package io.telebridge.core.context;

import io.telebridge.core.fromehr.Code;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * A recent laboratory result: an Observation (one analyte, with value, units, reference range,
 * interpretation flags) or a DiagnosticReport (a panel or report, listing its observations' FHIR ids
 * in {@code members}). PHI: {@code toString} shows the FHIR id only.
 *
 * @param effective effectiveDateTime / effectivePeriod.start as written
 * @param effectiveAt the same instant, for ordering; {@code null} when the server gave none or only a date
 */
public record ClinicalResult(String fhirId, String resourceType, Code code, String status, String effective,
    Instant effectiveAt, String issued, Value value, List<Range> referenceRanges, List<Code> interpretation,
    List<String> members, String conclusion) {

  public ClinicalResult {
    referenceRanges = referenceRanges == null ? List.of() : List.copyOf(referenceRanges);
    interpretation = interpretation == null ? List.of() : List.copyOf(interpretation);
    members = members == null ? List.of() : List.copyOf(members);
  }

  /** A value: a quantity (number, comparator, unit), a code, or text. */
  public sealed interface Value {
    record Quantity(BigDecimal number, String comparator, String unit, String unitCode) implements Value {}

    record Coded(Code code) implements Value {}

    record Text(String text) implements Value {}
  }

  /** A reference range: low/high with their unit, and/or the range as text. */
  public record Range(BigDecimal low, BigDecimal high, String unit, String text) {}

  @Override
  public String toString() {
    return "ClinicalResult[" + resourceType + "/" + fhirId + ", ***]";
  }
}
