package io.telebridge.toehr;

import io.telebridge.core.journal.JournalEntry;
import io.telebridge.core.journal.Trace;
import io.telebridge.core.switches.FlowSwitch;
import io.telebridge.core.switches.ShadowReport;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The ops API's answers: a trace, a flow switch, a shadow report. Ids, stages, outcomes, counts and field names only. */
final class OpsJson {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private OpsJson() {}

  static ObjectNode switchJson(FlowSwitch s) {
    ObjectNode o = JSON.createObjectNode().put("flow", s.flow().wire()).put("mode", s.mode().wire());
    if (s.updatedAt() != null) {
      o.put("updatedAt", s.updatedAt().toString());
    }
    put(o, "updatedBy", s.updatedBy());
    return o;
  }

  /** The report: counts, field names, MSH-10s; never a field's value. */
  static ObjectNode shadowJson(ShadowReport r) {
    ObjectNode o = JSON.createObjectNode().put("tenant", r.tenant());
    ArrayNode flows = o.putArray("flows");
    for (ShadowReport.FlowReport f : r.flows()) {
      ObjectNode fo = flows.addObject().put("flow", f.flow()).put("shadowed", f.shadowed()).put("fromEhr", f.fromEhr())
          .put("matched", f.matched()).put("agreed", f.agreed()).put("unmatchedShadow", f.unmatchedShadow())
          .put("unmatchedEhr", f.unmatchedEhr());
      if (f.matched() > 0) {
        fo.put("agreement", f.agreement());
      }
      ObjectNode fields = fo.putObject("differingFields");
      f.differingFields().forEach(fields::put);
      ArrayNode pairs = fo.putArray("pairs");
      for (ShadowReport.Pair p : f.pairs()) {
        ObjectNode po = pairs.addObject().put("shadow", p.shadowId()).put("ehr", p.ehrId()).put("matchedBy", p.matchedBy());
        ArrayNode d = po.putArray("differing");
        p.differing().forEach(d::add);
      }
    }
    return o;
  }

  static ObjectNode traceJson(Trace t) {
    ObjectNode body = JSON.createObjectNode().put("tenant", t.tenant()).put("query", t.query());
    ArrayNode steps = body.putArray("steps");
    for (JournalEntry e : t.steps()) {
      ObjectNode s = steps.addObject().put("at", e.at().toString()).put("stage", e.stage()).put("subject", e.subject())
          .put("outcome", e.outcome());
      put(s, "type", e.type());
      if (e.attempt() > 0) {
        s.put("attempt", e.attempt());
      }
      put(s, "errorClass", e.errorClass());
      put(s, "errorCode", e.errorCode());
      put(s, "waitsAt", e.waitsAt());
      put(s, "appointmentId", e.appointmentId());
      put(s, "platformPatientId", e.platformPatientId());
      put(s, "by", e.by());
      if (!e.links().isEmpty()) {
        ArrayNode links = s.putArray("links");
        e.links().forEach(links::add);
      }
    }
    ArrayNode waiting = body.putArray("waiting");
    t.waiting().forEach(p -> waiting.addObject().put("subject", p.subject()).put("where", p.where()));
    return body;
  }

  static void put(ObjectNode o, String name, String value) {
    if (value != null && !value.isEmpty()) {
      o.put(name, value);
    }
  }
}
