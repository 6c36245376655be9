package io.telebridge.core.claimcheck;

import io.telebridge.core.model.TenantKeys;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The claim-check pattern on a {@link PayloadStore}: store a payload that is too large for a queue
 * message and send a {@link ClaimCheck} instead; redeem a queue body that is a claim check, verified
 * (size and SHA-256) before anyone reads it.
 *
 * <p>Keys: {@code <kind>/<tenant>/<64 hex of SHA-256 over tenant and id><suffix>}: one prefix per
 * tenant (lifecycle and access by prefix), no PHI, and the same tenant and id always give the same
 * key, so a retried or replayed write lands on the same object.
 */
public final class ClaimChecks {

  /** Kind of the intake's payloads: the webhook body of a large {@code visit.note_signed}. */
  public static final String INTAKE = "intake";
  /** Kind of the to-EHR payloads: an HL7 message too large for the to-EHR queue. */
  public static final String TO_EHR = "to-ehr";

  private final PayloadStore store;

  public ClaimChecks(PayloadStore store) {
    this.store = store;
  }

  /** The object key for one payload of a tenant. */
  public static String key(String kind, String tenant, String id, String suffix) {
    return kind + "/" + tenant + "/" + TenantKeys.sha256(tenant, id) + suffix;
  }

  /** Stores the payload (durably) and returns the claim check to send in its place. */
  public ClaimCheck store(String kind, String tenant, String id, String suffix, byte[] payload) {
    return store.put(key(kind, tenant, id, suffix), payload);
  }

  /**
   * A queue body as the payload it stands for: the body itself when it is not a claim check, else
   * the stored bytes, verified, as UTF-8 text.
   *
   * @throws ClaimCheckException when the object is gone or is not the one the claim check names
   */
  public String redeem(String body) {
    Optional<ClaimCheck> check = ClaimCheck.in(body);
    if (check.isEmpty()) {
      return body;
    }
    return new String(fetch(check.get()), StandardCharsets.UTF_8);
  }

  /** The verified bytes of a claim check. */
  public byte[] fetch(ClaimCheck check) {
    byte[] bytes = store.get(check);
    if (bytes.length != check.size()) {
      throw new ClaimCheckException("claim check " + check.key() + ": the stored object has " + bytes.length
          + " bytes, the claim check says " + check.size());
    }
    if (!check.matches(bytes)) {
      throw new ClaimCheckException("claim check " + check.key() + ": the stored object's SHA-256 differs from the claim check's");
    }
    return bytes;
  }

  /** Whether a queue body is a claim check (not the payload itself). */
  public static boolean isClaimCheck(String body) {
    return ClaimCheck.in(body).isPresent();
  }
}
