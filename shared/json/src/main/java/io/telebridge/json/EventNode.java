package io.telebridge.json;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * A JSON object of a webhook body with its JSON Pointer: the typed reads {@link PlatformEventReader} makes,
 * each refusing with a {@link MalformedEventException} that names the place and the rule, never the value.
 */
record EventNode(JsonNode json, String pointer) {

  private String at(String field) {
    return pointer + "/" + field;
  }

  private JsonNode member(String field) {
    JsonNode v = json.get(field);
    return v == null || v.isNull() ? null : v;
  }

  String optionalText(String field) {
    JsonNode v = member(field);
    if (v == null) {
      return null;
    }
    if (!v.isString()) {
      throw new MalformedEventException(at(field), "must be a string");
    }
    return v.stringValue();
  }

  String requiredText(String field) {
    String v = optionalText(field);
    if (v == null) {
      throw new MalformedEventException(at(field), "is required");
    }
    return v;
  }

  EventNode optionalObject(String field) {
    JsonNode v = member(field);
    if (v == null) {
      return null;
    }
    if (!v.isObject()) {
      throw new MalformedEventException(at(field), "must be an object");
    }
    return new EventNode(v, at(field));
  }

  EventNode requiredObject(String field) {
    EventNode v = optionalObject(field);
    if (v == null) {
      throw new MalformedEventException(at(field), "is required");
    }
    return v;
  }

  List<String> textList(String field) {
    JsonNode v = member(field);
    if (v == null) {
      return List.of();
    }
    if (!v.isArray()) {
      throw new MalformedEventException(at(field), "must be an array");
    }
    List<String> out = new ArrayList<>(v.size());
    int i = 0;
    for (JsonNode item : v.values()) {
      if (!item.isString()) {
        throw new MalformedEventException(at(field) + "/" + i, "must be a string");
      }
      out.add(item.stringValue());
      i++;
    }
    return out;
  }

  List<EventNode> objectList(String field) {
    JsonNode v = member(field);
    if (v == null) {
      return List.of();
    }
    if (!v.isArray()) {
      throw new MalformedEventException(at(field), "must be an array");
    }
    List<EventNode> out = new ArrayList<>(v.size());
    int i = 0;
    for (JsonNode item : v.values()) {
      String itemPointer = at(field) + "/" + i;
      if (!item.isObject()) {
        throw new MalformedEventException(itemPointer, "must be an object");
      }
      out.add(new EventNode(item, itemPointer));
      i++;
    }
    return out;
  }

  OffsetDateTime requiredDateTime(String field) {
    String v = requiredText(field);
    OffsetDateTime t = EventRules.parseDateTime(v);
    if (t == null) {
      throw new MalformedEventException(at(field), "must be an RFC 3339 date-time with an offset");
    }
    return t;
  }

  LocalDate optionalDate(String field) {
    String v = optionalText(field);
    if (v == null) {
      return null;
    }
    LocalDate d = EventRules.parseDate(v);
    if (d == null) {
      throw new MalformedEventException(at(field), "must be a date in the form YYYY-MM-DD");
    }
    return d;
  }

  LocalDate requiredDate(String field) {
    LocalDate v = optionalDate(field);
    if (v == null) {
      throw new MalformedEventException(at(field), "is required");
    }
    return v;
  }

  int optionalInt(String field, int fallback) {
    JsonNode v = member(field);
    if (v == null) {
      return fallback;
    }
    if (!v.isInt()) {
      throw new MalformedEventException(at(field), "must be an integer");
    }
    return v.intValue();
  }

  ZoneId requiredZone(String field) {
    String v = requiredText(field);
    if (!EventRules.isIanaZone(v)) {
      throw new MalformedEventException(at(field), "must be an IANA time zone name");
    }
    return ZoneId.of(v);
  }
}
