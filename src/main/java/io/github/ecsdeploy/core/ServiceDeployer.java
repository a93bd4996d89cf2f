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
import software.amazon.awssdk.services.ecs.model.DescribeServicesResponse;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.Failure;
import software.amazon.awssdk.services.ecs.model.InvalidParameterException;
import software.amazon.awssdk.services.ecs.model.Service;
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
  private static final int MAX_CONSECUTIVE_POLL_ERRORS = 3;

  private final EcsClient ecs;
  private final DeployLog log;
  private final Clock clock;
  private final Sleeper sleeper;

  /**
   * @param ecs the ECS client (only DescribeServices, UpdateService, ListTasks and DescribeTasks are used)
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
    Instant startedAt = clock.instant();
    Service before = describe(request);
    checkDeployable(before, request);
    String name = before.serviceName() != null ? before.serviceName() : request.service();
    String revision = TaskDefinitionNames.shortName(request.taskDefinitionArn());

    Deployment current = finishedDeploymentOf(before, request.taskDefinitionArn());
    if (current != null && !request.forceNewDeployment()) {
      String message = "Service " + name + " already runs " + revision + " in deployment " + current.id()
          + " (" + DeploymentVerdict.counts(current) + "); no new deployment was started. Set "
          + UpdateServiceRequest.FORCE_NEW_DEPLOYMENT.both() + "=true to start one anyway.";
      log.info(message);
      return succeed(recorder, request, name, current.id(), DeploymentOutcome.UNCHANGED, message, startedAt);
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

    if (!request.waitForCompletion()) {
      String message = "Deployment " + ours.id() + " of " + revision + " started; not waiting for it ("
          + UpdateServiceRequest.WAIT.both() + "=false).";
      log.info(message);
      return succeed(recorder, request, name, ours.id(), DeploymentOutcome.STARTED, message, startedAt);
    }
    return watch(request, name, before, updated, ours.id(), recorder, startedAt);
  }

  private DeploymentResult watch(
      UpdateServiceRequest request,
      String name,
      Service before,
      Service updated,
      String deploymentId,
      DeploymentRecorder recorder,
      Instant startedAt) {
    DeploymentWatch watch = new DeploymentWatch(name, log);
    watch.ignoreEventsOf(before);
    Instant deadline = clock.instant().plus(request.timeout());
    Service snapshot = updated;
    while (true) {
      DeploymentVerdict verdict =
          DeploymentVerdict.judge(snapshot, deploymentId, request.taskDefinitionArn(), before.taskDefinition());
      watch.report(snapshot, verdict.ours());
      if (verdict.done()) {
        if (verdict.outcome().success()) {
          log.info(verdict.message());
          return succeed(recorder, request, name, deploymentId, verdict.outcome(), verdict.message(), startedAt);
        }
        throw fail(recorder, request, name, deploymentId, verdict.outcome(), verdict.message(), startedAt);
      }
      Instant now = clock.instant();
      if (!now.isBefore(deadline)) {
        String message = timeoutMessage(request, snapshot, verdict.ours(), deploymentId);
        throw fail(recorder, request, name, deploymentId, DeploymentOutcome.TIMED_OUT, message, startedAt);
      }
      Duration remaining = Duration.between(now, deadline);
      sleep(remaining.compareTo(request.pollInterval()) < 0 ? remaining : request.pollInterval(), deploymentId);
      snapshot = poll(request, deploymentId);
    }
  }

  private String timeoutMessage(UpdateServiceRequest request, Service snapshot, Deployment ours, String id) {
    StringBuilder message = new StringBuilder()
        .append("Deployment ").append(id).append(" of ")
        .append(TaskDefinitionNames.shortName(request.taskDefinitionArn()))
        .append(" did not finish within ").append(human(request.timeout())).append(": ")
        .append(DeploymentVerdict.counts(ours)).append(" \u2014 ")
        .append(ours.rolloutState() != null ? ours.rolloutStateAsString() : ours.status()).append('.');
    List<Deployment> others = snapshot.deployments().stream().filter(d -> !id.equals(d.id())).toList();
    if (!others.isEmpty()) {
      message.append(" Still active besides it: ").append(describeDeployments(others)).append('.');
    }
    message.append(" ECS keeps working on the deployment; this build stopped waiting. If the tasks need longer to")
        .append(" become healthy, raise ").append(UpdateServiceRequest.TIMEOUT.both()).append('.');
    return message.toString();
  }

  // ---- ECS calls -------------------------------------------------------------------------------------------

  private Service describe(UpdateServiceRequest request) {
    DescribeServicesResponse response;
    try {
      response = ecs.describeServices(b -> b.cluster(request.cluster()).services(request.service()));
    } catch (ClusterNotFoundException e) {
      throw clusterMissing(request, e);
    }
    if (response.services().isEmpty()) {
      String reasons = response.failures().stream().map(Failure::reason).collect(Collectors.joining(", "));
      if (response.failures().isEmpty() || "MISSING".equals(response.failures().get(0).reason())) {
        throw new UserInputException(
            Param.SERVICE,
            "Service '" + request.service() + "' was not found in cluster '" + request.cluster()
                + "' (DescribeServices). Check " + Param.SERVICE.both() + " and " + Param.CLUSTER.both()
                + ", and the region and account you deploy to; 'aws ecs list-services --cluster "
                + request.cluster() + "' lists the services. Nothing was changed.");
      }
      throw new ExternalFailureException(
          "DescribeServices of service " + request.service() + " in cluster " + request.cluster()
              + " returned no service: " + reasons + ".",
          null);
    }
    return response.services().get(0);
  }

  private Service poll(UpdateServiceRequest request, String deploymentId) {
    int errors = 0;
    while (true) {
      try {
        DescribeServicesResponse response =
            ecs.describeServices(b -> b.cluster(request.cluster()).services(request.service()));
        if (response.services().isEmpty()) {
          throw new ExternalFailureException(
              "Service " + request.service() + " disappeared from cluster " + request.cluster()
                  + " while deployment " + deploymentId + " was running.",
              null);
        }
        return response.services().get(0);
      } catch (SdkException e) {
        errors++;
        if (errors >= MAX_CONSECUTIVE_POLL_ERRORS) {
          throw new ExternalFailureException(
              "DescribeServices failed " + errors + " times in a row while watching deployment " + deploymentId
                  + "; ECS continues the deployment, but this build cannot follow it: " + e.getMessage(),
              e);
        }
        log.warn("DescribeServices failed while watching deployment " + deploymentId + " (" + e.getMessage()
            + "); trying again.");
        sleep(request.pollInterval(), deploymentId);
      }
    }
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
              + awsMessage(e) + ". Check " + Param.SERVICE.both() + ".",
          e);
    } catch (InvalidParameterException | ClientException e) {
      throw new UserInputException(
          Param.TASK_DEFINITION_ARN,
          "ECS refused to put " + request.taskDefinitionArn() + " on service '" + name + "': "
              + awsMessage(e) + ". Check " + Param.TASK_DEFINITION_ARN.both()
              + ": the revision must exist in this account and region, be ACTIVE, and suit the service.",
          e);
    }
  }

  private UserInputException clusterMissing(UpdateServiceRequest request, ClusterNotFoundException e) {
    return new UserInputException(
        Param.CLUSTER,
        "Cluster '" + request.cluster() + "' was not found (looking up service '" + request.service()
            + "'). Check " + Param.CLUSTER.both() + " and the region and account you deploy to; 'aws ecs"
            + " list-clusters' lists the clusters. Nothing was changed.",
        e);
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

  private static void checkDeployable(Service service, UpdateServiceRequest request) {
    String name = service.serviceName() != null ? service.serviceName() : request.service();
    if (!"ACTIVE".equals(service.status())) {
      throw new UserInputException(
          Param.SERVICE,
          "Service '" + name + "' in cluster '" + request.cluster() + "' is " + service.status()
              + ", not ACTIVE: it was deleted or is being deleted, so it cannot be deployed to. Create the service"
              + " again, or check " + Param.SERVICE.both() + ". Nothing was changed.");
    }
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

  /** The service's only deployment, when it runs {@code arn} and is finished; else {@code null}. */
  private static Deployment finishedDeploymentOf(Service service, String arn) {
    if (!arn.equals(service.taskDefinition()) || service.deployments().size() != 1) {
      return null;
    }
    Deployment only = service.deployments().get(0);
    if (!arn.equals(only.taskDefinition())) {
      return null;
    }
    DeploymentVerdict verdict = DeploymentVerdict.judge(service, only.id(), arn, null);
    return verdict.outcome() == DeploymentOutcome.COMPLETED ? only : null;
  }

  // ---- failure reporting -----------------------------------------------------------------------------------

  private DeploymentResult succeed(
      DeploymentRecorder recorder,
      UpdateServiceRequest request,
      String name,
      String deploymentId,
      DeploymentOutcome outcome,
      String message,
      Instant startedAt) {
    DeploymentResult result = result(request, name, deploymentId, outcome, message, startedAt);
    recorder.record(result);
    return result;
  }

  private DeploymentFailedException fail(
      DeploymentRecorder recorder,
      UpdateServiceRequest request,
      String name,
      String deploymentId,
      DeploymentOutcome outcome,
      String message,
      Instant startedAt) {
    DeploymentResult result = result(request, name, deploymentId, outcome, message, startedAt);
    reportStoppedTasks(request.cluster(), deploymentId);
    try {
      recorder.record(result);
    } catch (EcsDeployException e) {
      log.warn("The deployment outputs could not be written: " + e.getMessage());
    }
    return new DeploymentFailedException(message);
  }

  private DeploymentResult result(
      UpdateServiceRequest request,
      String name,
      String deploymentId,
      DeploymentOutcome outcome,
      String message,
      Instant startedAt) {
    return new DeploymentResult(
        request.cluster(), name, deploymentId, request.taskDefinitionArn(), request.image(), outcome, message,
        startedAt, clock.instant());
  }

  /** Logs why the tasks of {@code deploymentId} stopped: ECS's reason and each container's exit code. */
  private void reportStoppedTasks(String cluster, String deploymentId) {
    List<Task> tasks;
    try {
      List<String> arns = ecs.listTasks(b -> b
              .cluster(cluster)
              .startedBy(deploymentId)
              .desiredStatus(DesiredStatus.STOPPED))
          .taskArns();
      if (arns.isEmpty()) {
        log.warn("No stopped tasks of deployment " + deploymentId + " were found.");
        return;
      }
      List<String> first = arns.size() > 100 ? arns.subList(0, 100) : arns;
      tasks = new ArrayList<>(ecs.describeTasks(b -> b.cluster(cluster).tasks(first)).tasks());
    } catch (SdkException e) {
      log.warn("Could not list the stopped tasks of deployment " + deploymentId + ": " + e.getMessage());
      return;
    }
    tasks.sort(Comparator.comparing(Task::stoppedAt, Comparator.nullsLast(Comparator.naturalOrder())));
    log.warn("Stopped tasks of deployment " + deploymentId + " (" + tasks.size() + "):");
    for (Task task : tasks.subList(0, Math.min(tasks.size(), MAX_STOPPED_TASKS_SHOWN))) {
      log.warn("  task " + lastSegment(task.taskArn()) + " (" + TaskDefinitionNames.shortName(task.taskDefinitionArn())
          + ") stopped" + (task.stopCode() != null ? " [" + task.stopCodeAsString() + "]" : "") + ": "
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

  private static String awsMessage(software.amazon.awssdk.awscore.exception.AwsServiceException e) {
    String message = e.awsErrorDetails() != null ? e.awsErrorDetails().errorMessage() : null;
    message = message != null ? message : e.getMessage();
    return message != null && message.endsWith(".") ? message.substring(0, message.length() - 1) : message;
  }

  private static String lastSegment(String arn) {
    return arn == null ? "?" : arn.substring(arn.lastIndexOf('/') + 1);
  }

  /** {@code 15m}, {@code 90s}, {@code 1h30m}. */
  static String human(Duration duration) {
    long seconds = duration.toSeconds();
    StringBuilder text = new StringBuilder();
    if (seconds >= 3600) {
      text.append(seconds / 3600).append('h');
      seconds %= 3600;
    }
    if (seconds >= 60) {
      text.append(seconds / 60).append('m');
      seconds %= 60;
    }
    if (seconds > 0 || text.length() == 0) {
      text.append(seconds).append('s');
    }
    return text.toString();
  }
}
