package io.telebridge.local;

import io.telebridge.local.fhir.DevSmartKey;
import io.telebridge.local.fhir.LocalFhir;
import io.telebridge.local.template.StackResolver;
import io.telebridge.local.template.Template;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The FHIR side of a {@link LocalStack}: the local FHIR server with its doors and Keycloak (started in the
 * background), and the template parameters that point the functions at it — or at {@code --fhir-url} — when
 * the template has them and nobody set them.
 */
final class FhirWiring {

  /** Template parameters the local stack sets to its FHIR doors when the template has them and nobody set them. */
  static final String BASE_URL_PARAMETER = "FhirBaseUrl";
  /** {@code none}, {@code healthlake} (SigV4) or {@code smart} (SMART Backend Services). */
  static final String AUTH_PARAMETER = "FhirAuth";
  static final String TOKEN_URL_PARAMETER = "FhirSmartTokenUrl";
  static final String CLIENT_ID_PARAMETER = "FhirSmartClientId";
  static final String SMART_KEY_PARAMETER = "FhirSmartKeySecretArn";
  static final String MRN_SYSTEM_PARAMETER = "FhirMrnSystem";

  private FhirWiring() {}

  /** Starts the FHIR server (it comes up in the background: ≈ 20 s to minutes); null with {@code --no-fhir}. */
  static LocalFhir start(LocalStackOptions options, Template template, Path dataDir) throws IOException {
    if (!options.runFhir()) {
      return null;
    }
    Path root = template.path().toAbsolutePath().getParent();
    return LocalFhir.start(new LocalFhir.Settings(root, options.host(), options.fhirPort(), dataDir,
        options.fhirUpstream(), options.keycloak(), options.keycloakPort(), List.of(LocalStack.localCredentials()),
        StackResolver.REGION, options.fhirStartTimeout()), System.out);
  }

  /**
   * The FHIR parameters nobody set: {@code --fhir-url} (read as {@code --fhir-auth} says) when given, else the
   * local server's doors when it runs — "HealthLake" (SigV4 with the local credentials every function has) by
   * default, the EHR door with SMART Backend Services when Keycloak runs, as in AWS; and the synthetic charts'
   * MRN system (the sample profiles say it too).
   */
  static void parameters(LocalStackOptions options, Template template, LocalFhir fhir, Map<String, String> overrides) {
    Map<String, String> defaults = new LinkedHashMap<>();
    if (options.fhirUrl() != null && template.parameters().containsKey(BASE_URL_PARAMETER)) {
      overrides.putIfAbsent(BASE_URL_PARAMETER, options.fhirUrl());
      overrides.putIfAbsent(AUTH_PARAMETER, options.fhirAuth());
    }
    if (fhir != null) {
      defaults.put(BASE_URL_PARAMETER, baseUrl(options, fhir));
      defaults.put(AUTH_PARAMETER, options.keycloak() ? "smart" : "healthlake");
      defaults.put(TOKEN_URL_PARAMETER, fhir.tokenUrl().toString());
      defaults.put(CLIENT_ID_PARAMETER, LocalFhir.CLIENT_ID);
    }
    defaults.put(MRN_SYSTEM_PARAMETER, LocalStackOptions.DEFAULT_FHIR_MRN_SYSTEM);
    defaults.forEach((k, v) -> {
      if (template.parameters().containsKey(k)) {
        overrides.putIfAbsent(k, v);
      }
    });
  }

  /** Whether the local server runs and the template wants a SMART client key secret nobody named. */
  static boolean needsSmartKeySecret(Template template, LocalFhir fhir, Map<String, String> overrides) {
    return fhir != null && template.parameters().containsKey(SMART_KEY_PARAMETER)
        && !overrides.containsKey(SMART_KEY_PARAMETER);
  }

  /** The SMART client key's secret value: the one given, else the development key the EHR door (and Keycloak) know. */
  static String smartKey(LocalStackOptions options, Path dataDir) throws IOException {
    String given = options.secretValues().get(SMART_KEY_PARAMETER);
    return given != null ? given : DevSmartKey.loadOrCreate(dataDir).toJSONString();
  }

  /** The doors' base URL the functions get: the EHR door with Keycloak, else "HealthLake"; null without a server. */
  static String baseUrl(LocalStackOptions options, LocalFhir fhir) {
    if (fhir == null) {
      return null;
    }
    return options.keycloak() ? fhir.ehrBaseUrl() : fhir.healthLakeBaseUrl();
  }
}
