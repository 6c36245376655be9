package io.telebridge.mllp.frame;

import java.io.IOException;

/**
 * The byte stream does not follow MLLP (no end block before EOF, a frame over the size limit, a
 * start block inside a frame, FS not followed by CR). The connection is out of step: close it.
 * The message never contains payload bytes.
 */
public class MllpFramingException extends IOException {

  private static final long serialVersionUID = 1L;

  public MllpFramingException(String message) {
    super(message);
  }
}
