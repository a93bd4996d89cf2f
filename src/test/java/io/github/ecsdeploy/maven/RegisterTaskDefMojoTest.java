package io.github.ecsdeploy.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ecsdeploy.standin.AwsStandIn;
import io.github.ecsdeploy.standin.StandInClients;
import io.github.ecsdeploy.standin.StandInExtension;
import io.github.ecsdeploy.standin.ecs.EcsService;
import io.github.ecsdeploy.standin.ecs.EcsSimulationSettings;
import io.github.ecsdeploy.state.ImageState;
import io.github.ecsdeploy.state.StateFiles;
import io.github.ecsdeploy.state.TaskDefinitionState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.maven.plugin.MojoFailureException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.DescribeTaskDefinitionResponse;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionField;

/** The goal end to end over HTTP: Mojo, AWS clients, the real SDK EcsClient, the ECS stand-in. */
class RegisterTaskDefMojoTest {

  @RegisterExtension static final StandInExtension STAND_IN = new StandInExtension();

  static final String REGISTRY = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";
  static final Tag TEAM = Tag.builder().key("team").value("web").build();
  static final AtomicInteger TEST_NUMBER = new AtomicInteger();
  static EcsClient ecs;

  @TempDir Path dir;
  RegisterTaskDefMojo mojo;
  RecordingLog log;
  String family;

  @BeforeAll
  static void start() {
    STAND_IN.get().addJsonService(s ->
        new EcsService(s.region(), AwsStandIn.ACCOUNT_ID, s.clock(), EcsSimulationSettings.defaults()));
    ecs = StandInClients.ecs(STAND_IN.get());
    ecs.createCluster(r -> r.clusterName("prod"));
  }

  @AfterAll
  static void close() {
    ecs.close();
  }

  @BeforeEach
  void oneServiceRunningRevisionOne() {
    AwsStandIn standIn = STAND_IN.get();
    family = "hello-app-" + TEST_NUMBER.incrementAndGet();
    String live = ecs.registerTaskDefinition(r -> r.family(family).cpu("256").memory("512")
        .containerDefinitions(ContainerDefinition.builder().name("envoy").image("envoyproxy/envoy:v1.31").build(),
            ContainerDefinition.builder().name("app").image(REGISTRY + "/hello-app:v1.3.0").build())
        .tags(TEAM)).taskDefinition().taskDefinitionArn();
    ecs.createService(r -> r.cluster("prod").serviceName(family).taskDefinition(live).desiredCount(1));

    MojoFixture fixture = new MojoFixture(dir).standIn(standIn);
    mojo = fixture.mojo(RegisterTaskDefMojo::new);
    log = fixture.log;
    mojo.cluster = "prod";
    mojo.service = family;
    mojo.repository = "hello-app";
    mojo.registry = REGISTRY;
  }

  @Test
  void registersWithThePushedImageAndWritesTheStateFile() throws Exception {
    StateFiles state = new StateFiles(dir.resolve("target/ecs-deploy"));
    state.write(ImageState.FILE, new ImageState(REGISTRY + "/hello-app:v1.4.0", "sha256:abc", List.of("v1.4.0"),
        ImageState.Result.PUSHED));

    mojo.execute();

    String image = REGISTRY + "/hello-app:v1.4.0@sha256:abc";
    String arn = "arn:aws:ecs:" + STAND_IN.get().region() + ":123456789012:task-definition/" + family + ":2";
    assertEquals(new TaskDefinitionState(arn, family, 2, "app", image, false),
        state.read(TaskDefinitionState.FILE, TaskDefinitionState.class).orElseThrow());
    assertTrue(log.lines.contains("INFO Registered task definition " + family + ":2 (container app, image " + image
        + ")"), log.lines.toString());
    DescribeTaskDefinitionResponse registered =
        ecs.describeTaskDefinition(r -> r.taskDefinition(arn).include(TaskDefinitionField.TAGS));
    assertEquals("envoyproxy/envoy:v1.31", registered.taskDefinition().containerDefinitions().get(0).image());
    assertEquals(image, registered.taskDefinition().containerDefinitions().get(1).image());
    assertEquals(List.of(TEAM), registered.tags());
  }

  @Test
  void aPomModuleWithoutAnImageSkipsWithOneLineAndCallsNothing() throws Exception {
    mojo.project.setPackaging("pom");
    mojo.project.getModel().setArtifactId("parent");
    STAND_IN.get().requestLog().clear();
    mojo.execute();
    assertEquals(List.of("INFO Skipping ecs:register-task-def: packaging pom (parent) has no image: no classes, and"
        + " no Jib <entrypoint> or src/main/jib. Set <image> / -Decs.image to register one here."), log.lines);
    assertEquals(List.of(), STAND_IN.get().requestLog().entries());
  }

  @Test
  void aPomModuleGivenAnImageRegistersIt() throws Exception {
    mojo.project.setPackaging("pom");
    mojo.image = REGISTRY + "/hello-app:v1.4.0@sha256:abc";
    mojo.execute();
    assertEquals(2, ecs.listTaskDefinitions(r -> r.familyPrefix(family)).taskDefinitionArns().size());
  }

  @Test
  void secondRunReusesTheRevision() throws Exception {
    mojo.image = REGISTRY + "/hello-app:v1.4.0@sha256:abc";
    mojo.execute();
    mojo.execute();
    assertEquals(2, ecs.listTaskDefinitions(r -> r.familyPrefix(family)).taskDefinitionArns().size());
    assertTrue(log.lines.stream().anyMatch(l -> l.startsWith("INFO Reusing task definition " + family + ":2")),
        log.lines.toString());
    assertTrue(new StateFiles(dir.resolve("target/ecs-deploy"))
        .read(TaskDefinitionState.FILE, TaskDefinitionState.class).orElseThrow().reused());
  }

  @Test
  void noImageFailsTheBuildNamingPushImage() {
    MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);
    assertTrue(e.getMessage().contains("push-image"), e.getMessage());
    assertFalse(Files.exists(dir.resolve("target/ecs-deploy/task-definition.json")));
  }

  @Test
  void unknownServiceFailsTheBuildNamingTheRegion() {
    mojo.image = "i:1";
    mojo.service = "nope";
    MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);
    assertTrue(e.getMessage().contains("Service 'nope' was not found in cluster 'prod' (region " + STAND_IN.get().region()),
        e.getMessage());
  }

  @Test
  void goalSkipLogsOneLine() throws Exception {
    mojo.skipRegisterTaskDef = true;
    mojo.execute();
    assertEquals(List.of("INFO Skipping ecs:register-task-def because ecs.registerTaskDef.skip=true"), log.lines);
    assertFalse(Files.exists(dir.resolve("target/ecs-deploy")));
  }
}
