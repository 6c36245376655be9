package io.telebridge.core.toplatform;

import io.telebridge.core.error.TransientException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Test fake of {@link DeadLetters}: keeps what was sent; can be made unavailable. */
final class InMemoryDeadLetters implements DeadLetters {

  record Letter(PlatformDelivery delivery, Map<String, String> attributes) {}

  final List<Letter> letters = new ArrayList<>();
  boolean down;

  @Override
  public void send(PlatformDelivery delivery, Map<String, String> attributes) {
    if (down) {
      throw new TransientException("DLQ down", null);
    }
    letters.add(new Letter(delivery, Map.copyOf(attributes)));
  }
}
