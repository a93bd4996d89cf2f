package io.github.ecsdeploy.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code ecs:status} shows: what runs now and how it got there. Printed as text, or as JSON (field names
 * as here) for scripts.
 *
 * @param cluster the cluster as given
 * @param service the service name
 * @param status the service status ({@code ACTIVE})
 * @param runningCount tasks running
 * @param desiredCount tasks wanted
 * @param pendingCount tasks starting
 * @param current the revision of the PRIMARY deployment and its chosen container's image
 * @param deployment the PRIMARY deployment now
 * @param historySource {@code ListServiceDeployments} or {@code DescribeServices} (only deployments still
 *     visible there)
 * @param deployments the last deployments, newest first (at most 5)
 * @param rollbackTarget what {@code ecs:rollback} would deploy, or {@code null}
 * @param rollbackNote why there is no rollback target, or {@code null}
 */
public record ServiceStatus(
    String cluster,
    String service,
    String status,
    int runningCount,
    int desiredCount,
    int pendingCount,
    RevisionInfo current,
    DeploymentInfo deployment,
    String historySource,
    List<DeploymentInfo> deployments,
    RevisionInfo rollbackTarget,
    String rollbackNote) {

  /**
   * A revision as status shows it.
   *
   * @param taskDefinitionArn the revision ARN ({@code null} for one rollback would register)
   * @param revision {@code family:revision}
   * @param container the chosen container
   * @param image its image
   * @param tag the image tag, or {@code null}
   * @param digest the image digest (from the reference, else what ECR holds for the tag), or {@code null}
   * @param reason why (for the rollback target), or {@code null}
   */
  public record RevisionInfo(
      String taskDefinitionArn, String revision, String container, String image, String tag, String digest,
      String reason) {}

  /**
   * A deployment as status shows it.
   *
   * @param id deployment id or service deployment ARN
   * @param startedAt when it started, or {@code null}
   * @param finishedAt when it finished, or {@code null}
   * @param revision {@code family:revision}, or {@code null} when unknown
   * @param tag the image tag of the chosen container in that revision, or {@code null}
   * @param outcome ECS's status of it ({@code SUCCESSFUL}, {@code COMPLETED}, {@code IN_PROGRESS}, ...)
   * @param counts {@code 2 running / 2 desired / 0 pending} for a deployment DescribeServices shows, else null
   * @param reason ECS's reason, or {@code null}
   */
  public record DeploymentInfo(
      String id, Instant startedAt, Instant finishedAt, String revision, String tag, String outcome,
      String counts, String reason) {}

  /** The text {@code ecs:status} prints, one line each. */
  public List<String> lines() {
    List<String> lines = new ArrayList<>();
    lines.add("Service " + service + " in cluster " + cluster + " (" + status + "): " + runningCount + " running / "
        + desiredCount + " desired / " + pendingCount + " pending");
    if (current != null) {
      lines.add("Runs " + current.revision() + ": container " + current.container() + ", image " + current.image());
      lines.add("  tag " + orNone(current.tag()) + ", digest " + orNone(current.digest()));
    }
    if (deployment != null) {
      lines.add("Deployment " + deployment.id() + ": " + deployment.outcome()
          + (deployment.counts() == null ? "" : " (" + deployment.counts() + ")")
          + (deployment.reason() == null ? "" : ": " + deployment.reason()));
    }
    lines.add("Last deployments (from " + historySource + (historySource.equals("DescribeServices")
        ? ": only those still active; allow ecs:ListServiceDeployments for the history" : "") + "):");
    if (deployments.isEmpty()) {
      lines.add("  none");
    }
    for (DeploymentInfo d : deployments) {
      lines.add("  " + (d.startedAt() == null ? "-" : d.startedAt().toString()) + "  " + orNone(d.revision())
          + "  tag " + orNone(d.tag()) + "  " + d.outcome() + (d.reason() == null ? "" : " (" + d.reason() + ")"));
    }
    if (rollbackTarget != null) {
      lines.add("ecs:rollback would deploy " + rollbackTarget.revision() + " (image " + rollbackTarget.image()
          + ", tag " + orNone(rollbackTarget.tag()) + "): " + rollbackTarget.reason());
    } else {
      lines.add("ecs:rollback has no target: " + rollbackNote);
    }
    return lines;
  }

  private static String orNone(String value) {
    return value == null ? "none" : value;
  }
}
