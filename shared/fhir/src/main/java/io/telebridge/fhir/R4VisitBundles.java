package io.telebridge.fhir;

import io.telebridge.core.context.VisitRecord;
import io.telebridge.core.context.VisitRecordProfile;
import io.telebridge.core.error.RejectedException;
import io.telebridge.core.model.EventType;
import io.telebridge.core.model.Provider;
import io.telebridge.core.model.Visit;
import io.telebridge.core.model.VisitCharge;
import io.telebridge.core.model.VisitNote;
import io.telebridge.core.model.VisitOrder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TimeZone;
import java.util.UUID;
import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import org.hl7.fhir.r4.model.Annotation;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.Binary;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.ChargeItem;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;

/**
 * One {@code visit.*} event → the FHIR R4 transaction Bundle(s) that put it into the patient's record,
 * for one tenant's {@link VisitRecordProfile}. Pure (no I/O) and deterministic (fullUrls and Binary ids
 * derive from the tenant and the platform ids), so the output is compared with golden files.
 *
 * <p>Every resource carries the platform id under the tenant's system
 * ({@code urn:telebridge:<tenant>:visit|note|note-version|order|charge}); creates are conditional on it
 * ({@code ifNoneExist}), so a bundle sent twice stores its resources once. Each bundle starts with the
 * visit's {@link Encounter} (class VR, status finished), conditionally created, which the others reference
 * by its fullUrl (the server points them at the existing Encounter when it matches).
 * <ul>
 *   <li>note signed → DocumentReference (status current, docStatus final, the profile's LOINC type, author,
 *       date, context.encounter, the text inline, or a {@link Binary} (PUT on an id derived from the note
 *       version) above the profile's inline limit; a PDF rendition as a second content)</li>
 *   <li>note amended → a DocumentReference for the new version (docStatus amended, relatesTo replaces the
 *       latest stored version), the stored earlier versions PUT back as superseded</li>
 *   <li>note retracted → every stored version PUT back as entered-in-error</li>
 *   <li>orders → ServiceRequest per order (status active, intent order, the platform's code and the EHR's
 *       orderable, requester, reasonCode, note); a cancelled order → a conditional update to revoked</li>
 *   <li>charges → ChargeItem per line (status billable, CPT with its modifiers, subject, context, occurrence,
 *       performer, quantity, reason, place of service); a reversal → a conditional update to aborted</li>
 * </ul>
 * A bundle holds at most the profile's {@code maxBundleEntries}; more entries are split into several, each
 * with the Encounter first. What the profile cannot express (an unmapped order code, note type or place of
 * service, a medication order) is refused with {@link RejectedException}, naming the id and the key.
 */
public final class R4VisitBundles {

  public static final String NPI_SYSTEM = "http://hl7.org/fhir/sid/us-npi";
  public static final String CPT_SYSTEM = "http://www.ama-assn.org/go/cpt";
  public static final String ICD10_SYSTEM = "http://hl7.org/fhir/sid/icd-10-cm";
  public static final String ACT_CODE_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-ActCode";
  public static final String PARTICIPATION_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType";
  public static final String POS_SYSTEM = "https://www.cms.gov/Medicare/Coding/place-of-service-codes/Place_of_Service_Code_Set";
  public static final String POS_EXTENSION = "urn:telebridge:fhir:StructureDefinition:place-of-service";
  private static final String SNOMED = "http://snomed.info/sct";

  private final VisitRecordProfile profile;
  private final String baseUrl;

  /** @param baseUrl the server's base URL (no trailing slash): the fullUrl of an entry PUT on a literal id */
  public R4VisitBundles(VisitRecordProfile profile, String baseUrl) {
    this.profile = profile;
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
  }

  /** Whether an event type is written by this mapper. */
  public static boolean supports(EventType type) {
    return type == EventType.VISIT_NOTE_SIGNED || type == EventType.VISIT_ORDERS_PLACED
        || type == EventType.VISIT_CHARGES_POSTED;
  }

  /**
   * @param patientReference the Patient found by MRN, e.g. {@code Patient/123}
   * @param storedNote the DocumentReferences the server holds for this note (every version; for an amended or
   *     retracted note), as read back: ids, identifiers and status are used
   * @return the transactions in sending order
   */
  public List<Bundle> transactions(VisitRecord r, String patientReference, List<DocumentReference> storedNote) {
    Visit visit = r.visit();
    if (visit == null || visit.id() == null) {
      throw new RejectedException("event " + r.eventId() + " has no visit id");
    }
    Bundle.BundleEntryComponent encounter = encounter(r, patientReference);
    Reference encounterRef = new Reference(encounter.getFullUrl());
    List<Bundle.BundleEntryComponent> entries = new ArrayList<>();
    switch (r.type()) {
      case VISIT_NOTE_SIGNED -> note(r, patientReference, encounterRef, storedNote, entries);
      case VISIT_ORDERS_PLACED -> visit.orders().forEach(o -> entries.add(order(r, o, patientReference, encounterRef)));
      case VISIT_CHARGES_POSTED -> visit.charges().forEach(c -> entries.add(charge(r, c, patientReference,
          encounterRef)));
      default -> throw new IllegalArgumentException("not a visit event: " + r.type());
    }
    List<Bundle> bundles = new ArrayList<>();
    int per = profile.maxBundleEntries() - 1;
    for (int from = 0; from < Math.max(1, entries.size()); from += per) {
      Bundle b = new Bundle().setType(Bundle.BundleType.TRANSACTION);
      b.addEntry(encounter.copy());
      entries.subList(from, Math.min(entries.size(), from + per)).forEach(e -> b.addEntry(e.copy()));
      bundles.add(b);
    }
    return bundles;
  }

  // ------------------------------------------------------------------------------------ Encounter

  private Bundle.BundleEntryComponent encounter(VisitRecord r, String patientReference) {
    Visit visit = r.visit();
    Encounter e = new Encounter();
    e.addIdentifier(identifier(r.tenant(), "visit", visit.id()));
    e.setStatus(Encounter.EncounterStatus.FINISHED);
    e.setClass_(new Coding(ACT_CODE_SYSTEM, "VR", "virtual"));
    e.setSubject(new Reference(patientReference));
    Set<Provider> providers = new LinkedHashSet<>();
    Set<String> diagnoses = new LinkedHashSet<>();
    Period period = new Period();
    switch (r.type()) {
      case VISIT_NOTE_SIGNED -> {
        VisitNote n = visit.note();
        if (n != null && n.author() != null) {
          providers.add(n.author());
        }
        if (n != null && n.signedAt() != null) {
          period.setEndElement(dateTime(n.signedAt())); // the visit was over when its note was signed
        }
      }
      case VISIT_ORDERS_PLACED -> {
        visit.orders().stream().map(VisitOrder::orderer).filter(p -> p != null).forEach(providers::add);
        visit.orders().forEach(o -> diagnoses.addAll(o.diagnoses()));
        visit.orders().stream().map(VisitOrder::orderedAt).filter(t -> t != null).min(Comparator.naturalOrder())
            .ifPresent(t -> period.setStartElement(dateTime(t))); // orders are placed during the visit
      }
      case VISIT_CHARGES_POSTED -> {
        visit.charges().stream().map(VisitCharge::performer).filter(p -> p != null).forEach(providers::add);
        visit.charges().forEach(c -> diagnoses.addAll(c.icd10()));
        visit.charges().stream().map(VisitCharge::serviceDate).filter(d -> d != null).min(Comparator.naturalOrder())
            .ifPresent(d -> period.setStartElement(date(d)));
      }
      default -> { }
    }
    if (!period.isEmpty()) {
      e.setPeriod(period);
    }
    for (Provider p : providers) {
      e.addParticipant()
          .addType(new CodeableConcept(new Coding(PARTICIPATION_SYSTEM, "PPRF", "primary performer")))
          .setIndividual(practitioner(p));
    }
    diagnoses.forEach(d -> e.addReasonCode(icd10(d)));
    if (visit.appointmentId() != null) {
      e.addAppointment(new Reference().setType("Appointment")
          .setIdentifier(identifier(r.tenant(), "appointment", visit.appointmentId())));
    }
    return create(e, "visit", r.tenant(), visit.id());
  }

  // ------------------------------------------------------------------------------------ notes

  private void note(VisitRecord r, String patientReference, Reference encounter, List<DocumentReference> stored,
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
    Attachment a = new Attachment().setContentType(contentType).setSize(bytes.length).setHash(sha1(bytes));
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
    String id = "tb-" + sha256(r.tenant() + "|" + n.id() + "|" + n.version() + "|" + index).substring(0, 40);
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
    String id = stored.getIdElement().toUnqualifiedVersionless().getValue();
    d.setId(id);
    d.setMeta(null);
    d.setStatus(status);
    Bundle.BundleEntryComponent e = new Bundle.BundleEntryComponent().setFullUrl(baseUrl + "/" + id).setResource(d);
    e.getRequest().setMethod(Bundle.HTTPVerb.PUT).setUrl(id);
    return e;
  }

  // ------------------------------------------------------------------------------------ orders

  private Bundle.BundleEntryComponent order(VisitRecord r, VisitOrder o, String patientReference, Reference encounter) {
    if (o.id() == null) {
      throw new RejectedException("event " + r.eventId() + ": an order has no id");
    }
    if ("medication".equalsIgnoreCase(o.category())) {
      throw new RejectedException("event " + r.eventId() + ": order " + o.id()
          + " is a medication order, which telebridge does not write as a ServiceRequest");
    }
    io.telebridge.core.model.Coding orderable = profile.orderCodeOf(o.code());
    if (orderable == null) {
      throw new RejectedException("event " + r.eventId() + ": order " + o.id() + " code "
          + (o.code() == null ? null : o.code().system() + "|" + o.code().code())
          + " is not in the EHR profile (orders.codes)");
    }
    ServiceRequest s = new ServiceRequest();
    s.addIdentifier(identifier(r.tenant(), "order", o.id()));
    s.setStatus(o.cancelled() ? ServiceRequest.ServiceRequestStatus.REVOKED : ServiceRequest.ServiceRequestStatus.ACTIVE);
    s.setIntent(ServiceRequest.ServiceRequestIntent.ORDER);
    CodeableConcept category = category(o.category());
    if (category != null) {
      s.addCategory(category);
    }
    if (o.priority() != null) {
      try {
        s.setPriority(ServiceRequest.ServiceRequestPriority.fromCode(o.priority().toLowerCase(Locale.ROOT)));
      } catch (org.hl7.fhir.exceptions.FHIRException e) {
        throw new RejectedException("event " + r.eventId() + ": order " + o.id() + " priority " + o.priority()
            + " is not a FHIR request priority (routine, urgent, asap, stat)");
      }
    }
    CodeableConcept code = new CodeableConcept(coding(o.code()));
    if (!orderable.equals(o.code())) {
      code.addCoding(coding(orderable));
    }
    if (o.code().display() != null) {
      code.setText(o.code().display());
    }
    s.setCode(code);
    s.setSubject(new Reference(patientReference));
    s.setEncounter(encounter);
    OffsetDateTime at = o.orderedAt();
    s.setAuthoredOnElement(at != null ? dateTime(at) : new DateTimeType(Date.from(r.occurredAt()),
        TemporalPrecisionEnum.SECOND, TimeZone.getTimeZone(ZoneOffset.UTC)));
    if (o.orderer() != null) {
      s.setRequester(practitioner(o.orderer()));
    }
    o.diagnoses().forEach(d -> s.addReasonCode(icd10(d)));
    if (o.instructions() != null && !o.instructions().isBlank()) {
      s.addNote(new Annotation().setText(o.instructions()));
    }
    return o.cancelled() ? update(s, "order", r.tenant(), o.id()) : create(s, "order", r.tenant(), o.id());
  }

  private static CodeableConcept category(String category) {
    if (category == null) {
      return null;
    }
    return switch (category.toLowerCase(Locale.ROOT)) {
      case "lab" -> new CodeableConcept(new Coding(SNOMED, "108252007", "Laboratory procedure"));
      case "imaging" -> new CodeableConcept(new Coding(SNOMED, "363679005", "Imaging"));
      case "referral" -> new CodeableConcept(new Coding(SNOMED, "3457005", "Patient referral"));
      default -> new CodeableConcept().setText(category);
    };
  }

  // ------------------------------------------------------------------------------------ charges

  private Bundle.BundleEntryComponent charge(VisitRecord r, VisitCharge c, String patientReference, Reference encounter) {
    if (c.id() == null || c.cpt() == null) {
      throw new RejectedException("event " + r.eventId() + ": a charge has no id or CPT code");
    }
    String pos = c.placeOfService() == null ? null : profile.placeOfService().get(c.placeOfService());
    if (c.placeOfService() != null && pos == null) {
      throw new RejectedException("event " + r.eventId() + ": charge " + c.id() + " place of service "
          + c.placeOfService() + " is not in the EHR profile (billing.placeOfService)");
    }
    List<String> modifiers = new ArrayList<>(c.modifiers());
    if (profile.telehealthModifier() != null && !modifiers.contains(profile.telehealthModifier())) {
      modifiers.add(profile.telehealthModifier());
    }
    ChargeItem ci = new ChargeItem();
    ci.addIdentifier(identifier(r.tenant(), "charge", c.id()));
    ci.setStatus(c.reversed() ? ChargeItem.ChargeItemStatus.ABORTED : ChargeItem.ChargeItemStatus.BILLABLE);
    Coding cpt = new Coding(CPT_SYSTEM, c.cpt(), null);
    CodeableConcept code = new CodeableConcept(cpt);
    if (profile.chargeModifiers() == VisitRecordProfile.ModifierStyle.EXTENSION) {
      modifiers.forEach(m -> cpt.addExtension(new Extension(VisitRecordProfile.MODIFIER_EXTENSION,
          new Coding(CPT_SYSTEM, m, null))));
    } else if (!modifiers.isEmpty()) {
      code.addCoding(new Coding(CPT_SYSTEM, c.cpt() + "-" + String.join("-", modifiers), null));
    }
    ci.setCode(code);
    ci.setSubject(new Reference(patientReference));
    ci.setContext(encounter);
    if (c.serviceDate() != null) {
      ci.setOccurrence(date(c.serviceDate()));
    }
    if (c.performer() != null) {
      ci.addPerformer().setActor(practitioner(c.performer()));
    }
    ci.setQuantity(new Quantity(c.units() < 1 ? 1 : c.units()));
    c.icd10().forEach(d -> ci.addReason(icd10(d)));
    if (pos != null) {
      ci.addExtension(new Extension(POS_EXTENSION, new Coding(POS_SYSTEM, pos, null)));
    }
    return c.reversed() ? update(ci, "charge", r.tenant(), c.id()) : create(ci, "charge", r.tenant(), c.id());
  }

  // ------------------------------------------------------------------------------------ parts

  /** A conditional create: POST, {@code ifNoneExist} on the platform id under the tenant's system. */
  private static Bundle.BundleEntryComponent create(Resource r, String kind, String tenant, String value) {
    Bundle.BundleEntryComponent e = new Bundle.BundleEntryComponent()
        .setFullUrl("urn:uuid:" + UUID.nameUUIDFromBytes((tenant + "|" + r.fhirType() + "|" + kind + "|" + value)
            .getBytes(StandardCharsets.UTF_8)))
        .setResource(r);
    e.getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl(r.fhirType()).setIfNoneExist(match(tenant, kind, value));
    return e;
  }

  /** A conditional update: PUT on the search by the platform id (creates it when absent). */
  private static Bundle.BundleEntryComponent update(Resource r, String kind, String tenant, String value) {
    Bundle.BundleEntryComponent e = new Bundle.BundleEntryComponent()
        .setFullUrl("urn:uuid:" + UUID.nameUUIDFromBytes((tenant + "|" + r.fhirType() + "|" + kind + "|" + value)
            .getBytes(StandardCharsets.UTF_8)))
        .setResource(r);
    e.getRequest().setMethod(Bundle.HTTPVerb.PUT).setUrl(r.fhirType() + "?" + match(tenant, kind, value));
    return e;
  }

  /** {@code identifier=<system>|<value>}, the value URL-encoded. */
  static String match(String tenant, String kind, String value) {
    return "identifier=" + enc(VisitRecordProfile.system(tenant, kind)) + "|" + enc(value);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("%3A", ":").replace("%2F", "/");
  }

  private static Identifier identifier(String tenant, String kind, String value) {
    return new Identifier().setSystem(VisitRecordProfile.system(tenant, kind)).setValue(value);
  }

  private static Reference practitioner(Provider p) {
    Reference ref = new Reference().setType("Practitioner");
    if (p.npi() != null) {
      ref.setIdentifier(new Identifier().setSystem(NPI_SYSTEM).setValue(p.npi()));
    }
    if (p.name() != null) {
      ref.setDisplay(p.name());
    }
    return ref;
  }

  private static CodeableConcept icd10(String code) {
    return new CodeableConcept(new Coding(ICD10_SYSTEM, code, null));
  }

  private static Coding coding(io.telebridge.core.model.Coding c) {
    return new Coding(c.system(), c.code(), c.display());
  }

  private static DateTimeType dateTime(OffsetDateTime t) {
    return new DateTimeType(Date.from(t.toInstant()), TemporalPrecisionEnum.SECOND, TimeZone.getTimeZone(t.getOffset()));
  }

  private static DateTimeType date(LocalDate d) {
    return new DateTimeType(d.toString());
  }

  private static byte[] sha1(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-1").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
