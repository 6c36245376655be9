package io.telebridge.hl7v2;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.DataTypeException;
import ca.uhn.hl7v2.model.Primitive;
import ca.uhn.hl7v2.model.v251.datatype.CE;
import ca.uhn.hl7v2.model.v251.datatype.CX;
import ca.uhn.hl7v2.model.v251.datatype.EI;
import ca.uhn.hl7v2.model.v251.datatype.HD;
import ca.uhn.hl7v2.model.v251.datatype.PL;
import ca.uhn.hl7v2.model.v251.datatype.XAD;
import ca.uhn.hl7v2.model.v251.datatype.XPN;
import ca.uhn.hl7v2.model.v251.datatype.XTN;
import ca.uhn.hl7v2.model.v251.segment.EVN;
import ca.uhn.hl7v2.model.v251.segment.MSH;
import ca.uhn.hl7v2.model.v251.segment.PID;
import ca.uhn.hl7v2.model.v251.segment.PV1;
import io.telebridge.core.model.Address;
import io.telebridge.core.model.Identifier;
import io.telebridge.core.model.PatientDemographics;
import io.telebridge.core.model.PersonName;
import io.telebridge.core.model.Phone;
import io.telebridge.core.model.PlatformEvent;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Fills the segments ADT and SIU share, through HAPI's typed model only (escaping happens on encode).
 */
final class Hl7Fields {

  /** DTM to the second with the offset: {@code YYYYMMDDHHMMSS±ZZZZ}. */
  static final DateTimeFormatter DTM = DateTimeFormatter.ofPattern("yyyyMMddHHmmssxx");

  private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyyMMdd");

  private Hl7Fields() {}

  static String dtm(Instant instant, ZoneId zone) {
    return DTM.format(instant.atZone(zone));
  }

  static String dtm(OffsetDateTime time, ZoneId zoneOrNull) {
    return zoneOrNull == null ? DTM.format(time) : DTM.format(time.atZoneSameInstant(zoneOrNull));
  }

  /** Sets a primitive when the value is not null or blank (an empty HL7 field stays absent, never {@code ""}). */
  static void set(Primitive field, String value) throws DataTypeException {
    if (value != null && !value.isBlank()) {
      field.setValue(value);
    }
  }

  static void hd(HD target, EhrProfile.Hd hd) throws DataTypeException {
    if (hd == null) {
      return;
    }
    set(target.getNamespaceID(), hd.namespaceId());
    set(target.getUniversalID(), hd.universalId());
    set(target.getUniversalIDType(), hd.universalIdType());
  }

  /** EI: the id, then the authority's namespace, universal id and its type (when the profile has one). */
  static void ei(EI ei, String id, EhrProfile.Authority authority) throws DataTypeException {
    ei.getEntityIdentifier().setValue(id);
    if (authority != null) {
      set(ei.getNamespaceID(), authority.namespaceId());
      set(ei.getUniversalID(), authority.universalId());
      set(ei.getUniversalIDType(), authority.universalIdType());
    }
  }

  static void ce(CE target, EhrProfile.Coded coded) throws DataTypeException {
    if (coded == null) {
      return;
    }
    set(target.getIdentifier(), coded.code());
    set(target.getText(), coded.text());
    set(target.getNameOfCodingSystem(), coded.system());
  }

  // ------------------------------------------------------------------ MSH, EVN

  static void msh(MSH msh, MessageKind kind, String controlId, EhrProfile profile, String environment, Clock clock)
      throws HL7Exception {
    msh.getFieldSeparator().setValue("|");
    msh.getEncodingCharacters().setValue("^~\\&");
    hd(msh.getSendingApplication(), profile.sendingApplication());
    hd(msh.getSendingFacility(), profile.sendingFacility());
    hd(msh.getReceivingApplication(), profile.receivingApplication());
    hd(msh.getReceivingFacility(), profile.receivingFacility());
    msh.getDateTimeOfMessage().getTime().setValue(dtm(clock.instant(), profile.messageTimeZone()));
    msh.getMessageType().getMessageCode().setValue(kind.code());
    msh.getMessageType().getTriggerEvent().setValue(kind.trigger());
    msh.getMessageType().getMessageStructure().setValue(kind.structure());
    msh.getMessageControlID().setValue(controlId);
    msh.getProcessingID().getProcessingID().setValue(profile.processingId(environment));
    msh.getVersionID().getVersionID().setValue(Hl7Context.VERSION);
    if (profile.characterSet() != null && !profile.characterSet().isBlank()) {
      msh.getCharacterSet(0).setValue(profile.characterSet());
    }
  }

  static void evn(EVN evn, MessageKind kind, PlatformEvent event, EhrProfile profile) throws HL7Exception {
    evn.getEventTypeCode().setValue(kind.trigger());
    String occurred = dtm(event.occurredAt(), profile.messageTimeZone());
    evn.getRecordedDateTime().getTime().setValue(occurred);
    evn.getEventOccurred().getTime().setValue(occurred);
  }

  // ------------------------------------------------------------------ PID

  /**
   * PID-1, PID-3 (every identifier given, in order), and when the event carries demographics
   * PID-5, 7, 8, 11, 13.
   */
  static void pid(PID pid, PatientDemographics patient, List<Identifier> identifiers, EhrProfile profile)
      throws HL7Exception {
    pid.getSetIDPID().setValue("1");
    int rep = 0;
    for (Identifier id : identifiers) {
      CX cx = pid.getPatientIdentifierList(rep++);
      cx.getIDNumber().setValue(id.value());
      set(cx.getAssigningAuthority().getNamespaceID(), id.assigningAuthority());
      EhrProfile.Authority authority = profile.authorityNamed(id.assigningAuthority());
      if (authority != null) {
        set(cx.getAssigningAuthority().getUniversalID(), authority.universalId());
        set(cx.getAssigningAuthority().getUniversalIDType(), authority.universalIdType());
      }
      set(cx.getIdentifierTypeCode(), id.typeCode());
    }
    if (patient == null) {
      return;
    }
    PersonName name = patient.name();
    if (name != null) {
      xpn(pid.getPatientName(0), name);
    }
    if (patient.birthDate() != null) {
      pid.getDateTimeOfBirth().getTime().setValue(DATE.format(patient.birthDate()));
    }
    if (patient.hasDemographics() || patient.sex() != io.telebridge.core.model.Sex.UNKNOWN) {
      pid.getAdministrativeSex().setValue(switch (patient.sex()) {
        case FEMALE -> "F";
        case MALE -> "M";
        case OTHER -> "O";
        case UNKNOWN -> "U";
      });
    }
    if (patient.address() != null) {
      xad(pid.getPatientAddress(0), patient.address());
    }
    int tel = 0;
    for (Phone phone : patient.phones()) {
      xtn(pid.getPhoneNumberHome(tel++), phone, profile);
    }
    if (patient.email() != null && !patient.email().isBlank()) {
      XTN email = pid.getPhoneNumberHome(tel);
      email.getTelecommunicationUseCode().setValue("NET");
      email.getTelecommunicationEquipmentType().setValue("Internet");
      email.getEmailAddress().setValue(patient.email());
    }
  }

  /** XPN: family, first given, further given names (space-separated), suffix, prefix, type L (legal). */
  static void xpn(XPN xpn, PersonName name) throws DataTypeException {
    set(xpn.getFamilyName().getSurname(), name.family());
    List<String> given = name.given();
    if (!given.isEmpty()) {
      set(xpn.getGivenName(), given.get(0));
    }
    if (given.size() > 1) {
      set(xpn.getSecondAndFurtherGivenNamesOrInitialsThereof(), String.join(" ", given.subList(1, given.size())));
    }
    set(xpn.getSuffixEgJRorIII(), name.suffix());
    set(xpn.getPrefixEgDR(), name.prefix());
    xpn.getNameTypeCode().setValue("L");
  }

  /** XAD: first line as street, further lines as other designation, city, state, zip, country, type H. */
  static void xad(XAD xad, Address address) throws DataTypeException {
    List<String> lines = address.lines();
    if (!lines.isEmpty()) {
      set(xad.getStreetAddress().getStreetOrMailingAddress(), lines.get(0));
    }
    if (lines.size() > 1) {
      set(xad.getOtherDesignation(), String.join(", ", lines.subList(1, lines.size())));
    }
    set(xad.getCity(), address.city());
    set(xad.getStateOrProvince(), address.state());
    set(xad.getZipOrPostalCode(), address.postalCode());
    set(xad.getCountry(), address.country());
    xad.getAddressType().setValue("H");
  }

  /**
   * XTN for a phone: XTN-2 use and XTN-3 equipment from the profile; a North American number (10
   * digits, or 11 starting with 1) also as XTN-1 {@code (617)555-0142} and XTN-5/6/7 country, area
   * and local number; any other number as dialled in XTN-12 (unformatted).
   */
  static void xtn(XTN xtn, Phone phone, EhrProfile profile) throws DataTypeException {
    EhrProfile.PhoneUse use = phone.use() == null ? null : profile.phoneUses().get(phone.use());
    if (use == null) {
      use = new EhrProfile.PhoneUse("PRN", "PH");
    }
    String number = phone.number() == null ? "" : phone.number();
    String digits = number.replaceAll("[^0-9]", "");
    boolean international = number.strip().startsWith("+");
    if (digits.length() == 11 && digits.charAt(0) == '1') {
      digits = digits.substring(1);
    } else if (international) {
      digits = ""; // +44..., not North American
    }
    if (digits.length() == 10) {
      String area = digits.substring(0, 3);
      String local = digits.substring(3);
      xtn.getTelephoneNumber().setValue("(" + area + ")" + local.substring(0, 3) + "-" + local.substring(3));
      set(xtn.getTelecommunicationUseCode(), use.use());
      set(xtn.getTelecommunicationEquipmentType(), use.equipment());
      xtn.getCountryCode().setValue("1");
      xtn.getAreaCityCode().setValue(area);
      xtn.getLocalNumber().setValue(local);
    } else {
      set(xtn.getTelecommunicationUseCode(), use.use());
      set(xtn.getTelecommunicationEquipmentType(), use.equipment());
      set(xtn.getUnformattedTelephoneNumber(), number);
    }
  }

  // ------------------------------------------------------------------ PV1, PL

  static void pv1(PV1 pv1, String patientClass, EhrProfile.Location location) throws HL7Exception {
    pv1.getSetIDPV1().setValue("1");
    pv1.getPatientClass().setValue(patientClass);
    if (location != null) {
      pl(pv1.getAssignedPatientLocation(), location);
    }
  }

  static void pl(PL pl, EhrProfile.Location location) throws DataTypeException {
    set(pl.getPointOfCare(), location.pointOfCare());
    set(pl.getRoom(), location.room());
    set(pl.getBed(), location.bed());
    hd(pl.getFacility(), location.facility());
    set(pl.getLocationDescription(), location.description());
  }
}
