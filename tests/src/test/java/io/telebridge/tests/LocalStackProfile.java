package io.telebridge.tests;

import io.telebridge.local.LocalStackOptions;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * Issue 13 §6, the opt-in {@code -Plocalstack} profile ({@code ./tb test -Plocalstack}, or the
 * environment variable {@code TELEBRIDGE_LOCALSTACK=1}): the integration suite's AWS side on
 * LocalStack (Testcontainers) instead of ElasticMQ and moto.
 *
 * <p>Registered through {@code META-INF/services} and loaded only when the profile turns on JUnit's
 * extension auto-detection and sets {@code telebridge.localstack=true}: without the profile it is
 * never loaded. With it: where a Docker engine answers, one LocalStack container is started for the
 * whole suite and every test stack ({@link LocalStackOptions#forTests}) sends SQS, DynamoDB,
 * Secrets Manager, S3 and Scheduler calls to it (each stack with a name of its own); where none
 * answers, every integration test is skipped with the reason. Tests that start a moto server of
 * their own (the moto-specific ones) keep it.
 */
public final class LocalStackProfile implements ExecutionCondition {

  static final String ENABLED_PROPERTY = "telebridge.localstack";
  static final String IMAGE_PROPERTY = "telebridge.localstack.image";
  static final String DEFAULT_IMAGE = "localstack/localstack:4.4";

  private static final Object LOCK = new Object();
  private static volatile ConditionEvaluationResult decision;
  private static LocalStackContainer container;

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    if (!Boolean.getBoolean(ENABLED_PROPERTY)) {
      return ConditionEvaluationResult.enabled("the LocalStack profile is off");
    }
    ConditionEvaluationResult d = decision;
    if (d == null) {
      synchronized (LOCK) {
        if (decision == null) {
          decision = start();
          System.err.println("[-Plocalstack] " + decision.getReason().orElse(""));
        }
        d = decision;
      }
    }
    return d;
  }

  private static ConditionEvaluationResult start() {
    boolean docker;
    try {
      docker = DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      docker = false;
    }
    if (!docker) {
      return ConditionEvaluationResult.disabled("-Plocalstack: no Docker engine found (Testcontainers looked at"
          + " DOCKER_HOST, the socket and its config), so the integration suite was NOT run against LocalStack;"
          + " run it where Docker is available, or without -Plocalstack for ElasticMQ and moto");
    }
    String image = System.getProperty(IMAGE_PROPERTY, DEFAULT_IMAGE);
    container = new LocalStackContainer(DockerImageName.parse(image))
        .withEnv("SERVICES", "sqs,dynamodb,secretsmanager,s3,scheduler");
    container.start();
    String endpoint = container.getEndpoint().toString();
    System.setProperty(LocalStackOptions.TEST_AWS_ENDPOINT_PROPERTY, endpoint);
    Runtime.getRuntime().addShutdownHook(new Thread(container::stop, "localstack-stop"));
    return ConditionEvaluationResult.enabled("-Plocalstack: " + image + " at " + endpoint
        + " serves SQS, DynamoDB, Secrets Manager, S3 and Scheduler for every test stack");
  }
}
