package io.telebridge.core.context;

import java.util.List;

/**
 * One section of the context document (problems, medications, allergies, results), never silently
 * absent: either the items the server returned ({@code complete} when nothing was left out, even when
 * empty; not complete when paging or the configured count cut it short) or {@code unavailable} with the
 * reason the source could not be read (then {@code items} is empty).
 */
public record Section<T>(List<T> items, boolean complete, Unavailable unavailable) {

  public Section {
    items = items == null ? List.of() : List.copyOf(items);
    if (unavailable != null && (complete || !items.isEmpty())) {
      throw new IllegalArgumentException("an unavailable section has no items and is not complete");
    }
  }

  public static <T> Section<T> complete(List<T> items) {
    return new Section<>(items, true, null);
  }

  public static <T> Section<T> partial(List<T> items) {
    return new Section<>(items, false, null);
  }

  public static <T> Section<T> unavailable(Unavailable.Reason reason, String detail) {
    return new Section<>(List.of(), false, new Unavailable(reason, detail));
  }

  public boolean available() {
    return unavailable == null;
  }

  /**
   * Why a section (or the whole context) could not be read. {@code detail} is for operators: a status
   * code or a search parameter, never patient data.
   */
  public record Unavailable(Reason reason, String detail) {

    public enum Reason {
      /** the identity index links no MRN to the platform patient */
      PATIENT_NOT_LINKED,
      /** the FHIR server has no Patient with the MRN */
      PATIENT_NOT_FOUND,
      /** the tenant has no FHIR source configured */
      NO_FHIR_SOURCE,
      /** 401/403: the token or role does not grant the read */
      ACCESS_DENIED,
      /** the server does not support the resource type or search */
      NOT_SUPPORTED,
      /** the server failed or could not be reached (after retries) */
      FHIR_UNAVAILABLE;

      /** {@code access_denied} etc., as the platform reads it. */
      public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
      }
    }
  }
}
