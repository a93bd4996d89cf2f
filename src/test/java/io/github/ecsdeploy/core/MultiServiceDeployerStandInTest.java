package io.github.ecsdeploy.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ecsdeploy.standin.AwsStandIn;
import io.github.ecsdeploy.standin.StandInClients;
import io.github.ecsdeploy.standin.StandInExtension;
import io.github.ecsdeploy.standin.ecs.EcsService;
import io.github.ecsdeploy.testing.MutableClock;
import io.github.ecsdeploy.testing.RecordingDeployLog;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ecs.EcsClient;

/**
 * Two services released from one image against the stand-in: both deployments watched in parallel by two
 * {@link ServiceDeployer}s sharing one fake clock, one verdict per service.
 */
class MultiServiceDeployerStandInTest {

  private static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-11-30T08:00:00Z"));

  @RegisterExtension
  static final StandInExtension STAND_IN = new StandInExtension(AwsStandIn.Options.defaults().withClock(CLOCK));

  private static EcsClient ecs;
  private static EcsService simulator;
  private final RecordingDeployLog log = new RecordingDeployLog();
  private final Map<String, DeploymentResult> recorded = new ConcurrentHashMap<>();

  /** Both watchers sleep on one clock: one at a time, so the clock only moves forward. */
  private static final Sleeper SLEEPER = d -> {
    synchronized (CLOCK) {
      CLOCK.advance(d);
    }
  };

  @BeforeAll
  static void start() {
    ecs = StandInClients.ecs(STAND_IN.get());
    simulator = STAND_IN.get().ecs();
  }

  @AfterAll
  static void close() {
    ecs.close();
  }

  /** A steady service of {@code family} in {@code cluster}; returns the ARN of revision 2 running {@code image}. */
  private static String serviceWithNextRevision(String cluster, String family, String image) {
    String v1 = register(family, "shop:1.0.0");
    simulator.handle("CreateService", """
        {"cluster":"%s","serviceName":"%s","taskDefinition":"%s","desiredCount":2,
         "deploymentConfiguration":{"deploymentCircuitBreaker":{"enable":true,"rollback":true}}}"""
        .formatted(cluster, family, v1));
    CLOCK.advance(Duration.ofSeconds(3));
    return register(family, image);
  }

  private static String register(String family, String image) {
    return simulator.handle("RegisterTaskDefinition", """
        {"family":"%s","containerDefinitions":[{"name":"app","image":"%s","memory":512}]}"""
        .formatted(family, image)).at("/taskDefinition/taskDefinitionArn").asText();
  }

  private List<MultiServiceDeployer.Verdict> deploy(String cluster, Map<String, String> arns) {
    List<UpdateServiceRequest> requests = arns.entrySet().stream()
        .map(e -> new UpdateServiceRequest(cluster, e.getKey(), e.getValue(), null, false, true,
            Duration.ofSeconds(1), Duration.ofMinutes(5)))
        .sorted((a, b) -> a.service().compareTo(b.service()))
        .toList();
    return new MultiServiceDeployer(l -> new ServiceDeployer(ecs, l, CLOCK, SLEEPER), log)
        .deployAll(requests, service -> result -> recorded.put(service, result));
  }

  @Test
  void bothServicesDeployTheImageEachWithItsOwnVerdict() {
    simulator.handle("CreateCluster", "{\"clusterName\":\"both\"}");
    String web = serviceWithNextRevision("both", "both-web", "shop:1.1.0");
    String worker = serviceWithNextRevision("both", "both-worker", "shop:1.1.0");

    List<MultiServiceDeployer.Verdict> verdicts = deploy("both", Map.of("both-web", web, "both-worker", worker));

    assertEquals(List.of("both-web", "both-worker"), verdicts.stream().map(MultiServiceDeployer.Verdict::service)
        .toList());
    verdicts.forEach(v -> assertEquals(DeploymentOutcome.COMPLETED, v.result().outcome(), v.service()));
    assertEquals(DeploymentOutcome.COMPLETED, recorded.get("both-web").outcome());
    assertEquals(worker, recorded.get("both-worker").taskDefinitionArn());
    List<String> infos = log.infos();
    assertTrue(infos.stream().anyMatch(l -> l.startsWith("[both-web] Started deployment ")), infos.toString());
    assertTrue(infos.stream().anyMatch(l -> l.startsWith("[both-worker] Started deployment ")), infos.toString());
    assertTrue(infos.contains("Verdict per service:"), infos.toString());
    assertTrue(infos.stream().anyMatch(l -> l.startsWith("  both-worker: COMPLETED")), infos.toString());
  }

  @Test
  void inTheListedOrderAFailureLeavesTheRestUnstarted() {
    simulator.handle("CreateCluster", "{\"clusterName\":\"ordered\"}");
    String worker = serviceWithNextRevision("ordered", "ordered-worker", "shop:1.3.0");
    String web = serviceWithNextRevision("ordered", "ordered-web", "shop:1.3.0");
    simulator.failTaskDefinition(worker);
    List<UpdateServiceRequest> requests = List.of(
        new UpdateServiceRequest("ordered", "ordered-worker", worker, null, false, true, Duration.ofSeconds(1),
            Duration.ofMinutes(5)),
        new UpdateServiceRequest("ordered", "ordered-web", web, null, false, true, Duration.ofSeconds(1),
            Duration.ofMinutes(5)));

    DeploymentFailedException failed = assertThrows(DeploymentFailedException.class,
        () -> new MultiServiceDeployer(l -> new ServiceDeployer(ecs, l, CLOCK, SLEEPER), log)
            .deployAll(requests, service -> result -> recorded.put(service, result),
                MultiServiceDeployer.Order.SEQUENTIAL));

    assertTrue(failed.getMessage().startsWith("1 of 2 services failed: [ordered-worker]. Not started: [ordered-web]"),
        failed.getMessage());
    assertFalse(recorded.containsKey("ordered-web"), "web never started");
    assertTrue(simulator.handle("DescribeServices", "{\"cluster\":\"ordered\",\"services\":[\"ordered-web\"]}")
        .at("/services/0/taskDefinition").asText().endsWith("ordered-web:1"));
    assertTrue(log.infos().contains("  ordered-web: NOT STARTED (an earlier service failed; it still runs what it ran)"),
        log.infos().toString());
  }

  @Test
  void anUnknownOrderNamesTheParameter() {
    UserInputException e = assertThrows(UserInputException.class, () -> MultiServiceDeployer.Order.parse("random"));
    assertTrue(e.getMessage().contains("<servicesOrder> / -Decs.updateService.servicesOrder"), e.getMessage());
    assertEquals(MultiServiceDeployer.Order.SEQUENTIAL, MultiServiceDeployer.Order.parse(" Sequential "));
  }

  @Test
  void oneRollbackFailsTheBuildNamingItAndReportsTheOtherAsDeployedWithItsRollbackCommand() {
    simulator.handle("CreateCluster", "{\"clusterName\":\"split\"}");
    String web = serviceWithNextRevision("split", "split-web", "shop:1.2.0");
    String worker = serviceWithNextRevision("split", "split-worker", "shop:1.2.0");
    simulator.failTaskDefinition(worker);

    DeploymentFailedException failed = assertThrows(DeploymentFailedException.class,
        () -> deploy("split", Map.of("split-web", web, "split-worker", worker)));

    String m = failed.getMessage();
    assertTrue(m.startsWith("1 of 2 services failed: [split-worker]. Succeeded: [split-web (COMPLETED)]."), m);
    assertTrue(m.contains("nothing rolls them back automatically"), m);
    assertTrue(m.contains("mvn ecs:rollback -Decs.cluster=split -Decs.service=split-web"), m);
    assertFalse(m.contains("-Decs.service=split-worker\n"), m);
    assertTrue(m.contains("split-worker: Deployment "), m);
    assertEquals(DeploymentOutcome.ROLLED_BACK, recorded.get("split-worker").outcome());
    assertEquals(DeploymentOutcome.COMPLETED, recorded.get("split-web").outcome());
  }
}
