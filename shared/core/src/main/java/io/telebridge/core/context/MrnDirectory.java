package io.telebridge.core.context;

import io.telebridge.core.model.Identifier;
import java.util.Optional;

/** Port: the EHR MRN the identity index links to a platform patient (of the tenant). */
public interface MrnDirectory {

  Optional<Identifier> mrnOf(String tenant, String platformPatientId);
}
