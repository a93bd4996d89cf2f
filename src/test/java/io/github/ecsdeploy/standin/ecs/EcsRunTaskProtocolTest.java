package io.github.ecsdeploy.standin.ecs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ecsdeploy.standin.AwsStandIn;
import io.github.ecsdeploy.standin.StandInClients;
import io.github.ecsdeploy.standin.StandInExtension;
import io.github.ecsdeploy.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.GetLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.OutputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ClientException;
import software.amazon.awssdk.services.ecs.model.Compatibility;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.InvalidParameterException;
import software.amazon.awssdk.services.ecs.model.LaunchType;
import software.amazon.awssdk.services.ecs.model.LogConfiguration;
import software.amazon.awssdk.services.ecs.model.LogDriver;
import software.amazon.awssdk.services.ecs.model.NetworkMode;
import software.amazon.awssdk.services.ecs.model.RunTaskResponse;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskStopCode;

/**
 * The real SDK's ECS and CloudWatch Logs clients against the stand-in: RunTask of standalone tasks, their
 * lifecycle and exit codes in DescribeTasks, and their awslogs output through GetLogEvents, with a manual clock.
 */
class EcsRunTaskProtocolTest {

  private static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-11-30T10:00:00Z"));

  @RegisterExtension
  static final StandInExtension STAND_IN = new StandInExtension(AwsStandIn.Options.defaults().withClock(CLOCK));

  private static EcsClient ecs;
  private static CloudWatchLogsClient logs;

  @BeforeAll
  static void start() {
    ecs = StandInClients.ecs(STAND_IN.get());
    logs = StandInClients.logs(STAND_IN.get());
    ecs.createCluster(r -> r.clusterName("jobs"));
  }

  @AfterAll
  static void close() {
    ecs.close();
    logs.close();
  }

  private static String registerFargate(String family, boolean createGroup) {
    Map<String, String> options = createGroup
        ? Map.of("awslogs-group", "/ecs/" + family, "awslogs-stream-prefix", "ecs", "awslogs-region", "us-east-1",
            "awslogs-create-group", "true")
        : Map.of("awslogs-group", "/ecs/" + family, "awslogs-stream-prefix", "ecs", "awslogs-region", "us-east-1");
    return ecs.registerTaskDefinition(r -> r.family(family)
            .networkMode(NetworkMode.AWSVPC)
            .requiresCompatibilities(Compatibility.FARGATE)
            .cpu("256")
            .memory("512")
            .containerDefinitions(ContainerDefinition.builder().name("app").image("repo/app:v1").essential(true)
                .logConfiguration(LogConfiguration.builder().logDriver(LogDriver.AWSLOGS).options(options).build())
                .build()))
        .taskDefinition().taskDefinitionArn();
  }

  private static RunTaskResponse run(String taskDefinition, String... command) {
    return ecs.runTask(r -> r.cluster("jobs")
        .taskDefinition(taskDefinition)
        .launchType(LaunchType.FARGATE)
        .networkConfiguration(n -> n.awsvpcConfiguration(v -> v.subnets("subnet-1").securityGroups("sg-1")))
        .startedBy("ecs-deploy/migrate")
        .overrides(o -> o.containerOverrides(c -> c.name("app").command(command))));
  }

  private static Task describe(String taskArn) {
    List<Task> tasks = ecs.describeTasks(r -> r.cluster("jobs").tasks(taskArn)).tasks();
    assertEquals(1, tasks.size(), "one task for " + taskArn);
    return tasks.get(0);
  }

  @Test
  void aTaskGoesThroughItsLifecycleAndReportsItsExitCodeAndOutput() {
    String arn = registerFargate("migrate-ok", true);
    STAND_IN.get().ecs().standaloneTasks().setOutcome("migrate-ok",
        StandaloneTaskOutcome.exits(3, Duration.ofSeconds(4)).printing("Migrating schema", "Applied V2__add_index"));

    RunTaskResponse started = run("migrate-ok", "flyway", "migrate");

    assertTrue(started.failures().isEmpty(), started.failures().toString());
    Task task = started.tasks().get(0);
    assertEquals("PROVISIONING", task.lastStatus());
    assertEquals("RUNNING", task.desiredStatus());
    assertEquals(arn, task.taskDefinitionArn());
    assertEquals("ecs-deploy/migrate", task.startedBy());
    assertEquals(LaunchType.FARGATE, task.launchType());
    assertEquals("family:migrate-ok", task.group());
    assertEquals(List.of("flyway", "migrate"), task.overrides().containerOverrides().get(0).command());
    assertTrue(task.taskArn().startsWith("arn:aws:ecs:us-east-1:123456789012:task/jobs/"), task.taskArn());
    String taskId = task.taskArn().substring(task.taskArn().lastIndexOf('/') + 1);
    String stream = "ecs/app/" + taskId;

    // Before the container starts, its log stream does not exist.
    ResourceNotFoundException early = assertThrows(ResourceNotFoundException.class,
        () -> logs.getLogEvents(r -> r.logGroupName("/ecs/migrate-ok").logStreamName(stream).startFromHead(true)));
    assertTrue(early.getMessage().contains("The specified log stream does not exist."), early.getMessage());

    CLOCK.advance(Duration.ofMillis(500));
    assertEquals("PENDING", describe(task.taskArn()).lastStatus());
    CLOCK.advance(Duration.ofMillis(500));
    Task running = describe(task.taskArn());
    assertEquals("RUNNING", running.lastStatus());
    assertTrue(running.startedAt() != null);
    assertNull(running.containers().get(0).exitCode());

    // The first line is there; the second comes halfway through the run.
    GetLogEventsResponse first =
        logs.getLogEvents(r -> r.logGroupName("/ecs/migrate-ok").logStreamName(stream).startFromHead(true));
    assertEquals(List.of("Migrating schema"), first.events().stream().map(OutputLogEvent::message).toList());
    GetLogEventsResponse nothingNew = logs.getLogEvents(r -> r.logGroupName("/ecs/migrate-ok")
        .logStreamName(stream).startFromHead(true).nextToken(first.nextForwardToken()));
    assertTrue(nothingNew.events().isEmpty());
    assertEquals(first.nextForwardToken(), nothingNew.nextForwardToken(), "the end of the stream: the same token");
    CLOCK.advance(Duration.ofSeconds(2));
    GetLogEventsResponse second = logs.getLogEvents(r -> r.logGroupName("/ecs/migrate-ok").logStreamName(stream)
        .startFromHead(true).nextToken(nothingNew.nextForwardToken()));
    assertEquals(List.of("Applied V2__add_index"), second.events().stream().map(OutputLogEvent::message).toList());

    CLOCK.advance(Duration.ofSeconds(2));
    Task exited = describe(task.taskArn());
    assertEquals("DEACTIVATING", exited.lastStatus());
    assertEquals("STOPPED", exited.desiredStatus());
    assertEquals(3, exited.containers().get(0).exitCode());
    assertEquals(TaskStopCode.ESSENTIAL_CONTAINER_EXITED, exited.stopCode());

    CLOCK.advance(Duration.ofSeconds(1));
    Task stopped = describe(task.taskArn());
    assertEquals("STOPPED", stopped.lastStatus());
    assertEquals("Essential container in task exited", stopped.stoppedReason());
    assertEquals(3, stopped.containers().get(0).exitCode());
    assertTrue(stopped.stoppedAt() != null);
  }

  @Test
  void aTaskCanRunForEver() {
    registerFargate("migrate-hangs", true);
    STAND_IN.get().ecs().standaloneTasks().setOutcome("migrate-hangs", StandaloneTaskOutcome.runsForever());

    Task task = run("migrate-hangs").tasks().get(0);
    CLOCK.advance(Duration.ofHours(2));

    Task later = describe(task.taskArn());
    assertEquals("RUNNING", later.lastStatus());
    assertNull(later.stopCode());
    assertNull(later.containers().get(0).exitCode());
  }

  @Test
  void aMissingLogGroupStopsTheTaskBeforeItStarts() {
    registerFargate("migrate-nogroup", false);

    Task task = run("migrate-nogroup").tasks().get(0);
    CLOCK.advance(Duration.ofSeconds(3));

    Task stopped = describe(task.taskArn());
    assertEquals("STOPPED", stopped.lastStatus());
    assertEquals(TaskStopCode.TASK_FAILED_TO_START, stopped.stopCode());
    assertTrue(stopped.stoppedReason().startsWith("ResourceInitializationError"), stopped.stoppedReason());
    assertNull(stopped.containers().get(0).exitCode());
  }

  @Test
  void describeTasksAnswersServiceTasksAndStandaloneTasksTogetherAndMissingOnesAsFailures() {
    registerFargate("migrate-mixed", true);
    Task task = run("migrate-mixed").tasks().get(0);

    var answer = ecs.describeTasks(r -> r.cluster("jobs").tasks(task.taskArn(),
        "arn:aws:ecs:us-east-1:123456789012:task/jobs/0123456789abcdef0123456789abcdef"));

    assertEquals(List.of(task.taskArn()), answer.tasks().stream().map(Task::taskArn).toList());
    assertEquals(1, answer.failures().size());
    assertEquals("MISSING", answer.failures().get(0).reason());
    // Another cluster does not know the task.
    ecs.createCluster(r -> r.clusterName("other"));
    assertEquals(0, ecs.describeTasks(r -> r.cluster("other").tasks(task.taskArn())).tasks().size());
  }

  @Test
  void runTaskRefusesWhatEcsRefuses() {
    registerFargate("migrate-refused", true);

    InvalidParameterException noNetwork = assertThrows(InvalidParameterException.class,
        () -> ecs.runTask(r -> r.cluster("jobs").taskDefinition("migrate-refused").launchType(LaunchType.FARGATE)));
    assertTrue(noNetwork.getMessage().contains("Network Configuration must be provided"), noNetwork.getMessage());

    InvalidParameterException both = assertThrows(InvalidParameterException.class,
        () -> ecs.runTask(r -> r.cluster("jobs").taskDefinition("migrate-refused").launchType(LaunchType.FARGATE)
            .capacityProviderStrategy(s -> s.capacityProvider("FARGATE_SPOT").weight(1))
            .networkConfiguration(n -> n.awsvpcConfiguration(v -> v.subnets("subnet-1")))));
    assertTrue(both.getMessage().contains("launch type and capacity provider strategy"), both.getMessage());

    InvalidParameterException badOverride = assertThrows(InvalidParameterException.class,
        () -> ecs.runTask(r -> r.cluster("jobs").taskDefinition("migrate-refused").launchType(LaunchType.FARGATE)
            .networkConfiguration(n -> n.awsvpcConfiguration(v -> v.subnets("subnet-1")))
            .overrides(o -> o.containerOverrides(c -> c.name("web").command("true")))));
    assertTrue(badOverride.getMessage().contains("web"), badOverride.getMessage());

    ClientException missing = assertThrows(ClientException.class,
        () -> ecs.runTask(r -> r.cluster("jobs").taskDefinition("no-such-family")));
    assertTrue(missing.getMessage().contains("TaskDefinition not found"), missing.getMessage());

    assertThrows(software.amazon.awssdk.services.ecs.model.ClusterNotFoundException.class,
        () -> ecs.runTask(r -> r.cluster("nowhere").taskDefinition("migrate-refused")));
  }

  @Test
  void aCapacityProviderStrategyIsRecordedOnTheTask() {
    registerFargate("migrate-spot", true);

    Task task = ecs.runTask(r -> r.cluster("jobs").taskDefinition("migrate-spot")
            .capacityProviderStrategy(s -> s.capacityProvider("FARGATE_SPOT").weight(1))
            .networkConfiguration(n -> n.awsvpcConfiguration(v -> v.subnets("subnet-1"))))
        .tasks().get(0);

    assertEquals("FARGATE_SPOT", task.capacityProviderName());
    assertEquals(LaunchType.FARGATE, task.launchType());
  }

  @Test
  void getLogEventsWithoutStartFromHeadAnswersTheLatestEvents() {
    registerFargate("migrate-tail", true);
    STAND_IN.get().ecs().standaloneTasks().setOutcome("migrate-tail",
        StandaloneTaskOutcome.exits(0, Duration.ofSeconds(3)).printing("one", "two", "three"));
    Task task = run("migrate-tail").tasks().get(0);
    CLOCK.advance(Duration.ofSeconds(5));
    String stream = "ecs/app/" + task.taskArn().substring(task.taskArn().lastIndexOf('/') + 1);

    GetLogEventsResponse latest = logs.getLogEvents(r -> r.logGroupName("/ecs/migrate-tail").logStreamName(stream)
        .limit(2));

    assertEquals(List.of("two", "three"), latest.events().stream().map(OutputLogEvent::message).toList());
    ResourceNotFoundException noGroup = assertThrows(ResourceNotFoundException.class,
        () -> logs.getLogEvents(r -> r.logGroupName("/ecs/none").logStreamName(stream)));
    assertTrue(noGroup.getMessage().contains("The specified log group does not exist."), noGroup.getMessage());
  }
}
