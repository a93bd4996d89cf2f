package io.github.ecsdeploy.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The goal's own input handling; the deploy itself is tested in core and against the stand-in. */
class UpdateServiceMojoTest {

  @TempDir Path dir;

  private UpdateServiceMojo mojo(RecordingLog log) {
    // No clients: these paths must fail before any AWS call (ctx.aws() would throw on a null client set).
    UpdateServiceMojo mojo = new MojoFixture(dir)
        .mojo(environment -> new UpdateServiceMojo(environment.withAwsClients((settings, source, deployLog) -> null)));
    mojo.setLog(log);
    mojo.region = "eu-west-1";
    mojo.cluster = "prod";
    mojo.service = "hello-svc";
    mojo.wait = true;
    mojo.pollInterval = "5s";
    mojo.timeout = "15m";
    return mojo;
  }

  @Test
  void withoutAnyRevisionSaysToRunRegisterTaskDefFirst() {
    UpdateServiceMojo mojo = mojo(new RecordingLog());

    MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);

    assertTrue(e.getMessage().startsWith("No task definition revision to deploy (<taskDefinitionArn> /"
        + " -Decs.taskDefinitionArn is not set): "), e.getMessage());
    assertTrue(e.getMessage().contains(dir.resolve("target/ecs-deploy/task-definition.json").toString()),
        e.getMessage());
    assertTrue(e.getMessage().contains("Run ecs:register-task-def first"), e.getMessage());
  }

  /** Also in a {@code pom} module: a module given a revision does not skip, so the bad revision is refused. */
  @ParameterizedTest
  @ValueSource(strings = {"jar", "pom"})
  void aFamilyWithoutRevisionIsRefused(String packaging) {
    UpdateServiceMojo mojo = mojo(new RecordingLog());
    mojo.project.setPackaging(packaging);
    mojo.taskDefinitionArn = "hello-app";

    MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);

    assertTrue(e.getMessage().startsWith("<taskDefinitionArn> / -Decs.taskDefinitionArn must be a full task"
        + " definition ARN"), e.getMessage());
  }

  @Test
  void aBadTimeoutNamesTheParameter() throws Exception {
    UpdateServiceMojo mojo = mojo(new RecordingLog());
    Files.createDirectories(dir.resolve("target/ecs-deploy"));
    Files.writeString(dir.resolve("target/ecs-deploy/task-definition.json"),
        "{\"taskDefinitionArn\":\"arn:aws:ecs:eu-west-1:123456789012:task-definition/hello-app:7\"}");
    mojo.timeout = "fifteen minutes";

    MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);

    assertTrue(e.getMessage().startsWith("<timeout> / -Decs.updateService.timeout must be a duration"),
        e.getMessage());
  }

  @Test
  void aPomModuleWithoutAnImageSkipsWithOneLine() throws Exception {
    RecordingLog log = new RecordingLog();
    UpdateServiceMojo mojo = mojo(log);
    mojo.project.setPackaging("pom");
    mojo.project.getModel().setArtifactId("parent");

    mojo.execute();

    assertEquals(List.of("INFO Skipping ecs:update-service: packaging pom (parent) has no image: no classes, and no"
        + " Jib <entrypoint> or src/main/jib. Set <taskDefinitionArn> / -Decs.taskDefinitionArn to deploy a revision"
        + " from here."), log.lines);
  }

  @Test
  void itsOwnSkipFlagLogsOneLine() throws Exception {
    RecordingLog log = new RecordingLog();
    UpdateServiceMojo mojo = mojo(log);
    mojo.skipUpdateService = true;

    mojo.execute();

    assertEquals(List.of("INFO Skipping ecs:update-service because ecs.updateService.skip=true"), log.lines);
  }

  @Test
  void anUnreadableTaskDefinitionFileSaysHowToFixIt() throws Exception {
    UpdateServiceMojo mojo = mojo(new RecordingLog());
    Files.createDirectories(dir.resolve("target/ecs-deploy"));
    Files.writeString(dir.resolve("target/ecs-deploy/task-definition.json"), "{\"family\":\"hello-app\"}");

    MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);

    assertTrue(e.getMessage().endsWith("task-definition.json: it holds no taskDefinitionArn. ecs:register-task-def"
        + " writes it: run ecs:register-task-def again, or give the revision as <taskDefinitionArn> /"
        + " -Decs.taskDefinitionArn=arn:aws:ecs:<region>:<account>:task-definition/<family>:<revision>. Nothing was"
        + " changed."), e.getMessage());
  }
}
