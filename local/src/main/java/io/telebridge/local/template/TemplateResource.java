package io.telebridge.local.template;

import java.util.List;
import java.util.Map;

/**
 * One entry of the template's {@code Resources}, unresolved (intrinsics still in long form), with
 * SAM {@code Globals} already merged in for serverless types.
 *
 * @param condition the resource's {@code Condition} name, or {@code null}
 * @param dependsOn explicit {@code DependsOn} logical ids (implicit references are found by
 *     {@link Intrinsics#references(Object)})
 */
public record TemplateResource(
    String logicalId,
    String type,
    Map<String, Object> properties,
    String condition,
    List<String> dependsOn) {

  public TemplateResource {
    properties = properties == null ? Map.of() : properties;
    dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
  }

  public boolean isType(String candidate) {
    return type.equals(candidate);
  }
}
