package io.telebridge.fhir;

import ca.uhn.fhir.rest.client.api.IClientInterceptor;
import ca.uhn.fhir.rest.client.api.IHttpRequest;
import ca.uhn.fhir.rest.client.api.IHttpResponse;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts the HTTP requests of one read or write (retries included): registered on that call's own client. */
final class RequestCounter implements IClientInterceptor {

  final AtomicInteger count = new AtomicInteger();

  @Override
  public void interceptRequest(IHttpRequest request) {
    count.incrementAndGet();
  }

  @Override
  public void interceptResponse(IHttpResponse response) {}
}
