package io.github.ecsdeploy.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ecsdeploy.core.DeploymentOutcome;
import io.github.ecsdeploy.core.DeploymentResult;
import io.github.ecsdeploy.core.ExternalFailureException;
import io.github.ecsdeploy.state.StateFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeploymentOutputsTest {

  private static final String TD7 = "arn:aws:ecs:eu-west-1:123456789012:task-definition/hello-app:7";
  private static final String IMAGE =
      "123456789012.dkr.ecr.eu-west-1.amazonaws.com/hello@sha256:0123456789abcdef";

  @TempDir Path dir;

  private static DeploymentResult result(DeploymentOutcome outcome, String image) {
    return new DeploymentResult("prod", "hello-svc", "ecs-svc/123", TD7, image, outcome,
        "Deployment ecs-svc/123 of hello-app:7 FAILED: tasks failed to start.",
        Instant.parse("2026-11-26T10:00:00Z"), Instant.parse("2026-11-26T10:03:25Z"));
  }

  @Test
  void writesJsonAndDotenvOnFailureToo() throws IOException {
    Path out = dir.resolve("target/ecs-deploy");

    new DeploymentOutputs(new StateFiles(out)).record(result(DeploymentOutcome.ROLLED_BACK, IMAGE));

    DeploymentOutputs.DeploymentState state = DeploymentOutputs.read(new StateFiles(out)).orElseThrow();
    assertEquals("hello-svc", state.service());
    assertEquals("prod", state.cluster());
    assertEquals("ecs-svc/123", state.deploymentId());
    assertEquals(TD7, state.taskDefinitionArn());
    assertEquals(IMAGE, state.image());
    assertEquals("ROLLED_BACK", state.outcome());
    assertEquals(205, state.durationSeconds());
    assertTrue(Files.readString(out.resolve("deployment.json")).contains("\"startedAt\" : \"2026-11-26T10:00:00Z\""));
    assertEquals("ECS_SERVICE=hello-svc\n"
        + "ECS_TASK_DEFINITION_ARN=" + TD7 + "\n"
        + "ECS_IMAGE=" + IMAGE + "\n"
        + "ECS_DEPLOYMENT_ID=ecs-svc/123\n"
        + "ECS_DEPLOYMENT_OUTCOME=ROLLED_BACK\n", Files.readString(out.resolve("deploy.env")));
    try (Stream<Path> files = Files.list(out)) {
      assertEquals(2, files.count(), "no temporary file is left behind");
    }
  }

  @Test
  void unknownImageIsAnEmptyValue() throws IOException {
    new DeploymentOutputs(new StateFiles(dir)).record(result(DeploymentOutcome.COMPLETED, null));

    assertTrue(Files.readString(dir.resolve("deploy.env")).contains("\nECS_IMAGE=\n"));
  }

  @Test
  void rewritesAnEarlierRun() throws IOException {
    new DeploymentOutputs(new StateFiles(dir)).record(result(DeploymentOutcome.TIMED_OUT, IMAGE));
    new DeploymentOutputs(new StateFiles(dir)).record(result(DeploymentOutcome.COMPLETED, IMAGE));

    assertEquals("COMPLETED", DeploymentOutputs.read(new StateFiles(dir)).orElseThrow().outcome());
    assertTrue(Files.readString(dir.resolve("deploy.env")).contains("ECS_DEPLOYMENT_OUTCOME=COMPLETED\n"));
  }

  @Test
  void refusesAValueThatWouldBreakTheDotenvFile() {
    ExternalFailureException e = assertThrows(ExternalFailureException.class,
        () -> new DeploymentOutputs(new StateFiles(dir)).record(result(DeploymentOutcome.COMPLETED, "evil\nECS_SERVICE=x")));

    assertTrue(e.getMessage().contains("ECS_IMAGE"), e.getMessage());
    assertFalse(Files.exists(dir.resolve("deploy.env")));
  }
}
