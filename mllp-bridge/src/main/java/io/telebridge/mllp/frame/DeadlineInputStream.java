package io.telebridge.mllp.frame;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * A socket's input with two limits: an idle timeout (no byte for this long) and an optional
 * absolute deadline (each read gets the time that is left). The sender uses the deadline for an
 * ACK; the listener uses both: idle between frames, a deadline per frame (slow senders). A read
 * that times out because of the deadline throws {@link DeadlineExceededException}. One reader per
 * socket; not thread-safe.
 */
public final class DeadlineInputStream extends InputStream {

  /** The deadline, not the idle timeout, ended the read. */
  public static final class DeadlineExceededException extends SocketTimeoutException {
    private static final long serialVersionUID = 1L;

    public DeadlineExceededException() {
      super("deadline passed");
    }
  }

  private static final long NONE = Long.MAX_VALUE;

  private final Socket socket;
  private final InputStream in;
  private final int idleMillis;
  private long deadlineNanos = NONE;
  private boolean deadlineBinds;

  /** @param idle the longest wait for a byte; zero: no idle limit */
  public DeadlineInputStream(Socket socket, Duration idle) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
    this.idleMillis = (int) Math.min(Integer.MAX_VALUE, idle.toMillis());
  }

  /** Reads must be over by {@code System.nanoTime()} = {@code nanos}. */
  public void deadline(long nanos) {
    deadlineNanos = nanos;
  }

  /** Only the idle timeout applies again. */
  public void clearDeadline() {
    deadlineNanos = NONE;
  }

  public boolean hasDeadline() {
    return deadlineNanos != NONE;
  }

  private void arm() throws IOException {
    int timeout = idleMillis;
    deadlineBinds = false;
    if (deadlineNanos != NONE) {
      long left = deadlineNanos - System.nanoTime();
      if (left <= 0) {
        throw new DeadlineExceededException();
      }
      int leftMillis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, Math.ceilDiv(left, 1_000_000L)));
      if (timeout == 0 || leftMillis <= timeout) {
        timeout = leftMillis;
        deadlineBinds = true;
      }
    }
    socket.setSoTimeout(timeout);
  }

  @Override
  public int read() throws IOException {
    arm();
    try {
      return in.read();
    } catch (SocketTimeoutException e) {
      throw deadlineBinds ? new DeadlineExceededException() : e;
    }
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    arm();
    try {
      return in.read(b, off, len);
    } catch (SocketTimeoutException e) {
      throw deadlineBinds ? new DeadlineExceededException() : e;
    }
  }
}
