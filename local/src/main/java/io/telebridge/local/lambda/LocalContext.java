package io.telebridge.local.lambda;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;

/** The {@link Context} a locally invoked handler gets. */
final class LocalContext implements Context {

  private final String requestId;
  private final FunctionSpec spec;
  private final long deadlineNanos;
  private final LambdaLogger logger;
  private final String logStream;

  LocalContext(String requestId, FunctionSpec spec, long deadlineNanos, LambdaLogger logger, String logStream) {
    this.requestId = requestId;
    this.spec = spec;
    this.deadlineNanos = deadlineNanos;
    this.logger = logger;
    this.logStream = logStream;
  }

  @Override
  public String getAwsRequestId() {
    return requestId;
  }

  @Override
  public String getLogGroupName() {
    return spec.logGroupName();
  }

  @Override
  public String getLogStreamName() {
    return logStream;
  }

  @Override
  public String getFunctionName() {
    return spec.functionName();
  }

  @Override
  public String getFunctionVersion() {
    return "$LATEST";
  }

  @Override
  public String getInvokedFunctionArn() {
    return spec.arn();
  }

  @Override
  public CognitoIdentity getIdentity() {
    return null;
  }

  @Override
  public ClientContext getClientContext() {
    return null;
  }

  @Override
  public int getRemainingTimeInMillis() {
    long remaining = (deadlineNanos - System.nanoTime()) / 1_000_000;
    return (int) Math.max(0, Math.min(Integer.MAX_VALUE, remaining));
  }

  @Override
  public int getMemoryLimitInMB() {
    return spec.memoryMb();
  }

  @Override
  public LambdaLogger getLogger() {
    return logger;
  }
}
