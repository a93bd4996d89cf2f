package io.github.ecsdeploy.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ecsdeploy.standin.AwsStandIn;
import io.github.ecsdeploy.standin.StandInClients;
import io.github.ecsdeploy.standin.StandInExtension;
import io.github.ecsdeploy.standin.ecs.EcsService;
import io.github.ecsdeploy.standin.ecs.EcsSimulationSettings;
import io.github.ecsdeploy.standin.ecs.TaskFailure;
import io.github.ecsdeploy.testing.MutableClock;
import io.github.ecsdeploy.testing.RecordingDeployLog;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ecs.EcsClient;

/**
 * update-service against the stand-in's ECS simulator over HTTP with the real SDK {@link EcsClient}. The
 * simulator and the deployer share one fake clock that moves only when the deployer sleeps, so the rollouts
 * (1 s to start a task, 1 s to stop one) are deterministic and take no real time.
 */
class ServiceDeployerStandInTest {

  @RegisterExtension static final StandInExtension STAND_IN = new StandInExtension();

  private static final String CB_ROLLBACK = "{\"enable\":true,\"rollback\":true}";
  private static final String CB_NO_ROLLBACK = "{\"enable\":true,\"rollback\":false}";
  private static final String NO_CB = "{\"enable\":false,\"rollback\":false}";

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T10:00:00Z"));
  private final RecordingDeployLog log = new RecordingDeployLog();
  private final List<DeploymentResult> recorded = new ArrayList<>();
  private final List<Runnable> onSleep = new ArrayList<>();
  private EcsService simulator;
  private EcsClient ecs;
  private String td1;
  private String td2;
  private String td3;

  @BeforeEach
  void setUp() {
    simulator = STAND_IN.get().addJsonService(s ->
        new EcsService(s.region(), AwsStandIn.ACCOUNT_ID, clock, EcsSimulationSettings.defaults()));
    ecs = StandInClients.ecs(STAND_IN.get());
    simulator.handle("CreateCluster", "{\"clusterName\":\"prod\"}");
    td1 = register("hello:1.0.0");
    td2 = register("hello:1.1.0");
    td3 = register("hello:1.2.0");
  }

  @AfterEach
  void closeClient() {
    ecs.close();
  }

  private String register(String image) {
    return simulator.handle("RegisterTaskDefinition", """
        {"family":"hello-app","containerDefinitions":[{"name":"app","image":"%s","memory":512}]}"""
        .formatted(image)).at("/taskDefinition/taskDefinitionArn").asText();
  }

  /** hello-svc with 2 tasks of hello-app:1, steady (its first deployment COMPLETED). */
  private void steadyService(String circuitBreaker, String controller) {
    simulator.handle("CreateService", """
        {"cluster":"prod","serviceName":"hello-svc","taskDefinition":"%s","desiredCount":2,
         "deploymentController":{"type":"%s"},
         "deploymentConfiguration":{"deploymentCircuitBreaker":%s}}"""
        .formatted(td1, controller, circuitBreaker));
    advance(Duration.ofSeconds(2));
  }

  private void advance(Duration d) {
    try {
      clock.sleeper().sleep(d);
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  private DeploymentResult deploy(String cluster, String service, String arn, Duration timeout) {
    Sleeper sleeper = duration -> {
      List<Runnable> due = List.copyOf(onSleep);
      onSleep.clear();
      due.forEach(Runnable::run);
      clock.sleeper().sleep(duration);
    };
    UpdateServiceRequest request = new UpdateServiceRequest(
        cluster, service, arn, null, false, true, Duration.ofSeconds(1), timeout);
    return new ServiceDeployer(ecs, log, clock, sleeper).deploy(request, recorded::add);
  }

  private DeploymentResult deploy(String arn) {
    return deploy("prod", "hello-svc", arn, Duration.ofMinutes(15));
  }

  private String primaryDeploymentId() {
    return simulator.handle("DescribeServices", "{\"cluster\":\"prod\",\"services\":[\"hello-svc\"]}")
        .at("/services/0/deployments/0/id").asText();
  }

  @Test
  void healthyRolloutCompletes() {
    steadyService(CB_ROLLBACK, "ECS");

    DeploymentResult result = deploy(td2);

    assertEquals(DeploymentOutcome.COMPLETED, result.outcome());
    assertEquals(primaryDeploymentId(), result.deploymentId());
    assertEquals(td2, result.taskDefinitionArn());
    String infos = String.join("\n", log.infos());
    assertTrue(infos.contains("hello-svc: 2/2 running, 0 pending, 0 failed \u2014 COMPLETED"), infos);
    assertTrue(infos.contains("(deployment " + result.deploymentId() + ") deployment completed."), infos);
    assertTrue(log.warns().isEmpty(), log.joined());
  }

  @Test
  void circuitBreakerRollbackFailsNamingTheRevisionRolledBackTo() {
    steadyService(CB_ROLLBACK, "ECS");
    simulator.failTaskDefinition(td2);

    DeploymentFailedException e = assertThrows(DeploymentFailedException.class, () -> deploy(td2));

    String ours = recorded.get(0).deploymentId();
    assertTrue(e.getMessage().startsWith("Deployment " + ours + " of hello-app:2 FAILED: ECS deployment circuit"
        + " breaker: tasks failed to start. ECS rolled back to hello-app:1 (deployment ecs-svc/"), e.getMessage());
    assertEquals(DeploymentOutcome.ROLLED_BACK, recorded.get(0).outcome());
    String warns = String.join("\n", log.warns());
    assertTrue(warns.contains("stopped [EssentialContainerExited]: Essential container in task exited"), warns);
    assertTrue(warns.contains("container app: exit code 1, reason: Essential container exited with code 1"),
        warns);
  }

  @Test
  void failedWithoutRollbackFailsWithTheReasonAndTheTasksCannotPull() {
    steadyService(CB_NO_ROLLBACK, "ECS");
    simulator.failImage("hello:1.1.0", TaskFailure.cannotPullImage("hello:1.1.0"));

    DeploymentFailedException e = assertThrows(DeploymentFailedException.class, () -> deploy(td2));

    assertTrue(e.getMessage().contains("of hello-app:2 FAILED: ECS deployment circuit breaker: tasks failed to"
        + " start."), e.getMessage());
    assertTrue(e.getMessage().contains("ECS did not roll back"), e.getMessage());
    assertEquals(DeploymentOutcome.FAILED, recorded.get(0).outcome());
    String warns = String.join("\n", log.warns());
    assertTrue(warns.contains("[TaskFailedToStart]: CannotPullContainerError"), warns);
    assertTrue(warns.contains("exit code none"), warns);
  }

  @Test
  void crashLoopWithoutCircuitBreakerTimesOutAndPrintsStoppedTaskReasons() {
    steadyService(NO_CB, "ECS");
    simulator.failTaskDefinition(td2);

    DeploymentFailedException e = assertThrows(DeploymentFailedException.class,
        () -> deploy("prod", "hello-svc", td2, Duration.ofSeconds(20)));

    assertTrue(e.getMessage().contains("of hello-app:2 did not finish within 20s: 0/2 running"), e.getMessage());
    assertTrue(e.getMessage().contains("Still active besides it: "), e.getMessage());
    assertEquals(DeploymentOutcome.TIMED_OUT, recorded.get(0).outcome());
    String warns = String.join("\n", log.warns());
    assertTrue(warns.contains("Essential container in task exited"), warns);
    assertTrue(warns.contains("more stopped tasks"), "a crash loop leaves many stopped tasks: " + warns);
  }

  @Test
  void aSecondDeploymentBySomeoneElseFailsOurs() {
    steadyService(CB_ROLLBACK, "ECS");
    onSleep.add(() -> simulator.handle("UpdateService", """
        {"cluster":"prod","service":"hello-svc","taskDefinition":"%s"}""".formatted(td3)));

    DeploymentFailedException e = assertThrows(DeploymentFailedException.class, () -> deploy(td2));

    // The simulator drops our deployment at once (none of its tasks ran yet); ECS may also keep it as ACTIVE.
    assertTrue(e.getMessage().contains("of hello-app:2 was STOPPED: Stopped because a newer service deployment"
        + " started. It was replaced by hello-app:3 (deployment " + primaryDeploymentId() + "), which this build did"
        + " not start."), e.getMessage());
    assertEquals(DeploymentOutcome.REPLACED, recorded.get(0).outcome());
  }

  @Test
  void theSameRevisionAgainChangesNothing() {
    steadyService(CB_ROLLBACK, "ECS");
    String before = primaryDeploymentId();
    long updates = STAND_IN.get().requestLog().count("UpdateService");

    DeploymentResult result = deploy(td1);

    assertEquals(DeploymentOutcome.UNCHANGED, result.outcome());
    assertEquals(before, result.deploymentId());
    assertEquals(updates, STAND_IN.get().requestLog().count("UpdateService"));
  }

  @Test
  void codeDeployServiceIsRefused() {
    steadyService(NO_CB, "CODE_DEPLOY");
    long updates = STAND_IN.get().requestLog().count("UpdateService");

    UserInputException e = assertThrows(UserInputException.class, () -> deploy(td2));

    assertTrue(e.getMessage().contains("CODE_DEPLOY deployment controller"), e.getMessage());
    assertEquals(updates, STAND_IN.get().requestLog().count("UpdateService"));
  }

  @Test
  void missingServiceIsNamed() {
    steadyService(NO_CB, "ECS");

    UserInputException e = assertThrows(UserInputException.class,
        () -> deploy("prod", "no-such-svc", td2, Duration.ofMinutes(1)));

    assertTrue(e.getMessage().startsWith("Service 'no-such-svc' was not found in cluster 'prod'"), e.getMessage());
    assertEquals(Param.SERVICE, e.param().orElseThrow());
  }

  @Test
  void missingClusterIsNamed() {
    UserInputException e = assertThrows(UserInputException.class,
        () -> deploy("staging", "hello-svc", td2, Duration.ofMinutes(1)));

    assertTrue(e.getMessage().startsWith("Cluster 'staging' was not found"), e.getMessage());
    assertEquals(Param.CLUSTER, e.param().orElseThrow());
  }
}
