package io.telebridge.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;

/**
 * The process's one R4 {@link FhirContext} (expensive: it scans the model classes), built on first
 * use. Its client factory never asks the server for {@code /metadata} before a call (that costs a
 * round trip and, on HAPI's JPA server, seconds), and waits at most 10 s to connect and 30 s for a
 * response.
 */
public final class FhirContexts {

  private FhirContexts() {}

  private static final class Holder {
    static final FhirContext R4 = build();
  }

  public static FhirContext r4() {
    return Holder.R4;
  }

  private static FhirContext build() {
    FhirContext ctx = FhirContext.forR4();
    ctx.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
    ctx.getRestfulClientFactory().setConnectTimeout(10_000);
    ctx.getRestfulClientFactory().setSocketTimeout(30_000);
    return ctx;
  }
}
