package io.telebridge.matching.mpi;

/** An event waiting in a review case, in arrival order ({@code seq} from 1). The body is PHI. */
public record ParkedEvent(int seq, String eventId, String body) {

  @Override
  public String toString() {
    return "ParkedEvent[seq=" + seq + ", eventId=" + eventId + ", ***]";
  }
}
