package io.github.ecsdeploy.standin.ecs;

import static io.github.ecsdeploy.standin.ecs.EcsJson.*;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.ecsdeploy.standin.ecs.EcsState.Cluster;
import io.github.ecsdeploy.standin.ecs.EcsState.Container;
import io.github.ecsdeploy.standin.ecs.EcsState.Deployment;
import io.github.ecsdeploy.standin.ecs.EcsState.Event;
import io.github.ecsdeploy.standin.ecs.EcsState.Service;
import io.github.ecsdeploy.standin.ecs.EcsState.ServiceDeploymentRecord;
import io.github.ecsdeploy.standin.ecs.EcsState.Task;
import io.github.ecsdeploy.standin.ecs.EcsState.TaskDef;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

/**
 * The deployment simulator: the service scheduler (launching and stopping tasks within minimumHealthyPercent and
 * maximumPercent), task start and stop over simulated time, the circuit breaker and alarms with their rollback, and
 * blue/green lifecycle stages. It is lazy: there are no threads; {@link #advance} replays every task transition due
 * up to an instant at the instant it was due.
 */
final class EcsScheduler {

  private static final Duration STOPPED_TASK_RETENTION = Duration.ofHours(1);
  private static final int MAX_EVENTS = 100;
  private static final String ROLLOUT_FAILED_REASON = "ECS deployment circuit breaker: tasks failed to start.";

  private final EcsState state;

  EcsScheduler(EcsState state) {
    this.state = state;
  }

  /** The essential container of every RUNNING task of the service exits now (see EcsService#crashRunningTasks). */
  int crashRunningTasks(Service s, TaskFailure failure, Instant now) {
    List<Task> running = s.tasks().filter(t -> "RUNNING".equals(t.lastStatus) && t.desiredStatus.equals("RUNNING"))
        .toList();
    for (Task t : running) {
      t.version++;
      failTask(t, failure, now);
    }
    reconcile(s, now);
    return running.size();
  }

  /** The CloudWatch alarm goes into ALARM (see EcsService#triggerAlarm); whether a deployment was failed by it. */
  boolean triggerAlarm(Service s, String alarmName, Instant now) {
    JsonNode alarms = s.deploymentConfiguration.path("alarms");
    boolean watched = alarms.path("enable").asBoolean(false)
        && strings(alarms.get("alarmNames")).contains(alarmName);
    Deployment primary = s.deployments.isEmpty() ? null : s.primary();
    if (!watched || primary == null || !primary.rolloutState.equals("IN_PROGRESS")) {
      return false;
    }
    if (primary.record != null) {
      primary.record.alarmsStatus = "TRIGGERED";
      primary.record.triggeredAlarms.add(alarmName);
    }
    event(s, now, "(service " + s.name + ") (deployment " + primary.id + ") deployment failed: alarm detected.");
    failDeployment(s, primary, alarms.path("rollback").asBoolean(false), now,
        "ECS deployment alarm: CloudWatch alarm " + alarmName + " is in ALARM state.", "alarm");
    reconcile(s, now);
    return true;
  }

  /** Replays every task transition due up to {@code now} at the instant it was due, then reconciles at now. */
  void advance(Instant now) {
    int guard = 0;
    while (guard++ < 1_000_000) {
      Instant next = null;
      for (Cluster c : state.clusters.values()) {
        for (Task t : c.tasks.values()) {
          Instant due = t.dueAt();
          if (due != null && (next == null || due.isBefore(next))) {
            next = due;
          }
        }
      }
      if (next == null || next.isAfter(now)) {
        break;
      }
      Instant at = next;
      for (Cluster c : state.clusters.values()) {
        for (Task t : new ArrayList<>(c.tasks.values())) {
          if (at.equals(t.dueAt())) {
            transition(t, at);
          }
        }
      }
      for (Cluster c : state.clusters.values()) {
        for (Service s : c.services.values()) {
          reconcile(s, at);
        }
      }
    }
    for (Cluster c : state.clusters.values()) {
      for (Service s : c.services.values()) {
        reconcile(s, now);
      }
      Instant horizon = now.minus(STOPPED_TASK_RETENTION);
      c.tasks.values().removeIf(t -> t.stoppedAt != null && t.stoppedAt.isBefore(horizon));
    }
  }

  void transition(Task t, Instant at) {
    t.version++;
    if (t.lastStatus.equals("STOPPING") || t.desiredStatus.equals("STOPPED")) {
      t.lastStatus = "STOPPED";
      t.stoppedAt = at;
      t.stopAt = null;
      t.readyAt = null;
      t.pendingAt = null;
      for (Container c : t.containers) {
        if (c.exitCode == null && t.startedAt != null) {
          c.exitCode = 0;
        }
      }
      return;
    }
    if (t.pendingAt != null) {
      t.lastStatus = "PENDING";
      t.pendingAt = null;
      return;
    }
    // a starting task reaches the end of its start delay
    t.readyAt = null;
    t.pullStartedAt = t.createdAt.plus(Duration.between(t.createdAt, at).dividedBy(4));
    t.pullStoppedAt = t.createdAt.plus(Duration.between(t.createdAt, at).dividedBy(2));
    TaskFailure failure = failureFor(t);
    if (failure == null) {
      t.lastStatus = "RUNNING";
      t.startedAt = at;
      return;
    }
    if (failure.started()) {
      t.startedAt = at;
    } else {
      t.pullStartedAt = null;
      t.pullStoppedAt = null;
    }
    failTask(t, failure, at);
  }

  /** The task stops at once the given way, and counts as a failed task of its deployment. */
  private static void failTask(Task t, TaskFailure failure, Instant at) {
    t.lastStatus = "STOPPED";
    t.desiredStatus = "STOPPED";
    t.stopCode = failure.stopCode();
    t.stoppedReason = failure.stoppedReason();
    t.stoppingAt = at;
    t.stoppedAt = at;
    for (Container c : t.containers) {
      c.exitCode = failure.exitCode();
      c.reason = failure.containerReason();
    }
    Deployment d = t.service.deployment(t.startedBy);
    if (d != null) {
      d.failedTasks++;
      d.updatedAt = at;
    }
  }

  TaskFailure failureFor(Task t) {
    TaskFailure f = state.failingTaskDefinitions.get(t.taskDefinitionArn);
    if (f != null) {
      return f;
    }
    for (Container c : t.containers) {
      f = state.failingImages.get(c.image);
      if (f != null) {
        return f;
      }
    }
    return null;
  }

  /** A DRAINING service whose tasks have all stopped is INACTIVE (DeleteService). */
  static void finishDraining(Service s) {
    if (s.status.equals("DRAINING") && s.tasks().allMatch(t -> "STOPPED".equals(t.lastStatus))) {
      s.status = "INACTIVE";
    }
  }

  /** One scheduler pass of a service at instant {@code at}: circuit breaker, stops, launches, completion. */
  void reconcile(Service s, Instant at) {
    finishDraining(s);
    if (!s.status.equals("ACTIVE") || s.deployments.isEmpty()) {
      return;
    }
    Deployment primary = s.primary();
    JsonNode cb = s.deploymentConfiguration.path("deploymentCircuitBreaker");
    if (primary.rolloutState.equals("IN_PROGRESS") && primary.failAt == null && cb.path("enable").asBoolean(false)
        && primary.failedTasks >= failureThreshold(primary.desiredCount)) {
      if (primary.record != null) {
        primary.record.circuitBreakerStatus = "TRIGGERED";
      }
      event(s, at, "(service " + s.name + ") (deployment " + primary.id + ") deployment failed: tasks failed to"
          + " start.");
      failDeployment(s, primary, cb.path("rollback").asBoolean(false), at, ROLLOUT_FAILED_REASON,
          "circuit breaker");
      primary = s.primary();
    }
    // a lagging rollback: the failed deployment turns FAILED once the lag is over
    for (Deployment d : s.deployments) {
      if (d.failAt != null && !at.isBefore(d.failAt)) {
        d.rolloutState = "FAILED";
        d.rolloutStateReason = d.failReason;
        d.updatedAt = d.failAt;
        d.failAt = null;
      }
    }
    ServiceDeploymentRecord green = primary.record != null && primary.record.blueGreen
        && primary.rolloutState.equals("IN_PROGRESS") ? primary.record : null;
    if (green != null) {
      advanceStages(s, primary, green, at);
    }
    // Blue/green: the blue tasks keep serving until clean-up, and green scales up to the full count beside them.
    boolean keepBlue = green != null && !"CLEAN_UP".equals(green.lifecycleStage);
    int desired = primary.desiredCount;
    int maxTotal = keepBlue ? Integer.MAX_VALUE : Math.max(desired, (int) Math.floor(desired
        * s.deploymentConfiguration.path("maximumPercent").asInt(200) / 100.0));
    int minHealthy = (int) Math.ceil(desired * s.deploymentConfiguration.path("minimumHealthyPercent")
        .asInt(100) / 100.0);

    // 1. tasks of older deployments that have not started yet are stopped at once
    for (Deployment d : s.deployments) {
      if (d != primary) {
        for (Task t : s.tasksOf(d).filter(Task::isPending).toList()) {
          stopTask(t, "Scaling activity initiated by (deployment " + primary.id + ")", at);
        }
      }
    }
    // 2. the primary scales in if it has more tasks than it wants
    List<Task> primaryLive = s.tasksOf(primary).filter(Task::isLive).toList();
    List<Task> stopped = new ArrayList<>();
    if (primaryLive.size() > desired) {
      List<Task> surplus = new ArrayList<>(primaryLive);
      surplus.sort(Comparator.comparing((Task t) -> !t.isPending()).thenComparing(t -> t.createdAt));
      for (Task t : surplus.subList(0, primaryLive.size() - desired)) {
        if (!t.isPending()) {
          stopped.add(t);
        }
        stopTask(t, "Scaling activity initiated by (deployment " + primary.id + ")", at);
      }
    }
    // 3. running tasks of older deployments are stopped as long as enough healthy tasks remain
    long healthy = s.tasks().filter(t -> "RUNNING".equals(t.lastStatus)).count();
    long canStop = keepBlue ? 0 : healthy - minHealthy;
    for (Deployment d : List.copyOf(s.deployments)) {
      if (d == primary) {
        continue;
      }
      for (Task t : s.tasksOf(d).filter(t -> "RUNNING".equals(t.lastStatus)).toList()) {
        if (canStop <= 0) {
          break;
        }
        stopTask(t, "Scaling activity initiated by (deployment " + primary.id + ")", at);
        stopped.add(t);
        canStop--;
      }
    }
    if (!stopped.isEmpty()) {
      event(s, at, "(service " + s.name + ") has stopped " + stopped.size() + " running tasks: "
          + taskList(stopped) + ".");
    }
    // 4. the primary launches what it lacks, within maximumPercent
    if (!primary.rolloutState.equals("FAILED")) {
      long live = s.tasks().filter(Task::isLive).count();
      long need = desired - s.tasksOf(primary).filter(Task::isLive).count();
      long launch = Math.min(need, maxTotal - live);
      if (launch > 0) {
        TaskDef def = state.resolveRevision(primary.taskDefinitionArn);
        List<Task> started = new ArrayList<>();
        for (int i = 0; i < launch; i++) {
          started.add(launchTask(s, primary, def, at));
        }
        event(s, at, "(service " + s.name + ") has started " + started.size() + " tasks: " + taskList(started)
            + ".");
      }
    }
    // 5. older deployments without tasks are gone; a FAILED one (or one about to turn FAILED) stays visible until
    // the primary completes
    Deployment p = primary;
    s.deployments.removeIf(d -> d != p && !d.rolloutState.equals("FAILED") && d.failAt == null && s.hasNoTasks(d));
    // 6. completion and steady state
    long running = s.tasksOf(primary).filter(t -> "RUNNING".equals(t.lastStatus)).count();
    boolean settled = s.deployments.stream().allMatch(d -> d == p || s.hasNoTasks(d))
        && running == desired
        && s.tasks().allMatch(t -> "STOPPED".equals(t.lastStatus)
            || "RUNNING".equals(t.lastStatus) && t.startedBy.equals(p.id));
    if (settled) {
      for (Deployment d : s.deployments) {
        if (d != p && d.failAt != null) { // the lag ends with the rollback at the latest
          d.rolloutState = "FAILED";
          d.rolloutStateReason = d.failReason;
          d.failAt = null;
        }
      }
      s.deployments.removeIf(d -> d != p);
    }
    if (settled && primary.rolloutState.equals("IN_PROGRESS")) {
      primary.rolloutState = "COMPLETED";
      primary.rolloutStateReason = "ECS deployment " + primary.id + " completed.";
      primary.updatedAt = at;
      s.lastCompleted = primary;
      event(s, at, "(service " + s.name + ") (deployment " + primary.id + ") deployment completed.");
      finishRecords(primary, at);
    }
    boolean steady = settled && !primary.rolloutState.equals("FAILED");
    if (steady && !s.steady) {
      event(s, at, "(service " + s.name + ") has reached a steady state.");
    }
    s.steady = steady;
  }

  /**
   * The lifecycle stages of a blue/green deployment ("Amazon ECS blue/green deployments", lifecycle stages):
   * SCALE_UP until every green task runs, then TEST_TRAFFIC_SHIFT and PRODUCTION_TRAFFIC_SHIFT (one task-start delay
   * each here), then BAKE_TIME for the bake time, then CLEAN_UP, which stops the blue tasks.
   */
  void advanceStages(Service s, Deployment green, ServiceDeploymentRecord r, Instant at) {
    Duration step = state.settings.taskStartDelay();
    Duration bake = state.settings.bakeTime() != null ? state.settings.bakeTime()
        : Duration.ofMinutes(s.deploymentConfiguration.path("bakeTimeInMinutes").asInt(0));
    while (true) {
      Instant next;
      String stage;
      switch (r.lifecycleStage) {
        case "SCALE_UP" -> {
          if (s.tasksOf(green).filter(t -> "RUNNING".equals(t.lastStatus)).count() < green.desiredCount) {
            return;
          }
          next = at;
          stage = "TEST_TRAFFIC_SHIFT";
        }
        case "TEST_TRAFFIC_SHIFT" -> {
          next = r.stageAt.plus(step);
          stage = "PRODUCTION_TRAFFIC_SHIFT";
        }
        case "PRODUCTION_TRAFFIC_SHIFT" -> {
          next = r.stageAt.plus(step);
          stage = "BAKE_TIME";
        }
        case "BAKE_TIME" -> {
          next = r.stageAt.plus(bake);
          stage = "CLEAN_UP";
        }
        default -> {
          return;
        }
      }
      if (next.isAfter(at)) {
        return;
      }
      r.lifecycleStage = stage;
      r.stageAt = next;
      r.updatedAt = next;
      event(s, next, "(service " + s.name + ") (deployment " + green.id + ") entered lifecycle stage " + stage
          + ".");
    }
  }

  /** The primary completed: its service deployment, or the one it rolled back, is finished. */
  static void finishRecords(Deployment primary, Instant at) {
    if (primary.record != null) {
      primary.record.status = "SUCCESSFUL";
      primary.record.lifecycleStage = null;
      primary.record.finishedAt = at;
      primary.record.updatedAt = at;
      if ("MONITORING".equals(primary.record.circuitBreakerStatus)) {
        primary.record.circuitBreakerStatus = "MONITORING_COMPLETE";
      }
      if ("MONITORING".equals(primary.record.alarmsStatus)) {
        primary.record.alarmsStatus = "MONITORING_COMPLETE";
      }
    }
    if (primary.rollbackOf != null) {
      primary.rollbackOf.status = "ROLLBACK_SUCCESSFUL";
      primary.rollbackOf.finishedAt = at;
      primary.rollbackOf.updatedAt = at;
    }
  }

  /** ECS: min(200, max(3, ceil(desired / 2))). */
  static int failureThreshold(int desired) {
    return Math.min(200, Math.max(3, (desired + 1) / 2));
  }

  /**
   * Fails a deployment (circuit breaker or alarm). With rollback and a COMPLETED deployment to go back to, ECS
   * starts a new PRIMARY deployment of that revision whose rolloutStateReason names it ("ECS deployment circuit
   * breaker: rolling back to deploymentId ecs-svc/..." in captures of real rollbacks); the failed one may lag
   * IN_PROGRESS for {@link EcsSimulationSettings#rollbackLag()}. The service deployment does not get a new revision:
   * it moves to ROLLBACK_IN_PROGRESS and, when the rollback completes, ROLLBACK_SUCCESSFUL, with {@code rollback}
   * naming the revision ("Amazon ECS doesn't create a new service revision for a rollback operation. Amazon ECS
   * uses the last successful service revision for the rollback", ECS Developer Guide, "Amazon ECS service
   * revisions"). Without rollback, or with nothing COMPLETED to go back to ("The rollback method requires a previous
   * deployment in COMPLETED state", "Amazon ECS deployment failure detection"), the deployment is FAILED and the
   * service deployment STOPPED.
   */
  void failDeployment(Service s, Deployment failed, boolean rollback, Instant at, String reason,
      String detector) {
    failed.updatedAt = at;
    s.steady = false;
    Deployment target = s.lastCompleted;
    // a revision that fails is not rolled back to itself (that would loop)
    boolean rollsBack = rollback && target != null && !target.taskDefinitionArn.equals(failed.taskDefinitionArn);
    if (failed.rollbackOf != null) {
      failed.rollbackOf.status = "ROLLBACK_FAILED";
      failed.rollbackOf.statusReason = "The rollback failed: " + reason;
      failed.rollbackOf.finishedAt = at;
      failed.rollbackOf.updatedAt = at;
    }
    if (rollsBack && !state.settings.rollbackLag().isZero()) {
      failed.failAt = at.plus(state.settings.rollbackLag());
      failed.failReason = reason;
    } else {
      failed.rolloutState = "FAILED";
      failed.rolloutStateReason = reason;
    }
    ServiceDeploymentRecord r = failed.record;
    if (!rollsBack) {
      if (r != null) {
        r.status = "STOPPED";
        r.statusReason = reason + (rollback ? " Rollback is on, but there is no COMPLETED deployment to roll back"
            + " to." : "");
        r.lifecycleStage = null;
        r.finishedAt = at;
        r.updatedAt = at;
      }
      return;
    }
    Deployment back = startDeployment(s, target.taskDefinitionArn, at);
    back.rolloutStateReason = "ECS deployment " + detector + ": rolling back to deploymentId " + target.id + ".";
    event(s, at, "(service " + s.name + ") rolling back to deployment " + target.id + ".");
    if (r != null) {
      r.status = "ROLLBACK_IN_PROGRESS";
      r.statusReason = reason;
      r.rollbackReason = reason;
      r.rollbackAt = at;
      r.rollbackRevisionArn = target.record != null ? target.record.revisionArn : null;
      r.updatedAt = at;
      back.rollbackOf = r;
    }
  }

  Deployment startDeployment(Service s, String taskDefinitionArn, Instant now) {
    for (Deployment old : s.deployments) {
      old.status = "ACTIVE";
    }
    Deployment d = new Deployment(newDeploymentId(), taskDefinitionArn, s.desiredCount, now);
    d.status = "PRIMARY";
    s.deployments.add(0, d);
    s.taskDefinitionArn = taskDefinitionArn;
    s.steady = false;
    return d;
  }

  /**
   * The service deployment of a deployment that CreateService or UpdateService started, with a new service
   * revision ("Amazon ECS automatically creates a new service revision when you create a service, or update a
   * service property that starts a deployment", ECS Developer Guide, "Amazon ECS service revisions"). A service
   * deployment still PENDING or IN_PROGRESS is STOPPED by the newer one (ECS Developer Guide, "View service
   * history using Amazon ECS service deployments"; the statusReason text is ours).
   */
  ServiceDeploymentRecord newRecord(Service s, Deployment d, Instant now, boolean blueGreen) {
    for (ServiceDeploymentRecord older : s.serviceDeployments) {
      if (older.status.equals("PENDING") || older.status.equals("IN_PROGRESS")) {
        older.status = "STOPPED";
        older.statusReason = "Stopped because a newer service deployment started.";
        older.finishedAt = now;
        older.updatedAt = now;
        older.lifecycleStage = null;
      }
    }
    ServiceDeploymentRecord r = new ServiceDeploymentRecord(
        state.arn("service-deployment/" + s.cluster.name + "/" + s.name + "/"
            + UUID.randomUUID().toString().replace("-", "").substring(0, 21)),
        state.arn("service-revision/" + s.cluster.name + "/" + s.name + "/"
            + newDeploymentId().substring("ecs-svc/".length())),
        d, now);
    r.deploymentConfiguration = s.deploymentConfiguration.deepCopy();
    r.blueGreen = blueGreen;
    r.circuitBreakerStatus = s.deploymentConfiguration.path("deploymentCircuitBreaker").path("enable")
        .asBoolean(false) ? "MONITORING" : "DISABLED";
    r.alarmsStatus = s.deploymentConfiguration.path("alarms").path("enable").asBoolean(false) ? "MONITORING"
        : "DISABLED";
    if (blueGreen) {
      // "Amazon ECS blue/green deployments": the green revision scales up first, then test and production traffic
      // shift to it, the bake time runs, and clean-up removes the blue revision.
      r.lifecycleStage = "SCALE_UP";
      r.stageAt = now;
    }
    for (Deployment other : s.deployments) {
      if (other != d && other.record != null) {
        r.sourceRevisionArns.add(other.record.revisionArn);
      }
    }
    s.serviceDeployments.add(r);
    return r;
  }

  Task launchTask(Service s, Deployment d, TaskDef def, Instant at) {
    String id = UUID.randomUUID().toString().replace("-", "");
    Task t = new Task(id, state.arn("task/" + s.cluster.name + "/" + id), s,
        d.taskDefinitionArn, d.id, at);
    Duration delay = state.settings.taskStartDelay();
    t.readyAt = at.plus(delay);
    if (delay.dividedBy(2).compareTo(Duration.ZERO) > 0) {
      t.pendingAt = at.plus(delay.dividedBy(2));
    }
    for (JsonNode cd : def.body.get("containerDefinitions")) {
      Container c = new Container();
      c.arn = state.arn("container/" + s.cluster.name + "/" + id + "/" + UUID.randomUUID());
      c.name = text(cd, "name");
      c.image = text(cd, "image");
      c.cpu = cd.path("cpu").asText("0");
      c.memory = cd.hasNonNull("memory") ? cd.get("memory").asText() : null;
      t.containers.add(c);
    }
    s.cluster.tasks.put(id, t);
    d.updatedAt = at;
    return t;
  }

  void stopTask(Task t, String reason, Instant at) {
    if (t.desiredStatus.equals("STOPPED")) {
      return;
    }
    t.desiredStatus = "STOPPED";
    t.lastStatus = t.startedAt != null ? "STOPPING" : t.lastStatus;
    t.readyAt = null;
    t.pendingAt = null;
    t.stopAt = at.plus(state.settings.taskStopDelay());
    t.stoppingAt = at;
    t.stopCode = "ServiceSchedulerInitiated";
    t.stoppedReason = reason;
    t.version++;
  }

  static String taskList(List<Task> tasks) {
    return tasks.stream().map(t -> "(task " + t.id + ")").collect(Collectors.joining(" "));
  }

  static void event(Service s, Instant at, String message) {
    s.events.add(0, new Event(UUID.randomUUID().toString(), at, message));
    while (s.events.size() > MAX_EVENTS) {
      s.events.remove(s.events.size() - 1);
    }
  }

  static String newDeploymentId() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    StringBuilder b = new StringBuilder("ecs-svc/").append(1 + r.nextInt(9));
    for (int i = 0; i < 18; i++) {
      b.append(r.nextInt(10));
    }
    return b.toString();
  }
}
