package io.github.ecsdeploy.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ecsdeploy.state.StateFileException;
import io.github.ecsdeploy.state.StateFiles;
import io.github.ecsdeploy.state.TaskDefinitionState;
import io.github.ecsdeploy.testing.RecordingDeployLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one reader of task-definition.json for update-service and run-task. */
class StateRecordsTest {

  private static final String ARN = "arn:aws:ecs:eu-west-1:123456789012:task-definition/hello-app:7";

  @TempDir Path dir;

  private StateFiles files() {
    return new StateFiles(dir);
  }

  private void write(String name, String json) throws IOException {
    Files.writeString(dir.resolve(name), json);
  }

  @Test
  void theRegisteredRevisionAndItsFile() throws IOException {
    write(TaskDefinitionState.FILE, "{\"taskDefinitionArn\":\"" + ARN + "\",\"image\":\"i:1\"}");

    StateRecords.Registered registered = StateRecords.registered(files(), false, "No revision to deploy");

    assertEquals(ARN, registered.revision().taskDefinitionArn());
    assertEquals("i:1", registered.revision().image());
    assertEquals(dir.resolve(TaskDefinitionState.FILE), registered.file());
  }

  @Test
  void aDryRunReadsTheDryRunFileFirstAndMayHaveNoArnYet() throws IOException {
    write(TaskDefinitionState.FILE, "{\"taskDefinitionArn\":\"" + ARN + "\",\"image\":\"i:1\"}");
    write(TaskDefinitionState.DRY_RUN_FILE, "{\"family\":\"hello-app\",\"image\":\"i:2\"}");

    StateRecords.Registered planned = StateRecords.registered(files(), true, "Dry run: no revision to show");
    StateRecords.Registered real = StateRecords.registered(files(), false, "No revision to deploy");

    assertNull(planned.revision().taskDefinitionArn(), "a new revision would be registered");
    assertEquals("i:2", planned.revision().image());
    assertEquals(dir.resolve(TaskDefinitionState.DRY_RUN_FILE), planned.file());
    assertEquals("i:1", real.revision().image(), "outside a dry run the dry-run file is never read");
  }

  @Test
  void aDryRunFallsBackToTheRealFile() throws IOException {
    write(TaskDefinitionState.FILE, "{\"taskDefinitionArn\":\"" + ARN + "\"}");

    assertEquals(ARN, StateRecords.registered(files(), true, "need").revision().taskDefinitionArn());
  }

  @Test
  void noFileIsMissingNamingTheFileOfThisKindOfRun() {
    StateFileException real = assertThrows(StateFileException.class,
        () -> StateRecords.registered(files(), false, "No revision to run"));
    StateFileException dry = assertThrows(StateFileException.class,
        () -> StateRecords.registered(files(), true, "No revision to run"));

    assertEquals(StateFileException.Problem.MISSING, real.problem());
    assertEquals(dir.resolve(TaskDefinitionState.FILE), real.file());
    assertEquals("No revision to run: " + dir.resolve(TaskDefinitionState.FILE) + " does not exist",
        real.getMessage());
    assertEquals(dir.resolve(TaskDefinitionState.DRY_RUN_FILE), dry.file());
  }

  @Test
  void aFileWithoutArnOrNotJsonIsUnreadable() throws IOException {
    write(TaskDefinitionState.FILE, "{\"family\":\"hello-app\"}");
    StateFileException noArn = assertThrows(StateFileException.class,
        () -> StateRecords.registered(files(), false, "need"));
    write(TaskDefinitionState.FILE, "{\"taskDefinitionArn\": ");
    StateFileException broken = assertThrows(StateFileException.class,
        () -> StateRecords.registered(files(), false, "need"));

    assertEquals(StateFileException.Problem.UNREADABLE, noArn.problem());
    assertEquals("Cannot read " + dir.resolve(TaskDefinitionState.FILE) + ": it holds no taskDefinitionArn",
        noArn.getMessage());
    assertEquals(StateFileException.Problem.UNREADABLE, broken.problem());
    assertTrue(broken.getMessage().contains("end-of-input"), broken.getMessage());
  }

  @Test
  void aRevisionGivenDirectlyTakesOnlyWhatTheFileSaysOfThatSameRevision() throws IOException {
    RecordingDeployLog log = new RecordingDeployLog();
    assertEquals(Optional.empty(), StateRecords.describing(files(), ARN, log), "no file");
    write(TaskDefinitionState.FILE, "{\"taskDefinitionArn\":\"" + ARN + "\",\"image\":\"i:1\"}");
    assertEquals("i:1", StateRecords.describing(files(), ARN, log).orElseThrow().image());
    assertEquals(Optional.empty(), StateRecords.describing(files(), ARN.replace(":7", ":8"), log), "another one");

    write(TaskDefinitionState.FILE, "not json");
    assertEquals(Optional.empty(), StateRecords.describing(files(), ARN, log));
    assertTrue(log.lines.stream().anyMatch(l -> l.contains("Ignoring " + dir.resolve(TaskDefinitionState.FILE))),
        log.lines.toString());
  }
}
