package io.github.ecsdeploy.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.ecsdeploy.core.ServiceStatus.DeploymentInfo;
import io.github.ecsdeploy.core.ServiceStatus.RevisionInfo;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The text {@code ecs:status} prints, line by line: a user reads it to decide whether to roll back, so a value
 * shown under the wrong label, a missing "none" or a dropped reason is a real defect. The whole text is compared,
 * written out by hand.
 */
class ServiceStatusLinesTest {

  private static final String TD7 = "arn:aws:ecs:eu-west-1:123456789012:task-definition/hello-app:7";
  private static final String TD6 = "arn:aws:ecs:eu-west-1:123456789012:task-definition/hello-app:6";

  @Test
  void aServiceWithItsHistoryAndARollbackTargetShowsEveryValueUnderItsLabel() {
    ServiceStatus status = new ServiceStatus("prod", "hello-app", "ACTIVE", 2, 3, 1,
        new RevisionInfo(TD7, "hello-app:7", "app", "repo/hello-app:v1.4.0@sha256:abc", "v1.4.0", "sha256:abc",
            null),
        new DeploymentInfo("ecs-svc/111", Instant.parse("2026-11-30T09:00:00Z"), null, "hello-app:7", "v1.4.0",
            "IN_PROGRESS", "2 running / 3 desired / 1 pending", "waiting for tasks"),
        "ListServiceDeployments",
        List.of(
            new DeploymentInfo("sd/2", Instant.parse("2026-11-30T09:00:00Z"), null, "hello-app:7", "v1.4.0",
                "IN_PROGRESS", null, null),
            new DeploymentInfo("sd/1", Instant.parse("2026-11-29T08:00:00Z"),
                Instant.parse("2026-11-29T08:05:00Z"), "hello-app:6", "v1.3.0", "SUCCESSFUL", null,
                "Service deployment succeeded")),
        new RevisionInfo(TD6, "hello-app:6", "app", "repo/hello-app:v1.3.0", "v1.3.0", null,
            "the last successful deployment before the current one"),
        null);

    assertEquals(List.of(
        "Service hello-app in cluster prod (ACTIVE): 2 running / 3 desired / 1 pending",
        "Runs hello-app:7: container app, image repo/hello-app:v1.4.0@sha256:abc",
        "  tag v1.4.0, digest sha256:abc",
        "Deployment ecs-svc/111: IN_PROGRESS (2 running / 3 desired / 1 pending): waiting for tasks",
        "Last deployments (from ListServiceDeployments):",
        "  2026-11-30T09:00:00Z  hello-app:7  tag v1.4.0  IN_PROGRESS",
        "  2026-11-29T08:00:00Z  hello-app:6  tag v1.3.0  SUCCESSFUL (Service deployment succeeded)",
        "ecs:rollback would deploy hello-app:6 (image repo/hello-app:v1.3.0, tag v1.3.0): the last successful"
            + " deployment before the current one"),
        status.lines());
  }

  @Test
  void unknownValuesReadNoneAndTheFallbackHistorySaysWhatItLacks() {
    ServiceStatus status = new ServiceStatus("prod", "worker", "ACTIVE", 0, 0, 0,
        new RevisionInfo(TD7, "hello-app:7", "app", "repo/hello-app@sha256:abc", null, null, null),
        new DeploymentInfo("ecs-svc/222", null, null, "hello-app:7", null, "COMPLETED", null, null),
        "DescribeServices",
        List.of(new DeploymentInfo("ecs-svc/222", null, null, null, null, "PRIMARY", null, null)),
        null, "no earlier revision of family hello-app is ACTIVE");

    assertEquals(List.of(
        "Service worker in cluster prod (ACTIVE): 0 running / 0 desired / 0 pending",
        "Runs hello-app:7: container app, image repo/hello-app@sha256:abc",
        "  tag none, digest none",
        "Deployment ecs-svc/222: COMPLETED",
        "Last deployments (from DescribeServices: only those still active; allow ecs:ListServiceDeployments for"
            + " the history):",
        "  -  none  tag none  PRIMARY",
        "ecs:rollback has no target: no earlier revision of family hello-app is ACTIVE"),
        status.lines());
  }

  @Test
  void aServiceWithNothingKnownStillSaysSo() {
    ServiceStatus status = new ServiceStatus("prod", "empty", "DRAINING", 0, 1, 0, null, null,
        "ListServiceDeployments", List.of(), null, "the service runs no task definition");

    assertEquals(List.of(
        "Service empty in cluster prod (DRAINING): 0 running / 1 desired / 0 pending",
        "Last deployments (from ListServiceDeployments):",
        "  none",
        "ecs:rollback has no target: the service runs no task definition"),
        status.lines());
  }
}
