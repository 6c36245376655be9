package io.telebridge.core.fromehr;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * One OBR of an ORU^R01 (a report: a panel, a study) with its observations and notes.
 *
 * @param id the stable result id the platform keys results by:
 *     {@code <filler namespace>:<filler order number>} (OBR-3), else the placer order (OBR-2); a
 *     correction carries the same id as the result it corrects
 * @param status OBR-25; CORRECTED when the OBR or any OBX says C
 * @param performingLab the first observation's performing lab, else the sending facility
 */
public record Result(
    String id,
    String placerOrderId,
    String fillerOrderId,
    Code test,
    ResultStatus status,
    OffsetDateTime observedAt,
    OffsetDateTime reportedAt,
    String performingLab,
    List<String> notes,
    List<Observation> observations) {

  public Result {
    notes = List.copyOf(notes);
    observations = List.copyOf(observations);
  }

  public boolean isCorrection() {
    return status == ResultStatus.CORRECTED
        || observations.stream().anyMatch(o -> o.status() == ResultStatus.CORRECTED);
  }

  /** The embedded documents (ED values) of this result, in OBX order. */
  public List<ObservationValue.Attachment> attachments() {
    return observations.stream().flatMap(o -> o.values().stream())
        .filter(ObservationValue.Attachment.class::isInstance)
        .map(ObservationValue.Attachment.class::cast)
        .toList();
  }

  @Override
  public String toString() {
    return "Result[id=" + id + ", status=" + status + ", observations=" + observations.size()
        + ", attachments=" + attachments().size() + ", ***]";
  }
}
