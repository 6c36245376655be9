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
 * Reads an HL7 v2 message as EHRs send it (v2.3 to v2.5.1, Z-segments, LF / CR / CRLF endings) into
 * the core's {@link FromEhrMessage}: ORU^R01 → {@link ResultReport}, ADT A04/A08/A28/A31/A40 →
 * {@link EhrPatientEvent}, SIU S12/S13/S14/S15/S17/S26 → {@link EhrAppointmentEvent}.
 *
 * <p>Parsing is HAPI's, on {@link Hl7Context#inbound()} (lenient, the v2.5.1 model, escapes decoded
 * by {@link StrictEscaping}: {@code \F\ \S\ \T\ \R\ \E\}, {@code \Xhh\}, {@code \.br\} → LF); the
 * segments are then read in message order, so an NTE belongs to the OBX (or OBR) before it. Thread-safe.
 *
 * <p>This class checks the header and dispatches; {@link ResultReader} (ORU), {@link AppointmentReader}
 * (SIU) and {@link PidReader} (PID, for every type) read the bodies, with {@link InboundFields}.
 */
public final class FromEhrReader {

  private final ZoneId ehrZone;
  private final PipeParser parser;
  private final PidReader pid;
  private final ResultReader results;
  private final AppointmentReader appointments;

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
    this.ehrZone = ehrZone;
    this.parser = parser;
    this.pid = new PidReader(platformAuthority);
    this.results = new ResultReader(ehrZone, pid);
    this.appointments = new AppointmentReader(ehrZone, pid);
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
        time(ehrZone, text(field(msh, 7, 0), 1), header0(msh), "MSH-7"));
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
        yield results.read(header, segments, where);
      }
      case "ADT" -> patientEvent(header, trigger, segments, where);
      case "SIU" -> appointments.read(header, trigger, segments, where);
      default -> throw new UnreadableMessageException(UnreadableMessageException.UNSUPPORTED_TYPE, "200", "MSH", 9,
          "message type " + type + " is not carried by the return path (" + where + ")");
    };
  }

  private EhrPatientEvent patientEvent(MessageHeader header, String trigger, List<Segment> segments, String where) {
    EhrPatientEvent.Kind kind = EhrPatientEvent.Kind.ofTrigger(trigger);
    if (kind == null) {
      throw unsupportedTrigger("ADT^" + trigger + " is not carried (A04, A08, A28, A31, A40) (" + where + ")");
    }
    EhrPatient patient = pid.read(first(segments, "PID"), where);
    Segment evn = firstOrNull(segments, "EVN");
    OffsetDateTime recordedAt = evn == null ? null : time(ehrZone, text(field(evn, 2, 0), 1), where, "EVN-2");
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
}
