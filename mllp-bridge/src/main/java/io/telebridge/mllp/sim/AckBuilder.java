package io.telebridge.mllp.sim;

import io.telebridge.mllp.hl7.RawHl7;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * Builds an ACK from the raw MSH of the message it answers (Camel MLLP's approach: it works even
 * when the message would not parse). Separators and version are the message's own.
 */
final class AckBuilder {

  private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyyMMddHHmmssZ");
  private static final Map<String, String> TABLE_0357 = Map.ofEntries(
      Map.entry("0", "Message accepted"), Map.entry("100", "Segment sequence error"),
      Map.entry("101", "Required field missing"), Map.entry("102", "Data type error"),
      Map.entry("103", "Table value not found"), Map.entry("200", "Unsupported message type"),
      Map.entry("201", "Unsupported event code"), Map.entry("202", "Unsupported processing id"),
      Map.entry("203", "Unsupported version id"), Map.entry("204", "Unknown key identifier"),
      Map.entry("205", "Duplicate key identifier"), Map.entry("206", "Application record locked"),
      Map.entry("207", "Application internal error"));

  private AckBuilder() {}

  static String ack(RawHl7 in, String code, String msa2, String ackControlId, SimRule rule, ZonedDateTime now) {
    char f = in.fieldSeparator();
    String enc = in.encodingCharacters();
    char c = enc.isEmpty() ? '^' : enc.charAt(0);
    String trigger = in.triggerEvent();
    StringBuilder b = new StringBuilder(200);
    b.append("MSH").append(f).append(enc).append(f)
        .append(in.msh(5)).append(f).append(in.msh(6)).append(f)
        .append(in.msh(3)).append(f).append(in.msh(4)).append(f)
        .append(TS.format(now)).append(f).append(f)
        .append("ACK").append(trigger.isEmpty() ? "" : c + trigger).append(c).append("ACK").append(f)
        .append(ackControlId).append(f).append(in.msh(11)).append(f).append(in.msh(12));
    String charset = in.msh(18);
    if (!charset.isEmpty()) {
      b.append(f).append(f).append(f).append(f).append(f).append(f).append(charset); // MSH-13..17 empty, MSH-18
    }
    b.append('\r');
    b.append("MSA").append(f).append(code).append(f).append(msa2).append('\r');
    if (rule != null && rule.answer().isError()) {
      String err = rule.errorCode();
      String text = TABLE_0357.getOrDefault(err, "Error");
      b.append("ERR").append(f).append(f).append(rule.errorLocation()).append(f)
          .append(err).append(c).append(text).append(c).append("HL70357").append(f)
          .append("E").append(f).append(f).append(f).append(f)
          // ERR-8, the user message: free text an EHR may fill with data from the message. The bridge must
          // never copy it anywhere; the simulator puts a recognisable marker here so tests can check that.
          .append("SIMULATED USER MESSAGE - NOT FOR LOGS").append('\r');
    }
    return b.toString();
  }
}
