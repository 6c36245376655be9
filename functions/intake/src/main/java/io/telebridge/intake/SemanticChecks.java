package io.telebridge.intake;

import io.telebridge.core.intake.InvalidField;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.JsonNode;

/**
 * The few rules the API description promises that JSON Schema cannot express: an NPI's check
 * digit, and an appointment that ends after it starts. Run only on schema-valid events.
 */
final class SemanticChecks {

  private SemanticChecks() {}

  static List<InvalidField> check(JsonNode event) {
    List<InvalidField> out = new ArrayList<>();
    JsonNode data = event.path("data");
    JsonNode appointment = data.path("appointment");
    if (appointment.isObject()) {
      endsAfterStart(appointment, "/data/appointment", out);
      npi(appointment.path("provider").path("npi"), "/data/appointment/provider/npi", out);
    }
    JsonNode previous = data.path("previous");
    if (previous.isObject()) {
      endsAfterStart(previous, "/data/previous", out);
    }
    npi(data.path("note").path("author").path("npi"), "/data/note/author/npi", out);
    return out;
  }

  private static void endsAfterStart(JsonNode node, String at, List<InvalidField> out) {
    try {
      OffsetDateTime start = OffsetDateTime.parse(node.path("start").asString().toUpperCase(Locale.ROOT));
      OffsetDateTime end = OffsetDateTime.parse(node.path("end").asString().toUpperCase(Locale.ROOT));
      if (!end.isAfter(start)) {
        out.add(new InvalidField(at + "/end", "must be after start"));
      }
    } catch (DateTimeParseException e) {
      // the schema's format check already reported it
    }
  }

  private static void npi(JsonNode npi, String at, List<InvalidField> out) {
    if (npi.isString() && npi.asString().length() == 10 && !validNpi(npi.asString())) {
      out.add(new InvalidField(at, "must be an NPI with a valid check digit"));
    }
  }

  /** NPI check digit: Luhn over the 9 leading digits prefixed with 80840 (CMS). */
  static boolean validNpi(String npi) {
    String digits = "80840" + npi;
    int sum = 0;
    boolean twice = false;
    for (int i = digits.length() - 1; i >= 0; i--) {
      int d = digits.charAt(i) - '0';
      if (d < 0 || d > 9) {
        return false;
      }
      if (twice) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
      twice = !twice;
    }
    return sum % 10 == 0;
  }
}
