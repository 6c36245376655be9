package io.telebridge.core.error;

/** Bad input: never retried, answered with a clear error (400, AR/AE, DLQ with reason). */
public non-sealed class RejectedException extends TelebridgeException {

  public RejectedException(String message) {
    super(message, null);
  }

  public RejectedException(String message, Throwable cause) {
    super(message, cause);
  }
}
