package io.github.ecsdeploy.core;

import static io.github.ecsdeploy.testing.ScriptedEcs.TD6;
import static io.github.ecsdeploy.testing.ScriptedEcs.TD7;
import static io.github.ecsdeploy.testing.ScriptedEcs.TD8;
import static io.github.ecsdeploy.testing.ScriptedEcs.createdAt;
import static io.github.ecsdeploy.testing.ScriptedEcs.deployment;
import static io.github.ecsdeploy.testing.ScriptedEcs.service;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static software.amazon.awssdk.services.ecs.model.DeploymentRolloutState.COMPLETED;
import static software.amazon.awssdk.services.ecs.model.DeploymentRolloutState.FAILED;
import static software.amazon.awssdk.services.ecs.model.DeploymentRolloutState.IN_PROGRESS;

import io.github.ecsdeploy.testing.ScriptedEcs;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceDeployment;
import software.amazon.awssdk.services.ecs.model.ServiceDeploymentLifecycleStage;
import software.amazon.awssdk.services.ecs.model.ServiceDeploymentRollbackMonitorsStatus;
import software.amazon.awssdk.services.ecs.model.ServiceDeploymentStatus;

/**
 * The verdict rules on hand-written DescribeServices and DescribeServiceDeployments answers (shapes of the API
 * reference; the rollback shapes follow the captures described in issue 11), without client, clock or log. Our
 * deployment is always ecs-svc/2 of hello-app:7; ecs-svc/N was created N seconds after T0.
 */
class DeploymentVerdictTest {

  private static final String CB_ROLLING_BACK = "ECS deployment circuit breaker: rolling back to deploymentId ecs-svc/1";
  private static final String SD_ARN = "arn:aws:ecs:eu-west-1:123456789012:service-deployment/prod/hello-svc/Ab12";

  /** Before our call: hello-app:6 in one COMPLETED deployment. */
  private static final Service STEADY_ON_6 =
      service(TD6, deployment("ecs-svc/1", "PRIMARY", TD6, 3, 3, 0, 0, COMPLETED)).build();

  private static DeploymentVerdict.Context context(Service before, boolean seen) {
    return new DeploymentVerdict.Context("ecs-svc/2", createdAt("ecs-svc/2"), TD7, before, seen);
  }

  private static DeploymentVerdict judge(Service s) {
    return DeploymentVerdict.judge(s, context(STEADY_ON_6, true));
  }

  /** Judges a sequence the way the poller does: stale reads skipped, the first final verdict wins. */
  private static DeploymentVerdict firstFinal(Service before, List<Service> sequence) {
    DeploymentVerdict.Context context = context(before, false);
    for (Service s : sequence) {
      if (DeploymentVerdict.stale(s, context)) {
        continue;
      }
      if (s.deployments().stream().anyMatch(d -> "ecs-svc/2".equals(d.id()))) {
        context = context.seen();
      }
      DeploymentVerdict v = DeploymentVerdict.judge(s, context);
      if (v.done()) {
        return v;
      }
    }
    return null;
  }

  @Test
  void inProgressIsNotFinalEvenWhenAllTasksRun() {
    DeploymentVerdict v = judge(service(TD7,
            deployment("ecs-svc/2", "PRIMARY", TD7, 3, 3, 0, 0, IN_PROGRESS),
            deployment("ecs-svc/1", "ACTIVE", TD6, 3, 1, 0, 0, COMPLETED))
        .build());

    assertFalse(v.done());
    assertEquals("ecs-svc/2", v.ours().id());
  }

  @Test
  void aSingleInProgressDeploymentWithAllTasksRunningIsNotCompletedWhileEcsReportsRolloutState() {
    // ECS keeps IN_PROGRESS until the tasks passed their health checks for a while; all running is not enough.
    DeploymentVerdict v = judge(service(TD7, deployment("ecs-svc/2", "PRIMARY", TD7, 3, 3, 0, 0, IN_PROGRESS))
        .build());

    assertFalse(v.done(), v.message());
  }

  @Test
  void theSeedScriptsFalseSuccessIsARollback() {
    // What "aws ecs wait services-stable" sees as stable at the end: one deployment, running == desired.
    List<Service> sequence = List.of(
        service(TD7, deployment("ecs-svc/2", "PRIMARY", TD7, 3, 0, 3, 0, IN_PROGRESS),
            deployment("ecs-svc/1", "ACTIVE", TD6, 3, 3, 0, 0, COMPLETED)).build(),
        service(TD6, deployment("ecs-svc/3", "PRIMARY", TD6, 3, 3, 0, 0, IN_PROGRESS),
            deployment("ecs-svc/2", "ACTIVE", TD7, 3, 0, 0, 3, FAILED, "tasks failed to start")).build(),
        service(TD6, deployment("ecs-svc/3", "PRIMARY", TD6, 3, 3, 0, 0, COMPLETED)).build());

    DeploymentVerdict v = firstFinal(STEADY_ON_6, sequence);

    assertEquals(DeploymentOutcome.ROLLED_BACK, v.outcome());
    assertEquals("Deployment ecs-svc/2 of hello-app:7 FAILED: tasks failed to start. ECS rolled back to"
        + " hello-app:6 (deployment ecs-svc/3).", v.message());
  }

  @Test
  void thePrimaryIsFoundByItsStatusNotByItsPlaceInTheList() {
    // ECS does not promise an order; here our FAILED deployment comes first and the rollback PRIMARY second.
    DeploymentVerdict v = judge(service(TD6,
            deployment("ecs-svc/2", "ACTIVE", TD7, 3, 0, 0, 3, FAILED, "tasks failed to start"),
            deployment("ecs-svc/3", "PRIMARY", TD6, 3, 1, 2, 0, IN_PROGRESS, CB_ROLLING_BACK))
        .circuitBreaker(true).build());

    assertEquals(DeploymentOutcome.ROLLED_BACK, v.outcome());
    assertTrue(v.message().contains("ECS rolled back to hello-app:6 (deployment ecs-svc/3)"), v.message());
  }

  @Test
  void ourCompletedDeploymentListedSecondIsStillOurs() {
    DeploymentVerdict v = judge(service(TD7,
            deployment("ecs-svc/1", "ACTIVE", TD6, 3, 0, 0, 0, COMPLETED),
            deployment("ecs-svc/2", "PRIMARY", TD7, 3, 3, 0, 0, COMPLETED))
        .build());

    assertEquals(DeploymentOutcome.COMPLETED, v.outcome());
  }

  @Test
  void aRollbackWhileOursStillLagsInProgressIsARollbackNotAReplacement() {
    DeploymentVerdict v = judge(service(TD6,
            deployment("ecs-svc/3", "PRIMARY", TD6, 3, 0, 3, 0, IN_PROGRESS, CB_ROLLING_BACK),
            deployment("ecs-svc/2", "ACTIVE", TD7, 3, 0, 0, 3, IN_PROGRESS))
        .circuitBreaker(true).build());

    assertEquals(DeploymentOutcome.ROLLED_BACK, v.outcome());
    assertEquals("Deployment ecs-svc/2 of hello-app:7 failed (its rolloutState still says IN_PROGRESS): ECS rolled"
        + " back to hello-app:6 (deployment ecs-svc/3) (" + CB_ROLLING_BACK + ").", v.message());
  }

  @Test
  void aRollbackAfterOursDisappearedIsARollback() {
    DeploymentVerdict v = judge(service(TD6, deployment("ecs-svc/3", "PRIMARY", TD6, 3, 3, 0, 0, COMPLETED,
        "ECS deployment ecs-svc/3 completed.")).build());

    assertEquals(DeploymentOutcome.ROLLED_BACK, v.outcome());
    assertTrue(v.message().contains("is gone from the service: the service was rolled back to hello-app:6"
        + " (deployment ecs-svc/3), the last revision COMPLETED before."), v.message());
  }

  @Test
  void aRollbackAfterATimedOutEarlierReleaseGoesToTheLastCompletedRevisionAndIsARollback() {
    // Before our call hello-app:8 was still IN_PROGRESS (an earlier release timed out); the last COMPLETED
    // deployment ran hello-app:6, and that is what ECS rolls back to, not hello-app:8.
    Service before = service(TD8,
            deployment("ecs-svc/1", "PRIMARY", TD8, 3, 0, 1, 9, IN_PROGRESS),
            deployment("ecs-svc/0", "ACTIVE", TD6, 3, 3, 0, 0, COMPLETED))
        .build();
    List<Service> sequence = List.of(
        service(TD6, deployment("ecs-svc/3", "PRIMARY", TD6, 3, 3, 0, 0, COMPLETED,
            "ECS deployment ecs-svc/3 completed.")).build());

    DeploymentVerdict.Context seen = context(before, true);
    DeploymentVerdict v = DeploymentVerdict.judge(sequence.get(0), seen);

    assertEquals(DeploymentOutcome.ROLLED_BACK, v.outcome(), v.message());
    assertTrue(v.message().contains("rolled back to hello-app:6 (deployment ecs-svc/3)"), v.message());
  }

  @Test
  void aReadThatPredatesOurDeploymentIsNoVerdict() {
    // DescribeServices right after UpdateService may still show the service as it was (aws-cli #9275). Taken at
    // face value this read says "ours is gone, the service runs hello-app:6 again": a rollback that never happened.
    DeploymentVerdict.Context fresh = context(STEADY_ON_6, false);

    assertTrue(DeploymentVerdict.stale(STEADY_ON_6, fresh));
    assertFalse(DeploymentVerdict.judge(STEADY_ON_6, fresh).done());
    assertEquals(DeploymentOutcome.COMPLETED, firstFinal(STEADY_ON_6, List.of(STEADY_ON_6, STEADY_ON_6,
        service(TD7, deployment("ecs-svc/2", "PRIMARY", TD7, 3, 3, 0, 0, COMPLETED)).build())).outcome());
  }

  @Test
  void aReadWithADeploymentNewerThanOursIsNotStaleEvenBeforeWeSawOurs() {
    Service rolledBack = service(TD6, deployment("ecs-svc/3", "PRIMARY", TD6, 3, 0, 3, 0, IN_PROGRESS,
        CB_ROLLING_BACK)).build();

    assertFalse(DeploymentVerdict.stale(rolledBack, context(STEADY_ON_6, false)));
    assertEquals(DeploymentOutcome.ROLLED_BACK, firstFinal(STEADY_ON_6, List.of(rolledBack)).outcome());
  }

  @Test
  void failedWithRollbackOnWaitsForTheRollbackDeployment() {
    DeploymentVerdict v = judge(service(TD7,
            deployment("ecs-svc/2", "PRIMARY", TD7, 3, 0, 0, 3, FAILED, null),
            deployment("ecs-svc/1", "ACTIVE", TD6, 3, 3, 0, 0, COMPLETED))
        .circuitBreaker(true).build());

    assertFalse(v.done(), v.message());
  }

  @Test
  void failedWithRollbackOnButNothingCompletedToGoBackToSaysEcsStalls() {
    Service before = service(TD8, deployment("ecs-svc/1", "PRIMARY", TD8, 3, 0, 0, 0, IN_PROGRESS)).build();
    Service failed = service(TD7,
            deployment("ecs-svc/2", "PRIMARY", TD7, 3, 0, 0, 3, FAILED, null),
            deployment("ecs-svc/1", "ACTIVE", TD8, 3, 0, 0, 0, IN_PROGRESS))
        .circuitBreaker(true).build();

    DeploymentVerdict v = DeploymentVerdict.judge(failed, context(before, true));

    assertEquals(DeploymentOutcome.FAILED, v.outcome());
    assertTrue(v.message().contains("ECS gave no reason."), v.message());
    assertTrue(v.message().contains("ECS rolls back only to a deployment in COMPLETED state and the service had"
        + " none"), v.message());
    assertFalse(v.message().contains("did not roll back"), v.message());
  }

  @Test
  void failedWithoutAnyRollbackSaysEcsDidNotRollBack() {
    DeploymentVerdict v = judge(service(TD7,
            deployment("ecs-svc/2", "PRIMARY", TD7, 3, 0, 0, 3, FAILED, "tasks failed to start"),
            deployment("ecs-svc/1", "ACTIVE", TD6, 3, 3, 0, 0, COMPLETED))
        .circuitBreaker(false).build());

    assertEquals(DeploymentOutcome.FAILED, v.outcome());
    assertTrue(v.message().contains("ECS did not roll back"), v.message());
  }

  @Test
  void anAlarmRollbackIsARollbackAndNeverSaysEcsDidNotRollBack() {
    Service failedByAlarm = service(TD7,
            deployment("ecs-svc/2", "PRIMARY", TD7, 3, 3, 0, 0, FAILED, "ECS deployment alarm: hello-5xx in ALARM"),
            deployment("ecs-svc/1", "ACTIVE", TD6, 3, 3, 0, 0, COMPLETED))
        .alarmRollback().build();
    Service rolledBack = service(TD6,
            deployment("ecs-svc/3", "PRIMARY", TD6, 3, 0, 3, 0, IN_PROGRESS,
                "ECS deployment alarm: rolling back to deploymentId ecs-svc/1"),
            deployment("ecs-svc/2", "ACTIVE", TD7, 3, 3, 0, 0, FAILED, "ECS deployment alarm: hello-5xx in ALARM"))
        .alarmRollback().build();

    assertFalse(judge(failedByAlarm).done(), "the rollback deployment shows up next");
    DeploymentVerdict v = judge(rolledBack);
    assertEquals(DeploymentOutcome.ROLLED_BACK, v.outcome());
    assertTrue(v.message().contains("FAILED: ECS deployment alarm: hello-5xx in ALARM. ECS rolled back to"
        + " hello-app:6"), v.message());
    assertFalse(v.message().contains("did not roll back"), v.message());
  }

  @Test
  void replacedBySameRevisionFromSomeoneElseIsStillReplaced() {
    DeploymentVerdict v = judge(service(TD7,
            deployment("ecs-svc/9", "PRIMARY", TD7, 3, 0, 0, 0, IN_PROGRESS),
            deployment("ecs-svc/2", "ACTIVE", TD7, 3, 2, 0, 0, IN_PROGRESS))
        .build());

    assertEquals(DeploymentOutcome.REPLACED, v.outcome());
    assertTrue(v.message().contains("replaced by hello-app:7 (deployment ecs-svc/9)"), v.message());
  }

  @Test
  void goneAndReplacedByANewerRevision() {
    DeploymentVerdict v = judge(service(TD8, deployment("ecs-svc/9", "PRIMARY", TD8, 3, 0, 0, 0, IN_PROGRESS))
        .build());

    assertEquals(DeploymentOutcome.REPLACED, v.outcome());
    assertNull(v.ours());
    assertTrue(v.message().startsWith("Deployment ecs-svc/2 of hello-app:7 is gone from the service: it was"
        + " replaced by hello-app:8"), v.message());
  }

  @Test
  void withoutRolloutStateTwoDeploymentsAreNotYetDone() {
    DeploymentVerdict v = judge(service(TD7,
            deployment("ecs-svc/2", "PRIMARY", TD7, 3, 3, 0, 0, null),
            deployment("ecs-svc/1", "ACTIVE", TD6, 3, 1, 0, 0, null))
        .build());

    assertFalse(v.done());
  }

  @Test
  void withoutRolloutStateOnlyDeploymentShortOfDesiredIsNotYetDone() {
    DeploymentVerdict v = judge(service(TD7, deployment("ecs-svc/2", "PRIMARY", TD7, 3, 2, 1, 0, null)).build());

    assertFalse(v.done());
  }

  // ---- the Service Deployments API ---------------------------------------------------------------------------

  private static ServiceDeployment sd(ServiceDeploymentStatus status, String reason) {
    return ServiceDeployment.builder()
        .serviceDeploymentArn(SD_ARN)
        .status(status)
        .statusReason(reason)
        .targetServiceRevision(t -> t.arn("arn:aws:ecs:eu-west-1:123456789012:service-revision/prod/hello-svc/72")
            .requestedTaskCount(3).runningTaskCount(3).pendingTaskCount(0))
        .build();
  }

  private static DeploymentVerdict judge(ServiceDeployment sd, Service service) {
    return DeploymentVerdict.judge(sd, service, context(STEADY_ON_6, true));
  }

  @Test
  void serviceDeploymentInProgressOrPendingIsNoVerdict() {
    assertFalse(judge(sd(ServiceDeploymentStatus.IN_PROGRESS, null), null).done());
    assertFalse(judge(sd(ServiceDeploymentStatus.PENDING, null), null).done());
    assertFalse(judge(sd(ServiceDeploymentStatus.STOP_REQUESTED, null), null).done());
  }

  @Test
  void serviceDeploymentSuccessfulIsCompleted() {
    DeploymentVerdict v = judge(sd(ServiceDeploymentStatus.SUCCESSFUL, null), null);

    assertEquals(DeploymentOutcome.COMPLETED, v.outcome());
    assertEquals("Deployment ecs-svc/2 of hello-app:7 COMPLETED: 3/3 running, 0 pending (service deployment Ab12"
        + " SUCCESSFUL).", v.message());
  }

  @Test
  void aSuccessShowsTheCountsOfTheRecordThatDecidedNotOfALaggingSnapshot() {
    // the DescribeServices snapshot is older than the service deployment read (eventual consistency, or a shared
    // read of several services): ours still starting there, all three running in the record
    Service lagging = service(TD6,
            deployment("ecs-svc/2", "PRIMARY", TD7, 3, 0, 3, 0, IN_PROGRESS),
            deployment("ecs-svc/1", "ACTIVE", TD6, 3, 3, 0, 0, COMPLETED))
        .build();

    DeploymentVerdict v = judge(sd(ServiceDeploymentStatus.SUCCESSFUL, null), lagging);

    assertEquals(DeploymentOutcome.COMPLETED, v.outcome());
    assertEquals("Deployment ecs-svc/2 of hello-app:7 COMPLETED: 3/3 running, 0 pending (service deployment Ab12"
        + " SUCCESSFUL).", v.message());
  }

  @Test
  void aSuccessWithoutCountsInTheRecordShowsTheSnapshots() {
    Service steady = service(TD7, deployment("ecs-svc/2", "PRIMARY", TD7, 3, 3, 0, 0, COMPLETED)).build();
    ServiceDeployment noCounts = sd(ServiceDeploymentStatus.SUCCESSFUL, null).toBuilder()
        .targetServiceRevision(t -> t.arn("arn:aws:ecs:eu-west-1:123456789012:service-revision/prod/hello-svc/72"))
        .build();

    assertEquals("Deployment ecs-svc/2 of hello-app:7 COMPLETED: 3/3 running, 0 pending, 0 failed (service"
        + " deployment Ab12 SUCCESSFUL).", judge(noCounts, steady).message());
  }

  @Test
  void serviceDeploymentRollingBackIsRolledBackNamingTheRevisionEcsGoesBackTo() {
    ServiceDeployment rollingBack = sd(ServiceDeploymentStatus.ROLLBACK_IN_PROGRESS, "tasks failed to start")
        .toBuilder()
        .rollback(r -> r.reason("ECS deployment circuit breaker: tasks failed to start.")
            .serviceRevisionArn("arn:aws:ecs:eu-west-1:123456789012:service-revision/prod/hello-svc/61"))
        .build();
    // ours still says IN_PROGRESS in deployments[]: the service deployment is the record
    Service lagging = service(TD6,
            deployment("ecs-svc/3", "PRIMARY", TD6, 3, 0, 3, 0, IN_PROGRESS, CB_ROLLING_BACK),
            deployment("ecs-svc/2", "ACTIVE", TD7, 3, 0, 0, 3, IN_PROGRESS))
        .build();

    DeploymentVerdict withSnapshot = judge(rollingBack, lagging);
    DeploymentVerdict withoutSnapshot = judge(rollingBack, null);

    assertEquals(DeploymentOutcome.ROLLED_BACK, withSnapshot.outcome());
    assertEquals("Deployment ecs-svc/2 of hello-app:7 FAILED: ECS deployment circuit breaker: tasks failed to start."
        + " ECS rolled back to hello-app:6 (deployment ecs-svc/3) (service deployment ROLLBACK_IN_PROGRESS).",
        withSnapshot.message());
    assertTrue(withoutSnapshot.message().contains("ECS rolled back to service revision 61"),
        withoutSnapshot.message());
    // with the revision's task definition (DescribeServiceRevisions) the reader sees which release runs again
    DeploymentVerdict named = DeploymentVerdict.judge(rollingBack, null, context(STEADY_ON_6, true), TD6);
    assertTrue(named.message().contains("ECS rolled back to hello-app:6 (service revision 61)"), named.message());
  }

  @Test
  void serviceDeploymentRolledBackByAnAlarmInBakeTimeNamesTheAlarm() {
    ServiceDeployment byAlarm = sd(ServiceDeploymentStatus.ROLLBACK_SUCCESSFUL, null).toBuilder()
        .lifecycleStage(ServiceDeploymentLifecycleStage.BAKE_TIME)
        .alarms(a -> a.status(ServiceDeploymentRollbackMonitorsStatus.TRIGGERED).alarmNames("hello-5xx")
            .triggeredAlarmNames("hello-5xx"))
        .rollback(r -> r.reason("alarm"))
        .build();

    DeploymentVerdict v = judge(byAlarm, null);

    assertEquals(DeploymentOutcome.ROLLED_BACK, v.outcome());
    assertTrue(v.message().contains("FAILED: CloudWatch alarm hello-5xx went into ALARM during BAKE_TIME. ECS rolled"
        + " back to the last COMPLETED revision"), v.message());
  }

  @Test
  void serviceDeploymentWhoseRollbackFailedIsFailed() {
    DeploymentVerdict v = judge(sd(ServiceDeploymentStatus.ROLLBACK_FAILED, "The rollback failed."), null);

    assertEquals(DeploymentOutcome.FAILED, v.outcome());
    assertTrue(v.message().contains("FAILED and so did ECS's rollback"), v.message());
  }

  @Test
  void serviceDeploymentStoppedByANewerDeploymentIsReplaced() {
    Service replaced = service(TD8,
            deployment("ecs-svc/9", "PRIMARY", TD8, 3, 0, 3, 0, IN_PROGRESS),
            deployment("ecs-svc/2", "ACTIVE", TD7, 3, 1, 0, 0, IN_PROGRESS))
        .build();

    DeploymentVerdict v = judge(sd(ServiceDeploymentStatus.STOPPED, "A newer service deployment started."),
        replaced);

    assertEquals(DeploymentOutcome.REPLACED, v.outcome());
    assertTrue(v.message().contains("replaced by hello-app:8 (deployment ecs-svc/9)"), v.message());
  }

  @Test
  void serviceDeploymentStoppedWhileTheServiceReadStillShowsOursRollingOutWaitsForANewerRead() {
    // two pipelines: DescribeServices answered before the other UpdateService, the service deployment after it
    Service readBefore = service(TD7,
            deployment("ecs-svc/2", "PRIMARY", TD7, 3, 1, 0, 0, IN_PROGRESS),
            deployment("ecs-svc/1", "ACTIVE", TD7, 3, 3, 0, 0, COMPLETED))
        .build();

    DeploymentVerdict v = judge(sd(ServiceDeploymentStatus.STOPPED, "A newer service deployment started."),
        readBefore);

    assertFalse(v.done(), v.message());
  }

  @Test
  void serviceDeploymentStoppedWithoutRollbackIsFailedWithTheReason() {
    Service failed = service(TD7,
            deployment("ecs-svc/2", "PRIMARY", TD7, 3, 0, 0, 3, FAILED, "tasks failed to start"))
        .circuitBreaker(false).build();

    DeploymentVerdict v = judge(sd(ServiceDeploymentStatus.STOPPED, "ECS deployment circuit breaker: tasks failed"
        + " to start."), failed);

    assertEquals(DeploymentOutcome.FAILED, v.outcome());
    assertEquals("Deployment ecs-svc/2 of hello-app:7 FAILED: ECS deployment circuit breaker: tasks failed to start."
        + " (service deployment STOPPED) Rollback is not enabled on the service's circuit breaker or alarms, so ECS"
        + " did not roll back; deploy a fixed revision or the previous one.", v.message());
  }
}
