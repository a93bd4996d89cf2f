package io.github.ecsdeploy.core;

import static io.github.ecsdeploy.testing.ScriptedEcs.T0;
import static io.github.ecsdeploy.testing.ScriptedEcs.TD6;
import static io.github.ecsdeploy.testing.ScriptedEcs.TD7;
import static io.github.ecsdeploy.testing.ScriptedEcs.TD8;
import static io.github.ecsdeploy.testing.ScriptedEcs.createdAt;
import static io.github.ecsdeploy.testing.ScriptedEcs.deployment;
import static io.github.ecsdeploy.testing.ScriptedEcs.event;
import static io.github.ecsdeploy.testing.ScriptedEcs.service;
import static io.github.ecsdeploy.testing.ScriptedEcs.stoppedTask;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static software.amazon.awssdk.services.ecs.model.DeploymentRolloutState.COMPLETED;
import static software.amazon.awssdk.services.ecs.model.DeploymentRolloutState.FAILED;
import static software.amazon.awssdk.services.ecs.model.DeploymentRolloutState.IN_PROGRESS;

import io.github.ecsdeploy.testing.ScriptedEcs;
import io.github.ecsdeploy.testing.MutableClock;
import io.github.ecsdeploy.testing.RecordingDeployLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.ecs.model.ClusterNotFoundException;
import software.amazon.awssdk.services.ecs.model.DeploymentControllerType;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceDeployment;
import software.amazon.awssdk.services.ecs.model.ServiceDeploymentLifecycleStage;
import software.amazon.awssdk.services.ecs.model.ServiceDeploymentStatus;

class ServiceDeployerTest {

  private static final String CB_REASON = "ECS deployment circuit breaker: tasks failed to start.";

  private final RecordingDeployLog log = new RecordingDeployLog();
  private final MutableClock clock = new MutableClock(T0);
  private final List<DeploymentResult> recorded = new ArrayList<>();

  private DeploymentResult deploy(ScriptedEcs ecs, boolean force, boolean wait, Duration timeout) {
    UpdateServiceRequest request = new UpdateServiceRequest(
        "prod", "hello-svc", TD7, "123456789012.dkr.ecr.eu-west-1.amazonaws.com/hello:v1.4.0", force, wait,
        Duration.ofSeconds(5), timeout);
    return new ServiceDeployer(ecs, log, clock, clock.sleeper()).deploy(request, recorded::add);
  }

  private DeploymentResult deploy(ScriptedEcs ecs) {
    return deploy(ecs, false, true, Duration.ofMinutes(15));
  }

  /** The service runs hello-app:6, steady, as before every deploy of hello-app:7. */
  private static Service steadyOn6() {
    return service(TD6, deployment("ecs-svc/1", "PRIMARY", TD6, 3, 3, 0, 0, COMPLETED))
        .events(event("e0", -60, "(service hello-svc) has reached a steady state."))
        .build();
  }

  private static Service rolling(int running, int pending, int failed) {
    return service(TD7,
            deployment("ecs-svc/2", "PRIMARY", TD7, 3, running, pending, failed, IN_PROGRESS),
            deployment("ecs-svc/1", "ACTIVE", TD6, 3, 3, 0, 0, COMPLETED))
        .events(event("e0", -60, "(service hello-svc) has reached a steady state."))
        .build();
  }

  @Test
  void healthyRolloutCompletesOnOurDeployment() {
    ScriptedEcs ecs = new ScriptedEcs()
        .describes(steadyOn6(), rolling(1, 2, 0), rolling(1, 2, 0), rolling(3, 0, 0),
            service(TD7, deployment("ecs-svc/2", "PRIMARY", TD7, 3, 3, 0, 0, COMPLETED)).build())
        .afterUpdate(rolling(0, 0, 0));

    DeploymentResult result = deploy(ecs);

    assertEquals(DeploymentOutcome.COMPLETED, result.outcome());
    assertEquals("ecs-svc/2", result.deploymentId());
    assertEquals(TD7, result.taskDefinitionArn());
    assertEquals("hello-svc", result.service());
    assertEquals(List.of(result), recorded);
    assertEquals(5, result.durationSeconds());
    assertEquals(1, ecs.updateCalls.size());
    var update = ecs.updateCalls.get(0);
    assertEquals(TD7, update.taskDefinition());
    assertEquals("prod", update.cluster());
    assertEquals("hello-svc", update.service());
    assertEquals(Boolean.FALSE, update.forceNewDeployment());
    assertNull(update.desiredCount(), "the desired count is never changed");
    assertTrue(ecs.listTasksCalls.isEmpty(), "no stopped-task report on success");
    assertEquals(List.of(1L, 1L, 2L, 1L), clock.sleeps.stream().map(Duration::toSeconds).toList(),
        "1 s after UpdateService and after a change, 2 s after an unchanged read, 1 s once all tasks run");
  }

  @Test
  void progressLinePrintedOnlyWhenCountsChange() {
    ScriptedEcs ecs = new ScriptedEcs()
        .describes(steadyOn6(), rolling(0, 3, 0), rolling(0, 3, 0), rolling(1, 2, 0), rolling(1, 2, 0),
            rolling(3, 0, 0),
            service(TD7, deployment("ecs-svc/2", "PRIMARY", TD7, 3, 3, 0, 0, COMPLETED)).build())
        .afterUpdate(rolling(0, 0, 0));

    deploy(ecs);

    List<String> progress = log.infos().stream().filter(l -> l.startsWith("hello-svc: ")).toList();
    assertEquals(List.of(
        "hello-svc: 0/3 running, 0 pending, 0 failed \u2014 IN_PROGRESS",
        "hello-svc: 0/3 running, 3 pending, 0 failed \u2014 IN_PROGRESS",
        "hello-svc: 1/3 running, 2 pending, 0 failed \u2014 IN_PROGRESS",
        "hello-svc: 3/3 running, 0 pending, 0 failed \u2014 IN_PROGRESS",
        "hello-svc: 3/3 running, 0 pending, 0 failed \u2014 COMPLETED"), progress);
  }

  @Test
  void eachNewEventPrintedOnceOldestFirstAndOlderEventsNever() {
    Service poll1 = service(TD7,
            deployment("ecs-svc/2", "PRIMARY", TD7, 3, 0, 3, 0, IN_PROGRESS),
            deployment("ecs-svc/1", "ACTIVE", TD6, 3, 3, 0, 0, COMPLETED))
        .events(event("e2", 10, "(service hello-svc) has started 3 tasks: (task a) (task b) (task c)."),
            event("e1", 5, "(service hello-svc) updated computedDesiredCount for taskSet ecs-svc/2 to 3."),
            event("e0", -60, "(service hello-svc) has reached a steady state."))
        .build();
    Service poll2 = service(TD7, deployment("ecs-svc/2", "PRIMARY", TD7, 3, 3, 0, 0, COMPLETED))
        .events(event("e4", 30, "(service hello-svc) has reached a steady state."),
            event("e3", 25, "(service hello-svc) deployment ecs-svc/2 deployment completed."),
            event("e2", 10, "(service hello-svc) has started 3 tasks: (task a) (task b) (task c)."),
            event("e1", 5, "(service hello-svc) updated computedDesiredCount for taskSet ecs-svc/2 to 3."))
        .build();
    ScriptedEcs ecs = new ScriptedEcs().describes(steadyOn6(), poll1, poll1, poll2).afterUpdate(rolling(0, 0, 0));

    deploy(ecs);

    List<String> events = log.infos().stream().filter(l -> l.startsWith("hello-svc event ")).toList();
    assertEquals(4, events.size(), log.joined());
    assertTrue(events.get(0).endsWith("updated computedDesiredCount for taskSet ecs-svc/2 to 3."));
    assertTrue(events.get(1).endsWith("has started 3 tasks: (task a) (task b) (task c)."));
    assertTrue(events.get(2).endsWith("deployment ecs-svc/2 deployment completed."));
    assertTrue(events.get(3).endsWith("has reached a steady state."));
    assertTrue(events.get(0).contains("2026-11-26T10:00:05Z"));
  }

  @Test
  void circuitBreakerRollbackFailsAndNamesTheRevisionRolledBackTo() {
    Service rolledBack = service(TD6,
            deployment("ecs-svc/3", "PRIMARY", TD6, 3, 0, 3, 0, IN_PROGRESS),
            deployment("ecs-svc/2", "ACTIVE", TD7, 3, 0, 0, 6, FAILED, CB_REASON),
            deployment("ecs-svc/1", "ACTIVE", TD6, 3, 3, 0, 0, COMPLETED))
        .circuitBreaker(true)
        .build();
    ScriptedEcs ecs = new ScriptedEcs()
        .describes(steadyOn6(), rolling(0, 3, 2), rolledBack)
        .afterUpdate(rolling(0, 0, 0))
        .stoppedTasks(
            stoppedTask("t1", "ecs-svc/2", TD7, "Essential container in task exited", 1, null),
            stoppedTask("t2", "ecs-svc/2", TD7, "CannotPullContainerError: pull image manifest has been retried",
                null, "CannotPullContainerError: not found"),
            stoppedTask("t9", "ecs-svc/1", TD6, "Scaling activity initiated by deployment", 143, null));

    DeploymentFailedException e = assertThrows(DeploymentFailedException.class, () -> deploy(ecs));

    assertEquals("Deployment ecs-svc/2 of hello-app:7 FAILED: ECS deployment circuit breaker: tasks failed to"
        + " start. ECS rolled back to hello-app:6 (deployment ecs-svc/3).", e.getMessage());
    assertEquals(DeploymentOutcome.ROLLED_BACK, recorded.get(0).outcome());
    assertEquals("ecs-svc/2", ecs.listTasksCalls.get(0).startedBy());
    assertEquals("STOPPED", ecs.listTasksCalls.get(0).desiredStatusAsString());
    String warns = String.join("\n", log.warns());
    assertTrue(warns.contains("Stopped tasks of deployment ecs-svc/2 (2, newest first):"), warns);
    assertTrue(warns.contains("task t1 (hello-app:7) stopped [EssentialContainerExited]: Essential container in"
        + " task exited"), warns);
    assertTrue(warns.contains("container app: exit code 1"), warns);
    assertTrue(warns.contains("container app: exit code none, reason: CannotPullContainerError: not found"), warns);
    assertFalse(warns.contains("t9"), "tasks of other deployments are not ours");
  }

  @Test
  void failedWithoutRollbackFailsWithTheReason() {
    Service failed = service(TD7,
            deployment("ecs-svc/2", "PRIMARY", TD7, 3, 0, 0, 3, FAILED, CB_REASON),
            deployment("ecs-svc/1", "ACTIVE", TD6, 3, 3, 0, 0, COMPLETED))
        .circuitBreaker(false)
        .build();
    ScriptedEcs ecs = new ScriptedEcs().describes(steadyOn6(), failed).afterUpdate(rolling(0, 0, 0));

    DeploymentFailedException e = assertThrows(DeploymentFailedException.class, () -> deploy(ecs));

    assertTrue(e.getMessage().startsWith("Deployment ecs-svc/2 of hello-app:7 FAILED: " + CB_REASON), e.getMessage());
    assertTrue(e.getMessage().contains("ECS did not roll back"), e.getMessage());
    assertEquals(DeploymentOutcome.FAILED, recorded.get(0).outcome());
    assertTrue(log.warns().contains("No stopped tasks of deployment ecs-svc/2 were found."));
  }

  @Test
  void crashLoopWithoutCircuitBreakerTimesOutAndShowsWhyTasksStopped() {
    ScriptedEcs ecs = new ScriptedEcs()
        .describes(steadyOn6(), rolling(0, 1, 1), rolling(1, 1, 2), rolling(0, 2, 5))
        .afterUpdate(rolling(0, 0, 0))
        .stoppedTasks(stoppedTask("t1", "ecs-svc/2", TD7, "Essential container in task exited", 137,
            "OutOfMemoryError: Container killed due to memory usage"));

    DeploymentFailedException e =
        assertThrows(DeploymentFailedException.class, () -> deploy(ecs, false, true, Duration.ofMinutes(1)));

    assertEquals("Deployment ecs-svc/2 of hello-app:7 did not finish within 1m: 0/3 running, 2 pending, 5 failed"
        + " \u2014 IN_PROGRESS. Still active besides it: ecs-svc/1 (ACTIVE, hello-app:6, 3/3 running, 0 pending,"
        + " 0 failed). ECS keeps working on the deployment; this build stopped waiting. If the tasks need longer"
        + " to become healthy, raise <timeout> / -Decs.updateService.timeout.", e.getMessage());
    assertEquals(DeploymentOutcome.TIMED_OUT, recorded.get(0).outcome());
    assertEquals(T0.plusSeconds(60), recorded.get(0).finishedAt());
    assertEquals(1 + 60, ecs.describeCalls.size(),
        "one check, then a poll every second while tasks fail (the circuit breaker may trip at any of them)");
    String warns = String.join("\n", log.warns());
    assertTrue(warns.contains("container app: exit code 137, reason: OutOfMemoryError: Container killed due to"
        + " memory usage"), warns);
  }

  @Test
  void timeoutShorterThanPollIntervalSleepsOnlyTheRemainder() {
    ScriptedEcs ecs = new ScriptedEcs().describes(steadyOn6(), rolling(0, 3, 0)).afterUpdate(rolling(0, 0, 0));

    assertThrows(DeploymentFailedException.class, () -> deploy(ecs, false, true, Duration.ofSeconds(7)));

    assertEquals(List.of(1L, 1L, 2L, 3L), clock.sleeps.stream().map(Duration::toSeconds).toList(),
        "the pace backs off while nothing moves; the last pause is what remains before the deadline, not 4 s");
  }

  @Test
  void anotherDeploymentStartedBySomeoneElseFailsNamingItsTaskDefinition() {
    Service replaced = service(TD8,
            deployment("ecs-svc/9", "PRIMARY", TD8, 3, 0, 3, 0, IN_PROGRESS),
            deployment("ecs-svc/2", "ACTIVE", TD7, 3, 1, 0, 0, IN_PROGRESS),
            deployment("ecs-svc/1", "ACTIVE", TD6, 3, 2, 0, 0, COMPLETED))
        .build();
    ScriptedEcs ecs = new ScriptedEcs().describes(steadyOn6(), rolling(1, 2, 0), replaced).afterUpdate(rolling(0, 0, 0));

    DeploymentFailedException e = assertThrows(DeploymentFailedException.class, () -> deploy(ecs));

    assertTrue(e.getMessage().startsWith("Deployment ecs-svc/2 of hello-app:7 is no longer PRIMARY (now ACTIVE): it"
        + " was replaced by hello-app:8 (deployment ecs-svc/9), which this build did not start."), e.getMessage());
    assertEquals(DeploymentOutcome.REPLACED, recorded.get(0).outcome());
  }

  @Test
  void deploymentGoneWithServiceBackOnThePreviousRevisionIsARollback() {
    Service back = service(TD6, deployment("ecs-svc/3", "PRIMARY", TD6, 3, 3, 0, 0, null)).build();
    ScriptedEcs ecs = new ScriptedEcs().describes(steadyOn6(), back).afterUpdate(rolling(0, 0, 0));

    DeploymentFailedException e = assertThrows(DeploymentFailedException.class, () -> deploy(ecs));

    assertEquals("Deployment ecs-svc/2 of hello-app:7 is gone from the service: the service was rolled back to"
        + " hello-app:6 (deployment ecs-svc/3), the last revision COMPLETED before.", e.getMessage());
    assertEquals(DeploymentOutcome.ROLLED_BACK, recorded.get(0).outcome());
  }

  @Test
  void serviceWithoutRolloutStateCompletesWhenOursIsTheOnlySteadyDeployment() {
    Service twoLeft = service(TD7,
            deployment("ecs-svc/2", "PRIMARY", TD7, 3, 3, 0, 0, null),
            deployment("ecs-svc/1", "ACTIVE", TD6, 3, 1, 0, 0, null))
        .build();
    Service onlyOurs = service(TD7, deployment("ecs-svc/2", "PRIMARY", TD7, 3, 3, 0, 0, null)).build();
    ScriptedEcs ecs = new ScriptedEcs()
        .describes(service(TD6, deployment("ecs-svc/1", "PRIMARY", TD6, 3, 3, 0, 0, null)).build(), twoLeft,
            onlyOurs)
        .afterUpdate(twoLeft);

    DeploymentResult result = deploy(ecs);

    assertEquals(DeploymentOutcome.COMPLETED, result.outcome());
    assertEquals(3, ecs.describeCalls.size(), "twoLeft is not done yet: two deployments remain");
  }

  @Test
  void alreadyRunningTheSameRevisionSucceedsWithoutUpdateService() {
    Service on7 = service(TD7, deployment("ecs-svc/2", "PRIMARY", TD7, 3, 3, 0, 0, COMPLETED)).build();
    ScriptedEcs ecs = new ScriptedEcs().describes(on7);

    DeploymentResult result = deploy(ecs);

    assertEquals(DeploymentOutcome.UNCHANGED, result.outcome());
    assertEquals("ecs-svc/2", result.deploymentId());
    assertTrue(ecs.updateCalls.isEmpty());
    assertEquals(List.of(result), recorded);
    assertTrue(log.infos().get(0).contains("already runs hello-app:7 in deployment ecs-svc/2"), log.joined());
    assertTrue(log.infos().get(0).contains("-Decs.updateService.forceNewDeployment=true"), log.joined());
  }

  @Test
  void sameRevisionStillDeployingIsWatchedNotSkipped() {
    Service deploying7 = service(TD7,
            deployment("ecs-svc/2", "PRIMARY", TD7, 3, 1, 2, 0, IN_PROGRESS),
            deployment("ecs-svc/1", "ACTIVE", TD6, 3, 3, 0, 0, COMPLETED))
        .build();
    Service done = service(TD7, deployment("ecs-svc/2", "PRIMARY", TD7, 3, 3, 0, 0, COMPLETED)).build();
    ScriptedEcs ecs = new ScriptedEcs().describes(deploying7, done).afterUpdate(deploying7);

    DeploymentResult result = deploy(ecs);

    assertEquals(DeploymentOutcome.COMPLETED, result.outcome());
    assertEquals(1, ecs.updateCalls.size());
    assertTrue(log.joined().contains("ECS started no new deployment"), log.joined());
  }

  @Test
  void forceNewDeploymentStartsOneEvenOnTheSameRevision() {
    Service on7 = service(TD7, deployment("ecs-svc/2", "PRIMARY", TD7, 3, 3, 0, 0, COMPLETED)).build();
    Service forced = service(TD7,
            deployment("ecs-svc/5", "PRIMARY", TD7, 3, 0, 0, 0, IN_PROGRESS),
            deployment("ecs-svc/2", "ACTIVE", TD7, 3, 3, 0, 0, COMPLETED))
        .build();
    Service done = service(TD7, deployment("ecs-svc/5", "PRIMARY", TD7, 3, 3, 0, 0, COMPLETED)).build();
    ScriptedEcs ecs = new ScriptedEcs().describes(on7, done).afterUpdate(forced);

    DeploymentResult result = deploy(ecs, true, true, Duration.ofMinutes(15));

    assertEquals(DeploymentOutcome.COMPLETED, result.outcome());
    assertEquals("ecs-svc/5", result.deploymentId());
    assertEquals(Boolean.TRUE, ecs.updateCalls.get(0).forceNewDeployment());
  }

  @Test
  void noWaitReturnsRightAfterTheCall() {
    ScriptedEcs ecs = new ScriptedEcs().describes(steadyOn6()).afterUpdate(rolling(0, 0, 0));

    DeploymentResult result = deploy(ecs, false, false, Duration.ofMinutes(15));

    assertEquals(DeploymentOutcome.STARTED, result.outcome());
    assertEquals("ecs-svc/2", result.deploymentId());
    assertEquals(1, ecs.describeCalls.size());
    assertTrue(clock.sleeps.isEmpty());
  }

  @Test
  void codeDeployServiceIsRefusedWithWhatToDoInstead() {
    ScriptedEcs ecs = new ScriptedEcs()
        .describes(service(TD6, deployment("ecs-svc/1", "PRIMARY", TD6, 3, 3, 0, 0, null))
            .controller(DeploymentControllerType.CODE_DEPLOY).build());

    UserInputException e = assertThrows(UserInputException.class, () -> deploy(ecs));

    assertTrue(e.getMessage().contains("CODE_DEPLOY"), e.getMessage());
    assertTrue(e.getMessage().contains("Create a CodeDeploy deployment instead"), e.getMessage());
    assertTrue(e.getMessage().endsWith("Nothing was changed."), e.getMessage());
    assertTrue(ecs.updateCalls.isEmpty());
    assertTrue(recorded.isEmpty());
  }

  @Test
  void externalControllerIsRefusedWithWhatToDoInstead() {
    ScriptedEcs ecs = new ScriptedEcs()
        .describes(service(TD6).controller(DeploymentControllerType.EXTERNAL).build());

    UserInputException e = assertThrows(UserInputException.class, () -> deploy(ecs));

    assertTrue(e.getMessage().contains("EXTERNAL deployment controller"), e.getMessage());
    assertTrue(e.getMessage().contains("task sets"), e.getMessage());
    assertTrue(ecs.updateCalls.isEmpty());
  }

  @Test
  void inactiveServiceIsRefused() {
    ScriptedEcs ecs = new ScriptedEcs().describes(service(TD6).status("INACTIVE").build());

    UserInputException e = assertThrows(UserInputException.class, () -> deploy(ecs));

    assertTrue(e.getMessage().startsWith("Service 'hello-svc' in cluster 'prod' (region not known) is INACTIVE: it was"
        + " deleted, so it cannot be deployed to."), e.getMessage());
    assertEquals(Param.SERVICE, e.param().orElseThrow());
    assertTrue(ecs.updateCalls.isEmpty());
  }

  @Test
  void missingServiceNamesWhatWasLookedUp() {
    ScriptedEcs ecs = new ScriptedEcs().describeFails("MISSING");

    UserInputException e = assertThrows(UserInputException.class, () -> deploy(ecs));

    assertTrue(e.getMessage().startsWith("Service 'hello-svc' was not found in cluster 'prod'"), e.getMessage());
    assertTrue(e.getMessage().contains("<service> / -Decs.service"), e.getMessage());
    assertEquals(Param.SERVICE, e.param().orElseThrow());
    assertTrue(ecs.updateCalls.isEmpty());
  }

  @Test
  void missingClusterNamesWhatWasLookedUp() {
    ScriptedEcs ecs = new ScriptedEcs().describeThrows(ClusterNotFoundException.builder()
        .message("Cluster not found.")
        .awsErrorDetails(AwsErrorDetails.builder().errorCode("ClusterNotFoundException")
            .errorMessage("Cluster not found.").build())
        .statusCode(400)
        .build());

    UserInputException e = assertThrows(UserInputException.class, () -> deploy(ecs));

    assertTrue(e.getMessage().startsWith("Cluster 'prod' was not found (region not known; looking up service 'hello-svc')"),
        e.getMessage());
    assertTrue(e.getMessage().contains("<cluster> / -Decs.cluster"), e.getMessage());
    assertEquals(Param.CLUSTER, e.param().orElseThrow());
  }

  @Test
  void aTransientPollErrorIsRetriedAtTheNextPoll() {
    ScriptedEcs ecs = new ScriptedEcs()
        .describes(steadyOn6())
        .describeThrows(software.amazon.awssdk.core.exception.SdkClientException.create("connection reset"))
        .describes(service(TD7, deployment("ecs-svc/2", "PRIMARY", TD7, 3, 3, 0, 0, COMPLETED)).build())
        .afterUpdate(rolling(0, 0, 0));

    assertEquals(DeploymentOutcome.COMPLETED, deploy(ecs).outcome());
    assertTrue(log.debugs().stream().anyMatch(l -> l.contains("failed (DescribeServices: connection reset); trying"
        + " again at the next poll until the timeout.")), log.joined());
    assertTrue(log.warns().stream().noneMatch(l -> l.contains("connection reset")), "a failed poll is detail");
  }

  @Test
  void aLastingOutageIsRiddenOutUntilTheDeadlineAndNamedInTheTimeoutMessage() {
    ScriptedEcs ecs = new ScriptedEcs()
        .describes(steadyOn6())
        .describeThrows(software.amazon.awssdk.services.ecs.model.EcsException.builder()
            .message("Rate exceeded").statusCode(400)
            .awsErrorDetails(AwsErrorDetails.builder().errorCode("ThrottlingException").errorMessage("Rate exceeded")
                .build())
            .build())
        .afterUpdate(rolling(0, 0, 0));

    DeploymentFailedException e =
        assertThrows(DeploymentFailedException.class, () -> deploy(ecs, false, true, Duration.ofMinutes(1)));

    assertEquals(DeploymentOutcome.TIMED_OUT, recorded.get(0).outcome());
    assertEquals(T0.plusSeconds(60), recorded.get(0).finishedAt(), "never a verdict before the deadline");
    assertEquals(List.of(1L, 10L, 20L, 29L), clock.sleeps.stream().map(Duration::toSeconds).toList(),
        "each throttled poll doubles the wait from the 5 s poll interval (10 s, 20 s); the last wait ends at the"
            + " deadline");
    assertEquals(1 + 4, ecs.describeCalls.size(), "one check, then one read per wait");
    assertTrue(e.getMessage().contains("The last 4 polls of ECS failed (DescribeServices: Rate exceeded"),
        e.getMessage());
    assertTrue(e.getMessage().contains("so the deployment may have finished unseen."), e.getMessage());
    assertEquals(4, log.debugs().stream().filter(l -> l.contains("Rate exceeded")).count(), log.joined());
  }

  @Test
  void aFailedPollAfterGoodOnesIsCountedFromTheLastGoodOne() {
    ScriptedEcs ecs = new ScriptedEcs()
        .describes(steadyOn6(), rolling(1, 2, 0))
        .describeThrows(software.amazon.awssdk.core.exception.SdkClientException.create("connection reset"))
        .describes(rolling(1, 2, 0))
        .describeThrows(software.amazon.awssdk.core.exception.SdkClientException.create("read timed out"))
        .afterUpdate(rolling(0, 0, 0));

    DeploymentFailedException e =
        assertThrows(DeploymentFailedException.class, () -> deploy(ecs, false, true, Duration.ofSeconds(30)));

    // polls at 1, 2 (connection reset), 4 (good, unchanged), then 8, 13, 18, 23, 28 and 30 s fail
    assertTrue(e.getMessage().contains("The last 6 polls of ECS failed (DescribeServices: read timed out)"),
        e.getMessage());
  }

  @Test
  void describeServicesFailureOtherThanMissingIsTheWorldsFailureNotTheUsers() {
    ScriptedEcs ecs = new ScriptedEcs().describeFails("INTERNAL_ERROR");

    ExternalFailureException e = assertThrows(ExternalFailureException.class, () -> deploy(ecs));

    assertEquals("DescribeServices of service 'hello-svc' in cluster 'prod' (region not known) returned no service:"
        + " INTERNAL_ERROR.", e.getMessage());
    assertTrue(ecs.updateCalls.isEmpty());
  }

  @Test
  void ourDeploymentIsThePrimaryOfOurRevisionWhereverUpdateServiceListsIt() {
    Service oldFirst = service(TD7,
            deployment("ecs-svc/1", "ACTIVE", TD6, 3, 3, 0, 0, COMPLETED),
            deployment("ecs-svc/2", "PRIMARY", TD7, 3, 0, 0, 0, IN_PROGRESS))
        .build();
    ScriptedEcs ecs = new ScriptedEcs()
        .describes(steadyOn6(), service(TD7, deployment("ecs-svc/2", "PRIMARY", TD7, 3, 3, 0, 0, COMPLETED)).build())
        .afterUpdate(oldFirst);

    DeploymentResult result = deploy(ecs);

    assertEquals("ecs-svc/2", result.deploymentId());
    assertEquals(DeploymentOutcome.COMPLETED, result.outcome());
    assertTrue(log.infos().get(0).startsWith("Started deployment ecs-svc/2 of hello-app:7"), log.joined());
  }

  @Test
  void stoppedTasksAreReadFromEveryPageAndShownNewestFirstWithTheTotal() {
    Service failed = service(TD7,
            deployment("ecs-svc/2", "PRIMARY", TD7, 3, 0, 0, 105, FAILED, CB_REASON),
            deployment("ecs-svc/1", "ACTIVE", TD6, 3, 3, 0, 0, COMPLETED))
        .circuitBreaker(false)
        .build();
    ScriptedEcs ecs = new ScriptedEcs().describes(steadyOn6(), failed).afterUpdate(rolling(0, 0, 0)).pageSize(40);
    List<software.amazon.awssdk.services.ecs.model.Task> tasks = new ArrayList<>();
    for (int i = 0; i < 105; i++) {
      // listed oldest first, as nothing in the API promises newest first
      tasks.add(stoppedTask(String.format("t%03d", i), "ecs-svc/2", TD7, "Essential container in task exited " + i,
          1, null, i));
    }
    ecs.stoppedTasks(tasks.toArray(software.amazon.awssdk.services.ecs.model.Task[]::new));

    assertThrows(DeploymentFailedException.class, () -> deploy(ecs));

    assertEquals(3, ecs.listTasksCalls.size(), "105 tasks in pages of 40");
    List<String> taskLines = log.warns().stream().filter(l -> l.startsWith("  task ")).toList();
    assertTrue(log.warns().contains("Stopped tasks of deployment ecs-svc/2 (105, the newest 10 first):"),
        log.joined());
    assertEquals(10, taskLines.size());
    for (int i = 0; i < 10; i++) {
      assertTrue(taskLines.get(i).startsWith("  task " + String.format("t%03d", 104 - i) + " (hello-app:7) stopped [EssentialContainerExited]"),
          i + ": " + taskLines.get(i));
    }
    assertTrue(log.warns().contains("  ... and 95 more stopped tasks."), log.joined());
  }

  @Test
  void reRunOnACrashLoopingServiceFailsWithTheStoppedTaskReasonsAndChangesNothing() {
    Service crashLooping = service(TD7, deployment("ecs-svc/2", "PRIMARY", TD7, 3, 1, 2, 14, COMPLETED)).build();
    ScriptedEcs ecs = new ScriptedEcs().describes(crashLooping).stoppedTasks(
        stoppedTask("t1", "ecs-svc/2", TD7, "Essential container in task exited", 137, "OutOfMemoryError"));

    DeploymentFailedException e = assertThrows(DeploymentFailedException.class, () -> deploy(ecs));

    assertTrue(e.getMessage().startsWith("Service hello-svc already runs hello-app:7 in deployment ecs-svc/2, which"
        + " COMPLETED, but it is not healthy now: 1/3 running, 2 pending, 14 failed."), e.getMessage());
    assertTrue(e.getMessage().contains("-Decs.updateService.forceNewDeployment=true"), e.getMessage());
    assertEquals(DeploymentOutcome.FAILED, recorded.get(0).outcome());
    assertTrue(ecs.updateCalls.isEmpty(), "nothing was changed");
    assertTrue(log.warnContains("exit code 137, reason: OutOfMemoryError"), log.joined());
  }

  // ---- the Service Deployments API ---------------------------------------------------------------------------

  private static final String SD_ARN = "arn:aws:ecs:eu-west-1:123456789012:service-deployment/prod/hello-svc/Ab12";

  private static software.amazon.awssdk.services.ecs.model.ServiceDeploymentBrief brief() {
    return software.amazon.awssdk.services.ecs.model.ServiceDeploymentBrief.builder()
        .serviceDeploymentArn(SD_ARN).createdAt(ScriptedEcs.createdAt("ecs-svc/2"))
        .status(ServiceDeploymentStatus.IN_PROGRESS).build();
  }

  private static ServiceDeployment sd(ServiceDeploymentStatus status, ServiceDeploymentLifecycleStage stage) {
    return ServiceDeployment.builder().serviceDeploymentArn(SD_ARN).status(status).lifecycleStage(stage).build();
  }

  @Test
  void aRollbackTheServiceDeploymentReportsIsARollbackWhileDeploymentsStillLag() {
    Service lagging = service(TD6,
            deployment("ecs-svc/3", "PRIMARY", TD6, 3, 0, 3, 0, IN_PROGRESS, null),
            deployment("ecs-svc/2", "ACTIVE", TD7, 3, 0, 0, 3, IN_PROGRESS))
        .build();
    ScriptedEcs ecs = new ScriptedEcs()
        .describes(steadyOn6(), rolling(0, 3, 1), lagging)
        .afterUpdate(rolling(0, 0, 0))
        .serviceDeployments(brief(), sd(ServiceDeploymentStatus.IN_PROGRESS, null),
            sd(ServiceDeploymentStatus.ROLLBACK_IN_PROGRESS, null).toBuilder()
                .rollback(r -> r.reason("ECS deployment circuit breaker: tasks failed to start.")).build());

    DeploymentFailedException e = assertThrows(DeploymentFailedException.class, () -> deploy(ecs));

    assertEquals(DeploymentOutcome.ROLLED_BACK, recorded.get(0).outcome());
    assertTrue(e.getMessage().contains("ECS rolled back to hello-app:6 (deployment ecs-svc/3) (service deployment"
        + " ROLLBACK_IN_PROGRESS)."), e.getMessage());
    assertEquals(1, ecs.listServiceDeploymentsCalls.size(), "ours is looked up once, then described");
    assertEquals(createdAt("ecs-svc/2").minusSeconds(2),
        ecs.listServiceDeploymentsCalls.get(0).createdAt().after());
    assertEquals("hello-svc", ecs.listServiceDeploymentsCalls.get(0).service());
  }

  @Test
  void blueGreenWaitsForTheServiceDeploymentThroughBakeTimeAndShowsTheStage() {
    Service allTraffic = service(TD7,
            deployment("ecs-svc/2", "PRIMARY", TD7, 3, 3, 0, 0, COMPLETED),
            deployment("ecs-svc/1", "ACTIVE", TD6, 3, 3, 0, 0, COMPLETED))
        .build();
    ScriptedEcs ecs = new ScriptedEcs()
        .describes(steadyOn6(), rolling(3, 0, 0), allTraffic, allTraffic, allTraffic, allTraffic, allTraffic)
        .afterUpdate(rolling(0, 0, 0).toBuilder().currentServiceDeployment(SD_ARN).build())
        .serviceDeployments(brief(),
            sd(ServiceDeploymentStatus.IN_PROGRESS, ServiceDeploymentLifecycleStage.PRODUCTION_TRAFFIC_SHIFT),
            sd(ServiceDeploymentStatus.IN_PROGRESS, ServiceDeploymentLifecycleStage.BAKE_TIME),
            sd(ServiceDeploymentStatus.IN_PROGRESS, ServiceDeploymentLifecycleStage.BAKE_TIME),
            sd(ServiceDeploymentStatus.IN_PROGRESS, ServiceDeploymentLifecycleStage.BAKE_TIME),
            sd(ServiceDeploymentStatus.IN_PROGRESS, ServiceDeploymentLifecycleStage.CLEAN_UP),
            sd(ServiceDeploymentStatus.SUCCESSFUL, null));

    DeploymentResult result = deploy(ecs);

    assertEquals(DeploymentOutcome.COMPLETED, result.outcome());
    assertEquals(T0.plusSeconds(10), result.finishedAt(), "not before the service deployment SUCCESSFUL");
    assertEquals(List.of(1L, 1L, 1L, 2L, 4L, 1L), clock.sleeps.stream().map(Duration::toSeconds).toList(),
        "1 s while all tasks run outside the bake time and after a change; backing off through the unchanged bake"
            + " time; 1 s after the stage changes to CLEAN_UP");
    assertTrue(ecs.listServiceDeploymentsCalls.isEmpty(), "UpdateService named the service deployment");
    assertTrue(log.infos().contains("hello-svc: 3/3 running, 0 pending, 0 failed \u2014 COMPLETED, stage BAKE_TIME"),
        log.joined());
    assertTrue(result.message().contains("SUCCESSFUL"), result.message());
  }

  @Test
  void aRoleWithoutTheServiceDeploymentsApiFallsBackAfterOneWarningNamingBothActions() {
    ScriptedEcs ecs = new ScriptedEcs()
        .describes(steadyOn6(), rolling(1, 2, 0), rolling(3, 0, 0),
            service(TD7, deployment("ecs-svc/2", "PRIMARY", TD7, 3, 3, 0, 0, COMPLETED)).build())
        .afterUpdate(rolling(0, 0, 0));

    DeploymentResult result = deploy(ecs);

    assertEquals(DeploymentOutcome.COMPLETED, result.outcome());
    assertEquals(1, ecs.listServiceDeploymentsCalls.size(), "asked once, never again after AccessDenied");
    assertEquals(1, log.warns().size(), log.joined());
    assertTrue(log.warns().get(0).contains("ecs:ListServiceDeployments / ecs:DescribeServiceDeployments"),
        log.joined());
  }

  @Test
  void aSuccessInDeploymentsWaitsAFewPollsForOurServiceDeploymentToBeListedThenStands() {
    // ListServiceDeployments is eventually consistent too; here it never lists ours (only an older one).
    var older = software.amazon.awssdk.services.ecs.model.ServiceDeploymentBrief.builder()
        .serviceDeploymentArn(SD_ARN + "-older").createdAt(T0.minusSeconds(3600))
        .status(ServiceDeploymentStatus.SUCCESSFUL).build();
    ScriptedEcs ecs = new ScriptedEcs()
        .describes(steadyOn6(), service(TD7, deployment("ecs-svc/2", "PRIMARY", TD7, 3, 3, 0, 0, COMPLETED)).build())
        .afterUpdate(rolling(0, 0, 0))
        .serviceDeployments(older, sd(ServiceDeploymentStatus.SUCCESSFUL, null));

    DeploymentResult result = deploy(ecs);

    assertEquals(DeploymentOutcome.COMPLETED, result.outcome());
    assertEquals(4, ecs.listServiceDeploymentsCalls.size(), "one look per poll: the first COMPLETED and three more");
    assertEquals(0, ecs.describeServiceDeploymentsCalls, "an older service deployment is not ours");
    assertTrue(log.warns().isEmpty(), log.joined());
  }

  @Test
  void aThrottledServiceDeploymentsCallIsRiddenOutLikeAnyFailedPoll() {
    ScriptedEcs ecs = new ScriptedEcs()
        .describes(steadyOn6(), rolling(3, 0, 0))
        .afterUpdate(rolling(0, 0, 0))
        .serviceDeployments(brief())
        .serviceDeploymentThrows(software.amazon.awssdk.core.exception.SdkClientException.create("throttled"))
        .serviceDeployments(brief(), sd(ServiceDeploymentStatus.SUCCESSFUL, null));

    DeploymentResult result = deploy(ecs);

    assertEquals(DeploymentOutcome.COMPLETED, result.outcome());
    assertTrue(log.debugs().stream().anyMatch(l -> l.contains("service deployments: throttled")), log.joined());
    assertTrue(log.warns().isEmpty(), log.joined());
  }

  @Test
  void familyWithoutRevisionIsRefusedBeforeAnyCall() {
    UserInputException e = assertThrows(UserInputException.class, () -> new UpdateServiceRequest(
        "prod", "hello-svc", "hello-app", null, false, true, Duration.ofSeconds(5), Duration.ofMinutes(15)));

    assertEquals(Param.TASK_DEFINITION_ARN, e.param().orElseThrow());
    assertTrue(e.getMessage().contains("'hello-app'"), e.getMessage());
  }
}
