package io.github.ecsdeploy.core;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.DeploymentConfiguration;
import software.amazon.awssdk.services.ecs.model.DeploymentRolloutState;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceDeployment;
import software.amazon.awssdk.services.ecs.model.ServiceDeploymentRollbackMonitorsStatus;

/**
 * What ECS says about the deployment we are watching. Pure: the same inputs always give the same verdict, so the
 * rules are tested on hand-built and example sequences without any client or clock.
 *
 * <p>Two sources, two rule sets:
 *
 * <ul>
 *   <li>{@link #judge(ServiceDeployment, Service, Context)}: the Service Deployments API, the authoritative record
 *       (status SUCCESSFUL, ROLLBACK_*, STOPPED). A circuit-breaker or alarm rollback does not create a new service
 *       deployment: ours moves to ROLLBACK_REQUESTED, ROLLBACK_IN_PROGRESS and ROLLBACK_SUCCESSFUL (ECS Developer
 *       Guide, "Amazon ECS service revisions": "Amazon ECS doesn't create a new service revision for a rollback
 *       operation").
 *   <li>{@link #judge(Service, Context)}: {@code deployments[]} of DescribeServices, the fallback. The rules, in
 *       order:
 *       <ol>
 *         <li>a read without our deployment, before any read that had it and without any deployment newer than
 *             ours, predates our UpdateService (ECS is eventually consistent): no verdict ({@link #stale});
 *         <li>another deployment is PRIMARY and it is a rollback (its rolloutStateReason says "rolling back to", or
 *             ours is FAILED): {@link DeploymentOutcome#ROLLED_BACK} naming the revision ECS went back to, also
 *             while ours still lags IN_PROGRESS and after ours is gone;
 *         <li>ours is FAILED and no rollback is visible: {@link DeploymentOutcome#FAILED} when rollback is off or
 *             has nothing COMPLETED to go back to (ECS then stalls); else still in progress (the rollback
 *             deployment appears shortly);
 *         <li>ours is gone or no longer PRIMARY: {@link DeploymentOutcome#ROLLED_BACK} when the new PRIMARY runs a
 *             revision that was COMPLETED before our call, else {@link DeploymentOutcome#REPLACED};
 *         <li>rolloutState COMPLETED: {@link DeploymentOutcome#COMPLETED};
 *         <li>no rolloutState (older services): COMPLETED when ours is the only deployment and running == desired;
 *         <li>anything else: still in progress.
 *       </ol>
 * </ul>
 *
 * @param outcome the final outcome, or {@code null} while the deployment is in progress
 * @param message one paragraph saying what happened; empty while in progress
 * @param ours our deployment in the DescribeServices snapshot, or {@code null} when it is not in it
 */
public record DeploymentVerdict(DeploymentOutcome outcome, String message, Deployment ours) {

  private static final String PRIMARY = "PRIMARY";

  /** Whether the watching is over. */
  public boolean done() {
    return outcome != null;
  }

  /**
   * What the watcher knows about our deployment beyond one snapshot.
   *
   * @param deploymentId the id of the deployment our UpdateService created ({@code ecs-svc/...})
   * @param createdAt when ECS created it (from the UpdateService response), {@code null} when unknown
   * @param taskDefinitionArn the revision we deployed
   * @param before the service as it was before our call
   * @param seenInRead whether a DescribeServices read after UpdateService listed our deployment
   */
  public record Context(
      String deploymentId, Instant createdAt, String taskDefinitionArn, Service before, boolean seenInRead) {

    public Context {
      Objects.requireNonNull(deploymentId, "deploymentId");
      Objects.requireNonNull(taskDefinitionArn, "taskDefinitionArn");
      Objects.requireNonNull(before, "before");
    }

    /** The same, after a read that listed our deployment. */
    public Context seen() {
      return new Context(deploymentId, createdAt, taskDefinitionArn, before, true);
    }

    String what() {
      return "Deployment " + deploymentId + " of " + TaskDefinitionNames.shortName(taskDefinitionArn);
    }

    /** Revisions that were in a COMPLETED deployment before our call: what a rollback can go back to. */
    Set<String> completedBefore() {
      return before.deployments().stream()
          .filter(d -> !deploymentId.equals(d.id()))
          .filter(d -> d.rolloutState() == DeploymentRolloutState.COMPLETED
              || d.rolloutState() == null && PRIMARY.equals(d.status()) && before.deployments().size() == 1)
          .map(Deployment::taskDefinition)
          .filter(Objects::nonNull)
          .collect(Collectors.toSet());
    }
  }

  /**
   * Whether {@code service} predates our deployment: it lacks ours, no earlier read had ours, and it lists no
   * deployment created after ours. Such a read says nothing about our deployment (aws-cli #9275: the ECS API is
   * eventually consistent, a read right after UpdateService can show the service as it was).
   */
  public static boolean stale(Service service, Context context) {
    if (context.seenInRead() || find(service.deployments(), context.deploymentId()) != null) {
      return false;
    }
    return service.deployments().stream().noneMatch(d -> newer(d, context));
  }

  /** Judges one DescribeServices snapshot ({@code deployments[]}); see the class comment for the rules. */
  public static DeploymentVerdict judge(Service service, Context context) {
    Objects.requireNonNull(service, "service");
    List<Deployment> deployments = service.deployments();
    String id = context.deploymentId();
    Deployment ours = find(deployments, id);
    Deployment primary = deployments.stream().filter(d -> PRIMARY.equals(d.status())).findFirst().orElse(null);
    String what = context.what();
    if (ours == null && stale(service, context)) {
      return new DeploymentVerdict(null, "", null);
    }
    boolean oursFailed = ours != null && ours.rolloutState() == DeploymentRolloutState.FAILED;
    Deployment other = primary != null && !id.equals(primary.id()) ? primary : null;

    if (other != null && (rollingBack(other) || oursFailed)) {
      String state = oursFailed ? " FAILED: " + reason(ours)
          : ours == null ? " is gone from the service; it failed:"
          : " failed (its rolloutState still says " + ours.rolloutStateAsString() + "):";
      String why = rollingBack(other) ? " (" + strip(other.rolloutStateReason()) + ")" : "";
      return new DeploymentVerdict(
          DeploymentOutcome.ROLLED_BACK,
          what + state + " ECS rolled back to " + TaskDefinitionNames.shortName(other.taskDefinition())
              + " (deployment " + other.id() + ")" + why + ".",
          ours);
    }
    if (oursFailed) {
      Rollback rollback = Rollback.of(service.deploymentConfiguration());
      if (!rollback.on()) {
        return new DeploymentVerdict(
            DeploymentOutcome.FAILED, what + " FAILED: " + reason(ours) + " " + rollback.hint(), ours);
      }
      if (context.completedBefore().isEmpty() && deployments.stream()
          .noneMatch(d -> d != ours && d.rolloutState() == DeploymentRolloutState.COMPLETED)) {
        return new DeploymentVerdict(
            DeploymentOutcome.FAILED, what + " FAILED: " + reason(ours) + " " + rollback.stallHint(), ours);
      }
      return new DeploymentVerdict(null, "", ours); // the rollback deployment shows up next
    }

    if (ours == null || !PRIMARY.equals(ours.status())) {
      String state = ours == null ? " is gone from the service" : " is no longer PRIMARY (now " + ours.status() + ")";
      if (primary == null) {
        return new DeploymentVerdict(
            DeploymentOutcome.REPLACED, what + state + " and the service has no PRIMARY deployment.", ours);
      }
      String next = TaskDefinitionNames.shortName(primary.taskDefinition()) + " (deployment " + primary.id() + ")";
      if (context.completedBefore().contains(primary.taskDefinition())
          && !context.taskDefinitionArn().equals(primary.taskDefinition())) {
        return new DeploymentVerdict(
            DeploymentOutcome.ROLLED_BACK,
            what + state + ": the service was rolled back to " + next + ", the last revision COMPLETED before.",
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

  /**
   * Judges our service deployment (DescribeServiceDeployments), with the DescribeServices snapshot of the same
   * poll (may be {@code null}) to name the revision ECS rolled back to and to tell a replacement.
   */
  public static DeploymentVerdict judge(ServiceDeployment sd, Service service, Context context) {
    return judge(sd, service, context, null);
  }

  /**
   * As {@link #judge(ServiceDeployment, Service, Context)}, naming a rollback's target by
   * {@code rollbackTaskDefinition} (the task definition of the service revision ECS went back to) when
   * DescribeServices does not list the rollback deployment yet.
   */
  public static DeploymentVerdict judge(
      ServiceDeployment sd, Service service, Context context, String rollbackTaskDefinition) {
    Objects.requireNonNull(sd, "sd");
    Deployment ours = service == null ? null : find(service.deployments(), context.deploymentId());
    String what = context.what();
    String reason = sd.statusReason() == null || sd.statusReason().isBlank()
        ? "" : " " + sentence(sd.statusReason());
    return switch (sd.status() == null ? software.amazon.awssdk.services.ecs.model.ServiceDeploymentStatus
        .UNKNOWN_TO_SDK_VERSION : sd.status()) {
      case SUCCESSFUL -> new DeploymentVerdict(
          DeploymentOutcome.COMPLETED,
          what + " COMPLETED: " + successCounts(sd, ours) + " (service deployment "
              + lastSegment(sd.serviceDeploymentArn()) + " SUCCESSFUL).",
          ours);
      case ROLLBACK_REQUESTED, ROLLBACK_IN_PROGRESS, ROLLBACK_SUCCESSFUL -> {
        // ECS decided: the verdict does not wait for the rollback to finish; the status says how far it got
        yield new DeploymentVerdict(
            DeploymentOutcome.ROLLED_BACK,
            what + " FAILED: " + rollbackReason(sd) + " ECS rolled back to " + rollbackTarget(sd, service, context, rollbackTaskDefinition)
                + " (service deployment " + sd.statusAsString() + ").",
            ours);
      }
      case ROLLBACK_FAILED -> new DeploymentVerdict(
          DeploymentOutcome.FAILED,
          what + " FAILED and so did ECS's rollback to " + rollbackTarget(sd, service, context, rollbackTaskDefinition) + ":" + reason
              + " The service may run no healthy revision now; check it in the ECS console and deploy a fixed or"
              + " the previous revision.",
          ours);
      case STOPPED -> {
        if (service != null && service.deployments().stream()
            .anyMatch(d -> PRIMARY.equals(d.status()) && context.deploymentId().equals(d.id())
                && d.rolloutState() == DeploymentRolloutState.IN_PROGRESS)) {
          // DescribeServices was read before the service deployment: it still shows ours as the PRIMARY rollout in
          // progress, so it predates whatever stopped ours (a newer deployment is PRIMARY once ECS stops ours for
          // it; a failure without rollback leaves ours PRIMARY but FAILED). Judge on the next, newer read rather than
          // call a replacement a failure.
          yield new DeploymentVerdict(null, "", ours);
        }
        Deployment primary = service == null ? null : service.deployments().stream()
            .filter(d -> PRIMARY.equals(d.status()) && !context.deploymentId().equals(d.id()) && newer(d, context))
            .findFirst().orElse(null);
        if (primary != null && !rollingBack(primary)) {
          yield new DeploymentVerdict(
              DeploymentOutcome.REPLACED,
              what + " was STOPPED:" + reason + " It was replaced by "
                  + TaskDefinitionNames.shortName(primary.taskDefinition()) + " (deployment " + primary.id()
                  + "), which this build did not start. Someone or something else updated the service while we"
                  + " were deploying; check who before deploying again.",
              ours);
        }
        Rollback rollback = Rollback.of(service == null ? null : service.deploymentConfiguration());
        yield new DeploymentVerdict(
            DeploymentOutcome.FAILED,
            what + " FAILED:" + (reason.isEmpty() ? " ECS gave no reason." : reason) + " (service deployment"
                + " STOPPED) " + (rollback.on() ? rollback.stallHint() : rollback.hint()),
            ours);
      }
      default -> new DeploymentVerdict(null, "", ours);
    };
  }

  /** {@code 2/3 running, 1 pending, 0 failed}. */
  static String counts(Deployment d) {
    return n(d.runningCount()) + "/" + n(d.desiredCount()) + " running, " + n(d.pendingCount()) + " pending, "
        + n(d.failedTasks()) + " failed";
  }

  /**
   * The counts a success shows: the service deployment's own (its target revision's), from the read that decided,
   * else those of ours in the DescribeServices snapshot. The snapshot can be older than the record: ECS's reads are
   * eventually consistent, and with {@code <services>} a snapshot is a shared read up to 1 s old; a success printed
   * with its counts ("0/2 running, 2 pending") told the reader the opposite of the verdict.
   */
  private static String successCounts(ServiceDeployment sd, Deployment ours) {
    var t = sd.targetServiceRevision();
    if ((t == null || t.runningTaskCount() == null) && ours != null) {
      return counts(ours);
    }
    return targetCounts(sd);
  }

  private static String targetCounts(ServiceDeployment sd) {
    var t = sd.targetServiceRevision();
    return t == null ? "no counts" : n(t.runningTaskCount()) + "/" + n(t.requestedTaskCount()) + " running, "
        + n(t.pendingTaskCount()) + " pending";
  }

  private static Deployment find(List<Deployment> deployments, String id) {
    return deployments.stream().filter(d -> id.equals(d.id())).findFirst().orElse(null);
  }

  /**
   * Another deployment created at or after ours (ECS's own timestamps on both sides, so no clock skew): a read that
   * lists one is not older than our UpdateService.
   */
  private static boolean newer(Deployment d, Context context) {
    return !context.deploymentId().equals(d.id()) && context.createdAt() != null && d.createdAt() != null
        && !d.createdAt().isBefore(context.createdAt());
  }

  /**
   * A circuit-breaker or alarm rollback: real captures show the new PRIMARY with rolloutStateReason "ECS deployment
   * circuit breaker: rolling back to deploymentId ecs-svc/...".
   */
  static boolean rollingBack(Deployment d) {
    return d.rolloutStateReason() != null && d.rolloutStateReason().toLowerCase(Locale.ROOT).contains("rolling back");
  }

  private static String rollbackTarget(
      ServiceDeployment sd, Service service, Context context, String rollbackTaskDefinition) {
    if (service != null) {
      Deployment primary = service.deployments().stream()
          .filter(d -> PRIMARY.equals(d.status()) && !context.deploymentId().equals(d.id()))
          .findFirst().orElse(null);
      if (primary != null) {
        return TaskDefinitionNames.shortName(primary.taskDefinition()) + " (deployment " + primary.id() + ")";
      }
    }
    if (sd.rollback() != null && sd.rollback().serviceRevisionArn() != null) {
      String revision = "service revision " + lastSegment(sd.rollback().serviceRevisionArn());
      return rollbackTaskDefinition == null ? revision
          : TaskDefinitionNames.shortName(rollbackTaskDefinition) + " (" + revision + ")";
    }
    return "the last COMPLETED revision";
  }

  private static String rollbackReason(ServiceDeployment sd) {
    if (sd.alarms() != null && sd.alarms().status() == ServiceDeploymentRollbackMonitorsStatus.TRIGGERED) {
      return "CloudWatch alarm " + String.join(", ", sd.alarms().triggeredAlarmNames()) + " went into ALARM"
          + (sd.lifecycleStage() != null ? " during " + sd.lifecycleStageAsString() : "") + ".";
    }
    String reason = sd.rollback() != null ? sd.rollback().reason() : null;
    reason = reason == null || reason.isBlank() ? sd.statusReason() : reason;
    return reason == null || reason.isBlank() ? "ECS gave no reason." : sentence(reason);
  }

  private static String reason(Deployment d) {
    return d.rolloutStateReason() == null || d.rolloutStateReason().isBlank()
        ? "ECS gave no reason."
        : sentence(d.rolloutStateReason());
  }

  private static int n(Integer value) {
    return value == null ? 0 : value;
  }

  private static String strip(String text) {
    String t = text.strip();
    return t.endsWith(".") ? t.substring(0, t.length() - 1) : t;
  }

  private static String sentence(String text) {
    String t = text.strip();
    return t.endsWith(".") || t.endsWith("!") || t.endsWith("?") ? t : t + ".";
  }

  private static String lastSegment(String arn) {
    return arn == null ? "?" : arn.substring(arn.lastIndexOf('/') + 1);
  }

  /** The service's rollback settings: the circuit breaker's and the alarms'. */
  private record Rollback(boolean circuitBreaker, boolean alarms) {

    static Rollback of(DeploymentConfiguration configuration) {
      if (configuration == null) {
        return new Rollback(false, false);
      }
      var cb = configuration.deploymentCircuitBreaker();
      var alarms = configuration.alarms();
      return new Rollback(
          cb != null && Boolean.TRUE.equals(cb.enable()) && Boolean.TRUE.equals(cb.rollback()),
          alarms != null && Boolean.TRUE.equals(alarms.enable()) && Boolean.TRUE.equals(alarms.rollback()));
    }

    boolean on() {
      return circuitBreaker || alarms;
    }

    String hint() {
      return "Rollback is not enabled on the service's circuit breaker or alarms, so ECS did not roll back; deploy"
          + " a fixed revision or the previous one.";
    }

    String stallHint() {
      return "Rollback is on (" + (circuitBreaker ? "circuit breaker" : "alarms") + "), but ECS rolls back only"
          + " to a deployment in COMPLETED state and the service had none, so ECS does not roll back and the"
          + " service stays as it is; deploy a fixed revision or the previous one.";
    }
  }
}
