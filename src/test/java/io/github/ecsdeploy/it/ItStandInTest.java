package io.github.ecsdeploy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ecsdeploy.standin.AwsStandIn;
import io.github.ecsdeploy.standin.StandInExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The helper of the src/it hook scripts against an in-process stand-in: seeding a service, failing an image
 * through the HTTP test control (the circuit breaker then rolls the service back), reading the final state.
 */
class ItStandInTest {

  @RegisterExtension
  static final StandInExtension STAND_IN = new StandInExtension(AwsStandIn.Options.defaults().withTimeScale(0.01));

  @TempDir Path dir;

  @Test
  void connectsThroughTheEndpointFileAndSeedsASteadyService() throws Exception {
    Path file = dir.resolve("endpoint");
    Files.writeString(file, STAND_IN.get().endpoint() + "\n");
    try (ItStandIn aws = ItStandIn.connect(file.toString())) {
      String image = ItStandIn.image("unit-seed", "v1.0.0");
      String arn = aws.seedService("unit-seed", "unit-seed-svc", "app", image);

      assertEquals(ItStandIn.taskDefinitionArn("unit-seed", 1), arn);
      assertEquals(arn, aws.taskDefinitionOf("unit-seed", "unit-seed-svc"));
      assertEquals(image, aws.runningImage("unit-seed", "unit-seed-svc", "app"));
      assertEquals(2, aws.service("unit-seed", "unit-seed-svc").runningCount());
      assertTrue(aws.events("unit-seed", "unit-seed-svc").get(0).contains("has started 2 tasks"),
          aws.events("unit-seed", "unit-seed-svc").toString());
      assertTrue(STAND_IN.get().ecr().hasRepository("unit-seed"));
    }
  }

  @Test
  void deployRollsTheServiceToARevisionAndWaitsUntilItIsSteady() throws Exception {
    try (ItStandIn aws = ItStandIn.connect(STAND_IN.get().endpoint())) {
      aws.seedService("unit-deploy", "unit-deploy-svc", "app", ItStandIn.image("unit-deploy", "v1.0.0"));
      String next = aws.registerTaskDefinition("unit-deploy", "app", ItStandIn.image("unit-deploy", "v1.0.1"));

      var steady = aws.deploy("unit-deploy", "unit-deploy-svc", next);

      assertEquals(ItStandIn.taskDefinitionArn("unit-deploy", 2), steady.taskDefinition());
      assertEquals(1, steady.deployments().size());
      assertEquals(2, steady.runningCount());
      assertEquals(ItStandIn.image("unit-deploy", "v1.0.1"),
          aws.runningImage("unit-deploy", "unit-deploy-svc", "app"));
      aws.failImage(ItStandIn.image("unit-deploy", "v1.0.2"));
      String broken = aws.registerTaskDefinition("unit-deploy", "app", ItStandIn.image("unit-deploy", "v1.0.2"));
      IllegalStateException rolledBack = assertThrows(IllegalStateException.class,
          () -> aws.deploy("unit-deploy", "unit-deploy-svc", broken));
      assertTrue(rolledBack.getMessage().contains("settled on " + next), rolledBack.getMessage());
    }
  }

  @Test
  void putImageRecordsAnImageThatDescribeImagesShowsAndImmutabilityHolds() throws Exception {
    try (ItStandIn aws = ItStandIn.connect(STAND_IN.get().endpoint())) {
      aws.createRepository("unit-put");
      String digest = ItStandIn.digest("another build");
      aws.putImage("unit-put", "v1.0.0", digest);

      assertEquals(digest, aws.pushedDigest("unit-put", "v1.0.0"));
      assertEquals(java.util.Map.of(digest, List.of("v1.0.0")), aws.images("unit-put"));
      IllegalStateException refused = assertThrows(IllegalStateException.class,
          () -> aws.putImage("unit-put", "v1.0.0", ItStandIn.digest("a third build")));
      assertTrue(refused.getMessage().contains("400: ImageTagAlreadyExistsException"), refused.getMessage());
      IllegalStateException missing = assertThrows(IllegalStateException.class,
          () -> aws.putImage("unit-nope", "v1.0.0", digest));
      assertTrue(missing.getMessage().contains("RepositoryNotFoundException"), missing.getMessage());
    }
  }

  @Test
  void theRegistrySecretsAreWhatTheRegistryAccepts() {
    try (ItStandIn aws = ItStandIn.connect(STAND_IN.get().endpoint())) {
      List<String> secrets = aws.registrySecrets();
      assertEquals(STAND_IN.get().ecr().registryPassword(), secrets.get(0));
      assertEquals(java.util.Base64.getEncoder().encodeToString(("AWS:" + secrets.get(0)).getBytes()),
          secrets.get(1));
      assertEquals(STAND_IN.get().ecr().registryHost(), aws.registry());
    }
  }

  @Test
  void aFailedImageIsRolledBackByTheCircuitBreaker() throws Exception {
    try (ItStandIn aws = ItStandIn.connect(STAND_IN.get().endpoint())) {
      String good = aws.seedService("unit-fail", "unit-fail-svc", "app", ItStandIn.image("unit-fail", "v1.0.0"));
      String badImage = ItStandIn.image("unit-fail", "v1.0.1");
      aws.failImage(badImage);
      String bad = aws.registerTaskDefinition("unit-fail", "app", badImage);
      aws.ecs().updateService(b -> b.cluster("unit-fail").service("unit-fail-svc").taskDefinition(bad));

      aws.waitSteady("unit-fail", "unit-fail-svc");

      assertEquals(good, aws.taskDefinitionOf("unit-fail", "unit-fail-svc"));
      assertEquals(List.of(good, bad), aws.revisions("unit-fail"));
      List<String> events = aws.events("unit-fail", "unit-fail-svc");
      assertTrue(events.stream().anyMatch(e -> e.contains("deployment failed: tasks failed to start")), events.toString());
    }
  }

  @Test
  void clearedFailuresLetTheImageStart() throws Exception {
    try (ItStandIn aws = ItStandIn.connect(STAND_IN.get().endpoint())) {
      aws.seedService("unit-clear", "unit-clear-svc", "app", ItStandIn.image("unit-clear", "v1.0.0"));
      String image = ItStandIn.image("unit-clear", "v1.0.1");
      aws.failImage(image);
      aws.clearFailures();
      String next = aws.registerTaskDefinition("unit-clear", "app", image);
      aws.ecs().updateService(b -> b.cluster("unit-clear").service("unit-clear-svc").taskDefinition(next));

      aws.waitSteady("unit-clear", "unit-clear-svc");

      assertEquals(next, aws.taskDefinitionOf("unit-clear", "unit-clear-svc"));
    }
  }

  @Test
  void theControlEndpointRefusesUnknownControlsAndBadBodies() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    URI base = STAND_IN.get().endpoint().resolve(AwsStandIn.CONTROL_PATH);

    HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(base.resolve("ecs/explode"))
        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> noImage = http.send(HttpRequest.newBuilder(base.resolve("ecs/fail-image"))
        .POST(HttpRequest.BodyPublishers.ofString("{\"img\":\"x\"}")).build(), HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> get = http.send(HttpRequest.newBuilder(base.resolve("ecs/clear-failures")).GET().build(),
        HttpResponse.BodyHandlers.ofString());

    assertEquals(404, unknown.statusCode());
    assertTrue(unknown.body().contains("ecs/fail-image"), unknown.body());
    assertEquals(400, noImage.statusCode());
    assertEquals(405, get.statusCode());
  }

  @Test
  void imagesArePinnedToAStableWellFormedDigest() {
    String image = ItStandIn.image("its-profile", "v1.0.0");

    assertEquals(image, ItStandIn.image("its-profile", "v1.0.0"));
    assertTrue(image.matches(
        "123456789012\\.dkr\\.ecr\\.us-east-1\\.amazonaws\\.com/its-profile:v1\\.0\\.0@sha256:[0-9a-f]{64}"), image);
    assertNotEquals(image, ItStandIn.image("its-profile", "v1.0.1"));
  }

  @Test
  void aMissingServiceIsNamed() {
    try (ItStandIn aws = ItStandIn.connect(STAND_IN.get().endpoint())) {
      aws.createCluster("unit-missing");

      IllegalStateException e =
          assertThrows(IllegalStateException.class, () -> aws.service("unit-missing", "nope"));

      assertTrue(e.getMessage().contains("nope"), e.getMessage());
    }
  }

  @Test
  void seedServiceWithoutCircuitBreakerLeavesCrashingRolloutsToRun() throws Exception {
    try (ItStandIn aws = ItStandIn.connect(STAND_IN.get().endpoint())) {
      String arn = aws.seedService("unit-nocb", "unit-nocb-svc", "app", ItStandIn.image("unit-nocb", "v1.0.0"), false);

      assertEquals(ItStandIn.taskDefinitionArn("unit-nocb", 1), arn);
      var config = aws.service("unit-nocb", "unit-nocb-svc").deploymentConfiguration().deploymentCircuitBreaker();
      assertEquals(false, config.enable());
      assertEquals(false, config.rollback());
      assertTrue(STAND_IN.get().ecr().hasRepository("unit-nocb"));
      assertEquals(2, aws.service("unit-nocb", "unit-nocb-svc").runningCount());
    }
  }

  @Test
  void seedServicesGivesEachServiceItsOwnFamilyInOneCluster() throws Exception {
    try (ItStandIn aws = ItStandIn.connect(STAND_IN.get().endpoint())) {
      String image = ItStandIn.image("unit-many", "v1.0.0");

      List<String> arns = aws.seedServices("unit-many", image, List.of("unit-many-web", "unit-many-worker"));

      assertEquals(List.of(ItStandIn.taskDefinitionArn("unit-many-web", 1),
          ItStandIn.taskDefinitionArn("unit-many-worker", 1)), arns);
      for (String service : List.of("unit-many-web", "unit-many-worker")) {
        aws.assertRuns("unit-many", service, service, 1);
        assertEquals(image, aws.runningImage("unit-many", service, "app"));
        assertEquals(1, aws.deployments("unit-many", service).size());
        assertEquals(2, aws.service("unit-many", service).runningCount());
      }
      assertTrue(!STAND_IN.get().ecr().hasRepository("unit-many"), "no ECR repository");
    }
  }

  @Test
  void seedRunTaskClusterLogsToCloudWatchAndSetsHowRunTaskEnds() throws Exception {
    try (ItStandIn aws = ItStandIn.connect(STAND_IN.get().endpoint())) {
      String arn = aws.seedRunTaskCluster("unit-job", 3, 1000, false, List.of("Migrating"));

      assertEquals(ItStandIn.taskDefinitionArn("unit-job", 1), arn);
      aws.assertRuns("unit-job", "unit-job-svc", "unit-job", 1);
      assertEquals(ItStandIn.image("unit-job", "v1.0.0"), aws.runningImage("unit-job", "unit-job-svc", "app"));
      var container = aws.ecs().describeTaskDefinition(b -> b.taskDefinition(arn)).taskDefinition()
          .containerDefinitions().get(0);
      assertEquals("awslogs", container.logConfiguration().logDriverAsString());
      assertEquals("/ecs/unit-job", container.logConfiguration().options().get("awslogs-group"));
      assertTrue(!STAND_IN.get().ecr().hasRepository("unit-job"), "no ECR repository");

      String task = aws.ecs().runTask(b -> b.cluster("unit-job").taskDefinition(arn)).tasks().get(0).taskArn();
      java.time.Instant deadline = java.time.Instant.now().plusSeconds(30);
      var described = aws.ecs().describeTasks(b -> b.cluster("unit-job").tasks(task)).tasks().get(0);
      while (!"STOPPED".equals(described.lastStatus()) && java.time.Instant.now().isBefore(deadline)) {
        Thread.sleep(20);
        described = aws.ecs().describeTasks(b -> b.cluster("unit-job").tasks(task)).tasks().get(0);
      }
      assertEquals("STOPPED", described.lastStatus());
      assertEquals(3, described.containers().get(0).exitCode());
    }
  }

  @Test
  void failImageOfAnItChecksThatItsInvokerPropertiesNameTheImage() throws Exception {
    try (ItStandIn aws = ItStandIn.connect(STAND_IN.get().endpoint())) {
      aws.seedService("unit-failit", "unit-failit-svc", "app", ItStandIn.image("unit-failit", "v1.0.0"));
      String crashing = ItStandIn.image("unit-failit", "v1.1.0");

      IllegalStateException notNamed = assertThrows(IllegalStateException.class, () -> aws.failImage(dir.toFile(), crashing));
      assertTrue(notNamed.getMessage().contains("invoker.properties does not name " + crashing), notNamed.getMessage());
      Files.writeString(dir.resolve("invoker.properties"), "invoker.goals = -Decs.image=" + ItStandIn.image("unit-failit", "v1.0.9") + "\n");
      assertThrows(IllegalStateException.class, () -> aws.failImage(dir.toFile(), crashing));

      Files.writeString(dir.resolve("invoker.properties"), "invoker.goals = -Decs.image=" + crashing + "\n");
      aws.failImage(dir.toFile(), crashing);
      String next = aws.registerTaskDefinition("unit-failit", "app", crashing);
      IllegalStateException rolledBack = assertThrows(IllegalStateException.class,
          () -> aws.deploy("unit-failit", "unit-failit-svc", next));
      assertTrue(rolledBack.getMessage().contains("settled on " + ItStandIn.taskDefinitionArn("unit-failit", 1)),
          rolledBack.getMessage());
    }
  }

  @Test
  void assertRunsAndAssertUntouchedNameWhatChanged() throws Exception {
    try (ItStandIn aws = ItStandIn.connect(STAND_IN.get().endpoint())) {
      aws.seedService("unit-same", "unit-same-svc", "app", ItStandIn.image("unit-same", "v1.0.0"));
      aws.assertRuns("unit-same", "unit-same-svc", "unit-same", 1);
      aws.assertUntouched("unit-same", "unit-same-svc");

      AssertionError wrongRevision = assertThrows(AssertionError.class,
          () -> aws.assertRuns("unit-same", "unit-same-svc", "unit-same", 2));
      assertTrue(wrongRevision.getMessage().contains("runs " + ItStandIn.taskDefinitionArn("unit-same", 1) + ", not "
          + ItStandIn.taskDefinitionArn("unit-same", 2)), wrongRevision.getMessage());

      // a second revision, registered but not deployed
      aws.registerTaskDefinition("unit-same", "app", ItStandIn.image("unit-same", "v1.0.1"));
      AssertionError newRevision = assertThrows(AssertionError.class,
          () -> aws.assertUntouched("unit-same", "unit-same-svc"));
      assertTrue(newRevision.getMessage().contains("not only revision 1"), newRevision.getMessage());

      // deployed: the service runs it
      aws.deploy("unit-same", "unit-same-svc", ItStandIn.taskDefinitionArn("unit-same", 2));
      AssertionError deployed = assertThrows(AssertionError.class,
          () -> aws.assertUntouched("unit-same", "unit-same-svc"));
      assertTrue(deployed.getMessage().contains("runs " + ItStandIn.taskDefinitionArn("unit-same", 2)),
          deployed.getMessage());
    }
  }

  @Test
  void assertUntouchedSeesASecondDeployment() throws Exception {
    try (ItStandIn aws = ItStandIn.connect(STAND_IN.get().endpoint())) {
      aws.seedService("unit-twodep", "unit-twodep-svc", "app", ItStandIn.image("unit-twodep", "v1.0.0"), false);
      // a forced new deployment of the same revision: the revision and the family stay, the deployments do not
      aws.failImage(ItStandIn.image("unit-twodep", "v1.0.0"));
      aws.ecs().updateService(b -> b.cluster("unit-twodep").service("unit-twodep-svc").forceNewDeployment(true));

      AssertionError e = assertThrows(AssertionError.class, () -> aws.assertUntouched("unit-twodep", "unit-twodep-svc"));

      assertTrue(e.getMessage().contains("has 2 deployments, not 1"), e.getMessage());
      aws.clearFailures();
    }
  }

  @Test
  void nothingDeployedMeansNoDeploymentInTheLogAndTheServiceOnRevisionOne() throws Exception {
    try (ItStandIn aws = ItStandIn.connect(STAND_IN.get().endpoint())) {
      aws.seedRunTaskCluster("unit-nodeploy", 0, 100, false, List.of());

      ItVerify.assertNothingDeployed("BUILD FAILURE\nnothing was deployed.", aws, "unit-nodeploy");

      AssertionError logged = assertThrows(AssertionError.class,
          () -> ItVerify.assertNothingDeployed("[INFO] Started deployment ecs-svc/1", aws, "unit-nodeploy"));
      assertTrue(logged.getMessage().contains("nothing deploys"), logged.getMessage());
      aws.deploy("unit-nodeploy", "unit-nodeploy-svc",
          aws.registerTaskDefinition("unit-nodeploy", "app", ItStandIn.image("unit-nodeploy", "v1.0.1")));
      AssertionError deployed = assertThrows(AssertionError.class,
          () -> ItVerify.assertNothingDeployed("BUILD FAILURE", aws, "unit-nodeploy"));
      assertTrue(deployed.getMessage().contains("runs " + ItStandIn.taskDefinitionArn("unit-nodeploy", 2)),
          deployed.getMessage());
    }
  }
}
