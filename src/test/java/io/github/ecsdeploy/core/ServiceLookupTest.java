package io.github.ecsdeploy.core;

import static io.github.ecsdeploy.testing.ScriptedEcs.TD6;
import static io.github.ecsdeploy.testing.ScriptedEcs.service;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ecsdeploy.testing.ScriptedEcs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ClusterNotFoundException;
import software.amazon.awssdk.services.ecs.model.DescribeServicesRequest;
import software.amazon.awssdk.services.ecs.model.DescribeServicesResponse;
import software.amazon.awssdk.services.ecs.model.Service;

/**
 * The one wording of "no ACTIVE service" for every goal. The goals' own tests check that they use it (a fragment
 * of each message); this test pins each message whole. The client is a test double without a region, so the
 * region reads "not known"; the protocol tests show the real region.
 */
class ServiceLookupTest {

  @Test
  void anActiveServiceIsFoundWithOneDescribeServices() {
    Service active = service(TD6).build();
    ScriptedEcs ecs = new ScriptedEcs().describes(active);

    ServiceLookup.Result result = ServiceLookup.find(ecs, "prod", "hello-svc");

    assertTrue(result.found());
    assertSame(active, result.orThrow());
    assertNull(result.problem());
    assertEquals(1, ecs.describeCalls.size());
    assertEquals("prod", ecs.describeCalls.get(0).cluster());
    assertEquals("hello-svc", ecs.describeCalls.get(0).services().get(0));
  }

  @Test
  void aBlankClusterIsTheDefaultClusterAndIsNamedSo() {
    ScriptedEcs ecs = new ScriptedEcs().describeFails("MISSING");

    UserInputException e = assertThrows(UserInputException.class, () -> ServiceLookup.active(ecs, " ", "web"));

    assertNull(ecs.describeCalls.get(0).cluster(), "no cluster is sent: ECS takes the default cluster");
    assertTrue(e.getMessage().startsWith("Service 'web' was not found in cluster 'default' (region not known)"),
        e.getMessage());
    assertTrue(e.getMessage().contains("'aws ecs list-services --cluster default'"), e.getMessage());
  }

  @Test
  void aMissingServiceNamesBothParametersTheListCommandAndThatNothingChanged() {
    ScriptedEcs ecs = new ScriptedEcs().describeFails("MISSING");

    ServiceLookup.Result result = ServiceLookup.find(ecs, "prod", "web");
    UserInputException e = assertThrows(UserInputException.class, result::orThrow);

    assertFalse(result.found());
    assertEquals("Service 'web' was not found in cluster 'prod' (region not known) (MISSING). Check <service> /"
        + " -Decs.service and <cluster> / -Decs.cluster, and the region and account you deploy to ('aws ecs"
        + " list-services --cluster prod' lists the services), or create it first.", result.problem());
    assertEquals(result.problem() + " Nothing was changed.", e.getMessage());
    assertEquals(Param.SERVICE, e.param().orElseThrow());
  }

  @Test
  void anAnswerWithNeitherServiceNorFailureIsAMissingService() {
    EcsClient empty = new EcsClient() {
      @Override
      public DescribeServicesResponse describeServices(DescribeServicesRequest request) {
        return DescribeServicesResponse.builder().build();
      }

      @Override
      public String serviceName() {
        return "ecs";
      }

      @Override
      public void close() {}
    };

    UserInputException e = assertThrows(UserInputException.class, () -> ServiceLookup.active(empty, "prod", "web"));

    assertTrue(e.getMessage().startsWith("Service 'web' was not found in cluster 'prod'"), e.getMessage());
  }

  @ParameterizedTest
  @CsvSource({"DRAINING, it is being deleted", "INACTIVE, it was deleted"})
  void aServiceBeingDeletedOrDeletedIsNotTakenAndSaysSo(String status, String what) {
    ScriptedEcs ecs = new ScriptedEcs().describes(service(TD6).status(status).build());

    UserInputException e =
        assertThrows(UserInputException.class, () -> ServiceLookup.active(ecs, "prod", "hello-svc"));

    assertEquals("Service 'hello-svc' in cluster 'prod' (region not known) is " + status + ": " + what + ", so it"
        + " cannot be deployed to. Create the service again, or check <service> / -Decs.service and <cluster> /"
        + " -Decs.cluster. Nothing was changed.", e.getMessage());
    assertEquals(Param.SERVICE, e.param().orElseThrow());
  }

  @Test
  void aClusterThatDoesNotExistNamesTheClusterTheServiceAndTheListCommand() {
    ClusterNotFoundException notFound = ClusterNotFoundException.builder().message("Cluster not found.")
        .awsErrorDetails(AwsErrorDetails.builder().errorCode("ClusterNotFoundException")
            .errorMessage("Cluster not found.").build())
        .statusCode(400).build();
    ScriptedEcs ecs = new ScriptedEcs().describeThrows(notFound);

    UserInputException e = assertThrows(UserInputException.class, () -> ServiceLookup.active(ecs, "prdo", "web"));

    assertEquals("Cluster 'prdo' was not found (region not known; looking up service 'web'). Check <cluster> /"
        + " -Decs.cluster and the region and account you deploy to; 'aws ecs list-clusters' lists the clusters."
        + " Nothing was changed.", e.getMessage());
    assertEquals(Param.CLUSTER, e.param().orElseThrow());
    assertSame(notFound, e.getCause());
  }

  @Test
  void aFailureOtherThanMissingIsTheWorldsNotTheUsers() {
    ScriptedEcs ecs = new ScriptedEcs().describeFails("INTERNAL_ERROR");

    ExternalFailureException e =
        assertThrows(ExternalFailureException.class, () -> ServiceLookup.find(ecs, "prod", "hello-svc"));

    assertEquals("DescribeServices of service 'hello-svc' in cluster 'prod' (region not known) returned no"
        + " service: INTERNAL_ERROR.", e.getMessage());
  }
}
