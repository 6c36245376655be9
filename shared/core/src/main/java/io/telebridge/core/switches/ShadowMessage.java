package io.telebridge.core.switches;

import java.time.Instant;

/**
 * A message kept for the shadow comparison: what telebridge would have sent ({@link Side#TELEBRIDGE}),
 * or what the EHR sent back over the listener while the flow was in shadow ({@link Side#EHR}). The
 * body is PHI (kept in its own encrypted table with a TTL): {@link #toString()} shows ids only.
 *
 * @param id the MSH-10 (HL7) or the event id (platform-bound JSON)
 * @param type the HL7 message type ({@code SIU^S12}) or the event type
 */
public record ShadowMessage(String tenant, Side side, Flow flow, String type, String id, Instant at, String body) {

  public enum Side {
    TELEBRIDGE("telebridge"), EHR("ehr");

    private final String wire;

    Side(String wire) {
      this.wire = wire;
    }

    public String wire() {
      return wire;
    }

    public static Side fromWire(String s) {
      return "ehr".equals(s) ? EHR : TELEBRIDGE;
    }
  }

  @Override
  public String toString() {
    return "ShadowMessage[tenant=" + tenant + ", side=" + side.wire() + ", flow=" + flow.wire() + ", type=" + type
        + ", id=" + id + ", at=" + at + ", body=" + (body == null ? 0 : body.length()) + " chars]";
  }
}
