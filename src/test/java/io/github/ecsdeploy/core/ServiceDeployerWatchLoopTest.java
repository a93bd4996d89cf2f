package io.github.ecsdeploy.core;

import static io.github.ecsdeploy.testing.ScriptedEcs.T0;
import static io.github.ecsdeploy.testing.ScriptedEcs.TD6;
import static io.github.ecsdeploy.testing.ScriptedEcs.TD7;
import static io.github.ecsdeploy.testing.ScriptedEcs.deployment;
import static io.github.ecsdeploy.testing.ScriptedEcs.service;
import static io.github.ecsdeploy.testing.ScriptedEcs.stoppedTask;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static software.amazon.awssdk.services.ecs.model.DeploymentRolloutState.COMPLETED;
import static software.amazon.awssdk.services.ecs.model.DeploymentRolloutState.FAILED;
import static software.amazon.awssdk.services.ecs.model.DeploymentRolloutState.IN_PROGRESS;

import io.github.ecsdeploy.testing.MutableClock;
import io.github.ecsdeploy.testing.RecordingDeployLog;
import io.github.ecsdeploy.testing.ScriptedEcs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceDeployment;
import software.amazon.awssdk.services.ecs.model.ServiceDeploymentBrief;
import software.amazon.awssdk.services.ecs.model.ServiceDeploymentLifecycleStage;
import software.amazon.awssdk.services.ecs.model.ServiceDeploymentStatus;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * update-service's watch loop on scripted ECS answers (hand-written in the API reference's shapes): which reads
 * count as having seen our deployment (the UpdateService answer does not, a read that predates it says nothing),
 * the poll interval near the decision, a poll where both calls fail, what the timeout says about the service
 * deployment, the stopped-task report at exactly 10 and 100 tasks, the success and start lines, and a state file
 * from another service's build.
 */
class ServiceDeployerWatchLoopTest {

  private static final String CB_REASON = "ECS deployment circuit breaker: tasks failed to start.";
  private static final String SD_ARN = "arn:aws:ecs:eu-west-1:123456789012:service-deployment/prod/hello-svc/Ab12";
  private static final String OTHER_APP = "arn:aws:ecs:eu-west-1:123456789012:task-definition/other-app:3";

  private final RecordingDeployLog log = new RecordingDeployLog();
  private final MutableClock clock = new MutableClock(T0);
  private final List<DeploymentResult> recorded = new ArrayList<>();

  private static UpdateServiceRequest request(boolean force, boolean wait, Duration timeout) {
    return new UpdateServiceRequest("prod", "hello-svc", TD7, "123456789012.dkr.ecr.eu-west-1.amazonaws.com/hello:v1.4.0",
        force, wait, Duration.ofSeconds(5), timeout);
  }

  private DeploymentResult deploy(ScriptedEcs ecs, Duration timeout) {
    return new ServiceDeployer(ecs, log, clock, clock.sleeper()).deploy(request(false, true, timeout), recorded::add);
  }

  private DeploymentResult deploy(ScriptedEcs ecs) {
    return deploy(ecs, Duration.ofMinutes(15));
  }

  private static Service steadyOn6() {
    return service(TD6, deployment("ecs-svc/1", "PRIMARY", TD6, 3, 3, 0, 0, COMPLETED)).build();
  }

  private static Service rolling(int running, int pending, int failed) {
    return service(TD7, deployment("ecs-svc/2", "PRIMARY", TD7, 3, running, pending, failed, IN_PROGRESS),
        deployment("ecs-svc/1", "ACTIVE", TD6, 3, 3, 0, 0, COMPLETED)).build();
  }

  private static Service doneOn7() {
    return service(TD7, deployment("ecs-svc/2", "PRIMARY", TD7, 3, 3, 0, 0, COMPLETED)).build();
  }

  private static Service failedWithoutRollback() {
    return service(TD7, deployment("ecs-svc/2", "PRIMARY", TD7, 3, 0, 0, 3, FAILED, CB_REASON),
        deployment("ecs-svc/1", "ACTIVE", TD6, 3, 3, 0, 0, COMPLETED)).circuitBreaker(false).build();
  }

  private static ServiceDeploymentBrief brief() {
    return ServiceDeploymentBrief.builder().serviceDeploymentArn(SD_ARN).createdAt(ScriptedEcs.createdAt("ecs-svc/2"))
        .status(ServiceDeploymentStatus.IN_PROGRESS).build();
  }

  private static ServiceDeployment sd(ServiceDeploymentStatus status, ServiceDeploymentLifecycleStage stage) {
    return ServiceDeployment.builder().serviceDeploymentArn(SD_ARN).status(status).lifecycleStage(stage).build();
  }

  // ---- which reads have seen our deployment ----------------------------------------------------------------------

  @Test
  void aReadThatPredatesOurUpdateIsNotARollbackEvenThoughUpdateServiceListedOurs() {
    // aws-cli #9275: right after UpdateService, DescribeServices may still show the service as it was.
    ScriptedEcs ecs = new ScriptedEcs().describes(steadyOn6(), steadyOn6(), rolling(1, 2, 0), doneOn7())
        .afterUpdate(rolling(0, 0, 0));

    DeploymentResult result = deploy(ecs);

    assertEquals(DeploymentOutcome.COMPLETED, result.outcome());
    assertTrue(log.debugs().stream().anyMatch(l -> l.startsWith("DescribeServices answered with the service as it"
        + " was before our UpdateService")), log.joined());
  }

  @Test
  void ourDeploymentGoneAfterAReadListedItIsJudgedNotWaitedOn() {
    // Listed once, then gone, with the service on the deployment that ran before ours: ECS went back.
    ScriptedEcs ecs = new ScriptedEcs().describes(steadyOn6(), rolling(1, 2, 0), steadyOn6())
        .afterUpdate(rolling(0, 0, 0));

    DeploymentFailedException e = assertThrows(DeploymentFailedException.class, () -> deploy(ecs));

    assertEquals(DeploymentOutcome.ROLLED_BACK, recorded.get(0).outcome());
    assertEquals(T0.plusSeconds(2), recorded.get(0).finishedAt(),
        "at the read that no longer lists it: 1 s after UpdateService, 1 s after the read that changed");
    assertTrue(e.getMessage().startsWith("Deployment ecs-svc/2 of hello-app:7 is gone from the service"),
        e.getMessage());
  }

  // ---- the poll interval, failed polls, the timeout ------------------------------------------------------------

  @Test
  void aServiceScaledToZeroIsNotPolledAsIfTheDecisionWereNear() {
    Service zero = service(TD7, deployment("ecs-svc/2", "PRIMARY", TD7, 0, 0, 0, 0, IN_PROGRESS),
        deployment("ecs-svc/1", "ACTIVE", TD6, 0, 0, 0, 0, COMPLETED)).build();
    ScriptedEcs ecs = new ScriptedEcs().describes(steadyOn6(), zero, zero,
            service(TD7, deployment("ecs-svc/2", "PRIMARY", TD7, 0, 0, 0, 0, COMPLETED)).build())
        .afterUpdate(zero);

    deploy(ecs);

    assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4)), clock.sleeps,
        "no task to wait for is not 'all tasks run': the decision is not near, nothing moves, the pause doubles");
  }

  @Test
  void aPollWhoseTwoCallsBothFailNamesBoth() {
    ScriptedEcs ecs = new ScriptedEcs()
        .describes(steadyOn6())
        .describeThrows(SdkClientException.create("connection reset"))
        .describes(doneOn7())
        .afterUpdate(rolling(0, 0, 0))
        .serviceDeployments(brief())
        .serviceDeploymentThrows(SdkClientException.create("read timed out"))
        .serviceDeployments(brief(), sd(ServiceDeploymentStatus.SUCCESSFUL, null));

    assertEquals(DeploymentOutcome.COMPLETED, deploy(ecs).outcome());
    assertTrue(log.debugs().contains("A poll of deployment ecs-svc/2 failed (DescribeServices: connection reset;"
        + " service deployments: read timed out); trying again at the next poll until the timeout."), log.joined());
  }

  @Test
  void theTimeoutNamesTheServiceDeploymentsStatusAndStage() {
    Service allTraffic = service(TD7, deployment("ecs-svc/2", "PRIMARY", TD7, 3, 3, 0, 0, COMPLETED),
        deployment("ecs-svc/1", "ACTIVE", TD6, 3, 3, 0, 0, COMPLETED)).build();
    ScriptedEcs ecs = new ScriptedEcs().describes(steadyOn6(), allTraffic)
        .afterUpdate(rolling(0, 0, 0).toBuilder().currentServiceDeployment(SD_ARN).build())
        .serviceDeployments(brief(), sd(ServiceDeploymentStatus.IN_PROGRESS, ServiceDeploymentLifecycleStage.BAKE_TIME));

    DeploymentFailedException e = assertThrows(DeploymentFailedException.class,
        () -> deploy(ecs, Duration.ofSeconds(20)));

    assertTrue(e.getMessage().startsWith("Deployment ecs-svc/2 of hello-app:7 did not finish within 20s: 3/3 running,"
        + " 0 pending, 0 failed \u2014 COMPLETED (service deployment IN_PROGRESS, stage BAKE_TIME). Still active"
        + " besides it: ecs-svc/1 (ACTIVE, hello-app:6, 3/3 running, 0 pending, 0 failed)."), e.getMessage());
  }

  @Test
  void theTimeoutNamesAServiceDeploymentWithoutAStage() {
    ScriptedEcs ecs = new ScriptedEcs().describes(steadyOn6(), rolling(1, 2, 0))
        .afterUpdate(rolling(0, 0, 0).toBuilder().currentServiceDeployment(SD_ARN).build())
        .serviceDeployments(brief(), sd(ServiceDeploymentStatus.PENDING, null));

    DeploymentFailedException e = assertThrows(DeploymentFailedException.class,
        () -> deploy(ecs, Duration.ofSeconds(10)));

    assertTrue(e.getMessage().contains("\u2014 IN_PROGRESS (service deployment PENDING). Still active besides it:"),
        e.getMessage());
  }

  // ---- the stopped-task report ---------------------------------------------------------------------------------

  private static Task[] stoppedTasks(int n) {
    Task[] tasks = new Task[n];
    for (int i = 0; i < n; i++) {
      tasks[i] = stoppedTask(String.format("t%03d", i), "ecs-svc/2", TD7, "Essential container in task exited", 1,
          null, i);
    }
    return tasks;
  }

  /** The warnings from the stopped-task report on (a role without the Service Deployments API warns before). */
  private List<String> report() {
    List<String> warns = log.warns();
    int from = 0;
    while (from < warns.size() && !warns.get(from).startsWith("Stopped tasks of deployment")) {
      from++;
    }
    return warns.subList(from, warns.size());
  }

  @Test
  void tenStoppedTasksAreAllShownWithNothingMore() {
    ScriptedEcs ecs = new ScriptedEcs().describes(steadyOn6(), failedWithoutRollback()).afterUpdate(rolling(0, 0, 0))
        .stoppedTasks(stoppedTasks(10));

    assertThrows(DeploymentFailedException.class, () -> deploy(ecs));

    assertEquals("Stopped tasks of deployment ecs-svc/2 (10, newest first):", report().get(0), log.joined());
    assertEquals(1 + 10 * 2, report().size(), "each task and its container, and no '... and 0 more': "
        + log.joined());
  }

  @Test
  void aHundredStoppedTasksAreDescribedInOneCall() {
    // DescribeTasks takes at most 100 tasks, and an empty list is an error (see ScriptedEcs).
    ScriptedEcs ecs = new ScriptedEcs().describes(steadyOn6(), failedWithoutRollback()).afterUpdate(rolling(0, 0, 0))
        .stoppedTasks(stoppedTasks(100));

    assertThrows(DeploymentFailedException.class, () -> deploy(ecs));

    List<String> report = report();
    assertEquals("Stopped tasks of deployment ecs-svc/2 (100, the newest 10 first):", report.get(0), log.joined());
    assertTrue(report.get(1).startsWith("  task t099 "), log.joined());
    assertEquals("  ... and 90 more stopped tasks.", report.get(report.size() - 1), log.joined());
  }

  // ---- what is said ------------------------------------------------------------------------------------------------

  @Test
  void aSuccessIsSaidAndAForcedDeploymentSaysSo() {
    ScriptedEcs done = new ScriptedEcs().describes(doneOn7(), service(TD7,
            deployment("ecs-svc/3", "PRIMARY", TD7, 3, 3, 0, 0, COMPLETED)).build())
        .afterUpdate(service(TD7, deployment("ecs-svc/3", "PRIMARY", TD7, 3, 0, 0, 0, IN_PROGRESS),
            deployment("ecs-svc/2", "ACTIVE", TD7, 3, 3, 0, 0, COMPLETED)).build());

    DeploymentResult result = new ServiceDeployer(done, log, clock, clock.sleeper())
        .deploy(request(true, true, Duration.ofMinutes(15)), recorded::add);

    assertEquals(DeploymentOutcome.COMPLETED, result.outcome());
    assertTrue(log.infos().contains("Started deployment ecs-svc/3 of hello-app:7 on service hello-svc in cluster prod"
        + " (forced new deployment)."), log.joined());
    assertEquals(result.message(), log.infos().get(log.infos().size() - 1), "the verdict is the last line");
  }

  @Test
  void notWaitingSaysSo() {
    ScriptedEcs ecs = new ScriptedEcs().describes(steadyOn6()).afterUpdate(rolling(0, 0, 0));

    new ServiceDeployer(ecs, log, clock, clock.sleeper()).deploy(request(false, false, Duration.ofMinutes(15)),
        recorded::add);

    assertEquals("Deployment ecs-svc/2 of hello-app:7 started; not waiting for it (<wait> /"
        + " -Decs.updateService.wait=false).", log.infos().get(log.infos().size() - 1));
  }

  // ---- a revision named by a state file ------------------------------------------------------------------------------

  @Test
  void aStateFileFromAnotherServicesBuildIsRefusedBeforeAnythingChanges() {
    ScriptedEcs ecs = new ScriptedEcs().describes(service(OTHER_APP,
        deployment("ecs-svc/1", "PRIMARY", OTHER_APP, 3, 3, 0, 0, COMPLETED)).build());

    UserInputException e = assertThrows(UserInputException.class, () -> new ServiceDeployer(ecs, log, clock,
        clock.sleeper()).deploy(request(false, true, Duration.ofMinutes(15)), recorded::add,
        "target/ecs-deploy/task-definition.json"));

    assertEquals("target/ecs-deploy/task-definition.json names hello-app:7 of family 'hello-app', but service"
        + " 'hello-svc' in cluster 'prod' runs family 'other-app' (other-app:3): the file comes from another service's"
        + " build. Run ecs:register-task-def for this service again (mvn clean deploy), or, to move the service to"
        + " family 'hello-app' on purpose, give the revision as <taskDefinitionArn> / -Decs.taskDefinitionArn=" + TD7
        + ". Nothing was changed.", e.getMessage());
    assertTrue(ecs.updateCalls.isEmpty());
    assertTrue(recorded.isEmpty());
  }

  @Test
  void aRevisionOfTheSameFamilyFromAStateFileAndAnyRevisionTheUserGivesAreDeployed() {
    ScriptedEcs sameFamily = new ScriptedEcs().describes(steadyOn6(), doneOn7()).afterUpdate(rolling(0, 0, 0));
    ScriptedEcs otherFamily = new ScriptedEcs().describes(service(OTHER_APP,
            deployment("ecs-svc/1", "PRIMARY", OTHER_APP, 3, 3, 0, 0, COMPLETED)).build(), doneOn7())
        .afterUpdate(rolling(0, 0, 0));

    assertEquals(DeploymentOutcome.COMPLETED, new ServiceDeployer(sameFamily, log, clock, clock.sleeper())
        .deploy(request(false, true, Duration.ofMinutes(15)), recorded::add, "task-definition.json").outcome());
    assertEquals(DeploymentOutcome.COMPLETED, new ServiceDeployer(otherFamily, log, clock, clock.sleeper())
        .deploy(request(false, true, Duration.ofMinutes(15)), recorded::add, null).outcome());
    assertFalse(otherFamily.updateCalls.isEmpty(), "the user may move a service to another family");
  }
}
