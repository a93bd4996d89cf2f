package io.github.ecsdeploy.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Container;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.ContainerOverride;
import software.amazon.awssdk.services.ecs.model.DescribeTasksResponse;
import software.amazon.awssdk.services.ecs.model.RunTaskRequest;
import software.amazon.awssdk.services.ecs.model.RunTaskResponse;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;

/**
 * Runs a one-off task (a database migration) before a rollout and fails unless it succeeds: RunTask of the
 * just-registered revision, or of a separate migration task definition with this build's image, on the
 * service's network configuration and launch type or capacity provider strategy, with an optional command
 * override; then it watches the task until it is STOPPED, printing its status changes and the container's
 * {@code awslogs} output, and fails unless every essential container exited with 0.
 *
 * <p>Unlike {@code aws ecs wait tasks-stopped}, which succeeds whatever the exit code, the verdict is the exit
 * codes. A task still running at the timeout fails the build and is left running (stopping a migration halfway
 * can be worse than letting it finish); the message gives the command that stops it.
 */
public final class OneOffTask {

  /** {@code startedBy} of every task this class runs: it tells them apart from a service's in ListTasks. */
  public static final String STARTED_BY = "ecs-deploy-maven-plugin";

  /** The migration task-definition family parameter. */
  public static final Param TASK_DEFINITION = new Param("runTaskDefinition", "ecs.runTask.taskDefinition");
  /** The container whose command is overridden and whose output is followed. */
  public static final Param CONTAINER = new Param("runTaskContainer", "ecs.runTask.container");
  /** The poll interval parameter. */
  public static final Param POLL_INTERVAL = new Param("runTaskPollInterval", "ecs.runTask.pollInterval");
  /** The timeout parameter. */
  public static final Param TIMEOUT = new Param("runTaskTimeout", "ecs.runTask.timeout");

  /** Without a status change, a progress line this often. */
  static final Duration PROGRESS_EVERY = Duration.ofSeconds(30);

  private final EcsClient ecs;
  private final Supplier<EcrClient> ecr;
  private final Supplier<CloudWatchLogsClient> logs;
  private final DeployLog log;
  private final Clock clock;
  private final Sleeper sleeper;

  public OneOffTask(EcsClient ecs, Supplier<EcrClient> ecr, Supplier<CloudWatchLogsClient> logs, DeployLog log,
      Clock clock, Sleeper sleeper) {
    this.ecs = Objects.requireNonNull(ecs, "ecs");
    this.ecr = Objects.requireNonNull(ecr, "ecr");
    this.logs = Objects.requireNonNull(logs, "logs");
    this.log = Objects.requireNonNull(log, "log");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
  }

  /**
   * What to run.
   *
   * @param region the AWS region, for messages and the log region check
   * @param cluster the cluster of the service
   * @param service the service whose network configuration and launch type / capacity provider strategy the task
   *     uses
   * @param registered the revision register-task-def registered (or the one given directly), with its container
   *     and image
   * @param migrationTaskDefinition a separate family to run instead, with {@code registered}'s image swapped into
   *     its container; null to run {@code registered} itself
   * @param container the container to override and follow; null for {@code registered}'s container (or, for a
   *     migration family, the container chosen by the register-task-def rules)
   * @param registry our registry host, for choosing the migration family's container; may be null
   * @param repository our repository, for choosing the migration family's container; may be null
   * @param command the command override, empty for none
   * @param pollInterval time between two looks at the task
   * @param timeout how long to wait for STOPPED
   * @param dryRun print what would run, run nothing
   */
  public record Request(
      String region,
      String cluster,
      String service,
      RegisteredTaskDefinition registered,
      String migrationTaskDefinition,
      String container,
      String registry,
      String repository,
      List<String> command,
      Duration pollInterval,
      Duration timeout,
      boolean dryRun) {

    public Request {
      Objects.requireNonNull(registered, "registered");
      command = List.copyOf(command);
      Objects.requireNonNull(pollInterval, "pollInterval");
      Objects.requireNonNull(timeout, "timeout");
      if (pollInterval.isZero() || pollInterval.isNegative()) {
        throw new UserInputException(POLL_INTERVAL, POLL_INTERVAL.both() + " must be positive, like 5s or PT5S, but"
            + " was " + Durations.human(pollInterval) + ". Nothing was changed.");
      }
      if (timeout.isZero() || timeout.isNegative()) {
        throw new UserInputException(TIMEOUT, TIMEOUT.both() + " must be positive, like 30m or PT30M, but was "
            + Durations.human(timeout) + ". Nothing was changed.");
      }
    }
  }

  /** One container's end: its exit code (null when it never ran) and whether the task needs it. */
  public record ContainerExit(String name, boolean essential, Integer exitCode, String reason) {}

  /** The stopped task: exit codes and ECS's stop reason. */
  public record Result(String taskArn, String stopCode, String stoppedReason, List<ContainerExit> containers) {

    /** Whether every essential container exited with 0. */
    public boolean succeeded() {
      return containers.stream().filter(ContainerExit::essential).allMatch(c -> Integer.valueOf(0).equals(c.exitCode()));
    }
  }

  /**
   * Runs the task and waits for it.
   *
   * @return the stopped task, when every essential container exited with 0 (or nothing, in a dry run)
   * @throws DeploymentFailedException when an essential container exited otherwise or the timeout passed
   * @throws UserInputException for a service, task definition or container that does not exist
   */
  public Optional<Result> run(Request request) {
    Service service = new EcsServiceView(ecs, ecr, log).service(request.cluster(), request.service());
    RegisteredTaskDefinition target = resolveTaskDefinition(request);
    RunTaskRequest.Builder run = RunTaskRequest.builder()
        .cluster(request.cluster())
        .count(1)
        .startedBy(STARTED_BY)
        .networkConfiguration(service.networkConfiguration());
    if (service.hasCapacityProviderStrategy() && !service.capacityProviderStrategy().isEmpty()) {
      run.capacityProviderStrategy(service.capacityProviderStrategy());
    } else if (service.launchType() != null) {
      run.launchType(service.launchTypeAsString());
    }
    if (service.platformVersion() != null && !"LATEST".equals(service.platformVersion())) {
      run.platformVersion(service.platformVersion());
    }
    String how = service.hasCapacityProviderStrategy() && !service.capacityProviderStrategy().isEmpty()
        ? "capacity provider strategy " + service.capacityProviderStrategy().stream()
            .map(s -> s.capacityProvider()).toList()
        : "launch type " + (service.launchType() == null ? "(cluster default)" : service.launchTypeAsString());
    String commandText = request.command().isEmpty() ? "the task definition's command" : "command "
        + request.command();
    if (request.dryRun()) {
      log.info("Dry run (" + DryRun.PARAM.both() + "): would run "
          + (target.taskDefinitionArn() == null ? "the revision of " + target.family() + " that register-task-def"
              + " would register" : target.taskDefinitionArn())
          + " (container " + target.container() + ", " + commandText + ") in cluster " + request.cluster()
          + " with the network configuration and " + how + " of service " + request.service()
          + ", and wait up to " + Durations.human(request.timeout()) + " for it to stop. Nothing was run.");
      return Optional.empty();
    }
    TaskDefinition definition = ecs.describeTaskDefinition(b -> b.taskDefinition(target.taskDefinitionArn()))
        .taskDefinition();
    String container = chooseContainer(request, target, definition);
    if (!request.command().isEmpty()) {
      run.overrides(o -> o.containerOverrides(ContainerOverride.builder().name(container)
          .command(request.command()).build()));
    }
    RunTaskResponse started = ecs.runTask(run.taskDefinition(definition.taskDefinitionArn()).build());
    if (started.tasks().isEmpty()) {
      throw new ExternalFailureException("RunTask started no task of " + label(definition) + ": " + started
          .failures().stream().map(f -> f.arn() + " " + f.reason() + (f.detail() == null ? "" : " (" + f.detail()
              + ")")).toList() + ". Nothing was deployed.", null);
    }
    Task task = started.tasks().get(0);
    String taskId = task.taskArn().substring(task.taskArn().lastIndexOf('/') + 1);
    log.info("Started task " + task.taskArn() + " of " + label(definition) + " (container " + container + ", "
        + commandText + ", " + how + ")");
    ContainerDefinition followed = definition.containerDefinitions().stream()
        .filter(cd -> cd.name().equals(container)).findFirst().orElseThrow();
    TaskLogFollower output = TaskLogFollower.forContainer(logs, log, followed, taskId, request.region());
    Task stopped = waitForStop(request, task, output);
    Result result = result(stopped, definition);
    report(result);
    if (!result.succeeded()) {
      throw new DeploymentFailedException(failure(result, output, request));
    }
    log.info("Task " + taskId + " succeeded: every essential container exited with 0.");
    return Optional.of(result);
  }

  /** The registered revision, or the migration family's latest ACTIVE revision with the image swapped in. */
  private RegisteredTaskDefinition resolveTaskDefinition(Request request) {
    RegisteredTaskDefinition registered = request.registered();
    if (request.migrationTaskDefinition() == null || request.migrationTaskDefinition().isBlank()) {
      return registered;
    }
    if (registered.image() == null || registered.image().isBlank()) {
      throw new UserInputException(TASK_DEFINITION, "No image to run " + TASK_DEFINITION.both() + "="
          + request.migrationTaskDefinition() + " with: the registered revision names none. Run"
          + " ecs:register-task-def first. Nothing was changed.");
    }
    log.info("Migration task definition " + request.migrationTaskDefinition() + " (from " + TASK_DEFINITION.both()
        + "): its newest ACTIVE revision with image " + registered.image());
    return new TaskDefinitionRegistrar(ecs, log).register(new TaskDefinitionRegistrar.Request(request.region(),
        request.cluster(), null, request.migrationTaskDefinition().strip(), null, request.container(),
        registered.image(), null, request.registry(), request.repository(), request.dryRun(), false));
  }

  private static String chooseContainer(Request request, RegisteredTaskDefinition target, TaskDefinition definition) {
    List<String> names = definition.containerDefinitions().stream().map(ContainerDefinition::name).toList();
    String wanted = request.container() != null && !request.container().isBlank() ? request.container().strip()
        : target.container();
    if (wanted != null && names.contains(wanted)) {
      return wanted;
    }
    if (wanted != null) {
      throw new UserInputException(CONTAINER, "Task definition " + label(definition) + " has no container '"
          + wanted + "'; its containers are " + names + ". Set " + CONTAINER.both() + " to one of them. Nothing"
          + " was changed.");
    }
    return ContainerSelector.select(definition.family(), definition.containerDefinitions(), null,
        request.registry(), request.repository());
  }

  private Task waitForStop(Request request, Task started, TaskLogFollower output) {
    Instant start = clock.instant();
    Instant deadline = start.plus(request.timeout());
    String lastStatus = started.lastStatus();
    Instant lastProgress = start;
    Task current = started;
    while (true) {
      DescribeTasksResponse described = ecs.describeTasks(b -> b.cluster(request.cluster())
          .tasks(started.taskArn()));
      // Right after RunTask, DescribeTasks may not know the task yet (eventual consistency): look again.
      if (!described.tasks().isEmpty()) {
        current = described.tasks().get(0);
      }
      Instant now = clock.instant();
      String status = current.lastStatus();
      if ("STOPPED".equals(status)) {
        output.poll(); // what the container wrote before it stopped
        return current;
      }
      // The status line first, then what the container wrote since the last look.
      if (!Objects.equals(status, lastStatus)) {
        log.info("Task " + idOf(current) + ": " + status + " (" + Durations.human(Duration.between(start, now))
            + ")");
        lastStatus = status;
        lastProgress = now;
      } else if (Duration.between(lastProgress, now).compareTo(PROGRESS_EVERY) >= 0) {
        log.info("Task " + idOf(current) + " still " + status + " after " + Durations.human(Duration.between(start,
            now)) + " (timeout " + Durations.human(request.timeout()) + ")");
        lastProgress = now;
      }
      if (!"PROVISIONING".equals(status) && !"PENDING".equals(status)) {
        output.poll(); // the stream exists once the container runs
      }
      if (!now.isBefore(deadline)) {
        throw new DeploymentFailedException("Task " + current.taskArn() + " is still " + status + " after "
            + Durations.human(request.timeout()) + " (" + TIMEOUT.both() + "). ECS keeps running it; stop it with"
            + " 'aws ecs stop-task --cluster " + request.cluster() + " --task " + current.taskArn() + "', or raise "
            + TIMEOUT.both() + ". The build stops here, so the goals after ecs:run-task (update-service) did not"
            + " run: nothing was deployed." + tailOf(output));
      }
      try {
        sleeper.sleep(request.pollInterval());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ExternalFailureException("Interrupted while waiting for task " + current.taskArn()
            + "; ECS keeps running it.", e);
      }
    }
  }

  static Result result(Task task, TaskDefinition definition) {
    List<ContainerExit> exits = new ArrayList<>();
    for (Container c : task.containers()) {
      boolean essential = definition.containerDefinitions().stream().filter(cd -> cd.name().equals(c.name()))
          .findFirst().map(cd -> cd.essential() == null || cd.essential()).orElse(true);
      exits.add(new ContainerExit(c.name(), essential, c.exitCode(), c.reason()));
    }
    return new Result(task.taskArn(), task.stopCodeAsString(), task.stoppedReason(), exits);
  }

  private void report(Result result) {
    log.info("Task " + result.taskArn().substring(result.taskArn().lastIndexOf('/') + 1) + " STOPPED: "
        + result.stoppedReason() + (result.stopCode() == null ? "" : " (" + result.stopCode() + ")"));
    for (ContainerExit c : result.containers()) {
      log.info("  container " + c.name() + (c.essential() ? " (essential)" : "") + ": "
          + (c.exitCode() == null ? "no exit code (it never ran)" : "exit code " + c.exitCode())
          + (c.reason() == null ? "" : ", " + c.reason()));
    }
  }

  private static String failure(Result result, TaskLogFollower output, Request request) {
    StringBuilder m = new StringBuilder("Task ").append(result.taskArn()).append(" failed: ");
    List<String> bad = new ArrayList<>();
    for (ContainerExit c : result.containers()) {
      if (c.essential() && !Integer.valueOf(0).equals(c.exitCode())) {
        bad.add("essential container " + c.name() + (c.exitCode() == null ? " never ran" : " exited with "
            + c.exitCode()));
      }
    }
    m.append(String.join(", ", bad)).append(" (").append(result.stoppedReason());
    if (result.stopCode() != null) {
      m.append(", ").append(result.stopCode());
    }
    m.append("). The build stops here, so the goals after ecs:run-task (update-service) did not run: nothing was"
        + " deployed.");
    m.append(tailOf(output));
    return m.toString();
  }

  private static String tailOf(TaskLogFollower output) {
    List<String> tail = output.tail();
    if (tail.isEmpty()) {
      return "";
    }
    return " Last output of container " + output.container() + ":\n  " + String.join("\n  ", tail);
  }

  private static String idOf(Task task) {
    return task.taskArn().substring(task.taskArn().lastIndexOf('/') + 1);
  }

  private static String label(TaskDefinition definition) {
    return definition.family() + ":" + definition.revision();
  }
}
