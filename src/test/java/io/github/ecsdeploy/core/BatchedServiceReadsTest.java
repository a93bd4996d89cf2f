package io.github.ecsdeploy.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ecsdeploy.standin.AwsStandIn;
import io.github.ecsdeploy.standin.StandInClients;
import io.github.ecsdeploy.standin.StandInExtension;
import io.github.ecsdeploy.standin.ecs.EcsService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ClusterNotFoundException;
import software.amazon.awssdk.services.ecs.model.DescribeServicesResponse;

/** The watchers' DescribeServices, batched by ten per cluster, through the real SDK against the stand-in. */
class BatchedServiceReadsTest {

  @RegisterExtension static final StandInExtension STAND_IN = new StandInExtension();

  private static EcsClient ecs;
  private static EcsService simulator;
  private static String revision;
  private final AtomicLong nanos = new AtomicLong();

  @BeforeAll
  static void start() {
    ecs = StandInClients.ecs(STAND_IN.get());
    simulator = STAND_IN.get().ecs();
    simulator.handle("CreateCluster", "{\"clusterName\":\"batch\"}");
    simulator.handle("CreateCluster", "{\"clusterName\":\"other\"}");
    revision = simulator.handle("RegisterTaskDefinition", """
        {"family":"batch","containerDefinitions":[{"name":"app","image":"shop:1","memory":512}]}""")
        .at("/taskDefinition/taskDefinitionArn").asText();
    for (int i = 1; i <= 12; i++) {
      create("batch", "svc-" + i);
    }
    create("other", "svc-1");
  }

  private static void create(String cluster, String service) {
    simulator.handle("CreateService", """
        {"cluster":"%s","serviceName":"%s","taskDefinition":"%s","desiredCount":1}"""
        .formatted(cluster, service, revision));
  }

  @AfterAll
  static void close() {
    ecs.close();
  }

  private static UpdateServiceRequest request(String cluster, String service) {
    return new UpdateServiceRequest(cluster, service, revision, null, false, true, Duration.ofSeconds(5),
        Duration.ofMinutes(5));
  }

  private BatchedServiceReads reads(List<UpdateServiceRequest> requests) {
    return BatchedServiceReads.of(ecs, requests, Duration.ofSeconds(1), nanos::get);
  }

  private static long describeCalls() {
    return STAND_IN.get().requestLog().count("DescribeServices");
  }

  private static String nameOf(DescribeServicesResponse r) {
    return r.services().get(0).serviceName();
  }

  @Test
  void tenWatchersOfOneClusterShareOneDescribeServicesAndTheEleventhIsInTheNextGroup() {
    List<UpdateServiceRequest> requests = new ArrayList<>();
    IntStream.rangeClosed(1, 12).forEach(i -> requests.add(request("batch", "svc-" + i)));
    BatchedServiceReads reads = reads(requests);
    EcsClient client = reads.client();
    STAND_IN.get().requestLog().clear();

    for (int i = 1; i <= 12; i++) {
      String name = "svc-" + i;
      DescribeServicesResponse r = client.describeServices(b -> b.cluster("batch").services(name));
      assertEquals(1, r.services().size(), name);
      assertEquals(name, nameOf(r));
    }

    assertEquals(2, reads.groupReads(), "ten in the first call, two in the second");
    assertEquals(2L, describeCalls());
  }

  @Test
  void aReadOlderThanMaxAgeOrFromBeforeTheServicesOwnUpdateServiceIsReadAgain() {
    BatchedServiceReads reads = reads(List.of(request("batch", "svc-1"), request("batch", "svc-2")));
    EcsClient client = reads.client();
    client.describeServices(b -> b.cluster("batch").services("svc-1"));
    nanos.addAndGet(Duration.ofMillis(900).toNanos());
    client.describeServices(b -> b.cluster("batch").services("svc-2"));
    assertEquals(1, reads.groupReads(), "0.9 s old: shared");

    nanos.addAndGet(Duration.ofMillis(200).toNanos());
    client.describeServices(b -> b.cluster("batch").services("svc-2"));
    assertEquals(2, reads.groupReads(), "1.1 s old: read again");

    client.updateService(b -> b.cluster("batch").service("svc-1").desiredCount(1));
    client.describeServices(b -> b.cluster("batch").services("svc-2"));
    assertEquals(2, reads.groupReads(), "svc-2 was not updated: still fresh");
    client.describeServices(b -> b.cluster("batch").services("svc-1"));
    assertEquals(3, reads.groupReads(), "svc-1 was updated after the read: read again");
  }

  @Test
  void otherClustersServicesNotListedAndMissingServicesKeepTheirOwnAnswers() {
    BatchedServiceReads reads = reads(List.of(request("batch", "svc-1"), request("batch", "gone"),
        request("other", "svc-1")));
    EcsClient client = reads.client();

    assertEquals("svc-1", nameOf(client.describeServices(b -> b.cluster("other").services("svc-1"))));
    DescribeServicesResponse gone = client.describeServices(b -> b.cluster("batch").services("gone"));
    assertTrue(gone.services().isEmpty());
    assertEquals("MISSING", gone.failures().get(0).reason());
    DescribeServicesResponse ok = client.describeServices(b -> b.cluster("batch").services("svc-1"));
    assertTrue(ok.failures().isEmpty(), ok.failures().toString());
    assertEquals(2, reads.groupReads(), "one per cluster");

    client.describeServices(b -> b.cluster("batch").services("svc-5")); // not listed: straight through
    assertEquals(2, reads.groupReads());
    assertThrows(ClusterNotFoundException.class, () -> reads(List.of(request("nowhere", "svc-1"))).client()
        .describeServices(b -> b.cluster("nowhere").services("svc-1")));
    assertEquals(1, client.describeClusters(b -> b.clusters("batch")).clusters().size(), "other calls pass");
  }
}
