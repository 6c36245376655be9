package io.telebridge.toehr;

import io.telebridge.core.model.Address;
import io.telebridge.core.model.PatientDemographics;
import io.telebridge.core.model.Phone;
import io.telebridge.matching.NormalizedPerson;
import io.telebridge.matching.mpi.ReviewCase;
import io.telebridge.matching.mpi.ReviewCases;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The review API's JSON: a case (ids, scores, the fields that agreed, disagreed or were missing: no PHI)
 * and, on explicit request only, the demographics of the incoming patient and of each candidate's records.
 */
final class ReviewJson {

  static final JsonMapper JSON = ReviewApiRequest.JSON;

  private ReviewJson() {}

  static ObjectNode caseJson(ReviewCase c) {
    ObjectNode o = JSON.createObjectNode();
    o.put("caseId", c.caseId());
    o.put("tenant", c.tenant());
    o.put("platformPatientId", c.platformPatientId());
    o.put("firstEventId", c.firstEventId());
    o.put("status", c.status().name());
    o.put("reason", c.reason());
    o.put("score", round(c.score()));
    o.put("createdAt", c.createdAt() == null ? null : c.createdAt().toString());
    ArrayNode candidates = o.putArray("candidates");
    for (ReviewCase.Candidate candidate : c.candidates()) {
      ObjectNode k = candidates.addObject();
      k.put("personId", candidate.personId());
      k.put("score", round(candidate.score()));
      k.set("agreed", list(candidate.agreed()));
      k.set("disagreed", list(candidate.disagreed()));
      k.set("missing", list(candidate.missing()));
      k.set("guards", list(candidate.guards()));
    }
    if (c.resolution() != null) {
      o.put("resolution", c.resolution());
      o.put("resolvedBy", c.resolvedBy());
      o.put("resolvedAt", c.resolvedAt() == null ? null : c.resolvedAt().toString());
    }
    o.put("replayed", c.replayed());
    return o;
  }

  private static double round(double score) {
    return Math.round(score * 100.0) / 100.0;
  }

  /** "a,b" or "[A, B]" (a guard set) → ["a","b"]. */
  private static ArrayNode list(String joined) {
    ArrayNode a = JSON.createArrayNode();
    if (joined == null) {
      return a;
    }
    String s = joined.strip();
    if (s.startsWith("[") && s.endsWith("]")) {
      s = s.substring(1, s.length() - 1);
    }
    for (String part : s.split(",")) {
      if (!part.isBlank()) {
        a.add(part.strip());
      }
    }
    return a;
  }

  static ObjectNode demographicsJson(ReviewCases.Demographics d) {
    ObjectNode o = JSON.createObjectNode();
    o.set("incoming", d.incoming() == null ? null : patientJson(d.incoming()));
    ArrayNode candidates = o.putArray("candidates");
    for (Map.Entry<String, List<NormalizedPerson>> e : d.candidates().entrySet()) {
      ObjectNode k = candidates.addObject();
      k.put("personId", e.getKey());
      ArrayNode records = k.putArray("records");
      for (NormalizedPerson p : e.getValue()) {
        records.add(recordJson(p));
      }
    }
    return o;
  }

  private static ObjectNode patientJson(PatientDemographics p) {
    ObjectNode o = JSON.createObjectNode();
    o.put("platformPatientId", p.platformPatientId());
    if (p.name() != null) {
      ObjectNode name = o.putObject("name");
      ArrayNode given = name.putArray("given");
      p.name().given().forEach(given::add);
      name.put("family", p.name().family());
      if (p.name().prefix() != null) {
        name.put("prefix", p.name().prefix());
      }
      if (p.name().suffix() != null) {
        name.put("suffix", p.name().suffix());
      }
    }
    o.put("birthDate", p.birthDate() == null ? null : p.birthDate().toString());
    o.put("sex", p.sex().name().toLowerCase(java.util.Locale.ROOT));
    ArrayNode phones = o.putArray("phones");
    for (Phone phone : p.phones()) {
      phones.addObject().put("use", phone.use()).put("number", phone.number());
    }
    o.put("email", p.email());
    Address a = p.address();
    if (a != null) {
      ObjectNode address = o.putObject("address");
      ArrayNode lines = address.putArray("lines");
      a.lines().forEach(lines::add);
      address.put("city", a.city()).put("state", a.state()).put("postalCode", a.postalCode()).put("country", a.country());
    }
    o.put("ssnLast4", p.ssnLast4());
    return o;
  }

  /** A candidate's filed record, as the matcher compares it (normalised values). */
  private static ObjectNode recordJson(NormalizedPerson p) {
    ObjectNode o = JSON.createObjectNode();
    o.put("recordId", p.recordId());
    o.put("given", p.given());
    ArrayNode other = o.putArray("givenOther");
    p.givenOther().forEach(other::add);
    o.put("surname", p.surname());
    o.put("suffix", p.suffix());
    o.put("birthDate", p.dob());
    o.put("sex", p.sex().name().toLowerCase(java.util.Locale.ROOT));
    ArrayNode phones = o.putArray("phones");
    p.phones().forEach(phones::add);
    o.put("email", p.email());
    o.put("streetNumber", p.streetNumber());
    o.put("unit", p.unit());
    o.put("streetName", p.streetName());
    o.put("addressExtra", p.addressExtra());
    o.put("city", p.city());
    o.put("state", p.state());
    o.put("postcode", p.postcode());
    o.put("ssnLast4", p.ssnLast4());
    return o;
  }
}
