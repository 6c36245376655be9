package io.telebridge.mllp.bridge;

import java.util.ArrayList;
import java.util.List;

/** What happened to one received batch: the figures one EMF line reports. */
public final class BatchStats {
  int sent;
  int acked;
  int nacked;
  int retried;
  int deadLettered;
  int linkFailures;
  int suppressedDuplicates;
  int ledgerErrors;
  final List<Long> ackLatencyMs = new ArrayList<>();

  public int sent() {
    return sent;
  }

  public int acked() {
    return acked;
  }

  public int nacked() {
    return nacked;
  }

  public int retried() {
    return retried;
  }

  public int deadLettered() {
    return deadLettered;
  }

  public int linkFailures() {
    return linkFailures;
  }

  public int suppressedDuplicates() {
    return suppressedDuplicates;
  }

  public int ledgerErrors() {
    return ledgerErrors;
  }

  public List<Long> ackLatencyMs() {
    return List.copyOf(ackLatencyMs);
  }

  boolean isEmpty() {
    return sent == 0 && acked == 0 && nacked == 0 && retried == 0 && deadLettered == 0 && linkFailures == 0
        && suppressedDuplicates == 0 && ledgerErrors == 0;
  }
}
