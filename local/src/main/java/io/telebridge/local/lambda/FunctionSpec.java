package io.telebridge.local.lambda;

import java.nio.file.Path;
import java.util.Map;

/**
 * One function of the template, resolved: what the local runner needs to load and invoke it.
 *
 * @param logicalId the template's logical id, e.g. {@code IntakeFunction}
 * @param functionName the Lambda function name ({@code FunctionName}, else {@code <stack>-<LogicalId>})
 * @param handler {@code package.Class::method} or {@code package.Class}
 * @param timeoutSeconds {@code Timeout} (Lambda's default 3)
 * @param memoryMb {@code MemorySize} (Lambda's default 128)
 * @param environment the environment the handler is given (template variables plus the local
 *     stack's AWS_* variables)
 * @param codeJar the jar {@code CodeUri} points at, if it is a jar file; used when the handler is
 *     not on the local stack's classpath
 */
public record FunctionSpec(
    String logicalId,
    String functionName,
    String handler,
    int timeoutSeconds,
    int memoryMb,
    Map<String, String> environment,
    Path codeJar) {

  public FunctionSpec {
    environment = Map.copyOf(environment);
  }

  public String handlerClassName() {
    int sep = handler.indexOf("::");
    return sep < 0 ? handler : handler.substring(0, sep);
  }

  public String handlerMethodName() {
    int sep = handler.indexOf("::");
    return sep < 0 ? "handleRequest" : handler.substring(sep + 2);
  }

  public String arn() {
    return "arn:aws:lambda:us-east-1:000000000000:function:" + functionName;
  }

  public String logGroupName() {
    return "/aws/lambda/" + functionName;
  }
}
