package io.telebridge.core.intake;

import java.time.Instant;

/**
 * The routing facts of an event that passed schema validation: ids only, no demographics, so this
 * record may be logged.
 *
 * @param eventId the platform's event id: the idempotency key and the SQS deduplication id
 * @param type the event type, e.g. {@code appointment.booked}
 * @param tenant the platform tenant that sent it
 * @param patientId the platform patient id: the SQS message group, so one patient's events keep order
 * @param occurredAt when it happened on the platform
 */
public record ValidatedEvent(String eventId, String type, String tenant, String patientId, Instant occurredAt) {}
