package io.telebridge.json;

import io.telebridge.core.fromehr.Code;
import io.telebridge.core.fromehr.MessageHeader;
import io.telebridge.core.fromehr.Observation;
import io.telebridge.core.fromehr.ObservationValue;
import io.telebridge.core.fromehr.OutboundData;
import io.telebridge.core.fromehr.OutboundEvent;
import io.telebridge.core.fromehr.Result;
import io.telebridge.core.identity.EhrPatient;
import io.telebridge.core.model.Address;
import io.telebridge.core.model.Identifier;
import io.telebridge.core.model.PatientDemographics;
import io.telebridge.core.model.PersonName;
import io.telebridge.core.model.Phone;
import io.telebridge.core.model.Provider;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * An {@link OutboundEvent} as the JSON the platform receives (api/openapi.yaml, {@code webhooks},
 * schema {@code OutboundEvent}): the envelope {@code eventId, type, occurredAt, tenant, patient,
 * source, data}. Absent values are left out (never {@code null}); times are RFC 3339 with the offset
 * the EHR sent, to the second. Thread-safe.
 */
public final class OutboundEventWriter {

  static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssXXX", Locale.ROOT);

  private final JsonMapper json = JsonMapper.builder().build();

  public String write(OutboundEvent event) {
    return json.writeValueAsString(tree(event));
  }

  ObjectNode tree(OutboundEvent event) {
    ObjectNode root = json.createObjectNode();
    root.put("eventId", event.eventId());
    root.put("type", event.type().wireName());
    root.put("occurredAt", time(event.occurredAt()));
    root.put("tenant", event.tenant());
    ObjectNode patient = root.putObject("patient");
    patient.put("platformPatientId", event.platformPatientId());
    identifier(patient.putObject("mrn"), event.mrn());
    source(root.putObject("source"), event.source());
    ObjectNode data = root.putObject("data");
    switch (event.data()) {
      case OutboundData.ResultAvailable r -> {
        result(data.putObject("result"), r.result());
        data.put("correction", r.correction());
        put(data, "replaces", r.replaces());
      }
      case OutboundData.PatientUpdated p -> {
        data.put("trigger", p.trigger());
        patient(data.putObject("patient"), p.patient());
      }
      case OutboundData.AppointmentChanged a -> {
        data.put("change", a.change());
        ArrayNode fields = data.putArray("changedFields");
        a.changedFields().forEach(fields::add);
        appointment(data.putObject("appointment"), a.appointment());
      }
      case OutboundData.PatientsMerged m -> {
        identifier(data.putObject("survivingMrn"), m.surviving());
        identifier(data.putObject("mergedMrn"), m.merged());
      }
    }
    return root;
  }

  private static void source(ObjectNode node, MessageHeader h) {
    node.put("system", "ehr");
    put(node, "sendingApplication", h.sendingApplication());
    put(node, "sendingFacility", h.sendingFacility());
    put(node, "controlId", h.controlId());
    put(node, "messageType", h.messageType());
  }

  static void identifier(ObjectNode node, Identifier id) {
    node.put("value", id.value());
    put(node, "authority", id.assigningAuthority());
    put(node, "type", id.typeCode());
  }

  // ---------------------------------------------------------------------------------- results

  private static void result(ObjectNode node, Result r) {
    node.put("id", r.id());
    put(node, "placerOrderId", r.placerOrderId());
    put(node, "fillerOrderId", r.fillerOrderId());
    code(node, "test", r.test());
    node.put("status", r.status().wireName());
    put(node, "observedAt", time(r.observedAt()));
    put(node, "reportedAt", time(r.reportedAt()));
    put(node, "performingLab", r.performingLab());
    strings(node, "notes", r.notes());
    ArrayNode observations = node.putArray("observations");
    ArrayNode attachments = json().createArrayNode();
    for (Observation o : r.observations()) {
      ObjectNode on = observations.addObject();
      on.put("setId", o.setId());
      put(on, "valueType", o.valueType());
      code(on, "code", o.code());
      put(on, "subId", o.subId());
      ArrayNode values = on.putArray("values");
      for (ObservationValue v : o.values()) {
        ObjectNode vn = values.addObject();
        switch (v) {
          case ObservationValue.Numeric n -> {
            vn.put("kind", "numeric");
            vn.put("number", n.number());
          }
          case ObservationValue.Text t -> {
            vn.put("kind", "text");
            vn.put("text", t.text());
          }
          case ObservationValue.Coded c -> {
            vn.put("kind", "coded");
            code(vn, "code", c.code());
          }
          case ObservationValue.StructuredNumeric s -> {
            vn.put("kind", "structured_numeric");
            put(vn, "comparator", s.comparator());
            if (s.number() != null) {
              vn.put("number", s.number());
            }
            put(vn, "separator", s.separator());
            if (s.number2() != null) {
              vn.put("number2", s.number2());
            }
          }
          case ObservationValue.Attachment a -> {
            String id = "att-" + (attachments.size() + 1);
            vn.put("kind", "attachment");
            vn.put("attachmentId", id);
            ObjectNode an = attachments.addObject();
            an.put("id", id);
            an.put("observationSetId", o.setId());
            put(an, "mediaType", a.mediaType());
            put(an, "encoding", encoding(a.encoding()));
            put(an, "sourceApplication", a.sourceApplication());
            an.put("data", a.data() == null ? "" : a.data());
          }
        }
      }
      put(on, "units", o.units());
      put(on, "referenceRange", o.referenceRange());
      strings(on, "abnormalFlags", o.abnormalFlags());
      on.put("status", o.status().wireName());
      put(on, "observedAt", time(o.observedAt()));
      put(on, "performingLab", o.performingLab());
      strings(on, "notes", o.notes());
    }
    node.set("attachments", attachments);
  }

  /** ED-4: Base64 → {@code base64}, Hex → {@code hex}, A → {@code ascii}; else as sent, lower-cased. */
  static String encoding(String ed4) {
    if (ed4 == null) {
      return null;
    }
    return switch (ed4.trim().toUpperCase(Locale.ROOT)) {
      case "BASE64" -> "base64";
      case "HEX" -> "hex";
      case "A" -> "ascii";
      default -> ed4.trim().toLowerCase(Locale.ROOT);
    };
  }

  static void code(ObjectNode parent, String name, Code c) {
    if (c == null || c.isEmpty()) {
      return;
    }
    codeFields(parent.putObject(name), c);
  }

  /** code, display, system of a coded value into {@code node} (absent ones left out). */
  static void codeFields(ObjectNode node, Code c) {
    put(node, "code", c.code());
    put(node, "display", c.display());
    put(node, "system", c.system());
  }

  // ---------------------------------------------------------------------------------- patients

  static void patient(ObjectNode node, EhrPatient p) {
    ArrayNode ids = node.putArray("identifiers");
    for (Identifier id : p.identifiers()) {
      identifier(ids.addObject(), id);
    }
    PatientDemographics d = p.demographics();
    if (d == null) {
      return;
    }
    PersonName n = d.name();
    if (n != null) {
      ObjectNode name = node.putObject("name");
      strings(name, "given", n.given());
      put(name, "family", n.family());
      put(name, "prefix", n.prefix());
      put(name, "suffix", n.suffix());
    }
    if (d.birthDate() != null) {
      node.put("birthDate", d.birthDate().toString());
    }
    node.put("sex", d.sex().name().toLowerCase(Locale.ROOT));
    ArrayNode phones = node.putArray("phones");
    for (Phone ph : d.phones()) {
      ObjectNode pn = phones.addObject();
      pn.put("use", ph.use());
      pn.put("number", ph.number());
    }
    put(node, "email", d.email());
    Address a = d.address();
    if (a != null) {
      ObjectNode an = node.putObject("address");
      strings(an, "lines", a.lines());
      put(an, "city", a.city());
      put(an, "state", a.state());
      put(an, "postalCode", a.postalCode());
      put(an, "country", a.country());
    }
  }

  // ---------------------------------------------------------------------------------- appointments

  private static void appointment(ObjectNode node, OutboundData.AppointmentSnapshot a) {
    put(node, "id", a.id());
    put(node, "ehrId", a.ehrId());
    put(node, "start", time(a.start()));
    put(node, "end", time(a.end()));
    Provider p = a.provider();
    if (p != null) {
      ObjectNode pn = node.putObject("provider");
      put(pn, "ehrId", p.id());
      put(pn, "npi", p.npi());
      put(pn, "name", p.name());
    }
    put(node, "status", a.status());
  }

  // ---------------------------------------------------------------------------------- helpers

  private static final JsonMapper SHARED = JsonMapper.builder().build();

  private static JsonMapper json() {
    return SHARED;
  }

  static void put(ObjectNode node, String name, String value) {
    if (value != null && !value.isEmpty()) {
      node.put(name, value);
    }
  }

  static void strings(ObjectNode node, String name, List<String> values) {
    ArrayNode array = node.putArray(name);
    values.forEach(array::add);
  }

  static String time(OffsetDateTime t) {
    return t == null ? null : TIME.format(t);
  }
}
