package io.telebridge.local.template;

/** The template cannot be read or resolved locally; the message says which part and why. */
public class TemplateException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public TemplateException(String message) {
    super(message);
  }

  public TemplateException(String message, Throwable cause) {
    super(message, cause);
  }
}
