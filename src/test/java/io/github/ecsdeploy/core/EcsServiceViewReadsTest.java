package io.github.ecsdeploy.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ecsdeploy.testing.InMemoryEcr;
import io.github.ecsdeploy.testing.RecordingDeployLog;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ClientException;
import software.amazon.awssdk.services.ecs.model.DescribeServiceRevisionsRequest;
import software.amazon.awssdk.services.ecs.model.DescribeServiceRevisionsResponse;
import software.amazon.awssdk.services.ecs.model.DescribeServicesRequest;
import software.amazon.awssdk.services.ecs.model.DescribeServicesResponse;
import software.amazon.awssdk.services.ecs.model.DescribeTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.DescribeTaskDefinitionResponse;
import software.amazon.awssdk.services.ecs.model.ListServiceDeploymentsRequest;
import software.amazon.awssdk.services.ecs.model.ListServiceDeploymentsResponse;
import software.amazon.awssdk.services.ecs.model.ListTaskDefinitionsRequest;
import software.amazon.awssdk.services.ecs.model.ListTaskDefinitionsResponse;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceDeploymentBrief;
import software.amazon.awssdk.services.ecs.model.ServiceRevision;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;

/**
 * What the SDK view reads and how: only an ACTIVE service is used, a task definition is described once, the
 * family's revisions are its own (not those of a family with a longer name), newest first and at most
 * {@value EcsServiceView#MAX_REVISIONS}, and the Service Deployments history is read per service, newest first,
 * with the task definition of each deployment found in batches of 20 (DescribeServiceRevisions' limit). ECS is the
 * hand-written {@link Ecs} below, with answers in the shapes of the API reference (written by hand, not recorded).
 */
class EcsServiceViewReadsTest {

  private static final String ACCOUNT = "arn:aws:ecs:eu-west-1:123456789012:";

  /** Answers DescribeServices, DescribeTaskDefinition, ListTaskDefinitions (pages) and the history calls. */
  private static final class Ecs implements EcsClient {
    DescribeServicesResponse services = DescribeServicesResponse.builder().build();
    final List<String> described = new ArrayList<>();
    List<List<String>> revisionPages = List.of();
    final List<ListTaskDefinitionsRequest> listed = new ArrayList<>();
    List<ServiceDeploymentBrief> briefs = List.of();
    final List<ListServiceDeploymentsRequest> historyCalls = new ArrayList<>();
    final List<List<String>> revisionBatches = new ArrayList<>();

    @Override
    public DescribeServicesResponse describeServices(DescribeServicesRequest request) {
      return services;
    }

    @Override
    public DescribeTaskDefinitionResponse describeTaskDefinition(DescribeTaskDefinitionRequest request) {
      described.add(request.taskDefinition());
      if (request.taskDefinition().startsWith("gone")) {
        throw ClientException.builder().statusCode(400).message("Unable to describe task definition.").build();
      }
      return DescribeTaskDefinitionResponse.builder().taskDefinition(TaskDefinition.builder().family("web")
          .revision(7).taskDefinitionArn(ACCOUNT + "task-definition/web:7").build()).build();
    }

    @Override
    public ListTaskDefinitionsResponse listTaskDefinitions(ListTaskDefinitionsRequest request) {
      listed.add(request);
      int page = request.nextToken() == null ? 0 : Integer.parseInt(request.nextToken());
      return ListTaskDefinitionsResponse.builder().taskDefinitionArns(revisionPages.get(page))
          .nextToken(page + 1 < revisionPages.size() ? String.valueOf(page + 1) : null).build();
    }

    @Override
    public ListServiceDeploymentsResponse listServiceDeployments(ListServiceDeploymentsRequest request) {
      historyCalls.add(request);
      return ListServiceDeploymentsResponse.builder().serviceDeployments(briefs).build();
    }

    @Override
    public DescribeServiceRevisionsResponse describeServiceRevisions(DescribeServiceRevisionsRequest request) {
      if (request.serviceRevisionArns().size() > 20) {
        throw software.amazon.awssdk.services.ecs.model.InvalidParameterException.builder().statusCode(400)
            .message("at most 20 service revision ARNs").build();
      }
      revisionBatches.add(request.serviceRevisionArns());
      return DescribeServiceRevisionsResponse.builder().serviceRevisions(request.serviceRevisionArns().stream()
          .map(arn -> ServiceRevision.builder().serviceRevisionArn(arn)
              .taskDefinition(ACCOUNT + "task-definition/web:" + arn.substring(arn.lastIndexOf('/') + 1)).build())
          .toList()).build();
    }

    @Override
    public String serviceName() {
      return "ecs";
    }

    @Override
    public void close() {}
  }

  private final Ecs ecs = new Ecs();
  private final InMemoryEcr ecr = new InMemoryEcr();
  private final RecordingDeployLog log = new RecordingDeployLog();
  private final EcsServiceView view = new EcsServiceView(ecs, () -> ecr, log);

  private static String revisionArn(String family, int revision) {
    return ACCOUNT + "task-definition/" + family + ":" + revision;
  }

  private static ServiceDeploymentBrief brief(int n, Instant createdAt, Instant startedAt) {
    return ServiceDeploymentBrief.builder().serviceDeploymentArn(ACCOUNT + "service-deployment/prod/web/sd" + n)
        .targetServiceRevisionArn(ACCOUNT + "service-revision/prod/web/" + n).createdAt(createdAt)
        .startedAt(startedAt).status("SUCCESSFUL").build();
  }

  private static Service service(String cluster, String name) {
    return Service.builder().serviceName(name).serviceArn(ACCOUNT + "service/" + cluster + "/" + name)
        .clusterArn(ACCOUNT + "cluster/" + cluster).status("ACTIVE").build();
  }

  // ---- the service ------------------------------------------------------------------------------------------

  @Test
  void aDrainingServiceIsNotUsedAsIfItRan() {
    // DescribeServices lists a service being deleted with status DRAINING, and a deleted one as INACTIVE.
    ecs.services = DescribeServicesResponse.builder().services(Service.builder().serviceName("web")
        .status("DRAINING").build()).build();

    UserInputException e = assertThrows(UserInputException.class, () -> view.service("prod", "web"));

    assertTrue(e.getMessage().startsWith("Service 'web' in cluster 'prod' (region not known) is DRAINING: it is being"
        + " deleted, so it cannot be deployed to."), e.getMessage());
  }

  @Test
  void theActiveServiceIsUsedWhereverDescribeServicesListsIt() {
    ecs.services = DescribeServicesResponse.builder().services(Service.builder().serviceName("web")
        .status("INACTIVE").build(), Service.builder().serviceName("web").status("ACTIVE").desiredCount(3).build())
        .build();

    assertEquals(3, view.service("prod", "web").desiredCount());
  }

  @Test
  void aMissingServiceSaysEcssReason() {
    ecs.services = DescribeServicesResponse.builder().failures(f -> f.arn(ACCOUNT + "service/prod/web")
        .reason("MISSING")).build();
    UserInputException missing = assertThrows(UserInputException.class, () -> view.service("prod", "web"));
    ecs.services = DescribeServicesResponse.builder().build();
    UserInputException nothing = assertThrows(UserInputException.class, () -> view.service("prod", "web"));

    assertTrue(missing.getMessage().contains("(MISSING)"), missing.getMessage());
    assertTrue(nothing.getMessage().contains("(MISSING)"), "no answer at all is a missing service too: "
        + nothing.getMessage());
  }

  // ---- task definitions --------------------------------------------------------------------------------------

  @Test
  void aTaskDefinitionIsDescribedOnceByNameAndThenKnownByItsArnToo() {
    TaskDefinition first = view.taskDefinition("web:7").orElseThrow();

    assertEquals(Optional.of(first), view.taskDefinition("web:7"));
    assertEquals(Optional.of(first), view.taskDefinition(revisionArn("web", 7)));

    assertEquals(List.of("web:7"), ecs.described);
  }

  @Test
  void aTaskDefinitionEcsCannotDescribeIsAbsentAndNotAskedForAgain() {
    assertEquals(Optional.empty(), view.taskDefinition("gone:3"));
    assertEquals(Optional.empty(), view.taskDefinition("gone:3"));

    assertEquals(List.of("gone:3"), ecs.described);
    assertTrue(log.debugs().contains("DescribeTaskDefinition of gone:3: Unable to describe task definition."),
        log.debugs().toString());
  }

  @Test
  void theRevisionsOfAFamilyAreItsOwnNewestFirstAcrossPages() {
    // familyPrefix "web" also lists "web-worker" (ListTaskDefinitions, API reference: familyPrefix)
    ecs.revisionPages = List.of(List.of(revisionArn("web-worker", 9), revisionArn("web", 12)),
        List.of(revisionArn("web", 11), revisionArn("web", 2)));

    assertEquals(List.of(revisionArn("web", 12), revisionArn("web", 11), revisionArn("web", 2)),
        view.activeRevisions("web"));
    assertEquals("web", ecs.listed.get(0).familyPrefix());
    assertEquals("ACTIVE", ecs.listed.get(0).statusAsString());
    assertEquals("DESC", ecs.listed.get(0).sortAsString());
  }

  @Test
  void atMostOneHundredRevisionsAreListed() {
    ecs.revisionPages = List.of(IntStream.rangeClosed(1, 100).map(i -> 106 - i).mapToObj(i -> revisionArn("web", i))
        .toList(), IntStream.rangeClosed(1, 5).map(i -> 6 - i).mapToObj(i -> revisionArn("web", i)).toList());

    List<String> revisions = view.activeRevisions("web");

    assertEquals(100, revisions.size());
    assertEquals(revisionArn("web", 105), revisions.get(0));
    assertEquals(revisionArn("web", 6), revisions.get(99));
    assertEquals(1, ecs.listed.size(), "the second page is not read");
  }

  // ---- history -----------------------------------------------------------------------------------------------

  @Test
  void theHistoryIsNewestFirstWithTheTaskDefinitionOfEachDeployment() {
    Instant t = Instant.parse("2026-11-30T09:00:00Z");
    ecs.briefs = List.of(brief(1, t, t.plusSeconds(5)), brief(3, null, t.plusSeconds(300)), brief(2,
        t.plusSeconds(100), null), brief(4, null, null));

    List<PastDeployment> history = view.history(service("prod", "web")).orElseThrow();

    assertEquals(List.of("sd3", "sd2", "sd1", "sd4"), history.stream().map(d -> d.id()
        .substring(d.id().lastIndexOf('/') + 1)).toList(), "by createdAt (else startedAt), unknown last");
    assertEquals(t.plusSeconds(5), history.get(2).startedAt(), "startedAt when ECS gives it");
    assertEquals(t.plusSeconds(100), history.get(1).startedAt(), "else createdAt");
    assertEquals(revisionArn("web", 3), history.get(0).taskDefinitionArn());
    assertEquals(ACCOUNT + "service/prod/web", ecs.historyCalls.get(0).service(), "the service by its ARN");
    assertEquals(ACCOUNT + "cluster/prod", ecs.historyCalls.get(0).cluster());
    assertEquals(EcsServiceView.HISTORY_SIZE, ecs.historyCalls.get(0).maxResults());
  }

  @Test
  void theRevisionsOfTheHistoryAreDescribedTwentyAtATime() {
    Instant t = Instant.parse("2026-11-30T09:00:00Z");
    ecs.briefs = IntStream.rangeClosed(1, 21).mapToObj(i -> brief(i, t.plusSeconds(i), null)).toList();
    view.history(service("prod", "web"));
    assertEquals(List.of(20, 1), ecs.revisionBatches.stream().map(List::size).toList());

    ecs.revisionBatches.clear();
    ecs.briefs = IntStream.rangeClosed(1, 20).mapToObj(i -> brief(i, t.plusSeconds(i), null)).toList();
    new EcsServiceView(ecs, () -> ecr, log).history(service("prod", "web"));
    assertEquals(List.of(20), ecs.revisionBatches.stream().map(List::size).toList(), "no empty second call");
  }

  @Test
  void theHistoryIsReadOncePerServiceAndServicesOfTheSameNameInTwoClustersAreTwo() {
    Instant t = Instant.parse("2026-11-30T09:00:00Z");
    ecs.briefs = List.of(brief(1, t, null));
    List<PastDeployment> prod = view.history(service("prod", "web")).orElseThrow();
    view.history(service("prod", "web"));
    ecs.briefs = List.of(brief(2, t, null));
    List<PastDeployment> staging = view.history(service("staging", "web")).orElseThrow();

    assertEquals(2, ecs.historyCalls.size());
    assertEquals(revisionArn("web", 1), prod.get(0).taskDefinitionArn());
    assertEquals(revisionArn("web", 2), staging.get(0).taskDefinitionArn());
  }

  @Test
  void aServiceWithoutItsArnIsAskedForByName() {
    view.history(Service.builder().serviceName("web").clusterArn(ACCOUNT + "cluster/prod").build());

    assertEquals("web", ecs.historyCalls.get(0).service());
  }

  // ---- ECR -----------------------------------------------------------------------------------------------------

  @Test
  void aTagEcrDoesNotHoldHasNoDigest() {
    // InMemoryEcr answers ImageNotFoundException for a tag it does not hold, as ECR DescribeImages does.
    assertEquals(Optional.empty(), view.ecrDigest(ImageRef.parse("123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:v9"),
        "v9"));
    assertTrue(log.debugs().stream().anyMatch(l -> l.startsWith("ECR has no web:v9: ")), log.debugs().toString());
  }

  @Test
  void aRoleWithoutTheHistoryActionsGetsNoHistoryAndOneNote() {
    EcsClient denied = new EcsClient() {
      @Override
      public ListServiceDeploymentsResponse listServiceDeployments(ListServiceDeploymentsRequest request) {
        throw io.github.ecsdeploy.testing.ScriptedEcs.accessDenied("ecs:ListServiceDeployments");
      }

      @Override
      public String serviceName() {
        return "ecs";
      }

      @Override
      public void close() {}
    };
    EcsServiceView withoutHistory = new EcsServiceView(denied, () -> ecr, log);

    assertEquals(Optional.empty(), withoutHistory.history(service("prod", "web")));
    assertEquals(Optional.empty(), withoutHistory.history(service("prod", "web")));

    assertEquals(List.of("The Service Deployments history is not available (AccessDeniedException); using the task"
        + " definition revisions and the deployments DescribeServices shows. Allow ecs:ListServiceDeployments and"
        + " ecs:DescribeServiceRevisions for the full history."), log.infos());
  }

  @Test
  void throttlingOfTheHistoryIsAFailureNotAMissingHistory() {
    EcsClient throttled = new EcsClient() {
      @Override
      public ListServiceDeploymentsResponse listServiceDeployments(ListServiceDeploymentsRequest request) {
        throw software.amazon.awssdk.services.ecs.model.EcsException.builder().statusCode(400).message("Rate exceeded")
            .awsErrorDetails(software.amazon.awssdk.awscore.exception.AwsErrorDetails.builder()
                .errorCode("ThrottlingException").errorMessage("Rate exceeded").build()).build();
      }

      @Override
      public String serviceName() {
        return "ecs";
      }

      @Override
      public void close() {}
    };

    assertThrows(software.amazon.awssdk.services.ecs.model.EcsException.class,
        () -> new EcsServiceView(throttled, () -> ecr, log).history(service("prod", "web")));
    assertTrue(log.infos().isEmpty(), log.infos().toString());
  }

  @Test
  void theDigestOfATagIsWhatEcrHoldsInTheImagesRegistry() {
    ecr.image("web", "v1.4.0", "sha256:" + "b".repeat(64));

    assertEquals(Optional.of("sha256:" + "b".repeat(64)), view.ecrDigest(
        ImageRef.parse("123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:v1.4.0"), "v1.4.0"));
    assertEquals("123456789012", ecr.describeImages.get(0).registryId());
    assertEquals("web", ecr.describeImages.get(0).repositoryName());
  }
}
