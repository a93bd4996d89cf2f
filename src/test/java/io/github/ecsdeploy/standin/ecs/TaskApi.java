package io.github.ecsdeploy.standin.ecs;

import static io.github.ecsdeploy.standin.ecs.EcsJson.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.ecsdeploy.standin.ecs.EcsState.Cluster;
import io.github.ecsdeploy.standin.ecs.EcsState.Task;
import java.util.List;
import java.util.Set;

/** ListTasks and DescribeTasks (API reference). */
final class TaskApi extends EcsApi {

  TaskApi(EcsState state, EcsRendering render) {
    super(state, render);
  }

  JsonNode listTasks(JsonNode req) {
    Cluster cluster = state.requireCluster(req);
    String serviceName = text(req, "serviceName");
    if (serviceName != null) {
      state.requireService(cluster, serviceName);
      serviceName = state.serviceName(serviceName);
    }
    String desired = text(req, "desiredStatus");
    if (desired == null) {
      desired = "RUNNING";
    }
    if (!Set.of("RUNNING", "PENDING", "STOPPED").contains(desired)) {
      throw invalid("Invalid desiredStatus: " + desired);
    }
    String startedBy = text(req, "startedBy");
    String family = text(req, "family");
    String launchType = text(req, "launchType");
    String svc = serviceName;
    String wantStatus = desired.equals("STOPPED") ? "STOPPED" : "RUNNING";
    boolean onlyPending = desired.equals("PENDING");
    List<String> arns = cluster.tasks.values().stream()
        .filter(t -> t.desiredStatus.equals(wantStatus))
        .filter(t -> !onlyPending || t.isPending())
        .filter(t -> svc == null || t.service.name.equals(svc))
        .filter(t -> startedBy == null || startedBy.equals(t.startedBy))
        .filter(t -> family == null || t.taskDefinitionArn.contains(":task-definition/" + family + ":"))
        .filter(t -> launchType == null || launchType.equals(t.service.launchType))
        .map(t -> t.arn)
        .toList();
    return page(req, arns, "taskArns");
  }

  JsonNode describeTasks(JsonNode req) {
    Cluster cluster = state.requireCluster(req);
    List<String> refs = strings(req.get("tasks"));
    if (refs.isEmpty()) {
      throw invalid("Tasks cannot be empty.");
    }
    boolean tags = includes(req, "TAGS");
    ArrayNode found = NODES.arrayNode();
    ArrayNode failures = NODES.arrayNode();
    for (String ref : refs) {
      String id = ref.substring(ref.lastIndexOf('/') + 1);
      Task t = cluster.tasks.get(id);
      if (t == null) {
        failures.add(failure(ref.startsWith("arn:") ? ref
            : state.arn("task/" + cluster.name + "/" + ref), "MISSING"));
      } else {
        found.add(render.renderTask(t, tags));
      }
    }
    return describeAnswer("tasks", found, failures);
  }
}
