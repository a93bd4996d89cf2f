package io.github.ecsdeploy.core;

import java.time.Instant;

/**
 * One deployment of a service as {@code ecs:status} and {@code ecs:rollback} see it: from the Service
 * Deployments API (status {@code SUCCESSFUL}, {@code ROLLBACK_SUCCESSFUL}, {@code STOPPED}, ...) or, without
 * it, from DescribeServices' {@code deployments[]} (rollout state {@code COMPLETED}, {@code IN_PROGRESS},
 * {@code FAILED}).
 *
 * @param id the service deployment ARN, or the deployment id ({@code ecs-svc/...})
 * @param startedAt when it started (or was created), or {@code null}
 * @param finishedAt when it finished, or {@code null} while it runs or when unknown
 * @param taskDefinitionArn the revision it deployed, or {@code null} when unknown
 * @param status the outcome as ECS names it
 * @param reason ECS's reason for the status, or {@code null}
 */
public record PastDeployment(
    String id, Instant startedAt, Instant finishedAt, String taskDefinitionArn, String status, String reason) {

  /** Whether ECS reports the deployment as a success ({@code SUCCESSFUL}, or rollout state {@code COMPLETED}). */
  public boolean successful() {
    return "SUCCESSFUL".equals(status) || "COMPLETED".equals(status);
  }
}
