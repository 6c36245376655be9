package io.telebridge.core.claimcheck;

import io.telebridge.core.error.TransientException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Test fake of the payload store port: objects by key in memory; {@code down} makes every call fail. */
public final class InMemoryPayloadStore implements PayloadStore {

  public static final String BUCKET = "test-payloads";

  public final Map<String, byte[]> objects = new LinkedHashMap<>();
  public boolean down;

  @Override
  public synchronized ClaimCheck put(String key, byte[] payload) {
    if (down) {
      throw new TransientException("store down", null);
    }
    objects.put(key, payload.clone());
    return ClaimCheck.of(BUCKET, key, payload);
  }

  @Override
  public synchronized byte[] get(ClaimCheck check) {
    if (down) {
      throw new TransientException("store down", null);
    }
    byte[] bytes = objects.get(check.key());
    if (bytes == null) {
      throw new ClaimCheckException("claim check " + check.key() + ": no such object");
    }
    return bytes.clone();
  }
}
