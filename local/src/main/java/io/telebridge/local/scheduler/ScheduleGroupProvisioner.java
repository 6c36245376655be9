package io.telebridge.local.scheduler;

import io.telebridge.local.aws.AwsClients;
import io.telebridge.local.aws.ProvisionedResource;
import io.telebridge.local.aws.ResourceProvisioner;
import java.net.URI;
import java.util.Map;
import software.amazon.awssdk.services.scheduler.SchedulerClient;
import software.amazon.awssdk.services.scheduler.model.ResourceNotFoundException;

/**
 * {@code AWS::Scheduler::ScheduleGroup} in moto's EventBridge Scheduler: {@code Name}, else
 * {@code <stack>-<logicalid>}. A group that exists (moto's state restored) is kept with its schedules
 * (moto's CreateScheduleGroup would replace it, losing them: so it is looked up first).
 */
public final class ScheduleGroupProvisioner implements ResourceProvisioner {

  private final SchedulerClient scheduler;
  private final String stackName;

  public ScheduleGroupProvisioner(SchedulerClient scheduler, String stackName) {
    this.scheduler = scheduler;
    this.stackName = stackName;
  }

  public static SchedulerClient client(URI motoEndpoint) {
    return AwsClients.local(SchedulerClient.builder(), motoEndpoint).build();
  }

  @Override
  public String type() {
    return "AWS::Scheduler::ScheduleGroup";
  }

  @Override
  public ProvisionedResource provision(String logicalId, Map<String, Object> properties) {
    Object explicit = properties.get("Name");
    String name = explicit != null ? explicit.toString() : stackName + "-" + logicalId;
    String arn;
    try {
      arn = scheduler.getScheduleGroup(b -> b.name(name)).arn();
    } catch (ResourceNotFoundException absent) {
      arn = scheduler.createScheduleGroup(b -> b.name(name)).scheduleGroupArn();
    }
    return new ProvisionedResource(logicalId, type(), name, Map.of("Arn", arn, "Name", name));
  }
}
