package io.telebridge.core.toehr;

import io.telebridge.core.identity.Resolution;
import io.telebridge.core.model.PlatformEvent;
import java.util.List;

/** Port: builds the EHR messages for one event (HL7 v2 builders in shared/hl7v2). */
public interface EhrMessageFactory {

  /**
   * @return the messages in the order the EHR must receive them (registration first)
   * @throws io.telebridge.core.error.RejectedException when the event cannot be expressed for this EHR
   */
  List<OutboundMessage> messagesFor(PlatformEvent event, Resolution patient);
}
