package io.github.ecsdeploy.core;

import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;

/**
 * What {@link RollbackPlanner} and {@link ServiceStatusReader} read about a service, its task definition
 * revisions, its deployment history and the images in ECR. Reads only: nothing here changes AWS. The AWS
 * implementation is {@link EcsServiceView}; unit tests use a fake.
 */
public interface ServiceView {

  /**
   * The service as DescribeServices returns it.
   *
   * @throws UserInputException when the cluster or service does not exist or the service is not ACTIVE
   */
  Service service(String cluster, String service);

  /** The revision ({@code family:revision} or ARN), or empty when ECS does not know it. */
  Optional<TaskDefinition> taskDefinition(String nameOrArn);

  /** The ARNs of the ACTIVE revisions of exactly {@code family}, newest (highest revision) first. */
  List<String> activeRevisions(String family);

  /**
   * The service's deployments from ECS's Service Deployments API, newest first, each with the task definition
   * it deployed; empty when that API is not available to these credentials (not allowed, or unknown to the
   * endpoint), so the caller falls back to what DescribeServices and the revisions show.
   */
  Optional<List<PastDeployment>> history(Service service);

  /**
   * The digest ECR holds for {@code tag} in the repository of {@code image} (its registry account when it is
   * an ECR host), or empty when the tag (or the repository) is not there.
   */
  Optional<String> ecrDigest(ImageRef image, String tag);
}
