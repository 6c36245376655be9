package io.telebridge.aws;

import io.telebridge.core.claimcheck.ClaimCheck;
import io.telebridge.core.claimcheck.ClaimCheckException;
import io.telebridge.core.claimcheck.PayloadStore;
import io.telebridge.core.error.TransientException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The claim checks' payloads in one S3 bucket, encrypted with SSE-KMS under the project's data key
 * (or the bucket's default encryption when no key is named). A read is by bucket and key of the claim
 * check; the caller verifies the bytes ({@link io.telebridge.core.claimcheck.ClaimChecks#fetch}).
 * Errors carry the key (tenant and hash) and the status code, never content.
 *
 * <p>PutObject and GetObject are the only S3 calls of the deployed code, so they go as SigV4-signed HTTP
 * requests ({@link S3Objects}) rather than through the S3 client: no function jar carries the S3 SDK module.
 */
public final class S3PayloadStore implements PayloadStore {

  private final S3Objects s3;
  private final String bucket;
  private final String kmsKeyId;

  /**
   * @param kmsKeyId the KMS key for SSE-KMS ({@code DATA_KEY_ARN}); null or blank: the bucket's default
   *     encryption applies
   */
  public S3PayloadStore(S3Objects s3, String bucket, String kmsKeyId) {
    this.s3 = s3;
    this.bucket = bucket;
    this.kmsKeyId = kmsKeyId == null || kmsKeyId.isBlank() ? null : kmsKeyId;
  }

  /**
   * The S3 access for the claim checks, built once per container and connection ({@link AwsClients#shared}):
   * path-style under an endpoint override, the connection's credentials, longer timeouts than the other
   * clients (a payload is up to a few MB). No checksums beyond SigV4's payload hash: the claim check carries
   * its own SHA-256, verified on every read.
   */
  public static S3Objects client(AwsSettings settings) {
    AwsClients clients = AwsClients.shared(settings);
    return clients.client("S3_CLAIM_CHECKS", S3Objects.class, () -> S3Objects.of(settings, clients));
  }

  @Override
  public ClaimCheck put(String key, byte[] payload) {
    ClaimCheck check = ClaimCheck.of(bucket, key, payload);
    Map<String, String> headers = new LinkedHashMap<>();
    if (kmsKeyId != null) {
      headers.put("x-amz-server-side-encryption", "aws:kms");
      headers.put("x-amz-server-side-encryption-aws-kms-key-id", kmsKeyId);
      headers.put("x-amz-server-side-encryption-bucket-key-enabled", "true");
    }
    SignedHttp.Response r = s3.put(bucket, key, payload, headers);
    if (!r.ok()) {
      throw new TransientException("S3 PutObject failed for " + key + " (" + r.status() + " " + errorCode(r) + ")", null);
    }
    return check;
  }

  @Override
  public byte[] get(ClaimCheck check) {
    SignedHttp.Response r = s3.get(check.bucket(), check.key());
    if (r.ok()) {
      return r.body();
    }
    String code = errorCode(r);
    if (r.status() == 404 && code.equals("NoSuchKey")) {
      throw new ClaimCheckException("claim check " + check.key() + ": no such object in " + check.bucket()
          + " (expired or deleted)");
    }
    throw new TransientException("S3 GetObject failed for " + check.key() + " (" + r.status() + " " + code + ")", null);
  }

  /** The {@code <Code>} of S3's error document (NoSuchKey, AccessDenied, NoSuchBucket…); "" when there is none. */
  static String errorCode(SignedHttp.Response r) {
    String xml = new String(r.body(), StandardCharsets.UTF_8);
    int start = xml.indexOf("<Code>");
    int end = xml.indexOf("</Code>");
    return start < 0 || end < start ? "" : xml.substring(start + "<Code>".length(), end);
  }
}
