package io.telebridge.core.fromehr;

import io.telebridge.core.error.TransientException;
import io.telebridge.core.identity.EhrPatientIndex;
import io.telebridge.core.model.Identifier;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Use case: one message from the EHR → the platform's events, for every platform patient linked
 * to the message's MRN.
 *
 * <ul>
 *   <li>ORU^R01 → {@code ehr.result.available} per OBR (a correction says so and names the result it
 *       replaces);
 *   <li>ADT A04/A28 → the identity index only ({@link EhrPatientIndex#upsert}); A08/A31 → upsert and
 *       {@code ehr.patient.updated}; A40 → {@link EhrPatientIndex#merge} and {@code ehr.patients.merged};
 *   <li>SIU S12..S26 → the conflict rule ({@link ReconcileAppointment}) → {@code ehr.appointment.changed}
 *       when a field changed for the platform (not for an echo, a stale update or a change the policy
 *       refuses; those are counted);
 *   <li>an MRN linked to no platform patient: recorded (ADT: upsert) and counted
 *       ({@value Metrics#UNLINKED_MRN_MESSAGES}), nothing delivered, not an error.
 * </ul>
 *
 * Safe to repeat: event ids are deterministic ({@link EventIds}), the index calls are idempotent, and
 * appointment state moves only after the events are sent.
 */
public final class TranslateFromEhr {

  private static final System.Logger LOG = System.getLogger(TranslateFromEhr.class.getName());

  private final String tenant;
  private final EhrPatientIndex index;
  private final ReconcileAppointment appointments;
  private final PlatformOutbox outbox;
  private final Metrics metrics;
  private final Clock clock;

  public TranslateFromEhr(String tenant, EhrPatientIndex index, ReconcileAppointment appointments,
      PlatformOutbox outbox, Metrics metrics, Clock clock) {
    this.tenant = tenant;
    this.index = index;
    this.appointments = appointments;
    this.outbox = outbox;
    this.metrics = metrics;
    this.clock = clock;
  }

  /** @return the events sent to the platform (empty: nothing for the platform) */
  public List<OutboundEvent> translate(FromEhrMessage message) {
    List<OutboundEvent> sent = switch (message) {
      case ResultReport r -> results(r);
      case EhrPatientEvent p -> patient(p);
      case EhrAppointmentEvent a -> appointment(a);
    };
    LOG.log(Level.INFO, "translated controlId={0} type={1} events={2}", message.header().controlId(),
        message.header().messageType(), sent.stream().map(e -> e.type().wireName() + "/" + e.eventId()).toList());
    return sent;
  }

  private List<OutboundEvent> results(ResultReport report) {
    Identifier mrn = report.patient().mrn();
    List<String> patients = index.platformPatientsOf(tenant, mrn);
    if (patients.isEmpty()) {
      return unlinked(report);
    }
    List<OutboundEvent> out = new ArrayList<>();
    for (String platformPatientId : patients) {
      for (Result result : report.results()) {
        boolean correction = result.isCorrection();
        out.add(send(new OutboundEvent(
            EventIds.derive(tenant, platformPatientId, "result", facility(report), report.header().controlId(), result.id()),
            OutboundEventType.RESULT_AVAILABLE, occurredAt(report.header().sentAt()), tenant, platformPatientId, mrn,
            report.header(), new OutboundData.ResultAvailable(result, correction, correction ? result.id() : null))));
      }
    }
    return out;
  }

  private List<OutboundEvent> patient(EhrPatientEvent event) {
    List<String> patients;
    Identifier mrn = event.patient().mrn();
    if (event.kind() == EhrPatientEvent.Kind.MERGED) {
      if (event.priorMrn() == null) {
        throw new io.telebridge.core.error.RejectedException("A40 controlId=" + event.header().controlId()
            + " has no MRG-1 (prior MRN)");
      }
      patients = index.merge(tenant, mrn, event.priorMrn());
    } else {
      patients = index.upsert(tenant, event.patient());
    }
    if (patients.isEmpty()) {
      return unlinked(event);
    }
    List<OutboundEvent> out = new ArrayList<>();
    for (String platformPatientId : patients) {
      OutboundData data;
      OutboundEventType type;
      switch (event.kind()) {
        case UPDATED, PERSON_UPDATED -> {
          type = OutboundEventType.PATIENT_UPDATED;
          data = new OutboundData.PatientUpdated(event.kind().trigger(), event.patient());
        }
        case MERGED -> {
          type = OutboundEventType.PATIENTS_MERGED;
          data = new OutboundData.PatientsMerged(mrn, event.priorMrn());
        }
        default -> {
          continue; // A04 / A28: the index only
        }
      }
      out.add(send(new OutboundEvent(
          EventIds.derive(tenant, platformPatientId, type.wireName(), facility(event), event.header().controlId()),
          type, occurredAt(event.recordedAt() != null ? event.recordedAt() : event.header().sentAt()), tenant,
          platformPatientId, mrn, event.header(), data)));
    }
    return out;
  }

  private List<OutboundEvent> appointment(EhrAppointmentEvent event) {
    Identifier mrn = event.patient().mrn();
    List<String> patients = index.platformPatientsOf(tenant, mrn);
    if (patients.isEmpty()) {
      return unlinked(event);
    }
    OffsetDateTime occurredAt = occurredAt(event.header().sentAt());
    Instant at = occurredAt.toInstant();
    for (int attempt = 0; attempt < ReconcileAppointment.ATTEMPTS; attempt++) {
      ReconcileAppointment.Decision decision = appointments.decide(tenant, event, at);
      List<OutboundEvent> out = new ArrayList<>();
      List<AppointmentField> changed = decision.changed();
      if (!changed.isEmpty()) {
        OutboundData.AppointmentChanged data = new OutboundData.AppointmentChanged(event.kind().change(),
            ReconcileAppointment.wireNames(changed), decision.snapshot());
        for (String platformPatientId : patients) {
          out.add(send(new OutboundEvent(
              EventIds.derive(tenant, platformPatientId, "appointment", facility(event), event.header().controlId(),
                  event.appointmentKey()),
              OutboundEventType.APPOINTMENT_CHANGED, occurredAt, tenant, platformPatientId, mrn, event.header(), data)));
        }
      }
      if (appointments.commit(decision)) {
        Map<String, String> ids = ids(event);
        ids.put("appointmentKey", event.appointmentKey());
        countIf(Metrics.ECHOES_SUPPRESSED, decision.count(FieldDecision.ECHO) > 0 && changed.isEmpty() ? 1 : 0, ids);
        countIf(Metrics.STALE_APPOINTMENT_UPDATES, decision.count(FieldDecision.STALE), ids);
        countIf(Metrics.CONFLICTS_KEPT_BY_POLICY, decision.count(FieldDecision.KEPT_BY_POLICY), ids);
        if (changed.isEmpty()) {
          LOG.log(Level.INFO, "appointment {0} controlId={1}: nothing changed for the platform ({2})",
              event.appointmentKey(), event.header().controlId(), decision.fields());
        }
        return out;
      }
    }
    throw new TransientException("appointment " + event.appointmentKey() + ": state kept changing ("
        + ReconcileAppointment.ATTEMPTS + " version conflicts)", null);
  }

  private List<OutboundEvent> unlinked(FromEhrMessage message) {
    metrics.count(Metrics.UNLINKED_MRN_MESSAGES, 1, ids(message));
    LOG.log(Level.INFO, "controlId={0} type={1}: MRN linked to no platform patient of {2}; not delivered",
        message.header().controlId(), message.header().messageType(), tenant);
    return List.of();
  }

  private void countIf(String metric, long n, Map<String, String> ids) {
    if (n > 0) {
      metrics.count(metric, n, ids);
    }
  }

  private Map<String, String> ids(FromEhrMessage message) {
    Map<String, String> ids = new LinkedHashMap<>();
    ids.put("tenant", tenant);
    ids.put("controlId", message.header().controlId());
    ids.put("messageType", message.header().messageType());
    ids.put("sendingFacility", facility(message));
    return ids;
  }

  private OutboundEvent send(OutboundEvent event) {
    outbox.send(event);
    return event;
  }

  private static String facility(FromEhrMessage m) {
    return m.header().sendingFacility() == null ? "" : m.header().sendingFacility();
  }

  private OffsetDateTime occurredAt(OffsetDateTime t) {
    return t != null ? t : OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
  }
}
