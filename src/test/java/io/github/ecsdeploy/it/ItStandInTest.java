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
}
