package io.github.ecsdeploy.maven;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** run-task with {@code <services>}: one task, as the first listed service; its revision from task-definitions.json. */
class RunTaskServicesMojoTest {

  @TempDir Path dir;

  private RunTaskMojo mojo(RecordingLog log) {
    RunTaskMojo mojo = new MojoFixture(dir).mojo(environment -> new RunTaskMojo(environment));
    mojo.setLog(log);
    mojo.region = "eu-west-1";
    mojo.endpoint = "http://127.0.0.1:1";
    mojo.cluster = "prod";
    mojo.services = List.of("web", "worker");
    mojo.runTaskTimeout = "30m";
    mojo.runTaskPollInterval = "5s";
    return mojo;
  }

  @Test
  void withoutTheServicesRevisionsItNamesTheFirstServiceAndTheParameterAndChangesNothing() {
    RecordingLog log = new RecordingLog();
    MojoFailureException e = assertThrows(MojoFailureException.class, () -> mojo(log).execute());

    assertTrue(e.getMessage().startsWith("No revision of service web to run (<taskDefinitionArn> /"
        + " -Decs.taskDefinitionArn is not set): "), e.getMessage());
    assertTrue(e.getMessage().contains("task-definitions.json does not exist. Run ecs:register-task-def with the same"
        + " <services> / -Decs.services first"), e.getMessage());
    assertTrue(e.getMessage().endsWith("Nothing was changed."), e.getMessage());
    assertTrue(log.lines.stream().anyMatch(l -> l.equals("INFO One task for the 2 services of <services> /"
        + " -Decs.services: on the network configuration and launch type of the first listed, web, with its"
        + " revision. Set <service> / -Decs.service to run it as another.")), log.lines.toString());
  }

  @Test
  void aListThatDoesNotNameTheFirstServiceIsRefusedTheSameWay() throws Exception {
    Path state = Files.createDirectories(dir.resolve("target/ecs-deploy"));
    Files.writeString(state.resolve("task-definitions.json"), """
        {"services":{"worker":{"taskDefinitionArn":"arn:aws:ecs:eu-west-1:123456789012:task-definition/worker:2",
         "family":"worker","revision":2,"container":"app","image":"shop:2","reused":false}}}""");
    RecordingLog log = new RecordingLog();
    MojoFailureException e = assertThrows(MojoFailureException.class, () -> mojo(log).execute());
    assertTrue(e.getMessage().contains("task-definitions.json has no revision for service web (it has [worker])."
        + " Run ecs:register-task-def with the same <services> / -Decs.services"), e.getMessage());
    assertTrue(e.getMessage().endsWith("Nothing was changed."), e.getMessage());
  }
}
