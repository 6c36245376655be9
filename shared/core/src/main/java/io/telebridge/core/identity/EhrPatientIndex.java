package io.telebridge.core.identity;

import io.telebridge.core.model.Identifier;
import java.util.List;

/**
 * Use case port the return path calls for the EHR's patient events (implemented beside the matcher,
 * on the identity table). All methods are idempotent: a redelivered message changes nothing more.
 */
public interface EhrPatientIndex {

  /**
   * A04/A08/A28/A31 (and bulk load): files or refreshes the EHR patient in the identity index, so
   * later platform registrations can match it; attaches its MRN to the platform patient the EHR
   * echoes in PID-3, if any.
   *
   * @return the platform patient ids (of {@code tenant}) linked to this MRN; empty when none is
   */
  List<String> upsert(String tenant, EhrPatient patient);

  /**
   * A40: the chart {@code prior} was merged into {@code survivor}. Every cross-reference that pointed
   * at {@code prior} now points at {@code survivor}.
   *
   * @return the platform patient ids now mapped to the surviving chart
   */
  List<String> merge(String tenant, Identifier survivor, Identifier prior);

  /** The platform patient ids linked to an MRN (empty: the MRN is linked to no platform patient). */
  List<String> platformPatientsOf(String tenant, Identifier mrn);
}
