package io.telebridge.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Pins the conditional expressions: changing one changes the exactly-once guarantee. */
class DynamoDbIdempotencyStoreTest {

  @Test
  void claimsOnlyWhenNoLiveRecordExists() {
    assertEquals(
        "attribute_not_exists(pk) OR expiresAt < :nowSeconds OR (#status = :inProgress AND leaseUntil < :nowMillis)",
        DynamoDbIdempotencyStore.CLAIM_CONDITION);
  }

  @Test
  void completesAndReleasesOnlyItsOwnClaim() {
    assertEquals("#token = :token", DynamoDbIdempotencyStore.COMPLETE_CONDITION);
    assertEquals("#token = :token AND #status = :inProgress", DynamoDbIdempotencyStore.RELEASE_CONDITION);
  }
}
