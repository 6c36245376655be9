package io.telebridge.aws;

import io.telebridge.core.claimcheck.ClaimCheck;
import io.telebridge.core.claimcheck.ClaimCheckException;
import io.telebridge.core.claimcheck.PayloadStore;
import io.telebridge.core.error.TransientException;
import java.time.Duration;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * The claim checks' payloads in one S3 bucket, encrypted with SSE-KMS under the project's data key
 * (or the bucket's default encryption when no key is named). A read is by bucket and key of the claim
 * check; the caller verifies the bytes ({@link io.telebridge.core.claimcheck.ClaimChecks#fetch}).
 * Errors carry the key (tenant and hash) and the SDK's class name, never content.
 */
public final class S3PayloadStore implements PayloadStore {

  private final S3Client s3;
  private final String bucket;
  private final String kmsKeyId;

  /**
   * @param kmsKeyId the KMS key for SSE-KMS ({@code DATA_KEY_ARN}); null or blank: the bucket's default
   *     encryption applies
   */
  public S3PayloadStore(S3Client s3, String bucket, String kmsKeyId) {
    this.s3 = s3;
    this.bucket = bucket;
    this.kmsKeyId = kmsKeyId == null || kmsKeyId.isBlank() ? null : kmsKeyId;
  }

  /**
   * The S3 client for the claim checks (built once per container and connection, configured here rather than in {@link AwsClients}
   * so that a jar without the S3 SDK — the from-EHR translator's, the delivery function's — never links it):
   * path-style addressing when an endpoint is overridden (moto on loopback has no per-bucket host names),
   * longer timeouts (a payload is up to a few MB), and checksums only where S3 requires them (the claim
   * check carries its own SHA-256, verified on every read).
   */
  public static S3Client client(AwsSettings settings) {
    AwsClients clients = AwsClients.shared(settings);
    return clients.client("S3_CLAIM_CHECKS", S3Client.class, () -> build(clients, settings));
  }

  private static S3Client build(AwsClients clients, AwsSettings settings) {
    S3ClientBuilder builder = clients.configure(S3Client.builder(), "S3");
    builder.httpClientBuilder(UrlConnectionHttpClient.builder()
        .connectionTimeout(Duration.ofSeconds(2))
        .socketTimeout(Duration.ofSeconds(10)));
    builder.overrideConfiguration(ClientOverrideConfiguration.builder()
        .apiCallAttemptTimeout(Duration.ofSeconds(10))
        .apiCallTimeout(Duration.ofSeconds(20))
        .build());
    builder.forcePathStyle(settings.endpointFor("S3").isPresent());
    builder.requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED);
    builder.responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
    return builder.build();
  }

  @Override
  public ClaimCheck put(String key, byte[] payload) {
    ClaimCheck check = ClaimCheck.of(bucket, key, payload);
    PutObjectRequest.Builder request = PutObjectRequest.builder().bucket(bucket).key(key)
        .contentType("application/octet-stream").contentLength((long) payload.length);
    if (kmsKeyId != null) {
      request.serverSideEncryption(ServerSideEncryption.AWS_KMS).ssekmsKeyId(kmsKeyId).bucketKeyEnabled(true);
    }
    try {
      s3.putObject(request.build(), RequestBody.fromBytes(payload));
    } catch (SdkException e) {
      throw new TransientException("S3 PutObject failed for " + key + " (" + e.getClass().getSimpleName() + ")", e);
    }
    return check;
  }

  @Override
  public byte[] get(ClaimCheck check) {
    try {
      return s3.getObjectAsBytes(b -> b.bucket(check.bucket()).key(check.key())).asByteArray();
    } catch (NoSuchKeyException e) {
      throw new ClaimCheckException("claim check " + check.key() + ": no such object in " + check.bucket()
          + " (expired or deleted)");
    } catch (SdkException e) {
      throw new TransientException("S3 GetObject failed for " + check.key() + " (" + e.getClass().getSimpleName() + ")", e);
    }
  }
}
