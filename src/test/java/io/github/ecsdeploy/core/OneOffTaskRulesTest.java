package io.github.ecsdeploy.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ecsdeploy.testing.MutableClock;
import io.github.ecsdeploy.testing.RecordingDeployLog;
import io.github.ecsdeploy.testing.ScriptedLogs;
import io.github.ecsdeploy.testing.ScriptedTasks;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.CapacityProviderStrategyItem;
import software.amazon.awssdk.services.ecs.model.Container;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.LaunchType;
import software.amazon.awssdk.services.ecs.model.LogDriver;
import software.amazon.awssdk.services.ecs.model.RunTaskRequest;
import software.amazon.awssdk.services.ecs.model.RunTaskResponse;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.TaskStopCode;

/**
 * ecs:run-task's rules without AWS: which stopped task is a success (every essential container exited with 0; a
 * non-essential one may fail; an essential container without an exit code never ran), what is said about the stop,
 * how the status changes and the container's output are printed while waiting, when the timeout ends the wait, and
 * how the task is launched like the service. ECS is a hand-written double ({@link ScriptedTasks}, shapes after the
 * API reference) and time is a {@link MutableClock} that moves only when the watcher sleeps.
 * {@code OneOffTaskStandInTest} runs the same code over HTTP against the stand-in.
 */
class OneOffTaskRulesTest {

  private static final String TASK_ARN = "arn:aws:ecs:eu-west-1:123456789012:task/prod/0f9a8b7c6d5e";
  private static final String TASK_ID = "0f9a8b7c6d5e";
  private static final String TD = "arn:aws:ecs:eu-west-1:123456789012:task-definition/web:3";

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-30T09:00:00Z"));
  private final RecordingDeployLog log = new RecordingDeployLog();
  private final ScriptedLogs logs = new ScriptedLogs();

  @AfterEach
  void clearInterrupt() {
    Thread.interrupted();
  }

  private static ContainerDefinition app() {
    return ContainerDefinition.builder().name("app").image("repo/web:v3").essential(true)
        .logConfiguration(l -> l.logDriver(LogDriver.AWSLOGS).options(java.util.Map.of("awslogs-group", "/ecs/web",
            "awslogs-stream-prefix", "ecs", "awslogs-region", "eu-west-1")))
        .build();
  }

  /** app (essential, awslogs), sidecar (essential false) and init (no essential flag: ECS's default is true). */
  private static TaskDefinition definition() {
    return TaskDefinition.builder().family("web").revision(3).taskDefinitionArn(TD).containerDefinitions(app(),
        ContainerDefinition.builder().name("sidecar").image("envoy:1").essential(false).build(),
        ContainerDefinition.builder().name("init").image("busybox").build()).build();
  }

  private static Service.Builder fargateService() {
    return Service.builder().serviceName("web-svc").status("ACTIVE").launchType(LaunchType.FARGATE)
        .networkConfiguration(n -> n.awsvpcConfiguration(a -> a.subnets("subnet-a").securityGroups("sg-1")));
  }

  private static Task task(String status) {
    return Task.builder().taskArn(TASK_ARN).lastStatus(status).build();
  }

  private static Container exit(String name, Integer code, String reason) {
    return Container.builder().name(name).exitCode(code).reason(reason).build();
  }

  private static Task stopped(TaskStopCode code, String reason, Container... containers) {
    return Task.builder().taskArn(TASK_ARN).lastStatus("STOPPED").stopCode(code).stoppedReason(reason)
        .containers(containers).build();
  }

  private static OneOffTask.Request request(List<String> command, Duration poll, Duration timeout) {
    return request(null, command, poll, timeout);
  }

  private static OneOffTask.Request request(String container, List<String> command, Duration poll,
      Duration timeout) {
    return new OneOffTask.Request("eu-west-1", "prod", "web-svc",
        new RegisteredTaskDefinition(TD, "web", 3, "app", "repo/web:v3", false), null, container, null, null,
        command, poll, timeout, false);
  }

  private OneOffTask oneOff(ScriptedTasks ecs) {
    return new OneOffTask(ecs, () -> {
      throw new AssertionError("run-task needs no ECR here");
    }, () -> logs, log, clock, clock.sleeper());
  }

  private ScriptedTasks ecs(Service service) {
    return new ScriptedTasks(service, definition()).runs(task("PROVISIONING"));
  }

  // ---- the verdict: exit codes -------------------------------------------------------------------------------

  @Test
  void aNonEssentialContainerMayFailWhenEveryEssentialOneExitedWithZero() {
    ScriptedTasks ecs = ecs(fargateService().build()).then(stopped(TaskStopCode.ESSENTIAL_CONTAINER_EXITED,
        "Essential container in task exited", exit("app", 0, null), exit("sidecar", 137, "OutOfMemoryError"),
        exit("init", 0, null)));

    OneOffTask.Result result = oneOff(ecs).run(request(List.of(), Duration.ofSeconds(5), Duration.ofMinutes(1)))
        .orElseThrow();

    assertTrue(result.succeeded());
    assertEquals(TASK_ARN, result.taskArn());
    assertEquals("EssentialContainerExited", result.stopCode());
    assertEquals(List.of(new OneOffTask.ContainerExit("app", true, 0, null),
        new OneOffTask.ContainerExit("sidecar", false, 137, "OutOfMemoryError"),
        new OneOffTask.ContainerExit("init", true, 0, null)), result.containers());
    List<String> infos = log.infos();
    assertTrue(infos.contains("Task " + TASK_ID + " STOPPED: Essential container in task exited"
        + " (EssentialContainerExited)"), infos.toString());
    assertTrue(infos.contains("  container app (essential): exit code 0"), infos.toString());
    assertTrue(infos.contains("  container sidecar: exit code 137, OutOfMemoryError"), infos.toString());
    assertTrue(infos.contains("Task " + TASK_ID + " succeeded: every essential container exited with 0."),
        infos.toString());
  }

  @Test
  void aContainerWithoutTheEssentialFlagIsEssentialAsInEcs() {
    // ECS: "If the essential parameter of a container is marked as true ... All tasks must have at least one
    // essential container"; the default of essential is true (ContainerDefinition, API reference).
    ScriptedTasks ecs = ecs(fargateService().build()).then(stopped(TaskStopCode.ESSENTIAL_CONTAINER_EXITED,
        "Essential container in task exited", exit("app", 0, null), exit("sidecar", 0, null),
        exit("init", 3, null)));

    DeploymentFailedException failed = assertThrows(DeploymentFailedException.class, () -> oneOff(ecs)
        .run(request(List.of(), Duration.ofSeconds(5), Duration.ofMinutes(1))));

    assertEquals("Task " + TASK_ARN + " failed: essential container init exited with 3 (Essential container in task"
        + " exited, EssentialContainerExited). The build stops here, so the goals after ecs:run-task"
        + " (update-service) did not run: nothing was deployed.", failed.getMessage());
    assertTrue(log.infos().contains("  container init (essential): exit code 3"), log.infos().toString());
  }

  @Test
  void anEssentialContainerWithoutAnExitCodeNeverRanAndEveryFailedOneIsNamed() {
    ScriptedTasks ecs = ecs(fargateService().build()).then(stopped(TaskStopCode.TASK_FAILED_TO_START,
        "CannotPullContainerError: pull access denied", exit("app", null, "CannotPullContainerError"),
        exit("sidecar", null, null), exit("init", 1, null)));

    DeploymentFailedException failed = assertThrows(DeploymentFailedException.class, () -> oneOff(ecs)
        .run(request(List.of(), Duration.ofSeconds(5), Duration.ofMinutes(1))));

    assertTrue(failed.getMessage().startsWith("Task " + TASK_ARN + " failed: essential container app never ran,"
        + " essential container init exited with 1 (CannotPullContainerError: pull access denied,"
        + " TaskFailedToStart)."), failed.getMessage());
    assertFalse(failed.getMessage().contains("sidecar"), "a non-essential container is not a reason");
    assertTrue(log.infos().contains("  container app (essential): no exit code (it never ran),"
        + " CannotPullContainerError"), log.infos().toString());
  }

  @Test
  void aStopWithoutAStopCodeSaysOnlyTheReason() {
    ScriptedTasks ecs = ecs(fargateService().build()).then(stopped(null, "Task stopped by user",
        exit("app", 143, null), exit("sidecar", 0, null), exit("init", 0, null)));

    DeploymentFailedException failed = assertThrows(DeploymentFailedException.class, () -> oneOff(ecs)
        .run(request(List.of(), Duration.ofSeconds(5), Duration.ofMinutes(1))));

    assertTrue(failed.getMessage().contains("essential container app exited with 143 (Task stopped by user). The"
        + " build stops here"), failed.getMessage());
    assertTrue(log.infos().contains("Task " + TASK_ID + " STOPPED: Task stopped by user"), log.infos().toString());
  }

  @Test
  void theResultIsJudgedByTheEssentialContainersOnly() {
    OneOffTask.Result allZero = OneOffTask.result(stopped(null, "done", exit("app", 0, null),
        exit("sidecar", 1, null), exit("init", 0, null)), definition());
    OneOffTask.Result missing = OneOffTask.result(stopped(null, "done", exit("app", 0, null),
        exit("init", null, null)), definition());

    assertTrue(allZero.succeeded());
    assertFalse(missing.succeeded(), "an essential container without exit code did not succeed");
    assertFalse(OneOffTask.result(stopped(null, "done", exit("app", 2, null)), definition()).succeeded());
  }

  // ---- waiting: status changes, output, progress, timeout ------------------------------------------------------

  @Test
  void eachStatusChangeIsPrintedOnceBeforeTheOutputWrittenSinceTheLastLook() {
    logs.write("Migrating to V7");
    ScriptedTasks ecs = ecs(fargateService().build()).thenUnknown().then(task("PENDING"), task("RUNNING"),
        task("RUNNING"), stopped(TaskStopCode.ESSENTIAL_CONTAINER_EXITED, "Essential container in task exited",
            exit("app", 0, null), exit("init", 0, null)));

    oneOff(ecs).run(request(List.of(), Duration.ofSeconds(5), Duration.ofMinutes(1))).orElseThrow();

    List<String> infos = log.infos();
    int pending = infos.indexOf("Task " + TASK_ID + ": PENDING (5s)");
    int running = infos.indexOf("Task " + TASK_ID + ": RUNNING (10s)");
    int output = infos.indexOf("[app] Migrating to V7");
    assertTrue(pending >= 0 && running > pending && output > running, infos.toString());
    assertFalse(infos.stream().anyMatch(l -> l.contains(": PROVISIONING")),
        "the status RunTask answered is not a change: " + infos);
    assertEquals(1, infos.stream().filter(l -> l.contains(": RUNNING (")).count(), infos.toString());
    assertEquals(1, infos.stream().filter(l -> l.equals("[app] Migrating to V7")).count(), infos.toString());
    assertEquals(List.of(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(5)),
        clock.sleeps, "one poll interval between two looks");
  }

  @Test
  void theOutputIsNotReadBeforeTheContainerRunsAndIsReadOnceMoreAfterItStopped() {
    ScriptedTasks ecs = ecs(fargateService().build()).then(task("PROVISIONING"), task("PENDING"), task("RUNNING"),
        stopped(null, "Essential container in task exited", exit("app", 0, null), exit("init", 0, null)));

    oneOff(ecs).run(request(List.of(), Duration.ofSeconds(5), Duration.ofMinutes(1))).orElseThrow();

    // one read while RUNNING, one after STOPPED: none while the stream cannot exist yet
    assertEquals(2, logs.requests.size(), logs.requests.toString());
  }

  @Test
  void theLastLinesBeforeTheStopArePrintedAndEndTheFailureMessage() {
    ScriptedTasks ecs = ecs(fargateService().build()).then(task("RUNNING"), stopped(TaskStopCode.ESSENTIAL_CONTAINER_EXITED, "Essential container in task exited",
        exit("app", 1, null), exit("init", 0, null)));
    logs.write("Migrating");
    OneOffTask oneOff = new OneOffTask(ecs, () -> {
      throw new AssertionError("no ECR");
    }, () -> logs, log, clock, duration -> {
      clock.advance(duration);
      logs.write("ERROR: relation \"users\" already exists");
    });

    DeploymentFailedException failed = assertThrows(DeploymentFailedException.class, () -> oneOff
        .run(request(List.of(), Duration.ofSeconds(5), Duration.ofMinutes(1))));

    assertTrue(log.infos().contains("[app] ERROR: relation \"users\" already exists"), log.infos().toString());
    assertTrue(failed.getMessage().endsWith(" Last output of container app:\n  Migrating\n  ERROR: relation"
        + " \"users\" already exists"), failed.getMessage());
  }

  @Test
  void withoutAStatusChangeAProgressLineEveryThirtySeconds() {
    ScriptedTasks ecs = ecs(fargateService().build()).then(task("RUNNING"), task("RUNNING"), task("RUNNING"),
        task("RUNNING"), task("RUNNING"), task("RUNNING"), task("RUNNING"),
        stopped(null, "Essential container in task exited", exit("app", 0, null), exit("init", 0, null)));

    oneOff(ecs).run(request(List.of(), Duration.ofSeconds(10), Duration.ofMinutes(5))).orElseThrow();

    // RUNNING seen at 0 s; looks at 10 s ... 60 s; a line when 30 s passed since the last line
    List<String> progress = log.infos().stream().filter(l -> l.contains(" still RUNNING after ")).toList();
    assertEquals(List.of("Task " + TASK_ID + " still RUNNING after 30s (timeout 5m)",
        "Task " + TASK_ID + " still RUNNING after 1m (timeout 5m)"), progress);
  }

  @Test
  void theTimeoutEndsTheWaitAtTheFirstLookNotBeforeTheDeadlineAndLeavesTheTaskRunning() {
    logs.write("Waiting for lock");
    ScriptedTasks ecs = ecs(fargateService().build()).then(task("RUNNING"));

    DeploymentFailedException failed = assertThrows(DeploymentFailedException.class, () -> oneOff(ecs)
        .run(request(List.of(), Duration.ofSeconds(10), Duration.ofSeconds(30))));

    assertEquals(4, ecs.describeTasksCalls, "looks at 0, 10, 20 and 30 s");
    assertEquals(Duration.ofSeconds(30), clock.sleeps.stream().reduce(Duration.ZERO, Duration::plus));
    assertEquals("Task " + TASK_ARN + " is still RUNNING after 30s (<runTaskTimeout> / -Decs.runTask.timeout). ECS"
        + " keeps running it; stop it with 'aws ecs stop-task --cluster prod --task " + TASK_ARN + "', or raise"
        + " <runTaskTimeout> / -Decs.runTask.timeout. The build stops here, so the goals after ecs:run-task"
        + " (update-service) did not run: nothing was deployed. Last output of container app:\n  Waiting for lock",
        failed.getMessage());
  }

  @Test
  void aTaskThatStoppedByTheLastLookSucceedsEvenAtTheDeadline() {
    ScriptedTasks ecs = ecs(fargateService().build()).then(task("RUNNING"), task("RUNNING"), task("RUNNING"),
        stopped(null, "Essential container in task exited", exit("app", 0, null), exit("init", 0, null)));

    assertTrue(oneOff(ecs).run(request(List.of(), Duration.ofSeconds(10), Duration.ofSeconds(30))).isPresent());
  }

  @Test
  void anInterruptedWaitSaysThatEcsKeepsRunningTheTask() {
    ScriptedTasks ecs = ecs(fargateService().build()).then(task("RUNNING"));
    OneOffTask oneOff = new OneOffTask(ecs, () -> {
      throw new AssertionError("no ECR");
    }, () -> logs, log, clock, duration -> {
      throw new InterruptedException("build cancelled");
    });

    ExternalFailureException e = assertThrows(ExternalFailureException.class, () -> oneOff
        .run(request(List.of(), Duration.ofSeconds(10), Duration.ofSeconds(30))));

    assertEquals("Interrupted while waiting for task " + TASK_ARN + "; ECS keeps running it.", e.getMessage());
    assertTrue(Thread.currentThread().isInterrupted(), "the interrupt is kept for the caller");
  }

  // ---- launching like the service ------------------------------------------------------------------------------

  @Test
  void theTaskRunsWithTheServicesLaunchTypeAndPlatformVersionAndTheCommandOnTheChosenContainer() {
    ScriptedTasks ecs = ecs(fargateService().platformVersion("1.4.0").capacityProviderStrategy(List.of()).build())
        .then(stopped(null, "done", exit("app", 0, null), exit("init", 0, null)));

    oneOff(ecs).run(request("  app ", List.of("flyway", "migrate"), Duration.ofSeconds(5), Duration.ofMinutes(1)));

    RunTaskRequest sent = ecs.runCalls.get(0);
    assertEquals("FARGATE", sent.launchTypeAsString(), "an empty strategy is no strategy");
    assertFalse(sent.hasCapacityProviderStrategy() && !sent.capacityProviderStrategy().isEmpty());
    assertEquals("1.4.0", sent.platformVersion());
    assertEquals(TD, sent.taskDefinition());
    assertEquals(1, sent.count());
    assertEquals("prod", sent.cluster());
    assertEquals(List.of("subnet-a"), sent.networkConfiguration().awsvpcConfiguration().subnets());
    assertEquals("app", sent.overrides().containerOverrides().get(0).name());
    assertEquals(List.of("flyway", "migrate"), sent.overrides().containerOverrides().get(0).command());
    assertTrue(log.infos().contains("Started task " + TASK_ARN + " of web:3 (container app, command [flyway,"
        + " migrate], launch type FARGATE)"), log.infos().toString());
  }

  @Test
  void platformVersionLatestIsNotSentAndNoLaunchTypeLeavesTheClusterDefault() {
    ScriptedTasks ecs = ecs(fargateService().launchType((String) null).platformVersion("LATEST").build())
        .then(stopped(null, "done", exit("app", 0, null), exit("init", 0, null)));

    oneOff(ecs).run(request(List.of(), Duration.ofSeconds(5), Duration.ofMinutes(1)));

    RunTaskRequest sent = ecs.runCalls.get(0);
    assertNull(sent.launchType());
    assertNull(sent.platformVersion());
    assertFalse(sent.overrides() != null && sent.overrides().hasContainerOverrides(), "no command, no override");
    assertTrue(log.infos().contains("Started task " + TASK_ARN + " of web:3 (container app, the task definition's"
        + " command, launch type (cluster default))"), log.infos().toString());
  }

  @Test
  void aCapacityProviderStrategyIsUsedInsteadOfTheLaunchType() {
    ScriptedTasks ecs = ecs(fargateService().launchType((String) null).capacityProviderStrategy(
            CapacityProviderStrategyItem.builder().capacityProvider("FARGATE_SPOT").weight(1).build()).build())
        .then(stopped(null, "done", exit("app", 0, null), exit("init", 0, null)));

    oneOff(ecs).run(request(List.of(), Duration.ofSeconds(5), Duration.ofMinutes(1)));

    RunTaskRequest sent = ecs.runCalls.get(0);
    assertEquals("FARGATE_SPOT", sent.capacityProviderStrategy().get(0).capacityProvider());
    assertNull(sent.launchType());
    assertTrue(log.infos().stream().anyMatch(l -> l.endsWith("capacity provider strategy [FARGATE_SPOT])")),
        log.infos().toString());
  }

  @Test
  void aContainerTheTaskDefinitionDoesNotHaveIsTheUsersMistake() {
    ScriptedTasks ecs = ecs(fargateService().build());

    UserInputException e = assertThrows(UserInputException.class, () -> oneOff(ecs)
        .run(request("migrate", List.of("migrate"), Duration.ofSeconds(5), Duration.ofMinutes(1))));

    assertEquals("Task definition web:3 has no container 'migrate'; its containers are [app, sidecar, init]. Set"
        + " <runTaskContainer> / -Decs.runTask.container to one of them. Nothing was changed.", e.getMessage());
    assertTrue(ecs.runCalls.isEmpty());
  }

  @Test
  void runTaskStartingNoTaskFailsWithEcssReasons() {
    ScriptedTasks ecs = ecs(fargateService().build()).runs(RunTaskResponse.builder().failures(
        f -> f.arn("arn:aws:ecs:eu-west-1:123456789012:container-instance/abc").reason("RESOURCE:MEMORY"),
        f -> f.arn("arn:aws:ecs:eu-west-1:123456789012:cluster/prod").reason("AGENT").detail("agent disconnected"))
        .build());

    ExternalFailureException e = assertThrows(ExternalFailureException.class, () -> oneOff(ecs)
        .run(request(List.of(), Duration.ofSeconds(5), Duration.ofMinutes(1))));

    assertEquals("RunTask started no task of web:3: [arn:aws:ecs:eu-west-1:123456789012:container-instance/abc"
        + " RESOURCE:MEMORY, arn:aws:ecs:eu-west-1:123456789012:cluster/prod AGENT (agent disconnected)]. Nothing"
        + " was deployed.", e.getMessage());
  }

  @Test
  void aPollIntervalOrTimeoutThatIsNotPositiveIsRefusedNamingTheParameter() {
    UserInputException zeroPoll = assertThrows(UserInputException.class,
        () -> request(List.of(), Duration.ZERO, Duration.ofMinutes(1)));
    UserInputException negativePoll = assertThrows(UserInputException.class,
        () -> request(List.of(), Duration.ofSeconds(-1), Duration.ofMinutes(1)));
    UserInputException zeroTimeout = assertThrows(UserInputException.class,
        () -> request(List.of(), Duration.ofSeconds(5), Duration.ZERO));
    UserInputException negativeTimeout = assertThrows(UserInputException.class,
        () -> request(List.of(), Duration.ofSeconds(5), Duration.ofMinutes(-1)));

    assertTrue(zeroPoll.getMessage().startsWith("<runTaskPollInterval> / -Decs.runTask.pollInterval must be"
        + " positive"), zeroPoll.getMessage());
    assertTrue(negativePoll.getMessage().contains("-Decs.runTask.pollInterval"), negativePoll.getMessage());
    assertTrue(zeroTimeout.getMessage().startsWith("<runTaskTimeout> / -Decs.runTask.timeout must be positive"),
        zeroTimeout.getMessage());
    assertTrue(negativeTimeout.getMessage().contains("-Decs.runTask.timeout"), negativeTimeout.getMessage());
    assertEquals(Duration.ofMillis(1), request(List.of(), Duration.ofMillis(1), Duration.ofMillis(1))
        .pollInterval(), "the smallest positive values are accepted");
  }

  @Test
  void aDryRunBeforeRegisterTaskDefRanSaysWhichRevisionWouldRunAndRunsNothing() {
    ScriptedTasks ecs = ecs(fargateService().build());
    OneOffTask.Request dryRun = new OneOffTask.Request("eu-west-1", "prod", "web-svc",
        new RegisteredTaskDefinition(null, "web", 0, "app", null, false), null, null, null, null, List.of("migrate"),
        Duration.ofSeconds(5), Duration.ofMinutes(10), true);

    assertTrue(oneOff(ecs).run(dryRun).isEmpty());

    assertEquals(List.of("Dry run (<dryRun> / -Decs.dryRun): would run the revision of web that register-task-def"
        + " would register (container app, command [migrate]) in cluster prod with the network configuration and"
        + " launch type FARGATE of service web-svc, and wait up to 10m for it to stop. Nothing was run."),
        log.infos());
    assertTrue(ecs.runCalls.isEmpty());
  }

  @Test
  void aDryRunOfARegisteredRevisionNamesIt() {
    ScriptedTasks ecs = ecs(fargateService().build());
    OneOffTask.Request dryRun = new OneOffTask.Request("eu-west-1", "prod", "web-svc",
        new RegisteredTaskDefinition(TD, "web", 3, "app", "repo/web:v3", false), null, null, null, null, List.of(),
        Duration.ofSeconds(5), Duration.ofMinutes(10), true);

    oneOff(ecs).run(dryRun);

    assertTrue(log.infos().get(0).contains("would run " + TD + " (container app, the task definition's command)"),
        log.infos().toString());
    assertTrue(ecs.runCalls.isEmpty());
  }
}
