package io.telebridge.fhir;

import static io.telebridge.fhir.R4Entries.dateTime;
import static io.telebridge.fhir.R4Entries.icd10;
import static io.telebridge.fhir.R4Entries.identifier;
import static io.telebridge.fhir.R4Entries.practitioner;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import io.telebridge.core.context.VisitRecord;
import io.telebridge.core.error.RejectedException;
import io.telebridge.core.model.Provider;
import io.telebridge.core.model.Visit;
import io.telebridge.core.model.VisitCharge;
import io.telebridge.core.model.VisitNote;
import io.telebridge.core.model.VisitOrder;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;

/**
 * The visit's {@link Encounter}: what one event says of it, and that merged into the Encounter the record
 * already holds, so the Encounter reflects every event of the visit that has arrived.
 *
 * <p>What an event says: a signed note — its author (participant) and its signing time (period.end: the
 * visit was over when its note was signed); an amended note — its author only (an amendment comes later and
 * does not lengthen the visit); a retracted note — nothing; orders — their orderers, their diagnoses
 * (reasonCode) and the earliest order time (period.start); charges — their performers, their ICD-10 codes
 * and the earliest service date (period.start, a date).
 *
 * <p>The merge is monotone, so it is idempotent and an older event redelivered after newer ones changes
 * nothing: period.start only moves earlier and period.end only later (a date and a time of the same day:
 * the time, being finer), participants, reason codes and appointments are only added (by NPI, code,
 * identifier), a status before finished becomes finished and no other status is touched (an Encounter the
 * EHR cancelled or marked entered-in-error stays so). Should an order come after the note's signing, the
 * end moves to the order's time (period.start never after period.end). An Encounter of the same visit id on
 * another Patient is refused.
 */
final class R4Encounters {

  private static final Coding PRIMARY_PERFORMER = new Coding(R4VisitBundles.PARTICIPATION_SYSTEM, "PPRF",
      "primary performer");

  private R4Encounters() {}

  /** What this event says of its visit's Encounter (class VR, finished), as a new resource. */
  static Encounter of(VisitRecord r, String patientReference) {
    Visit visit = r.visit();
    Encounter e = new Encounter();
    e.addIdentifier(identifier(r.tenant(), "visit", visit.id()));
    e.setStatus(Encounter.EncounterStatus.FINISHED);
    e.setClass_(new Coding(R4VisitBundles.ACT_CODE_SYSTEM, "VR", "virtual"));
    e.setSubject(new Reference(patientReference));
    Set<Provider> providers = new LinkedHashSet<>();
    Set<String> diagnoses = new LinkedHashSet<>();
    Period period = new Period();
    switch (r.type()) {
      case VISIT_NOTE_SIGNED -> {
        VisitNote n = visit.note();
        if (n != null && n.status() != VisitNote.Status.RETRACTED && n.author() != null) {
          providers.add(n.author());
        }
        if (n != null && n.status() == VisitNote.Status.SIGNED && n.signedAt() != null) {
          period.setEndElement(dateTime(n.signedAt())); // the visit was over when its note was signed
        }
      }
      case VISIT_ORDERS_PLACED -> {
        visit.orders().stream().map(VisitOrder::orderer).filter(Objects::nonNull).forEach(providers::add);
        visit.orders().forEach(o -> diagnoses.addAll(o.diagnoses()));
        visit.orders().stream().map(VisitOrder::orderedAt).filter(Objects::nonNull).min(Comparator.naturalOrder())
            .ifPresent(t -> period.setStartElement(dateTime(t))); // orders are placed during the visit
      }
      case VISIT_CHARGES_POSTED -> {
        visit.charges().stream().map(VisitCharge::performer).filter(Objects::nonNull).forEach(providers::add);
        visit.charges().forEach(c -> diagnoses.addAll(c.icd10()));
        visit.charges().stream().map(VisitCharge::serviceDate).filter(Objects::nonNull).min(Comparator.naturalOrder())
            .ifPresent(d -> period.setStartElement(R4Entries.date(d)));
      }
      default -> { }
    }
    if (!period.isEmpty()) {
      e.setPeriod(period);
    }
    for (Provider p : providers) {
      e.addParticipant().addType(new CodeableConcept(PRIMARY_PERFORMER.copy())).setIndividual(practitioner(p));
    }
    diagnoses.forEach(d -> e.addReasonCode(icd10(d)));
    if (visit.appointmentId() != null) {
      e.addAppointment(new Reference().setType("Appointment")
          .setIdentifier(identifier(r.tenant(), "appointment", visit.appointmentId())));
    }
    return e;
  }

  /**
   * The stored Encounter with what {@code incoming} adds (see the class comment), or null when it adds nothing.
   *
   * @throws RejectedException the stored Encounter is on another Patient
   */
  static Encounter merge(Encounter stored, Encounter incoming, String eventId) {
    String had = stored.getSubject().getReferenceElement().toUnqualifiedVersionless().getValue();
    String has = incoming.getSubject().getReferenceElement().toUnqualifiedVersionless().getValue();
    if (had != null && !had.equals(has)) {
      throw new RejectedException("event " + eventId + ": the record holds this visit's Encounter on another Patient");
    }
    Encounter m = stored.copy();
    boolean changed = false;
    if (m.getSubject().isEmpty()) {
      m.setSubject(incoming.getSubject().copy());
      changed = true;
    }
    if (m.getClass_().isEmpty()) {
      m.setClass_(incoming.getClass_().copy());
      changed = true;
    }
    if (m.getStatus() == null || switch (m.getStatus()) {
      case PLANNED, ARRIVED, TRIAGED, INPROGRESS, ONLEAVE, NULL -> true;
      default -> false;
    }) {
      m.setStatus(Encounter.EncounterStatus.FINISHED);
      changed = true;
    }
    DateTimeType start = pick(m.getPeriod().getStartElement(), incoming.getPeriod().getStartElement(), true);
    DateTimeType end = pick(m.getPeriod().getEndElement(), incoming.getPeriod().getEndElement(), false);
    if (start != null && end != null && pick(start, end, false) == start && !sameDay(start, end)) {
      end = start; // an order after the note's signing: the visit lasted until then
    }
    changed |= setIfOther(m.getPeriod().getStartElement(), start, m.getPeriod()::setStartElement);
    changed |= setIfOther(m.getPeriod().getEndElement(), end, m.getPeriod()::setEndElement);
    changed |= addMissing(m.getParticipant(), incoming.getParticipant(), R4Encounters::participantKey,
        p -> m.addParticipant(p.copy()));
    changed |= addMissing(m.getReasonCode(), incoming.getReasonCode(), c -> c.getCodingFirstRep().getSystem() + "|"
        + c.getCodingFirstRep().getCode(), c -> m.addReasonCode(c.copy()));
    changed |= addMissing(m.getAppointment(), incoming.getAppointment(), a -> a.getIdentifier().getSystem() + "|"
        + a.getIdentifier().getValue() + "|" + a.getReference(), a -> m.addAppointment(a.copy()));
    return changed ? m : null;
  }

  private static <T> boolean addMissing(java.util.List<T> have, java.util.List<T> incoming, Function<T, String> key,
      java.util.function.Consumer<T> add) {
    Set<String> keys = new LinkedHashSet<>();
    have.forEach(h -> keys.add(key.apply(h)));
    boolean added = false;
    for (T t : incoming) {
      if (keys.add(key.apply(t))) {
        add.accept(t);
        added = true;
      }
    }
    return added;
  }

  private static String participantKey(Encounter.EncounterParticipantComponent p) {
    Reference i = p.getIndividual();
    if (i.getIdentifier().hasValue()) {
      return i.getIdentifier().getSystem() + "|" + i.getIdentifier().getValue();
    }
    return i.hasReference() ? i.getReference() : "display:" + i.getDisplay();
  }

  private static boolean setIfOther(DateTimeType had, DateTimeType chosen, java.util.function.Consumer<DateTimeType> set) {
    if (chosen == null || chosen == had || (had.hasValue() && had.getValueAsString().equals(chosen.getValueAsString()))) {
      return false;
    }
    set.accept(chosen.copy());
    return true;
  }

  /**
   * The earlier ({@code earlier}) or later of two times, the first kept on a tie; empty counts as absent. A date
   * and a time of the same day compare by the day, and then the time wins (finer).
   */
  static DateTimeType pick(DateTimeType a, DateTimeType b, boolean earlier) {
    boolean hasA = a != null && a.hasValue();
    boolean hasB = b != null && b.hasValue();
    if (!hasA || !hasB) {
      return hasA ? a : hasB ? b : null;
    }
    if (a.getPrecision() == TemporalPrecisionEnum.DAY || b.getPrecision() == TemporalPrecisionEnum.DAY
        || a.getPrecision() == TemporalPrecisionEnum.MONTH || b.getPrecision() == TemporalPrecisionEnum.MONTH
        || a.getPrecision() == TemporalPrecisionEnum.YEAR || b.getPrecision() == TemporalPrecisionEnum.YEAR) {
      int c = day(a).compareTo(day(b));
      if (c != 0) {
        return (c < 0) == earlier ? a : b;
      }
      return b.getPrecision().ordinal() > a.getPrecision().ordinal() ? b : a;
    }
    int c = a.getValue().compareTo(b.getValue());
    return c == 0 || (c < 0) == earlier ? a : b;
  }

  private static boolean sameDay(DateTimeType a, DateTimeType b) {
    return (a.getPrecision() == TemporalPrecisionEnum.DAY || b.getPrecision() == TemporalPrecisionEnum.DAY)
        && day(a).equals(day(b));
  }

  /** The calendar day as written (its own offset), {@code yyyy-mm-dd}, or shorter for a year or month. */
  private static String day(DateTimeType t) {
    String s = t.getValueAsString();
    return s.length() > 10 ? s.substring(0, 10) : s;
  }
}
