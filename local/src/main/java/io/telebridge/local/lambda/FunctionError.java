package io.telebridge.local.lambda;

/**
 * An invocation that did not return a result, as Lambda reports it (errorType). The message holds
 * ids and the exception type only, never the handler's exception message (which might carry PHI).
 */
public final class FunctionError extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why the invocation failed. */
  public enum Kind {
    /** The handler class could not be found or constructed. */
    INIT_ERROR,
    /** The handler threw. */
    UNHANDLED,
    /** The handler ran longer than the function's Timeout. */
    TIMEOUT,
    /** The event or the result could not be (de)serialised. */
    SERIALIZATION
  }

  private final Kind kind;

  public FunctionError(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
