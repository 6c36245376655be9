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
 * ORU^R01 → {@link ResultReport}: one result per OBR with its OBX observations (NM, SN, CE/CWE/CNE, ED,
 * text) and the NTE notes attached to the OBX (or OBR) before them.
 */
final class ResultReader {

  private final ZoneId ehrZone;
  private final PidReader pid;

  ResultReader(ZoneId ehrZone, PidReader pid) {
    this.ehrZone = ehrZone;
    this.pid = pid;
  }

  ResultReport read(MessageHeader header, List<Segment> segments, String where) {
    EhrPatient patient = pid.read(first(segments, "PID"), where);
    List<Result> results = new ArrayList<>();
    ResultBuilder current = null;
    ObservationBuilder obx = null;
    for (Segment s : segments) {
      switch (s.getName()) {
        case "OBR" -> {
          if (current != null) {
            results.add(current.build(obx, header));
          }
          current = new ResultBuilder(s, where);
          obx = null;
        }
        case "OBX" -> {
          if (current == null) {
            throw missing("OBR", 0, "OBX before any OBR (" + where + ")");
          }
          if (obx != null) {
            current.observations.add(obx.build());
          }
          obx = new ObservationBuilder(s, where);
        }
        case "NTE" -> {
          String note = note(s);
          if (note != null) {
            if (obx != null) {
              obx.notes.add(note);
            } else if (current != null) {
              current.notes.add(note);
            }
          }
        }
        default -> {
          // PID, PV1, ORC, Z-segments, ...: read elsewhere or not carried
        }
      }
    }
    if (current == null) {
      throw missing("OBR", 0, "ORU^R01 without an OBR (" + where + ")");
    }
    results.add(current.build(obx, header));
    return new ResultReport(header, patient, results);
  }

  private final class ResultBuilder {
    final String placer;
    final String filler;
    final String id;
    final Code test;
    final ResultStatus status;
    final OffsetDateTime observedAt;
    final OffsetDateTime reportedAt;
    final List<String> notes = new ArrayList<>();
    final List<Observation> observations = new ArrayList<>();

    ResultBuilder(Segment obr, String where) {
      Type placerEi = field(obr, 2, 0);
      Type fillerEi = field(obr, 3, 0);
      placer = text(placerEi, 1);
      filler = text(fillerEi, 1);
      if (filler != null) {
        id = qualified(text(fillerEi, 2), filler);
      } else if (placer != null) {
        id = qualified(text(placerEi, 2), placer);
      } else {
        throw missing("OBR", 3, "OBR " + text(field(obr, 1, 0), 1)
            + " has neither a filler (OBR-3) nor a placer order number (OBR-2) (" + where + ")");
      }
      test = code(field(obr, 4, 0));
      status = ResultStatus.ofHl7(text(field(obr, 25, 0), 1));
      observedAt = time(ehrZone, text(field(obr, 7, 0), 1), where, "OBR-7");
      reportedAt = time(ehrZone, text(field(obr, 22, 0), 1), where, "OBR-22");
    }

    Result build(ObservationBuilder last, MessageHeader header) {
      if (last != null) {
        observations.add(last.build());
      }
      String lab = observations.stream().map(Observation::performingLab).filter(l -> l != null).findFirst()
          .orElse(header.sendingFacility());
      return new Result(id, placer, filler, test, status, observedAt, reportedAt, lab, notes, observations);
    }
  }

  private final class ObservationBuilder {
    final int setId;
    final String valueType;
    final Code code;
    final String subId;
    final List<ObservationValue> values = new ArrayList<>();
    final String units;
    final String range;
    final List<String> flags = new ArrayList<>();
    final ResultStatus status;
    final OffsetDateTime observedAt;
    final String lab;
    final List<String> notes = new ArrayList<>();

    ObservationBuilder(Segment s, String where) {
      String set = text(field(s, 1, 0), 1);
      int n;
      try {
        n = set == null ? 0 : Integer.parseInt(set.trim());
      } catch (NumberFormatException e) {
        n = 0;
      }
      setId = n;
      valueType = upper(text(field(s, 2, 0), 1));
      code = code(field(s, 3, 0));
      subId = text(field(s, 4, 0), 1);
      for (int r = 0; r < reps(s, 5); r++) {
        ObservationValue v = value(valueType, field(s, 5, r));
        if (v != null) {
          values.add(v);
        }
      }
      Type u = field(s, 6, 0);
      units = text(u, 1) != null ? text(u, 1) : text(u, 2);
      range = text(field(s, 7, 0), 1);
      for (int r = 0; r < reps(s, 8); r++) {
        String f = text(field(s, 8, r), 1);
        if (f != null) {
          flags.add(f);
        }
      }
      status = ResultStatus.ofHl7(text(field(s, 11, 0), 1));
      observedAt = time(ehrZone, text(field(s, 14, 0), 1), where, "OBX-14");
      String performing = text(field(s, 23, 0), 1); // XON-1 organisation name (v2.5+)
      if (performing == null) {
        Type producer = field(s, 15, 0); // CE: producer's id (v2.3/2.4 labs put the lab here)
        performing = text(producer, 2) != null ? text(producer, 2) : text(producer, 1);
      }
      lab = performing;
    }

    Observation build() {
      return new Observation(setId, valueType, code, subId, values, units, range, flags, status, observedAt, lab, notes);
    }
  }

  private static ObservationValue value(String valueType, Type t) {
    Type data = unwrap(t);
    if (data == null || isEmpty(data)) {
      return null;
    }
    String type = valueType == null ? "ST" : valueType;
    return switch (type) {
      case "NM" -> {
        String v = text(data, 1);
        try {
          yield new ObservationValue.Numeric(new BigDecimal(v.trim()));
        } catch (NumberFormatException e) {
          yield new ObservationValue.Text(v); // "<5" sent as NM: kept as sent
        }
      }
      case "CE", "CWE", "CNE" -> new ObservationValue.Coded(code(data));
      case "SN" -> new ObservationValue.StructuredNumeric(text(data, 1), number(text(data, 2)), text(data, 3),
          number(text(data, 4)));
      case "ED" -> {
        String kind = text(data, 2);
        String subtype = text(data, 3);
        String media = kind == null ? null
            : ("AP".equalsIgnoreCase(kind) ? "application" : kind.toLowerCase(Locale.ROOT))
                + (subtype == null ? "" : "/" + subtype.toLowerCase(Locale.ROOT));
        yield new ObservationValue.Attachment(text(data, 1), media, text(data, 4), text(data, 5));
      }
      default -> new ObservationValue.Text(whole(data));
    };
  }

  private static BigDecimal number(String s) {
    if (s == null) {
      return null;
    }
    try {
      return new BigDecimal(s.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static String note(Segment nte) {
    List<String> lines = new ArrayList<>();
    for (int r = 0; r < reps(nte, 3); r++) {
      String l = whole(unwrap(field(nte, 3, r)));
      if (l != null) {
        lines.add(l);
      }
    }
    return lines.isEmpty() ? null : String.join("\n", lines);
  }
}
