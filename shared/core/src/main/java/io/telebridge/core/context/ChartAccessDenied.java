package io.telebridge.core.context;

import io.telebridge.core.error.RejectedException;

/**
 * The FHIR server or its authorization server refused the credentials (401/403, token refused):
 * retrying will not help until someone fixes the registration or role.
 */
public class ChartAccessDenied extends RejectedException {

  public ChartAccessDenied(String message) {
    super(message);
  }
}
