package io.telebridge.fhir;

import static io.telebridge.fhir.R4Entries.coding;
import static io.telebridge.fhir.R4Entries.dateTime;
import static io.telebridge.fhir.R4Entries.icd10;
import static io.telebridge.fhir.R4Entries.identifier;
import static io.telebridge.fhir.R4Entries.practitioner;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import io.telebridge.core.context.VisitRecord;
import io.telebridge.core.context.VisitRecordProfile;
import io.telebridge.core.error.RejectedException;
import io.telebridge.core.model.VisitCharge;
import io.telebridge.core.model.VisitOrder;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.TimeZone;
import org.hl7.fhir.r4.model.Annotation;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.ChargeItem;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;

/**
 * {@code visit.orders_placed} and {@code visit.charges_posted} → their entries (see {@link R4VisitBundles}):
 * a ServiceRequest per order (a cancelled one a conditional update to revoked), a ChargeItem per charge line
 * (a reversal a conditional update to aborted).
 */
final class R4OrderEntries {

  private static final String SNOMED = "http://snomed.info/sct";

  private final VisitRecordProfile profile;

  R4OrderEntries(VisitRecordProfile profile) {
    this.profile = profile;
  }

  Bundle.BundleEntryComponent order(VisitRecord r, VisitOrder o, String patientReference, Reference encounter) {
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
    return o.cancelled() ? R4Entries.update(s, "order", r.tenant(), o.id())
        : R4Entries.create(s, "order", r.tenant(), o.id());
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

  Bundle.BundleEntryComponent charge(VisitRecord r, VisitCharge c, String patientReference, Reference encounter) {
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
    Coding cpt = new Coding(R4VisitBundles.CPT_SYSTEM, c.cpt(), null);
    CodeableConcept code = new CodeableConcept(cpt);
    if (profile.chargeModifiers() == VisitRecordProfile.ModifierStyle.EXTENSION) {
      modifiers.forEach(m -> cpt.addExtension(new Extension(VisitRecordProfile.MODIFIER_EXTENSION,
          new Coding(R4VisitBundles.CPT_SYSTEM, m, null))));
    } else if (!modifiers.isEmpty()) {
      code.addCoding(new Coding(R4VisitBundles.CPT_SYSTEM, c.cpt() + "-" + String.join("-", modifiers), null));
    }
    ci.setCode(code);
    ci.setSubject(new Reference(patientReference));
    ci.setContext(encounter);
    if (c.serviceDate() != null) {
      ci.setOccurrence(R4Entries.date(c.serviceDate()));
    }
    if (c.performer() != null) {
      ci.addPerformer().setActor(practitioner(c.performer()));
    }
    ci.setQuantity(new Quantity(c.units() < 1 ? 1 : c.units()));
    c.icd10().forEach(d -> ci.addReason(icd10(d)));
    if (pos != null) {
      ci.addExtension(new Extension(R4VisitBundles.POS_EXTENSION, new Coding(R4VisitBundles.POS_SYSTEM, pos, null)));
    }
    return c.reversed() ? R4Entries.update(ci, "charge", r.tenant(), c.id())
        : R4Entries.create(ci, "charge", r.tenant(), c.id());
  }
}
