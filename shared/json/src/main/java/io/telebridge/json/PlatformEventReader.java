package io.telebridge.json;

import io.telebridge.core.intake.InvalidField;
import io.telebridge.core.model.Address;
import io.telebridge.core.model.Appointment;
import io.telebridge.core.model.Coding;
import io.telebridge.core.model.EventType;
import io.telebridge.core.model.PatientDemographics;
import io.telebridge.core.model.PersonName;
import io.telebridge.core.model.Phone;
import io.telebridge.core.model.PlatformEvent;
import io.telebridge.core.model.Provider;
import io.telebridge.core.model.Sex;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import io.telebridge.core.model.Visit;
import io.telebridge.core.model.VisitCharge;
import io.telebridge.core.model.VisitNote;
import io.telebridge.core.model.VisitOrder;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a webhook body that intake has already validated against
 * {@code api/openapi.yaml#/components/schemas/WebhookEvent} into the canonical {@link PlatformEvent}.
 *
 * <p>What each event type fills:
 *
 * <ul>
 *   <li>every type: event id, type, {@code occurredAt} (as an instant), tenant, and the patient: the
 *       platform id always, the demographics when the body carries them (required for
 *       {@code patient.registered}, {@code patient.updated} and {@code appointment.booked}, optional
 *       for the others);
 *   <li>{@code appointment.*}: the appointment snapshot ({@code modality} defaults to {@code video} as
 *       the schema says); {@code appointment.rescheduled} also the previous start and end;
 *       {@code appointment.cancelled} also who cancelled and the free-text reason;
 *   <li>{@code patient.*}: nothing more; {@code data.registeredAt}, {@code data.updatedAt} and
 *       {@code data.changedFields} have no place in the model (the event is a full snapshot);
 *   <li>{@code visit.note_signed}, {@code visit.orders_placed}, {@code visit.charges_posted}: the
 *       {@link Visit} (visit id, appointment id, and the note, the orders or the charges) with the
 *       schema's defaults applied (note {@code type} {@code progress_note}, {@code status}
 *       {@code signed}, {@code version} 1; order {@code status} {@code active}; charge {@code status}
 *       {@code posted}); {@code appointment} is null.
 * </ul>
 *
 * <p>{@link EventRules} run first: the same rules the intake runs at the door (it calls
 * {@link #problems}), so what this reader refuses was refused there with 400. Because the body was
 * validated, a failure here means a bug or a bypassed intake: it is a {@link MalformedEventException}
 * naming the JSON Pointer and the rule, never the value. Thread-safe;
 * build one per process.
 */
public final class PlatformEventReader {

  private final JsonMapper mapper;

  public PlatformEventReader() {
    this.mapper =
        JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .build();
  }

  /** Reads a UTF-8 webhook body; {@link EventRules} first, so what breaks them never becomes an event. */
  public PlatformEvent read(byte[] body) {
    if (body == null) {
      throw new MalformedEventException("", "is missing");
    }
    JsonNode root;
    try {
      root = mapper.readTree(text(body));
    } catch (JacksonException e) {
      throw notJson(e);
    }
    List<InvalidField> broken = root != null && root.isObject() ? EventRules.check(root) : List.of();
    if (!broken.isEmpty()) {
      throw new MalformedEventException(broken);
    }
    return read(root);
  }

  /**
   * What stops an already parsed body from becoming an event: every {@link EventRules} violation, or
   * else the first thing {@link #read} refuses. Empty: {@code read} accepts it. The intake answers 400
   * with these; the translator refuses the same bodies when it reads them.
   */
  public List<InvalidField> problems(JsonNode root) {
    if (root == null || !root.isObject()) {
      return List.of(new InvalidField("", "must be a JSON object"));
    }
    List<InvalidField> broken = EventRules.check(root);
    if (!broken.isEmpty()) {
      return broken;
    }
    try {
      read(root);
      return List.of();
    } catch (MalformedEventException e) {
      return e.fields();
    }
  }

  /**
   * The body as text, decoded as strict UTF-8: what the queues carry and what the translator reads is
   * this text, so bytes that are not UTF-8 (which a lenient decoder would turn into U+FFFD, and a JSON
   * parser might read otherwise) are refused rather than read two ways.
   *
   * @throws MalformedEventException naming the byte offset when the body is not UTF-8
   */
  public static String text(byte[] body) {
    CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(body);
    try {
      return utf8.decode(in).toString();
    } catch (CharacterCodingException e) {
      throw new MalformedEventException("", "is not valid UTF-8 (at byte " + in.position() + ")");
    }
  }

  /** Reads a webhook body given as text. */
  public PlatformEvent read(String body) {
    if (body == null) {
      throw new MalformedEventException("", "is missing");
    }
    return read(body.getBytes(StandardCharsets.UTF_8));
  }

  private static MalformedEventException notJson(JacksonException e) {
    // the parser's message may quote the input: keep only where it failed
    TokenStreamLocation at = e.getLocation();
    String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
    return new MalformedEventException("", "is not a single JSON object" + where);
  }

  private PlatformEvent read(JsonNode root) {
    EventNode event = new EventNode(root, "");
    if (!root.isObject()) {
      throw new MalformedEventException("", "must be a JSON object");
    }
    String eventId = event.requiredText("id");
    String wireType = event.requiredText("type");
    EventType type;
    try {
      type = EventType.fromWire(wireType);
    } catch (IllegalArgumentException e) {
      throw new MalformedEventException("/type", "is not a known event type");
    }
    OffsetDateTime occurredAt = event.requiredDateTime("occurredAt");
    String tenant = event.requiredObject("source").requiredText("tenant");
    PatientDemographics patient = patient(event.requiredObject("patient"));
    EventNode data = event.requiredObject("data");

    Appointment appointment = null;
    OffsetDateTime previousStart = null;
    OffsetDateTime previousEnd = null;
    String cancelledBy = null;
    String cancellationReason = null;
    Visit visit = null;
    switch (type) {
      case APPOINTMENT_BOOKED, APPOINTMENT_NO_SHOW -> appointment = appointment(data.requiredObject("appointment"));
      case APPOINTMENT_RESCHEDULED -> {
        appointment = appointment(data.requiredObject("appointment"));
        EventNode previous = data.requiredObject("previous");
        previousStart = previous.requiredDateTime("start");
        previousEnd = previous.requiredDateTime("end");
      }
      case APPOINTMENT_CANCELLED -> {
        appointment = appointment(data.requiredObject("appointment"));
        EventNode cancellation = data.requiredObject("cancellation");
        cancelledBy = cancellation.requiredText("cancelledBy");
        cancellationReason = cancellation.optionalText("reason");
      }
      case VISIT_NOTE_SIGNED, VISIT_ORDERS_PLACED, VISIT_CHARGES_POSTED -> visit = visit(type, data);
      case PATIENT_REGISTERED, PATIENT_UPDATED -> {
        // nothing in the model for their data (see the class comment)
      }
    }
    return new PlatformEvent(
        eventId,
        type,
        occurredAt.toInstant(),
        tenant,
        patient,
        appointment,
        previousStart,
        previousEnd,
        cancelledBy,
        cancellationReason,
        visit);
  }

  private static Visit visit(EventType type, EventNode data) {
    String visitId = data.requiredText("visitId");
    String appointmentId = data.optionalText("appointmentId");
    return switch (type) {
      case VISIT_NOTE_SIGNED -> new Visit(visitId, appointmentId, note(data.requiredObject("note")), null, null);
      case VISIT_ORDERS_PLACED -> {
        List<VisitOrder> orders = new ArrayList<>();
        for (EventNode o : data.objectList("orders")) {
          orders.add(order(o));
        }
        yield new Visit(visitId, appointmentId, null, orders, null);
      }
      case VISIT_CHARGES_POSTED -> {
        List<VisitCharge> charges = new ArrayList<>();
        for (EventNode c : data.objectList("charges")) {
          charges.add(charge(c));
        }
        yield new Visit(visitId, appointmentId, null, null, charges);
      }
      default -> throw new IllegalStateException("not a visit event: " + type);
    };
  }

  private static VisitNote note(EventNode n) {
    String status = n.optionalText("status");
    String type = n.optionalText("type");
    return new VisitNote(
        n.requiredText("id"),
        type == null ? "progress_note" : type,
        n.requiredText("title"),
        n.optionalText("contentType"),
        n.optionalText("content"),
        n.optionalText("pdf"),
        n.requiredDateTime("signedAt"),
        provider(n.requiredObject("author")),
        VisitNote.Status.of(status),
        n.optionalInt("version", 1));
  }

  private static VisitOrder order(EventNode o) {
    EventNode c = o.requiredObject("code");
    EventNode orderer = o.optionalObject("orderer");
    String orderedAt = o.optionalText("orderedAt");
    return new VisitOrder(
        o.requiredText("id"),
        o.requiredText("category"),
        new Coding(c.requiredText("system"), c.requiredText("code"), c.optionalText("display")),
        o.requiredText("priority"),
        o.optionalText("instructions"),
        orderedAt == null ? null : o.requiredDateTime("orderedAt"),
        orderer == null ? null : provider(orderer),
        o.textList("diagnoses"),
        "cancelled".equals(o.optionalText("status")));
  }

  private static VisitCharge charge(EventNode c) {
    EventNode performer = c.optionalObject("performer");
    EventNode orderer = c.optionalObject("orderer");
    return new VisitCharge(
        c.requiredText("id"),
        c.requiredText("cpt"),
        c.textList("modifiers"),
        c.textList("icd10"),
        c.optionalInt("units", 1),
        c.requiredDate("serviceDate"),
        c.requiredText("placeOfService"),
        performer == null ? null : provider(performer),
        orderer == null ? null : provider(orderer),
        "reversed".equals(c.optionalText("status")));
  }

  private static Provider provider(EventNode p) {
    return new Provider(p.requiredText("id"), p.requiredText("npi"), p.optionalText("name"));
  }

  private static PatientDemographics patient(EventNode p) {
    String id = p.requiredText("id");
    PersonName name = null;
    EventNode n = p.optionalObject("name");
    if (n != null) {
      name = new PersonName(n.textList("given"), n.optionalText("family"), n.optionalText("prefix"), n.optionalText("suffix"));
    }
    List<Phone> phones = new ArrayList<>();
    for (EventNode phone : p.objectList("phones")) {
      phones.add(new Phone(phone.requiredText("use"), phone.requiredText("number")));
    }
    Address address = null;
    EventNode a = p.optionalObject("address");
    if (a != null) {
      address = new Address(a.textList("lines"), a.optionalText("city"), a.optionalText("state"), a.optionalText("postalCode"), a.optionalText("country"));
    }
    String sex = p.optionalText("sex");
    return new PatientDemographics(
        id,
        name,
        p.optionalDate("birthDate"),
        sex == null ? Sex.UNKNOWN : Sex.of(sex),
        phones,
        p.optionalText("email"),
        address,
        p.optionalText("ssnLast4"));
  }

  private static Appointment appointment(EventNode a) {
    Provider provider = provider(a.requiredObject("provider"));
    String modality = a.optionalText("modality");
    return new Appointment(
        a.requiredText("id"),
        a.optionalText("ehrId"),
        a.requiredDateTime("start"),
        a.requiredDateTime("end"),
        a.requiredZone("timeZone"),
        provider,
        a.requiredText("visitType"),
        a.optionalText("reason"),
        a.optionalText("status"),
        modality == null ? "video" : modality);
  }
}
