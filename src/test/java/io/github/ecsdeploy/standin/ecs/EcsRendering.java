package io.github.ecsdeploy.standin.ecs;

import static io.github.ecsdeploy.standin.ecs.EcsJson.*;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.ecsdeploy.standin.ecs.EcsState.Cluster;
import io.github.ecsdeploy.standin.ecs.EcsState.Container;
import io.github.ecsdeploy.standin.ecs.EcsState.Deployment;
import io.github.ecsdeploy.standin.ecs.EcsState.Event;
import io.github.ecsdeploy.standin.ecs.EcsState.Service;
import io.github.ecsdeploy.standin.ecs.EcsState.ServiceDeploymentRecord;
import io.github.ecsdeploy.standin.ecs.EcsState.Task;
import io.github.ecsdeploy.standin.ecs.EcsState.TaskDef;

/** The JSON shapes ECS answers with: Cluster, Service, Deployment, ServiceDeployment and Task (API reference). */
final class EcsRendering {

  private final EcsState state;

  EcsRendering(EcsState state) {
    this.state = state;
  }

  ObjectNode renderCluster(Cluster c, boolean withTags) {
    ObjectNode n = NODES.objectNode();
    n.put("clusterArn", c.arn);
    n.put("clusterName", c.name);
    n.put("status", "ACTIVE");
    n.put("registeredContainerInstancesCount", 0);
    n.put("runningTasksCount", (int) c.tasks.values().stream().filter(t -> "RUNNING".equals(t.lastStatus)).count());
    n.put("pendingTasksCount", (int) c.tasks.values().stream().filter(Task::isPending).count());
    n.put("activeServicesCount", (int) c.services.values().stream().filter(s -> "ACTIVE".equals(s.status)).count());
    n.set("statistics", NODES.arrayNode());
    if (withTags) {
      n.set("tags", renderTags(c.tags));
    }
    n.set("settings", c.settings.deepCopy());
    n.set("capacityProviders", NODES.arrayNode());
    n.set("defaultCapacityProviderStrategy", NODES.arrayNode());
    return n;
  }

  ObjectNode renderService(Service s, boolean withTags) {
    ObjectNode n = NODES.objectNode();
    n.put("serviceArn", s.arn);
    n.put("serviceName", s.name);
    n.put("clusterArn", s.cluster.arn);
    n.set("loadBalancers", s.request.has("loadBalancers") ? s.request.get("loadBalancers").deepCopy()
        : NODES.arrayNode());
    n.set("serviceRegistries", s.request.has("serviceRegistries") ? s.request.get("serviceRegistries").deepCopy()
        : NODES.arrayNode());
    n.put("status", s.status);
    n.put("desiredCount", s.desiredCount);
    n.put("runningCount", (int) s.tasks().filter(t -> "RUNNING".equals(t.lastStatus)).count());
    n.put("pendingCount", (int) s.tasks().filter(Task::isPending).count());
    if (s.launchType != null) {
      n.put("launchType", s.launchType);
    }
    if ("FARGATE".equals(s.launchType)) {
      n.put("platformVersion", s.request.path("platformVersion").asText("LATEST"));
      n.put("platformFamily", "Linux");
    }
    if (s.request.has("capacityProviderStrategy")) {
      n.set("capacityProviderStrategy", s.request.get("capacityProviderStrategy").deepCopy());
    }
    n.put("taskDefinition", s.taskDefinitionArn);
    n.set("deploymentConfiguration", s.deploymentConfiguration.deepCopy());
    if (!s.serviceDeployments.isEmpty()) {
      n.put("currentServiceDeployment", s.serviceDeployments.get(s.serviceDeployments.size() - 1).arn);
    }
    ArrayNode deployments = n.putArray("deployments");
    for (Deployment d : s.deployments) {
      deployments.add(renderDeployment(s, d));
    }
    ArrayNode events = n.putArray("events");
    for (Event e : s.events) {
      events.addObject().put("id", e.id()).<ObjectNode>set("createdAt", timestamp(e.createdAt()))
          .put("message", e.message());
    }
    n.set("createdAt", timestamp(s.createdAt));
    n.set("placementConstraints", s.request.has("placementConstraints")
        ? s.request.get("placementConstraints").deepCopy() : NODES.arrayNode());
    n.set("placementStrategy", s.request.has("placementStrategy")
        ? s.request.get("placementStrategy").deepCopy() : NODES.arrayNode());
    if (s.request.has("networkConfiguration")) {
      n.set("networkConfiguration", s.request.get("networkConfiguration").deepCopy());
    }
    if (s.request.has("healthCheckGracePeriodSeconds")) {
      n.set("healthCheckGracePeriodSeconds", s.request.get("healthCheckGracePeriodSeconds").deepCopy());
    }
    n.put("schedulingStrategy", s.request.path("schedulingStrategy").asText("REPLICA"));
    n.putObject("deploymentController").put("type", s.controller);
    if (withTags) {
      n.set("tags", renderTags(s.tags));
    }
    n.put("createdBy", "arn:aws:iam::" + state.accountId + ":root");
    n.put("enableECSManagedTags", s.request.path("enableECSManagedTags").asBoolean(false));
    n.put("propagateTags", s.request.path("propagateTags").asText("NONE"));
    n.put("enableExecuteCommand", s.request.path("enableExecuteCommand").asBoolean(false));
    return n;
  }

  ObjectNode renderDeployment(Service s, Deployment d) {
    ObjectNode n = NODES.objectNode();
    n.put("id", d.id);
    n.put("status", d.status);
    n.put("taskDefinition", d.taskDefinitionArn);
    n.put("desiredCount", d.desiredCount);
    n.put("pendingCount", (int) s.tasksOf(d).filter(Task::isPending).count());
    n.put("runningCount", (int) s.tasksOf(d).filter(t -> "RUNNING".equals(t.lastStatus)).count());
    n.put("failedTasks", d.failedTasks);
    n.set("createdAt", timestamp(d.createdAt));
    n.set("updatedAt", timestamp(d.updatedAt));
    if (s.launchType != null) {
      n.put("launchType", s.launchType);
    }
    if ("FARGATE".equals(s.launchType)) {
      n.put("platformVersion", "1.4.0");
      n.put("platformFamily", "Linux");
    }
    if (s.request.has("networkConfiguration")) {
      n.set("networkConfiguration", s.request.get("networkConfiguration").deepCopy());
    }
    n.put("rolloutState", d.rolloutState);
    n.put("rolloutStateReason", d.rolloutStateReason);
    return n;
  }

  ObjectNode renderRecord(Service s, ServiceDeploymentRecord r) {
    ObjectNode n = NODES.objectNode();
    n.put("serviceDeploymentArn", r.arn);
    n.put("serviceArn", s.arn);
    n.put("clusterArn", s.cluster.arn);
    n.set("createdAt", timestamp(r.createdAt));
    n.set("startedAt", timestamp(r.createdAt));
    if (r.finishedAt != null) {
      n.set("finishedAt", timestamp(r.finishedAt));
    }
    n.set("updatedAt", timestamp(r.updatedAt));
    ArrayNode sources = n.putArray("sourceServiceRevisions");
    for (String source : r.sourceRevisionArns) {
      sources.addObject().put("arn", source);
    }
    ObjectNode target = n.putObject("targetServiceRevision");
    target.put("arn", r.revisionArn);
    target.put("requestedTaskCount", r.deployment.desiredCount);
    target.put("runningTaskCount", (int) s.tasksOf(r.deployment).filter(t -> "RUNNING".equals(t.lastStatus)).count());
    target.put("pendingTaskCount", (int) s.tasksOf(r.deployment).filter(Task::isPending).count());
    n.put("status", r.status);
    if (r.statusReason != null) {
      n.put("statusReason", r.statusReason);
    }
    if (r.lifecycleStage != null) {
      n.put("lifecycleStage", r.lifecycleStage);
    }
    n.set("deploymentConfiguration", r.deploymentConfiguration.deepCopy());
    if (r.rollbackAt != null) {
      ObjectNode rollback = n.putObject("rollback");
      rollback.put("reason", r.rollbackReason);
      rollback.set("startedAt", timestamp(r.rollbackAt));
      if (r.rollbackRevisionArn != null) {
        rollback.put("serviceRevisionArn", r.rollbackRevisionArn);
      }
    }
    n.putObject("deploymentCircuitBreaker").put("status", r.circuitBreakerStatus)
        .put("failureCount", r.deployment.failedTasks)
        .put("threshold", EcsScheduler.failureThreshold(r.deployment.desiredCount));
    ObjectNode alarms = n.putObject("alarms").put("status", r.alarmsStatus);
    if (!r.triggeredAlarms.isEmpty()) {
      alarms.set("alarmNames", r.deploymentConfiguration.path("alarms").path("alarmNames").deepCopy());
      ArrayNode triggered = alarms.putArray("triggeredAlarmNames");
      r.triggeredAlarms.forEach(triggered::add);
    }
    return n;
  }

  ObjectNode renderTask(Task t, boolean withTags) {
    TaskDef def = state.resolveRevision(t.taskDefinitionArn);
    ObjectNode n = NODES.objectNode();
    n.set("attachments", NODES.arrayNode());
    n.putArray("attributes").addObject().put("name", "ecs.cpu-architecture").put("value", "x86_64");
    n.put("availabilityZone", state.region + "a");
    n.put("clusterArn", t.service.cluster.arn);
    if (t.startedAt != null) {
      n.put("connectivity", "CONNECTED");
      n.set("connectivityAt", timestamp(t.createdAt));
    }
    ArrayNode containers = n.putArray("containers");
    for (Container c : t.containers) {
      ObjectNode cn = containers.addObject();
      cn.put("containerArn", c.arn);
      cn.put("taskArn", t.arn);
      cn.put("name", c.name);
      cn.put("image", c.image);
      cn.put("lastStatus", containerStatus(t));
      if (c.exitCode != null) {
        cn.put("exitCode", c.exitCode);
      }
      if (c.reason != null) {
        cn.put("reason", c.reason);
      }
      cn.set("networkBindings", NODES.arrayNode());
      cn.set("networkInterfaces", NODES.arrayNode());
      cn.put("healthStatus", "UNKNOWN");
      cn.put("cpu", c.cpu);
      if (c.memory != null) {
        cn.put("memory", c.memory);
      }
    }
    if (def != null && def.body.hasNonNull("cpu")) {
      n.put("cpu", def.body.get("cpu").asText());
    }
    n.set("createdAt", timestamp(t.createdAt));
    n.put("desiredStatus", t.desiredStatus);
    n.put("enableExecuteCommand", false);
    if (t.stoppedAt != null) {
      n.set("executionStoppedAt", timestamp(t.stoppedAt));
    }
    n.put("group", "service:" + t.service.name);
    n.put("healthStatus", "UNKNOWN");
    n.put("lastStatus", t.lastStatus);
    if (t.service.launchType != null) {
      n.put("launchType", t.service.launchType);
    }
    if (def != null && def.body.hasNonNull("memory")) {
      n.put("memory", def.body.get("memory").asText());
    }
    ObjectNode overrides = n.putObject("overrides");
    ArrayNode co = overrides.putArray("containerOverrides");
    t.containers.forEach(c -> co.addObject().put("name", c.name));
    overrides.set("inferenceAcceleratorOverrides", NODES.arrayNode());
    if ("FARGATE".equals(t.service.launchType)) {
      n.put("platformVersion", "1.4.0");
      n.put("platformFamily", "Linux");
      n.putObject("ephemeralStorage").put("sizeInGiB", 20);
    }
    if (t.pullStartedAt != null) {
      n.set("pullStartedAt", timestamp(t.pullStartedAt));
    }
    if (t.pullStoppedAt != null) {
      n.set("pullStoppedAt", timestamp(t.pullStoppedAt));
    }
    if (t.startedAt != null) {
      n.set("startedAt", timestamp(t.startedAt));
    }
    n.put("startedBy", t.startedBy);
    if (t.stopCode != null) {
      n.put("stopCode", t.stopCode);
    }
    if (t.stoppedAt != null) {
      n.set("stoppedAt", timestamp(t.stoppedAt));
    }
    if (t.stoppedReason != null) {
      n.put("stoppedReason", t.stoppedReason);
    }
    if (t.stoppingAt != null) {
      n.set("stoppingAt", timestamp(t.stoppingAt));
    }
    if (withTags) {
      n.set("tags", renderTags(t.tags));
    }
    n.put("taskArn", t.arn);
    n.put("taskDefinitionArn", t.taskDefinitionArn);
    n.put("version", t.version);
    return n;
  }

  private static String containerStatus(Task t) {
    return switch (t.lastStatus) {
      case "PROVISIONING" -> "PENDING";
      case "STOPPING" -> "RUNNING";
      default -> t.lastStatus;
    };
  }
}
