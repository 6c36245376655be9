package io.telebridge.core.fromehr;

import java.time.OffsetDateTime;

/**
 * The MSH of a message from the EHR: who sent it, its control id (MSH-10), type, version and
 * character set, and when it was sent (MSH-7). Ids only, no PHI.
 *
 * @param messageType e.g. {@code ORU^R01}
 * @param sentAt MSH-7; null when the sender left it empty
 */
public record MessageHeader(
    String sendingApplication,
    String sendingFacility,
    String controlId,
    String messageType,
    String version,
    String characterSet,
    OffsetDateTime sentAt) {}
