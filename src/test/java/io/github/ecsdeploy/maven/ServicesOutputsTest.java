package io.github.ecsdeploy.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ecsdeploy.core.DeploymentOutcome;
import io.github.ecsdeploy.core.DeploymentResult;
import io.github.ecsdeploy.state.StateFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServicesOutputsTest {

  private static DeploymentResult result(String service, DeploymentOutcome outcome) {
    return new DeploymentResult("prod", service, "ecs-svc/1", "arn:aws:ecs:us-east-1:123456789012:task-definition/"
        + service + ":2", "repo/app:v1", outcome, service + " " + outcome, Instant.parse("2026-11-30T10:00:00Z"),
        Instant.parse("2026-11-30T10:01:00Z"));
  }

  @Test
  void eachServiceHasItsOwnFilesAndTheSummaryListsEveryServiceAfterEachVerdict(@TempDir Path dir) throws Exception {
    StateFiles files = new StateFiles(dir);
    ServicesOutputs outputs = new ServicesOutputs(files, List.of("web", "order-worker"), s -> "https://console/" + s);

    outputs.forService("order-worker").record(result("order-worker", DeploymentOutcome.ROLLED_BACK));

    String env = Files.readString(dir.resolve("deploy.env"));
    assertEquals("ECS_SERVICES=web,order-worker\nECS_DEPLOYMENT_OUTCOME=FAILED\nECS_DEPLOYMENT_OUTCOME_WEB=\n"
        + "ECS_DEPLOYMENT_OUTCOME_ORDER_WORKER=ROLLED_BACK\n", env);
    assertTrue(Files.readString(dir.resolve("services/order-worker/deploy.env"))
        .contains("ECS_SERVICE_URL=https://console/order-worker\n"));

    outputs.forService("web").record(result("web", DeploymentOutcome.COMPLETED));

    ServicesOutputs.Summary summary = files.read(ServicesOutputs.DEPLOYMENTS_JSON, ServicesOutputs.Summary.class)
        .orElseThrow();
    assertEquals(List.of("web", "order-worker"), summary.services().stream()
        .map(DeploymentOutputs.DeploymentState::service).toList(), "in the listed order");
    assertTrue(Files.readString(dir.resolve("deploy.env")).contains("ECS_DEPLOYMENT_OUTCOME_WEB=COMPLETED\n"));
    assertEquals("COMPLETED", DeploymentOutputs.read(new StateFiles(dir.resolve("services/web"))).orElseThrow()
        .outcome());
  }

  @Test
  void everyServiceSucceededIsCompletedAndSomeWithoutVerdictIsInProgress(@TempDir Path dir) throws Exception {
    ServicesOutputs outputs = new ServicesOutputs(new StateFiles(dir), List.of("a", "b"), s -> "u");
    outputs.forService("a").record(result("a", DeploymentOutcome.COMPLETED));
    assertTrue(Files.readString(dir.resolve("deploy.env")).contains("ECS_DEPLOYMENT_OUTCOME=IN_PROGRESS\n"));
    outputs.forService("b").record(result("b", DeploymentOutcome.UNCHANGED));
    assertTrue(Files.readString(dir.resolve("deploy.env")).contains("ECS_DEPLOYMENT_OUTCOME=COMPLETED\n"));
  }
}
