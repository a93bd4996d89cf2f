package io.github.ecsdeploy.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ecsdeploy.standin.AwsStandIn;
import io.github.ecsdeploy.standin.RequestLog;
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
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.params.ParameterizedTest;
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
  private final java.util.Map<Integer, Runnable> atSleep = new java.util.HashMap<>();
  private int sleeps;
  private Duration pollInterval = Duration.ofSeconds(1);
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
    steadyServiceWith("{\"deploymentCircuitBreaker\":" + circuitBreaker + "}", controller);
  }

  private void steadyServiceWith(String deploymentConfiguration, String controller) {
    simulator.handle("CreateService", """
        {"cluster":"prod","serviceName":"hello-svc","taskDefinition":"%s","desiredCount":2,
         "deploymentController":{"type":"%s"},
         "deploymentConfiguration":%s}"""
        .formatted(td1, controller, deploymentConfiguration));
    advance(Duration.ofSeconds(2));
  }

  private void settings(java.util.function.UnaryOperator<EcsSimulationSettings> change) {
    simulator.setSettings(change.apply(simulator.settings()));
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
      Runnable scheduled = atSleep.remove(++sleeps);
      if (scheduled != null) {
        scheduled.run();
      }
      clock.sleeper().sleep(duration);
    };
    UpdateServiceRequest request = new UpdateServiceRequest(
        cluster, service, arn, null, false, true, pollInterval, timeout);
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
  void throttledPollsAreNoVerdictTheyBackOffWithAProgressLineUntilECSAnswersAgain() {
    steadyService(CB_ROLLBACK, "ECS");
    // ECS's token bucket per action with no refill to speak of: DescribeServices answers twice (the check before
    // UpdateService and the first poll), then every poll is throttled, also after the SDK's retries.
    STAND_IN.get().faults().rateLimit(2, 0.0001);
    atSleep.put(5, () -> STAND_IN.get().faults().reset()); // ECS answers again

    DeploymentResult result = deploy(td2);

    assertEquals(DeploymentOutcome.COMPLETED, result.outcome());
    List<String> throttled = log.infos().stream().filter(l -> l.startsWith("ECS throttles")).toList();
    assertTrue(!throttled.isEmpty(), log.lines.toString());
    assertTrue(throttled.get(0).contains("(ThrottlingException on DescribeServices"), throttled.get(0));
    assertTrue(throttled.get(0).endsWith("the deployment goes on, the next poll in 2s."), throttled.get(0));
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

  // ---- the verdict table of issue 11: real-ECS shapes the stand-in models ----------------------------------

  private static final String ALARMS = "\"alarms\":{\"alarmNames\":[\"hello-5xx\"],\"enable\":true,\"rollback\":true}";

  private void assertRolledBackTo(String revision, DeploymentFailedException e) {
    assertEquals(DeploymentOutcome.ROLLED_BACK, recorded.get(0).outcome(), e.getMessage());
    assertTrue(e.getMessage().contains("ECS rolled back to " + revision + " (deployment ecs-svc/"), e.getMessage());
    assertTrue(!e.getMessage().contains("replaced") && !e.getMessage().contains("did not roll back"),
        e.getMessage());
  }

  private long serviceDeploymentCalls() {
    return STAND_IN.get().requestLog().count("ListServiceDeployments")
        + STAND_IN.get().requestLog().count("DescribeServiceDeployments");
  }

  @Test
  void rollbackWhereOursIsAlreadyFailedThroughDeploymentsWhenTheRoleMayNotReadServiceDeployments() {
    settings(x -> x.withServiceDeploymentsDenied(true));
    long callsBefore = serviceDeploymentCalls();
    steadyService(CB_ROLLBACK, "ECS");
    simulator.failTaskDefinition(td2);

    DeploymentFailedException e = assertThrows(DeploymentFailedException.class, () -> deploy(td2));

    assertRolledBackTo("hello-app:1", e);
    assertTrue(e.getMessage().contains("FAILED: ECS deployment circuit breaker: tasks failed to start."),
        e.getMessage());
    List<String> denied = log.warns().stream().filter(l -> l.contains("ecs:ListServiceDeployments")).toList();
    assertEquals(1, denied.size(), log.joined());
    assertTrue(denied.get(0).contains("ecs:DescribeServiceDeployments"), denied.get(0));
    assertEquals(callsBefore + 1, serviceDeploymentCalls(), "asked once, then never again");
  }

  @Test
  void rollbackWhereOursLagsInProgress() {
    settings(x -> x.withRollbackLag(Duration.ofSeconds(30)));
    steadyService(CB_ROLLBACK, "ECS");
    simulator.failTaskDefinition(td2);

    DeploymentFailedException e = assertThrows(DeploymentFailedException.class, () -> deploy(td2));

    assertRolledBackTo("hello-app:1", e);
    assertTrue(clock.instant().isBefore(Instant.parse("2026-11-26T10:00:30Z")), "not waiting for the lag to end");
  }

  @Test
  void rollbackWhereOursLagsInProgressThroughDeploymentsAlone() {
    settings(x -> x.withRollbackLag(Duration.ofSeconds(30)).withServiceDeploymentsDenied(true));
    steadyService(CB_ROLLBACK, "ECS");
    simulator.failTaskDefinition(td2);

    DeploymentFailedException e = assertThrows(DeploymentFailedException.class, () -> deploy(td2));

    assertRolledBackTo("hello-app:1", e);
    assertTrue(e.getMessage().contains("failed (its rolloutState still says IN_PROGRESS)"), e.getMessage());
    assertTrue(e.getMessage().contains("rolling back to deploymentId ecs-svc/"), e.getMessage());
  }

  @Test
  void rollbackAfterOursDisappeared() {
    // Every read until the rollback finished was stale; the first fresh one lists only the rollback deployment.
    settings(x -> x.withStaleReadsAfterUpdate(10).withServiceDeploymentsDenied(true));
    steadyService(CB_ROLLBACK, "ECS");
    simulator.failTaskDefinition(td2);

    DeploymentFailedException e = assertThrows(DeploymentFailedException.class, () -> deploy(td2));

    assertEquals(DeploymentOutcome.ROLLED_BACK, recorded.get(0).outcome(), e.getMessage());
    assertTrue(e.getMessage().contains("is gone from the service: the service was rolled back to hello-app:1"
        + " (deployment ecs-svc/"), e.getMessage());
  }

  /** With the Service Deployments API, and through {@code deployments[]} alone when the role may not read it. */
  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void rollbackAfterATimedOutEarlierReleaseGoesToTheLastCompletedRevision(boolean serviceDeploymentsDenied) {
    settings(x -> x.withServiceDeploymentsDenied(serviceDeploymentsDenied));
    // hello-app:2 crash-loops without a circuit breaker (a release that timed out): hello-app:1 stays COMPLETED.
    steadyService(NO_CB, "ECS");
    simulator.failTaskDefinition(td2);
    simulator.handle("UpdateService", """
        {"cluster":"prod","service":"hello-svc","taskDefinition":"%s"}""".formatted(td2));
    advance(Duration.ofSeconds(5));
    simulator.handle("UpdateService", """
        {"cluster":"prod","service":"hello-svc","deploymentConfiguration":{"deploymentCircuitBreaker":%s}}"""
        .formatted(CB_ROLLBACK));
    simulator.failTaskDefinition(td3);

    DeploymentFailedException e = assertThrows(DeploymentFailedException.class, () -> deploy(td3));

    assertRolledBackTo("hello-app:1", e);
  }

  @Test
  void staleFirstReadsThenAHealthyRolloutIsCompleted() {
    settings(x -> x.withStaleReadsAfterUpdate(3));
    steadyService(CB_ROLLBACK, "ECS");

    DeploymentResult result = deploy(td2);

    assertEquals(DeploymentOutcome.COMPLETED, result.outcome(), result.message());
    assertTrue(log.debugs().stream().anyMatch(l -> l.contains("as it was before our UpdateService")),
        log.joined());
  }

  @Test
  void staleFirstReadsThenAHealthyRolloutIsCompletedThroughDeploymentsAlone() {
    settings(x -> x.withStaleReadsAfterUpdate(3).withServiceDeploymentsDenied(true));
    steadyService(CB_ROLLBACK, "ECS");

    DeploymentResult result = deploy(td2);

    assertEquals(DeploymentOutcome.COMPLETED, result.outcome(), result.message());
  }

  @Test
  void healthyRolloutWhenTheRoleMayNotReadServiceDeploymentsCompletesAfterOneWarning() {
    settings(x -> x.withServiceDeploymentsDenied(true));
    steadyService(CB_ROLLBACK, "ECS");

    DeploymentResult result = deploy(td2);

    assertEquals(DeploymentOutcome.COMPLETED, result.outcome());
    assertEquals(1, log.warns().size(), log.joined());
    assertTrue(log.warns().get(0).contains("ecs:ListServiceDeployments / ecs:DescribeServiceDeployments"));
  }

  @Test
  void blueGreenSucceedsAfterItsBakeTimeShowingTheLifecycleStages() {
    steadyServiceWith("{\"strategy\":\"BLUE_GREEN\",\"bakeTimeInMinutes\":1}", "ECS");

    DeploymentResult result = deploy(td2);

    assertEquals(DeploymentOutcome.COMPLETED, result.outcome(), result.message());
    assertTrue(result.message().contains("SUCCESSFUL"), result.message());
    assertTrue(result.finishedAt().isAfter(Instant.parse("2026-11-26T10:01:02Z")), "not before the bake time ended");
    String infos = String.join("\n", log.infos());
    for (String stage : List.of("TEST_TRAFFIC_SHIFT", "PRODUCTION_TRAFFIC_SHIFT", "BAKE_TIME")) {
      assertTrue(infos.contains("\u2014 IN_PROGRESS, stage " + stage), stage + ": " + infos);
    }
  }

  @Test
  void blueGreenRolledBackByAnAlarmInBakeTime() {
    steadyServiceWith("{\"strategy\":\"BLUE_GREEN\",\"bakeTimeInMinutes\":1," + ALARMS + "}", "ECS");
    atSleep.put(10, () -> assertTrue(simulator.triggerAlarm("prod", "hello-svc", "hello-5xx")));

    DeploymentFailedException e = assertThrows(DeploymentFailedException.class, () -> deploy(td2));

    assertRolledBackTo("hello-app:1", e);
    assertTrue(e.getMessage().contains("CloudWatch alarm hello-5xx went into ALARM during BAKE_TIME."),
        e.getMessage());
  }

  @Test
  void alarmRollbackOfARollingDeployment() {
    steadyServiceWith("{\"deploymentCircuitBreaker\":" + NO_CB + "," + ALARMS + "}", "ECS");
    atSleep.put(1, () -> assertTrue(simulator.triggerAlarm("prod", "hello-svc", "hello-5xx")));

    DeploymentFailedException e = assertThrows(DeploymentFailedException.class, () -> deploy(td2));

    assertRolledBackTo("hello-app:1", e);
    assertTrue(e.getMessage().contains("CloudWatch alarm hello-5xx went into ALARM"), e.getMessage());
  }

  @Test
  void alarmRollbackThroughDeploymentsAloneNeverSaysEcsDidNotRollBack() {
    settings(x -> x.withServiceDeploymentsDenied(true));
    steadyServiceWith("{\"deploymentCircuitBreaker\":" + NO_CB + "," + ALARMS + "}", "ECS");
    atSleep.put(1, () -> assertTrue(simulator.triggerAlarm("prod", "hello-svc", "hello-5xx")));

    DeploymentFailedException e = assertThrows(DeploymentFailedException.class, () -> deploy(td2));

    assertRolledBackTo("hello-app:1", e);
    assertTrue(e.getMessage().contains("ECS deployment alarm"), e.getMessage());
  }

  @Test
  void reRunOnACrashLoopingServiceFailsWithTheStoppedTaskReasons() {
    steadyService(CB_ROLLBACK, "ECS");
    assertEquals(2, simulator.crashRunningTasks("prod", "hello-svc", TaskFailure.essentialContainerExited()));
    simulator.failTaskDefinition(td1); // the replacements crash too
    advance(Duration.ofSeconds(3));
    long updates = STAND_IN.get().requestLog().count("UpdateService");

    DeploymentFailedException e = assertThrows(DeploymentFailedException.class, () -> deploy(td1));

    assertEquals(DeploymentOutcome.FAILED, recorded.get(0).outcome());
    assertTrue(e.getMessage().contains("already runs hello-app:1 in deployment ecs-svc/"), e.getMessage());
    assertTrue(e.getMessage().contains("which COMPLETED, but it is not healthy now: 0/2 running"), e.getMessage());
    assertEquals(updates, STAND_IN.get().requestLog().count("UpdateService"), "nothing was changed");
    assertTrue(log.warnContains("stopped [EssentialContainerExited]: Essential container in task exited"),
        log.joined());
  }

  @Test
  void moreThanOneHundredStoppedTasksAreAllReadAndTheNewestShown() {
    steadyService(NO_CB, "ECS");
    simulator.failTaskDefinition(td2);

    assertThrows(DeploymentFailedException.class,
        () -> deploy("prod", "hello-svc", td2, Duration.ofSeconds(80)));

    assertEquals(DeploymentOutcome.TIMED_OUT, recorded.get(0).outcome());
    String header = log.warns().stream().filter(l -> l.startsWith("Stopped tasks of deployment ")).findFirst()
        .orElseThrow();
    int total = Integer.parseInt(header.replaceAll(".*\\((\\d+), the newest 10 first\\):$", "$1"));
    assertTrue(total > 100, header);
    assertTrue(STAND_IN.get().requestLog().count("ListTasks") >= 2, "ListTasks pages");
    assertTrue(log.warns().contains("  ... and " + (total - 10) + " more stopped tasks."), log.joined());
    assertEquals(10, log.warns().stream().filter(l -> l.startsWith("  task ")).count());
  }

  @Test
  void healthyAndRollbackVerdictsHoldWith30PercentOfCallsThrottled() {
    STAND_IN.get().faults().throttle(0.3);
    steadyService(CB_ROLLBACK, "ECS");

    assertEquals(DeploymentOutcome.COMPLETED, deploy(td2).outcome());

    simulator.failTaskDefinition(td3);
    DeploymentFailedException e = assertThrows(DeploymentFailedException.class, () -> deploy(td3));
    assertEquals(DeploymentOutcome.ROLLED_BACK, recorded.get(1).outcome(), e.getMessage());
    assertTrue(e.getMessage().contains("ECS rolled back to hello-app:2 (deployment ecs-svc/"), e.getMessage());
    assertTrue(STAND_IN.get().requestLog().entries().stream().anyMatch(RequestLog.Entry::injected),
        "throttling was injected");
  }

  @Test
  void healthyAndRollbackVerdictsHoldWith30PercentThrottledThroughDeploymentsAlone() {
    settings(x -> x.withServiceDeploymentsDenied(true));
    STAND_IN.get().faults().throttle(0.3);
    steadyService(CB_ROLLBACK, "ECS");

    assertEquals(DeploymentOutcome.COMPLETED, deploy(td2).outcome());

    simulator.failTaskDefinition(td3);
    DeploymentFailedException e = assertThrows(DeploymentFailedException.class, () -> deploy(td3));
    assertEquals(DeploymentOutcome.ROLLED_BACK, recorded.get(1).outcome(), e.getMessage());
    assertTrue(e.getMessage().contains("ECS rolled back to hello-app:2 (deployment ecs-svc/"), e.getMessage());
  }

  /**
   * Not a test of speed (no timed assertion): prints how long after the stand-in decided (the service deployment's
   * finishedAt or rollback startedAt) deploy() returned, with the default poll interval, in simulated seconds, over
   * three runs whose task start delays (40 s to 43.4 s) put ECS's decision at different points between two polls.
   * Tasks take that long to start and 15 s to stop here, closer to real ECS than the 1 s default.
   */
  @Test
  void detectionLatencyWithTheDefaultPollInterval() {
    pollInterval = UpdateServiceRequest.DEFAULT_POLL_INTERVAL;
    List<Double> success = new ArrayList<>();
    List<Double> rollback = new ArrayList<>();
    for (int offset = 0; offset < 3; offset++) {
      String name = "latency-" + offset;
      settings(x -> EcsSimulationSettings.defaults());
      simulator.handle("CreateService", """
          {"cluster":"prod","serviceName":"%s","taskDefinition":"%s","desiredCount":2,
           "deploymentConfiguration":{"deploymentCircuitBreaker":%s}}""".formatted(name, td1, CB_ROLLBACK));
      advance(Duration.ofSeconds(3 + offset));
      Duration start = Duration.ofMillis(40_000 + 1_700L * offset); // shifts ECS's decisions against the polls
      settings(x -> x.withTaskStartDelay(start).withTaskStopDelay(Duration.ofSeconds(15)));
      recorded.clear();
      DeploymentResult ok = deploy("prod", name, td2, Duration.ofMinutes(15));
      assertEquals(DeploymentOutcome.COMPLETED, ok.outcome());
      success.add(Duration.between(decision(name, ok, "finishedAt"), ok.finishedAt()).toMillis() / 1000.0);
      simulator.failTaskDefinition(td3);
      assertThrows(DeploymentFailedException.class, () -> deploy("prod", name, td3, Duration.ofMinutes(15)));
      DeploymentResult back = recorded.get(1);
      assertEquals(DeploymentOutcome.ROLLED_BACK, back.outcome());
      rollback.add(Duration.between(decision(name, back, "rollback/startedAt"), back.finishedAt()).toMillis() / 1000.0);
      simulator.clearFailures();
    }
    System.out.println("detection latency (poll interval " + Durations.human(pollInterval) + "), success: " + success
        + " s, mean " + success.stream().mapToDouble(d -> d).average().orElseThrow() + " s; rollback: " + rollback
        + " s, mean " + rollback.stream().mapToDouble(d -> d).average().orElseThrow() + " s");
  }

  /** The instant the stand-in recorded for {@code field} of the service deployment of {@code result}. */
  private Instant decision(String service, DeploymentResult result, String field) {
    var services = simulator.handle("DescribeServices", "{\"cluster\":\"prod\",\"services\":[\"" + service + "\"]}");
    var list = simulator.handle("ListServiceDeployments",
        "{\"cluster\":\"prod\",\"service\":\"" + service + "\"}").get("serviceDeployments");
    for (var brief : list) {
      var sd = simulator.handle("DescribeServiceDeployments", "{\"serviceDeploymentArns\":[\""
          + brief.get("serviceDeploymentArn").asText() + "\"]}").at("/serviceDeployments/0");
      if (!sd.at("/createdAt").isMissingNode()
          && Instant.ofEpochMilli(sd.at("/createdAt").decimalValue().movePointRight(3).longValue())
              .isAfter(result.startedAt().minusMillis(1))) {
        return Instant.ofEpochMilli(sd.at("/" + field).decimalValue().movePointRight(3).longValue());
      }
    }
    throw new AssertionError("no service deployment of " + result + " in " + services);
  }
}
