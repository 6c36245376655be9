package io.telebridge.core.fromehr;

import java.time.Instant;

/**
 * A field's last value, where it came from and when that change happened (EHR: MSH-7; platform: the
 * webhook's {@code occurredAt}). Values are canonical strings: time {@code <start>/<end>} (ISO
 * offset date-times), provider {@code npi:<NPI>} or {@code id:<EHR id>}, status the platform's word.
 */
public record FieldState(String value, ChangeSource source, Instant at) {}
