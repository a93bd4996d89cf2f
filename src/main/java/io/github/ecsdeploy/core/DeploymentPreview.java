package io.github.ecsdeploy.core;

import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.ecs.model.DeploymentAlarms;
import software.amazon.awssdk.services.ecs.model.DeploymentCircuitBreaker;
import software.amazon.awssdk.services.ecs.model.DeploymentConfiguration;
import software.amazon.awssdk.services.ecs.model.DeploymentControllerType;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;

/**
 * A dry run of update-service: reads the service and says what UpdateService would change (the revision and
 * its image, before and after), refuses what update-service would refuse, and warns when neither the deployment
 * circuit breaker nor CloudWatch alarms watch the rollout (a failing release would then run until the build's
 * timeout, with ECS retrying tasks). Calls DescribeServices and DescribeTaskDefinition only.
 */
public final class DeploymentPreview {

  private final ServiceView view;
  private final DeployLog log;

  public DeploymentPreview(ServiceView view, DeployLog log) {
    this.view = Objects.requireNonNull(view, "view");
    this.log = Objects.requireNonNull(log, "log");
  }

  /**
   * Prints what update-service would do.
   *
   * @param cluster the cluster
   * @param service the service
   * @param taskDefinitionArn the revision to deploy; {@code null} when register-task-def's dry run would register
   *     a new one
   * @param image the image of that revision, when known
   * @param timeout the build's timeout, for the warning
   * @throws UserInputException the service does not exist, is not ACTIVE, or is not deployed by ECS
   */
  public void preview(String cluster, String service, String taskDefinitionArn, String image,
      java.time.Duration timeout) {
    Service current = view.service(cluster, service);
    String name = current.serviceName() != null ? current.serviceName() : service;
    DeploymentControllerType controller = current.deploymentController() == null ? DeploymentControllerType.ECS
        : current.deploymentController().type();
    if (controller != DeploymentControllerType.ECS) {
      throw new UserInputException(Param.SERVICE, "Service '" + name + "' uses the " + controller
          + " deployment controller: update-service would refuse it, since ECS does not change its task"
          + " definition through UpdateService. Nothing was changed.");
    }
    String from = current.taskDefinition();
    String fromImage = Optional.ofNullable(from).flatMap(view::taskDefinition)
        .map(t -> images(t)).orElse("unknown");
    String to = taskDefinitionArn == null ? "the revision register-task-def would register"
        : TaskDefinitionNames.shortName(taskDefinitionArn);
    if (taskDefinitionArn != null && taskDefinitionArn.equals(from)) {
      log.info("Dry run (" + DryRun.PARAM.both() + "): service " + name + " already runs " + to + "; update-service"
          + " would start no deployment unless one is still in progress or "
          + UpdateServiceRequest.FORCE_NEW_DEPLOYMENT.both() + "=true. Nothing was changed.");
    } else {
      log.info("Dry run (" + DryRun.PARAM.both() + "): update-service would deploy " + to + " to service " + name
          + " in cluster " + cluster + " and wait for that deployment. Nothing was changed.");
      log.info("  now  " + TaskDefinitionNames.shortName(from) + " (" + fromImage + ")");
      log.info("  then " + to + " (" + (image != null ? image
          : Optional.ofNullable(taskDefinitionArn).flatMap(view::taskDefinition).map(t -> images(t))
              .orElse("image unknown")) + ")");
    }
    DeploymentConfiguration configuration = current.deploymentConfiguration();
    DeploymentCircuitBreaker breaker = configuration == null ? null : configuration.deploymentCircuitBreaker();
    DeploymentAlarms alarms = configuration == null ? null : configuration.alarms();
    boolean breakerOn = breaker != null && Boolean.TRUE.equals(breaker.enable());
    boolean alarmsOn = alarms != null && Boolean.TRUE.equals(alarms.enable());
    if (!breakerOn && !alarmsOn) {
      log.warn("Service " + name + " has neither the deployment circuit breaker nor deployment alarms: if the new"
          + " tasks fail, ECS keeps replacing them, never marks the deployment FAILED, and update-service can only"
          + " time out after " + Durations.human(timeout) + ". Turn the circuit breaker on: aws ecs"
          + " update-service --cluster " + cluster + " --service " + name + " --deployment-configuration"
          + " 'deploymentCircuitBreaker={enable=true,rollback=true}'.");
    }
  }

  private static String images(TaskDefinition definition) {
    return definition.containerDefinitions().stream().map(c -> c.name() + ": " + c.image())
        .reduce((a, b) -> a + ", " + b).orElse("no containers");
  }
}
