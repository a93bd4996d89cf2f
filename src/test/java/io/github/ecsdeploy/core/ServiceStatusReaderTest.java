package io.github.ecsdeploy.core;

import static io.github.ecsdeploy.testing.InMemoryServiceView.arn;
import static io.github.ecsdeploy.testing.InMemoryServiceView.digest;
import static io.github.ecsdeploy.testing.InMemoryServiceView.image;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static software.amazon.awssdk.services.ecs.model.TaskDefinitionStatus.ACTIVE;

import io.github.ecsdeploy.testing.InMemoryServiceView;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServiceStatusReaderTest {

  private final InMemoryServiceView view = new InMemoryServiceView();

  private ServiceStatus read() {
    return new ServiceStatusReader(view, DeployLog.silent())
        .read(new RollbackPlanner.Request("prod", "hello-svc", null, "hello-app", null));
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
}
