package io.github.ecsdeploy.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.ecsdeploy.standin.AwsStandIn;
import io.github.ecsdeploy.standin.StandInClients;
import io.github.ecsdeploy.standin.StandInExtension;
import io.github.ecsdeploy.standin.ecs.EcsService;
import io.github.ecsdeploy.standin.ecs.StandaloneTaskOutcome;
import io.github.ecsdeploy.testing.MutableClock;
import io.github.ecsdeploy.testing.RecordingDeployLog;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.ecs.EcsClient;

/**
 * ecs:run-task's core against the stand-in over HTTP with the real ECS and CloudWatch Logs clients. The stand-in
 * and the watcher share one fake clock that moves only when the watcher sleeps.
 */
class OneOffTaskStandInTest {

  private static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-11-30T09:00:00Z"));

  @RegisterExtension
  static final StandInExtension STAND_IN = new StandInExtension(AwsStandIn.Options.defaults().withClock(CLOCK));

  private static EcsClient ecs;
  private static CloudWatchLogsClient logs;
  private static EcsService simulator;
  private final RecordingDeployLog log = new RecordingDeployLog();

  @BeforeAll
  static void start() {
    ecs = StandInClients.ecs(STAND_IN.get());
    logs = StandInClients.logs(STAND_IN.get());
    simulator = STAND_IN.get().ecs();
    simulator.handle("CreateCluster", "{\"clusterName\":\"prod\"}");
  }

  @AfterAll
  static void close() {
    ecs.close();
    logs.close();
  }

  /** A Fargate family logging with awslogs, and a service running it in prod. Returns the revision ARN. */
  private static String fargateService(String family, String service, String launch) {
    String arn = simulator.handle("RegisterTaskDefinition", """
        {"family":"%s","networkMode":"awsvpc","requiresCompatibilities":["FARGATE"],"cpu":"256","memory":"512",
         "containerDefinitions":[{"name":"app","image":"repo/%s:v1","essential":true,
           "logConfiguration":{"logDriver":"awslogs","options":{"awslogs-group":"/ecs/%s",
             "awslogs-stream-prefix":"ecs","awslogs-region":"us-east-1","awslogs-create-group":"true"}}},
          {"name":"sidecar","image":"envoy:1","essential":false}]}"""
        .formatted(family, family, family)).at("/taskDefinition/taskDefinitionArn").asText();
    simulator.handle("CreateService", """
        {"cluster":"prod","serviceName":"%s","taskDefinition":"%s","desiredCount":1,%s
         "networkConfiguration":{"awsvpcConfiguration":{"subnets":["subnet-a","subnet-b"],
           "securityGroups":["sg-1"],"assignPublicIp":"DISABLED"}}}"""
        .formatted(service, arn, launch));
    return arn;
  }

  private OneOffTask oneOff() {
    return new OneOffTask(ecs, () -> {
      throw new AssertionError("run-task needs no ECR");
    }, () -> logs, log, CLOCK, CLOCK.sleeper());
  }

  private static OneOffTask.Request request(String service, RegisteredTaskDefinition registered, String migration,
      List<String> command, Duration timeout) {
    return new OneOffTask.Request("us-east-1", "prod", service, registered, migration, null, null, null, command,
        Duration.ofSeconds(1), timeout, false);
  }

  private static RegisteredTaskDefinition registered(String arn, String family) {
    return new RegisteredTaskDefinition(arn, family, 1, "app", "repo/" + family + ":v1", false);
  }

  private JsonNode lastRunTask() {
    List<JsonNode> requests = simulator.standaloneTasks().runTaskRequests();
    return requests.get(requests.size() - 1);
  }

  @Test
  void aMigrationThatExitsZeroSucceedsOnTheServicesNetworkWithItsOutputPrinted() {
    String arn = fargateService("mig-ok", "mig-ok-svc", "\"launchType\":\"FARGATE\",");
    simulator.standaloneTasks().setOutcome("mig-ok",
        StandaloneTaskOutcome.exits(0, Duration.ofSeconds(6)).printing("Migrating to V7", "Done: 3 migrations"));

    OneOffTask.Result result = oneOff().run(request("mig-ok-svc", registered(arn, "mig-ok"), null,
        List.of("flyway", "migrate"), Duration.ofMinutes(5))).orElseThrow();

    assertTrue(result.succeeded());
    JsonNode sent = lastRunTask();
    assertEquals(arn, sent.path("taskDefinition").asText());
    assertEquals("FARGATE", sent.path("launchType").asText());
    assertEquals("[\"subnet-a\",\"subnet-b\"]", sent.at("/networkConfiguration/awsvpcConfiguration/subnets").toString());
    assertEquals("DISABLED", sent.at("/networkConfiguration/awsvpcConfiguration/assignPublicIp").asText());
    assertEquals("[{\"name\":\"app\",\"command\":[\"flyway\",\"migrate\"]}]",
        sent.at("/overrides/containerOverrides").toString());
    assertEquals(OneOffTask.STARTED_BY, sent.path("startedBy").asText());
    List<String> infos = log.infos();
    assertTrue(infos.contains("[app] Migrating to V7"), infos.toString());
    assertTrue(infos.contains("[app] Done: 3 migrations"), infos.toString());
    assertTrue(infos.stream().anyMatch(l -> l.endsWith("RUNNING (1s)")), infos.toString());
    assertTrue(infos.stream().anyMatch(l -> l.contains("container app (essential): exit code 0")), infos.toString());
    assertEquals(1, infos.stream().filter(l -> l.equals("[app] Migrating to V7")).count(), "each line once");
  }

  @Test
  void anEssentialContainerExitingNonZeroFailsWithTheExitCodeAndTheLastLines() {
    String arn = fargateService("mig-bad", "mig-bad-svc", "\"launchType\":\"FARGATE\",");
    simulator.standaloneTasks().setOutcome("mig-bad",
        StandaloneTaskOutcome.exits(1, Duration.ofSeconds(2)).printing("Migrating", "ERROR: relation exists"));

    DeploymentFailedException failed = assertThrows(DeploymentFailedException.class, () -> oneOff()
        .run(request("mig-bad-svc", registered(arn, "mig-bad"), null, List.of(), Duration.ofMinutes(5))));

    assertTrue(failed.getMessage().contains("essential container app exited with 1"), failed.getMessage());
    assertTrue(failed.getMessage().contains("Essential container in task exited"), failed.getMessage());
    assertTrue(failed.getMessage().contains("nothing was deployed"), failed.getMessage());
    assertTrue(failed.getMessage().contains("ERROR: relation exists"), failed.getMessage());
    assertFalse(lastRunTask().has("overrides"), "no command given, no override sent");
  }

  @Test
  void aTaskThatNeverStopsFailsAtTheTimeoutAndIsLeftRunning() {
    String arn = fargateService("mig-hang", "mig-hang-svc", "\"launchType\":\"FARGATE\",");
    simulator.standaloneTasks().setOutcome("mig-hang", StandaloneTaskOutcome.runsForever().printing("Waiting for lock"));
    Instant before = CLOCK.instant();

    // Polls every 10 s: twelve looks, not 120 (each is two HTTP calls).
    DeploymentFailedException failed = assertThrows(DeploymentFailedException.class, () -> oneOff()
        .run(new OneOffTask.Request("us-east-1", "prod", "mig-hang-svc", registered(arn, "mig-hang"), null, null,
            null, null, List.of(), Duration.ofSeconds(10), Duration.ofMinutes(2), false)));

    assertTrue(failed.getMessage().contains("is still RUNNING after 2m"), failed.getMessage());
    assertTrue(failed.getMessage().contains("aws ecs stop-task --cluster prod --task arn:aws:ecs:"), failed.getMessage());
    assertTrue(failed.getMessage().contains("-Decs.runTask.timeout"), failed.getMessage());
    Duration waited = Duration.between(before, CLOCK.instant());
    assertTrue(waited.compareTo(Duration.ofMinutes(2)) >= 0 && waited.compareTo(Duration.ofMinutes(3)) < 0,
        "waited " + waited);
    assertTrue(log.infos().stream().anyMatch(l -> l.contains("still RUNNING after")), "progress while waiting");
  }

  @Test
  void aMigrationFamilyRunsItsNewestRevisionWithTheBuildsImageOnTheServicesCapacityProviders() {
    String arn = fargateService("web", "web-svc",
        "\"capacityProviderStrategy\":[{\"capacityProvider\":\"FARGATE_SPOT\",\"weight\":1}],");
    simulator.handle("RegisterTaskDefinition", """
        {"family":"web-migrate","networkMode":"awsvpc","requiresCompatibilities":["FARGATE"],"cpu":"256",
         "memory":"512","containerDefinitions":[{"name":"migrate","image":"repo/web:v0","command":["migrate"]}]}""");
    RegisteredTaskDefinition built = new RegisteredTaskDefinition(arn, "web", 1, "app", "repo/web:v2@sha256:" + "a".repeat(64),
        false);

    oneOff().run(request("web-svc", built, "web-migrate", List.of(), Duration.ofMinutes(5))).orElseThrow();

    JsonNode sent = lastRunTask();
    String ran = sent.path("taskDefinition").asText();
    assertTrue(ran.endsWith(":task-definition/web-migrate:2"), ran);
    assertEquals("repo/web:v2@sha256:" + "a".repeat(64), simulator.handle("DescribeTaskDefinition",
        "{\"taskDefinition\":\"web-migrate:2\"}").at("/taskDefinition/containerDefinitions/0/image").asText());
    assertEquals("FARGATE_SPOT", sent.at("/capacityProviderStrategy/0/capacityProvider").asText());
    assertFalse(sent.has("launchType"), "a strategy excludes the launch type");
    assertTrue(log.infos().stream().anyMatch(l -> l.contains("Not following the output of container migrate")),
        log.infos().toString());
  }

  @Test
  void aDryRunRunsNothing() {
    String arn = fargateService("mig-dry", "mig-dry-svc", "\"launchType\":\"FARGATE\",");
    int before = simulator.standaloneTasks().runTaskRequests().size();

    var result = oneOff().run(new OneOffTask.Request("us-east-1", "prod", "mig-dry-svc", registered(arn, "mig-dry"),
        null, null, null, null, List.of("true"), Duration.ofSeconds(1), Duration.ofMinutes(1), true));

    assertTrue(result.isEmpty());
    assertEquals(before, simulator.standaloneTasks().runTaskRequests().size());
    assertTrue(log.infos().stream().anyMatch(l -> l.startsWith("Dry run") && l.contains("Nothing was run.")),
        log.infos().toString());
  }

  @Test
  void aMissingServiceIsTheUsersMistakeNamingTheParameter() {
    UserInputException e = assertThrows(UserInputException.class, () -> oneOff()
        .run(request("no-such-svc", registered("arn:aws:ecs:us-east-1:123456789012:task-definition/x:1", "x"),
            null, List.of(), Duration.ofMinutes(1))));
    assertTrue(e.getMessage().contains("-Decs.service"), e.getMessage());
  }
}
