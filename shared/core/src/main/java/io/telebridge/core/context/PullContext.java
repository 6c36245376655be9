package io.telebridge.core.context;

import io.telebridge.core.error.TransientException;
import io.telebridge.core.fromehr.AppointmentField;
import io.telebridge.core.fromehr.AppointmentState;
import io.telebridge.core.fromehr.AppointmentStates;
import io.telebridge.core.fromehr.FieldState;
import io.telebridge.core.journal.Stage;
import io.telebridge.core.switches.Flow;
import io.telebridge.core.switches.FlowGate;
import io.telebridge.core.switches.FlowMode;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

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
 *
 * <p>The tenant's {@code context} flow switch ({@link FlowGate}) is asked first: <b>off</b>, nothing is
 * pulled, sent or cached, the request is journaled ({@code switched-off}, stage {@code context}); <b>shadow</b>,
 * the context is pulled and assembled, kept in the shadow store and journaled ({@code shadowed}) instead of
 * sent, and not cached (the cache serves the platform). {@link Result#heldBy} says which.
 */
public final class PullContext {

  private static final System.Logger LOG = System.getLogger(PullContext.class.getName());
  private static final Set<String> CALLED_OFF = Set.of("cancelled", "no_show");

  /** The journal's type of a pull request held back before it ran (the flow off). */
  public static final String PULL = "patient.context.pull";

  /**
   * What a pull did: skipped (appointment called off), held back by the context flow's switch ({@code heldBy}
   * off: nothing pulled, {@code outcome} null; shadow: pulled, kept, not sent), or the outcome sent.
   */
  public record Result(ContextOutcome outcome, boolean skipped, FlowMode heldBy) {
    public Result(ContextOutcome outcome, boolean skipped) {
      this(outcome, skipped, null);
    }

    public boolean sent() {
      return outcome != null && heldBy == null;
    }
  }

  private final AssembleContext assemble;
  private final AppointmentStates appointments;
  private final ContextOutbox outbox;
  private final ContextCache cache;
  private final ContextDeadLetters deadLetters;
  private final Clock clock;
  private final FlowGate gate;
  private final Function<ContextOutcome, String> document;

  /** Every flow on (tests of the pull itself). */
  public PullContext(AssembleContext assemble, AppointmentStates appointments, ContextOutbox outbox, ContextCache cache,
      ContextDeadLetters deadLetters, Clock clock) {
    this(assemble, appointments, outbox, cache, deadLetters, clock, FlowGate.allOn(), o -> "");
  }

  /**
   * @param appointments the appointment states the translator records (null: not checked)
   * @param gate the flow switches (the {@code context} flow)
   * @param document the event an outcome is sent as (what shadow mode keeps instead)
   */
  public PullContext(AssembleContext assemble, AppointmentStates appointments, ContextOutbox outbox, ContextCache cache,
      ContextDeadLetters deadLetters, Clock clock, FlowGate gate, Function<ContextOutcome, String> document) {
    this.gate = gate;
    this.document = document;
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

  /** The tenant's context flow: on, off or shadow (an on-demand request serves no cached context unless on). */
  public FlowMode mode(String tenant) {
    return gate.mode(tenant, Flow.CONTEXT);
  }

  /** A pull now (on demand, or a schedule whose appointment is current). */
  public Result pull(ContextRequest request) {
    String requestId = io.telebridge.core.model.TenantKeys.sha256(request.tenant(), request.platformPatientId(),
        String.valueOf(request.appointmentId()), clock.instant().toString()).substring(0, 32);
    if (gate.switchedOff(request.tenant(), Flow.CONTEXT, Stage.CONTEXT, "pull-" + requestId, PULL,
        request.appointmentId(), request.platformPatientId())) {
      return new Result(null, false, FlowMode.OFF);
    }
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
    ContextOutcome held = outcome;
    if (!gate.toPlatform(request.tenant(), outcome.eventId(), outcome.eventType(), () -> document.apply(held),
        Stage.CONTEXT, request.appointmentId(), request.platformPatientId())) {
      // in shadow (or switched off since the check): kept and journaled by the gate, not sent, not cached
      LOG.log(Level.INFO, "context pull tenant={0} patient={1} appointmentId={2} -> {3} eventId={4} held back",
          request.tenant(), request.platformPatientId(), request.appointmentId(), outcome.eventType(), outcome.eventId());
      return new Result(outcome, false, mode(request.tenant()) == FlowMode.OFF ? FlowMode.OFF : FlowMode.SHADOW);
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
