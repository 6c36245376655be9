package io.telebridge.local;

import io.telebridge.local.aws.DynamoDbTableProvisioner;
import io.telebridge.local.aws.ProvisionedResource;
import io.telebridge.local.aws.ResourceProvisioner;
import io.telebridge.local.aws.SqsQueueProvisioner;
import io.telebridge.local.template.Intrinsics;
import io.telebridge.local.template.StackResolver;
import io.telebridge.local.template.TemplateException;
import io.telebridge.local.template.TemplateResource;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The template's resources in the stand-ins: queues, tables, the bucket and schedule groups created
 * (in dependency order), and Ref / GetAtt values registered for everything else. Part of
 * {@link LocalStack}.
 */
final class StackResources {

  private static final Logger LOG = LoggerFactory.getLogger(StackResources.class);

  private final LocalStack stack;

  StackResources(LocalStack stack) {
    this.stack = stack;
  }

  /** The resource types created in the stand-ins. Add one here to emulate a new type. */
  Map<String, ResourceProvisioner> provisioners() {
    Map<String, ResourceProvisioner> out = new LinkedHashMap<>();
    for (ResourceProvisioner p : List.of(
        new SqsQueueProvisioner(stack.sqs),
        new DynamoDbTableProvisioner(stack.dynamo, "AWS::DynamoDB::Table"),
        new DynamoDbTableProvisioner(stack.dynamo, "AWS::Serverless::SimpleTable"),
        new io.telebridge.local.aws.S3BucketProvisioner(stack.motoEndpoint, stack.options.stackName()),
        new io.telebridge.local.scheduler.ScheduleGroupProvisioner(
            io.telebridge.local.scheduler.ScheduleGroupProvisioner.client(stack.motoEndpoint), stack.options.stackName()))) {
      out.put(p.type(), p);
    }
    return out;
  }

  /** Ref / GetAtt values for the resources that are not created in a stand-in. */
  void registerOthers(Set<String> provisioned) {
    String region = StackResolver.REGION;
    String account = StackResolver.ACCOUNT_ID;
    for (TemplateResource r : stack.template.resources().values()) {
      if (provisioned.contains(r.type()) || !stack.resolver.included(r)) {
        continue;
      }
      String id = r.logicalId();
      switch (r.type()) {
        case "AWS::Serverless::Function", "AWS::Lambda::Function" -> {
          String name = functionName(r);
          String arn = "arn:aws:lambda:" + region + ":" + account + ":function:" + name;
          stack.resolver.register(id, name, Map.of("Arn", arn));
          if (!stack.template.resources().containsKey(id + "Role")) {
            stack.resolver.register(id + "Role", id + "Role", Map.of("Arn", "arn:aws:iam::" + account + ":role/" + id + "Role"));
          }
        }
        case "AWS::Serverless::HttpApi", "AWS::ApiGatewayV2::Api", "AWS::Serverless::Api", "AWS::ApiGateway::RestApi" ->
            stack.resolver.register(id, apiId(id), Map.of("ApiEndpoint", "http://" + stack.options.host(), "ApiId", apiId(id),
                "RootResourceId", apiId(id + "/")));
        case "AWS::Logs::LogGroup" -> {
          String name = tryResolveString(r.properties().get("LogGroupName"), "/aws/local/" + id);
          stack.resolver.register(id, name, Map.of("Arn", "arn:aws:logs:" + region + ":" + account + ":log-group:" + name + ":*"));
        }
        case "AWS::SNS::Topic" -> {
          String name = tryResolveString(r.properties().get("TopicName"), stack.options.stackName() + "-" + id);
          String arn = "arn:aws:sns:" + region + ":" + account + ":" + name;
          stack.resolver.register(id, arn, Map.of("TopicArn", arn, "TopicName", name));
        }
        case "AWS::IAM::Role" -> stack.resolver.register(id, id, Map.of("Arn", "arn:aws:iam::" + account + ":role/" + id,
            "RoleId", "AROA" + apiId(id).toUpperCase(Locale.ROOT)));
        default -> {
          String service = r.type().split("::").length > 1
              ? r.type().split("::")[1].toLowerCase(Locale.ROOT) : "local";
          String name = stack.options.stackName() + "-" + id;
          stack.resolver.register(id, name, Map.of("Arn", "arn:aws:" + service + ":" + region + ":" + account + ":" + name,
              "Name", name, "Id", name));
        }
      }
    }
    for (String implicit : List.of("ServerlessHttpApi", "ServerlessRestApi")) {
      if (!stack.resolver.isRegistered(implicit) && !stack.template.resources().containsKey(implicit)) {
        stack.resolver.register(implicit, apiId(implicit), Map.of("ApiEndpoint", "http://" + stack.options.host()));
      }
    }
  }

  private String tryResolveString(Object value, String fallback) {
    if (value == null) {
      return fallback;
    }
    try {
      String s = stack.resolver.resolveString(value, "name");
      return s == null ? fallback : s;
    } catch (TemplateException e) {
      return fallback;
    }
  }

  private String functionName(TemplateResource r) {
    return tryResolveString(r.properties().get("FunctionName"), stack.options.stackName() + "-" + r.logicalId());
  }

  /** A stable 10-character id, like an API Gateway id. */
  static String apiId(String logicalId) {
    try {
      byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
          .digest(logicalId.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, 10);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  void provision(Map<String, ResourceProvisioner> provisioners) {
    List<TemplateResource> todo = new ArrayList<>();
    for (TemplateResource r : stack.template.resources().values()) {
      if (provisioners.containsKey(r.type()) && stack.resolver.included(r)) {
        todo.add(r);
      }
    }
    for (TemplateResource r : dependencyOrder(todo)) {
      @SuppressWarnings("unchecked")
      Map<String, Object> properties = (Map<String, Object>) stack.resolver.resolve(r.properties());
      ProvisionedResource created;
      try {
        created = provisioners.get(r.type()).provision(r.logicalId(), properties);
      } catch (TemplateException e) {
        throw e;
      } catch (RuntimeException e) {
        throw new IllegalStateException(r.logicalId() + " (" + r.type() + ") could not be created: " + e.getMessage(), e);
      }
      stack.resolver.register(r.logicalId(), created.ref(), created.attributes());
      if (r.type().equals("AWS::SQS::Queue")) {
        stack.queues.put(r.logicalId(), created);
      } else {
        stack.tables.put(r.logicalId(), created);
      }
      LOG.info("{} ({}) ready: {}", r.logicalId(), r.type(), created.ref());
    }
  }

  /** Resources ordered so that each comes after those it refers to (a DLQ before its source). */
  static List<TemplateResource> dependencyOrder(List<TemplateResource> resources) {
    Map<String, TemplateResource> byId = new LinkedHashMap<>();
    resources.forEach(r -> byId.put(r.logicalId(), r));
    List<TemplateResource> out = new ArrayList<>();
    Set<String> done = new LinkedHashSet<>();
    Set<String> visiting = new LinkedHashSet<>();
    for (TemplateResource r : resources) {
      visit(r, byId, done, visiting, out);
    }
    return out;
  }

  private static void visit(TemplateResource r, Map<String, TemplateResource> byId, Set<String> done,
      Set<String> visiting, List<TemplateResource> out) {
    if (done.contains(r.logicalId())) {
      return;
    }
    if (!visiting.add(r.logicalId())) {
      throw new TemplateException("circular dependency between resources: " + visiting);
    }
    Set<String> deps = new LinkedHashSet<>(Intrinsics.references(r.properties()));
    deps.addAll(r.dependsOn());
    for (String dep : deps) {
      TemplateResource d = byId.get(dep);
      if (d != null) {
        visit(d, byId, done, visiting, out);
      }
    }
    visiting.remove(r.logicalId());
    done.add(r.logicalId());
    out.add(r);
  }
}
