package io.github.ecsdeploy.standin.ecs;

import static io.github.ecsdeploy.standin.ecs.EcsJson.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.ecsdeploy.standin.AwsErrorException;
import io.github.ecsdeploy.standin.ecs.EcsState.Cluster;
import io.github.ecsdeploy.standin.ecs.EcsState.Deployment;
import io.github.ecsdeploy.standin.ecs.EcsState.Service;
import io.github.ecsdeploy.standin.ecs.EcsState.Tag;
import io.github.ecsdeploy.standin.ecs.EcsState.Task;
import io.github.ecsdeploy.standin.ecs.EcsState.TaskDef;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** CreateService, UpdateService and DescribeServices (API reference). */
final class ServiceApi extends EcsApi {

  private final EcsScheduler scheduler;

  ServiceApi(EcsState state, EcsRendering render, EcsScheduler scheduler) {
    super(state, render);
    this.scheduler = scheduler;
  }

  JsonNode createService(JsonNode req, Instant now) {
    Cluster cluster = state.requireCluster(req);
    String name = text(req, "serviceName");
    if (name == null || !NAME.matcher(name).matches()) {
      throw invalid("Service name can contain up to 255 letters (uppercase and lowercase), numbers, underscores,"
          + " and hyphens.");
    }
    Service existing = cluster.services.get(name);
    if (existing != null && existing.status.equals("ACTIVE")) {
      throw invalid("Creation of service was not idempotent.");
    }
    String controller = "ECS";
    JsonNode dc = req.get("deploymentController");
    if (dc != null && dc.hasNonNull("type")) {
      controller = dc.get("type").asText();
      if (!Set.of("ECS", "CODE_DEPLOY", "EXTERNAL").contains(controller)) {
        throw invalid("Invalid deployment controller type: " + controller
            + ". Valid values are ECS, CODE_DEPLOY and EXTERNAL.");
      }
    }
    String launchType = text(req, "launchType");
    if (launchType != null && !Set.of("EC2", "FARGATE", "EXTERNAL", "MANAGED_INSTANCES").contains(launchType)) {
      throw invalid("Invalid launch type: " + launchType + ". Valid values are EC2, FARGATE, EXTERNAL and"
          + " MANAGED_INSTANCES.");
    }
    if (!req.hasNonNull("desiredCount")) {
      throw invalid("Desired count must be specified for services with the REPLICA scheduling strategy.");
    }
    int desired = req.get("desiredCount").asInt();
    if (desired < 0) {
      throw invalid("Desired count must be greater than or equal to 0.");
    }
    if (text(req, "taskDefinition") == null && !"EXTERNAL".equals(controller)) {
      throw invalid("TaskDefinition must be specified.");
    }
    TaskDef def = state.requireTaskDefForService(text(req, "taskDefinition"));
    checkLaunchType(def, launchType);
    if ("awsvpc".equals(text(def.body, "networkMode")) && !req.has("networkConfiguration")) {
      throw invalid("Network Configuration must be provided when networkMode 'awsvpc' is specified.");
    }
    List<Tag> tags = parseTags(req.get("tags"));

    Service s = new Service(name, state.arn("service/" + cluster.name + "/" + name), cluster, now);
    s.controller = controller;
    s.launchType = launchType;
    s.desiredCount = desired;
    s.taskDefinitionArn = def.arn;
    s.deploymentConfiguration = defaultDeploymentConfiguration();
    mergeDeploymentConfiguration(s.deploymentConfiguration, req.get("deploymentConfiguration"));
    s.request = (ObjectNode) req.deepCopy();
    s.tags.addAll(tags);
    cluster.services.put(name, s);
    Deployment d = new Deployment(EcsScheduler.newDeploymentId(), def.arn, desired, now);
    d.status = "PRIMARY";
    s.deployments.add(d);
    d.record = scheduler.newRecord(s, d, now, false);
    scheduler.reconcile(s, now);
    ObjectNode out = NODES.objectNode();
    out.set("service", render.renderService(s, false));
    return out;
  }

  private static void checkLaunchType(TaskDef def, String launchType) {
    if ("FARGATE".equals(launchType)) {
      boolean ok = false;
      for (JsonNode c : def.body.get("compatibilities")) {
        ok |= "FARGATE".equals(c.asText());
      }
      if (!ok) {
        throw invalid("Task definition does not support launch_type FARGATE.");
      }
    }
  }

  /**
   * DeleteService as the API reference describes it
   * (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeleteService.html): a service scaled above 0
   * is refused unless {@code force};
   * otherwise its tasks are stopped and its status moves from ACTIVE to DRAINING, and to INACTIVE once every
   * task has stopped. DescribeServices keeps describing DRAINING and INACTIVE services; UpdateService refuses
   * them ({@code ServiceNotActiveException}).
   */
  JsonNode deleteService(JsonNode req, Instant now) {
    Cluster cluster = state.requireCluster(req);
    Service s = state.requireService(cluster, text(req, "service"));
    if (!s.status.equals("ACTIVE")) {
      throw AwsErrorException.client("ServiceNotActiveException", "Service was not ACTIVE.");
    }
    if (s.desiredCount > 0 && !req.path("force").asBoolean(false)) {
      throw invalid("The service cannot be stopped while it is scaled above 0.");
    }
    s.desiredCount = 0;
    for (Task t : s.tasks().toList()) {
      scheduler.stopTask(t, "Service deleted", now);
    }
    s.status = "DRAINING";
    EcsScheduler.finishDraining(s);
    ObjectNode out = NODES.objectNode();
    out.set("service", render.renderService(s, false));
    return out;
  }

  JsonNode updateService(JsonNode req, Instant now) {
    Cluster cluster = state.requireCluster(req);
    Service s = state.requireService(cluster, text(req, "service"));
    if (!s.status.equals("ACTIVE")) {
      throw AwsErrorException.client("ServiceNotActiveException", "Service was not ACTIVE.");
    }
    TaskDef def = null;
    if (req.hasNonNull("taskDefinition")) {
      if (!s.controller.equals("ECS")) {
        throw invalid("Unable to update task definition on services with a " + s.controller
            + " deployment controller. Use AWS CodeDeploy to trigger a new deployment.");
      }
      def = state.requireTaskDefForService(text(req, "taskDefinition"));
      checkLaunchType(def, s.launchType);
    }
    Integer desired = null;
    if (req.hasNonNull("desiredCount")) {
      desired = req.get("desiredCount").asInt();
      if (desired < 0) {
        throw invalid("Desired count must be greater than or equal to 0.");
      }
    }
    boolean force = req.path("forceNewDeployment").asBoolean(false);
    if (force && !s.controller.equals("ECS")) {
      throw invalid("Unable to force a new deployment on services with a " + s.controller
          + " deployment controller. Use AWS CodeDeploy to trigger a new deployment.");
    }
    ObjectNode asBefore = render.renderService(s, false);
    mergeDeploymentConfiguration(s.deploymentConfiguration, req.get("deploymentConfiguration"));
    for (String member : List.of("networkConfiguration", "platformVersion", "healthCheckGracePeriodSeconds",
        "enableExecuteCommand", "propagateTags", "enableECSManagedTags", "loadBalancers",
        "capacityProviderStrategy")) {
      if (req.has(member)) {
        s.request.set(member, req.get(member).deepCopy());
      }
    }
    if (desired != null) {
      s.desiredCount = desired;
      s.primary().desiredCount = desired;
      s.primary().updatedAt = now;
    }
    if ((def != null && !def.arn.equals(s.primary().taskDefinitionArn)) || force) {
      String arn = def != null ? def.arn : s.primary().taskDefinitionArn;
      Deployment d = scheduler.startDeployment(s, arn, now);
      boolean blueGreen = "BLUE_GREEN".equals(s.deploymentConfiguration.path("strategy").asText("ROLLING"));
      d.record = scheduler.newRecord(s, d, now, blueGreen);
    }
    if (state.settings.staleReadsAfterUpdate() > 0) {
      // aws-cli #9275: DescribeServices right after UpdateService can still show the service as it was (the ECS
      // API is eventually consistent, API reference "Request eventual consistency").
      s.staleAnswer = asBefore;
      s.staleReadsLeft = state.settings.staleReadsAfterUpdate();
    }
    scheduler.reconcile(s, now);
    ObjectNode out = NODES.objectNode();
    out.set("service", render.renderService(s, false));
    return out;
  }

  JsonNode describeServices(JsonNode req) {
    Cluster cluster = state.requireCluster(req);
    boolean tags = includes(req, "TAGS");
    ArrayNode found = NODES.arrayNode();
    ArrayNode failures = NODES.arrayNode();
    for (String ref : strings(req.get("services"))) {
      Service s = cluster.services.get(state.serviceName(ref));
      if (s == null) {
        failures.add(failure(ref.startsWith("arn:") ? ref
            : state.arn("service/" + cluster.name + "/" + ref), "MISSING"));
      } else if (s.staleReadsLeft > 0) {
        s.staleReadsLeft--;
        found.add(s.staleAnswer.deepCopy());
      } else {
        found.add(render.renderService(s, tags));
      }
    }
    return describeAnswer("services", found, failures);
  }

  private static ObjectNode defaultDeploymentConfiguration() {
    ObjectNode dc = NODES.objectNode();
    dc.putObject("deploymentCircuitBreaker").put("enable", false).put("rollback", false);
    dc.put("maximumPercent", 200);
    dc.put("minimumHealthyPercent", 100);
    return dc;
  }

  private static void mergeDeploymentConfiguration(ObjectNode target, JsonNode given) {
    if (given == null || !given.isObject()) {
      return;
    }
    Iterator<Map.Entry<String, JsonNode>> it = given.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getValue().isNull()) {
        continue;
      }
      if (e.getKey().equals("deploymentCircuitBreaker")) {
        ObjectNode cb = (ObjectNode) target.get("deploymentCircuitBreaker");
        cb.put("enable", e.getValue().path("enable").asBoolean(false));
        cb.put("rollback", e.getValue().path("rollback").asBoolean(false));
      } else {
        target.set(e.getKey(), e.getValue().deepCopy());
      }
    }
    int max = target.path("maximumPercent").asInt(200);
    int min = target.path("minimumHealthyPercent").asInt(100);
    if (max < 100 && min > 0 || min < 0 || max < min) {
      throw invalid("Invalid deployment configuration: maximumPercent " + max + ", minimumHealthyPercent " + min
          + ".");
    }
  }
}
