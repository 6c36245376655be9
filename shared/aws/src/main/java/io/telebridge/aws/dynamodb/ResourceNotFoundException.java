package io.telebridge.aws.dynamodb;

/** The table or index does not exist (or is not active yet). */
public final class ResourceNotFoundException extends DynamoDbException {

  public ResourceNotFoundException(String operation, int status, String awsMessage) {
    super(operation, "ResourceNotFoundException", status, awsMessage);
  }
}
