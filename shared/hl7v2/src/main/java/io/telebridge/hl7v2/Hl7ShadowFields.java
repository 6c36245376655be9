package io.telebridge.hl7v2;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.Segment;
import ca.uhn.hl7v2.parser.PipeParser;
import ca.uhn.hl7v2.util.Terser;
import io.telebridge.core.switches.ShadowFields;
import io.telebridge.core.switches.ShadowMessage;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The fields the shadow report compares, read with the one inbound parser (2.x into the 2.5.1 model).
 * The documented set (README, "Switches and shadow mode"):
 *
 * <pre>
 *   every message   patientName (PID-5.1^5.2, upper case), birthDate (PID-7, the date), sex (PID-8)
 *   SIU             start (SCH-11.4, else TQ1-7; as an instant), end (SCH-11.5, else TQ1-8), duration (SCH-9 +
 *                   SCH-10.1 unit, lower case), visitType (SCH-8.1), status (SCH-25.1, lower case),
 *                   provider (AIP-3: the NPI repetition's id, else the first id)
 *   ADT             address (PID-11.1 and PID-11.5, upper case), phone (PID-13.1 digits, first repetition)
 * </pre>
 *
 * Pairing keys (not compared): the trigger (MSH-9.2), appointment ids ({@code placer:} SCH-1.1,
 * {@code filler:} SCH-2.1) and patient ids ({@code id^authority} of each PID-3). A platform-bound JSON
 * event or a body that is not HL7 has no fields (null).
 */
public final class Hl7ShadowFields implements ShadowFields {

  private final PipeParser parser = Hl7Context.inboundParser();

  @Override
  public Fields of(ShadowMessage m) {
    if (m.body() == null || !m.body().startsWith("MSH")) {
      return null;
    }
    try {
      Message message = parser.parse(Hl7Text.normalize(m.body()));
      Terser t = new Terser(message);
      String trigger = get(t, "/MSH-9-2");
      Map<String, String> compared = new LinkedHashMap<>();
      Set<String> appointments = new LinkedHashSet<>();
      Set<String> patients = new LinkedHashSet<>();
      Segment pid = segment(t, "/.PID");
      if (pid != null) {
        for (int rep = 0; rep < pid.getField(3).length; rep++) {
          String id = Terser.get(pid, 3, rep, 1, 1);
          String authority = Terser.get(pid, 3, rep, 4, 1);
          if (id != null && !id.isBlank()) {
            patients.add(id.trim() + "^" + (authority == null ? "" : authority.trim()));
          }
        }
        String family = Terser.get(pid, 5, 0, 1, 1);
        String given = Terser.get(pid, 5, 0, 2, 1);
        put(compared, "patientName", family == null && given == null ? null
            : ((family == null ? "" : family) + "^" + (given == null ? "" : given)).toUpperCase(Locale.ROOT));
        String dob = Terser.get(pid, 7, 0, 1, 1);
        put(compared, "birthDate", dob == null || dob.length() < 8 ? dob : dob.substring(0, 8));
        put(compared, "sex", Terser.get(pid, 8, 0, 1, 1));
      }
      String type = get(t, "/MSH-9-1");
      if ("SIU".equals(type)) {
        Segment sch = segment(t, "/.SCH");
        if (sch != null) {
          String placer = Terser.get(sch, 1, 0, 1, 1);
          String filler = Terser.get(sch, 2, 0, 1, 1);
          if (placer != null && !placer.isBlank()) {
            appointments.add("placer:" + placer.trim());
          }
          if (filler != null && !filler.isBlank()) {
            appointments.add("filler:" + filler.trim());
          }
          Segment tq1 = segment(t, "/.TQ1");
          put(compared, "start", instant(first(Terser.get(sch, 11, 0, 4, 1), tq1 == null ? null : Terser.get(tq1, 7, 0, 1, 1))));
          put(compared, "end", instant(first(Terser.get(sch, 11, 0, 5, 1), tq1 == null ? null : Terser.get(tq1, 8, 0, 1, 1))));
          String minutes = Terser.get(sch, 9, 0, 1, 1);
          String unit = Terser.get(sch, 10, 0, 1, 1);
          put(compared, "duration", minutes == null ? null
              : minutes.trim() + " " + (unit == null ? "" : unit.trim().toLowerCase(Locale.ROOT)));
          put(compared, "visitType", Terser.get(sch, 8, 0, 1, 1));
          String status = Terser.get(sch, 25, 0, 1, 1);
          put(compared, "status", status == null ? null : status.trim().toLowerCase(Locale.ROOT));
        }
        Segment aip = segment(t, "/.AIP");
        if (aip != null) {
          String provider = null;
          for (int rep = 0; rep < aip.getField(3).length; rep++) {
            String id = Terser.get(aip, 3, rep, 1, 1);
            if ("NPI".equalsIgnoreCase(Terser.get(aip, 3, rep, 13, 1))) {
              provider = id;
              break;
            }
            provider = provider == null ? id : provider;
          }
          put(compared, "provider", provider);
        }
      } else if ("ADT".equals(type) && pid != null) {
        String street = Terser.get(pid, 11, 0, 1, 1);
        String zip = Terser.get(pid, 11, 0, 5, 1);
        put(compared, "address", street == null && zip == null ? null
            : ((street == null ? "" : street) + "|" + (zip == null ? "" : zip)).toUpperCase(Locale.ROOT));
        String phone = Terser.get(pid, 13, 0, 1, 1);
        put(compared, "phone", phone == null ? null : phone.replaceAll("[^0-9]", ""));
      }
      return new Fields(trigger, appointments, patients, compared);
    } catch (HL7Exception | RuntimeException e) {
      return null; // counted, never compared; the body (PHI) is not logged
    }
  }

  private static String get(Terser t, String path) {
    try {
      return t.get(path);
    } catch (HL7Exception | RuntimeException e) {
      return null;
    }
  }

  private static Segment segment(Terser t, String path) {
    try {
      return t.getSegment(path);
    } catch (HL7Exception | RuntimeException e) {
      return null;
    }
  }

  private static String first(String a, String b) {
    return a != null && !a.isBlank() ? a : b;
  }

  /** A DTM as an instant (so 09:30-05:00 and 14:30+00:00 agree); without an offset, as written. */
  private static String instant(String dtm) {
    if (dtm == null || dtm.isBlank()) {
      return null;
    }
    try {
      return Hl7Times.parse(dtm.trim(), ZoneOffset.UTC).toInstant().toString()
          + (dtm.matches(".*[+-]\\d{4}$") ? "" : " (no offset)");
    } catch (RuntimeException e) {
      return dtm.trim();
    }
  }

  private static void put(Map<String, String> m, String name, String value) {
    if (value != null && !value.isBlank()) {
      m.put(name, value.trim());
    }
  }
}
