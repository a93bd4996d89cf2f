package io.github.ecsdeploy.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ClientException;
import software.amazon.awssdk.services.ecs.model.ClusterNotFoundException;
import software.amazon.awssdk.services.ecs.model.Container;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.DeploymentControllerType;
import software.amazon.awssdk.services.ecs.model.DeploymentRolloutState;
import software.amazon.awssdk.services.ecs.model.DescribeServicesResponse;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.Failure;
import software.amazon.awssdk.services.ecs.model.InvalidParameterException;
import software.amazon.awssdk.services.ecs.model.ListTasksResponse;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceDeployment;
import software.amazon.awssdk.services.ecs.model.ServiceDeploymentLifecycleStage;
import software.amazon.awssdk.services.ecs.model.ServiceNotActiveException;
import software.amazon.awssdk.services.ecs.model.ServiceNotFoundException;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * The {@code update-service} logic: puts one exact task definition revision on an ECS service and watches
 * the deployment that this call created until it completes, fails, is rolled back or replaced, or times out.
 *
 * <p>Before changing anything it checks that the service exists, is ACTIVE and is deployed by ECS itself (not
 * CodeDeploy or an external controller). A service that already runs the revision in one finished deployment
 * is left alone unless a new deployment is forced. The desired count is never changed.
 *
 * <p>Time comes from the injected {@link Clock} and waiting goes through the injected {@link Sleeper}, so
 * tests drive a 15-minute timeout without sleeping.
 */
public final class ServiceDeployer {

  private static final int MAX_STOPPED_TASKS_SHOWN = 10;
  /** DescribeTasks takes at most 100 tasks per call (API reference). */
  private static final int DESCRIBE_TASKS_MAX = 100;
  /**
   * Polls for which a COMPLETED read of {@code deployments[]} waits for our service deployment to show up when the
   * role may read service deployments (ListServiceDeployments is eventually consistent too).
   */
  private static final int UNCONFIRMED_SUCCESS_POLLS = 3;

  private final EcsClient ecs;
  private final DeployLog log;
  private final Clock clock;
  private final Sleeper sleeper;

  /**
   * @param ecs the ECS client (DescribeServices, UpdateService, ListServiceDeployments, DescribeServiceDeployments,
   *     ListTasks and DescribeTasks are used)
   * @param log where progress, events and stopped-task reasons go
   * @param clock the source of time for the timeout and the recorded timings
   * @param sleeper waits between polls
   */
  public ServiceDeployer(EcsClient ecs, DeployLog log, Clock clock, Sleeper sleeper) {
    this.ecs = Objects.requireNonNull(ecs, "ecs");
    this.log = Objects.requireNonNull(log, "log");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
  }

  /**
   * Deploys {@code request.taskDefinitionArn()} and, when asked to, waits for that deployment.
   *
   * @param recorder receives the result once ECS was reached, on success and on failure, before this method
   *     returns or throws
   * @return the result of a successful run (COMPLETED, UNCHANGED or STARTED)
   * @throws UserInputException the cluster or service does not exist, the service is not ACTIVE or not deployed
   *     by ECS, or ECS refused the revision; nothing was changed
   * @throws DeploymentFailedException the deployment failed, was rolled back or replaced, or timed out
   * @throws ExternalFailureException ECS answered unexpectedly or could not be followed while waiting
   * @throws SdkException AWS could not be called before anything changed (credentials, network, permissions);
   *     left to the caller, which knows the region and credentials to name
   */
  public DeploymentResult deploy(UpdateServiceRequest request, DeploymentRecorder recorder) {
    return deploy(request, recorder, null);
  }

  /**
   * {@link #deploy(UpdateServiceRequest, DeploymentRecorder)} of a revision that a state file of an earlier goal
   * named ({@code task-definition.json}), not the user: such a file may come from another service's build (a
   * reused workspace, an artifact of another job), so a revision of another family than the one the service runs
   * is refused before anything changes. A revision the user gives directly may change the family.
   *
   * @param stateFile the file the revision came from, named in the message; {@code null}: given by the user
   */
  public DeploymentResult deploy(UpdateServiceRequest request, DeploymentRecorder recorder, String stateFile) {
    Instant startedAt = clock.instant();
    Service before = ServiceLookup.active(ecs, request.cluster(), request.service());
    checkDeployable(before, request);
    if (stateFile != null) {
      checkSameFamily(before, request, stateFile);
    }
    String name = before.serviceName() != null ? before.serviceName() : request.service();
    String revision = TaskDefinitionNames.shortName(request.taskDefinitionArn());

    Deployment current = finishedDeploymentOf(before, request.taskDefinitionArn());
    if (current != null && !request.forceNewDeployment()) {
      DeploymentRun run = new DeploymentRun(request, name, current.id(), startedAt);
      if (!Objects.equals(current.runningCount(), current.desiredCount())) {
        String message = "Service " + name + " already runs " + revision + " in deployment " + current.id()
            + ", which COMPLETED, but it is not healthy now: " + DeploymentVerdict.counts(current) + ". Its tasks"
            + " keep stopping (see why below). No new deployment was started: the same revision would fail the"
            + " same way. Deploy a fixed revision, or set " + UpdateServiceRequest.FORCE_NEW_DEPLOYMENT.both()
            + "=true to start a new deployment of this one anyway.";
        throw fail(recorder, run, DeploymentOutcome.FAILED, message);
      }
      String message = "Service " + name + " already runs " + revision + " in deployment " + current.id()
          + " (" + DeploymentVerdict.counts(current) + "); no new deployment was started. Set "
          + UpdateServiceRequest.FORCE_NEW_DEPLOYMENT.both() + "=true to start one anyway.";
      log.info(message);
      return succeed(recorder, run, DeploymentOutcome.UNCHANGED, message);
    }

    Service updated = update(request, name);
    Deployment ours = updated.deployments().stream()
        .filter(d -> "PRIMARY".equals(d.status()) && request.taskDefinitionArn().equals(d.taskDefinition()))
        .findFirst()
        .orElseThrow(() -> new ExternalFailureException(
            "UpdateService of service " + name + " answered without a PRIMARY deployment of " + revision
                + "; its deployments are " + describeDeployments(updated.deployments())
                + ". Check the service in the ECS console.",
            null));
    boolean reused = before.deployments().stream().anyMatch(d -> ours.id().equals(d.id()));
    log.info((reused
            ? "ECS started no new deployment: " + revision + " was already deploying; watching deployment "
            : "Started deployment ")
        + ours.id() + " of " + revision + " on service " + name + " in cluster " + request.cluster()
        + (request.forceNewDeployment() ? " (forced new deployment)." : "."));
    DeploymentRun run = new DeploymentRun(request, name, ours.id(), startedAt);

    if (!request.waitForCompletion()) {
      String message = "Deployment " + ours.id() + " of " + revision + " started; not waiting for it ("
          + UpdateServiceRequest.WAIT.both() + "=false).";
      log.info(message);
      return succeed(recorder, run, DeploymentOutcome.STARTED, message);
    }
    return watch(run, before, updated, ours, recorder);
  }

  /**
   * Polls until a verdict or the deadline. Each poll reads DescribeServices (events, counts, the fallback verdict)
   * and our service deployment (the authoritative verdict). A poll that fails (throttling, 5xx, I/O) is never a
   * verdict: it is logged at debug level and the next poll tries again, until the deadline.
   */
  private DeploymentResult watch(
      DeploymentRun run, Service before, Service updated, Deployment ours, DeploymentRecorder recorder) {
    UpdateServiceRequest request = run.request();
    DeploymentWatch watch = new DeploymentWatch(run.serviceName(), log);
    watch.ignoreEventsOf(before);
    DeploymentVerdict.Context context = new DeploymentVerdict.Context(
        ours.id(), ours.createdAt(), request.taskDefinitionArn(), before, false);
    String knownServiceDeployment = updated.currentServiceDeployment() != null
        && !updated.currentServiceDeployment().equals(before.currentServiceDeployment())
        ? updated.currentServiceDeployment() : null;
    ServiceDeploymentTracker tracker = new ServiceDeploymentTracker(
        ecs, log, request.cluster(), request.service(), knownServiceDeployment, ours.createdAt());
    Instant deadline = clock.instant().plus(request.timeout());
    Service snapshot = updated;
    ServiceDeployment sd = null;
    Deployment lastOurs = ours;
    int unconfirmedSuccesses = 0;
    int failedPolls = 0;
    String lastFailure = null;
    PollPace pace = new PollPace(request.pollInterval());
    String lastSeen = null;
    while (true) {
      DeploymentVerdict fromList = null;
      if (snapshot != null) {
        if (DeploymentVerdict.stale(snapshot, context)) {
          log.debug("DescribeServices answered with the service as it was before our UpdateService (ECS reads are"
              + " eventually consistent); waiting for a newer read.");
        } else {
          if (snapshot != updated && snapshot.deployments().stream().anyMatch(d -> run.deploymentId().equals(d.id()))) {
            context = context.seen();
          }
          fromList = DeploymentVerdict.judge(snapshot, context);
          lastOurs = fromList.ours() != null ? fromList.ours() : lastOurs;
          watch.report(snapshot, fromList.ours(), sd);
        }
      }
      // a stale read cannot name the revision ECS rolled back to, nor a replacement
      DeploymentVerdict fromRecord = sd == null ? null
          : tracker.judge(sd, fromList == null ? null : snapshot, context, run.deploymentId());
      DeploymentVerdict verdict = null;
      if (fromRecord != null && fromRecord.done()) {
        verdict = fromRecord;
      } else if (fromList != null && fromList.done()) {
        boolean success = fromList.outcome() == DeploymentOutcome.COMPLETED;
        // A success from deployments[] waits for the authoritative record while the role may read it: a blue/green
        // deployment's bake time follows the shift of all traffic, and only the service deployment tells its end.
        if (!success || !tracker.available() || sd == null && ++unconfirmedSuccesses > UNCONFIRMED_SUCCESS_POLLS) {
          verdict = fromList;
        }
      }
      if (verdict != null) {
        if (verdict.outcome().success()) {
          log.info(verdict.message());
          return succeed(recorder, run, verdict.outcome(), verdict.message());
        }
        throw fail(recorder, run, verdict.outcome(), verdict.message());
      }
      Instant now = clock.instant();
      if (!now.isBefore(deadline)) {
        String message = timeoutMessage(request, snapshot, lastOurs, sd, run.deploymentId(), failedPolls, lastFailure);
        throw fail(recorder, run, DeploymentOutcome.TIMED_OUT, message);
      }
      String seen = progress(fromList == null ? null : snapshot, sd);
      boolean moved = seen != null && !seen.equals(lastSeen);
      lastSeen = seen != null ? seen : lastSeen;
      Duration interval = pace.next(moved, finalStretch(fromList, sd));
      Duration remaining = Duration.between(now, deadline);
      sleep(remaining.compareTo(interval) < 0 ? remaining : interval, run.deploymentId());

      String failure = null;
      String throttled = null;
      try {
        snapshot = readService(request, run.deploymentId());
      } catch (SdkException e) {
        snapshot = null;
        failure = "DescribeServices: " + e.getMessage();
        throttled = throttling(e) ? "DescribeServices" : null;
      }
      try {
        ServiceDeployment next = tracker.poll();
        sd = next != null ? next : sd;
      } catch (SdkException e) {
        failure = (failure == null ? "" : failure + "; ") + "service deployments: " + e.getMessage();
        throttled = throttling(e) ? (throttled == null ? "" : throttled + ", ") + "service deployments" : throttled;
      }
      if (throttled != null) {
        log.info("ECS throttles this account's API calls (ThrottlingException on " + throttled + ", after the AWS"
            + " SDK's retries): the deployment goes on, the next poll in " + Durations.human(pace.throttled()) + ".");
      } else if (failure == null) {
        pace.answered();
      }
      if (failure != null) {
        failedPolls++;
        lastFailure = failure;
        log.debug("A poll of deployment " + run.deploymentId() + " failed (" + failure + "); trying again at the"
            + " next poll until the timeout.");
      } else {
        failedPolls = 0;
      }
    }
  }

  /** ECS's ThrottlingException (HTTP 400, API reference "Common Errors"), as the SDK classifies it. */
  private static boolean throttling(SdkException e) {
    return e instanceof software.amazon.awssdk.awscore.exception.AwsServiceException a && a.isThrottlingException();
  }

  /**
   * What a poll saw of the rollout, to tell whether anything moved since the poll before: every deployment's status,
   * rollout state and counts, the newest event, and the service deployment's status and stage. {@code null} when
   * the poll saw nothing (it failed, or the read was stale).
   */
  private static String progress(Service service, ServiceDeployment sd) {
    if (service == null && sd == null) {
      return null;
    }
    StringBuilder seen = new StringBuilder();
    if (service != null) {
      for (Deployment d : service.deployments()) {
        seen.append(d.id()).append(' ').append(d.status()).append(' ').append(d.rolloutStateAsString()).append(' ')
            .append(d.desiredCount()).append('/').append(d.runningCount()).append('/').append(d.pendingCount())
            .append('/').append(d.failedTasks()).append(';');
      }
      if (!service.events().isEmpty()) {
        seen.append(service.events().get(0).id());
      }
    }
    if (sd != null) {
      seen.append(';').append(sd.statusAsString()).append(' ').append(sd.lifecycleStageAsString());
    }
    return seen.toString();
  }

  /**
   * Whether the decision is near: all our tasks run (ECS marks the deployment COMPLETED once they stay healthy) or
   * some failed (the circuit breaker may trip). Not during a blue/green bake time, which lasts minutes.
   */
  private static boolean finalStretch(DeploymentVerdict fromList, ServiceDeployment sd) {
    Deployment ours = fromList == null ? null : fromList.ours();
    if (ours == null || sd != null && sd.lifecycleStage() == ServiceDeploymentLifecycleStage.BAKE_TIME) {
      return false;
    }
    int desired = ours.desiredCount() == null ? 0 : ours.desiredCount();
    int running = ours.runningCount() == null ? 0 : ours.runningCount();
    int failed = ours.failedTasks() == null ? 0 : ours.failedTasks();
    return desired > 0 && running >= desired || failed > 0;
  }

  private String timeoutMessage(UpdateServiceRequest request, Service snapshot, Deployment ours,
      ServiceDeployment sd, String id, int failedPolls, String lastFailure) {
    StringBuilder message = new StringBuilder()
        .append("Deployment ").append(id).append(" of ")
        .append(TaskDefinitionNames.shortName(request.taskDefinitionArn()))
        .append(" did not finish within ").append(Durations.human(request.timeout())).append(": ")
        .append(DeploymentVerdict.counts(ours)).append(" \u2014 ")
        .append(ours.rolloutState() != null ? ours.rolloutStateAsString() : ours.status());
    if (sd != null && sd.status() != null) {
      message.append(" (service deployment ").append(sd.statusAsString())
          .append(sd.lifecycleStage() != null ? ", stage " + sd.lifecycleStageAsString() : "").append(')');
    }
    message.append('.');
    if (snapshot != null) {
      List<Deployment> others = snapshot.deployments().stream().filter(d -> !id.equals(d.id())).toList();
      if (!others.isEmpty()) {
        message.append(" Still active besides it: ").append(describeDeployments(others)).append('.');
      }
    }
    if (failedPolls > 0) {
      message.append(" The last ").append(failedPolls == 1 ? "poll" : failedPolls + " polls")
          .append(" of ECS failed (").append(lastFailure).append("), so the deployment may have finished unseen.");
    }
    message.append(" ECS keeps working on the deployment; this build stopped waiting. If the tasks need longer to")
        .append(" become healthy, raise ").append(UpdateServiceRequest.TIMEOUT.both()).append('.');
    return message.toString();
  }

  // ---- ECS calls -------------------------------------------------------------------------------------------

  /** One DescribeServices while watching; throws SdkException when the call fails (the caller retries). */
  private Service readService(UpdateServiceRequest request, String deploymentId) {
    DescribeServicesResponse response =
        ecs.describeServices(b -> b.cluster(request.cluster()).services(request.service()));
    if (response.services().isEmpty()) {
      String reasons = response.failures().stream().map(Failure::reason).collect(Collectors.joining(", "));
      throw new ExternalFailureException(
          "Service " + request.service() + " disappeared from cluster " + request.cluster() + " while deployment "
              + deploymentId + " was running (DescribeServices: " + (reasons.isEmpty() ? "no service" : reasons)
              + ").",
          null);
    }
    return response.services().get(0);
  }

  private Service update(UpdateServiceRequest request, String name) {
    try {
      return ecs.updateService(b -> b
              .cluster(request.cluster())
              .service(request.service())
              .taskDefinition(request.taskDefinitionArn())
              .forceNewDeployment(request.forceNewDeployment()))
          .service();
    } catch (ClusterNotFoundException e) {
      throw clusterMissing(request, e);
    } catch (ServiceNotFoundException | ServiceNotActiveException e) {
      throw new UserInputException(
          Param.SERVICE,
          "ECS refused to update service '" + name + "' in cluster '" + request.cluster() + "': "
              + AwsErrors.message(e) + ". Check " + Param.SERVICE.both() + ".",
          e);
    } catch (InvalidParameterException | ClientException e) {
      throw new UserInputException(
          Param.TASK_DEFINITION_ARN,
          "ECS refused to put " + request.taskDefinitionArn() + " on service '" + name + "': "
              + AwsErrors.message(e) + ". Check " + Param.TASK_DEFINITION_ARN.both()
              + ": the revision must exist in this account and region, be ACTIVE, and suit the service.",
          e);
    }
  }

  private UserInputException clusterMissing(UpdateServiceRequest request, ClusterNotFoundException e) {
    return new UserInputException(Param.CLUSTER,
        ServiceLookup.clusterNotFound(ecs, request.cluster(), request.service()) + " Nothing was changed.", e);
  }

  private void sleep(Duration duration, String deploymentId) {
    try {
      sleeper.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ExternalFailureException(
          "Interrupted while waiting for deployment " + deploymentId + "; ECS continues it without us.", e);
    }
  }

  // ---- checks ----------------------------------------------------------------------------------------------

  /** The service is ACTIVE (ServiceLookup); only ECS's own deployment controller deploys by UpdateService. */
  private static void checkDeployable(Service service, UpdateServiceRequest request) {
    String name = service.serviceName() != null ? service.serviceName() : request.service();
    DeploymentControllerType controller = service.deploymentController() == null
        ? DeploymentControllerType.ECS
        : service.deploymentController().type();
    if (controller == DeploymentControllerType.CODE_DEPLOY) {
      throw new UserInputException(
          Param.SERVICE,
          "Service '" + name + "' uses the CODE_DEPLOY deployment controller (blue/green): ECS does not change"
              + " its task definition through UpdateService. Create a CodeDeploy deployment instead, with an"
              + " AppSpec naming " + request.taskDefinitionArn() + " ('aws deploy create-deployment' or your"
              + " CodeDeploy tooling). Nothing was changed.");
    }
    if (controller == DeploymentControllerType.EXTERNAL) {
      throw new UserInputException(
          Param.SERVICE,
          "Service '" + name + "' uses the EXTERNAL deployment controller: its tasks come from task sets that"
              + " your external controller manages. Deploy " + request.taskDefinitionArn() + " with that"
              + " controller (CreateTaskSet, then UpdateServicePrimaryTaskSet). Nothing was changed.");
    }
  }

  private static void checkSameFamily(Service service, UpdateServiceRequest request, String stateFile) {
    String ours = family(request.taskDefinitionArn());
    String running = family(service.taskDefinition());
    if (running == null || running.equals(ours)) {
      return;
    }
    String name = service.serviceName() != null ? service.serviceName() : request.service();
    throw new UserInputException(
        Param.TASK_DEFINITION_ARN,
        stateFile + " names " + TaskDefinitionNames.shortName(request.taskDefinitionArn()) + " of family '" + ours
            + "', but service '" + name + "' in cluster '" + request.cluster() + "' runs family '" + running + "' ("
            + TaskDefinitionNames.shortName(service.taskDefinition()) + "): the file comes from another service's"
            + " build. Run ecs:register-task-def for this service again (mvn clean deploy), or, to move the service"
            + " to family '" + ours + "' on purpose, give the revision as " + Param.TASK_DEFINITION_ARN.both() + "="
            + request.taskDefinitionArn() + ". Nothing was changed.");
  }

  /** The family of a task definition ARN ({@code .../task-definition/hello-app:7} is {@code hello-app}), or null. */
  private static String family(String taskDefinitionArn) {
    if (taskDefinitionArn == null) {
      return null;
    }
    String shortName = TaskDefinitionNames.shortName(taskDefinitionArn);
    int colon = shortName.lastIndexOf(':');
    return colon < 0 ? shortName : shortName.substring(0, colon);
  }

  /**
   * The service's only deployment, when it runs {@code arn} and is finished (rolloutState COMPLETED, or without
   * rolloutState all tasks running); else {@code null}.
   */
  private static Deployment finishedDeploymentOf(Service service, String arn) {
    if (!arn.equals(service.taskDefinition()) || service.deployments().size() != 1) {
      return null;
    }
    Deployment only = service.deployments().get(0);
    if (!arn.equals(only.taskDefinition())) {
      return null;
    }
    if (only.rolloutState() == DeploymentRolloutState.COMPLETED) {
      return only; // healthy or not: the caller checks the counts
    }
    boolean noRolloutState =
        only.rolloutState() == null || only.rolloutState() == DeploymentRolloutState.UNKNOWN_TO_SDK_VERSION;
    return noRolloutState && Objects.equals(only.runningCount(), only.desiredCount()) ? only : null;
  }

  // ---- failure reporting -----------------------------------------------------------------------------------

  private DeploymentResult succeed(
      DeploymentRecorder recorder, DeploymentRun run, DeploymentOutcome outcome, String message) {
    DeploymentResult result = run.result(outcome, message, clock.instant());
    recorder.record(result);
    return result;
  }

  private DeploymentFailedException fail(
      DeploymentRecorder recorder, DeploymentRun run, DeploymentOutcome outcome, String message) {
    DeploymentResult result = run.result(outcome, message, clock.instant());
    reportStoppedTasks(run.request().cluster(), run.deploymentId());
    try {
      recorder.record(result);
    } catch (EcsDeployException e) {
      log.warn("The deployment outputs could not be written: " + e.getMessage());
    }
    return new DeploymentFailedException(message);
  }

  /**
   * Logs why the tasks of {@code deploymentId} stopped: ECS's reason and each container's exit code, newest first,
   * at most {@value #MAX_STOPPED_TASKS_SHOWN} of all the stopped tasks (every page of ListTasks is read).
   */
  private void reportStoppedTasks(String cluster, String deploymentId) {
    List<Task> tasks = new ArrayList<>();
    try {
      List<String> arns = new ArrayList<>();
      String token = null;
      do {
        String next = token;
        ListTasksResponse page = ecs.listTasks(b -> b
            .cluster(cluster)
            .startedBy(deploymentId)
            .desiredStatus(DesiredStatus.STOPPED)
            .nextToken(next));
        arns.addAll(page.taskArns());
        token = page.nextToken();
      } while (token != null);
      if (arns.isEmpty()) {
        log.warn("No stopped tasks of deployment " + deploymentId + " were found.");
        return;
      }
      for (int from = 0; from < arns.size(); from += DESCRIBE_TASKS_MAX) {
        List<String> chunk = arns.subList(from, Math.min(arns.size(), from + DESCRIBE_TASKS_MAX));
        tasks.addAll(ecs.describeTasks(b -> b.cluster(cluster).tasks(chunk)).tasks());
      }
    } catch (SdkException e) {
      log.warn("Could not list the stopped tasks of deployment " + deploymentId + ": " + e.getMessage());
      return;
    }
    tasks.sort(Comparator.comparing(Task::stoppedAt, Comparator.nullsLast(Comparator.reverseOrder())));
    log.warn("Stopped tasks of deployment " + deploymentId + " (" + tasks.size() + (tasks.size() > MAX_STOPPED_TASKS_SHOWN
        ? ", the newest " + MAX_STOPPED_TASKS_SHOWN + " first):" : ", newest first):"));
    for (Task task : tasks.subList(0, Math.min(tasks.size(), MAX_STOPPED_TASKS_SHOWN))) {
      log.warn("  task " + lastSegment(task.taskArn()) + " (" + TaskDefinitionNames.shortName(task.taskDefinitionArn())
          + ") stopped"
          + (task.stopCode() != null ? " [" + task.stopCodeAsString() + "]" : "") + ": "
          + (task.stoppedReason() != null ? task.stoppedReason() : "no reason given"));
      for (Container container : task.containers()) {
        log.warn("    container " + container.name() + ": exit code "
            + (container.exitCode() != null ? container.exitCode() : "none")
            + (container.reason() != null ? ", reason: " + container.reason() : ""));
      }
    }
    if (tasks.size() > MAX_STOPPED_TASKS_SHOWN) {
      log.warn("  ... and " + (tasks.size() - MAX_STOPPED_TASKS_SHOWN) + " more stopped tasks.");
    }
  }

  private static String describeDeployments(List<Deployment> deployments) {
    if (deployments.isEmpty()) {
      return "none";
    }
    return deployments.stream()
        .map(d -> d.id() + " (" + d.status() + ", " + TaskDefinitionNames.shortName(d.taskDefinition()) + ", "
            + DeploymentVerdict.counts(d) + ")")
        .collect(Collectors.joining("; "));
  }


  private static String lastSegment(String arn) {
    return arn == null ? "?" : arn.substring(arn.lastIndexOf('/') + 1);
  }
}
