package io.telebridge.hl7v2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ControlIdsTest {

  @Test
  void isTheSameForTheSameEventAndMessage() {
    assertEquals(ControlIds.of("demo-clinic", "evt-0003-booked", "SIU^S12"), ControlIds.of("demo-clinic", "evt-0003-booked", "SIU^S12"));
  }

  @Test
  void isPinnedSoThatAChangeOfAlgorithmIsNoticed() {
    // a new algorithm would give every redelivered event a new id: change it only on purpose
    assertEquals("P37UCOBN3QPVJFU2EZXU", ControlIds.of("demo-clinic", "evt-0003-booked", "SIU^S12"));
  }

  @Test
  void fitsMsh10AndNeedsNoEscaping() {
    for (int i = 0; i < 1_000; i++) {
      String id = ControlIds.of("tenant-" + i, "7f9c2a4e-3b1d-4c8e-9a51-0d2f6e8b1c37-" + "x".repeat(90) + i, "ADT^A04");
      assertEquals(ControlIds.LENGTH, id.length());
      assertTrue(id.matches("[A-Z2-7]{20}"), id);
    }
  }

  @Test
  void differsPerMessageKindEventAndTenant() {
    String base = ControlIds.of("demo-clinic", "evt-0003-booked", "SIU^S12");
    assertNotEquals(base, ControlIds.of("demo-clinic", "evt-0003-booked", "ADT^A04"));
    assertNotEquals(base, ControlIds.of("demo-clinic", "evt-0004-rescheduled", "SIU^S12"));
    assertNotEquals(base, ControlIds.of("other-clinic", "evt-0003-booked", "SIU^S12"));
  }
}
