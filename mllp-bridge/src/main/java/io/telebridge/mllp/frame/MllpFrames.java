package io.telebridge.mllp.frame;

import java.io.IOException;
import java.io.OutputStream;

/**
 * MLLP (HL7 v2 Minimal Lower Layer Protocol, release 2) block constants and the writer side:
 * {@code <VT> payload <FS><CR>}.
 */
public final class MllpFrames {

  /** Start block, vertical tab. */
  public static final byte START_BLOCK = 0x0B;
  /** End block, file separator. */
  public static final byte END_BLOCK = 0x1C;
  /** Carriage return that follows the end block. */
  public static final byte CARRIAGE_RETURN = 0x0D;
  /** 1 MiB: generous for ADT/SIU/ORM; MDM with embedded documents may need more. */
  public static final int DEFAULT_MAX_FRAME_BYTES = 1 << 20;

  private MllpFrames() {}

  /** The payload wrapped in one frame, as one array (one write, no small TCP segments). */
  public static byte[] frame(byte[] payload) {
    byte[] out = new byte[payload.length + 3];
    out[0] = START_BLOCK;
    System.arraycopy(payload, 0, out, 1, payload.length);
    out[out.length - 2] = END_BLOCK;
    out[out.length - 1] = CARRIAGE_RETURN;
    return out;
  }

  /** Writes one frame and flushes. */
  public static void write(OutputStream out, byte[] payload) throws IOException {
    out.write(frame(payload));
    out.flush();
  }
}
