package io.telebridge.core.model;

import java.time.OffsetDateTime;

/**
 * A clinical note signed by a provider. PHI: {@code toString} shows ids only.
 *
 * @param id the platform note id, stable across amendments
 * @param type the platform's note type, e.g. {@code progress_note} (mapped per EHR profile)
 * @param title single-line title
 * @param contentType {@code text/plain}, {@code text/html} or {@code application/pdf}; null for a retraction without content
 * @param content the text, or for a PDF the base64 bytes; null for a retraction without content
 * @param pdf an optional PDF rendition (base64) beside a text note; null when none
 * @param signedAt when the author signed this version
 * @param author who signed
 * @param status signed (the original), amended or retracted
 * @param version 1 for the original, 2 for the first amendment, ...; a retraction names the version it retracts
 */
public record VisitNote(
    String id,
    String type,
    String title,
    String contentType,
    String content,
    String pdf,
    OffsetDateTime signedAt,
    Provider author,
    Status status,
    int version) {

  /** What happened to the note. */
  public enum Status {
    SIGNED, AMENDED, RETRACTED;

    public static Status of(String wire) {
      return wire == null ? SIGNED : valueOf(wire.toUpperCase(java.util.Locale.ROOT));
    }
  }

  public VisitNote {
    status = status == null ? Status.SIGNED : status;
    version = version < 1 ? 1 : version;
  }

  @Override
  public String toString() {
    return "VisitNote[id=" + id + ", type=" + type + ", contentType=" + contentType + ", status=" + status
        + ", version=" + version + ", content=***]";
  }
}
