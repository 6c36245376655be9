package io.telebridge.fhir;

import static io.telebridge.fhir.R4Entries.create;
import static io.telebridge.fhir.R4Entries.coding;
import static io.telebridge.fhir.R4Entries.dateTime;
import static io.telebridge.fhir.R4Entries.identifier;
import static io.telebridge.fhir.R4Entries.practitioner;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import io.telebridge.core.context.VisitRecord;
import io.telebridge.core.context.VisitRecordProfile;
import io.telebridge.core.error.RejectedException;
import io.telebridge.core.model.VisitNote;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.TimeZone;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.Binary;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Reference;

/**
 * {@code visit.note_signed} → its entries (see {@link R4VisitBundles}): a signed note's DocumentReference
 * (inline text, or a {@link Binary} above the profile's inline limit), an amendment's new version with the
 * earlier ones PUT back superseded, a retraction's versions PUT back entered-in-error.
 */
final class R4NoteEntries {

  private final VisitRecordProfile profile;
  private final String baseUrl;

  R4NoteEntries(VisitRecordProfile profile, String baseUrl) {
    this.profile = profile;
    this.baseUrl = baseUrl;
  }

  void note(VisitRecord r, String patientReference, Reference encounter, List<DocumentReference> stored,
      List<Bundle.BundleEntryComponent> entries) {
    VisitNote n = r.visit().note();
    if (n == null || n.id() == null) {
      throw new RejectedException("event " + r.eventId() + " has no note id");
    }
    if (n.status() == VisitNote.Status.RETRACTED) {
      for (DocumentReference d : stored) {
        if (d.getStatus() != Enumerations.DocumentReferenceStatus.ENTEREDINERROR) {
          entries.add(putBack(d, Enumerations.DocumentReferenceStatus.ENTEREDINERROR));
        }
      }
      return;
    }
    io.telebridge.core.model.Coding type = profile.documentTypeOf(n.type());
    if (type == null) {
      throw new RejectedException("event " + r.eventId() + ": note type " + n.type()
          + " is not in the EHR profile (documents.types)");
    }
    DocumentReference d = new DocumentReference();
    d.addIdentifier(identifier(r.tenant(), "note", n.id()));
    d.addIdentifier(identifier(r.tenant(), "note-version", versionId(n)));
    d.setStatus(Enumerations.DocumentReferenceStatus.CURRENT);
    d.setDocStatus(n.status() == VisitNote.Status.AMENDED ? DocumentReference.ReferredDocumentStatus.AMENDED
        : DocumentReference.ReferredDocumentStatus.FINAL);
    d.setType(new CodeableConcept(coding(type)));
    d.setSubject(new Reference(patientReference));
    if (n.signedAt() != null) {
      d.setDateElement(new InstantType(Date.from(n.signedAt().toInstant()), TemporalPrecisionEnum.SECOND,
          TimeZone.getTimeZone(n.signedAt().getOffset())));
    }
    if (n.author() != null) {
      d.addAuthor(practitioner(n.author()));
    }
    if (n.title() != null) {
      d.setDescription(n.title());
    }
    d.getContext().addEncounter(encounter);
    if (n.status() == VisitNote.Status.AMENDED) {
      stored.stream()
          .filter(s -> version(s, r.tenant()) > 0 && version(s, r.tenant()) < n.version())
          .max(Comparator.comparingInt(s -> version(s, r.tenant())))
          .ifPresent(prior -> d.addRelatesTo().setCode(DocumentReference.DocumentRelationshipType.REPLACES)
              .setTarget(new Reference(prior.getIdElement().toUnqualifiedVersionless().getValue())));
    }
    List<Bundle.BundleEntryComponent> binaries = new ArrayList<>();
    if (n.content() != null) {
      boolean pdf = "application/pdf".equalsIgnoreCase(n.contentType());
      byte[] bytes = pdf ? Base64.getMimeDecoder().decode(n.content()) : n.content().getBytes(StandardCharsets.UTF_8);
      d.addContent().setAttachment(attachment(r, n, patientReference, n.contentType(), bytes, 0, binaries));
    }
    if (n.pdf() != null) {
      d.addContent().setAttachment(attachment(r, n, patientReference, "application/pdf",
          Base64.getMimeDecoder().decode(n.pdf()), 1, binaries));
    }
    if (d.getContent().isEmpty()) {
      throw new RejectedException("event " + r.eventId() + ": note " + n.id() + " has no content");
    }
    entries.addAll(binaries);
    if (n.status() == VisitNote.Status.AMENDED) {
      for (DocumentReference s : stored) {
        int v = version(s, r.tenant());
        if (v > 0 && v < n.version() && s.getStatus() == Enumerations.DocumentReferenceStatus.CURRENT) {
          entries.add(putBack(s, Enumerations.DocumentReferenceStatus.SUPERSEDED));
        }
      }
    }
    entries.add(create(d, "note-version", r.tenant(), versionId(n)));
  }

  private Attachment attachment(VisitRecord r, VisitNote n, String patientReference, String contentType, byte[] bytes,
      int index, List<Bundle.BundleEntryComponent> binaries) {
    Attachment a = new Attachment().setContentType(contentType).setSize(bytes.length).setHash(R4Entries.sha1(bytes));
    if (n.title() != null) {
      a.setTitle(n.title());
    }
    if (n.signedAt() != null) {
      a.setCreationElement(dateTime(n.signedAt()));
    }
    if (bytes.length <= profile.maxInlineAttachmentBytes()) {
      return a.setData(bytes);
    }
    // a large note: its bytes once, as a Binary on an id of its own (PUT: the same id when sent again)
    String id = "tb-" + R4Entries.sha256(r.tenant() + "|" + n.id() + "|" + n.version() + "|" + index).substring(0, 40);
    Binary binary = new Binary().setContentType(contentType).setData(bytes);
    binary.setSecurityContext(new Reference(patientReference));
    binary.setId("Binary/" + id);
    Bundle.BundleEntryComponent e = new Bundle.BundleEntryComponent().setFullUrl(baseUrl + "/Binary/" + id)
        .setResource(binary);
    e.getRequest().setMethod(Bundle.HTTPVerb.PUT).setUrl("Binary/" + id);
    binaries.add(e);
    return a.setUrl("Binary/" + id);
  }

  private static String versionId(VisitNote n) {
    return n.id() + "/" + n.version();
  }

  /** The version a stored DocumentReference holds (its note-version identifier), 0 when it has none. */
  private static int version(DocumentReference d, String tenant) {
    String system = VisitRecordProfile.system(tenant, "note-version");
    for (Identifier i : d.getIdentifier()) {
      if (system.equals(i.getSystem()) && i.getValue() != null && i.getValue().lastIndexOf('/') > 0) {
        try {
          return Integer.parseInt(i.getValue().substring(i.getValue().lastIndexOf('/') + 1));
        } catch (NumberFormatException e) {
          return 0;
        }
      }
    }
    return 0;
  }

  /** A stored DocumentReference PUT back with another status (idempotent: the same resource when sent again). */
  private Bundle.BundleEntryComponent putBack(DocumentReference stored, Enumerations.DocumentReferenceStatus status) {
    DocumentReference d = stored.copy();
    d.setStatus(status);
    return R4Entries.put(d, baseUrl, stored.getIdElement().toUnqualifiedVersionless().getValue(), null);
  }
}
