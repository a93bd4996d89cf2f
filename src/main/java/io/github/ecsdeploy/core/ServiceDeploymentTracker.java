package io.github.ecsdeploy.core;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ListServiceDeploymentsResponse;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceDeployment;
import software.amazon.awssdk.services.ecs.model.ServiceDeploymentBrief;

/**
 * Follows the service deployment that our UpdateService started, through ECS's Service Deployments API, the
 * authoritative record of a deployment (ECS Developer Guide, "View service history using Amazon ECS service
 * deployments"; API reference ListServiceDeployments, DescribeServiceDeployments).
 *
 * <p>Ours is the service deployment that UpdateService's answer names as the service's
 * {@code currentServiceDeployment} (when it names a new one); else the one ListServiceDeployments lists for the
 * service created closest to our deployment's {@code createdAt} (ECS's own timestamps, so no clock skew), not
 * earlier than {@link #TOLERANCE} before it. ListServiceDeployments is eventually consistent like every ECS read, so
 * ours may be missing from the first answers; it is asked again at the next poll.
 *
 * <p>When the role may not call these operations (AccessDeniedException), one warning names both IAM actions and
 * the tracker stays quiet from then on: the caller falls back to {@code deployments[]} of DescribeServices. Other
 * failures (throttling, 5xx, I/O) are thrown to the caller, which rides them out until its deadline.
 */
final class ServiceDeploymentTracker {

  /** How much earlier than our deployment's createdAt a service deployment may have been created. */
  static final Duration TOLERANCE = Duration.ofSeconds(2);

  static final String ACTIONS = "ecs:ListServiceDeployments / ecs:DescribeServiceDeployments";

  private final EcsClient ecs;
  private final DeployLog log;
  private final String cluster;
  private final String service;
  private final Instant ourCreatedAt;
  private boolean available = true;
  private String arn;

  /**
   * @param knownArn the service deployment ARN UpdateService's answer named, or {@code null}
   * @param ourCreatedAt when ECS created our deployment, or {@code null} when unknown (then only
   *     {@code knownArn} can find ours)
   */
  ServiceDeploymentTracker(
      EcsClient ecs, DeployLog log, String cluster, String service, String knownArn, Instant ourCreatedAt) {
    this.ecs = Objects.requireNonNull(ecs, "ecs");
    this.log = Objects.requireNonNull(log, "log");
    this.cluster = cluster;
    this.service = service;
    this.arn = knownArn;
    this.ourCreatedAt = ourCreatedAt;
  }

  /** Whether the role may read service deployments (as far as we know). */
  boolean available() {
    return available;
  }

  /** The ARN of our service deployment, once found. */
  String arn() {
    return arn;
  }

  /**
   * Reads our service deployment: {@code null} when it is not found yet or the API is denied.
   *
   * @throws SdkException the call failed (throttled, 5xx, I/O); try again at the next poll
   */
  ServiceDeployment poll() {
    if (!available) {
      return null;
    }
    try {
      if (arn == null) {
        arn = find();
        if (arn == null) {
          return null;
        }
        log.debug("Following service deployment " + arn + ".");
      }
      String ours = arn;
      return ecs.describeServiceDeployments(b -> b.serviceDeploymentArns(ours)).serviceDeployments().stream()
          .filter(sd -> ours.equals(sd.serviceDeploymentArn()))
          .findFirst()
          .orElse(null);
    } catch (AwsServiceException e) {
      if (denied(e)) {
        available = false;
        log.warn("This role may not read ECS service deployments (" + ACTIONS + ": "
            + (e.awsErrorDetails() != null ? e.awsErrorDetails().errorCode() : e.getMessage())
            + "); following the deployment through DescribeServices instead. Allow both actions to get the"
            + " authoritative verdict, also for blue/green deployments and their bake time.");
        return null;
      }
      throw e;
    }
  }

  /**
   * The verdict of our service deployment {@code sd}. When it failed and rolled back while DescribeServices does
   * not list the rollback deployment yet (no PRIMARY other than ours in {@code snapshot}), the revision ECS went
   * back to is named by the task definition of its service revision rather than by an id a reader cannot place.
   *
   * @param snapshot the fresh DescribeServices answer, or {@code null} when it was stale or failed
   * @param ourDeploymentId the deployment our UpdateService started
   */
  DeploymentVerdict judge(ServiceDeployment sd, Service snapshot, DeploymentVerdict.Context context,
      String ourDeploymentId) {
    DeploymentVerdict verdict = DeploymentVerdict.judge(sd, snapshot, context);
    boolean rollbackListed = snapshot != null && snapshot.deployments().stream()
        .anyMatch(d -> "PRIMARY".equals(d.status()) && !ourDeploymentId.equals(d.id()));
    if (verdict.done() && !verdict.outcome().success() && sd.rollback() != null
        && sd.rollback().serviceRevisionArn() != null && !rollbackListed) {
      String revision = taskDefinitionOf(sd.rollback().serviceRevisionArn()).orElse(null);
      return DeploymentVerdict.judge(sd, snapshot, context, revision);
    }
    return verdict;
  }

  /**
   * The task definition of a service revision (DescribeServiceRevisions), to name the revision a rollback went
   * back to before DescribeServices lists that deployment; empty when the role may not call it or the call fails
   * (the verdict then names the service revision).
   */
  java.util.Optional<String> taskDefinitionOf(String serviceRevisionArn) {
    try {
      return ecs.describeServiceRevisions(b -> b.serviceRevisionArns(serviceRevisionArn)).serviceRevisions().stream()
          .filter(r -> serviceRevisionArn.equals(r.serviceRevisionArn()))
          .map(r -> r.taskDefinition())
          .filter(java.util.Objects::nonNull)
          .findFirst();
    } catch (software.amazon.awssdk.core.exception.SdkException e) {
      log.debug("DescribeServiceRevisions of " + serviceRevisionArn + " failed (" + e.getMessage() + "); the"
          + " rollback target is named by its service revision. Allow ecs:DescribeServiceRevisions to see its"
          + " task definition.");
      return java.util.Optional.empty();
    }
  }

  private String find() {
    if (ourCreatedAt == null) {
      return null;
    }
    List<ServiceDeploymentBrief> found = new ArrayList<>();
    String token = null;
    do {
      String next = token;
      ListServiceDeploymentsResponse page = ecs.listServiceDeployments(b -> b
          .cluster(cluster)
          .service(service)
          .createdAt(c -> c.after(ourCreatedAt.minus(TOLERANCE)))
          .nextToken(next));
      found.addAll(page.serviceDeployments());
      token = page.nextToken();
    } while (token != null);
    return found.stream()
        .filter(b -> b.createdAt() != null && !b.createdAt().isBefore(ourCreatedAt.minus(TOLERANCE)))
        .min(Comparator.comparing((ServiceDeploymentBrief b) ->
            Duration.between(ourCreatedAt, b.createdAt()).abs()))
        .map(ServiceDeploymentBrief::serviceDeploymentArn)
        .orElse(null);
  }

  private static boolean denied(AwsServiceException e) {
    String code = e.awsErrorDetails() != null ? e.awsErrorDetails().errorCode() : null;
    return e.statusCode() == 403 || code != null && (code.startsWith("AccessDenied")
        || code.equals("UnauthorizedOperation") || code.equals("UnknownOperationException"));
  }
}
