package io.github.ecsdeploy.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ecsdeploy.aws.AwsClients;
import io.github.ecsdeploy.aws.AwsSettings;
import io.github.ecsdeploy.aws.CredentialsSource;
import io.github.ecsdeploy.core.EcsJsonAdapter;
import io.github.ecsdeploy.core.FakeEcs;
import io.github.ecsdeploy.standin.AwsStandIn;
import io.github.ecsdeploy.standin.StandInExtension;
import io.github.ecsdeploy.state.ImageState;
import io.github.ecsdeploy.state.StateFiles;
import io.github.ecsdeploy.state.TaskDefinitionState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.maven.model.Build;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.project.MavenProject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionStatus;

/** The goal end to end over HTTP: Mojo, AWS clients, real SDK EcsClient, stand-in endpoint, in-memory ECS. */
class RegisterTaskDefMojoTest {

  @RegisterExtension static final StandInExtension STAND_IN = new StandInExtension();

  static final String REGISTRY = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";

  @TempDir Path dir;
  FakeEcs ecs;
  RegisterTaskDefMojo mojo;
  RecordingLog log;

  @BeforeEach
  void oneServiceRunningRevisionOne() {
    AwsStandIn standIn = STAND_IN.get();
    ecs = new FakeEcs();
    standIn.addJsonService(s -> new EcsJsonAdapter(ecs));
    ecs.add(TaskDefinition.builder().family("hello-app").cpu("256").memory("512")
        .containerDefinitions(ContainerDefinition.builder().name("envoy").image("envoyproxy/envoy:v1.31").build(),
            ContainerDefinition.builder().name("app").image(REGISTRY + "/hello-app:v1.3.0").build())
        .build(), TaskDefinitionStatus.ACTIVE, List.of(Tag.builder().key("team").value("web").build()));
    ecs.addService("prod", "hello", FakeEcs.arn("hello-app", 1));

    mojo = new RegisterTaskDefMojo();
    log = new RecordingLog();
    mojo.setLog(log);
    MavenProject project = new MavenProject();
    project.setFile(dir.resolve("pom.xml").toFile());
    project.getModel().setBuild(new Build());
    project.getBuild().setDirectory(dir.resolve("target").toString());
    mojo.project = project;
    mojo.env = name -> null;
    mojo.region = standIn.region();
    mojo.endpoint = standIn.endpoint().toString();
    mojo.awsFactory = (settings, deployLog) -> new AwsClients(settings, new CredentialsSource() {
      @Override
      public AwsCredentialsProvider create(AwsSettings s, SdkHttpClient httpClient) {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "SECRETTEST"));
      }

      @Override
      public String describe() {
        return "test keys";
      }
    }, deployLog);
    mojo.cluster = "prod";
    mojo.service = "hello";
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
    assertEquals(new TaskDefinitionState(FakeEcs.arn("hello-app", 2), "hello-app", 2, "app", image, false),
        state.read(TaskDefinitionState.FILE, TaskDefinitionState.class).orElseThrow());
    assertTrue(log.lines.contains("INFO Registered task definition hello-app:2 (container app, image " + image + ")"),
        log.lines.toString());
    assertEquals("envoyproxy/envoy:v1.31", ecs.registered.get(0).containerDefinitions().get(0).image());
    assertEquals(List.of(Tag.builder().key("team").value("web").build()), ecs.registered.get(0).tags());
  }

  @Test
  void secondRunReusesTheRevision() throws Exception {
    mojo.image = REGISTRY + "/hello-app:v1.4.0@sha256:abc";
    mojo.execute();
    mojo.execute();
    assertEquals(1, ecs.registered.size());
    assertTrue(log.lines.stream().anyMatch(l -> l.startsWith("INFO Reusing task definition hello-app:2")),
        log.lines.toString());
    assertTrue(new StateFiles(dir.resolve("target/ecs-deploy"))
        .read(TaskDefinitionState.FILE, TaskDefinitionState.class).orElseThrow().reused());
  }

  @Test
  void noImageFailsTheBuildNamingPushImage() {
    MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);
    assertTrue(e.getMessage().contains("push-image"), e.getMessage());
    assertTrue(ecs.calls.isEmpty());
    assertFalse(Files.exists(dir.resolve("target/ecs-deploy/task-definition.json")));
  }

  @Test
  void unknownServiceFailsTheBuildNamingTheRegion() {
    mojo.image = "i:1";
    mojo.service = "nope";
    MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);
    assertTrue(e.getMessage().contains("Service nope not found in cluster prod (region " + STAND_IN.get().region()),
        e.getMessage());
  }

  @Test
  void goalSkipLogsOneLine() throws Exception {
    mojo.skipRegisterTaskDef = true;
    mojo.execute();
    assertEquals(List.of("INFO Skipping ecs:register-task-def because ecs.registerTaskDef.skip=true"), log.lines);
    assertTrue(ecs.calls.isEmpty());
  }
}
