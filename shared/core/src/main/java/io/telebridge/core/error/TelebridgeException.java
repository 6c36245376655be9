package io.telebridge.core.error;

/**
 * The project's small error family. Each edge (HTTP status, SQS batch failure or DLQ, HL7 ACK code)
 * maps it in exactly one place.
 *
 * <p>Messages carry ids and field names only, never patient data.
 */
public abstract sealed class TelebridgeException extends RuntimeException
    permits RejectedException, TransientException {

  protected TelebridgeException(String message, Throwable cause) {
    super(message, cause);
  }
}
