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
 * @param fhir whether the visit events go into the record over FHIR R4 (instead of or besides MDM/ORM/DFT), and how;
 *     where this EHR's FHIR source is (for the context reads and the visit writes)
 *
 * <p>Split along its seams (each under 400 lines): this file is the record, its loading and the lookups the
 * builders use; the checks are {@link EhrProfileChecks}; the parts are declared in {@link EhrHl7Parts},
 * {@link EhrVisitParts} and {@link EhrFhirParts}, which this record implements so that each part keeps its
 * name ({@code EhrProfile.Coded}, {@code EhrProfile.Fhir}, …).
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
    Fhir fhir) implements EhrHl7Parts, EhrVisitParts, EhrFhirParts {

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
    fhir = fhir == null ? new Fhir(null, null, null, null, null, null, null, null, null, null) : fhir;
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
   * by key ({@link EhrProfileChecks}). Called on load; call it yourself for a profile built in code.
   */
  public EhrProfile validate() {
    List<String> problems = EhrProfileChecks.problems(this);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("EHR profile " + (id == null ? "(no id)" : id) + " is invalid: " + String.join("; ", problems));
    }
    return this;
  }

  /**
   * This EHR's FHIR source, for the context reads and the visit writes: {@code fhir.source} when the profile
   * names one, else the deployment's default; either way with this profile's MRN system
   * ({@code fhir.patientIdentifierSystem}, when set) and MRN authority ({@code authorities.ehrMrn}).
   *
   * @param deploymentDefault the deployment's source (FHIR_BASE_URL, …), or null when it has none
   * @return the source, or null when neither the profile nor the deployment names one, or when the MRN
   *     system is known neither here nor in the default
   */
  public io.telebridge.core.context.FhirSource fhirSource(io.telebridge.core.context.FhirSource deploymentDefault) {
    String mrnSystem = fhir.patientIdentifierSystem();
    String mrnAuthority = authorities.ehrMrn().namespaceId();
    io.telebridge.core.context.FhirSource source;
    if (fhir.source() != null) {
      source = EhrProfileChecks.source(fhir.source(), mrnSystem, mrnAuthority);
    } else if (deploymentDefault != null) {
      source = deploymentDefault.withMrn(mrnSystem, mrnAuthority);
    } else {
      return null;
    }
    return source.hasMrnSystem() ? source : null;
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
        fhir.idempotencyKeyHeader()).withPatients(fhir.patients());
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
}
