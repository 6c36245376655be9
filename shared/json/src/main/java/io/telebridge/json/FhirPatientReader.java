package io.telebridge.json;

import io.telebridge.core.identity.EhrPatient;
import io.telebridge.core.model.Address;
import io.telebridge.core.model.Identifier;
import io.telebridge.core.model.PatientDemographics;
import io.telebridge.core.model.PersonName;
import io.telebridge.core.model.Phone;
import io.telebridge.core.model.Sex;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One FHIR R4 {@code Patient} resource (a line of a bulk-export NDJSON file) → an {@link EhrPatient}
 * for the identity index. Identifiers: every {@code identifier} with a value; its authority is the
 * short name mapped from its {@code system} ({@code authorities}), else the system itself; its type
 * is {@code type.coding[].code} (MR for the MRN). Name: the {@code official} (else {@code usual}, else
 * first) name; {@code gender}; {@code birthDate} (a partial date is left out); phones and email from
 * {@code telecom}; the {@code home} (else first) address. Fails with an error naming the field only,
 * never echoing values.
 */
public final class FhirPatientReader {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final Map<String, String> authorities;

  /** @param authorities FHIR identifier system URI → the HL7 assigning authority used in PID-3 */
  public FhirPatientReader(Map<String, String> authorities) {
    this.authorities = Map.copyOf(authorities);
  }

  public EhrPatient read(String json) {
    JsonNode p;
    try {
      p = JSON.readTree(json);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not JSON");
    }
    if (!"Patient".equals(text(p, "resourceType"))) {
      throw new IllegalArgumentException("resourceType is not Patient");
    }
    List<Identifier> ids = new ArrayList<>();
    for (JsonNode id : p.path("identifier")) {
      String value = text(id, "value");
      if (value == null) {
        continue;
      }
      String system = text(id, "system");
      String authority = system == null ? null : authorities.getOrDefault(system, system);
      String type = null;
      for (JsonNode coding : id.path("type").path("coding")) {
        type = text(coding, "code");
        if (type != null) {
          break;
        }
      }
      ids.add(new Identifier(value, authority, type));
    }
    if (ids.isEmpty()) {
      throw new IllegalArgumentException("Patient " + text(p, "id") + " has no identifier with a value");
    }
    ids.sort((a, b) -> Boolean.compare(!"MR".equals(a.typeCode()), !"MR".equals(b.typeCode())));
    return new EhrPatient(ids, new PatientDemographics(null, name(p), birthDate(p), sex(text(p, "gender")),
        phones(p), email(p), address(p), null));
  }

  private static PersonName name(JsonNode p) {
    JsonNode chosen = null;
    for (String use : List.of("official", "usual")) {
      for (JsonNode n : p.path("name")) {
        if (chosen == null && use.equals(text(n, "use"))) {
          chosen = n;
        }
      }
    }
    if (chosen == null && p.path("name").size() > 0) {
      chosen = p.path("name").get(0);
    }
    if (chosen == null) {
      return null;
    }
    List<String> given = new ArrayList<>();
    chosen.path("given").forEach(g -> given.add(g.asString()));
    String suffix = chosen.path("suffix").size() > 0 ? chosen.path("suffix").get(0).asString() : null;
    String prefix = chosen.path("prefix").size() > 0 ? chosen.path("prefix").get(0).asString() : null;
    return new PersonName(given, text(chosen, "family"), prefix, suffix);
  }

  private static LocalDate birthDate(JsonNode p) {
    String d = text(p, "birthDate");
    if (d == null || d.length() != 10) {
      return null;
    }
    try {
      return LocalDate.parse(d);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static Sex sex(String gender) {
    if (gender == null) {
      return Sex.UNKNOWN;
    }
    return switch (gender) {
      case "male" -> Sex.MALE;
      case "female" -> Sex.FEMALE;
      case "other" -> Sex.OTHER;
      default -> Sex.UNKNOWN;
    };
  }

  private static List<Phone> phones(JsonNode p) {
    List<Phone> out = new ArrayList<>();
    for (JsonNode t : p.path("telecom")) {
      if ("phone".equals(text(t, "system")) && text(t, "value") != null) {
        out.add(new Phone(text(t, "use") == null ? "home" : text(t, "use"), text(t, "value")));
      }
    }
    return out;
  }

  private static String email(JsonNode p) {
    for (JsonNode t : p.path("telecom")) {
      if ("email".equals(text(t, "system"))) {
        return text(t, "value");
      }
    }
    return null;
  }

  private static Address address(JsonNode p) {
    JsonNode chosen = null;
    for (JsonNode a : p.path("address")) {
      if (chosen == null && "home".equals(text(a, "use"))) {
        chosen = a;
      }
    }
    if (chosen == null && p.path("address").size() > 0) {
      chosen = p.path("address").get(0);
    }
    if (chosen == null) {
      return null;
    }
    List<String> lines = new ArrayList<>();
    chosen.path("line").forEach(l -> lines.add(l.asString()));
    return new Address(lines, text(chosen, "city"), text(chosen, "state"), text(chosen, "postalCode"),
        text(chosen, "country"));
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() || v.asString().isBlank() ? null : v.asString();
  }
}
