package io.github.ecsdeploy.standin.ecs;

import static io.github.ecsdeploy.standin.ecs.EcsJson.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.ecsdeploy.standin.AwsErrorException;
import io.github.ecsdeploy.standin.ecs.EcsState.Cluster;
import io.github.ecsdeploy.standin.ecs.EcsState.Container;
import io.github.ecsdeploy.standin.ecs.EcsState.Deployment;
import io.github.ecsdeploy.standin.ecs.EcsState.Event;
import io.github.ecsdeploy.standin.ecs.EcsState.Service;
import io.github.ecsdeploy.standin.ecs.EcsState.ServiceDeploymentRecord;
import io.github.ecsdeploy.standin.ecs.EcsState.Tag;
import io.github.ecsdeploy.standin.ecs.EcsState.Task;
import io.github.ecsdeploy.standin.ecs.EcsState.TaskDef;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The state of the simulated ECS world (clusters, task-definition revisions, services with their deployments and
 * service deployments, tasks, tags) and the lookups every operation shares, answering with ECS's errors for what
 * is missing. Guarded by the lock of {@link EcsService}.
 */
final class EcsState {

  final String region;
  final String accountId;
  volatile EcsSimulationSettings settings;
  final Map<String, Cluster> clusters = new LinkedHashMap<>();
  final Map<String, List<TaskDef>> families = new LinkedHashMap<>();
  final Map<String, TaskFailure> failingTaskDefinitions = new HashMap<>();
  final Map<String, TaskFailure> failingImages = new HashMap<>();

  EcsState(String region, String accountId, EcsSimulationSettings settings) {
    this.region = Objects.requireNonNull(region, "region");
    this.accountId = Objects.requireNonNull(accountId, "accountId");
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  Cluster requireCluster(JsonNode req) {
    String ref = text(req, "cluster");
    Cluster c = clusters.get(clusterName(ref == null ? "default" : ref));
    if (c == null) {
      throw AwsErrorException.client("ClusterNotFoundException", "Cluster not found.");
    }
    return c;
  }

  static String clusterName(String ref) {
    if (ref.startsWith("arn:")) {
      int i = ref.indexOf(":cluster/");
      return i < 0 ? ref : ref.substring(i + ":cluster/".length());
    }
    return ref;
  }

  Service requireService(Cluster cluster, String ref) {
    Service s = ref == null ? null : cluster.services.get(serviceName(ref));
    if (s == null) {
      throw AwsErrorException.client("ServiceNotFoundException", "Service not found.");
    }
    return s;
  }

  static String serviceName(String ref) {
    return ref.startsWith("arn:") ? ref.substring(ref.lastIndexOf('/') + 1) : ref;
  }

  /** family (latest ACTIVE revision), family:revision or a full ARN. */
  TaskDef resolveTaskDef(String ref) {
    String r = ref;
    int slash = r.indexOf(":task-definition/");
    if (r.startsWith("arn:")) {
      if (slash < 0 || !inThisRegionAndAccount(r)) {
        return null;
      }
      r = r.substring(slash + ":task-definition/".length());
    }
    int colon = r.lastIndexOf(':');
    if (colon < 0) {
      List<TaskDef> revisions = families.get(r);
      if (revisions == null) {
        return null;
      }
      for (int i = revisions.size() - 1; i >= 0; i--) {
        if (revisions.get(i).status.equals("ACTIVE")) {
          return revisions.get(i);
        }
      }
      return null;
    }
    return resolveRevision(r);
  }

  /**
   * Whether an ARN names this region and account: task definitions are regional resources of one account (ECS
   * Developer Guide, "Amazon ECS task definitions"; the ARN format arn:aws:ecs:region:account:task-definition/...),
   * so ECS does not find a revision whose ARN names another region or account.
   */
  private boolean inThisRegionAndAccount(String arn) {
    String[] parts = arn.split(":", 6);
    return parts.length == 6 && parts[3].equals(region) && parts[4].equals(accountId);
  }

  /** family:revision or a full ARN, never a bare family. */
  TaskDef resolveRevision(String ref) {
    String r = ref;
    if (r.startsWith("arn:")) {
      int slash = r.indexOf(":task-definition/");
      if (slash < 0 || !inThisRegionAndAccount(r)) {
        return null;
      }
      r = r.substring(slash + ":task-definition/".length());
    }
    int colon = r.lastIndexOf(':');
    if (colon < 0) {
      return null;
    }
    List<TaskDef> revisions = families.get(r.substring(0, colon));
    int revision;
    try {
      revision = Integer.parseInt(r.substring(colon + 1));
    } catch (NumberFormatException e) {
      return null;
    }
    if (revisions == null || revision < 1 || revision > revisions.size()) {
      return null;
    }
    return revisions.get(revision - 1);
  }

  TaskDef requireTaskDefForService(String ref) {
    TaskDef def = ref == null ? null : resolveTaskDef(ref);
    if (def == null) {
      throw client("TaskDefinition not found.");
    }
    if (!def.status.equals("ACTIVE")) {
      throw client("TaskDefinition is inactive");
    }
    return def;
  }

  List<Tag> tagsOf(String arn) {
    if (arn == null || !arn.startsWith("arn:aws:ecs:")) {
      throw invalid("Invalid identifier: Unexpected ARN format: " + arn);
    }
    String[] arnParts = arn.split(":", 6);
    if (arnParts.length < 6) {
      throw invalid("Invalid identifier: Unexpected ARN format: " + arn);
    }
    String resource = arnParts[5];
    if (resource.startsWith("task-definition/")) {
      TaskDef def = resolveRevision(arn);
      if (def == null) {
        throw client("Unable to describe task definition.");
      }
      return def.tags;
    }
    String[] parts = resource.split("/");
    switch (parts[0]) {
      case "cluster" -> {
        Cluster c = clusters.get(parts[parts.length - 1]);
        if (c == null) {
          throw AwsErrorException.client("ClusterNotFoundException", "Cluster not found.");
        }
        return c.tags;
      }
      case "service" -> {
        Cluster c = parts.length == 3 ? clusters.get(parts[1]) : null;
        if (c == null) {
          throw AwsErrorException.client("ClusterNotFoundException", "Cluster not found.");
        }
        Service s = c.services.get(parts[2]);
        if (s == null) {
          throw AwsErrorException.client("ServiceNotFoundException", "Service not found.");
        }
        return s.tags;
      }
      case "task" -> {
        Cluster c = parts.length == 3 ? clusters.get(parts[1]) : null;
        Task t = c == null ? null : c.tasks.get(parts[2]);
        if (t == null) {
          throw invalid("The specified task is stopped or does not exist.");
        }
        return t.tags;
      }
      default -> throw invalid("Invalid identifier: Unexpected ARN format: " + arn);
    }
  }

  String clusterArn(String name) {
    return arn("cluster/" + name);
  }

  /** An ECS ARN of this region and account: {@code arn:aws:ecs:<region>:<account>:<resource>}. */
  String arn(String resource) {
    return "arn:aws:ecs:" + region + ":" + accountId + ":" + resource;
  }

  // ---------------------------------------------------------------------------------------------------------
  // The model

  record Tag(String key, String value) {}

  record Event(String id, Instant createdAt, String message) {}

  static final class Cluster {
    final String name;
    final String arn;
    final List<Tag> tags = new ArrayList<>();
    final Map<String, Service> services = new LinkedHashMap<>();
    final Map<String, Task> tasks = new LinkedHashMap<>();
    JsonNode settings;

    Cluster(String name, String arn) {
      this.name = name;
      this.arn = arn;
    }
  }

  static final class TaskDef {
    final String family;
    final int revision;
    final String arn;
    final ObjectNode body;
    final List<Tag> tags = new ArrayList<>();
    String status = "ACTIVE";
    Instant deregisteredAt;

    TaskDef(String family, int revision, String arn, ObjectNode body) {
      this.family = family;
      this.revision = revision;
      this.arn = arn;
      this.body = body;
    }

    ObjectNode render() {
      ObjectNode n = body.deepCopy();
      n.put("status", status);
      if (deregisteredAt != null) {
        n.set("deregisteredAt", timestamp(deregisteredAt));
      }
      return n;
    }
  }

  static final class Service {
    final String name;
    final String arn;
    final Cluster cluster;
    final Instant createdAt;
    final List<Tag> tags = new ArrayList<>();
    final List<Deployment> deployments = new ArrayList<>();
    final List<Event> events = new ArrayList<>();
    String status = "ACTIVE";
    String controller = "ECS";
    String launchType;
    int desiredCount;
    String taskDefinitionArn;
    ObjectNode deploymentConfiguration;
    ObjectNode request;
    Deployment lastCompleted;
    boolean steady;
    final List<ServiceDeploymentRecord> serviceDeployments = new ArrayList<>();
    ObjectNode staleAnswer;
    int staleReadsLeft;

    Service(String name, String arn, Cluster cluster, Instant createdAt) {
      this.name = name;
      this.arn = arn;
      this.cluster = cluster;
      this.createdAt = createdAt;
    }

    Deployment primary() {
      return deployments.get(0);
    }

    Deployment deployment(String id) {
      return deployments.stream().filter(d -> d.id.equals(id)).findFirst().orElse(null);
    }

    java.util.stream.Stream<Task> tasks() {
      return cluster.tasks.values().stream().filter(t -> t.service == this);
    }

    boolean hasNoTasks(Deployment d) {
      return tasksOf(d).allMatch(t -> "STOPPED".equals(t.lastStatus));
    }

    java.util.stream.Stream<Task> tasksOf(Deployment d) {
      return tasks().filter(t -> t.startedBy.equals(d.id));
    }
  }

  static final class Deployment {
    final String id;
    final String taskDefinitionArn;
    final Instant createdAt;
    String status;
    int desiredCount;
    int failedTasks;
    Instant updatedAt;
    String rolloutState = "IN_PROGRESS";
    String rolloutStateReason;
    /** The service deployment it carries out; null for a rollback deployment. */
    ServiceDeploymentRecord record;
    /** For a rollback deployment: the service deployment it rolls back. */
    ServiceDeploymentRecord rollbackOf;
    /** When a lagging failed deployment turns FAILED, and with what reason. */
    Instant failAt;
    String failReason;

    Deployment(String id, String taskDefinitionArn, int desiredCount, Instant createdAt) {
      this.id = id;
      this.taskDefinitionArn = taskDefinitionArn;
      this.desiredCount = desiredCount;
      this.createdAt = createdAt;
      this.updatedAt = createdAt;
      this.rolloutStateReason = "ECS deployment " + id + " in progress.";
    }
  }

  /**
   * A service deployment (API reference, ServiceDeployment): PENDING is skipped, IN_PROGRESS until the deployment
   * completes (SUCCESSFUL), the circuit breaker or an alarm fails it (ROLLBACK_IN_PROGRESS, then ROLLBACK_SUCCESSFUL
   * or ROLLBACK_FAILED; STOPPED without rollback), or a newer one starts (STOPPED).
   */
  static final class ServiceDeploymentRecord {
    final String arn;
    final String revisionArn;
    final Deployment deployment;
    final Instant createdAt;
    final List<String> sourceRevisionArns = new ArrayList<>();
    final List<String> triggeredAlarms = new ArrayList<>();
    Instant updatedAt;
    Instant finishedAt;
    String status = "IN_PROGRESS";
    String statusReason;
    String lifecycleStage;
    Instant stageAt;
    boolean blueGreen;
    ObjectNode deploymentConfiguration;
    String rollbackReason;
    Instant rollbackAt;
    String rollbackRevisionArn;
    String circuitBreakerStatus;
    String alarmsStatus;

    ServiceDeploymentRecord(String arn, String revisionArn, Deployment deployment, Instant createdAt) {
      this.arn = arn;
      this.revisionArn = revisionArn;
      this.deployment = deployment;
      this.createdAt = createdAt;
      this.updatedAt = createdAt;
    }
  }

  static final class Container {
    String arn;
    String name;
    String image;
    String cpu;
    String memory;
    Integer exitCode;
    String reason;
  }

  static final class Task {
    final String id;
    final String arn;
    final Service service;
    final String taskDefinitionArn;
    final String startedBy;
    final Instant createdAt;
    final List<Container> containers = new ArrayList<>();
    final List<Tag> tags = new ArrayList<>();
    String lastStatus = "PROVISIONING";
    String desiredStatus = "RUNNING";
    Instant pendingAt;
    Instant readyAt;
    Instant stopAt;
    Instant pullStartedAt;
    Instant pullStoppedAt;
    Instant startedAt;
    Instant stoppingAt;
    Instant stoppedAt;
    String stopCode;
    String stoppedReason;
    int version = 1;

    Task(String id, String arn, Service service, String taskDefinitionArn, String startedBy, Instant createdAt) {
      this.id = id;
      this.arn = arn;
      this.service = service;
      this.taskDefinitionArn = taskDefinitionArn;
      this.startedBy = startedBy;
      this.createdAt = createdAt;
    }

    /** Launched, wanted, not yet RUNNING. */
    boolean isPending() {
      return desiredStatus.equals("RUNNING") && !lastStatus.equals("RUNNING") && !lastStatus.equals("STOPPED");
    }

    /** Wanted running: pending or running, not being stopped. */
    boolean isLive() {
      return desiredStatus.equals("RUNNING") && !lastStatus.equals("STOPPED");
    }

    Instant dueAt() {
      if (lastStatus.equals("STOPPED")) {
        return null;
      }
      if (stopAt != null) {
        return stopAt;
      }
      return pendingAt != null ? pendingAt : readyAt;
    }
  }
}
