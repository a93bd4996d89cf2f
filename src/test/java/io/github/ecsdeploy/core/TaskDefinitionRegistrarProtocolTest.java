package io.github.ecsdeploy.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ecsdeploy.standin.AwsStandIn;
import io.github.ecsdeploy.standin.StandInClients;
import io.github.ecsdeploy.standin.StandInExtension;
import io.github.ecsdeploy.standin.ecs.EcsService;
import io.github.ecsdeploy.standin.ecs.EcsSimulationSettings;
import io.github.ecsdeploy.taskdef.TaskDefinitionDocument;
import io.github.ecsdeploy.testing.RecordingDeployLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Compatibility;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.DescribeTaskDefinitionResponse;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.NetworkMode;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionField;

/**
 * The registrar with a real SDK v2 EcsClient against the ECS stand-in over HTTP: each source, the reuse case,
 * and each user error as the stand-in answers it the way ECS does.
 */
class TaskDefinitionRegistrarProtocolTest {

  @RegisterExtension static final StandInExtension STAND_IN = new StandInExtension();

  static final String REGISTRY = AwsStandIn.ACCOUNT_ID + ".dkr.ecr.eu-west-1.amazonaws.com";
  static final String NEW_IMAGE = REGISTRY + "/hello-app:v1.4.0@sha256:"
      + "4e07408562bedb8b60ce05c1decfe3ad16b72230967de01f640b7e4729b49fce";
  static final Tag TEAM = Tag.builder().key("team").value("payments").build();

  static EcsClient ecs;
  final RecordingDeployLog log = new RecordingDeployLog();
  @TempDir Path dir;

  @BeforeAll
  static void start() {
    STAND_IN.get().addJsonService(s ->
        new EcsService(s.region(), AwsStandIn.ACCOUNT_ID, s.clock(), EcsSimulationSettings.defaults()));
    ecs = StandInClients.ecs(STAND_IN.get());
  }

  @AfterAll
  static void close() {
    ecs.close();
  }

  private TaskDefinitionRegistrar registrar() {
    return new TaskDefinitionRegistrar(ecs, log);
  }

  private static String region() {
    return STAND_IN.get().region();
  }

  /** Registers a Fargate definition with a log router first and the app second; returns its ARN. */
  private static String registerApp(String family, String appImage, String env) {
    return ecs.registerTaskDefinition(r -> r.family(family)
            .networkMode(NetworkMode.AWSVPC)
            .requiresCompatibilities(Compatibility.FARGATE)
            .cpu("256").memory("512")
            .containerDefinitions(
                ContainerDefinition.builder().name("log_router").image("public.ecr.aws/aws-for-fluent-bit:stable")
                    .firelensConfiguration(f -> f.type("fluentbit")).build(),
                ContainerDefinition.builder().name("app").image(appImage)
                    .environment(KeyValuePair.builder().name("MODE").value(env).build())
                    .portMappings(p -> p.containerPort(8080)).build())
            .tags(TEAM))
        .taskDefinition().taskDefinitionArn();
  }

  private static DescribeTaskDefinitionResponse describe(String arn) {
    return ecs.describeTaskDefinition(r -> r.taskDefinition(arn).include(TaskDefinitionField.TAGS));
  }

  private static TaskDefinitionRegistrar.Request request(String cluster, String service, String taskDefinition,
      Path file, String image) {
    return new TaskDefinitionRegistrar.Request(region(), cluster, service, taskDefinition, file, null, image, null,
        REGISTRY, "hello-app");
  }

  @Test
  void fromTheLiveServiceThenReuseOnReRun() {
    ecs.createCluster(r -> r.clusterName("live"));
    String live = registerApp("live-app", REGISTRY + "/hello-app:v1.3.0", "blue");
    ecs.createService(r -> r.cluster("live").serviceName("web").taskDefinition(live).desiredCount(1)
        .networkConfiguration(n -> n.awsvpcConfiguration(a -> a.subnets("subnet-0123456789abcdef0"))));

    RegisteredTaskDefinition first = registrar().register(request("live", "web", null, null, NEW_IMAGE));

    assertEquals("live-app", first.family());
    assertEquals(2, first.revision());
    assertFalse(first.reused());
    DescribeTaskDefinitionResponse registered = describe(first.taskDefinitionArn());
    List<ContainerDefinition> containers = registered.taskDefinition().containerDefinitions();
    assertEquals("public.ecr.aws/aws-for-fluent-bit:stable", containers.get(0).image());
    assertEquals("fluentbit", containers.get(0).firelensConfiguration().typeAsString());
    assertEquals(NEW_IMAGE, containers.get(1).image());
    assertEquals("blue", containers.get(1).environment().get(0).value());
    assertEquals(List.of(TEAM), registered.tags());
    assertEquals("256", registered.taskDefinition().cpu());

    RegisteredTaskDefinition again = registrar().register(request("live", "web", null, null, NEW_IMAGE));
    assertEquals(new RegisteredTaskDefinition(first.taskDefinitionArn(), "live-app", 2, "app", NEW_IMAGE, true), again);
    assertTrue(log.infos().contains("Reusing task definition live-app:2 (container app, image " + NEW_IMAGE
        + "): it already has this image, content and tags"), log.lines.toString());
    assertEquals(2, ecs.listTaskDefinitions(r -> r.familyPrefix("live-app")).taskDefinitionArns().size());
  }

  @Test
  void fromFamilyRevision() {
    registerApp("rev-app", REGISTRY + "/hello-app:v1", "one");
    registerApp("rev-app", REGISTRY + "/hello-app:v2", "two");

    RegisteredTaskDefinition state = registrar().register(request(null, null, "rev-app:1", null, NEW_IMAGE));

    assertEquals(3, state.revision());
    ContainerDefinition app = describe(state.taskDefinitionArn()).taskDefinition().containerDefinitions().get(1);
    assertEquals("one", app.environment().get(0).value(), "the content of revision 1, not the newest");
    assertEquals(NEW_IMAGE, app.image());
  }

  @Test
  void fromAFileInRegisterShapeThenReuseDespiteEcsDefaults() throws IOException {
    Path file = dir.resolve("task-definition.json");
    Files.writeString(file, """
        {
          "family": "file-app",
          "networkMode": "awsvpc",
          "requiresCompatibilities": ["FARGATE"],
          "cpu": "512",
          "memory": "1024",
          "containerDefinitions": [
            {"name": "app", "image": "placeholder", "portMappings": [{"containerPort": 8080}]}
          ],
          "tags": [{"key": "source", "value": "file"}]
        }
        """);

    RegisteredTaskDefinition state = registrar().register(request(null, null, null, file, NEW_IMAGE));

    assertEquals(1, state.revision());
    DescribeTaskDefinitionResponse registered = describe(state.taskDefinitionArn());
    assertEquals(NEW_IMAGE, registered.taskDefinition().containerDefinitions().get(0).image());
    assertEquals(List.of(Tag.builder().key("source").value("file").build()), registered.tags());

    RegisteredTaskDefinition again = registrar().register(request(null, null, null, file, NEW_IMAGE));
    assertTrue(again.reused(), "ECS filled in essential, cpu, hostPort, protocol; still the same definition");
    assertEquals(1, again.revision());
  }

  @Test
  void fromAFileHoldingDescribeOutputWithEveryReadOnlyMember() throws IOException {
    String arn = registerApp("copied-app", REGISTRY + "/hello-app:v1", "copied");
    Path file = dir.resolve("described.json");
    DescribeTaskDefinitionResponse response = describe(arn);
    String described = new TaskDefinitionDocument(response.taskDefinition(), response.tags()).toJson()
        .replace("copied-app", "pasted-app");
    assertTrue(described.contains("\"registeredAt\"") && described.contains("\"requiresAttributes\""), described);
    Files.writeString(file, described);

    RegisteredTaskDefinition state = registrar().register(request(null, null, null, file, NEW_IMAGE));

    assertEquals("pasted-app", state.family());
    assertEquals(List.of(TEAM), describe(state.taskDefinitionArn()).tags());
  }

  @Test
  void unknownClusterServiceAndFamilyAreUserErrorsNamingRegion() {
    ecs.createCluster(r -> r.clusterName("errors"));
    UserInputException cluster = assertThrows(UserInputException.class,
        () -> registrar().register(request("no-such-cluster", "web", null, null, NEW_IMAGE)));
    assertEquals(Param.CLUSTER, cluster.param().orElseThrow());
    assertTrue(cluster.getMessage().startsWith("Cluster 'no-such-cluster' was not found (region " + region() + ";"),
        cluster.getMessage());

    UserInputException service = assertThrows(UserInputException.class,
        () -> registrar().register(request("errors", "no-such-service", null, null, NEW_IMAGE)));
    assertEquals(Param.SERVICE, service.param().orElseThrow());
    assertTrue(service.getMessage().startsWith("Service 'no-such-service' was not found in cluster 'errors' (region "
        + region() + ") (MISSING)"), service.getMessage());

    UserInputException family = assertThrows(UserInputException.class,
        () -> registrar().register(request(null, null, "no-such-family:4", null, NEW_IMAGE)));
    assertEquals(Param.TASK_DEFINITION, family.param().orElseThrow());
    assertTrue(family.getMessage().contains("Task definition no-such-family:4 not found (region " + region()
        + "): Unable to describe task definition."), family.getMessage());
  }

  @Test
  void containerErrorsAndMissingImage() {
    registerApp("ambiguous-app", "nginx:1", "x");
    UserInputException none = assertThrows(UserInputException.class,
        () -> registrar().register(request(null, null, "ambiguous-app", null, NEW_IMAGE)));
    assertEquals(Param.CONTAINER, none.param().orElseThrow());
    assertTrue(none.getMessage().contains("(log_router, app) and none runs an image from " + REGISTRY
        + "/hello-app"), none.getMessage());

    UserInputException wrong = assertThrows(UserInputException.class, () -> registrar().register(
        new TaskDefinitionRegistrar.Request(region(), null, null, "ambiguous-app", null, "ap", NEW_IMAGE, null,
            null, null)));
    assertTrue(wrong.getMessage().contains("no container named 'ap'; its containers are: log_router, app"),
        wrong.getMessage());

    UserInputException noImage = assertThrows(UserInputException.class,
        () -> registrar().register(request(null, null, "ambiguous-app", null, null)));
    assertEquals(Param.IMAGE, noImage.param().orElseThrow());
    assertEquals(1, ecs.listTaskDefinitions(r -> r.familyPrefix("ambiguous-app")).taskDefinitionArns().size());
  }

  @Test
  void ecsRefusingTheRequestFromAFileIsAUserErrorNamingTheFile() throws IOException {
    Path file = dir.resolve("bad.json");
    Files.writeString(file, """
        {"family": "bad-app", "requiresCompatibilities": ["FARGATE"], "networkMode": "bridge", "cpu": "256",
         "memory": "512", "containerDefinitions": [{"name": "app", "image": "x"}]}""");
    UserInputException e = assertThrows(UserInputException.class,
        () -> registrar().register(request(null, null, null, file, NEW_IMAGE)));
    assertEquals(Param.TASK_DEFINITION_FILE, e.param().orElseThrow());
    assertTrue(e.getMessage().startsWith("ECS refused to register task definition bad-app (region " + region()
        + "): Fargate only supports network mode"), e.getMessage());
  }
}
