package io.telebridge.core.fromehr;

import io.telebridge.core.identity.EhrPatient;
import java.util.List;

/** An ORU^R01: the patient and one {@link Result} per OBR. PHI: {@code toString} shows ids only. */
public record ResultReport(MessageHeader header, EhrPatient patient, List<Result> results) implements FromEhrMessage {

  public ResultReport {
    results = List.copyOf(results);
  }

  @Override
  public String toString() {
    return "ResultReport[controlId=" + header.controlId() + ", mrn=" + patient.mrn().value() + ", results="
        + results.stream().map(Result::id).toList() + "]";
  }
}
