package io.github.ecsdeploy.core;

import static io.github.ecsdeploy.testing.InMemoryServiceView.arn;
import static io.github.ecsdeploy.testing.InMemoryServiceView.digest;
import static io.github.ecsdeploy.testing.InMemoryServiceView.image;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static software.amazon.awssdk.services.ecs.model.TaskDefinitionStatus.ACTIVE;

import io.github.ecsdeploy.testing.InMemoryServiceView;
import io.github.ecsdeploy.testing.RecordingDeployLog;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.Service;

/** What ecs:status reads from a service in memory: what runs, the last deployments, the rollback target. */
class ServiceStatusReaderTest {

  private static final Instant T = Instant.parse("2026-11-01T10:00:00Z");

  private final InMemoryServiceView view = new InMemoryServiceView();
  private final RecordingDeployLog log = new RecordingDeployLog();

  private ServiceStatus read() {
    return new ServiceStatusReader(view, log)
        .read(new RollbackPlanner.Request("prod", "hello-svc", null, "hello-app", null));
  }

  private static Deployment deployment(String id, String status, String arn, String rolloutState) {
    return Deployment.builder().id(id).status(status).taskDefinition(arn).rolloutState(rolloutState)
        .runningCount(1).desiredCount(2).pendingCount(1).failedTasks(0).createdAt(T).updatedAt(T.plusSeconds(60))
        .build();
  }

  @Test
  void showsWhatRunsTheDeploymentsOfTheHistoryAndTheRollbackTarget() {
    view.add(1, image("v1.0.0"), ACTIVE);
    view.runs(view.add(2, image("v1.1.0"), ACTIVE));
    Instant t = Instant.parse("2026-11-01T10:00:00Z");
    view.history = List.of(
        new PastDeployment("d2", t.plusSeconds(60), t.plusSeconds(90), arn("hello-app", 2), "SUCCESSFUL", null),
        new PastDeployment("d1", t, t.plusSeconds(30), arn("hello-app", 1), "SUCCESSFUL", null));

    ServiceStatus status = read();

    assertEquals(2, status.runningCount());
    assertEquals("hello-app:2", status.current().revision());
    assertEquals("v1.1.0", status.current().tag());
    assertEquals(digest("v1.1.0"), status.current().digest());
    assertEquals("ListServiceDeployments", status.historySource());
    assertEquals(List.of("v1.1.0", "v1.0.0"), status.deployments().stream().map(d -> d.tag()).toList());
    assertEquals("hello-app:1", status.rollbackTarget().revision());
    String text = String.join("\n", status.lines());
    assertTrue(text.contains("Service hello-svc in cluster prod (ACTIVE): 2 running / 2 desired / 0 pending"), text);
    assertTrue(text.contains("ecs:rollback would deploy hello-app:1"), text);
  }

  @Test
  void withoutTheHistoryShowsTheDeploymentsDescribeServicesShowsAndSaysWhy() {
    view.runs(view.add(1, image("v1.0.0"), ACTIVE));

    ServiceStatus status = read();

    assertEquals("DescribeServices", status.historySource());
    assertEquals(1, status.deployments().size());
    assertEquals("COMPLETED", status.deployments().get(0).outcome());
    assertEquals("v1.0.0", status.deployments().get(0).tag());
    assertNull(status.rollbackTarget());
    assertTrue(status.rollbackNote().contains("nothing to roll back to"), status.rollbackNote());
    assertTrue(String.join("\n", status.lines()).contains("allow ecs:ListServiceDeployments"));
  }

  @Test
  void duringARolloutTheRunningRevisionIsThePrimaryDeploymentsNotTheOldOne() {
    String one = view.add(1, image("v1.0.0"), ACTIVE);
    String two = view.add(2, image("v1.1.0"), ACTIVE);
    view.service = Service.builder().serviceName("hello-svc").status("ACTIVE").taskDefinition(one)
        .deployments(deployment("ecs-svc/1", "ACTIVE", one, "COMPLETED"),
            deployment("ecs-svc/2", "PRIMARY", two, "IN_PROGRESS"))
        .build();

    ServiceStatus status = read();

    assertEquals("hello-app:2", status.current().revision());
    assertEquals(two, status.current().taskDefinitionArn());
    assertEquals("app", status.current().container());
    assertEquals(image("v1.1.0"), status.current().image());
    assertEquals(new ServiceStatus.DeploymentInfo("ecs-svc/2", T, null, "hello-app:2", "v1.1.0", "IN_PROGRESS",
        "1/2 running, 1 pending, 0 failed", null), status.deployment(), "still running: not finished");
    assertEquals(new ServiceStatus.DeploymentInfo("ecs-svc/1", T, T.plusSeconds(60), "hello-app:1", "v1.0.0",
        "COMPLETED", "1/2 running, 1 pending, 0 failed", null), status.deployments().get(0),
        "a COMPLETED deployment finished when ECS last updated it");
  }

  @Test
  void aFailedDeploymentFinishedWhenEcsLastUpdatedItAndOneWithoutRolloutStateShowsItsStatus() {
    String one = view.add(1, image("v1.0.0"), ACTIVE);
    view.service = Service.builder().serviceName("hello-svc").status("ACTIVE").taskDefinition(one)
        .deployments(deployment("ecs-svc/1", "PRIMARY", one, null),
            deployment("ecs-svc/0", "ACTIVE", one, "FAILED").toBuilder().rolloutStateReason("circuit breaker")
                .build())
        .build();

    ServiceStatus status = read();

    assertEquals("PRIMARY", status.deployments().get(0).outcome());
    assertNull(status.deployments().get(0).finishedAt());
    assertEquals("FAILED", status.deployments().get(1).outcome());
    assertEquals(T.plusSeconds(60), status.deployments().get(1).finishedAt());
    assertEquals("circuit breaker", status.deployments().get(1).reason());
  }

  @Test
  void withoutAPrimaryDeploymentTheServicesTaskDefinitionIsWhatRuns() {
    view.runs(view.add(1, image("v1.0.0"), ACTIVE));
    view.service = view.service.toBuilder().deployments(List.of()).build();

    ServiceStatus status = read();

    assertEquals("hello-app:1", status.current().revision());
    assertNull(status.deployment());
    assertEquals(List.of(), status.deployments());
  }

  @Test
  void atMostTheLastFiveDeploymentsAreListedFromEitherSource() {
    view.runs(view.add(1, image("v1.0.0"), ACTIVE));
    List<PastDeployment> history = new ArrayList<>();
    for (int i = 7; i > 0; i--) {
      history.add(new PastDeployment("d" + i, T.plusSeconds(i), T.plusSeconds(i + 1), arn("hello-app", 1),
          "SUCCESSFUL", null));
    }
    view.history = history;
    assertEquals(List.of("d7", "d6", "d5", "d4", "d3"), read().deployments().stream().map(d -> d.id()).toList());

    view.history = null;
    List<Deployment> listed = new ArrayList<>();
    for (int i = 6; i > 0; i--) {
      listed.add(deployment("ecs-svc/" + i, i == 6 ? "PRIMARY" : "ACTIVE", arn("hello-app", 1), "IN_PROGRESS"));
    }
    view.service = view.service.toBuilder().deployments(listed).build();
    assertEquals(List.of("ecs-svc/6", "ecs-svc/5", "ecs-svc/4", "ecs-svc/3", "ecs-svc/2"),
        read().deployments().stream().map(d -> d.id()).toList());
  }

  @Test
  void aPastDeploymentOfARevisionNoLongerReadableHasNoRevisionOrTag() {
    view.runs(view.add(2, image("v1.1.0"), ACTIVE));
    view.history = List.of(
        new PastDeployment("d2", T, null, arn("hello-app", 2), "IN_PROGRESS", null),
        new PastDeployment("d1", null, null, null, "STOPPED", "a newer deployment replaced it"),
        new PastDeployment("d0", null, null, arn("hello-app", 1), "SUCCESSFUL", null));

    List<ServiceStatus.DeploymentInfo> deployments = read().deployments();

    assertEquals(new ServiceStatus.DeploymentInfo("d2", T, null, "hello-app:2", "v1.1.0", "IN_PROGRESS", null, null),
        deployments.get(0));
    assertEquals(new ServiceStatus.DeploymentInfo("d1", null, null, null, null, "STOPPED", null,
        "a newer deployment replaced it"), deployments.get(1));
    assertEquals("hello-app:1", deployments.get(2).revision(), "the ARN names the revision even when gone");
    assertNull(deployments.get(2).tag());
  }

  @Test
  void aServiceThatRunsNoTaskDefinitionHasNoRollbackTarget() {
    view.service = Service.builder().serviceName(null).status("DRAINING").build();

    ServiceStatus status = read();

    assertEquals("hello-svc", status.service(), "the name asked for when ECS gives none");
    assertEquals("DRAINING", status.status());
    assertEquals(0, status.runningCount());
    assertEquals(0, status.desiredCount());
    assertEquals(0, status.pendingCount());
    assertNull(status.current());
    assertNull(status.rollbackTarget());
    assertEquals("the service runs no task definition", status.rollbackNote());
  }

  @Test
  void aTagWithoutDigestIsLookedUpInEcrAndAnEcrFailureOnlyLeavesTheDigestOut() {
    String tagged = InMemoryServiceView.REGISTRY + "/hello-app:v2.0.0";
    view.runs(view.add(3, tagged, ACTIVE));
    view.ecrTags.put("hello-app:v2.0.0", digest("v2.0.0"));

    assertEquals(digest("v2.0.0"), read().current().digest());

    view.ecrFailure = SdkClientException.create("Unable to execute HTTP request");
    ServiceStatus status = read();
    assertNull(status.current().digest());
    assertEquals("v2.0.0", status.current().tag());
    assertEquals(List.of("No digest for " + tagged + " from ECR: Unable to execute HTTP request"), log.debugs());
  }

  @Test
  void theRollbackNoteSaysWhyWithoutTheRefusalsNothingWasChanged() {
    view.runs(view.add(1, image("v1.0.0"), ACTIVE));

    String note = read().rollbackNote();

    assertTrue(note.contains("nothing to roll back to"), note);
    assertFalse(note.contains("Nothing was changed"), note);
  }
}
