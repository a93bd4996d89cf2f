package io.github.ecsdeploy.core;

import static io.github.ecsdeploy.testing.ScriptedEcs.TD6;
import static io.github.ecsdeploy.testing.ScriptedEcs.TD7;
import static io.github.ecsdeploy.testing.ScriptedEcs.deployment;
import static io.github.ecsdeploy.testing.ScriptedEcs.service;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static software.amazon.awssdk.services.ecs.model.DeploymentRolloutState.COMPLETED;
import static software.amazon.awssdk.services.ecs.model.DeploymentRolloutState.FAILED;
import static software.amazon.awssdk.services.ecs.model.DeploymentRolloutState.IN_PROGRESS;

import io.github.ecsdeploy.core.MultiServiceDeployer.Order;
import io.github.ecsdeploy.core.MultiServiceDeployer.Verdict;
import io.github.ecsdeploy.testing.RecordingDeployLog;
import io.github.ecsdeploy.testing.ScriptedEcs;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.DescribeServicesRequest;
import software.amazon.awssdk.services.ecs.model.DescribeServicesResponse;
import software.amazon.awssdk.services.ecs.model.DescribeTasksRequest;
import software.amazon.awssdk.services.ecs.model.DescribeTasksResponse;
import software.amazon.awssdk.services.ecs.model.ListServiceDeploymentsRequest;
import software.amazon.awssdk.services.ecs.model.ListServiceDeploymentsResponse;
import software.amazon.awssdk.services.ecs.model.ListTasksRequest;
import software.amazon.awssdk.services.ecs.model.ListTasksResponse;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.UpdateServiceRequest;
import software.amazon.awssdk.services.ecs.model.UpdateServiceResponse;

/**
 * Several services from one build, with the real single-service deployer on scripted ECS answers (one
 * {@link ScriptedEcs} per service, hand-written in the shapes of the API reference): the verdict per service, what
 * the failure says about the services that succeeded (and the rollback command only for those that changed), the
 * listed order with the rest left unstarted after a failure, the bound of {@value MultiServiceDeployer#MAX_PARALLEL}
 * watched at once, and which kind of failure the user sees. {@code MultiServiceDeployerStandInTest} runs it over
 * HTTP.
 */
class MultiServiceDeployerRulesTest {

  private static final String CB_REASON = "ECS deployment circuit breaker: tasks failed to start.";

  private final RecordingDeployLog log = new RecordingDeployLog();
  private final Map<String, ScriptedEcs> byService = new ConcurrentHashMap<>();
  /** Every DescribeServices and UpdateService, as {@code service operation}, in the order ECS saw them. */
  private final List<String> calls = new CopyOnWriteArrayList<>();

  /** Routes each call to the service's script; ListTasks finds no stopped task. */
  private final EcsClient ecs = new EcsClient() {
    @Override
    public DescribeServicesResponse describeServices(DescribeServicesRequest request) {
      calls.add(request.services().get(0) + " DescribeServices");
      return byService.get(request.services().get(0)).describeServices(request);
    }

    @Override
    public UpdateServiceResponse updateService(UpdateServiceRequest request) {
      calls.add(request.service() + " UpdateService");
      return byService.get(request.service()).updateService(request);
    }

    @Override
    public ListServiceDeploymentsResponse listServiceDeployments(ListServiceDeploymentsRequest request) {
      throw ScriptedEcs.accessDenied("ecs:ListServiceDeployments");
    }

    @Override
    public ListTasksResponse listTasks(ListTasksRequest request) {
      return ListTasksResponse.builder().build();
    }

    @Override
    public DescribeTasksResponse describeTasks(DescribeTasksRequest request) {
      return DescribeTasksResponse.builder().build();
    }

    @Override
    public String serviceName() {
      return "ecs";
    }

    @Override
    public void close() {}
  };

  private static Service steadyOn6() {
    return service(TD6, deployment("ecs-svc/1", "PRIMARY", TD6, 3, 3, 0, 0, COMPLETED)).build();
  }

  private static Service rollingTo7() {
    return service(TD7, deployment("ecs-svc/2", "PRIMARY", TD7, 3, 0, 0, 0, IN_PROGRESS),
        deployment("ecs-svc/1", "ACTIVE", TD6, 3, 3, 0, 0, COMPLETED)).build();
  }

  private static Service doneOn7() {
    return service(TD7, deployment("ecs-svc/2", "PRIMARY", TD7, 3, 3, 0, 0, COMPLETED)).build();
  }

  /** hello-app:6 to :7, completed at the first poll. */
  private void completes(String name) {
    byService.put(name, new ScriptedEcs().describes(steadyOn6(), doneOn7()).afterUpdate(rollingTo7()));
  }

  /** Already runs hello-app:7: nothing is started. */
  private void unchanged(String name) {
    byService.put(name, new ScriptedEcs().describes(doneOn7()));
  }

  /** The circuit breaker fails the rollout and does not roll back. */
  private void fails(String name) {
    byService.put(name, new ScriptedEcs().describes(steadyOn6(), service(TD7,
            deployment("ecs-svc/2", "PRIMARY", TD7, 3, 0, 0, 3, FAILED, CB_REASON),
            deployment("ecs-svc/1", "ACTIVE", TD6, 3, 3, 0, 0, COMPLETED)).circuitBreaker(false).build())
        .afterUpdate(rollingTo7()));
  }

  /** DescribeServices does not know the service: the user's mistake. */
  private void missing(String name) {
    byService.put(name, new ScriptedEcs().describeFails("MISSING"));
  }

  private static io.github.ecsdeploy.core.UpdateServiceRequest request(String service) {
    return new io.github.ecsdeploy.core.UpdateServiceRequest("prod", service, TD7, "repo/hello:v1.4.0", false, true,
        Duration.ofSeconds(5), Duration.ofMinutes(15));
  }

  private static List<io.github.ecsdeploy.core.UpdateServiceRequest> requests(String... services) {
    return java.util.Arrays.stream(services).map(MultiServiceDeployerRulesTest::request).toList();
  }

  private MultiServiceDeployer deployer(Sleeper sleeper) {
    Clock clock = Clock.fixed(ScriptedEcs.T0.plusSeconds(10), ZoneOffset.UTC);
    return new MultiServiceDeployer(serviceLog -> new ServiceDeployer(ecs, serviceLog, clock, sleeper), log);
  }

  private MultiServiceDeployer deployer() {
    return deployer(duration -> {});
  }

  private static Function<String, DeploymentRecorder> noRecorders() {
    return service -> DeploymentRecorder.none();
  }

  // ---- in parallel ---------------------------------------------------------------------------------------------

  @Test
  void aFailureInOneServiceNamesItAndTheOthersThatSucceededWithRollbackCommandsForThoseThatChanged() {
    completes("web");
    fails("worker");
    unchanged("api");

    DeploymentFailedException e = assertThrows(DeploymentFailedException.class, () -> deployer()
        .deployAll(requests("web", "worker", "api"), noRecorders()));

    String m = e.getMessage();
    assertTrue(m.startsWith("1 of 3 services failed: [worker]. Succeeded: [web (COMPLETED), api (UNCHANGED)]."
        + " Those were left as ECS finished them: nothing rolls them back automatically. To put them back on their"
        + " previous revision:\n  mvn ecs:rollback -Decs.cluster=prod -Decs.service=web\nworker: Deployment"
        + " ecs-svc/2 of hello-app:7 FAILED: " + CB_REASON), m);
    assertFalse(m.contains("-Decs.service=api"), "api was not changed, so there is nothing to roll back: " + m);
    assertFalse(m.contains("Not started"), m);
    List<String> infos = log.infos();
    int verdicts = infos.indexOf("Verdict per service:");
    assertTrue(verdicts >= 0, infos.toString());
    assertTrue(infos.get(verdicts + 1).startsWith("  web: COMPLETED ("), infos.toString());
    assertTrue(infos.get(verdicts + 2).startsWith("  worker: FAILED: Deployment ecs-svc/2 of hello-app:7 FAILED"),
        infos.toString());
    assertTrue(infos.get(verdicts + 3).startsWith("  api: UNCHANGED (Service hello-svc already runs hello-app:7"),
        infos.toString());
  }

  @Test
  void whenEveryServiceSucceedsTheVerdictsComeInTheListedOrder() {
    completes("web");
    unchanged("worker");
    completes("api");

    List<Verdict> verdicts = deployer().deployAll(requests("web", "worker", "api"), noRecorders());

    assertEquals(List.of("web", "worker", "api"), verdicts.stream().map(Verdict::service).toList());
    assertEquals(List.of(DeploymentOutcome.COMPLETED, DeploymentOutcome.UNCHANGED, DeploymentOutcome.COMPLETED),
        verdicts.stream().map(v -> v.result().outcome()).toList());
    assertTrue(log.infos().contains("Deploying 3 services in parallel: [web, worker, api]"), log.infos().toString());
    assertTrue(log.infos().stream().anyMatch(l -> l.startsWith("[worker] Service hello-svc already runs")),
        "each service's lines carry its name: " + log.infos());
  }

  @Test
  void whenEveryServiceFailsNoneSucceeded() {
    fails("web");
    fails("worker");

    DeploymentFailedException e = assertThrows(DeploymentFailedException.class, () -> deployer()
        .deployAll(requests("web", "worker"), noRecorders()));

    assertTrue(e.getMessage().startsWith("2 of 2 services failed: [web, worker]. No service succeeded.\nweb: "),
        e.getMessage());
  }

  @Test
  void atMostMaxParallelServicesAreWatchedAtOnce() throws Exception {
    List<String> names = java.util.stream.IntStream.rangeClosed(1, MultiServiceDeployer.MAX_PARALLEL + 2)
        .mapToObj(i -> "s" + i).toList();
    names.forEach(this::completes);
    AtomicInteger watching = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    // Each watch waits at its first poll until as many as allowed have started, so the bound is reached for sure.
    CountDownLatch bound = new CountDownLatch(MultiServiceDeployer.MAX_PARALLEL);
    Function<String, DeploymentRecorder> recorders = service -> {
      most.accumulateAndGet(watching.incrementAndGet(), Math::max);
      bound.countDown();
      return result -> watching.decrementAndGet();
    };

    List<Verdict> verdicts = deployer(duration -> bound.await(10, TimeUnit.SECONDS))
        .deployAll(requests(names.toArray(String[]::new)), recorders);

    assertEquals(names.size(), verdicts.size());
    assertEquals(MultiServiceDeployer.MAX_PARALLEL, most.get(), "two more services than the bound: the bound holds");
    assertEquals(0, watching.get());
  }

  // ---- in the listed order --------------------------------------------------------------------------------------

  @Test
  void inTheListedOrderEachServiceStartsAfterThePreviousOneFinished() {
    completes("db-migrator");
    completes("web");

    List<Verdict> verdicts = deployer().deployAll(requests("db-migrator", "web"), noRecorders(), Order.SEQUENTIAL);

    assertEquals(List.of("db-migrator DescribeServices", "db-migrator UpdateService", "db-migrator DescribeServices",
        "web DescribeServices", "web UpdateService", "web DescribeServices"), calls);
    assertEquals(2, verdicts.size());
    assertTrue(log.infos().contains("Deploying 2 services in the listed order, each after the previous one"
        + " succeeded: [db-migrator, web]"), log.infos().toString());
  }

  @Test
  void inTheListedOrderAFailureLeavesTheRestUnstarted() {
    completes("a");
    fails("b");
    completes("c");
    completes("d");

    DeploymentFailedException e = assertThrows(DeploymentFailedException.class, () -> deployer()
        .deployAll(requests("a", "b", "c", "d"), noRecorders(), Order.SEQUENTIAL));

    assertTrue(calls.stream().noneMatch(c -> c.startsWith("c ") || c.startsWith("d ")), calls.toString());
    assertTrue(e.getMessage().startsWith("1 of 4 services failed: [b]. Not started: [c, d] (they still run what"
        + " they ran). Succeeded: [a (COMPLETED)]."), e.getMessage());
    assertTrue(log.infos().contains("  c: NOT STARTED (an earlier service failed; it still runs what it ran)"),
        log.infos().toString());
  }

  // ---- whose mistake ---------------------------------------------------------------------------------------------

  @Test
  void whenOnlyTheUsersInputIsWrongAndNothingChangedItIsTheUsersMistake() {
    missing("web");
    unchanged("worker");

    UserInputException e = assertThrows(UserInputException.class, () -> deployer()
        .deployAll(requests("web", "worker"), noRecorders()));

    assertTrue(e.getMessage().startsWith("1 of 2 services failed: [web]. Succeeded: [worker (UNCHANGED)]."),
        e.getMessage());
    assertTrue(e.getMessage().contains("Service 'web' was not found in cluster 'prod'"), e.getMessage());
  }

  @Test
  void aWrongServiceNextToOneThatWasDeployedIsADeploymentFailure() {
    missing("web");
    completes("worker");

    DeploymentFailedException e = assertThrows(DeploymentFailedException.class, () -> deployer()
        .deployAll(requests("web", "worker"), noRecorders()));

    assertTrue(e.getMessage().contains("mvn ecs:rollback -Decs.cluster=prod -Decs.service=worker"), e.getMessage());
  }

  @Test
  void aWrongServiceNextToAFailedDeploymentIsADeploymentFailure() {
    missing("web");
    fails("worker");

    assertThrows(DeploymentFailedException.class, () -> deployer().deployAll(requests("web", "worker"),
        noRecorders()));
  }

  @Test
  void noServiceListedIsRefused() {
    UserInputException e = assertThrows(UserInputException.class, () -> deployer().deployAll(List.of(),
        noRecorders()));

    assertEquals("<services> / -Decs.services lists no service. Nothing was changed.", e.getMessage());
  }

  @Test
  void theOrderIsParallelOrSequentialInAnyCase() {
    assertEquals(Order.SEQUENTIAL, Order.parse(" Sequential "));
    assertEquals(Order.PARALLEL, Order.parse("PARALLEL"));
    UserInputException e = assertThrows(UserInputException.class, () -> Order.parse("random"));
    assertEquals("<servicesOrder> / -Decs.updateService.servicesOrder must be parallel or sequential, but was"
        + " 'random'. Nothing was changed.", e.getMessage());
    assertThrows(UserInputException.class, () -> Order.parse(null));
  }

  @Test
  void everyLevelOfAServicesLogCarriesItsName() {
    RecordingDeployLog lines = new RecordingDeployLog();
    DeployLog web = MultiServiceDeployer.prefixed(lines, "web");

    web.info("i");
    web.warn("w");
    web.debug("d");

    assertEquals(List.of("INFO [web] i", "WARN [web] w", "DEBUG [web] d"), lines.lines);
  }

  @Test
  void aBuildCancelledWhileWatchingSaysEcsKeepsWorkingAndKeepsTheInterrupt() {
    completes("web");
    completes("worker");

    Thread.currentThread().interrupt();
    try {
      ExternalFailureException e = assertThrows(ExternalFailureException.class, () -> deployer(duration -> Thread.sleep(duration.toMillis()))
          .deployAll(requests("web", "worker"), noRecorders()));

      assertEquals("Interrupted while watching 2 deployments; ECS keeps working on them.", e.getMessage());
      assertTrue(Thread.currentThread().isInterrupted(), "the interrupt is kept for Maven");
    } finally {
      Thread.interrupted();
    }
  }
}
