package io.telebridge.core.context;

import io.telebridge.core.error.TransientException;
import io.telebridge.core.fromehr.AppointmentField;
import io.telebridge.core.fromehr.AppointmentState;
import io.telebridge.core.fromehr.AppointmentStates;
import io.telebridge.core.fromehr.FieldState;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Use case: one context pull (a schedule firing or an on-demand request) → the context assembled →
 * {@code patient.context.ready} on the to-platform queue (the signed platform delivery delivers it),
 * and the document cached for on-demand requests. Each pull has a new version (its fetch time), so a
 * later pull supersedes.
 *
 * <p>A pull for an appointment the project knows as cancelled or no-show does nothing. A pull that
 * ends without a context (not linked, no chart, credentials refused) sends
 * {@code patient.context.unavailable} with its reason code. A FHIR server that stays down through the
 * reader's retries (with backoff) is dead-lettered with its reason AND sends
 * {@code patient.context.unavailable} ({@code fhir_unavailable}), so the app can say so on screen.
 */
public final class PullContext {

  private static final System.Logger LOG = System.getLogger(PullContext.class.getName());
  private static final Set<String> CALLED_OFF = Set.of("cancelled", "no_show");

  /** What a pull did: skipped (appointment called off), or the outcome sent to the platform. */
  public record Result(ContextOutcome outcome, boolean skipped) {}

  private final AssembleContext assemble;
  private final AppointmentStates appointments;
  private final ContextOutbox outbox;
  private final ContextCache cache;
  private final ContextDeadLetters deadLetters;
  private final Clock clock;

  /** @param appointments the appointment states the translator records (null: not checked) */
  public PullContext(AssembleContext assemble, AppointmentStates appointments, ContextOutbox outbox, ContextCache cache,
      ContextDeadLetters deadLetters, Clock clock) {
    this.assemble = assemble;
    this.appointments = appointments;
    this.outbox = outbox;
    this.cache = cache;
    this.deadLetters = deadLetters;
    this.clock = clock;
  }

  /** A scheduled pull: skipped when the appointment was cancelled or marked no-show meanwhile. */
  public Result scheduled(ContextRequest request) {
    Optional<String> status = status(request);
    if (status.isPresent() && CALLED_OFF.contains(status.get())) {
      LOG.log(Level.INFO, "context pull skipped tenant={0} appointmentId={1}: appointment {2}", request.tenant(),
          request.appointmentId(), status.get());
      return new Result(null, true);
    }
    return pull(request);
  }

  /** A pull now (on demand, or a schedule whose appointment is current). */
  public Result pull(ContextRequest request) {
    ContextOutcome outcome;
    try {
      outcome = assemble.assemble(request);
    } catch (TransientException e) {
      Map<String, String> reason = new LinkedHashMap<>();
      reason.put("reason", Section.Unavailable.Reason.FHIR_UNAVAILABLE.wireName());
      reason.put("errorClass", e.getClass().getSimpleName());
      reason.put("detail", e.getMessage());
      deadLetters.send(request, reason);
      outcome = new ContextOutcome.Unavailable(request, Section.Unavailable.Reason.FHIR_UNAVAILABLE,
          e.getMessage(), clock.instant());
      LOG.log(Level.WARNING, "context pull failed after retries tenant={0} patient={1} appointmentId={2}: {3}",
          request.tenant(), request.platformPatientId(), request.appointmentId(), e.getClass().getSimpleName());
    }
    outbox.send(outcome);
    if (outcome instanceof ContextOutcome.Ready ready) {
      try {
        cache.put(ready.context());
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "context not cached tenant={0} patient={1}: {2}", request.tenant(),
            request.platformPatientId(), e.getClass().getSimpleName());
      }
    }
    LOG.log(Level.INFO, "context pull tenant={0} patient={1} appointmentId={2} -> {3} eventId={4}", request.tenant(),
        request.platformPatientId(), request.appointmentId(), outcome.eventType(), outcome.eventId());
    return new Result(outcome, false);
  }

  private Optional<String> status(ContextRequest request) {
    if (appointments == null || request.appointmentId() == null) {
      return Optional.empty();
    }
    Optional<AppointmentState> state = appointments.load(request.tenant(), request.appointmentId());
    FieldState s = state.map(a -> a.field(AppointmentField.STATUS)).orElse(null);
    return s == null ? Optional.empty() : Optional.ofNullable(s.value());
  }
}
