package io.github.ecsdeploy.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ecsdeploy.standin.StandInClients;
import io.github.ecsdeploy.standin.StandInExtension;
import io.github.ecsdeploy.standin.ecs.EcsService;
import io.github.ecsdeploy.testing.RecordingDeployLog;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ecs.EcsClient;

/** The dry run of update-service with several services: one preview per service, nothing changed. */
class MultiServicePreviewStandInTest {

  @RegisterExtension static final StandInExtension STAND_IN = new StandInExtension();

  private final RecordingDeployLog log = new RecordingDeployLog();

  private static String register(EcsService ecs, String family, String image) {
    return ecs.handle("RegisterTaskDefinition", """
        {"family":"%s","containerDefinitions":[{"name":"app","image":"%s","memory":512}]}"""
        .formatted(family, image)).at("/taskDefinition/taskDefinitionArn").asText();
  }

  @Test
  void eachServiceGetsItsPreviewAndARefusedOneIsNamedAtTheEndWithNothingChanged() {
    EcsService ecs = STAND_IN.get().ecs();
    ecs.handle("CreateCluster", "{\"clusterName\":\"dry\"}");
    for (String name : List.of("dry-web", "dry-worker")) {
      ecs.handle("CreateService", """
          {"cluster":"dry","serviceName":"%s","taskDefinition":"%s","desiredCount":1,
           "deploymentConfiguration":{"deploymentCircuitBreaker":{"enable":true,"rollback":true}}}"""
          .formatted(name, register(ecs, name, "shop:1.0.0")));
    }
    String next = register(ecs, "dry-web", "shop:1.1.0");
    STAND_IN.get().requestLog().clear();

    UserInputException e;
    try (EcsClient client = StandInClients.ecs(STAND_IN.get())) {
      e = assertThrows(UserInputException.class, () -> MultiServiceDeployer.previewAll(log, "dry", List.of(
              new MultiServiceDeployer.Planned("dry-web", next, "shop:1.1.0"),
              new MultiServiceDeployer.Planned("dry-worker", null, null),
              new MultiServiceDeployer.Planned("dry-gone", null, null)),
          l -> new DeploymentPreview(new EcsServiceView(client, () -> null, l), l), Duration.ofMinutes(15)));
    }

    List<String> infos = log.infos();
    assertTrue(infos.contains("[dry-web] Dry run (<dryRun> / -Decs.dryRun): update-service would deploy dry-web:2"
        + " to service dry-web in cluster dry and wait for that deployment. Nothing was changed."), infos.toString());
    assertTrue(infos.contains("[dry-web]   then dry-web:2 (shop:1.1.0)"), infos.toString());
    assertTrue(infos.contains("[dry-worker] Dry run (<dryRun> / -Decs.dryRun): update-service would deploy the"
        + " revision register-task-def would register to service dry-worker in cluster dry and wait for that"
        + " deployment. Nothing was changed."), infos.toString());
    assertTrue(e.getMessage().startsWith("Dry run: update-service would refuse 1 of 3 services of <services> /"
        + " -Decs.services:\n  dry-gone: "), e.getMessage());
    assertTrue(e.getMessage().contains("Nothing was changed."), e.getMessage());
    assertEquals(0L, STAND_IN.get().requestLog().count("UpdateService"));
    assertEquals(0L, STAND_IN.get().requestLog().count("RegisterTaskDefinition"));
  }
}
