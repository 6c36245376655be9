package io.telebridge.local.aws;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ResourceExistsException;

/**
 * Development secrets in moto's Secrets Manager, for template parameters that name an external
 * secret ({@code *SecretArn}). Never logs secret values.
 */
public final class DevSecrets {

  private static final Logger LOG = LoggerFactory.getLogger(DevSecrets.class);

  private final SecretsManagerClient secrets;

  public DevSecrets(SecretsManagerClient secrets) {
    this.secrets = secrets;
  }

  /** Creates the secret, or gives an existing one this value; returns its ARN. */
  public String put(String name, String secretString) {
    String arn;
    try {
      arn = secrets.createSecret(b -> b.name(name)
          .description("telebridge local development secret (synthetic)")
          .secretString(secretString)).arn();
    } catch (ResourceExistsException e) {
      arn = secrets.putSecretValue(b -> b.secretId(name).secretString(secretString)).arn();
    }
    LOG.debug("development secret {} ready", name);
    return arn;
  }

  /** {@code WebhookSecretArn} -> {@code <stack>/WebhookSecret}. */
  public static String secretName(String stackName, String parameterName) {
    String base = parameterName.endsWith("Arn")
        ? parameterName.substring(0, parameterName.length() - 3)
        : parameterName;
    return stackName + "/" + base;
  }
}
