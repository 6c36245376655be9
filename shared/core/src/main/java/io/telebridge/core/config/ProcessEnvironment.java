package io.telebridge.core.config;

import io.telebridge.core.log.JsonLines;
import java.util.Map;

/**
 * The one place a deployed process reads its environment: each Lambda function's no-arg constructor
 * (the one the Lambda runtime calls) and the bridge's main call this once at start, then hand the map
 * to their configuration record ({@link EnvironmentReader}). Tests and the local stack pass a map to
 * the same constructors instead, so nothing else reads the environment.
 */
public final class ProcessEnvironment {

  private ProcessEnvironment() {}

  /** For a Lambda function: JSON log lines on stdout, then the environment. */
  public static Map<String, String> forLambda() {
    JsonLines.install();
    return read();
  }

  /** The process environment, as given at start (immutable). */
  public static Map<String, String> read() {
    return System.getenv();
  }
}
