package io.telebridge.core.context;

import io.telebridge.core.config.EnvironmentReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where one EHR's FHIR R4 lives and how to get in, for both directions: the context reads (charts) and
 * the visit writes (Encounter, DocumentReference, …). Named by an EHR profile ({@code fhir.source}); a
 * profile that names none uses the deployment's default (template parameters {@code FhirBaseUrl},
 * {@code FhirAuth}, {@code FhirSmart*}, {@code FhirMrnSystem}: {@link #deploymentDefault}). Holds no
 * secret: a SMART key is named by its Secrets Manager ARN.
 *
 * @param baseUrl the FHIR R4 base URL (HealthLake {@code https://healthlake.<region>.amazonaws.com/datastore/<id>/r4/},
 *     or the EHR's FHIR API)
 * @param auth how requests are authenticated
 * @param smart the SMART Backend Services client, with {@link Auth#SMART}; else null
 * @param pageSize {@code _count} of list searches (HealthLake takes at most 100)
 * @param mrnSystem the FHIR identifier system of the EHR's MRNs (the Patient is found by it)
 * @param mrnAuthority the HL7 assigning authority of those MRNs in the identity index (PID-3.4), or null
 */
public record FhirSource(String baseUrl, Auth auth, Smart smart, int pageSize, String mrnSystem,
    String mrnAuthority) {

  /** HealthLake's search page limit. */
  public static final int MAX_PAGE_SIZE = 100;

  /** How requests reach the server. */
  public enum Auth {
    /** No credentials (a local or network-protected server). */
    NONE,
    /** AWS HealthLake: SigV4 (service {@code healthlake}) with the function role's credentials. */
    HEALTHLAKE,
    /** The EHR's FHIR API: SMART Backend Services (client_credentials, private_key_jwt). */
    SMART;

    /** {@code none}, {@code healthlake} (or {@code sigv4}, its former name for the writes), {@code smart}. */
    public static Auth parse(String value) {
      String v = value == null ? "none" : value.trim().toLowerCase(Locale.ROOT);
      return switch (v) {
        case "", "none" -> NONE;
        case "healthlake", "sigv4" -> HEALTHLAKE;
        case "smart" -> SMART;
        default -> throw new IllegalArgumentException("FHIR auth must be none, healthlake or smart, not " + value);
      };
    }
  }

  /** What a client asks the server for: the context's reads, or the visit's writes. */
  public enum Purpose { READ, WRITE }

  /** SMART scope grammar: v2 ({@code system/Patient.rs}, {@code .cu}) or v1 ({@code system/*.read}, {@code .write}). */
  public enum ScopeVersion { V2, V1 }

  /**
   * A SMART Backend Services client registered with the EHR.
   *
   * @param keySecretArn the Secrets Manager secret holding the private JWK (with its kid)
   * @param scopeVersion v2 or v1 scopes, when {@code readScopes} / {@code writeScopes} are not given
   * @param readScopes the scopes asked for the reads; null: the defaults of {@code scopeVersion}
   * @param writeScopes the scopes asked for the writes; null: the defaults of {@code scopeVersion}
   */
  public record Smart(String clientId, String tokenUrl, String keySecretArn, ScopeVersion scopeVersion,
      String readScopes, String writeScopes) {

    /** SMART v2 scopes for every resource the context reads. */
    public static final String READ_V2 = "system/Patient.rs system/Condition.rs system/MedicationRequest.rs "
        + "system/MedicationStatement.rs system/Medication.rs system/AllergyIntolerance.rs system/Observation.rs "
        + "system/DiagnosticReport.rs";
    /** SMART v2 scopes for the visit writes: find the Patient and the stored note versions, create and update. */
    public static final String WRITE_V2 = "system/Patient.rs system/DocumentReference.rs system/Encounter.cu "
        + "system/DocumentReference.cu system/ServiceRequest.cu system/ChargeItem.cu system/Binary.cu";
    public static final String READ_V1 = "system/*.read";
    public static final String WRITE_V1 = "system/*.read system/*.write";

    public Smart {
      scopeVersion = scopeVersion == null ? ScopeVersion.V2 : scopeVersion;
      readScopes = blankToNull(readScopes);
      writeScopes = blankToNull(writeScopes);
    }

    /** The scopes asked for a purpose. */
    public String scopes(Purpose purpose) {
      if (purpose == Purpose.READ) {
        return readScopes != null ? readScopes : scopeVersion == ScopeVersion.V1 ? READ_V1 : READ_V2;
      }
      return writeScopes != null ? writeScopes : scopeVersion == ScopeVersion.V1 ? WRITE_V1 : WRITE_V2;
    }

    List<String> problems(String where) {
      List<String> out = new ArrayList<>();
      if (blank(clientId)) {
        out.add(where + "clientId is required with auth smart");
      }
      if (blank(tokenUrl) || !(tokenUrl.startsWith("https://") || tokenUrl.startsWith("http://"))) {
        out.add(where + "tokenUrl (an http(s) URL) is required with auth smart");
      }
      if (blank(keySecretArn)) {
        out.add(where + "keySecretArn is required with auth smart (the key stays in Secrets Manager)");
      }
      return out;
    }
  }

  public FhirSource {
    baseUrl = baseUrl == null ? null : baseUrl.trim();
    auth = auth == null ? Auth.NONE : auth;
    pageSize = pageSize == 0 ? MAX_PAGE_SIZE : pageSize;
    List<String> problems = new ArrayList<>();
    if (blank(baseUrl) || !(baseUrl.startsWith("https://") || baseUrl.startsWith("http://"))) {
      problems.add("baseUrl (an http(s) URL) is required");
    }
    if (blank(mrnSystem)) {
      problems.add("the MRN identifier system is required");
    }
    if (pageSize < 1 || pageSize > MAX_PAGE_SIZE && auth == Auth.HEALTHLAKE) {
      problems.add("pageSize must be positive, and at most " + MAX_PAGE_SIZE + " for HealthLake (was " + pageSize + ")");
    }
    if (auth == Auth.SMART) {
      if (smart == null) {
        problems.add("smart (clientId, tokenUrl, keySecretArn) is required with auth smart");
      } else {
        problems.addAll(smart.problems("smart."));
      }
    } else {
      smart = null;
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("FHIR source invalid: " + String.join("; ", problems));
    }
    mrnAuthority = blankToNull(mrnAuthority);
  }

  /** {@code healthlake} or {@code ehr-fhir}: the context's provenance. */
  public String kind() {
    return auth == Auth.HEALTHLAKE ? "healthlake" : "ehr-fhir";
  }

  /** The same source with another MRN system and authority (an EHR profile's, on the deployment's default). */
  public FhirSource withMrn(String system, String authority) {
    return new FhirSource(baseUrl, auth, smart, pageSize, blank(system) ? mrnSystem : system,
        blank(authority) ? mrnAuthority : authority);
  }

  /**
   * The deployment's default source, for EHR profiles that name none:
   * <pre>
   *   FHIR_BASE_URL      the FHIR R4 base URL; empty: no default (such tenants have no FHIR source)
   *   FHIR_AUTH          none | healthlake | smart  [none]  (sigv4 is read as healthlake)
   *   FHIR_SMART_CLIENT_ID, FHIR_SMART_TOKEN_URL, FHIR_SMART_KEY_SECRET_ARN (the private JWK's secret),
   *   FHIR_SMART_SCOPES  v2 | v1 [v2], for smart
   *   FHIR_PAGE_SIZE     _count of list searches [100]
   *   FHIR_MRN_SYSTEM    the MRNs' identifier system (an EHR profile's fhir.patientIdentifierSystem wins)
   * </pre>
   * The MRNs' assigning authority is always the EHR profile's ({@code authorities.ehrMrn}).
   * Without {@code FHIR_MRN_SYSTEM} the default is usable only by profiles that say their MRN system: it is
   * then returned with a placeholder the profile replaces ({@link #withMrn}).
   *
   * @return the default, or null when FHIR_BASE_URL is empty
   */
  public static FhirSource deploymentDefault(String component, Map<String, String> env) {
    EnvironmentReader read = new EnvironmentReader(component, env);
    String base = read.optional("FHIR_BASE_URL", null);
    int pageSize = read.integer("FHIR_PAGE_SIZE", MAX_PAGE_SIZE);
    read.check();
    if (base == null) {
      return null;
    }
    try {
      Auth auth = Auth.parse(env.get("FHIR_AUTH"));
      String scopes = read.optional("FHIR_SMART_SCOPES", "v2").toLowerCase(Locale.ROOT);
      ScopeVersion version = switch (scopes) {
        case "v2" -> ScopeVersion.V2;
        case "v1" -> ScopeVersion.V1;
        default -> throw new IllegalArgumentException("FHIR_SMART_SCOPES must be v2 or v1, not " + scopes);
      };
      Smart smart = auth != Auth.SMART ? null : new Smart(read.optional("FHIR_SMART_CLIENT_ID", null),
          read.optional("FHIR_SMART_TOKEN_URL", null), read.optional("FHIR_SMART_KEY_SECRET_ARN", null), version,
          null, null);
      return new FhirSource(base, auth, smart, pageSize, read.optional("FHIR_MRN_SYSTEM", UNSET_MRN_SYSTEM), null);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(component + " misconfigured (FHIR_*): " + e.getMessage(), e);
    }
  }

  /** The MRN system of a default without FHIR_MRN_SYSTEM: a profile must say its own. */
  public static final String UNSET_MRN_SYSTEM = "urn:telebridge:unset-mrn-system";

  /** Whether the MRN system is known (not the placeholder of a default without FHIR_MRN_SYSTEM). */
  public boolean hasMrnSystem() {
    return !UNSET_MRN_SYSTEM.equals(mrnSystem);
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  private static String blankToNull(String s) {
    return blank(s) ? null : s.trim();
  }
}
