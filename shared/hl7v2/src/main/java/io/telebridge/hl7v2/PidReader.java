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
 * PID → {@link EhrPatient}: identifiers (the platform's id under its authority; never an SSN), name, birth
 * date, sex, phones, e-mail, address.
 */
final class PidReader {

  private final String platformAuthority;

  PidReader(String platformAuthority) {
    this.platformAuthority = platformAuthority;
  }

  EhrPatient read(Segment pid, String where) {
    List<Identifier> ids = new ArrayList<>();
    String platformId = null;
    for (int r = 0; r < reps(pid, 3); r++) {
      Type cx = field(pid, 3, r);
      String value = text(cx, 1);
      if (value == null) {
        continue;
      }
      String authority = sub(cx, 4, 1);
      String typeCode = text(cx, 5);
      if ("SS".equalsIgnoreCase(typeCode)) {
        continue; // an SSN is not an identifier telebridge carries anywhere
      }
      if (platformAuthority != null && platformAuthority.equals(authority)) {
        platformId = value;
      }
      ids.add(new Identifier(value, authority, typeCode));
    }
    if (ids.isEmpty()) {
      throw missing("PID", 3, "PID-3 has no patient identifier (" + where + ")");
    }
    Type xpn = field(pid, 5, 0);
    PersonName name = null;
    if (xpn != null && !isEmpty(unwrap(xpn))) {
      List<String> given = new ArrayList<>();
      addIfPresent(given, text(xpn, 2));
      addIfPresent(given, text(xpn, 3));
      name = new PersonName(given, sub(xpn, 1, 1), text(xpn, 5), text(xpn, 4));
    }
    List<Phone> phones = new ArrayList<>();
    String email = null;
    for (int r = 0; r < reps(pid, 13); r++) {
      Type xtn = field(pid, 13, r);
      String use = text(xtn, 2);
      if ("NET".equalsIgnoreCase(use) || "Internet".equalsIgnoreCase(text(xtn, 3))) {
        email = email == null ? text(xtn, 4) : email;
        continue;
      }
      String number = phoneNumber(xtn);
      if (number != null) {
        phones.add(new Phone(phoneUse(use), number));
      }
    }
    for (int r = 0; r < reps(pid, 14); r++) {
      String number = phoneNumber(field(pid, 14, r));
      if (number != null) {
        phones.add(new Phone("work", number));
      }
    }
    Type xad = field(pid, 11, 0);
    Address address = null;
    if (xad != null && !isEmpty(unwrap(xad))) {
      List<String> lines = new ArrayList<>();
      addIfPresent(lines, sub(xad, 1, 1));
      addIfPresent(lines, text(xad, 2));
      address = new Address(lines, text(xad, 3), text(xad, 4), text(xad, 5), text(xad, 6));
    }
    PatientDemographics demographics = new PatientDemographics(platformId, name,
        Hl7Times.date(text(field(pid, 7, 0), 1)), sex(text(field(pid, 8, 0), 1)), phones, email, address, null);
    return new EhrPatient(ids, demographics);
  }

  private static String phoneNumber(Type xtn) {
    if (xtn == null) {
      return null;
    }
    String country = text(xtn, 5);
    String area = text(xtn, 6);
    String local = text(xtn, 7);
    if (local != null) {
      String digits = (country == null ? "" : country) + (area == null ? "" : area) + local;
      digits = digits.replaceAll("[^0-9]", "");
      return country != null ? "+" + digits : digits;
    }
    String unformatted = text(xtn, 1);
    return unformatted == null ? null : unformatted.trim();
  }

  private static String phoneUse(String code) {
    if (code == null) {
      return "home";
    }
    return switch (code.toUpperCase(Locale.ROOT)) {
      case "ORN", "PRS" -> "mobile";
      case "WPN" -> "work";
      default -> "home";
    };
  }

  private static Sex sex(String code) {
    if (code == null) {
      return Sex.UNKNOWN;
    }
    return switch (code.trim().toUpperCase(Locale.ROOT)) {
      case "F" -> Sex.FEMALE;
      case "M" -> Sex.MALE;
      case "O", "A", "N" -> Sex.OTHER;
      default -> Sex.UNKNOWN;
    };
  }
}
