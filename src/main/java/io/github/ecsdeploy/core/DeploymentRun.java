package io.github.ecsdeploy.core;

import java.time.Instant;
import java.util.Objects;

/**
 * One {@code update-service} run once ECS was reached: what was asked, the service as ECS names it, the deployment
 * being watched and when the run began. Turns an outcome into the {@link DeploymentResult} the outputs record.
 *
 * @param request what was asked
 * @param serviceName the service name as ECS reports it
 * @param deploymentId the ECS deployment we started or found
 * @param startedAt when the run began (before UpdateService)
 */
record DeploymentRun(UpdateServiceRequest request, String serviceName, String deploymentId, Instant startedAt) {

  DeploymentRun {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(serviceName, "serviceName");
    Objects.requireNonNull(deploymentId, "deploymentId");
    Objects.requireNonNull(startedAt, "startedAt");
  }

  /** The result of this run ending now with {@code outcome}. */
  DeploymentResult result(DeploymentOutcome outcome, String message, Instant finishedAt) {
    return new DeploymentResult(
        request.cluster(), serviceName, deploymentId, request.taskDefinitionArn(), request.image(), outcome, message,
        startedAt, finishedAt);
  }
}
