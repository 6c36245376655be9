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
 * Reading parsed inbound segments, what {@link FromEhrReader} and its readers share: the segments in
 * message order, a field's repetitions, components and subcomponents as text, coded values, times in the
 * EHR's zone, and the refusals ({@link UnreadableMessageException}) with their ERR codes. Outbound
 * segments are filled by {@link Hl7Fields}.
 */
final class InboundFields {

  private InboundFields() {}

  static UnreadableMessageException unsupportedTrigger(String message) {
    return new UnreadableMessageException(UnreadableMessageException.UNSUPPORTED_TYPE, "201", "MSH", 9, message);
  }

  static UnreadableMessageException missing(String segment, int field, String message) {
    return new UnreadableMessageException(UnreadableMessageException.UNTRANSLATABLE, field == 0 ? "100" : "101",
        segment, field, message);
  }

  static void flatten(Group group, List<Segment> out) throws HL7Exception {
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

  static Segment first(List<Segment> segments, String name) {
    Segment s = firstOrNull(segments, name);
    if (s == null) {
      throw missing(name, 0, "no " + name + " segment");
    }
    return s;
  }

  static Segment firstOrNull(List<Segment> segments, String name) {
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

  static Type unwrap(Type t) {
    Type x = t;
    while (x instanceof Varies v) {
      x = v.getData();
    }
    return x;
  }

  static boolean isEmpty(Type t) {
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

  static Type component(Type t, int i) {
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

  static String first(Type t) {
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
  static String whole(Type t) {
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

  static Code code(Type t) {
    Type x = unwrap(t);
    if (x == null || isEmpty(x)) {
      return null;
    }
    return new Code(text(x, 1), text(x, 2), text(x, 3));
  }

  /** A time as EHRs send it; one without an offset is in {@code ehrZone}; malformed → refused with ERR 102. */
  static OffsetDateTime time(ZoneId ehrZone, String value, String where, String location) {
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

  static String header0(Segment msh) {
    return "controlId=" + text(field(msh, 10, 0), 1);
  }

  static String qualified(String namespace, String id) {
    return namespace == null ? id : namespace + ":" + id;
  }

  static String upper(String s) {
    return s == null ? null : s.trim().toUpperCase(Locale.ROOT);
  }

  static void addIfPresent(List<String> list, String s) {
    if (s != null && !s.isBlank()) {
      list.add(s);
    }
  }
}
