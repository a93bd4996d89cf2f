package io.github.ecsdeploy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The state-file checks of the src/it verify scripts, on files written here. */
class ItVerifyTest {

  @TempDir Path basedir;

  @BeforeEach
  void stateDir() throws Exception {
    Files.createDirectories(basedir.resolve("target/ecs-deploy"));
  }

  private void write(String path, String text) throws Exception {
    Files.writeString(basedir.resolve("target/ecs-deploy").resolve(path), text);
  }

  @Test
  void deployEnvEntriesAreWholeLines() throws Exception {
    write("deploy.env", "ECS_SERVICES=a,b\nECS_DEPLOYMENT_OUTCOME=COMPLETED\nX_ECS_DEPLOYMENT_OUTCOME=FAILED\n");

    ItVerify.assertDeployEnv(basedir.toFile(), "ECS_SERVICES=a,b", "ECS_DEPLOYMENT_OUTCOME=COMPLETED");

    AssertionError prefix = assertThrows(AssertionError.class,
        () -> ItVerify.assertDeployEnv(basedir.toFile(), "ECS_DEPLOYMENT_OUTCOME=FAILED"));
    assertTrue(prefix.getMessage().startsWith("deploy.env has no line ECS_DEPLOYMENT_OUTCOME=FAILED"),
        prefix.getMessage());
    assertThrows(AssertionError.class, () -> ItVerify.assertDeployEnv(basedir.toFile(), "ECS_SERVICES=a"));
  }

  @Test
  void aMissingDeployEnvFails() {
    AssertionError e = assertThrows(AssertionError.class,
        () -> ItVerify.assertDeployEnv(basedir.toFile(), "ECS_DEPLOYMENT_OUTCOME=COMPLETED"));

    assertTrue(e.getMessage().contains("(no "), e.getMessage());
  }

  @Test
  void theOutcomeIsCheckedInDeploymentJsonAndDeployEnv() throws Exception {
    write("deployment.json", "{\"outcome\":\"ROLLED_BACK\",\"taskDefinitionArn\":\"arn:x:2\",\"message\":\"why\"}");
    write("deploy.env", "ECS_DEPLOYMENT_OUTCOME=ROLLED_BACK\n");

    assertEquals("why", ItVerify.assertOutcome(basedir.toFile(), "ROLLED_BACK", "arn:x:2").path("message").asText());

    AssertionError outcome = assertThrows(AssertionError.class,
        () -> ItVerify.assertOutcome(basedir.toFile(), "COMPLETED"));
    assertEquals("deployment.json says ROLLED_BACK, not COMPLETED: why", outcome.getMessage());
    AssertionError arn = assertThrows(AssertionError.class,
        () -> ItVerify.assertOutcome(basedir.toFile(), "ROLLED_BACK", "arn:x:1"));
    assertEquals("deployment.json names arn:x:2, not arn:x:1", arn.getMessage());

    write("deploy.env", "ECS_DEPLOYMENT_OUTCOME=FAILED\n");
    assertThrows(AssertionError.class, () -> ItVerify.assertOutcome(basedir.toFile(), "ROLLED_BACK"));
  }

  @Test
  void aMissingStateFileIsNamed() {
    AssertionError e = assertThrows(AssertionError.class, () -> ItVerify.stateFile(basedir.toFile(), "deployment.json"));

    assertTrue(e.getMessage().startsWith("The build wrote no ") && e.getMessage().endsWith("deployment.json"),
        e.getMessage());
  }
}
