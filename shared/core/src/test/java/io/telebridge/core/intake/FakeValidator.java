package io.telebridge.core.intake;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Test fake of the schema port: bodies look like {@code {"id":"..","patient":"..","type":".."}}
 * (tenant {@code acme} unless a trailing {@code "tenant":".."} names another);
 * anything else is invalid. The real schema validator is tested in functions/intake.
 */
final class FakeValidator implements EventValidator {

  private static final Pattern SHAPE =
      Pattern.compile("\\{\"id\":\"([^\"]+)\",\"patient\":\"([^\"]+)\",\"type\":\"([^\"]+)\"(,.*)?}");

  private static final Pattern TENANT = Pattern.compile("\"tenant\":\"([^\"]+)\"");

  @Override
  public ValidatedEvent validate(byte[] body) {
    Matcher m = SHAPE.matcher(new String(body, StandardCharsets.UTF_8));
    if (!m.matches()) {
      throw new InvalidEventException("invalid", List.of(new InvalidField("/id", "is required"),
          new InvalidField("/patient", "is required")));
    }
    Matcher tenant = TENANT.matcher(m.group(4) == null ? "" : m.group(4));
    return new ValidatedEvent(m.group(1), m.group(3), tenant.find() ? tenant.group(1) : "acme", m.group(2), Instant.EPOCH);
  }
}
