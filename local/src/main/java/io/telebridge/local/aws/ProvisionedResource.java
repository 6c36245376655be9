package io.telebridge.local.aws;

import java.util.Map;

/**
 * A resource that exists locally: what {@code Ref} gives and the {@code Fn::GetAtt} attributes.
 */
public record ProvisionedResource(String logicalId, String type, String ref, Map<String, String> attributes) {
  public ProvisionedResource {
    attributes = Map.copyOf(attributes);
  }
}
