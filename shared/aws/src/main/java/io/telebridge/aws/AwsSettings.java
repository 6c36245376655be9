package io.telebridge.aws;

import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * How to reach AWS (or the local stack), read once from a function's environment.
 *
 * <p>Endpoint overrides use the AWS SDK's own variable names: {@code AWS_ENDPOINT_URL} for every
 * service and {@code AWS_ENDPOINT_URL_<SERVICE>} (e.g. {@code AWS_ENDPOINT_URL_SQS}) for one. In
 * Lambda none is set and the SDK's regional endpoints apply. Explicit keys in the map (the local
 * stack passes {@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY}, a plain Lambda has them too)
 * are used as static credentials; otherwise (SnapStart functions get container credentials) the
 * SDK's default chain is used.
 */
public record AwsSettings(String region, Map<String, String> environment) {

  public static AwsSettings fromEnvironment(Map<String, String> env) {
    String region = Optional.ofNullable(env.get("AWS_REGION"))
        .or(() -> Optional.ofNullable(env.get("AWS_DEFAULT_REGION")))
        .orElse("us-east-1");
    return new AwsSettings(region, Map.copyOf(env));
  }

  /** The endpoint override for a service id such as {@code SQS}, {@code DYNAMODB}, {@code SECRETS_MANAGER}. */
  public Optional<URI> endpointFor(String serviceId) {
    String specific = environment.get("AWS_ENDPOINT_URL_" + serviceId.toUpperCase(Locale.ROOT));
    String any = environment.get("AWS_ENDPOINT_URL");
    String chosen = specific != null && !specific.isBlank() ? specific : any;
    return chosen == null || chosen.isBlank() ? Optional.empty() : Optional.of(URI.create(chosen));
  }

  public Optional<String[]> staticCredentials() {
    String key = environment.get("AWS_ACCESS_KEY_ID");
    String secret = environment.get("AWS_SECRET_ACCESS_KEY");
    if (key == null || key.isBlank() || secret == null || secret.isBlank()) {
      return Optional.empty();
    }
    return Optional.of(new String[] {key, secret, environment.get("AWS_SESSION_TOKEN")});
  }

  @Override
  public String toString() {
    return "AwsSettings[region=" + region + "]";
  }
}
