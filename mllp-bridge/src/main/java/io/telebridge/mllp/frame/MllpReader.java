package io.telebridge.mllp.frame;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads MLLP frames from a byte stream. Pure stream code: no sockets, no charset, no HL7.
 *
 * <ul>
 *   <li>Bytes before a start block (VT) are skipped and counted ({@link #skippedBytes()}).
 *   <li>A frame ends at FS CR; CR and LF inside the payload are payload (HL7 segment separators).
 *   <li>End of stream before any start block is a clean close: {@link #readFrame()} returns null.
 *   <li>End of stream inside a frame, a frame longer than the limit, a VT inside a frame, or FS
 *       followed by anything but CR throw {@link MllpFramingException}: the stream is out of step
 *       and the connection should be closed.
 * </ul>
 *
 * <p>Hostile or broken peers: at most {@code maxSkippedBytes} may come before a start block (else
 * {@link MllpFramingException}), and a {@link FrameClock} hears when a frame's first byte arrived and
 * when the frame was complete, so that the caller can hold the frame to a deadline (the listener
 * does, with {@link DeadlineInputStream}: a frame that trickles in is dropped).
 *
 * <p>It buffers: bytes read past the end of a frame belong to the next one ({@link #hasBuffered()}
 * tells whether any are waiting). Not thread-safe; one reader per connection.
 */
public final class MllpReader {

  private final InputStream in;
  private final int maxFrameBytes;
  private final boolean resyncOversize;
  private final byte[] buffer = new byte[8192];
  private int pos;
  private int limit;
  private long skipped;
  private final long maxSkippedBytes;
  private final FrameClock clock;

  /** Hears when a frame starts (its first byte, or the first byte before its start block) and ends. */
  public interface FrameClock {
    FrameClock NONE = new FrameClock() {
      @Override
      public void started() {}

      @Override
      public void ended() {}
    };

    void started();

    void ended();
  }

  /** Bytes allowed before a start block, between two frames, unless told otherwise. */
  public static final long DEFAULT_MAX_SKIPPED_BYTES = 4096;

  public MllpReader(InputStream in, int maxFrameBytes) {
    this(in, maxFrameBytes, false);
  }

  /**
   * @param resyncOversize on an oversize frame, skip to its end block before throwing
   *     {@link OversizeFrameException} (the listener: answer AR and keep the connection); at most
   *     {@link #MAX_SKIP_FACTOR} times the limit is skipped. Off: throw as soon as the limit is passed
   *     (the sender: the connection is closed anyway).
   */
  public MllpReader(InputStream in, int maxFrameBytes, boolean resyncOversize) {
    this(in, maxFrameBytes, resyncOversize, DEFAULT_MAX_SKIPPED_BYTES, FrameClock.NONE);
  }

  /**
   * @param maxSkippedBytes bytes allowed before a start block (between two frames); more is a framing error
   * @param clock told when each frame starts and ends
   */
  public MllpReader(InputStream in, int maxFrameBytes, boolean resyncOversize, long maxSkippedBytes, FrameClock clock) {
    if (maxFrameBytes < 1) {
      throw new IllegalArgumentException("maxFrameBytes must be positive");
    }
    if (maxSkippedBytes < 0) {
      throw new IllegalArgumentException("maxSkippedBytes must not be negative");
    }
    this.in = in;
    this.maxFrameBytes = maxFrameBytes;
    this.resyncOversize = resyncOversize;
    this.maxSkippedBytes = maxSkippedBytes;
    this.clock = clock;
  }

  /** Resynchronisation gives up after skipping this many times the frame limit. */
  public static final int MAX_SKIP_FACTOR = 16;

  /**
   * The next frame's payload (without VT, FS, CR), or null if the stream ended cleanly between
   * frames.
   */
  public byte[] readFrame() throws IOException {
    // 1. find the start block
    long gap = 0;
    if (pos == limit && !fill()) {
      return null;
    }
    clock.started();
    while (true) {
      if (pos == limit && !fill()) {
        return null;
      }
      if (buffer[pos] == MllpFrames.START_BLOCK) {
        pos++;
        break;
      }
      pos++;
      skipped++;
      if (++gap > maxSkippedBytes) {
        throw new MllpFramingException("more than " + maxSkippedBytes + " bytes before a start block");
      }
    }
    // 2. collect until FS CR
    byte[] frame = new byte[Math.min(maxFrameBytes, 1024)];
    int size = 0;
    while (true) {
      if (pos == limit && !fill()) {
        throw new MllpFramingException("end of stream inside a frame after " + size + " bytes (no end block)");
      }
      // scan the buffered bytes for a delimiter in one pass
      int start = pos;
      while (pos < limit) {
        byte b = buffer[pos];
        if (b == MllpFrames.END_BLOCK || b == MllpFrames.START_BLOCK) {
          break;
        }
        pos++;
      }
      int n = pos - start;
      if (n > 0) {
        if (size + n > maxFrameBytes) {
          int keep = maxFrameBytes - size;
          if (keep > 0) {
            if (maxFrameBytes > frame.length) {
              frame = Arrays.copyOf(frame, maxFrameBytes);
            }
            System.arraycopy(buffer, start, frame, size, keep);
          }
          byte[] head = Arrays.copyOf(frame, maxFrameBytes);
          if (!resyncOversize) {
            throw new OversizeFrameException(maxFrameBytes, head, (long) size + n, false);
          }
          throw skipOversize(head, (long) size + n);
        }
        if (size + n > frame.length) {
          frame = Arrays.copyOf(frame, Math.min(maxFrameBytes, Math.max(size + n, frame.length * 2)));
        }
        System.arraycopy(buffer, start, frame, size, n);
        size += n;
      }
      if (pos == limit) {
        continue;
      }
      byte delimiter = buffer[pos++];
      if (delimiter == MllpFrames.START_BLOCK) {
        throw new MllpFramingException("start block inside a frame after " + size + " bytes");
      }
      // FS: must be followed by CR
      if (pos == limit && !fill()) {
        throw new MllpFramingException("end of stream after the end block (FS without CR)");
      }
      byte next = buffer[pos++];
      if (next != MllpFrames.CARRIAGE_RETURN) {
        throw new MllpFramingException("end block not followed by CR (byte 0x"
            + Integer.toHexString(next & 0xff) + ")");
      }
      clock.ended();
      return size == frame.length ? frame : Arrays.copyOf(frame, size);
    }
  }

  /**
   * Skips the rest of an oversize frame to its FS CR. Returns the exception to throw: resynced when
   * the end block was found, not when the stream ended, a VT came first or the skip limit passed.
   */
  private OversizeFrameException skipOversize(byte[] head, long seen) throws IOException {
    long total = seen;
    long limitBytes = (long) maxFrameBytes * MAX_SKIP_FACTOR;
    while (true) {
      if (pos == limit && !fill()) {
        return new OversizeFrameException(maxFrameBytes, head, total, false);
      }
      byte b = buffer[pos++];
      if (b == MllpFrames.START_BLOCK) {
        pos--; // the next frame starts here; the oversize one had no end block
        return new OversizeFrameException(maxFrameBytes, head, total, false);
      }
      if (b == MllpFrames.END_BLOCK) {
        if (pos == limit && !fill()) {
          return new OversizeFrameException(maxFrameBytes, head, total, false);
        }
        boolean cr = buffer[pos] == MllpFrames.CARRIAGE_RETURN;
        if (cr) {
          pos++;
          clock.ended();
        }
        return new OversizeFrameException(maxFrameBytes, head, total, cr);
      }
      total++;
      if (total > limitBytes) {
        return new OversizeFrameException(maxFrameBytes, head, total, false);
      }
    }
  }

  /** Bytes skipped so far because they came before a start block (garbage between frames). */
  public long skippedBytes() {
    return skipped;
  }

  /** Whether bytes are already buffered (read from the stream but not yet part of a frame). */
  public boolean hasBuffered() {
    return pos < limit;
  }

  private boolean fill() throws IOException {
    int n = in.read(buffer, 0, buffer.length);
    if (n <= 0) {
      if (n == 0) {
        throw new IOException("stream returned 0 bytes");
      }
      return false;
    }
    pos = 0;
    limit = n;
    return true;
  }
}
