package io.github.ecsdeploy.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ecsdeploy.standin.AwsStandIn;
import io.github.ecsdeploy.standin.StandInExtension;
import io.github.ecsdeploy.standin.ecs.EcsService;
import io.github.ecsdeploy.standin.ecs.EcsSimulationSettings;
import io.github.ecsdeploy.state.StateFiles;
import io.github.ecsdeploy.testing.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The goal end to end against the stand-in: the revision comes from task-definition.json, the outputs are
 * written on success and on failure. The simulator and the goal share a clock that moves when the goal sleeps.
 */
class UpdateServiceMojoStandInTest {

  @RegisterExtension static final StandInExtension STAND_IN = new StandInExtension();

  @TempDir Path dir;

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T10:00:00Z"));
  private EcsService simulator;
  private String td1;
  private String td2;

  @BeforeEach
  void setUp() {
    simulator = STAND_IN.get().addJsonService(s ->
        new EcsService(s.region(), AwsStandIn.ACCOUNT_ID, clock, EcsSimulationSettings.defaults()));
    simulator.handle("CreateCluster", "{\"clusterName\":\"prod\"}");
    td1 = register("hello:1.0.0");
    td2 = register("hello:1.1.0");
    simulator.handle("CreateService", """
        {"cluster":"prod","serviceName":"hello-svc","taskDefinition":"%s","desiredCount":2,
         "deploymentConfiguration":{"deploymentCircuitBreaker":{"enable":true,"rollback":true}}}"""
        .formatted(td1));
    clock.advance(java.time.Duration.ofSeconds(2));
  }

  private String register(String image) {
    return simulator.handle("RegisterTaskDefinition", """
        {"family":"hello-app","containerDefinitions":[{"name":"app","image":"%s","memory":512}]}"""
        .formatted(image)).at("/taskDefinition/taskDefinitionArn").asText();
  }

  private UpdateServiceMojo mojo() throws Exception {
    // The simulator and the goal share a clock that moves when the goal sleeps.
    UpdateServiceMojo mojo = new MojoFixture(dir).time(clock, clock::advance).standIn(STAND_IN.get())
        .mojo(UpdateServiceMojo::new);
    mojo.cluster = "prod";
    mojo.service = "hello-svc";
    mojo.wait = true;
    mojo.pollInterval = "1s";
    mojo.timeout = "5m";
    Files.createDirectories(dir.resolve("target/ecs-deploy"));
    Files.writeString(dir.resolve("target/ecs-deploy/task-definition.json"), """
        {"taskDefinitionArn":"%s","family":"hello-app","revision":2,"container":"app","image":"hello:1.1.0"}"""
        .formatted(td2));
    return mojo;
  }


  @Test
  void deploysTheRegisteredRevisionAndWritesTheOutputs() throws Exception {
    mojo().execute();

    DeploymentOutputs.DeploymentState state = DeploymentOutputs.read(new StateFiles(dir.resolve("target/ecs-deploy"))).orElseThrow();
    assertEquals("COMPLETED", state.outcome());
    assertEquals(td2, state.taskDefinitionArn());
    assertEquals("hello:1.1.0", state.image());
    assertEquals("hello-svc", state.service());
    String env = Files.readString(dir.resolve("target/ecs-deploy/deploy.env"));
    assertTrue(env.contains("ECS_TASK_DEFINITION_ARN=" + td2 + "\n"), env);
    assertTrue(env.contains("ECS_IMAGE=hello:1.1.0\n"), env);
    assertTrue(env.contains("ECS_DEPLOYMENT_ID=" + state.deploymentId() + "\n"), env);
    assertTrue(env.contains("ECS_SERVICE_URL=https://" + STAND_IN.get().region() + ".console.aws.amazon.com/ecs/v2"
        + "/clusters/prod/services/hello-svc/health?region=" + STAND_IN.get().region() + "\n"), env);
  }

  @Test
  void aRollbackFailsTheBuildAndStillWritesTheOutputs() throws Exception {
    simulator.failTaskDefinition(td2);

    MojoFailureException e = assertThrows(MojoFailureException.class, mojo()::execute);

    assertTrue(e.getMessage().contains("ECS rolled back to hello-app:1"), e.getMessage());
    DeploymentOutputs.DeploymentState state = DeploymentOutputs.read(new StateFiles(dir.resolve("target/ecs-deploy"))).orElseThrow();
    assertEquals("ROLLED_BACK", state.outcome());
    assertTrue(Files.readString(dir.resolve("target/ecs-deploy/deploy.env"))
        .contains("ECS_DEPLOYMENT_OUTCOME=ROLLED_BACK\n"));
  }
}
