package io.github.ecsdeploy.core;

import java.time.Duration;
import java.time.Instant;

/**
 * The end of one {@code update-service} run, success or failure, as the outputs record it.
 *
 * @param cluster the cluster as given
 * @param service the service name as ECS reports it
 * @param deploymentId the ECS deployment we started or found, e.g. {@code ecs-svc/1234567890}
 * @param taskDefinitionArn the exact revision deployed
 * @param image the image of that revision, or {@code null} when unknown
 * @param outcome how it ended
 * @param message one paragraph for humans: what happened
 * @param startedAt when the run began (before UpdateService)
 * @param finishedAt when the verdict was reached
 */
public record DeploymentResult(
    String cluster,
    String service,
    String deploymentId,
    String taskDefinitionArn,
    String image,
    DeploymentOutcome outcome,
    String message,
    Instant startedAt,
    Instant finishedAt) {

  /** Whole seconds between {@link #startedAt()} and {@link #finishedAt()}. */
  public long durationSeconds() {
    return Duration.between(startedAt, finishedAt).toSeconds();
  }
}
