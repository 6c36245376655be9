package io.telebridge.hl7v2;

import io.telebridge.hl7v2.EhrHl7Parts.Authority;
import io.telebridge.hl7v2.EhrHl7Parts.Coded;
import io.telebridge.hl7v2.EhrHl7Parts.Hd;
import io.telebridge.hl7v2.EhrFhirParts.VisitRecord;
import io.telebridge.core.context.FhirSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The checks of an {@link EhrProfile} (what the builders rely on), split from the profile so that the
 * record stays its shape and its loading: every problem is collected and named by its key, so one
 * failed load says all that is wrong.
 */
final class EhrProfileChecks {

  private EhrProfileChecks() {}

  /** Every problem of the profile, by key; empty when it is good. */
  static List<String> problems(EhrProfile p) {
    List<String> problems = new ArrayList<>();
    require(problems, p.id(), "id");
    if (p.maxMessageBytes() < 1024 || p.maxMessageBytes() > (64 << 20)) {
      problems.add("maxMessageBytes must be within 1024..67108864");
    }
    requireHd(problems, p.sendingApplication(), "sendingApplication");
    requireHd(problems, p.sendingFacility(), "sendingFacility");
    requireHd(problems, p.receivingApplication(), "receivingApplication");
    requireHd(problems, p.receivingFacility(), "receivingFacility");
    if (p.messageTimeZone() == null) {
      problems.add("messageTimeZone is required");
    }
    if (!List.of("P", "T", "D").contains(p.defaultProcessingId())) {
      problems.add("defaultProcessingId must be P, T or D");
    }
    p.processingIds().forEach((env, pid) -> {
      if (!List.of("P", "T", "D").contains(pid)) {
        problems.add("processingIds." + env + " must be P, T or D");
      }
    });
    if (p.authorities() == null) {
      problems.add("authorities is required");
    } else {
      requireAuthority(problems, p.authorities().ehrMrn(), "authorities.ehrMrn", true);
      requireAuthority(problems, p.authorities().platform(), "authorities.platform", true);
      requireAuthority(problems, p.authorities().placerAppointment(), "authorities.placerAppointment", false);
      requireAuthority(problems, p.authorities().fillerAppointment(), "authorities.fillerAppointment", false);
      requireAuthority(problems, p.authorities().provider(), "authorities.provider", false);
      requireAuthority(problems, p.authorities().npi(), "authorities.npi", false);
    }
    if (p.visitTypes().isEmpty()) {
      problems.add("visitTypes must map at least one visit type");
    }
    p.visitTypes().forEach((type, codes) -> {
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
    if (p.defaultVisitType() != null && !p.visitTypes().containsKey(p.defaultVisitType())) {
      problems.add("defaultVisitType must be a key of visitTypes");
    }
    for (String reason : EhrProfile.REQUIRED_EVENT_REASONS) {
      requireCoded(problems, p.eventReasons().get(reason), "eventReasons." + reason);
    }
    if (p.providers().role() != null) {
      requireCoded(problems, p.providers().role(), "providers.role");
    }
    if (p.segments().ail() && p.virtualLocation() == null) {
      problems.add("virtualLocation is required when segments.ail is true");
    }
    if (p.virtualLocation() != null && blank(p.virtualLocation().pointOfCare())) {
      problems.add("virtualLocation.pointOfCare is required");
    }
    p.phoneUses().forEach((use, code) -> {
      if (code == null || blank(code.use())) {
        problems.add("phoneUses." + use + ".use is required");
      }
    });
    requireCoded(problems, p.durationUnits(), "durationUnits");
    validateVisitFlows(p, problems);
    validateFhir(p, problems);
    if (!Hl7Charsets.known(p.characterSet())) {
      problems.add("characterSet must be an HL7 table 0211 value telebridge knows: " + String.join(", ", Hl7Charsets.names()));
    }
    return problems;
  }

  private static void validateVisitFlows(EhrProfile p, List<String> problems) {
    if (p.authorities() != null) {
      requireAuthority(problems, p.authorities().visit(), "authorities.visit", false);
      requireAuthority(problems, p.authorities().placerOrder(), "authorities.placerOrder", false);
      requireAuthority(problems, p.authorities().document(), "authorities.document", false);
    }
    if (!List.of("O", "E", "I", "P", "R", "B", "N").contains(p.encounter().patientClass())) {
      problems.add("encounter.patientClass must be an HL7 table 0004 code (O, E, I, P, R, B, N)");
    }
    p.documents().types().forEach((type, codes) -> {
      if (codes == null || blank(codes.code())) {
        problems.add("documents.types." + type + ".code is required");
      } else {
        requireCoded(problems, codes.observation(), "documents.types." + type + ".observation");
      }
    });
    if (p.documents().defaultType() != null && !p.documents().types().containsKey(p.documents().defaultType())) {
      problems.add("documents.defaultType must be a key of documents.types");
    }
    if (!List.of("AU", "LA", "DO").contains(p.documents().completionStatus())) {
      problems.add("documents.completionStatus must be AU, LA or DO (HL7 table 0271)");
    }
    p.orders().codes().forEach((key, coded) -> {
      if (key.indexOf('|') <= 0 || key.endsWith("|")) {
        problems.add("orders.codes key " + key + " must be <system URI>|<code>");
      }
      requireCoded(problems, coded, "orders.codes." + key);
    });
    p.orders().passThrough().forEach((system, name) -> {
      if (blank(name)) {
        problems.add("orders.passThrough." + system + " needs the HL7 coding system name (e.g. LN)");
      }
    });
    p.billing().placeOfService().forEach((pos, code) -> {
      if (blank(code)) {
        problems.add("billing.placeOfService." + pos + " is empty");
      }
    });
    if (p.billing().telehealthModifier() != null && !p.billing().telehealthModifier().matches("[0-9A-Z]{2}")) {
      problems.add("billing.telehealthModifier must be a two-character CPT/HCPCS modifier");
    }
  }

  /** The profile's {@code fhir.source} as a {@link FhirSource} (its own MRN system and authority). */
  static FhirSource source(EhrFhirParts.Source s, String mrnSystem, String mrnAuthority) {
    FhirSource.Auth auth = FhirSource.Auth.parse(s.auth());
    FhirSource.Smart smart = null;
    if (s.smart() != null) {
      EhrFhirParts.SmartClient c = s.smart();
      String v = c.scopes() == null ? "v2" : c.scopes().trim().toLowerCase(Locale.ROOT);
      FhirSource.ScopeVersion version = switch (v) {
        case "v2" -> FhirSource.ScopeVersion.V2;
        case "v1" -> FhirSource.ScopeVersion.V1;
        default -> throw new IllegalArgumentException("smart.scopes must be v2 or v1, not " + c.scopes());
      };
      smart = new FhirSource.Smart(c.clientId(), c.tokenUrl(), c.keySecretArn(), version, c.readScopes(),
          c.writeScopes());
    }
    return new FhirSource(s.baseUrl(), auth, smart, s.pageSize() == null ? FhirSource.MAX_PAGE_SIZE : s.pageSize(),
        blank(mrnSystem) ? "" : mrnSystem, mrnAuthority);
  }

  private static void validateFhir(EhrProfile p, List<String> problems) {
    if (p.fhir().source() != null) {
      if (blank(p.fhir().patientIdentifierSystem())) {
        problems.add("fhir.patientIdentifierSystem (the FHIR system of the MRN) is required with fhir.source");
      }
      try {
        source(p.fhir().source(), blank(p.fhir().patientIdentifierSystem()) ? "urn:unset" : p.fhir().patientIdentifierSystem(),
            p.authorities() == null || p.authorities().ehrMrn() == null ? null : p.authorities().ehrMrn().namespaceId());
      } catch (IllegalArgumentException e) {
        problems.add("fhir.source: " + e.getMessage().replace("FHIR source invalid: ", ""));
      }
    }
    if (p.fhir().visitRecord() == VisitRecord.HL7V2) {
      return;
    }
    if (blank(p.fhir().patientIdentifierSystem())) {
      problems.add("fhir.patientIdentifierSystem (the FHIR system of the MRN) is required when fhir.visitRecord is "
          + p.fhir().visitRecord().name().toLowerCase(Locale.ROOT));
    }
    p.documents().types().forEach((type, codes) -> {
      if (codes != null && codes.observation() != null && p.fhir().systemUri(codes.observation().system()) == null) {
        problems.add("fhir.codeSystems needs a URI for " + codes.observation().system() + " (documents.types." + type + ")");
      }
    });
    p.orders().codes().forEach((key, coded) -> {
      if (coded != null && p.fhir().systemUri(coded.system()) == null) {
        problems.add("fhir.codeSystems needs a URI for " + coded.system() + " (orders.codes." + key + ")");
      }
    });
    if (p.fhir().maxBundleEntries() < 2) {
      problems.add("fhir.maxBundleEntries must be at least 2");
    }
    if (p.fhir().maxInlineAttachmentBytes() < 0) {
      problems.add("fhir.maxInlineAttachmentBytes must not be negative");
    }
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
}
