package io.github.ecsdeploy.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ecsdeploy.testing.RecordingDeployLog;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.DescribeServiceDeploymentsRequest;
import software.amazon.awssdk.services.ecs.model.DescribeServiceDeploymentsResponse;
import software.amazon.awssdk.services.ecs.model.DescribeServiceRevisionsRequest;
import software.amazon.awssdk.services.ecs.model.DescribeServiceRevisionsResponse;
import software.amazon.awssdk.services.ecs.model.EcsException;
import software.amazon.awssdk.services.ecs.model.ListServiceDeploymentsRequest;
import software.amazon.awssdk.services.ecs.model.ListServiceDeploymentsResponse;
import software.amazon.awssdk.services.ecs.model.ServiceDeployment;
import software.amazon.awssdk.services.ecs.model.ServiceDeploymentBrief;
import software.amazon.awssdk.services.ecs.model.ServiceRevision;

/**
 * How update-service finds and follows its own service deployment (ListServiceDeployments created after ours,
 * the closest to our deployment's creation; then DescribeServiceDeployments of that ARN), and how it falls back
 * when the role may not read service deployments. ECS answers as scripted here.
 */
class ServiceDeploymentTrackerTest {

  private static final Instant OURS = Instant.parse("2026-11-30T10:00:00Z");
  private static final String PREFIX = "arn:aws:ecs:eu-west-1:123456789012:service-deployment/prod/hello-svc/";

  private final RecordingDeployLog log = new RecordingDeployLog();
  private final Ecs ecs = new Ecs();

  /** ListServiceDeployments answers the pages given; DescribeServiceDeployments the deployments given. */
  private static final class Ecs implements EcsClient {
    final List<ListServiceDeploymentsResponse> pages = new ArrayList<>();
    final List<ListServiceDeploymentsRequest> lists = new ArrayList<>();
    final List<DescribeServiceDeploymentsRequest> describes = new ArrayList<>();
    final List<ServiceDeployment> deployments = new ArrayList<>();
    final List<ServiceRevision> revisions = new ArrayList<>();
    RuntimeException failure;

    @Override
    public ListServiceDeploymentsResponse listServiceDeployments(ListServiceDeploymentsRequest request) {
      lists.add(request);
      if (failure != null) {
        throw failure;
      }
      int page = request.nextToken() == null ? 0 : Integer.parseInt(request.nextToken());
      return pages.get(page);
    }

    @Override
    public DescribeServiceDeploymentsResponse describeServiceDeployments(DescribeServiceDeploymentsRequest request) {
      describes.add(request);
      if (failure != null) {
        throw failure;
      }
      return DescribeServiceDeploymentsResponse.builder().serviceDeployments(deployments).build();
    }

    @Override
    public DescribeServiceRevisionsResponse describeServiceRevisions(DescribeServiceRevisionsRequest request) {
      if (failure != null) {
        throw failure;
      }
      return DescribeServiceRevisionsResponse.builder().serviceRevisions(revisions).build();
    }

    @Override
    public String serviceName() {
      return "ecs";
    }

    @Override
    public void close() {}
  }

  private static ServiceDeploymentBrief brief(String id, Instant createdAt) {
    return ServiceDeploymentBrief.builder().serviceDeploymentArn(PREFIX + id).createdAt(createdAt).build();
  }

  private static ServiceDeployment sd(String id) {
    return ServiceDeployment.builder().serviceDeploymentArn(PREFIX + id).status("IN_PROGRESS").build();
  }

  private static AwsServiceException error(String code, int status) {
    return EcsException.builder().statusCode(status).message(code + " says no")
        .awsErrorDetails(code == null ? null : AwsErrorDetails.builder().errorCode(code).errorMessage("no").build())
        .build();
  }

  private ServiceDeploymentTracker tracker(String knownArn, Instant createdAt) {
    return new ServiceDeploymentTracker(ecs, log, "prod", "hello-svc", knownArn, createdAt);
  }

  @Test
  void theServiceDeploymentUpdateServiceNamedIsFollowedWithoutListing() {
    ecs.deployments.addAll(List.of(sd("other"), sd("ours")));

    ServiceDeployment found = tracker(PREFIX + "ours", OURS).poll();

    assertEquals(PREFIX + "ours", found.serviceDeploymentArn(), "ours, wherever the answer lists it");
    assertEquals(List.of(), ecs.lists);
    assertEquals(List.of(PREFIX + "ours"), ecs.describes.get(0).serviceDeploymentArns());
  }

  @Test
  void oursIsTheOneCreatedClosestToOurDeploymentAndNotEarlierThanTheTolerance() {
    ecs.pages.add(ListServiceDeploymentsResponse.builder().nextToken("1").serviceDeployments(
        brief("before", OURS.minusSeconds(3)), brief("later", OURS.plusSeconds(5))).build());
    ecs.pages.add(ListServiceDeploymentsResponse.builder().serviceDeployments(
        brief("undated", null), brief("ours", OURS.minusSeconds(1)), brief("latest", OURS.plusSeconds(30))).build());
    ecs.deployments.add(sd("ours"));
    ServiceDeploymentTracker tracker = tracker(null, OURS);

    ServiceDeployment found = tracker.poll();

    assertEquals(PREFIX + "ours", found.serviceDeploymentArn());
    assertEquals(PREFIX + "ours", tracker.arn());
    assertEquals(2, ecs.lists.size(), "every page is read");
    assertEquals("prod", ecs.lists.get(0).cluster());
    assertEquals("hello-svc", ecs.lists.get(0).service());
    assertEquals(OURS.minus(ServiceDeploymentTracker.TOLERANCE), ecs.lists.get(0).createdAt().after());
    assertEquals(List.of("Following service deployment " + PREFIX + "ours."), log.debugs());

    tracker.poll();
    assertEquals(2, ecs.lists.size(), "found once, followed by its ARN");
    assertEquals(2, ecs.describes.size());
  }

  @Test
  void oneCreatedExactlyAtTheToleranceIsStillOurs() {
    ecs.pages.add(ListServiceDeploymentsResponse.builder().serviceDeployments(
        brief("edge", OURS.minus(ServiceDeploymentTracker.TOLERANCE)), brief("late", OURS.plusSeconds(60))).build());

    tracker(null, OURS).poll();

    assertEquals(List.of(PREFIX + "edge"), ecs.describes.get(0).serviceDeploymentArns());
  }

  @Test
  void notListedYetIsNoAnswerAndTheNextPollLooksAgain() {
    ecs.pages.add(ListServiceDeploymentsResponse.builder().serviceDeployments(
        brief("older", OURS.minusSeconds(60))).build());
    ServiceDeploymentTracker tracker = tracker(null, OURS);

    assertNull(tracker.poll());
    assertNull(tracker.poll());

    assertEquals(2, ecs.lists.size());
    assertEquals(List.of(), ecs.describes);
    assertNull(tracker.arn());
    assertTrue(tracker.available());
  }

  @Test
  void withoutOurCreationTimeOnlyTheNamedArnCanBeFollowed() {
    assertNull(tracker(null, null).poll());
    assertEquals(List.of(), ecs.lists);
    assertEquals(List.of(), ecs.describes);
  }

  @Test
  void aDescribeAnswerWithoutOursIsNoAnswer() {
    ecs.deployments.add(sd("other"));
    assertNull(tracker(PREFIX + "ours", OURS).poll());
  }

  @Test
  void aRoleThatMayNotReadServiceDeploymentsFallsBackAfterOneWarning() {
    for (AwsServiceException denied : List.of(error("AccessDeniedException", 400), error(null, 403),
        error("UnauthorizedOperation", 400), error("UnknownOperationException", 400))) {
      log.lines.clear();
      ecs.describes.clear();
      ecs.failure = denied;
      ServiceDeploymentTracker tracker = tracker(PREFIX + "ours", OURS);

      assertNull(tracker.poll());
      assertNull(tracker.poll());

      assertFalse(tracker.available(), denied.toString());
      assertEquals(1, ecs.describes.size(), "not asked again: " + denied);
      assertEquals(1, log.warns().size(), log.joined());
      assertTrue(log.warns().get(0).startsWith("This role may not read ECS service deployments ("
          + ServiceDeploymentTracker.ACTIONS + ": " + (denied.awsErrorDetails() == null ? denied.getMessage()
          : denied.awsErrorDetails().errorCode()) + "); following the deployment through DescribeServices"
          + " instead."), log.warns().get(0));
    }
  }

  @Test
  void anyOtherFailureIsAFailedPollNotAFallback() {
    AwsServiceException throttled = error("ThrottlingException", 400);
    ecs.failure = throttled;
    ServiceDeploymentTracker tracker = tracker(PREFIX + "ours", OURS);

    assertSame(throttled, assertThrows(AwsServiceException.class, tracker::poll));
    assertSame(throttled, assertThrows(AwsServiceException.class, tracker::poll));
    assertTrue(tracker.available());
    assertEquals(List.of(), log.warns());

    AwsServiceException serverError = error("ServerException", 500);
    ecs.failure = serverError;
    assertSame(serverError, assertThrows(AwsServiceException.class, tracker::poll));
  }

  @Test
  void theTaskDefinitionOfAServiceRevisionIsReadByItsArn() {
    String revision = "arn:aws:ecs:eu-west-1:123456789012:service-revision/prod/hello-svc/5482";
    ecs.revisions.addAll(List.of(
        ServiceRevision.builder().serviceRevisionArn(revision + "0").taskDefinition("hello-app:9").build(),
        ServiceRevision.builder().serviceRevisionArn(revision).taskDefinition("hello-app:6").build()));

    assertEquals(Optional.of("hello-app:6"), tracker(null, OURS).taskDefinitionOf(revision));
    assertEquals(Optional.empty(), tracker(null, OURS).taskDefinitionOf(revision + "1"));

    ecs.revisions.clear();
    ecs.revisions.add(ServiceRevision.builder().serviceRevisionArn(revision).build());
    assertEquals(Optional.empty(), tracker(null, OURS).taskDefinitionOf(revision));
  }

  @Test
  void aServiceRevisionThatCannotBeReadLeavesTheTaskDefinitionUnknown() {
    String revision = "arn:aws:ecs:eu-west-1:123456789012:service-revision/prod/hello-svc/5482";
    ecs.failure = SdkClientException.create("Unable to execute HTTP request");

    assertEquals(Optional.empty(), tracker(null, OURS).taskDefinitionOf(revision));
    assertEquals(1, log.debugs().size());
    assertTrue(log.debugs().get(0).startsWith("DescribeServiceRevisions of " + revision + " failed (Unable to"
        + " execute HTTP request)"), log.debugs().get(0));
  }
}
