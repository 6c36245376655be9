package io.telebridge.local.lambda;

import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The handler's {@code context.getLogger()}: each call becomes one line on stderr, prefixed with
 * the function's logical id. What the handler logs is its own responsibility (no PHI).
 */
final class StderrLambdaLogger implements LambdaLogger {

  private final String prefix;
  private final PrintStream out;

  StderrLambdaLogger(String logicalId, PrintStream out) {
    this.prefix = "[" + logicalId + "] ";
    this.out = out;
  }

  @Override
  public void log(String message) {
    String text = message == null ? "null" : message;
    if (text.endsWith("\n")) {
      text = text.substring(0, text.length() - 1);
    }
    out.println(prefix + text);
  }

  @Override
  public void log(byte[] message) {
    log(message == null ? "null" : new String(message, StandardCharsets.UTF_8));
  }
}
