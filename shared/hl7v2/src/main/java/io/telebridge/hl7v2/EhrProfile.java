package io.telebridge.hl7v2;

import io.telebridge.core.model.Identifier;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * What one EHR's HL7 v2 interface expects, as configuration: who sends and receives (MSH-3..6),
 * processing ids per environment (MSH-11), assigning authorities, code maps (visit type → SCH-7/8 and
 * AIS-3, platform provider id → EHR provider id), the virtual location, which optional segments and
 * which event variants to send, and the time zone of MSH-7. A second EHR is a second file, not code.
 *
 * <p>Loaded with Jackson 3 from YAML ({@code .yaml}/{@code .yml}) or JSON ({@code .json}); unknown
 * keys are refused so a typo never silently falls back to a default; {@link #validate()} runs on
 * load and names the missing or wrong key. The format is documented in {@code shared/hl7v2/README.md};
 * {@code ehr-profiles/generic-epic-like.yaml} on the classpath is an example.
 *
 * @param id short name, used in error messages
 * @param description free text for humans
 * @param sendingApplication MSH-3
 * @param sendingFacility MSH-4
 * @param receivingApplication MSH-5
 * @param receivingFacility MSH-6
 * @param processingIds MSH-11 per environment name (e.g. {@code prod: P}); default {@code {prod: P}}
 * @param defaultProcessingId MSH-11 for every other environment; default {@code T}
 * @param characterSet MSH-18, e.g. {@code UNICODE UTF-8}; null leaves it empty
 * @param messageTimeZone the zone of MSH-7 and EVN-2/6 (the offset is always written)
 * @param scheduleTimeZone the zone appointment times are written in; null keeps each appointment's own zone
 * @param authorities assigning authorities of identifiers
 * @param variants which trigger events to send
 * @param segments which optional segments to send
 * @param visitTypes platform visit type → SCH-7, SCH-8, AIS-3 codes
 * @param defaultVisitType the {@code visitTypes} key used for an unmapped visit type; null refuses the event
 * @param providers platform provider id → EHR provider id (AIP-3, first repetition; the NPI follows)
 * @param virtualLocation AIL-3 (and PV1-3) for the telehealth visit, e.g. {@code TELEHEALTH^^^FACILITY}
 * @param eventReasons SCH-6 per event: keys {@code booked}, {@code rescheduled}, {@code modified},
 *     {@code no_show}, {@code cancelled}, and optionally {@code cancelled.<cancelledBy>} (patient,
 *     provider, platform, ehr)
 * @param phoneUses platform phone use (mobile, home, work) → XTN-2 use code and XTN-3 equipment
 * @param durationUnits SCH-10 / AIS-8 / AIL-10 / AIP-10 and TQ1-6 units; default {@code min^minutes^ISO+}
 * @param encounter PV1 of the visit messages (MDM, ORM/OML, DFT); default patient class {@code O}
 * @param documents notes → MDM: document types, TX or FT, T08 or T10 for amendments, completion status
 * @param orders orders → ORM^O01 or OML^O21, and the orderable code map (unmapped codes are refused)
 * @param billing charges → DFT^P03: how a reversal is sent, place-of-service map, telehealth modifier
 * @param maxMessageBytes the largest message this EHR's interface takes, in bytes as sent (default
 *     {@value #DEFAULT_MAX_MESSAGE_BYTES}); a larger one (a long note's MDM) is refused with its size, to the
 *     DLQ. The MLLP bridge's frame limit (MAX_FRAME_BYTES) defaults to it.
 * @param fhir whether the visit events go into the record over FHIR R4 (instead of or besides MDM/ORM/DFT), and how
 */
public record EhrProfile(
    String id,
    String description,
    Hd sendingApplication,
    Hd sendingFacility,
    Hd receivingApplication,
    Hd receivingFacility,
    Map<String, String> processingIds,
    String defaultProcessingId,
    String characterSet,
    ZoneId messageTimeZone,
    ZoneId scheduleTimeZone,
    Authorities authorities,
    Variants variants,
    Segments segments,
    Map<String, VisitTypeCodes> visitTypes,
    String defaultVisitType,
    Providers providers,
    Location virtualLocation,
    Map<String, Coded> eventReasons,
    Map<String, PhoneUse> phoneUses,
    Coded durationUnits,
    Encounter encounter,
    Documents documents,
    Orders orders,
    Billing billing,
    Integer maxMessageBytes,
    Fhir fhir) {

  /** The EHR's largest message when the profile does not say: 1 MiB, the MLLP bridge's historical frame limit. */
  public static final int DEFAULT_MAX_MESSAGE_BYTES = 1 << 20;

  /** The SCH-6 keys every profile must have. */
  public static final List<String> REQUIRED_EVENT_REASONS = List.of("booked", "rescheduled", "modified", "no_show", "cancelled");

  public EhrProfile {
    processingIds = processingIds == null ? Map.of("prod", "P") : Map.copyOf(processingIds);
    defaultProcessingId = defaultProcessingId == null ? "T" : defaultProcessingId;
    variants = variants == null ? new Variants(null, null, null) : variants;
    segments = segments == null ? new Segments(null, null, null, null, null, null) : segments;
    visitTypes = visitTypes == null ? Map.of() : Map.copyOf(visitTypes);
    providers = providers == null ? new Providers(null, null, null) : providers;
    eventReasons = eventReasons == null ? Map.of() : Map.copyOf(eventReasons);
    phoneUses =
        phoneUses == null
            ? Map.of(
                "home", new PhoneUse("PRN", "PH"),
                "mobile", new PhoneUse("ORN", "CP"),
                "work", new PhoneUse("WPN", "PH"))
            : Map.copyOf(phoneUses);
    durationUnits = durationUnits == null ? new Coded("min", "minutes", "ISO+") : durationUnits;
    encounter = encounter == null ? new Encounter(null) : encounter;
    documents = documents == null ? new Documents(null, null, null, null, null) : documents;
    orders = orders == null ? new Orders(null, null, null) : orders;
    billing = billing == null ? new Billing(null, null, null) : billing;
    maxMessageBytes = maxMessageBytes == null ? DEFAULT_MAX_MESSAGE_BYTES : maxMessageBytes;
    fhir = fhir == null ? new Fhir(null, null, null, null, null, null, null, null) : fhir;
  }

  // ------------------------------------------------------------------ loading

  /** The profile a deployment uses when EHR_PROFILE is not set. */
  public static final String DEFAULT_NAME = "generic-epic-like";

  /**
   * The one way a component loads its EHR profile from a setting (EHR_PROFILE, a tenant's
   * ehrProfile): blank or null is {@link #DEFAULT_NAME}, otherwise {@link #named}.
   */
  public static EhrProfile fromSetting(String setting) {
    return named(setting == null || setting.isBlank() ? DEFAULT_NAME : setting.trim());
  }

  /**
   * A profile by name from the classpath ({@code ehr-profiles/<name>.yaml}) or, when the value holds a
   * {@code /} and names a file, from that file.
   */
  public static EhrProfile named(String profile) {
    Path file = Path.of(profile);
    return profile.contains("/") && Files.isRegularFile(file)
        ? load(file)
        : fromClasspath("ehr-profiles/" + profile + (profile.endsWith(".yaml") || profile.endsWith(".json") ? "" : ".yaml"));
  }

  /** Loads a profile file; YAML unless the name ends in {@code .json}. */
  public static EhrProfile load(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return read(in, file.getFileName().toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read EHR profile " + file.getFileName(), e);
    }
  }

  /** Loads a profile from the classpath, e.g. {@code ehr-profiles/generic-epic-like.yaml}. */
  public static EhrProfile fromClasspath(String resource) {
    try (InputStream in = EhrProfile.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("no EHR profile on the classpath at " + resource);
      }
      return read(in, resource);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read EHR profile " + resource, e);
    }
  }

  /** Reads and validates a profile; {@code name} (ending in .json, .yaml or .yml) picks the format. */
  public static EhrProfile read(InputStream in, String name) {
    ObjectMapper mapper = name.toLowerCase(Locale.ROOT).endsWith(".json") ? JSON : YAML;
    EhrProfile profile;
    try {
      profile = mapper.readValue(in, EhrProfile.class);
    } catch (JacksonException e) {
      throw new IllegalArgumentException("EHR profile " + name + " does not parse: " + e.getOriginalMessage(), e);
    }
    if (profile == null) {
      throw new IllegalArgumentException("EHR profile " + name + " is empty");
    }
    profile.validate();
    return profile;
  }

  private static final YAMLMapper YAML =
      YAMLMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
          .build();
  private static final JsonMapper JSON =
      JsonMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
          .build();

  /**
   * Checks what the builders rely on; throws {@link IllegalArgumentException} listing every problem
   * by key. Called on load; call it yourself for a profile built in code.
   */
  public EhrProfile validate() {
    List<String> problems = new ArrayList<>();
    require(problems, id, "id");
    if (maxMessageBytes < 1024 || maxMessageBytes > (64 << 20)) {
      problems.add("maxMessageBytes must be within 1024..67108864");
    }
    requireHd(problems, sendingApplication, "sendingApplication");
    requireHd(problems, sendingFacility, "sendingFacility");
    requireHd(problems, receivingApplication, "receivingApplication");
    requireHd(problems, receivingFacility, "receivingFacility");
    if (messageTimeZone == null) {
      problems.add("messageTimeZone is required");
    }
    if (!List.of("P", "T", "D").contains(defaultProcessingId)) {
      problems.add("defaultProcessingId must be P, T or D");
    }
    processingIds.forEach((env, pid) -> {
      if (!List.of("P", "T", "D").contains(pid)) {
        problems.add("processingIds." + env + " must be P, T or D");
      }
    });
    if (authorities == null) {
      problems.add("authorities is required");
    } else {
      requireAuthority(problems, authorities.ehrMrn(), "authorities.ehrMrn", true);
      requireAuthority(problems, authorities.platform(), "authorities.platform", true);
      requireAuthority(problems, authorities.placerAppointment(), "authorities.placerAppointment", false);
      requireAuthority(problems, authorities.fillerAppointment(), "authorities.fillerAppointment", false);
      requireAuthority(problems, authorities.provider(), "authorities.provider", false);
      requireAuthority(problems, authorities.npi(), "authorities.npi", false);
    }
    if (visitTypes.isEmpty()) {
      problems.add("visitTypes must map at least one visit type");
    }
    visitTypes.forEach((type, codes) -> {
      String key = "visitTypes." + type;
      if (codes == null) {
        problems.add(key + " is empty");
        return;
      }
      requireCoded(problems, codes.reason(), key + ".reason");
      requireCoded(problems, codes.type(), key + ".type");
      if (codes.service() != null) {
        requireCoded(problems, codes.service(), key + ".service");
      }
      codes.typeByModality().forEach((m, c) -> requireCoded(problems, c, key + ".typeByModality." + m));
    });
    if (defaultVisitType != null && !visitTypes.containsKey(defaultVisitType)) {
      problems.add("defaultVisitType must be a key of visitTypes");
    }
    for (String reason : REQUIRED_EVENT_REASONS) {
      requireCoded(problems, eventReasons.get(reason), "eventReasons." + reason);
    }
    if (providers.role() != null) {
      requireCoded(problems, providers.role(), "providers.role");
    }
    if (segments.ail() && virtualLocation == null) {
      problems.add("virtualLocation is required when segments.ail is true");
    }
    if (virtualLocation != null && blank(virtualLocation.pointOfCare())) {
      problems.add("virtualLocation.pointOfCare is required");
    }
    phoneUses.forEach((use, code) -> {
      if (code == null || blank(code.use())) {
        problems.add("phoneUses." + use + ".use is required");
      }
    });
    requireCoded(problems, durationUnits, "durationUnits");
    validateVisitFlows(problems);
    validateFhir(problems);
    if (!Hl7Charsets.known(characterSet)) {
      problems.add("characterSet must be an HL7 table 0211 value telebridge knows: " + String.join(", ", Hl7Charsets.names()));
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("EHR profile " + (id == null ? "(no id)" : id) + " is invalid: " + String.join("; ", problems));
    }
    return this;
  }

  private void validateVisitFlows(List<String> problems) {
    if (authorities != null) {
      requireAuthority(problems, authorities.visit(), "authorities.visit", false);
      requireAuthority(problems, authorities.placerOrder(), "authorities.placerOrder", false);
      requireAuthority(problems, authorities.document(), "authorities.document", false);
    }
    if (!List.of("O", "E", "I", "P", "R", "B", "N").contains(encounter.patientClass())) {
      problems.add("encounter.patientClass must be an HL7 table 0004 code (O, E, I, P, R, B, N)");
    }
    documents.types().forEach((type, codes) -> {
      if (codes == null || blank(codes.code())) {
        problems.add("documents.types." + type + ".code is required");
      } else {
        requireCoded(problems, codes.observation(), "documents.types." + type + ".observation");
      }
    });
    if (documents.defaultType() != null && !documents.types().containsKey(documents.defaultType())) {
      problems.add("documents.defaultType must be a key of documents.types");
    }
    if (!List.of("AU", "LA", "DO").contains(documents.completionStatus())) {
      problems.add("documents.completionStatus must be AU, LA or DO (HL7 table 0271)");
    }
    orders.codes().forEach((key, coded) -> {
      if (key.indexOf('|') <= 0 || key.endsWith("|")) {
        problems.add("orders.codes key " + key + " must be <system URI>|<code>");
      }
      requireCoded(problems, coded, "orders.codes." + key);
    });
    orders.passThrough().forEach((system, name) -> {
      if (blank(name)) {
        problems.add("orders.passThrough." + system + " needs the HL7 coding system name (e.g. LN)");
      }
    });
    billing.placeOfService().forEach((pos, code) -> {
      if (blank(code)) {
        problems.add("billing.placeOfService." + pos + " is empty");
      }
    });
    if (billing.telehealthModifier() != null && !billing.telehealthModifier().matches("[0-9A-Z]{2}")) {
      problems.add("billing.telehealthModifier must be a two-character CPT/HCPCS modifier");
    }
  }

  private void validateFhir(List<String> problems) {
    if (fhir.visitRecord() == VisitRecord.HL7V2) {
      return;
    }
    if (blank(fhir.patientIdentifierSystem())) {
      problems.add("fhir.patientIdentifierSystem (the FHIR system of the MRN) is required when fhir.visitRecord is "
          + fhir.visitRecord().name().toLowerCase(Locale.ROOT));
    }
    documents.types().forEach((type, codes) -> {
      if (codes != null && codes.observation() != null && fhir.systemUri(codes.observation().system()) == null) {
        problems.add("fhir.codeSystems needs a URI for " + codes.observation().system() + " (documents.types." + type + ")");
      }
    });
    orders.codes().forEach((key, coded) -> {
      if (coded != null && fhir.systemUri(coded.system()) == null) {
        problems.add("fhir.codeSystems needs a URI for " + coded.system() + " (orders.codes." + key + ")");
      }
    });
    if (fhir.maxBundleEntries() < 2) {
      problems.add("fhir.maxBundleEntries must be at least 2");
    }
    if (fhir.maxInlineAttachmentBytes() < 0) {
      problems.add("fhir.maxInlineAttachmentBytes must not be negative");
    }
  }

  /**
   * The FHIR half of this profile for the record writer (shared/fhir): the {@code fhir} section with the
   * document types, orderables and place-of-service map the HL7 v2 builders use, their coding systems as
   * FHIR URIs.
   */
  public io.telebridge.core.context.VisitRecordProfile visitRecordProfile() {
    Map<String, io.telebridge.core.model.Coding> types = new java.util.LinkedHashMap<>();
    documents.types().forEach((type, codes) -> types.put(type, new io.telebridge.core.model.Coding(
        fhir.systemUri(codes.observation().system()), codes.observation().code(), codes.observation().text())));
    Map<String, io.telebridge.core.model.Coding> orderables = new java.util.LinkedHashMap<>();
    orders.codes().forEach((key, coded) -> orderables.put(key, new io.telebridge.core.model.Coding(
        fhir.systemUri(coded.system()), coded.code(), coded.text())));
    return new io.telebridge.core.context.VisitRecordProfile(
        authorities.ehrMrn().namespaceId(), fhir.patientIdentifierSystem(),
        authorities.platform().namespaceId(), fhir.platformIdentifierSystem(),
        types, documents.defaultType(), orderables, orders.passThrough().keySet(), billing.placeOfService(),
        billing.telehealthModifier(), fhir.chargeModifiers(), fhir.maxBundleEntries(), fhir.maxInlineAttachmentBytes(),
        fhir.idempotencyKeyHeader());
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  private static void require(List<String> problems, String value, String key) {
    if (blank(value)) {
      problems.add(key + " is required");
    }
  }

  private static void requireHd(List<String> problems, Hd hd, String key) {
    if (hd == null || blank(hd.namespaceId())) {
      problems.add(key + ".namespaceId is required");
    }
  }

  private static void requireAuthority(List<String> problems, Authority a, String key, boolean required) {
    if (a == null) {
      if (required) {
        problems.add(key + " is required");
      }
      return;
    }
    if (blank(a.namespaceId())) {
      problems.add(key + ".namespaceId is required");
    }
  }

  private static void requireCoded(List<String> problems, Coded c, String key) {
    if (c == null || blank(c.code())) {
      problems.add(key + ".code is required");
    }
  }

  // ------------------------------------------------------------------ lookups the builders use

  /**
   * The character set of this EHR's messages, both ways: what the builders write in MSH-18 and the
   * bridge encodes the ER7 text with, and what the listener decodes an inbound message with when its
   * MSH-18 is empty. MSH-18's charset ({@link Hl7Charsets}), or UTF-8 when the profile leaves MSH-18
   * empty. The builders refuse a message this charset cannot carry (e.g. a Vietnamese name for an
   * {@code 8859/1} EHR) rather than let the sender turn letters into {@code ?}.
   */
  public Charset charset() {
    return Hl7Charsets.forMsh18(characterSet).orElse(StandardCharsets.UTF_8);
  }

  /** MSH-11 for an environment name: {@code processingIds[environment]}, else {@code defaultProcessingId}. */
  public String processingId(String environment) {
    return environment == null ? defaultProcessingId : processingIds.getOrDefault(environment, defaultProcessingId);
  }

  /** The platform's patient id as a PID-3 identifier under the platform's assigning authority. */
  public Identifier platformIdentifier(String platformPatientId) {
    Authority a = authorities.platform();
    return new Identifier(platformPatientId, a.namespaceId(), a.typeCodeOr("PI"));
  }

  /** An EHR medical record number as a PID-3 identifier under the EHR's MRN authority. */
  public Identifier mrn(String value) {
    Authority a = authorities.ehrMrn();
    return new Identifier(value, a.namespaceId(), a.typeCodeOr("MR"));
  }

  /** The authority configured under this namespace id, if any (fills HD-2/HD-3 of CX-4). */
  Authority authorityNamed(String namespaceId) {
    if (namespaceId == null || authorities == null) {
      return null;
    }
    for (Authority a : authorities.all()) {
      if (a != null && namespaceId.equals(a.namespaceId())) {
        return a;
      }
    }
    return null;
  }

  // ------------------------------------------------------------------ parts

  /** An HL7 HD: namespace id, optional universal id and its type (e.g. an OID and {@code ISO}). */
  public record Hd(String namespaceId, String universalId, String universalIdType) {}

  /**
   * An assigning authority.
   *
   * @param typeCode HL7 table 0203 identifier type (MR, PI, PRN, NPI, ...), when it has one
   */
  public record Authority(String namespaceId, String universalId, String universalIdType, String typeCode) {
    String typeCodeOr(String fallback) {
      return typeCode == null || typeCode.isBlank() ? fallback : typeCode;
    }
  }

  /**
   * The assigning authorities.
   *
   * @param ehrMrn the EHR's medical record numbers (PID-3)
   * @param platform the platform's patient ids (PID-3)
   * @param placerAppointment EI-2.. of SCH-1 (platform appointment ids); may be null
   * @param fillerAppointment EI-2.. of SCH-2 (EHR appointment ids); may be null
   * @param provider XCN-9/13 of the EHR provider id in AIP-3; may be null
   * @param npi XCN-9/13 of the NPI in AIP-3; null means {@code NPI} for both
   * @param visit CX-4 of the platform visit id in PV1-19 (visit number); may be null
   * @param placerOrder EI-2.. of the platform order id in ORC-2 / OBR-2; may be null
   * @param document EI-2.. of the platform note id in TXA-12 / TXA-13; may be null
   */
  public record Authorities(
      Authority ehrMrn,
      Authority platform,
      Authority placerAppointment,
      Authority fillerAppointment,
      Authority provider,
      Authority npi,
      Authority visit,
      Authority placerOrder,
      Authority document) {
    List<Authority> all() {
      List<Authority> list = new ArrayList<>();
      for (Authority a : new Authority[] {ehrMrn, platform, placerAppointment, fillerAppointment, provider, npi, visit,
          placerOrder, document}) {
        if (a != null) {
          list.add(a);
        }
      }
      return list;
    }
  }

  /** Registration trigger: ADT^A04 (register an outpatient) or ADT^A28 (add person). */
  public enum RegistrationEvent { A04, A28 }

  /** Demographics update trigger: ADT^A08 (update patient) or ADT^A31 (update person). */
  public enum UpdateEvent { A08, A31 }

  /** A detail change without a time change (e.g. another provider): SIU^S14, or S13 for EHRs without S14. */
  public enum DetailChangeEvent { S14, S13 }

  /** Which trigger events to send; each null means the first constant (A04, A08, S14). */
  public record Variants(RegistrationEvent registration, UpdateEvent update, DetailChangeEvent detailChange) {
    public Variants {
      registration = registration == null ? RegistrationEvent.A04 : registration;
      update = update == null ? UpdateEvent.A08 : update;
      detailChange = detailChange == null ? DetailChangeEvent.S14 : detailChange;
    }
  }

  /** Where the appointment's start/end go: SCH-11 (TQ, deprecated in 2.5 but what many EHRs read), a TQ1 segment, or both. */
  public enum Timing { SCH11, TQ1, BOTH }

  /**
   * Which optional SIU segments to send; each null means the default in brackets.
   *
   * @param timing SCH-11 or TQ1 [SCH11]
   * @param pv1 PV1 in the patient group of SIU messages [true]
   * @param ais AIS: the service (visit type) [true]
   * @param ail AIL: the virtual location [true]
   * @param aip AIP: the provider [true]
   * @param notes NTE after SCH with the patient's visit reason and the cancellation reason [true]
   */
  public record Segments(Timing timing, Boolean pv1, Boolean ais, Boolean ail, Boolean aip, Boolean notes) {
    public Segments {
      timing = timing == null ? Timing.SCH11 : timing;
      pv1 = pv1 == null || pv1;
      ais = ais == null || ais;
      ail = ail == null || ail;
      aip = aip == null || aip;
      notes = notes == null || notes;
    }
  }

  /** A code with its text and coding system (CE-1, CE-2, CE-3). */
  public record Coded(String code, String text, String system) {}

  /**
   * The codes of one platform visit type.
   *
   * @param reason SCH-7 appointment reason (e.g. HL7 table 0276: ROUTINE, FOLLOWUP, WALKIN)
   * @param type SCH-8 appointment type (the EHR's telehealth visit type)
   * @param service AIS-3 universal service identifier; null means the SCH-8 type (per modality)
   * @param typeByModality SCH-8 override per modality ({@code video}, {@code phone})
   */
  public record VisitTypeCodes(Coded reason, Coded type, Coded service, Map<String, Coded> typeByModality) {
    public VisitTypeCodes {
      typeByModality = typeByModality == null ? Map.of() : Map.copyOf(typeByModality);
    }

    /** SCH-8 for a modality. */
    public Coded typeFor(String modality) {
      Coded c = modality == null ? null : typeByModality.get(modality);
      return c == null ? type : c;
    }

    /** AIS-3 for a modality: {@code service}, else SCH-8's code for that modality. */
    public Coded serviceFor(String modality) {
      return service == null ? typeFor(modality) : service;
    }
  }

  /** What to do with a provider that {@code providers.ids} does not map. */
  public enum UnmappedProvider {
    /** Refuse the event (it goes to the DLQ with the provider id; add the mapping and redrive). */
    REJECT,
    /** Send the NPI as the only AIP-3 repetition (for EHRs that resolve providers by NPI). */
    NPI_ONLY
  }

  /**
   * Provider mapping.
   *
   * @param ids platform provider id → EHR provider id
   * @param unmapped what to do when a provider is not in {@code ids} [REJECT]
   * @param role AIP-4 resource type / role, e.g. {@code ATTENDING}; null leaves it empty
   */
  public record Providers(Map<String, String> ids, UnmappedProvider unmapped, Coded role) {
    public Providers {
      ids = ids == null ? Map.of() : Map.copyOf(ids);
      unmapped = unmapped == null ? UnmappedProvider.REJECT : unmapped;
    }
  }

  /**
   * The virtual location of telehealth visits (PL), e.g. {@code TELEHEALTH^^^MAIN_CLINIC}.
   *
   * @param type AIL-4 location type, may be null
   */
  public record Location(String pointOfCare, String room, String bed, Hd facility, String description, Coded type) {}

  /** XTN-2 use code (table 0201: PRN, ORN, WPN, ...) and XTN-3 equipment type (table 0202: PH, CP, ...). */
  public record PhoneUse(String use, String equipment) {}

  // ------------------------------------------------------------------ visit flows (note, orders, charges)

  /**
   * PV1 of the visit messages.
   *
   * @param patientClass PV1-2, HL7 table 0004 [O: outpatient]
   */
  public record Encounter(String patientClass) {
    public Encounter {
      patientClass = patientClass == null ? "O" : patientClass;
    }
  }

  /** How a note's text goes in OBX: one TX line per paragraph, or one FT value with {@code \.br\} breaks. */
  public enum NoteFormat { TX, FT }

  /** The trigger of an amended note: MDM^T08 (edit, same document number) or T10 (replace: new number, TXA-13 parent). */
  public enum AmendmentEvent { T08, T10 }

  /**
   * One platform note type in the EHR.
   *
   * @param code TXA-2 document type (HL7 table 0270, user-extensible: PR progress note, CN consult, ...)
   * @param observation OBX-3 of the note's content, e.g. LOINC {@code 11506-3^Progress note^LN}
   */
  public record DocumentType(String code, Coded observation) {}

  /**
   * Notes → MDM; each null means the default in brackets.
   *
   * @param types platform note type → document type [progress_note → PR, 11506-3; consult_note → CN, 11488-4]
   * @param defaultType the {@code types} key for an unmapped note type; null refuses the event [null]
   * @param format TX lines or one FT value [TX]
   * @param amendment T08 or T10 [T08]
   * @param completionStatus TXA-17 of a signed note: AU authenticated, LA legally authenticated, DO documented [AU]
   */
  public record Documents(Map<String, DocumentType> types, String defaultType, NoteFormat format,
      AmendmentEvent amendment, String completionStatus) {
    public Documents {
      types = types == null
          ? Map.of(
              "progress_note", new DocumentType("PR", new Coded("11506-3", "Progress note", "LN")),
              "consult_note", new DocumentType("CN", new Coded("11488-4", "Consult note", "LN")))
          : Map.copyOf(types);
      format = format == null ? NoteFormat.TX : format;
      amendment = amendment == null ? AmendmentEvent.T08 : amendment;
      completionStatus = completionStatus == null ? "AU" : completionStatus;
    }

    /** The document type of a platform note type, or null when neither it nor {@code defaultType} is mapped. */
    public DocumentType typeOf(String noteType) {
      DocumentType t = noteType == null ? null : types.get(noteType);
      return t == null && defaultType != null ? types.get(defaultType) : t;
    }
  }

  /** The order message: ORM^O01 (general order) or OML^O21 (laboratory order). */
  public enum OrderMessage { ORM_O01, OML_O21 }

  /**
   * Orders → ORM/OML; each null means the default in brackets.
   *
   * @param message ORM_O01 or OML_O21 [ORM_O01]
   * @param codes {@code <system URI>|<code>} → OBR-4 (the EHR's orderable, or the standard code with its HL7
   *     coding system name) [none]
   * @param passThrough system URI → HL7 coding system name (e.g. {@code http://loinc.org: LN}): codes of
   *     these systems not in {@code codes} go to OBR-4 unchanged [none: every code must be in {@code codes}]
   */
  public record Orders(OrderMessage message, Map<String, Coded> codes, Map<String, String> passThrough) {
    public Orders {
      message = message == null ? OrderMessage.ORM_O01 : message;
      codes = codes == null ? Map.of() : Map.copyOf(codes);
      passThrough = passThrough == null ? Map.of() : Map.copyOf(passThrough);
    }

    /** OBR-4 for a platform code, or null when the profile maps neither the code nor its system. */
    public Coded codeFor(String system, String code, String display) {
      Coded mapped = codes.get(system + "|" + code);
      if (mapped != null) {
        return mapped;
      }
      String hl7System = passThrough.get(system);
      return hl7System == null ? null : new Coded(code, display, hl7System);
    }
  }

  /** How a reversed charge is sent: FT1-6 {@code CD} (credit) with the units, or FT1-6 {@code CG} with negative units. */
  public enum ChargeReversal { CREDIT, NEGATIVE }

  /**
   * Charges → DFT^P03; each null means the default in brackets.
   *
   * @param reversal CREDIT or NEGATIVE [CREDIT]
   * @param placeOfService platform place of service → FT1-16.1; a code not in the map is refused [02 → 02, 10 → 10]
   * @param telehealthModifier a modifier added (last) to every charge line that lacks it, e.g. {@code 95} or
   *     {@code GT} for payers that want one; null adds nothing [null]
   */
  public record Billing(ChargeReversal reversal, Map<String, String> placeOfService, String telehealthModifier) {
    public Billing {
      reversal = reversal == null ? ChargeReversal.CREDIT : reversal;
      placeOfService = placeOfService == null ? Map.of("02", "02", "10", "10") : Map.copyOf(placeOfService);
    }
  }

  // ------------------------------------------------------------------ the visit over FHIR R4

  /** Where the visit events ({@code visit.*}) go: MDM/ORM/DFT only, FHIR R4 resources instead, or both. */
  public enum VisitRecord { HL7V2, FHIR, BOTH }

  /** HL7 coding system names (CE-3) every profile may use, as FHIR system URIs. */
  public static final Map<String, String> KNOWN_CODE_SYSTEMS = Map.of(
      "LN", "http://loinc.org",
      "C4", "http://www.ama-assn.org/go/cpt",
      "CPT", "http://www.ama-assn.org/go/cpt",
      "I10", "http://hl7.org/fhir/sid/icd-10-cm",
      "I10C", "http://hl7.org/fhir/sid/icd-10-cm",
      "SCT", "http://snomed.info/sct");

  /**
   * The visit into the record over FHIR R4 (shared/fhir); each null means the default in brackets.
   *
   * @param visitRecord hl7v2, fhir or both [hl7v2]
   * @param patientIdentifierSystem the FHIR identifier system of the EHR's MRN (the Patient is found by it);
   *     required unless hl7v2
   * @param platformIdentifierSystem the FHIR system the EHR keeps the platform patient id under, to find the
   *     Patient by when no MRN is known [none: by MRN only]
   * @param codeSystems HL7 coding system name (CE-3, e.g. the EHR's {@code EPIC}) → FHIR system URI, beside
   *     {@link #KNOWN_CODE_SYSTEMS} [none]
   * @param chargeModifiers extension or coding [extension]
   * @param maxBundleEntries the server's transaction entry limit [100; HealthLake takes 160]
   * @param maxInlineAttachmentBytes a note larger than this goes as a Binary [65536]
   * @param idempotencyKeyHeader send {@code x-amz-fhir-idempotency-key} (HealthLake) [false]
   */
  public record Fhir(VisitRecord visitRecord, String patientIdentifierSystem, String platformIdentifierSystem,
      Map<String, String> codeSystems, io.telebridge.core.context.VisitRecordProfile.ModifierStyle chargeModifiers,
      Integer maxBundleEntries, Integer maxInlineAttachmentBytes, Boolean idempotencyKeyHeader) {
    public Fhir {
      visitRecord = visitRecord == null ? VisitRecord.HL7V2 : visitRecord;
      codeSystems = codeSystems == null ? Map.of() : Map.copyOf(codeSystems);
      chargeModifiers = chargeModifiers == null ? io.telebridge.core.context.VisitRecordProfile.ModifierStyle.EXTENSION
          : chargeModifiers;
      maxBundleEntries = maxBundleEntries == null ? 100 : maxBundleEntries;
      maxInlineAttachmentBytes = maxInlineAttachmentBytes == null ? 65_536 : maxInlineAttachmentBytes;
      idempotencyKeyHeader = idempotencyKeyHeader != null && idempotencyKeyHeader;
    }

    /** Whether the visit events go over FHIR R4 (alone or besides HL7 v2). */
    public boolean writesFhir() {
      return visitRecord != VisitRecord.HL7V2;
    }

    /** Whether the visit events still go as MDM/ORM/DFT. */
    public boolean writesHl7() {
      return visitRecord != VisitRecord.FHIR;
    }

    /** A CE-3 coding system name as a FHIR URI ({@code codeSystems}, then the known ones); a URI stays itself. */
    public String systemUri(String hl7System) {
      if (hl7System == null) {
        return null;
      }
      String uri = codeSystems.get(hl7System);
      if (uri == null) {
        uri = KNOWN_CODE_SYSTEMS.get(hl7System);
      }
      return uri != null ? uri : hl7System.contains(":") ? hl7System : null;
    }
  }
}
