package io.telebridge.core.fromehr;

/** Which system a field's last value came from. */
public enum ChangeSource { EHR, PLATFORM }
