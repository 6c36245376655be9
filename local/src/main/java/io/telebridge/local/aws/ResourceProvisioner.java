package io.telebridge.local.aws;

import java.util.Map;

/**
 * Creates one kind of template resource in a local stand-in. Implementations must be idempotent:
 * the local stack calls them at every start, and some stand-ins (ElasticMQ with its H2 store) keep
 * resources across restarts. Add one per resource type the local stack should emulate
 * (EventBridge Scheduler schedule groups are the next expected one) and register it in
 * {@code LocalStack}.
 */
public interface ResourceProvisioner {

  /** The CloudFormation / SAM type handled, e.g. {@code AWS::SQS::Queue}. */
  String type();

  /**
   * Creates (or finds) the resource.
   *
   * @param properties the resource's properties with every intrinsic resolved
   */
  ProvisionedResource provision(String logicalId, Map<String, Object> properties);
}
