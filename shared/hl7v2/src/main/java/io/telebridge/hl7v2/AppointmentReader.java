package io.telebridge.hl7v2;

import static io.telebridge.hl7v2.InboundFields.*;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Composite;
import ca.uhn.hl7v2.model.Group;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.Primitive;
import ca.uhn.hl7v2.model.Segment;
import ca.uhn.hl7v2.model.Structure;
import ca.uhn.hl7v2.model.Type;
import ca.uhn.hl7v2.model.Varies;
import ca.uhn.hl7v2.parser.PipeParser;
import io.telebridge.core.fromehr.Code;
import io.telebridge.core.fromehr.EhrAppointmentEvent;
import io.telebridge.core.fromehr.EhrPatientEvent;
import io.telebridge.core.fromehr.FromEhrMessage;
import io.telebridge.core.fromehr.MessageHeader;
import io.telebridge.core.fromehr.Observation;
import io.telebridge.core.fromehr.ObservationValue;
import io.telebridge.core.fromehr.Result;
import io.telebridge.core.fromehr.ResultReport;
import io.telebridge.core.fromehr.ResultStatus;
import io.telebridge.core.identity.EhrPatient;
import io.telebridge.core.model.Address;
import io.telebridge.core.model.Identifier;
import io.telebridge.core.model.PatientDemographics;
import io.telebridge.core.model.PersonName;
import io.telebridge.core.model.Phone;
import io.telebridge.core.model.Provider;
import io.telebridge.core.model.Sex;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * SIU S12/S13/S14/S15/S17/S26 → {@link EhrAppointmentEvent}: the SCH ids, the timing (SCH-11, else TQ1,
 * AIS, AIP; the end from the duration), the AIP provider.
 */
final class AppointmentReader {

  private final ZoneId ehrZone;
  private final PidReader pid;

  AppointmentReader(ZoneId ehrZone, PidReader pid) {
    this.ehrZone = ehrZone;
    this.pid = pid;
  }

  EhrAppointmentEvent read(MessageHeader header, String trigger, List<Segment> segments, String where) {
    EhrAppointmentEvent.Kind kind = EhrAppointmentEvent.Kind.ofTrigger(trigger);
    if (kind == null) {
      throw unsupportedTrigger("SIU^" + trigger + " is not carried (S12, S13, S14, S15, S17, S26) (" + where + ")");
    }
    Segment sch = first(segments, "SCH");
    String placer = text(field(sch, 1, 0), 1);
    String filler = text(field(sch, 2, 0), 1);
    if (placer == null && filler == null) {
      throw missing("SCH", 1, "SCH has neither a placer (SCH-1) nor a filler id (SCH-2) (" + where + ")");
    }
    EhrPatient patient = pid.read(first(segments, "PID"), where);
    Type tq = field(sch, 11, 0);
    OffsetDateTime start = time(ehrZone, sub(tq, 4, 1), where, "SCH-11.4");
    OffsetDateTime end = time(ehrZone, sub(tq, 5, 1), where, "SCH-11.5");
    Segment tq1 = firstOrNull(segments, "TQ1");
    if (start == null && tq1 != null) {
      start = time(ehrZone, text(field(tq1, 7, 0), 1), where, "TQ1-7");
      end = time(ehrZone, text(field(tq1, 8, 0), 1), where, "TQ1-8");
    }
    Segment aip = firstOrNull(segments, "AIP");
    Segment ais = firstOrNull(segments, "AIS");
    if (start == null && ais != null) {
      start = time(ehrZone, text(field(ais, 4, 0), 1), where, "AIS-4");
    }
    if (start == null && aip != null) {
      start = time(ehrZone, text(field(aip, 6, 0), 1), where, "AIP-6");
    }
    if (end == null && start != null) {
      Long minutes = minutes(text(field(sch, 9, 0), 1));
      if (minutes == null && aip != null) {
        minutes = minutes(text(field(aip, 9, 0), 1));
      }
      if (minutes != null) {
        end = start.plusMinutes(minutes);
      }
    }
    Provider provider = null;
    if (aip != null) {
      String id = null;
      String npi = null;
      String name = null;
      for (int r = 0; r < reps(aip, 3); r++) {
        Type xcn = field(aip, 3, r);
        String value = text(xcn, 1);
        if (value == null) {
          continue;
        }
        if ("NPI".equalsIgnoreCase(text(xcn, 13)) || "NPI".equalsIgnoreCase(sub(xcn, 9, 1))) {
          npi = npi == null ? value : npi;
        } else if (id == null) {
          id = value;
          String family = sub(xcn, 2, 1);
          String given = text(xcn, 3);
          name = family == null ? null : (given == null ? family : given + " " + family);
        }
      }
      if (id != null || npi != null) {
        provider = new Provider(id, npi, name);
      }
    }
    return new EhrAppointmentEvent(header, kind, patient, placer, filler, start, end, provider,
        text(field(sch, 25, 0), 1));
  }

  private static Long minutes(String s) {
    if (s == null) {
      return null;
    }
    try {
      return Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
