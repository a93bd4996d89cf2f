package io.github.ecsdeploy.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ecsdeploy.state.ImageState;
import io.github.ecsdeploy.state.StateFiles;
import io.github.ecsdeploy.testing.InMemoryEcs;
import io.github.ecsdeploy.testing.RecordingDeployLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.ecs.model.ClientException;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionStatus;

class TaskDefinitionRegistrarTest {

  static final String REGISTRY = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";
  static final String NEW_IMAGE = REGISTRY + "/hello-app:v1.4.0@sha256:4e07408562bedb8b60ce05c1decfe3ad16b72230967de01f640b7e4729b49fce";
  static final List<Tag> TAGS = List.of(tag("team", "payments"), tag("env", "prod"));

  final InMemoryEcs ecs = new InMemoryEcs();
  final RecordingDeployLog log = new RecordingDeployLog();
  final TaskDefinitionRegistrar registrar = new TaskDefinitionRegistrar(ecs, log);
  @TempDir Path dir;

  static ClientException clientException(String message) {
    return (ClientException) ClientException.builder().message(message).statusCode(400)
        .awsErrorDetails(AwsErrorDetails.builder().errorCode("ClientException").errorMessage(message).build()).build();
  }

  static Tag tag(String key, String value) {
    return Tag.builder().key(key).value(value).build();
  }

  static TaskDefinition helloApp(String appImage) {
    return TaskDefinition.builder()
        .family("hello-app")
        .cpu("512")
        .memory("1024")
        .networkMode("awsvpc")
        .requiresCompatibilitiesWithStrings("FARGATE")
        .containerDefinitions(
            ContainerDefinition.builder().name("log_router").image("public.ecr.aws/aws-for-fluent-bit:stable").build(),
            ContainerDefinition.builder().name("app").image(appImage).essential(true).environment(List.of()).build())
        .build();
  }

  static TaskDefinitionRegistrar.Request fromService(String image) {
    return new TaskDefinitionRegistrar.Request("eu-west-1", "prod", "hello", null, null, null, image, null,
        REGISTRY, "hello-app");
  }

  @BeforeEach
  void sixRevisionsTheLastOneLive() {
    for (int i = 1; i <= 6; i++) {
      ecs.add(helloApp(REGISTRY + "/hello-app:v1.3." + i), i < 3 ? TaskDefinitionStatus.INACTIVE
          : TaskDefinitionStatus.ACTIVE, TAGS);
    }
    ecs.addService("prod", "hello", InMemoryEcs.arn("hello-app", 6));
  }

  @Test
  void theMissingImageMessageNamesTheFilePushImageWrites() {
    // core may not import state, so it spells the path out; this keeps the two the same
    assertEquals(StateFiles.DEFAULT_DIRECTORY + "/" + ImageState.FILE, TaskDefinitionRegistrar.PUSHED_IMAGE_FILE);
  }

  @Test
  void registersTheServicesCurrentRevisionWithTheNewImageInOurContainerAndKeepsTheTags() {
    RegisteredTaskDefinition state = registrar.register(fromService(NEW_IMAGE));

    assertEquals(new RegisteredTaskDefinition(InMemoryEcs.arn("hello-app", 7), "hello-app", 7, "app", NEW_IMAGE, false), state);
    RegisterTaskDefinitionRequest sent = ecs.registered.get(0);
    assertEquals(NEW_IMAGE, sent.containerDefinitions().get(1).image());
    assertEquals("public.ecr.aws/aws-for-fluent-bit:stable", sent.containerDefinitions().get(0).image());
    assertEquals(TAGS, sent.tags());
    assertEquals("512", sent.cpu());
    assertEquals(List.of("DescribeServices", "DescribeTaskDefinition " + InMemoryEcs.arn("hello-app", 6),
        "DescribeTaskDefinition hello-app", "RegisterTaskDefinition hello-app"), ecs.calls);
    assertTrue(log.infos().contains("Registered task definition hello-app:7 (container app, image " + NEW_IMAGE + ")"),
        log.lines.toString());
  }

  @Test
  void reRunReusesTheIdenticalNewestRevisionInsteadOfRegisteringADuplicate() {
    registrar.register(fromService(NEW_IMAGE));
    ecs.calls.clear();

    RegisteredTaskDefinition again = registrar.register(
        new TaskDefinitionRegistrar.Request("eu-west-1", null, null, "hello-app:6", null, null, NEW_IMAGE, null,
            REGISTRY, "hello-app"));

    assertEquals(new RegisteredTaskDefinition(InMemoryEcs.arn("hello-app", 7), "hello-app", 7, "app", NEW_IMAGE, true), again);
    assertEquals(1, ecs.registered.size());
    assertTrue(log.infos().stream().anyMatch(l -> l.startsWith("Reusing task definition hello-app:7 (container app")),
        log.lines.toString());
  }

  @Test
  void differentTagsAreNotReused() {
    registrar.register(fromService(NEW_IMAGE));
    ecs.tags.put(InMemoryEcs.arn("hello-app", 7), List.of(tag("team", "payments")));

    RegisteredTaskDefinition again = registrar.register(fromService(NEW_IMAGE));

    assertFalse(again.reused());
    assertEquals(8, again.revision());
  }

  @Test
  void debugOutputHidesEnvironmentValuesAndAnUnpinnedImageIsAWarning() {
    ecs.add(helloApp(REGISTRY + "/hello-app:v1").toBuilder().containerDefinitions(ContainerDefinition.builder()
        .name("app").image("x").environment(e -> e.name("DB_PASSWORD").value("hunter2")).build()).build(),
        TaskDefinitionStatus.ACTIVE, List.of());

    registrar.register(new TaskDefinitionRegistrar.Request("eu-west-1", null, null, "hello-app:7", null, null,
        REGISTRY + "/hello-app:v1.4.0", null, null, null));

    assertFalse(log.lines.stream().anyMatch(l -> l.contains("hunter2")), log.lines.toString());
    assertTrue(log.lines.stream().anyMatch(l -> l.startsWith("DEBUG") && l.contains("DB_PASSWORD")));
    assertEquals("hunter2", ecs.registered.get(0).containerDefinitions().get(0).environment().get(0).value());
    assertTrue(log.lines.contains("WARN Image " + REGISTRY + "/hello-app:v1.4.0 is not pinned to a digest: tasks"
        + " started later run whatever the tag points to then. Give <image> / -Decs.image as"
        + " name:tag@sha256:<digest> to pin it."), log.lines.toString());
  }

  @Test
  void tagOrderAndEmptyListsDoNotMakeRequestsDifferent() {
    RegisterTaskDefinitionRequest a = RegisterTaskDefinitionRequest.builder().family("f").volumes(List.of())
        .tags(tag("a", "1"), tag("b", "2")).build();
    RegisterTaskDefinitionRequest b = RegisterTaskDefinitionRequest.builder().family("f")
        .tags(tag("b", "2"), tag("a", "1")).build();
    RegisterTaskDefinitionRequest c = b.toBuilder().cpu("256").build();
    assertEquals(TaskDefinitionRegistrar.comparable(a), TaskDefinitionRegistrar.comparable(b));
    assertFalse(TaskDefinitionRegistrar.comparable(a).equals(TaskDefinitionRegistrar.comparable(c)));
  }

  @Test
  void ecsContainerDefaultsDoNotMakeRequestsDifferentButOtherValuesDo() {
    ContainerDefinition sent = ContainerDefinition.builder().name("app").image("i")
        .portMappings(p -> p.containerPort(8080)).build();
    ContainerDefinition described = sent.toBuilder().essential(true).cpu(0)
        .portMappings(p -> p.containerPort(8080).hostPort(8080).protocol("tcp")).environment(List.of()).build();
    RegisterTaskDefinitionRequest a = RegisterTaskDefinitionRequest.builder().family("f").networkMode("awsvpc")
        .containerDefinitions(sent).build();
    RegisterTaskDefinitionRequest b = a.toBuilder().containerDefinitions(described).build();
    assertEquals(TaskDefinitionRegistrar.comparable(a), TaskDefinitionRegistrar.comparable(b));

    for (ContainerDefinition different : List.of(described.toBuilder().essential(false).build(),
        described.toBuilder().cpu(128).build(),
        described.toBuilder().portMappings(p -> p.containerPort(8080).hostPort(8080).protocol("udp")).build())) {
      RegisterTaskDefinitionRequest c = a.toBuilder().containerDefinitions(different).build();
      assertFalse(TaskDefinitionRegistrar.comparable(a).equals(TaskDefinitionRegistrar.comparable(c)), different.toString());
    }
    RegisterTaskDefinitionRequest bridge = a.toBuilder().networkMode("bridge").build();
    RegisterTaskDefinitionRequest bridgeDescribed = b.toBuilder().networkMode("bridge").build();
    assertFalse(TaskDefinitionRegistrar.comparable(bridge).equals(TaskDefinitionRegistrar.comparable(bridgeDescribed)),
        "in bridge mode an absent hostPort means a dynamic port, not the container port");
  }

  @Test
  void fromAnOlderFamilyRevision() {
    RegisteredTaskDefinition state = registrar.register(new TaskDefinitionRegistrar.Request("eu-west-1", null, null,
        "hello-app:4", null, "app", NEW_IMAGE, null, null, null));
    assertEquals(7, state.revision());
    assertEquals("DescribeTaskDefinition hello-app:4", ecs.calls.get(0));
    assertTrue(log.infos().contains("Using task definition hello-app:4 as the template"), log.lines.toString());
  }

  @Test
  void fromAFileWithItsOwnTagsAndThePushedImage() throws IOException {
    Path file = dir.resolve("td.json");
    Files.writeString(file, """
        {"family": "worker", "containerDefinitions": [{"name": "w", "image": "old"}],
         "tags": [{"key": "k", "value": "v"}]}""");
    PushedImage pushed = new PushedImage(REGISTRY + "/worker:v2@sha256:ab", false);

    RegisteredTaskDefinition state = registrar.register(new TaskDefinitionRegistrar.Request("eu-west-1", null, null, null,
        file, null, null, pushed, REGISTRY, "worker"));

    assertEquals(new RegisteredTaskDefinition(InMemoryEcs.arn("worker", 1), "worker", 1, "w", REGISTRY + "/worker:v2@sha256:ab",
        false), state);
    assertEquals(List.of(tag("k", "v")), ecs.registered.get(0).tags());
    assertFalse(ecs.calls.contains("DescribeServices"));
  }

  @Test
  void fileWithAnUnknownMemberNamesThePathAndTheParameter() throws IOException {
    Path file = dir.resolve("td.json");
    Files.writeString(file, "{\"family\": \"w\", \"containerDefinitions\": [{\"name\": \"w\"}, {\"imagee\": \"x\"}]}");
    UserInputException e = assertThrows(UserInputException.class, () -> registrar.register(
        new TaskDefinitionRegistrar.Request("eu-west-1", null, null, null, file, null, NEW_IMAGE, null, null, null)));
    assertEquals(Param.TASK_DEFINITION_FILE, e.param().orElseThrow());
    assertTrue(e.getMessage().contains("containerDefinitions[1].imagee: unknown field"), e.getMessage());
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    assertTrue(ecs.calls.isEmpty());
  }

  @Test
  void missingFileIsAUserError() {
    UserInputException e = assertThrows(UserInputException.class, () -> registrar.register(
        new TaskDefinitionRegistrar.Request("eu-west-1", null, null, null, dir.resolve("nope.json"), null, NEW_IMAGE,
            null, null, null)));
    assertEquals(Param.TASK_DEFINITION_FILE, e.param().orElseThrow());
    assertTrue(e.getMessage().contains("nope.json"), e.getMessage());
  }

  @Test
  void noImageSaysWhichGoalOrPropertyProvidesIt() {
    UserInputException e = assertThrows(UserInputException.class, () -> registrar.register(fromService(null)));
    assertEquals(Param.IMAGE, e.param().orElseThrow());
    assertTrue(e.getMessage().contains("push-image"), e.getMessage());
    assertTrue(e.getMessage().contains("target/ecs-deploy/image.json"), e.getMessage());
    assertTrue(e.getMessage().contains("<image> / -Decs.image"), e.getMessage());
    assertTrue(ecs.calls.isEmpty(), "fails before calling AWS");
  }

  @Test
  void anUnknownClusterOrServiceNamesWhichOneAndTheParameterToFix() {
    UserInputException cluster = assertThrows(UserInputException.class, () -> registrar.register(
        new TaskDefinitionRegistrar.Request("eu-west-1", "prdo", "hello", null, null, null, NEW_IMAGE, null, null,
            null)));
    UserInputException service = assertThrows(UserInputException.class, () -> registrar.register(
        new TaskDefinitionRegistrar.Request("eu-west-1", "prod", "helo", null, null, null, NEW_IMAGE, null, null,
            null)));

    assertEquals(Param.CLUSTER, cluster.param().orElseThrow());
    assertTrue(cluster.getMessage().startsWith("Cluster 'prdo' was not found (region not known; looking up service"
        + " 'hello')"), cluster.getMessage());
    assertEquals(Param.SERVICE, service.param().orElseThrow());
    assertTrue(service.getMessage().startsWith("Service 'helo' was not found in cluster 'prod' (region not known)"),
        service.getMessage());
    assertTrue(service.getMessage().contains("<service> / -Decs.service"), service.getMessage());
  }

  @Test
  void aServiceBeingDeletedIsNoTemplate() {
    // DeleteService leaves the service DRAINING while its tasks stop, then INACTIVE; DescribeServices still
    // returns it. Its task definition is no longer what runs, and update-service could not deploy to it.
    for (String status : List.of("DRAINING", "INACTIVE")) {
      ecs.putService("prod", ecs.service("prod", "hello").toBuilder().status(status).build());
      ecs.calls.clear();

      UserInputException e = assertThrows(UserInputException.class, () -> registrar.register(fromService(NEW_IMAGE)));

      assertEquals(Param.SERVICE, e.param().orElseThrow());
      assertTrue(e.getMessage().startsWith("Service 'hello' in cluster 'prod' (region not known) is " + status + ": "
          + (status.equals("DRAINING") ? "it is being deleted" : "it was deleted")), e.getMessage());
      assertTrue(e.getMessage().endsWith("Nothing was changed."), e.getMessage());
      assertEquals(List.of("DescribeServices"), ecs.calls, "no template described, nothing registered");
    }
  }

  @Test
  void aRefusedRegistrationFromAFilePointsAtTheFile() throws IOException {
    // ECS validates the definition when it is registered (e.g. a memory value Fargate does not offer); only a
    // file is the user's to fix, a template taken from AWS is not.
    ecs.failures.put("RegisterTaskDefinition", clientException("Invalid 'memory' setting for container 'w'"));
    Path file = dir.resolve("td.json");
    Files.writeString(file, "{\"family\": \"worker\", \"containerDefinitions\": [{\"name\": \"w\", \"image\": \"x\"}]}");

    UserInputException fromFile = assertThrows(UserInputException.class, () -> registrar.register(
        new TaskDefinitionRegistrar.Request("eu-west-1", null, null, null, file, null, NEW_IMAGE, null, null, null)));
    assertEquals(Param.TASK_DEFINITION_FILE, fromFile.param().orElseThrow());
    assertEquals("ECS refused to register task definition worker (region eu-west-1): Invalid 'memory' setting for"
        + " container 'w'. Fix <taskDefinitionFile> / -Decs.taskDefinitionFile.", fromFile.getMessage());

    UserInputException fromService = assertThrows(UserInputException.class,
        () -> registrar.register(fromService(NEW_IMAGE)));
    assertTrue(fromService.param().isEmpty(), "no parameter of ours made the service's own definition");
    assertTrue(fromService.getMessage().endsWith("Invalid 'memory' setting for container 'w'."),
        fromService.getMessage());
  }

  @Test
  void anAwsMessageWithoutTextIsStillAMessage() {
    ecs.failures.put("DescribeTaskDefinition", (ClientException) ClientException.builder().statusCode(400).build());

    UserInputException e = assertThrows(UserInputException.class, () -> registrar.register(
        new TaskDefinitionRegistrar.Request("eu-west-1", null, null, "hello-app:3", null, null, NEW_IMAGE, null,
            null, null)));

    assertTrue(e.getMessage().startsWith("Task definition hello-app:3 not found (region eu-west-1): no message."),
        e.getMessage());
  }

  @Test
  void anEmptyClusterMeansTheDefaultClusterAndAnUnknownRegionIsSaid() {
    ecs.addService("default", "hello", InMemoryEcs.arn("hello-app", 5));

    RegisteredTaskDefinition state = registrar.register(new TaskDefinitionRegistrar.Request(null, " ", "hello", null,
        null, null, NEW_IMAGE, null, REGISTRY, "hello-app"));

    assertEquals(7, state.revision());
    assertTrue(log.infos().contains("Using task definition hello-app:5 that service hello runs now in cluster"
        + " default as the template"), log.lines.toString());
    UserInputException e = assertThrows(UserInputException.class, () -> registrar.register(
        new TaskDefinitionRegistrar.Request(null, null, "nope", null, null, null, NEW_IMAGE, null, null, null)));
    assertTrue(e.getMessage().startsWith("Service 'nope' was not found in cluster 'default' (region not known) (MISSING)"),
        e.getMessage());
  }

  @Test
  void whyARevisionIsNotReusedIsInTheDebugLog() throws IOException {
    Path file = dir.resolve("td.json");
    Files.writeString(file, "{\"family\": \"worker\", \"containerDefinitions\": [{\"name\": \"w\", \"image\": \"x\"}]}");
    TaskDefinitionRegistrar.Request fromFile = new TaskDefinitionRegistrar.Request("eu-west-1", null, null, null,
        file, null, NEW_IMAGE, null, null, null);

    registrar.register(fromFile);
    assertTrue(log.infos().contains("Using task definition worker from " + file + " as the template"),
        log.lines.toString());
    assertTrue(log.debugs().contains("No ACTIVE revision of worker to reuse: Unable to describe task definition"),
        log.lines.toString());

    registrar.register(new TaskDefinitionRegistrar.Request("eu-west-1", null, null, null, file, null,
        REGISTRY + "/hello-app:v9@sha256:00", null, null, null));
    assertTrue(log.debugs().contains("The newest ACTIVE revision worker:1 differs from the request; registering a"
        + " new one"), log.lines.toString());
  }

  @Test
  void unknownFamilyNamesWhatWasLookedUp() {
    UserInputException e = assertThrows(UserInputException.class, () -> registrar.register(
        new TaskDefinitionRegistrar.Request("eu-west-1", null, null, "hello-ap:3", null, null, NEW_IMAGE, null,
            null, null)));
    assertEquals(Param.TASK_DEFINITION, e.param().orElseThrow());
    assertTrue(e.getMessage().contains("Task definition hello-ap:3 not found (region eu-west-1): Unable to describe"
        + " task definition. Check <taskDefinition> / -Decs.taskDefinition: a family, family:revision or ARN."),
        e.getMessage());
    assertTrue(e.getMessage().contains("<taskDefinition> / -Decs.taskDefinition"), e.getMessage());
  }

  @Test
  void ambiguousContainerListsTheNames() {
    UserInputException e = assertThrows(UserInputException.class, () -> registrar.register(
        new TaskDefinitionRegistrar.Request("eu-west-1", "prod", "hello", null, null, null, NEW_IMAGE, null, REGISTRY,
            "other-repo")));
    assertEquals(Param.CONTAINER, e.param().orElseThrow());
    assertTrue(e.getMessage().contains("log_router, app"), e.getMessage());
    assertTrue(ecs.registered.isEmpty());
  }

  @Test
  void noSourceAtAllAsksForTheService() {
    UserInputException e = assertThrows(UserInputException.class, () -> registrar.register(
        new TaskDefinitionRegistrar.Request("eu-west-1", "prod", null, null, null, null, NEW_IMAGE, null, null,
            null)));
    assertEquals(Param.SERVICE, e.param().orElseThrow());
    assertTrue(e.getMessage().contains("-Decs.taskDefinitionFile"), e.getMessage());
  }

  @Test
  void fileAndTaskDefinitionTogetherAreRefused() {
    UserInputException e = assertThrows(UserInputException.class, () -> registrar.register(
        new TaskDefinitionRegistrar.Request("eu-west-1", null, null, "hello-app", dir.resolve("x.json"), null,
            NEW_IMAGE, null, null, null)));
    assertTrue(e.getMessage().contains("set only one"), e.getMessage());
  }
}
