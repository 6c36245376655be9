package io.telebridge.core.intake;

/**
 * A webhook call as the intake edge received it: the headers that matter and the raw body bytes
 * (the signature covers the exact bytes). The body holds patient data, so {@code toString} shows
 * its length only.
 */
public record WebhookRequest(String contentType, String timestamp, String signature, byte[] body) {

  public WebhookRequest {
    body = body == null ? new byte[0] : body;
  }

  @Override
  public String toString() {
    return "WebhookRequest[contentType=" + contentType + ", timestamp=" + timestamp
        + ", signature=" + (signature == null ? "none" : "present") + ", body=" + body.length + " bytes]";
  }
}
