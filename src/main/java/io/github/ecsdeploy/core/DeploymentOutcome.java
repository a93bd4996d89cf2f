package io.github.ecsdeploy.core;

/**
 * How an {@code update-service} run ended, as written to {@code deployment.json} and
 * {@code ECS_DEPLOYMENT_OUTCOME}.
 */
public enum DeploymentOutcome {
  /** Our deployment reached rolloutState COMPLETED (or, without rollout state, is the only one, steady). */
  COMPLETED(true),
  /** The service already ran the exact revision in one finished deployment; nothing was started. */
  UNCHANGED(true),
  /** The deployment was started and the build did not wait ({@code ecs.updateService.wait=false}). */
  STARTED(true),
  /** Our deployment's rolloutState became FAILED and ECS did not (yet) roll back. */
  FAILED(false),
  /** Our deployment failed or lost PRIMARY and the service went back to an earlier revision. */
  ROLLED_BACK(false),
  /** Another deployment that this build did not start took over from ours. */
  REPLACED(false),
  /** Our deployment did not finish within the timeout; ECS may still be working on it. */
  TIMED_OUT(false);

  private final boolean success;

  DeploymentOutcome(boolean success) {
    this.success = success;
  }

  /** Whether the build may continue. */
  public boolean success() {
    return success;
  }
}
