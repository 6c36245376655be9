package io.telebridge.mllp.frame;

import java.util.Arrays;

/**
 * A frame was longer than the limit. With resynchronisation on ({@link MllpReader#MllpReader(java.io.InputStream,
 * int, boolean)}) the reader has skipped the rest of the frame up to its end block: when
 * {@link #resynced()} the stream is in step again and the next frame can be read (the listener answers AR
 * and keeps the connection). Otherwise (end of stream, or a start block before the end block) it is
 * out of step. The head of the frame ({@link #head()}, at most the limit) is kept for quarantine; the
 * exception message never contains payload bytes.
 */
public final class OversizeFrameException extends MllpFramingException {

  private static final long serialVersionUID = 1L;

  private final transient byte[] head;
  private final long frameBytes;
  private final boolean resynced;

  public OversizeFrameException(int maxFrameBytes, byte[] head, long frameBytes, boolean resynced) {
    super("frame exceeds the maximum of " + maxFrameBytes + " bytes"
        + (resynced ? " (" + frameBytes + " bytes; skipped to its end block)" : " (no end block found: out of step)"));
    this.head = head == null ? new byte[0] : head;
    this.frameBytes = frameBytes;
    this.resynced = resynced;
  }

  /** The first bytes of the frame (at most the limit). */
  public byte[] head() {
    return Arrays.copyOf(head, head.length);
  }

  /** The frame's length as far as it was read (all of it when {@link #resynced()}). */
  public long frameBytes() {
    return frameBytes;
  }

  /** Whether the reader found the frame's end block: the next frame can be read. */
  public boolean resynced() {
    return resynced;
  }
}
