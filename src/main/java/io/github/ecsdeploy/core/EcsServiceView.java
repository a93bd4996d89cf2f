package io.github.ecsdeploy.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.ImageNotFoundException;
import software.amazon.awssdk.services.ecr.model.RepositoryNotFoundException;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.AccessDeniedException;
import software.amazon.awssdk.services.ecs.model.ClientException;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceDeploymentBrief;
import software.amazon.awssdk.services.ecs.model.ServiceRevision;
import software.amazon.awssdk.services.ecs.model.SortOrder;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionStatus;
import software.amazon.awssdk.services.ecs.model.UnsupportedFeatureException;

/**
 * {@link ServiceView} on the AWS SDK. Calls (all reads): ECS DescribeServices, DescribeTaskDefinition,
 * ListTaskDefinitions, ListServiceDeployments and DescribeServiceRevisions (the history; optional), ECR
 * DescribeImages.
 *
 * <p>The Service Deployments API (ListServiceDeployments, then DescribeServiceRevisions for the task definition
 * of each deployment's target revision) is the authoritative history, but a deploy role often lacks the two
 * actions, and an endpoint may not know them (the API is from 2024). An AccessDenied, an
 * UnknownOperationException or UnsupportedFeature answer is therefore not an error: {@link #history} says so
 * once and returns empty, and the callers use the revisions of the family and DescribeServices instead.
 */
public final class EcsServiceView implements ServiceView {

  /** How many deployments the history asks for (ListServiceDeployments' default is 20, its maximum 100). */
  static final int HISTORY_SIZE = 20;

  /** How many revisions of a family are listed at most, newest first. */
  static final int MAX_REVISIONS = 100;

  private final EcsClient ecs;
  private final Supplier<EcrClient> ecr;
  private final DeployLog log;
  private final Map<String, Optional<TaskDefinition>> described = new HashMap<>();
  private final Map<String, Optional<List<PastDeployment>>> histories = new HashMap<>();

  /**
   * @param ecs the ECS client
   * @param ecr the ECR client, built on first use (only tag look-ups need it)
   * @param log where the fallback note goes
   */
  public EcsServiceView(EcsClient ecs, Supplier<EcrClient> ecr, DeployLog log) {
    this.ecs = Objects.requireNonNull(ecs, "ecs");
    this.ecr = Objects.requireNonNull(ecr, "ecr");
    this.log = Objects.requireNonNull(log, "log");
  }

  @Override
  public Service service(String cluster, String service) {
    if (service == null || service.isBlank()) {
      throw new UserInputException(Param.SERVICE, Param.SERVICE.both() + " is required: the service to look at."
          + " Nothing was changed.");
    }
    if (cluster == null || cluster.isBlank()) {
      throw new UserInputException(Param.CLUSTER, Param.CLUSTER.both() + " is required: the cluster of service "
          + service + ". Nothing was changed.");
    }
    return ServiceLookup.active(ecs, cluster, service);
  }

  @Override
  public Optional<TaskDefinition> taskDefinition(String nameOrArn) {
    Optional<TaskDefinition> known = described.get(nameOrArn);
    if (known != null) {
      return known;
    }
    Optional<TaskDefinition> found;
    try {
      found = Optional.ofNullable(ecs.describeTaskDefinition(b -> b.taskDefinition(nameOrArn)).taskDefinition());
    } catch (ClientException e) {
      log.debug("DescribeTaskDefinition of " + nameOrArn + ": " + e.getMessage());
      found = Optional.empty();
    }
    described.put(nameOrArn, found);
    found.ifPresent(t -> described.put(t.taskDefinitionArn(), Optional.of(t)));
    return found;
  }

  @Override
  public List<String> activeRevisions(String family) {
    List<String> arns = new ArrayList<>();
    String prefix = ":task-definition/" + family + ":";
    for (String arn : ecs.listTaskDefinitionsPaginator(b -> b.familyPrefix(family)
            .status(TaskDefinitionStatus.ACTIVE).sort(SortOrder.DESC)).taskDefinitionArns()) {
      // familyPrefix matches every family that starts with it (hello-app also lists hello-app-worker).
      if (arn.contains(prefix) && arn.substring(arn.indexOf(prefix) + prefix.length()).matches("[0-9]+")) {
        arns.add(arn);
        if (arns.size() >= MAX_REVISIONS) {
          break;
        }
      }
    }
    arns.sort(Comparator.comparingInt(EcsServiceView::revisionOf).reversed());
    return arns;
  }

  /** Read once per service and view, so the fallback note is logged once. */
  @Override
  public Optional<List<PastDeployment>> history(Service service) {
    String key = service.serviceArn() != null ? service.serviceArn() : service.serviceName();
    Optional<List<PastDeployment>> known = histories.get(key);
    if (known == null) {
      known = readHistory(service);
      histories.put(key, known);
    }
    return known;
  }

  private Optional<List<PastDeployment>> readHistory(Service service) {
    List<ServiceDeploymentBrief> briefs;
    Map<String, String> taskDefinitions = new HashMap<>();
    try {
      briefs = new ArrayList<>(ecs.listServiceDeployments(b -> b.cluster(service.clusterArn())
          .service(service.serviceArn() != null ? service.serviceArn() : service.serviceName())
          .maxResults(HISTORY_SIZE)).serviceDeployments());
      List<String> revisionArns = briefs.stream().map(ServiceDeploymentBrief::targetServiceRevisionArn)
          .filter(Objects::nonNull).distinct().toList();
      // DescribeServiceRevisions takes at most 20 ARNs per call.
      for (int i = 0; i < revisionArns.size(); i += 20) {
        List<String> batch = revisionArns.subList(i, Math.min(revisionArns.size(), i + 20));
        for (ServiceRevision revision : ecs.describeServiceRevisions(b -> b.serviceRevisionArns(batch))
            .serviceRevisions()) {
          taskDefinitions.put(revision.serviceRevisionArn(), revision.taskDefinition());
        }
      }
    } catch (AwsServiceException e) {
      if (!unavailable(e)) {
        throw e;
      }
      log.info("The Service Deployments history is not available ("
          + (e.awsErrorDetails() != null ? e.awsErrorDetails().errorCode() : "HTTP " + e.statusCode())
          + "); using the task definition revisions and the deployments DescribeServices shows. Allow"
          + " ecs:ListServiceDeployments and ecs:DescribeServiceRevisions for the full history.");
      return Optional.empty();
    }
    briefs.sort(Comparator.comparing(
        (ServiceDeploymentBrief b) -> b.createdAt() != null ? b.createdAt() : b.startedAt(),
        Comparator.nullsLast(Comparator.reverseOrder())));
    List<PastDeployment> deployments = new ArrayList<>();
    for (ServiceDeploymentBrief brief : briefs) {
      deployments.add(new PastDeployment(brief.serviceDeploymentArn(),
          brief.startedAt() != null ? brief.startedAt() : brief.createdAt(), brief.finishedAt(),
          taskDefinitions.get(brief.targetServiceRevisionArn()), brief.statusAsString(), brief.statusReason()));
    }
    return Optional.of(List.copyOf(deployments));
  }

  /** Whether {@code e} says the history API may not or cannot be used here (rather than that AWS failed). */
  static boolean unavailable(AwsServiceException e) {
    if (e instanceof AccessDeniedException || e instanceof UnsupportedFeatureException) {
      return true;
    }
    String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    if (code == null) {
      return e.statusCode() == 403;
    }
    String c = code.toLowerCase(Locale.ROOT);
    return c.contains("accessdenied") || c.contains("unknownoperation") || c.contains("unsupported")
        || c.equals("invalidaction") || e.statusCode() == 403;
  }

  @Override
  public Optional<String> ecrDigest(ImageRef image, String tag) {
    String registryId = image.ecrRegistryId().orElse(null);
    try {
      return ecr.get().describeImages(b -> b.repositoryName(image.repository()).registryId(registryId)
              .imageIds(i -> i.imageTag(tag)))
          .imageDetails().stream().findFirst().map(d -> d.imageDigest());
    } catch (ImageNotFoundException | RepositoryNotFoundException e) {
      log.debug("ECR has no " + image.repository() + ":" + tag + ": " + e.getMessage());
      return Optional.empty();
    }
  }

  /** The revision number at the end of a task definition ARN or {@code family:revision}; -1 when none. */
  static int revisionOf(String arn) {
    if (arn == null) {
      return -1;
    }
    int colon = arn.lastIndexOf(':');
    try {
      return Integer.parseInt(arn.substring(colon + 1));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

}
