package io.telebridge.local.aws;

import io.telebridge.local.template.StackResolver;
import io.telebridge.local.template.TemplateException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueNameExistsException;
import software.amazon.awssdk.services.sqs.model.SqsException;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code AWS::SQS::Queue} in ElasticMQ. The queue name is {@code QueueName} when set, otherwise
 * the logical id ({@code <LogicalId>.fifo} for FIFO queues). Properties carried over:
 * FifoQueue, ContentBasedDeduplication, DeduplicationScope, FifoThroughputLimit,
 * VisibilityTimeout, MessageRetentionPeriod, DelaySeconds, ReceiveMessageWaitTimeSeconds,
 * MaximumMessageSize, RedrivePolicy, RedriveAllowPolicy and Tags. Encryption settings are
 * ignored. A queue that already exists (restored from the H2 store) gets its attributes updated.
 */
public final class SqsQueueProvisioner implements ResourceProvisioner {

  private static final Logger LOG = LoggerFactory.getLogger(SqsQueueProvisioner.class);
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** Attributes SQS refuses to change after creation. */
  private static final List<String> CREATE_ONLY = List.of("FifoQueue");

  /** Attributes ElasticMQ accepts at creation but neither stores nor reports (see README: gaps). */
  private static final List<String> ELASTICMQ_IGNORES =
      List.of("MessageRetentionPeriod", "MaximumMessageSize", "DeduplicationScope", "FifoThroughputLimit");

  private final SqsClient sqs;

  /** The tag CloudFormation puts on what it creates; the local stack puts it on every queue. */
  public static final String LOGICAL_ID_TAG = "aws:cloudformation:logical-id";

  public SqsQueueProvisioner(SqsClient sqs) {
    this.sqs = sqs;
  }

  @Override
  public String type() {
    return "AWS::SQS::Queue";
  }

  /** The local queue name for a queue resource. */
  public static String queueName(String logicalId, Map<String, Object> properties) {
    Object explicit = properties.get("QueueName");
    if (explicit != null) {
      return StackResolver.scalarToString(explicit);
    }
    return isTrue(properties.get("FifoQueue")) ? logicalId + ".fifo" : logicalId;
  }

  @Override
  public ProvisionedResource provision(String logicalId, Map<String, Object> properties) {
    String name = queueName(logicalId, properties);
    boolean fifo = isTrue(properties.get("FifoQueue"));
    if (fifo != name.endsWith(".fifo")) {
      throw new TemplateException(logicalId + ": a FIFO queue's name must end in .fifo (and only a FIFO queue's)");
    }
    Map<String, String> attributes = attributes(logicalId, properties, fifo);
    String url;
    try {
      url = sqs.createQueue(b -> b.queueName(name).attributesWithStrings(attributes)).queueUrl();
      LOG.debug("queue {} ready", name);
    } catch (QueueNameExistsException e) {
      url = update(name, attributes);
    } catch (SqsException e) {
      String code = e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
      if (code != null && code.contains("QueueAlreadyExists")) {
        url = update(name, attributes);
      } else {
        throw new IllegalStateException(logicalId + ": ElasticMQ refused CreateQueue " + name + ": " + e.getMessage(), e);
      }
    }
    Map<String, String> existing = new HashMap<>();
    String queueUrl = url;
    sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
        .attributesAsStrings().forEach(existing::put);
    String arn = existing.get("QueueArn");
    Map<String, String> tagMap = new LinkedHashMap<>();
    // as CloudFormation tags the queues it creates: `./tb peek <LogicalId>` finds a queue with an explicit QueueName
    tagMap.put(LOGICAL_ID_TAG, logicalId);
    if (properties.get("Tags") instanceof List<?> tags) {
      for (Object t : tags) {
        if (t instanceof Map<?, ?> m) {
          tagMap.put(String.valueOf(m.get("Key")), StackResolver.scalarToString(m.get("Value")));
        }
      }
    }
    sqs.tagQueue(b -> b.queueUrl(queueUrl).tags(tagMap));
    return new ProvisionedResource(logicalId, type(), url,
        Map.of("Arn", arn, "QueueName", name, "QueueUrl", url));
  }

  /**
   * Brings an existing queue (restored from the H2 store) to the template's attributes, one
   * attribute at a time; what ElasticMQ cannot change on an existing queue is reported, and the
   * way out is a fresh data directory.
   */
  private String update(String name, Map<String, String> attributes) {
    String url = sqs.getQueueUrl(b -> b.queueName(name)).queueUrl();
    Map<String, String> current = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.ALL))
        .attributesAsStrings();
    List<String> changed = new ArrayList<>();
    for (Map.Entry<String, String> e : attributes.entrySet()) {
      String key = e.getKey();
      if (ELASTICMQ_IGNORES.contains(key) || e.getValue().equals(current.get(key)) || (key.equals("RedrivePolicy") && sameJson(e.getValue(), current.get(key)))) {
        continue;
      }
      if (CREATE_ONLY.contains(key)) {
        LOG.warn("queue {}: {} cannot change on an existing queue (delete the data directory to recreate it)", name, key);
        continue;
      }
      try {
        sqs.setQueueAttributes(b -> b.queueUrl(url).attributesWithStrings(Map.of(key, e.getValue())));
        if (current.containsKey(key)) {
          changed.add(key);
        }
      } catch (SqsException ex) {
        if (current.containsKey(key)) {
          LOG.warn("queue {}: ElasticMQ cannot change {} on an existing queue (delete the data directory to recreate it)",
              name, key);
        }
      }
    }
    if (!changed.isEmpty()) {
      LOG.info("queue {} existed: updated {}", name, changed);
    }
    return url;
  }

  private static boolean sameJson(String a, String b) {
    if (a == null || b == null) {
      return false;
    }
    try {
      return JSON.readTree(a).equals(JSON.readTree(b));
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static Map<String, String> attributes(String logicalId, Map<String, Object> p, boolean fifo) {
    Map<String, String> a = new LinkedHashMap<>();
    if (fifo) {
      a.put("FifoQueue", "true");
      copy(p, "ContentBasedDeduplication", a);
      copy(p, "DeduplicationScope", a);
      copy(p, "FifoThroughputLimit", a);
    }
    copy(p, "VisibilityTimeout", a);
    copy(p, "MessageRetentionPeriod", a);
    copy(p, "DelaySeconds", a);
    copy(p, "ReceiveMessageWaitTimeSeconds", a);
    copy(p, "MaximumMessageSize", a);
    Object redrive = p.get("RedrivePolicy");
    if (redrive != null) {
      a.put("RedrivePolicy", redrivePolicy(logicalId, redrive));
    }
    Object allow = p.get("RedriveAllowPolicy");
    if (allow != null) {
      a.put("RedriveAllowPolicy", allow instanceof String s ? s : JSON.writeValueAsString(allow));
    }
    return a;
  }

  private static String redrivePolicy(String logicalId, Object value) {
    Map<?, ?> policy;
    if (value instanceof String s) {
      policy = JSON.readValue(s, Map.class);
    } else if (value instanceof Map<?, ?> m) {
      policy = m;
    } else {
      throw new TemplateException(logicalId + ": RedrivePolicy must be a mapping or a JSON string");
    }
    Object target = policy.get("deadLetterTargetArn");
    Object max = policy.get("maxReceiveCount");
    if (target == null || max == null) {
      throw new TemplateException(logicalId + ": RedrivePolicy needs deadLetterTargetArn and maxReceiveCount");
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("deadLetterTargetArn", StackResolver.scalarToString(target));
    out.put("maxReceiveCount", Integer.parseInt(StackResolver.scalarToString(max).trim()));
    return JSON.writeValueAsString(out);
  }

  private static void copy(Map<String, Object> from, String key, Map<String, String> to) {
    Object v = from.get(key);
    if (v != null) {
      to.put(key, StackResolver.scalarToString(v));
    }
  }

  static boolean isTrue(Object value) {
    return value != null && "true".equalsIgnoreCase(StackResolver.scalarToString(value));
  }
}
