package io.github.ecsdeploy.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;

/**
 * The {@code ecs:status} logic: reads the service, the revision of its PRIMARY deployment, the last deployments
 * (ECS's Service Deployments history when it may be read, else the deployments DescribeServices still shows)
 * and the target {@code ecs:rollback} would choose ({@link RollbackPlanner}). Reads only.
 */
public final class ServiceStatusReader {

  /** How many deployments status lists. */
  public static final int LAST_DEPLOYMENTS = 5;

  private final ServiceView view;
  private final DeployLog log;

  public ServiceStatusReader(ServiceView view, DeployLog log) {
    this.view = Objects.requireNonNull(view, "view");
    this.log = Objects.requireNonNull(log, "log");
  }

  /**
   * Reads the status.
   *
   * @param request cluster, service, container and repository as for a rollback; {@code to} is ignored
   * @throws UserInputException the cluster or service does not exist, or the container cannot be chosen
   */
  public ServiceStatus read(RollbackPlanner.Request request) {
    Service service = view.service(request.cluster(), request.service());
    String name = service.serviceName() != null ? service.serviceName() : request.service();
    Deployment primary = service.deployments().stream().filter(d -> "PRIMARY".equals(d.status())).findFirst()
        .orElse(null);
    String currentArn = primary != null && primary.taskDefinition() != null ? primary.taskDefinition()
        : service.taskDefinition();

    String container = null;
    ServiceStatus.RevisionInfo current = null;
    TaskDefinition definition = currentArn == null ? null : view.taskDefinition(currentArn).orElse(null);
    if (definition != null) {
      String label = definition.family() + ":" + definition.revision();
      ImageRef ours = request.repository() == null || request.repository().isBlank() ? null
          : ImageRef.parse(request.repository());
      container = ContainerSelector.select(label, definition.containerDefinitions(), request.container(),
          ours == null ? null : ours.registry(), ours == null ? null : ours.repository());
      String image = RollbackPlanner.imageOf(definition, container);
      current = new ServiceStatus.RevisionInfo(currentArn, label, container, image, tagOf(image), digestOf(image),
          null);
    }

    ServiceStatus.DeploymentInfo now = primary == null ? null : info(primary, container);
    Optional<List<PastDeployment>> history = view.history(service);
    List<ServiceStatus.DeploymentInfo> deployments = new ArrayList<>();
    if (history.isPresent()) {
      for (PastDeployment d : history.get().subList(0, Math.min(LAST_DEPLOYMENTS, history.get().size()))) {
        deployments.add(new ServiceStatus.DeploymentInfo(d.id(), d.startedAt(), d.finishedAt(),
            d.taskDefinitionArn() == null ? null : TaskDefinitionNames.shortName(d.taskDefinitionArn()),
            tagOfRevision(d.taskDefinitionArn(), container), d.status(), null, d.reason()));
      }
    } else {
      for (Deployment d : service.deployments().subList(0, Math.min(LAST_DEPLOYMENTS, service.deployments().size()))) {
        deployments.add(info(d, container));
      }
    }

    ServiceStatus.RevisionInfo target = null;
    String note = null;
    if (current != null) {
      try {
        RollbackPlanner.Plan plan = new RollbackPlanner(view, DeployLog.silent())
            .plan(new RollbackPlanner.Request(request.cluster(), request.service(), container,
                request.repository(), null), service);
        target = new ServiceStatus.RevisionInfo(plan.to().taskDefinitionArn(), plan.to().label(), container,
            plan.to().image(), plan.to().tag(), plan.to().digest(), plan.reason());
      } catch (UserInputException e) {
        note = e.getMessage().replace(" Nothing was changed.", "");
      }
    } else {
      note = "the service runs no task definition";
    }
    return new ServiceStatus(request.cluster(), name, service.status(), orZero(service.runningCount()),
        orZero(service.desiredCount()), orZero(service.pendingCount()), current, now,
        history.isPresent() ? "ListServiceDeployments" : "DescribeServices", deployments, target, note);
  }

  private ServiceStatus.DeploymentInfo info(Deployment d, String container) {
    String outcome = d.rolloutState() != null ? d.rolloutStateAsString() : d.status();
    return new ServiceStatus.DeploymentInfo(d.id(), d.createdAt(),
        "COMPLETED".equals(outcome) || "FAILED".equals(outcome) ? d.updatedAt() : null,
        d.taskDefinition() == null ? null : TaskDefinitionNames.shortName(d.taskDefinition()),
        container == null ? null : tagOfRevision(d.taskDefinition(), container), outcome,
        DeploymentVerdict.counts(d), d.rolloutStateReason());
  }

  private String tagOfRevision(String arn, String container) {
    if (arn == null || container == null) {
      return null;
    }
    return view.taskDefinition(arn).map(t -> tagOf(RollbackPlanner.imageOf(t, container))).orElse(null);
  }

  private static String tagOf(String image) {
    return image == null ? null : ImageRef.parse(image).tag();
  }

  /** The digest of the reference; else, for a tag, the one ECR holds for it (best effort). */
  private String digestOf(String image) {
    if (image == null) {
      return null;
    }
    ImageRef ref = ImageRef.parse(image);
    if (ref.digest() != null || ref.tag() == null) {
      return ref.digest();
    }
    try {
      return view.ecrDigest(ref, ref.tag()).orElse(null);
    } catch (SdkException e) {
      log.debug("No digest for " + image + " from ECR: " + e.getMessage());
      return null;
    }
  }

  private static int orZero(Integer value) {
    return value == null ? 0 : value;
  }
}
