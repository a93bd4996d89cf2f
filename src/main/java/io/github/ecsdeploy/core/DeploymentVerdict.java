package io.github.ecsdeploy.core;

import java.util.List;
import java.util.Objects;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.DeploymentRolloutState;
import software.amazon.awssdk.services.ecs.model.Service;

/**
 * What one DescribeServices snapshot says about the deployment we are watching. Pure: the same snapshot
 * always gives the same verdict, so the rules are tested on recorded sequences without any client or clock.
 *
 * <p>The rules, in order:
 *
 * <ol>
 *   <li>our deployment's rolloutState is FAILED: {@link DeploymentOutcome#ROLLED_BACK} when another deployment
 *       is PRIMARY now (named in the message), else {@link DeploymentOutcome#FAILED};
 *   <li>our deployment is gone or no longer PRIMARY: {@link DeploymentOutcome#ROLLED_BACK} when the new PRIMARY
 *       runs the revision the service ran before our call, else {@link DeploymentOutcome#REPLACED};
 *   <li>rolloutState COMPLETED: {@link DeploymentOutcome#COMPLETED};
 *   <li>no rolloutState (older services): COMPLETED when ours is the only deployment and running == desired;
 *   <li>anything else: still in progress ({@code outcome} is {@code null}).
 * </ol>
 *
 * @param outcome the final outcome, or {@code null} while the deployment is in progress
 * @param message one paragraph saying what happened; empty while in progress
 * @param ours our deployment in this snapshot, or {@code null} when it is gone
 */
public record DeploymentVerdict(DeploymentOutcome outcome, String message, Deployment ours) {

  private static final String PRIMARY = "PRIMARY";

  /** Whether the watching is over. */
  public boolean done() {
    return outcome != null;
  }

  /**
   * Judges one snapshot.
   *
   * @param service the service as DescribeServices returned it
   * @param deploymentId the id of the deployment our UpdateService created
   * @param taskDefinitionArn the revision we deployed
   * @param previousTaskDefinitionArn the revision the service ran before our call, to recognise a rollback
   */
  public static DeploymentVerdict judge(
      Service service, String deploymentId, String taskDefinitionArn, String previousTaskDefinitionArn) {
    Objects.requireNonNull(service, "service");
    List<Deployment> deployments = service.deployments();
    Deployment ours = deployments.stream().filter(d -> deploymentId.equals(d.id())).findFirst().orElse(null);
    Deployment primary = deployments.stream().filter(d -> PRIMARY.equals(d.status())).findFirst().orElse(null);
    String what = "Deployment " + deploymentId + " of " + TaskDefinitionNames.shortName(taskDefinitionArn);

    if (ours != null && ours.rolloutState() == DeploymentRolloutState.FAILED) {
      String reason = ours.rolloutStateReason() == null || ours.rolloutStateReason().isBlank()
          ? "ECS gave no reason."
          : sentence(ours.rolloutStateReason());
      if (primary != null && !deploymentId.equals(primary.id())) {
        return new DeploymentVerdict(
            DeploymentOutcome.ROLLED_BACK,
            what + " FAILED: " + reason + " ECS rolled back to "
                + TaskDefinitionNames.shortName(primary.taskDefinition()) + " (deployment " + primary.id() + ").",
            ours);
      }
      return new DeploymentVerdict(
          DeploymentOutcome.FAILED,
          what + " FAILED: " + reason + rollbackHint(service),
          ours);
    }

    if (ours == null || !PRIMARY.equals(ours.status())) {
      String state = ours == null ? " is gone from the service" : " is no longer PRIMARY (now " + ours.status() + ")";
      if (primary == null) {
        return new DeploymentVerdict(
            DeploymentOutcome.REPLACED, what + state + " and the service has no PRIMARY deployment.", ours);
      }
      String next = TaskDefinitionNames.shortName(primary.taskDefinition()) + " (deployment " + primary.id() + ")";
      if (previousTaskDefinitionArn != null
          && previousTaskDefinitionArn.equals(primary.taskDefinition())
          && !previousTaskDefinitionArn.equals(taskDefinitionArn)) {
        return new DeploymentVerdict(
            DeploymentOutcome.ROLLED_BACK,
            what + state + ": the service was rolled back to " + next + ", the revision it ran before.",
            ours);
      }
      return new DeploymentVerdict(
          DeploymentOutcome.REPLACED,
          what + state + ": it was replaced by " + next + ", which this build did not start. Someone or something"
              + " else updated the service while we were deploying; check who before deploying again.",
          ours);
    }

    if (ours.rolloutState() == DeploymentRolloutState.COMPLETED) {
      return new DeploymentVerdict(DeploymentOutcome.COMPLETED, what + " COMPLETED: " + counts(ours) + ".", ours);
    }
    if ((ours.rolloutState() == null || ours.rolloutState() == DeploymentRolloutState.UNKNOWN_TO_SDK_VERSION)
        && deployments.size() == 1
        && Objects.equals(ours.runningCount(), ours.desiredCount())) {
      return new DeploymentVerdict(
          DeploymentOutcome.COMPLETED,
          what + " is the only deployment and steady: " + counts(ours) + ".",
          ours);
    }
    return new DeploymentVerdict(null, "", ours);
  }

  /** {@code 2/3 running, 1 pending, 0 failed}. */
  static String counts(Deployment d) {
    return n(d.runningCount()) + "/" + n(d.desiredCount()) + " running, " + n(d.pendingCount()) + " pending, "
        + n(d.failedTasks()) + " failed";
  }

  private static int n(Integer value) {
    return value == null ? 0 : value;
  }

  private static String sentence(String text) {
    String t = text.strip();
    return t.endsWith(".") || t.endsWith("!") || t.endsWith("?") ? t : t + ".";
  }

  private static String rollbackHint(Service service) {
    var configuration = service.deploymentConfiguration();
    if (configuration != null
        && configuration.deploymentCircuitBreaker() != null
        && Boolean.TRUE.equals(configuration.deploymentCircuitBreaker().rollback())) {
      return " The circuit breaker's rollback is enabled, so ECS is rolling back to the previous revision.";
    }
    return " Rollback is not enabled on the service's circuit breaker, so ECS did not roll back; deploy a fixed"
        + " revision or the previous one.";
  }
}
