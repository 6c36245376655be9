package io.telebridge.core.fromehr;

import io.telebridge.core.identity.EhrPatient;

/** One HL7 v2 message from the EHR, read into the core model. */
public sealed interface FromEhrMessage permits ResultReport, EhrPatientEvent, EhrAppointmentEvent {

  MessageHeader header();

  /** The patient the message is about (PID). */
  EhrPatient patient();
}
