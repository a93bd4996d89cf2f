package io.github.ecsdeploy.standin.ecs;

import java.time.Duration;
import java.util.Objects;

/**
 * Timing and awkwardness of the ECS deployment simulator. The defaults keep the earlier behaviour: tasks start and
 * stop in one second, a rollback is visible at once, reads are consistent, the Service Deployments API answers.
 *
 * @param taskStartDelay launch to RUNNING (or to STOPPED for a task that fails to start)
 * @param taskStopDelay stop requested to STOPPED
 * @param rollbackLag how long a deployment that the circuit breaker (or an alarm) failed stays ACTIVE with
 *     rolloutState IN_PROGRESS while the rollback PRIMARY already names its target; zero turns it FAILED at once.
 *     Real rollbacks were captured in this shape (issue 11 of this project: our deployment IN_PROGRESS "for a
 *     while" before it turns FAILED)
 * @param staleReadsAfterUpdate how many DescribeServices after each UpdateService still answer with the service as
 *     it was before it (the ECS API is eventually consistent; aws-cli #9275: the services-stable waiter returned
 *     early on such a read)
 * @param serviceDeploymentsDenied whether ListServiceDeployments and DescribeServiceDeployments answer
 *     AccessDeniedException, as for a role without {@code ecs:ListServiceDeployments} /
 *     {@code ecs:DescribeServiceDeployments}
 * @param bakeTime the bake time of blue/green deployments, or {@code null} for the service's
 *     {@code bakeTimeInMinutes} (too long for tests)
 */
public record EcsSimulationSettings(
    Duration taskStartDelay,
    Duration taskStopDelay,
    Duration rollbackLag,
    int staleReadsAfterUpdate,
    boolean serviceDeploymentsDenied,
    Duration bakeTime) {

  private static final Duration MIN = Duration.ofMillis(1);

  public EcsSimulationSettings {
    Objects.requireNonNull(taskStartDelay, "taskStartDelay");
    Objects.requireNonNull(taskStopDelay, "taskStopDelay");
    Objects.requireNonNull(rollbackLag, "rollbackLag");
    if (taskStartDelay.compareTo(MIN) < 0 || taskStopDelay.compareTo(MIN) < 0) {
      throw new IllegalArgumentException("delays must be at least 1 ms: " + taskStartDelay + ", " + taskStopDelay);
    }
    if (rollbackLag.isNegative() || staleReadsAfterUpdate < 0 || bakeTime != null && bakeTime.isNegative()) {
      throw new IllegalArgumentException("rollbackLag, staleReadsAfterUpdate and bakeTime must not be negative");
    }
  }

  /** One second to start, one second to stop, no lag, consistent reads, the Service Deployments API allowed. */
  public static EcsSimulationSettings defaults() {
    return new EcsSimulationSettings(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ZERO, 0, false, null);
  }

  /**
   * The defaults multiplied by {@code factor}: {@code timeScale(5)} makes a demo watchable, {@code timeScale(0.01)}
   * makes a real-time test fast.
   */
  public static EcsSimulationSettings timeScale(double factor) {
    return defaults().scaled(factor);
  }

  /** The delays (task start, task stop, rollback lag, bake time) multiplied by {@code factor} (never below 1 ms). */
  public EcsSimulationSettings scaled(double factor) {
    if (!(factor > 0)) {
      throw new IllegalArgumentException("factor must be positive: " + factor);
    }
    return new EcsSimulationSettings(scale(taskStartDelay, factor), scale(taskStopDelay, factor),
        rollbackLag.isZero() ? rollbackLag : scale(rollbackLag, factor), staleReadsAfterUpdate,
        serviceDeploymentsDenied, bakeTime == null ? null : scale(bakeTime, factor));
  }

  public EcsSimulationSettings withTaskStartDelay(Duration delay) {
    return new EcsSimulationSettings(delay, taskStopDelay, rollbackLag, staleReadsAfterUpdate,
        serviceDeploymentsDenied, bakeTime);
  }

  public EcsSimulationSettings withTaskStopDelay(Duration delay) {
    return new EcsSimulationSettings(taskStartDelay, delay, rollbackLag, staleReadsAfterUpdate,
        serviceDeploymentsDenied, bakeTime);
  }

  public EcsSimulationSettings withRollbackLag(Duration lag) {
    return new EcsSimulationSettings(taskStartDelay, taskStopDelay, lag, staleReadsAfterUpdate,
        serviceDeploymentsDenied, bakeTime);
  }

  public EcsSimulationSettings withStaleReadsAfterUpdate(int reads) {
    return new EcsSimulationSettings(taskStartDelay, taskStopDelay, rollbackLag, reads, serviceDeploymentsDenied,
        bakeTime);
  }

  public EcsSimulationSettings withServiceDeploymentsDenied(boolean denied) {
    return new EcsSimulationSettings(taskStartDelay, taskStopDelay, rollbackLag, staleReadsAfterUpdate, denied,
        bakeTime);
  }

  public EcsSimulationSettings withBakeTime(Duration bake) {
    return new EcsSimulationSettings(taskStartDelay, taskStopDelay, rollbackLag, staleReadsAfterUpdate,
        serviceDeploymentsDenied, bake);
  }

  private static Duration scale(Duration d, double factor) {
    long nanos = Math.round(d.toNanos() * factor);
    Duration scaled = Duration.ofNanos(nanos);
    return scaled.compareTo(MIN) < 0 ? MIN : scaled;
  }
}
