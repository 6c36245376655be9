package io.telebridge.core.intake;

import io.telebridge.core.error.TransientException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** Test fake of the idempotency port, with the same claim rules as the DynamoDB adapter. */
final class InMemoryIdempotencyStore implements IdempotencyStore {

  record Entry(String status, String bodyHash, String token, Instant leaseUntil) {}

  final Map<String, Entry> entries = new ConcurrentHashMap<>();
  private final Duration lease;
  boolean down;

  InMemoryIdempotencyStore(Duration lease) {
    this.lease = lease;
  }

  @Override
  public synchronized Claim claim(String key, String bodyHash, Instant now) {
    if (down) {
      throw new TransientException("store down", null);
    }
    Entry old = entries.get(key);
    if (old != null && old.status().equals("COMPLETED")) {
      return new Claim.Completed(old.bodyHash());
    }
    if (old != null && old.leaseUntil().isAfter(now)) {
      return new Claim.InProgress(old.leaseUntil());
    }
    String token = UUID.randomUUID().toString();
    entries.put(key, new Entry("IN_PROGRESS", bodyHash, token, now.plus(lease)));
    return new Claim.Claimed(token);
  }

  @Override
  public synchronized void complete(String key, String token, String messageId, Instant now) {
    if (down) {
      throw new TransientException("store down", null);
    }
    Entry e = entries.get(key);
    if (e != null && e.token().equals(token)) {
      entries.put(key, new Entry("COMPLETED", e.bodyHash(), token, Instant.EPOCH));
    }
  }

  @Override
  public synchronized void release(String key, String token) {
    if (down) {
      throw new TransientException("store down", null);
    }
    Entry e = entries.get(key);
    if (e != null && e.token().equals(token) && e.status().equals("IN_PROGRESS")) {
      entries.put(key, new Entry("IN_PROGRESS", e.bodyHash(), token, Instant.EPOCH));
    }
  }
}
