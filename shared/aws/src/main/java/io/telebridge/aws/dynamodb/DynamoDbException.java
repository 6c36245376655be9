package io.telebridge.aws.dynamodb;

/**
 * An error answer of DynamoDB: its code (the {@code __type} after '#', e.g. {@code ValidationException}) and
 * HTTP status. The message names the operation, the code and the status only; DynamoDB's own message is
 * kept apart ({@link #awsMessage()}) and never in {@link #getMessage()}: it can echo request content.
 */
public class DynamoDbException extends RuntimeException {

  private final String code;
  private final int status;
  private final String awsMessage;

  public DynamoDbException(String operation, String code, int status, String awsMessage) {
    super("DynamoDB " + operation + ": " + code + " (" + status + ")");
    this.code = code;
    this.status = status;
    this.awsMessage = awsMessage;
  }

  /** The error code, e.g. {@code ConditionalCheckFailedException}, {@code AccessDeniedException}. */
  public String code() {
    return code;
  }

  public int statusCode() {
    return status;
  }

  /** DynamoDB's message; may echo request content: do not log it. */
  public String awsMessage() {
    return awsMessage;
  }
}
