package io.github.ecsdeploy.standin.ecs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ecsdeploy.standin.AwsStandIn;
import io.github.ecsdeploy.standin.StandInExtension;
import io.github.ecsdeploy.testing.MutableClock;
import io.github.ecsdeploy.testing.TestCredentials;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ClientException;
import software.amazon.awssdk.services.ecs.model.ClusterNotFoundException;
import software.amazon.awssdk.services.ecs.model.Compatibility;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.CPUArchitecture;
import software.amazon.awssdk.services.ecs.model.DeploymentControllerType;
import software.amazon.awssdk.services.ecs.model.DeploymentRolloutState;
import software.amazon.awssdk.services.ecs.model.DescribeClustersResponse;
import software.amazon.awssdk.services.ecs.model.DescribeServicesResponse;
import software.amazon.awssdk.services.ecs.model.DescribeTaskDefinitionResponse;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.InvalidParameterException;
import software.amazon.awssdk.services.ecs.model.NetworkMode;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionResponse;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceNotFoundException;
import software.amazon.awssdk.services.ecs.model.SortOrder;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionField;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionStatus;
import software.amazon.awssdk.services.ecs.model.TaskStopCode;

/**
 * The real SDK v2 ECS client against the stand-in over HTTP: every operation and each error type, with a
 * manual clock driving the deployment simulator.
 */
class EcsProtocolTest {

  @RegisterExtension static final StandInExtension STAND_IN = new StandInExtension();

  private static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-11-26T10:00:00.500Z"));
  private static EcsService simulator;
  private static EcsClient ecs;

  @BeforeAll
  static void start() {
    simulator = STAND_IN.get().addJsonService(s ->
        new EcsService(s.region(), AwsStandIn.ACCOUNT_ID, CLOCK, EcsSimulationSettings.defaults()));
    ecs = EcsClient.builder()
        .endpointOverride(STAND_IN.get().endpoint())
        .region(Region.US_EAST_1)
        .credentialsProvider(TestCredentials.provider())
        .build();
  }

  @AfterAll
  static void close() {
    ecs.close();
  }

  private static String register(String family, String image) {
    return ecs.registerTaskDefinition(r -> r.family(family)
            .containerDefinitions(ContainerDefinition.builder().name("app").image(image).memory(256).build()))
        .taskDefinition().taskDefinitionArn();
  }

  @Test
  void clusters() {
    String arn = ecs.createCluster(r -> r.clusterName("p-clusters").tags(Tag.builder().key("k").value("v")
        .build())).cluster().clusterArn();
    assertEquals("arn:aws:ecs:us-east-1:123456789012:cluster/p-clusters", arn);
    DescribeClustersResponse d = ecs.describeClusters(r -> r.clusters("p-clusters", "p-missing")
        .includeWithStrings("TAGS"));
    assertEquals("ACTIVE", d.clusters().get(0).status());
    assertEquals("v", d.clusters().get(0).tags().get(0).value());
    assertEquals("arn:aws:ecs:us-east-1:123456789012:cluster/p-missing", d.failures().get(0).arn());
    assertEquals("MISSING", d.failures().get(0).reason());
  }

  @Test
  void taskDefinitionRoundTripThroughTheSdk() {
    RegisterTaskDefinitionResponse registered = ecs.registerTaskDefinition(r -> r.family("p-web")
        .networkMode(NetworkMode.AWSVPC)
        .requiresCompatibilities(Compatibility.FARGATE)
        .cpu("512").memory("1024")
        .executionRoleArn("arn:aws:iam::123456789012:role/exec")
        .pidMode("task")
        .ephemeralStorage(e -> e.sizeInGiB(25))
        .runtimePlatform(p -> p.cpuArchitecture(CPUArchitecture.ARM64))
        .containerDefinitions(ContainerDefinition.builder().name("app").image("repo/web:v1").essential(true)
            .build())
        .tags(Tag.builder().key("team").value("payments").build()));
    TaskDefinition td = registered.taskDefinition();
    assertEquals("arn:aws:ecs:us-east-1:123456789012:task-definition/p-web:1", td.taskDefinitionArn());
    assertEquals(TaskDefinitionStatus.ACTIVE, td.status());
    assertEquals(List.of(Compatibility.EC2, Compatibility.FARGATE), td.compatibilities());
    assertEquals(25, td.ephemeralStorage().sizeInGiB());
    assertEquals(CPUArchitecture.ARM64, td.runtimePlatform().cpuArchitecture());
    assertEquals("task", td.pidModeAsString());
    assertFalse(td.requiresAttributes().isEmpty());
    assertTrue(Duration.between(CLOCK.instant(), td.registeredAt()).isZero(), td.registeredAt().toString());
    assertEquals("payments", registered.tags().get(0).value());

    DescribeTaskDefinitionResponse described = ecs.describeTaskDefinition(r -> r.taskDefinition("p-web")
        .include(TaskDefinitionField.TAGS));
    assertEquals(td, described.taskDefinition());
    assertEquals(registered.tags(), described.tags());

    register("p-web", "repo/web:v2");
    assertEquals(List.of("arn:aws:ecs:us-east-1:123456789012:task-definition/p-web:2",
            "arn:aws:ecs:us-east-1:123456789012:task-definition/p-web:1"),
        ecs.listTaskDefinitions(r -> r.familyPrefix("p-web").sort(SortOrder.DESC)).taskDefinitionArns());

    TaskDefinition gone = ecs.deregisterTaskDefinition(r -> r.taskDefinition("p-web:1")).taskDefinition();
    assertEquals(TaskDefinitionStatus.INACTIVE, gone.status());
    assertEquals(CLOCK.instant(), gone.deregisteredAt());
    assertEquals(List.of("arn:aws:ecs:us-east-1:123456789012:task-definition/p-web:1"),
        ecs.listTaskDefinitions(r -> r.familyPrefix("p-web").status(TaskDefinitionStatus.INACTIVE))
            .taskDefinitionArns());
  }

  @Test
  void listTaskDefinitionsPaginatesThroughTheSdkPaginator() {
    for (int i = 0; i < 5; i++) {
      register("p-pages", "img:" + i);
    }
    List<String> all = ecs.listTaskDefinitionsPaginator(r -> r.familyPrefix("p-pages").maxResults(2))
        .taskDefinitionArns().stream().toList();
    assertEquals(5, all.size());
    assertTrue(all.get(4).endsWith("p-pages:5"));
  }

  @Test
  void serviceRolloutWithTasksEventsAndTags() {
    ecs.createCluster(r -> r.clusterName("p-svc"));
    String td1 = register("p-svc", "svc:1");
    String td2 = register("p-svc", "svc:2");
    Service created = ecs.createService(r -> r.cluster("p-svc").serviceName("web").taskDefinition(td1)
        .desiredCount(1)
        .deploymentConfiguration(c -> c.deploymentCircuitBreaker(b -> b.enable(true).rollback(true)))
        .tags(Tag.builder().key("a").value("b").build())).service();
    assertEquals("arn:aws:ecs:us-east-1:123456789012:service/p-svc/web", created.serviceArn());
    assertEquals(DeploymentControllerType.ECS, created.deploymentController().type());
    assertEquals(DeploymentRolloutState.IN_PROGRESS, created.deployments().get(0).rolloutState());

    CLOCK.advance(Duration.ofSeconds(1));
    Service steady = describe("p-svc", "web").services().get(0);
    assertEquals(1, steady.runningCount());
    assertEquals(DeploymentRolloutState.COMPLETED, steady.deployments().get(0).rolloutState());
    assertEquals("(service web) has reached a steady state.", steady.events().get(0).message());
    assertEquals(CLOCK.instant(), steady.events().get(0).createdAt());

    Service updated = ecs.updateService(r -> r.cluster("p-svc").service("web").taskDefinition(td2)).service();
    assertEquals(2, updated.deployments().size());
    String newId = updated.deployments().get(0).id();
    CLOCK.advance(Duration.ofSeconds(2));
    Service done = describe("p-svc", "web").services().get(0);
    assertEquals(1, done.deployments().size());
    assertEquals(newId, done.deployments().get(0).id());
    assertEquals(td2, done.taskDefinition());

    List<String> running = ecs.listTasks(r -> r.cluster("p-svc").serviceName("web")).taskArns();
    assertEquals(1, running.size());
    List<String> stopped = ecs.listTasks(r -> r.cluster("p-svc").serviceName("web")
        .desiredStatus(DesiredStatus.STOPPED)).taskArns();
    assertEquals(1, stopped.size());
    List<Task> tasks = ecs.describeTasks(r -> r.cluster("p-svc").tasks(running.get(0), stopped.get(0))
        .includeWithStrings("TAGS")).tasks();
    assertEquals("RUNNING", tasks.get(0).lastStatus());
    assertEquals(newId, tasks.get(0).startedBy());
    assertEquals("STOPPED", tasks.get(1).lastStatus());
    assertEquals(TaskStopCode.SERVICE_SCHEDULER_INITIATED, tasks.get(1).stopCode());
    assertEquals("Scaling activity initiated by (deployment " + newId + ")", tasks.get(1).stoppedReason());

    ecs.tagResource(r -> r.resourceArn(created.serviceArn()).tags(Tag.builder().key("c").value("d").build()));
    assertEquals(List.of(Tag.builder().key("a").value("b").build(), Tag.builder().key("c").value("d").build()),
        ecs.listTagsForResource(r -> r.resourceArn(created.serviceArn())).tags());
    assertTrue(ecs.describeTasks(r -> r.cluster("p-svc").tasks("0123456789abcdef0123456789abcdef"))
        .failures().get(0).reason().equals("MISSING"));
  }

  @Test
  void circuitBreakerRollbackSeenThroughTheSdk() {
    ecs.createCluster(r -> r.clusterName("p-cb"));
    String good = register("p-cb", "cb:good");
    String bad = register("p-cb", "cb:bad");
    simulator.failImage("cb:bad");
    ecs.createService(r -> r.cluster("p-cb").serviceName("api").taskDefinition(good).desiredCount(2)
        .deploymentConfiguration(c -> c.deploymentCircuitBreaker(b -> b.enable(true).rollback(true))));
    CLOCK.advance(Duration.ofSeconds(1));
    String failing = ecs.updateService(r -> r.cluster("p-cb").service("api").taskDefinition(bad)).service()
        .deployments().get(0).id();
    CLOCK.advance(Duration.ofSeconds(2)); // 2 tasks fail per second: threshold 3 reached at the second round
    Service s = describe("p-cb", "api").services().get(0);
    assertEquals(good, s.deployments().get(0).taskDefinition());
    var failed = s.deployments().stream().filter(d -> d.id().equals(failing)).findFirst().orElseThrow();
    assertEquals(DeploymentRolloutState.FAILED, failed.rolloutState());
    assertEquals("ECS deployment circuit breaker: tasks failed to start.", failed.rolloutStateReason());
    assertEquals(4, failed.failedTasks());
    CLOCK.advance(Duration.ofSeconds(2));
    s = describe("p-cb", "api").services().get(0);
    assertEquals(1, s.deployments().size());
    assertEquals(2, s.runningCount());
    assertEquals(good, s.taskDefinition());
    String failedTask = ecs.listTasks(r -> r.cluster("p-cb").desiredStatus(DesiredStatus.STOPPED)
        .startedBy(failing)).taskArns().get(0);
    Task t = ecs.describeTasks(r -> r.cluster("p-cb").tasks(failedTask)).tasks().get(0);
    assertEquals(TaskStopCode.ESSENTIAL_CONTAINER_EXITED, t.stopCode());
    assertEquals(1, t.containers().get(0).exitCode());
  }

  @Test
  void describeServicesReportsMissingServices() {
    ecs.createCluster(r -> r.clusterName("p-missing-svc"));
    DescribeServicesResponse d = describe("p-missing-svc", "nothing");
    assertTrue(d.services().isEmpty());
    assertEquals("MISSING", d.failures().get(0).reason());
    assertEquals("arn:aws:ecs:us-east-1:123456789012:service/p-missing-svc/nothing", d.failures().get(0).arn());
  }

  @Test
  void eachErrorTypeArrivesAsTheSdkException() {
    ecs.createCluster(r -> r.clusterName("p-errors"));
    String td = register("p-errors", "e:1");
    ClusterNotFoundException noCluster = assertThrows(ClusterNotFoundException.class,
        () -> ecs.describeServices(r -> r.cluster("p-nowhere").services("x")));
    assertEquals("Cluster not found.", noCluster.awsErrorDetails().errorMessage());
    assertEquals(400, noCluster.statusCode());

    ServiceNotFoundException noService = assertThrows(ServiceNotFoundException.class,
        () -> ecs.updateService(r -> r.cluster("p-errors").service("x").desiredCount(1)));
    assertEquals("Service not found.", noService.awsErrorDetails().errorMessage());

    ClientException client = assertThrows(ClientException.class,
        () -> ecs.describeTaskDefinition(r -> r.taskDefinition("p-errors:99")));
    assertEquals("Unable to describe task definition.", client.awsErrorDetails().errorMessage());

    ecs.createService(r -> r.cluster("p-errors").serviceName("bg").taskDefinition(td).desiredCount(1)
        .deploymentController(c -> c.type(DeploymentControllerType.CODE_DEPLOY)));
    InvalidParameterException codeDeploy = assertThrows(InvalidParameterException.class,
        () -> ecs.updateService(r -> r.cluster("p-errors").service("bg").taskDefinition(td)));
    assertTrue(codeDeploy.awsErrorDetails().errorMessage().startsWith(
        "Unable to update task definition on services with a CODE_DEPLOY deployment controller."));

    InvalidParameterException dup = assertThrows(InvalidParameterException.class,
        () -> ecs.createService(r -> r.cluster("p-errors").serviceName("bg").taskDefinition(td).desiredCount(1)));
    assertEquals("Creation of service was not idempotent.", dup.awsErrorDetails().errorMessage());
  }

  private static DescribeServicesResponse describe(String cluster, String service) {
    return ecs.describeServices(r -> r.cluster(cluster).services(service));
  }
}
