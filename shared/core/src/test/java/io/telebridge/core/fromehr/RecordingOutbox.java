package io.telebridge.core.fromehr;

import java.util.ArrayList;
import java.util.List;

/** The {@link PlatformOutbox} port: records events; can be told to fail. */
public final class RecordingOutbox implements PlatformOutbox {

  public final List<OutboundEvent> sent = new ArrayList<>();
  public int failuresToInject;

  @Override
  public void send(OutboundEvent event) {
    if (failuresToInject > 0) {
      failuresToInject--;
      throw new io.telebridge.core.error.TransientException("queue down (test)", null);
    }
    sent.add(event);
  }
}
