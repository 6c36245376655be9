package io.telebridge.core.error;

/** An infrastructure failure (queue, table, network): the caller retries later. */
public non-sealed class TransientException extends TelebridgeException {

  public TransientException(String message, Throwable cause) {
    super(message, cause);
  }
}
