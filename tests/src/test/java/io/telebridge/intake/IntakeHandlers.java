package io.telebridge.intake;

import io.telebridge.core.intake.AcceptWebhook;

/** Test access to the intake handler's collaborator constructor, for tests in other packages. */
public final class IntakeHandlers {

  private IntakeHandlers() {}

  public static IntakeHandler of(AcceptWebhook acceptWebhook) {
    return new IntakeHandler(acceptWebhook);
  }
}
