package io.telebridge.local.aws;

import java.net.URI;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyExistsException;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;

/**
 * {@code AWS::S3::Bucket} in moto's S3 (the claim-check bucket). The bucket name is {@code BucketName}
 * when set, otherwise {@code <stack>-<logicalid>} in lower case (S3 names are lower case), at most 63
 * characters. Encryption, public access block, lifecycle and the bucket policy are not emulated (moto
 * would store them but never expire an object or refuse plain HTTP); the local stack is not a deployed
 * environment. A bucket that already exists (moto's state restored) is kept.
 */
public final class S3BucketProvisioner implements ResourceProvisioner {

  private final S3Client s3;
  private final String stackName;

  public S3BucketProvisioner(URI motoEndpoint, String stackName) {
    this.s3 = AwsClients.local(S3Client.builder(), motoEndpoint).forcePathStyle(true).build();
    this.stackName = stackName;
  }

  @Override
  public String type() {
    return "AWS::S3::Bucket";
  }

  /** The local bucket name for a bucket resource. */
  static String bucketName(String stackName, String logicalId, Map<String, Object> properties) {
    Object explicit = properties.get("BucketName");
    if (explicit != null) {
      return explicit.toString();
    }
    String name = (stackName + "-" + logicalId).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.-]", "-");
    return name.length() > 63 ? name.substring(0, 63).replaceAll("[.-]+$", "") : name;
  }

  @Override
  public ProvisionedResource provision(String logicalId, Map<String, Object> properties) {
    String name = bucketName(stackName, logicalId, properties);
    try {
      s3.createBucket(b -> b.bucket(name));
    } catch (BucketAlreadyOwnedByYouException | BucketAlreadyExistsException e) {
      // restored from moto's state: keep it and its objects
    }
    return new ProvisionedResource(logicalId, type(), name, Map.of(
        "Arn", "arn:aws:s3:::" + name,
        "DomainName", name + ".s3.amazonaws.com",
        "RegionalDomainName", name + ".s3.us-east-1.amazonaws.com"));
  }
}
