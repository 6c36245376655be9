package io.telebridge.json;

import io.telebridge.core.context.Allergy;
import io.telebridge.core.context.ClinicalResult;
import io.telebridge.core.context.ContextOutcome;
import io.telebridge.core.context.Medication;
import io.telebridge.core.context.PatientContext;
import io.telebridge.core.context.Problem;
import io.telebridge.core.context.Section;
import io.telebridge.core.fromehr.Code;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.function.BiConsumer;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A {@link ContextOutcome} as the JSON the platform receives (api/openapi.yaml, {@code webhooks}
 * {@code patient.context.ready} / {@code patient.context.unavailable}, schema {@code ContextEvent}).
 * The context document has top-level arrays {@code problems}, {@code medications}, {@code allergies},
 * {@code results} beside {@code patient} and {@code provenance}, and {@code sections} saying of each
 * whether it is complete or unavailable (and why). Absent values are left out; times are written as
 * the FHIR server gave them, fetch times as UTC instants. Uses the outbound writer's code, identifier
 * and patient shapes. Thread-safe.
 */
public final class ContextEventWriter {

  private final JsonMapper json = JsonMapper.builder().build();

  public String write(ContextOutcome outcome) {
    return json.writeValueAsString(tree(outcome));
  }

  /** The context document alone (what {@code ./tb context} prints). */
  public String writeContext(PatientContext context) {
    ObjectNode node = json.createObjectNode();
    context(node, context);
    return json.writerWithDefaultPrettyPrinter().writeValueAsString(node);
  }

  ObjectNode tree(ContextOutcome outcome) {
    ObjectNode root = json.createObjectNode();
    root.put("eventId", outcome.eventId());
    root.put("type", outcome.eventType());
    root.put("occurredAt", instant(outcome.occurredAt()));
    root.put("tenant", outcome.request().tenant());
    root.putObject("patient").put("platformPatientId", outcome.request().platformPatientId());
    ObjectNode data = root.putObject("data");
    OutboundEventWriter.put(data, "appointmentId", outcome.request().appointmentId());
    switch (outcome) {
      case ContextOutcome.Ready r -> {
        data.put("version", r.context().version());
        context(data.putObject("context"), r.context());
      }
      case ContextOutcome.Unavailable u -> data.put("reason", u.reason().wireName());
    }
    return root;
  }

  private static void context(ObjectNode node, PatientContext c) {
    OutboundEventWriter.patient(node.putObject("patient"), c.patient().patient());
    ObjectNode sections = json().createObjectNode();
    section(node, sections, "problems", c.problems(), ContextEventWriter::problem);
    section(node, sections, "medications", c.medications(), ContextEventWriter::medication);
    section(node, sections, "allergies", c.allergies(), ContextEventWriter::allergy);
    section(node, sections, "results", c.results(), ContextEventWriter::result);
    node.set("sections", sections);
    ObjectNode p = node.putObject("provenance");
    p.put("source", c.provenance().source());
    p.put("fhirBaseUrl", c.provenance().baseUrl());
    p.put("fetchedAt", instant(c.provenance().fetchedAt()));
    p.put("patientFhirId", c.provenance().patientFhirId());
    p.put("roundTrips", c.provenance().roundTrips());
  }

  private static <T> void section(ObjectNode node, ObjectNode sections, String name, Section<T> section,
      BiConsumer<ObjectNode, T> item) {
    ArrayNode items = node.putArray(name);
    section.items().forEach(i -> item.accept(items.addObject(), i));
    ObjectNode s = sections.putObject(name);
    s.put("complete", section.complete());
    s.put("count", section.items().size());
    if (!section.available()) {
      ObjectNode u = s.putObject("unavailable");
      u.put("reason", section.unavailable().reason().wireName());
    }
  }

  private static void problem(ObjectNode n, Problem p) {
    n.put("fhirId", p.fhirId());
    OutboundEventWriter.code(n, "code", p.code());
    OutboundEventWriter.put(n, "clinicalStatus", p.clinicalStatus());
    OutboundEventWriter.put(n, "verificationStatus", p.verificationStatus());
    codes(n, "categories", p.categories());
    OutboundEventWriter.put(n, "onset", p.onset());
    OutboundEventWriter.put(n, "recordedDate", p.recordedDate());
  }

  private static void medication(ObjectNode n, Medication m) {
    n.put("fhirId", m.fhirId());
    n.put("resourceType", m.resourceType());
    OutboundEventWriter.code(n, "medication", m.medication());
    OutboundEventWriter.put(n, "status", m.status());
    OutboundEventWriter.put(n, "intent", m.intent());
    OutboundEventWriter.put(n, "dosageText", m.dosageText());
    OutboundEventWriter.put(n, "date", m.date());
  }

  private static void allergy(ObjectNode n, Allergy a) {
    n.put("fhirId", a.fhirId());
    OutboundEventWriter.code(n, "substance", a.substance());
    OutboundEventWriter.put(n, "clinicalStatus", a.clinicalStatus());
    OutboundEventWriter.put(n, "verificationStatus", a.verificationStatus());
    OutboundEventWriter.put(n, "type", a.type());
    OutboundEventWriter.strings(n, "categories", a.categories());
    OutboundEventWriter.put(n, "criticality", a.criticality());
    ArrayNode reactions = n.putArray("reactions");
    for (Allergy.Reaction r : a.reactions()) {
      ObjectNode rn = reactions.addObject();
      codes(rn, "manifestations", r.manifestations());
      OutboundEventWriter.put(rn, "severity", r.severity());
      OutboundEventWriter.put(rn, "description", r.description());
    }
    OutboundEventWriter.put(n, "recordedDate", a.recordedDate());
  }

  private static void result(ObjectNode n, ClinicalResult r) {
    n.put("fhirId", r.fhirId());
    n.put("resourceType", r.resourceType());
    OutboundEventWriter.code(n, "code", r.code());
    OutboundEventWriter.put(n, "status", r.status());
    OutboundEventWriter.put(n, "effective", r.effective());
    OutboundEventWriter.put(n, "issued", r.issued());
    if (r.value() != null) {
      ObjectNode v = n.putObject("value");
      switch (r.value()) {
        case ClinicalResult.Value.Quantity q -> {
          v.put("kind", "quantity");
          number(v, "number", q.number());
          OutboundEventWriter.put(v, "comparator", q.comparator());
          OutboundEventWriter.put(v, "unit", q.unit());
          OutboundEventWriter.put(v, "unitCode", q.unitCode());
        }
        case ClinicalResult.Value.Coded c -> {
          v.put("kind", "coded");
          OutboundEventWriter.code(v, "code", c.code());
        }
        case ClinicalResult.Value.Text t -> {
          v.put("kind", "text");
          v.put("text", t.text());
        }
      }
    }
    ArrayNode ranges = n.putArray("referenceRanges");
    for (ClinicalResult.Range range : r.referenceRanges()) {
      ObjectNode rn = ranges.addObject();
      number(rn, "low", range.low());
      number(rn, "high", range.high());
      OutboundEventWriter.put(rn, "unit", range.unit());
      OutboundEventWriter.put(rn, "text", range.text());
    }
    codes(n, "interpretation", r.interpretation());
    OutboundEventWriter.strings(n, "members", r.members());
    OutboundEventWriter.put(n, "conclusion", r.conclusion());
  }

  private static void codes(ObjectNode n, String name, List<Code> codes) {
    ArrayNode array = n.putArray(name);
    for (Code c : codes) {
      if (c != null && !c.isEmpty()) {
        OutboundEventWriter.codeFields(array.addObject(), c);
      }
    }
  }

  private static void number(ObjectNode n, String name, BigDecimal value) {
    if (value != null) {
      n.put(name, value);
    }
  }

  private static String instant(Instant t) {
    return t.toString();
  }

  private static JsonMapper json() {
    return SHARED;
  }

  private static final JsonMapper SHARED = JsonMapper.builder().build();
}
