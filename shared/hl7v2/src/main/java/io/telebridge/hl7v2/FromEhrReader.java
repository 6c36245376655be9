package io.telebridge.hl7v2;

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
 * Reads an HL7 v2 message as EHRs send it (v2.3 to v2.5.1, Z-segments, LF / CR / CRLF endings) into
 * the core's {@link FromEhrMessage}: ORU^R01 → {@link ResultReport}, ADT A04/A08/A28/A31/A40 →
 * {@link EhrPatientEvent}, SIU S12/S13/S14/S15/S17/S26 → {@link EhrAppointmentEvent}.
 *
 * <p>Parsing is HAPI's, on {@link Hl7Context#inbound()} (lenient, the v2.5.1 model, escapes decoded
 * by {@link StrictEscaping}: {@code \F\ \S\ \T\ \R\ \E\}, {@code \Xhh\}, {@code \.br\} → LF); the
 * segments are then read in message order, so an NTE belongs to the OBX (or OBR) before it. Thread-safe.
 */
public final class FromEhrReader {

  private final String platformAuthority;
  private final ZoneId ehrZone;
  private final PipeParser parser;

  /**
   * @param platformAuthority the PID-3 assigning authority under which the EHR echoes the platform's
   *     patient id (the EHR profile's {@code authorities.platform}); null: none
   * @param ehrZone the zone of times sent without an offset
   */
  public FromEhrReader(String platformAuthority, ZoneId ehrZone) {
    this(platformAuthority, ehrZone, Hl7Context.inboundParser());
  }

  /** As {@link #FromEhrReader(String, ZoneId)} with another parser (tests: a parser that fails in odd ways). */
  public FromEhrReader(String platformAuthority, ZoneId ehrZone, PipeParser parser) {
    this.platformAuthority = platformAuthority;
    this.ehrZone = ehrZone;
    this.parser = parser;
  }

  /**
   * Reads one message's text (as decoded by {@link Hl7Text}). This is also the listener's check at the
   * door: what this method reads, the listener accepts (AA/CA) and the translator translates; what it
   * refuses, the listener answers AR with the exception's ERR and quarantines.
   *
   * @throws UnreadableMessageException when the message cannot be read (never retried as is)
   */
  public FromEhrMessage read(String text) {
    if (text == null || text.isBlank()) {
      throw new UnreadableMessageException(UnreadableMessageException.NOT_HL7, "100", "MSH", 0, "empty message");
    }
    String normalized = Hl7Text.normalize(text);
    if (!normalized.startsWith("MSH") || normalized.length() < 8) {
      throw new UnreadableMessageException(UnreadableMessageException.NOT_HL7, "100", "MSH", 0,
          "not an HL7 v2 message (does not start with MSH)");
    }
    int mshEnd = normalized.indexOf('\r');
    String version = Hl7Text.mshField((mshEnd < 0 ? normalized : normalized.substring(0, mshEnd))
        .getBytes(StandardCharsets.ISO_8859_1), 12);
    String v = version == null ? "" : version.trim();
    if (!v.startsWith("2.")) { // 2.1 to 2.8 read into the v2.5.1 model; anything else is not HL7 v2
      throw new UnreadableMessageException(UnreadableMessageException.UNSUPPORTED_VERSION, "203", "MSH", 12,
          "MSH-12 names no HL7 v2 version (telebridge reads 2.x)");
    }
    Message message;
    try {
      message = parser.parse(normalized);
    } catch (HL7Exception e) {
      ca.uhn.hl7v2.Location l = e.getLocation();
      String segment = l == null || l.getSegmentName() == null ? "" : l.getSegmentName().replaceAll("[^A-Z0-9]", "");
      int field = l == null ? 0 : Math.max(0, l.getField());
      int code = e.getErrorCode();
      throw new UnreadableMessageException(UnreadableMessageException.UNPARSEABLE,
          code >= 100 && code <= 207 ? Integer.toString(code) : "102", segment, field,
          "HL7 parse failed: " + e.getClass().getSimpleName() + (segment.isEmpty() ? "" : " at " + segment
              + (field > 0 ? "-" + field : "")));
    } catch (RuntimeException e) {
      throw new UnreadableMessageException(UnreadableMessageException.UNPARSEABLE, "102", "", 0,
          "HL7 parse failed: " + e.getClass().getSimpleName());
    }
    List<Segment> segments = new ArrayList<>();
    try {
      flatten(message, segments);
    } catch (HL7Exception e) {
      throw new UnreadableMessageException(UnreadableMessageException.UNPARSEABLE, "102", "", 0,
          "HL7 structure unreadable: " + e.getClass().getSimpleName());
    }
    Segment msh = first(segments, "MSH");
    String type = text(field(msh, 9, 0), 1);
    String trigger = text(field(msh, 9, 0), 2);
    MessageHeader header = new MessageHeader(text(field(msh, 3, 0), 1), text(field(msh, 4, 0), 1),
        text(field(msh, 10, 0), 1), type + "^" + trigger, text(field(msh, 12, 0), 1), text(field(msh, 18, 0), 1),
        time(text(field(msh, 7, 0), 1), header0(msh), "MSH-7"));
    String where = "controlId=" + header.controlId() + " " + header.messageType();
    if (type == null || trigger == null) {
      throw new UnreadableMessageException(UnreadableMessageException.UNTRANSLATABLE, "101", "MSH", 9,
          "MSH-9 has no message type and trigger (" + where + ")");
    }
    return switch (type) {
      case "ORU" -> {
        if (!"R01".equals(trigger)) {
          throw unsupportedTrigger("ORU^" + trigger + " is not carried (only ORU^R01) (" + where + ")");
        }
        yield results(header, segments, where);
      }
      case "ADT" -> patientEvent(header, trigger, segments, where);
      case "SIU" -> appointment(header, trigger, segments, where);
      default -> throw new UnreadableMessageException(UnreadableMessageException.UNSUPPORTED_TYPE, "200", "MSH", 9,
          "message type " + type + " is not carried by the return path (" + where + ")");
    };
  }

  private static UnreadableMessageException unsupportedTrigger(String message) {
    return new UnreadableMessageException(UnreadableMessageException.UNSUPPORTED_TYPE, "201", "MSH", 9, message);
  }

  private static UnreadableMessageException missing(String segment, int field, String message) {
    return new UnreadableMessageException(UnreadableMessageException.UNTRANSLATABLE, field == 0 ? "100" : "101",
        segment, field, message);
  }

  // ------------------------------------------------------------------------------------- results

  private ResultReport results(MessageHeader header, List<Segment> segments, String where) {
    EhrPatient patient = patient(first(segments, "PID"), where);
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
      observedAt = time(text(field(obr, 7, 0), 1), where, "OBR-7");
      reportedAt = time(text(field(obr, 22, 0), 1), where, "OBR-22");
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
      observedAt = time(text(field(s, 14, 0), 1), where, "OBX-14");
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

  // ------------------------------------------------------------------------------------- patients

  private EhrPatientEvent patientEvent(MessageHeader header, String trigger, List<Segment> segments, String where) {
    EhrPatientEvent.Kind kind = EhrPatientEvent.Kind.ofTrigger(trigger);
    if (kind == null) {
      throw unsupportedTrigger("ADT^" + trigger + " is not carried (A04, A08, A28, A31, A40) (" + where + ")");
    }
    EhrPatient patient = patient(first(segments, "PID"), where);
    Segment evn = firstOrNull(segments, "EVN");
    OffsetDateTime recordedAt = evn == null ? null : time(text(field(evn, 2, 0), 1), where, "EVN-2");
    Identifier prior = null;
    if (kind == EhrPatientEvent.Kind.MERGED) {
      Segment mrg = firstOrNull(segments, "MRG");
      Type cx = mrg == null ? null : field(mrg, 1, 0);
      if (cx == null || text(cx, 1) == null) {
        throw missing("MRG", 1, "A40 without MRG-1 (" + where + ")");
      }
      prior = new Identifier(text(cx, 1), sub(cx, 4, 1), text(cx, 5));
    }
    return new EhrPatientEvent(header, kind, patient, prior, recordedAt);
  }

  EhrPatient patient(Segment pid, String where) {
    List<Identifier> ids = new ArrayList<>();
    String platformId = null;
    for (int r = 0; r < reps(pid, 3); r++) {
      Type cx = field(pid, 3, r);
      String value = text(cx, 1);
      if (value == null) {
        continue;
      }
      String authority = sub(cx, 4, 1);
      String typeCode = text(cx, 5);
      if ("SS".equalsIgnoreCase(typeCode)) {
        continue; // an SSN is not an identifier telebridge carries anywhere
      }
      if (platformAuthority != null && platformAuthority.equals(authority)) {
        platformId = value;
      }
      ids.add(new Identifier(value, authority, typeCode));
    }
    if (ids.isEmpty()) {
      throw missing("PID", 3, "PID-3 has no patient identifier (" + where + ")");
    }
    Type xpn = field(pid, 5, 0);
    PersonName name = null;
    if (xpn != null && !isEmpty(unwrap(xpn))) {
      List<String> given = new ArrayList<>();
      addIfPresent(given, text(xpn, 2));
      addIfPresent(given, text(xpn, 3));
      name = new PersonName(given, sub(xpn, 1, 1), text(xpn, 5), text(xpn, 4));
    }
    List<Phone> phones = new ArrayList<>();
    String email = null;
    for (int r = 0; r < reps(pid, 13); r++) {
      Type xtn = field(pid, 13, r);
      String use = text(xtn, 2);
      if ("NET".equalsIgnoreCase(use) || "Internet".equalsIgnoreCase(text(xtn, 3))) {
        email = email == null ? text(xtn, 4) : email;
        continue;
      }
      String number = phoneNumber(xtn);
      if (number != null) {
        phones.add(new Phone(phoneUse(use), number));
      }
    }
    for (int r = 0; r < reps(pid, 14); r++) {
      String number = phoneNumber(field(pid, 14, r));
      if (number != null) {
        phones.add(new Phone("work", number));
      }
    }
    Type xad = field(pid, 11, 0);
    Address address = null;
    if (xad != null && !isEmpty(unwrap(xad))) {
      List<String> lines = new ArrayList<>();
      addIfPresent(lines, sub(xad, 1, 1));
      addIfPresent(lines, text(xad, 2));
      address = new Address(lines, text(xad, 3), text(xad, 4), text(xad, 5), text(xad, 6));
    }
    PatientDemographics demographics = new PatientDemographics(platformId, name,
        Hl7Times.date(text(field(pid, 7, 0), 1)), sex(text(field(pid, 8, 0), 1)), phones, email, address, null);
    return new EhrPatient(ids, demographics);
  }

  private static String phoneNumber(Type xtn) {
    if (xtn == null) {
      return null;
    }
    String country = text(xtn, 5);
    String area = text(xtn, 6);
    String local = text(xtn, 7);
    if (local != null) {
      String digits = (country == null ? "" : country) + (area == null ? "" : area) + local;
      digits = digits.replaceAll("[^0-9]", "");
      return country != null ? "+" + digits : digits;
    }
    String unformatted = text(xtn, 1);
    return unformatted == null ? null : unformatted.trim();
  }

  private static String phoneUse(String code) {
    if (code == null) {
      return "home";
    }
    return switch (code.toUpperCase(Locale.ROOT)) {
      case "ORN", "PRS" -> "mobile";
      case "WPN" -> "work";
      default -> "home";
    };
  }

  private static Sex sex(String code) {
    if (code == null) {
      return Sex.UNKNOWN;
    }
    return switch (code.trim().toUpperCase(Locale.ROOT)) {
      case "F" -> Sex.FEMALE;
      case "M" -> Sex.MALE;
      case "O", "A", "N" -> Sex.OTHER;
      default -> Sex.UNKNOWN;
    };
  }

  // ------------------------------------------------------------------------------------- appointments

  private EhrAppointmentEvent appointment(MessageHeader header, String trigger, List<Segment> segments, String where) {
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
    EhrPatient patient = patient(first(segments, "PID"), where);
    Type tq = field(sch, 11, 0);
    OffsetDateTime start = time(sub(tq, 4, 1), where, "SCH-11.4");
    OffsetDateTime end = time(sub(tq, 5, 1), where, "SCH-11.5");
    Segment tq1 = firstOrNull(segments, "TQ1");
    if (start == null && tq1 != null) {
      start = time(text(field(tq1, 7, 0), 1), where, "TQ1-7");
      end = time(text(field(tq1, 8, 0), 1), where, "TQ1-8");
    }
    Segment aip = firstOrNull(segments, "AIP");
    Segment ais = firstOrNull(segments, "AIS");
    if (start == null && ais != null) {
      start = time(text(field(ais, 4, 0), 1), where, "AIS-4");
    }
    if (start == null && aip != null) {
      start = time(text(field(aip, 6, 0), 1), where, "AIP-6");
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

  // ------------------------------------------------------------------------------------- HAPI access

  private static void flatten(Group group, List<Segment> out) throws HL7Exception {
    for (String name : group.getNames()) {
      for (Structure s : group.getAll(name)) {
        if (s instanceof Segment segment) {
          if (!segment.isEmpty()) {
            out.add(segment);
          }
        } else if (s instanceof Group g) {
          flatten(g, out);
        }
      }
    }
  }

  private static Segment first(List<Segment> segments, String name) {
    Segment s = firstOrNull(segments, name);
    if (s == null) {
      throw missing(name, 0, "no " + name + " segment");
    }
    return s;
  }

  private static Segment firstOrNull(List<Segment> segments, String name) {
    for (Segment s : segments) {
      if (s.getName().equals(name)) {
        return s;
      }
    }
    return null;
  }

  static Type field(Segment s, int n, int rep) {
    if (s == null) {
      return null;
    }
    try {
      if (n > s.numFields()) {
        return null;
      }
      Type[] reps = s.getField(n);
      return rep < reps.length ? reps[rep] : null;
    } catch (HL7Exception | RuntimeException e) {
      return null;
    }
  }

  static int reps(Segment s, int n) {
    try {
      return n > s.numFields() ? 0 : s.getField(n).length;
    } catch (HL7Exception | RuntimeException e) {
      return 0;
    }
  }

  private static Type unwrap(Type t) {
    Type x = t;
    while (x instanceof Varies v) {
      x = v.getData();
    }
    return x;
  }

  private static boolean isEmpty(Type t) {
    try {
      return t == null || t.isEmpty();
    } catch (HL7Exception e) {
      return true;
    }
  }

  /** Component {@code i} (1-based) of a field, its first subcomponent's text; for a primitive, i = 1 only. */
  static String text(Type t, int i) {
    Type c = component(unwrap(t), i);
    return first(c);
  }

  /** Subcomponent {@code j} of component {@code i}. */
  static String sub(Type t, int i, int j) {
    Type c = component(unwrap(t), i);
    return first(component(unwrap(c), j));
  }

  private static Type component(Type t, int i) {
    if (t == null) {
      return null;
    }
    if (t instanceof Composite c) {
      Type[] comps = c.getComponents();
      if (i <= comps.length) {
        return comps[i - 1];
      }
      int extra = i - comps.length - 1;
      return extra < t.getExtraComponents().numComponents() ? t.getExtraComponents().getComponent(extra) : null;
    }
    if (i == 1) {
      return t;
    }
    int extra = i - 2;
    return extra < t.getExtraComponents().numComponents() ? t.getExtraComponents().getComponent(extra) : null;
  }

  private static String first(Type t) {
    Type x = unwrap(t);
    while (x instanceof Composite c) {
      x = unwrap(c.getComponents()[0]);
    }
    if (x instanceof Primitive p) {
      String v = p.getValue();
      return v == null || v.isEmpty() ? null : v;
    }
    return null;
  }

  /** A primitive's whole text; a composite's encoded form (rare: a value type we keep as text). */
  private static String whole(Type t) {
    Type x = unwrap(t);
    if (x == null) {
      return null;
    }
    if (x instanceof Primitive p) {
      String v = p.getValue();
      return v == null || v.isEmpty() ? null : v;
    }
    try {
      String v = x.encode();
      return v == null || v.isEmpty() ? null : v;
    } catch (HL7Exception e) {
      return null;
    }
  }

  private static Code code(Type t) {
    Type x = unwrap(t);
    if (x == null || isEmpty(x)) {
      return null;
    }
    return new Code(text(x, 1), text(x, 2), text(x, 3));
  }

  private OffsetDateTime time(String value, String where, String location) {
    try {
      return Hl7Times.parse(value, ehrZone);
    } catch (RuntimeException e) {
      int dash = location.indexOf('-');
      String segment = dash < 0 ? location : location.substring(0, dash);
      int field;
      try {
        String f = dash < 0 ? "0" : location.substring(dash + 1);
        int dot = f.indexOf('.');
        field = Integer.parseInt(dot < 0 ? f : f.substring(0, dot));
      } catch (NumberFormatException n) {
        field = 0;
      }
      throw new UnreadableMessageException(UnreadableMessageException.UNTRANSLATABLE, "102", segment, field,
          "malformed time in " + location + " (" + where + ")");
    }
  }

  private static String header0(Segment msh) {
    return "controlId=" + text(field(msh, 10, 0), 1);
  }

  private static String qualified(String namespace, String id) {
    return namespace == null ? id : namespace + ":" + id;
  }

  private static String upper(String s) {
    return s == null ? null : s.trim().toUpperCase(Locale.ROOT);
  }

  private static void addIfPresent(List<String> list, String s) {
    if (s != null && !s.isBlank()) {
      list.add(s);
    }
  }
}
