package io.github.ecsdeploy.core;

import static io.github.ecsdeploy.core.ScriptedEcs.TD6;
import static io.github.ecsdeploy.core.ScriptedEcs.TD7;
import static io.github.ecsdeploy.core.ScriptedEcs.TD8;
import static io.github.ecsdeploy.core.ScriptedEcs.deployment;
import static io.github.ecsdeploy.core.ScriptedEcs.service;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static software.amazon.awssdk.services.ecs.model.DeploymentRolloutState.COMPLETED;
import static software.amazon.awssdk.services.ecs.model.DeploymentRolloutState.FAILED;
import static software.amazon.awssdk.services.ecs.model.DeploymentRolloutState.IN_PROGRESS;

import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.Service;

/**
 * The verdict rules on DescribeServices snapshots built by hand in the shape of ECS's answers (not recorded from
 * AWS; {@code src/test/resources/aws-examples/} holds AWS's own documented examples), without client, clock or log.
 */
class DeploymentVerdictTest {

  private static DeploymentVerdict judge(Service s) {
    return DeploymentVerdict.judge(s, "ecs-svc/2", TD7, TD6);
  }

  /** Judges a sequence of snapshots the way the poller does: the first final verdict wins. */
  private static DeploymentVerdict firstFinal(List<Service> sequence) {
    for (Service s : sequence) {
      DeploymentVerdict v = judge(s);
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
  void theSeedScriptsFalseSuccessIsARollback() {
    // What "aws ecs wait services-stable" sees as stable at the end: one deployment, running == desired.
    List<Service> sequence = List.of(
        service(TD7, deployment("ecs-svc/2", "PRIMARY", TD7, 3, 0, 3, 0, IN_PROGRESS),
            deployment("ecs-svc/1", "ACTIVE", TD6, 3, 3, 0, 0, COMPLETED)).build(),
        service(TD6, deployment("ecs-svc/3", "PRIMARY", TD6, 3, 3, 0, 0, IN_PROGRESS),
            deployment("ecs-svc/2", "ACTIVE", TD7, 3, 0, 0, 3, FAILED, "tasks failed to start")).build(),
        service(TD6, deployment("ecs-svc/3", "PRIMARY", TD6, 3, 3, 0, 0, COMPLETED)).build());

    DeploymentVerdict v = firstFinal(sequence);

    assertEquals(DeploymentOutcome.ROLLED_BACK, v.outcome());
    assertEquals("Deployment ecs-svc/2 of hello-app:7 FAILED: tasks failed to start. ECS rolled back to"
        + " hello-app:6 (deployment ecs-svc/3).", v.message());
  }

  @Test
  void failedStillPrimaryWithRollbackEnabledSaysEcsIsRollingBack() {
    DeploymentVerdict v = judge(service(TD7, deployment("ecs-svc/2", "PRIMARY", TD7, 3, 0, 0, 3, FAILED, null))
        .circuitBreaker(true).build());

    assertEquals(DeploymentOutcome.FAILED, v.outcome());
    assertTrue(v.message().contains("ECS gave no reason."), v.message());
    assertTrue(v.message().contains("ECS is rolling back"), v.message());
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
}
