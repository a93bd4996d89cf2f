package io.github.ecsdeploy.standin.ecs;

import java.time.Duration;
import java.util.Objects;

/**
 * Timing of the ECS deployment simulator: how long a task takes from launch to RUNNING (or to its failure)
 * and how long a stopping task takes to reach STOPPED. Both are at least one millisecond so that a failing
 * task can never be replaced within the same instant.
 *
 * @param taskStartDelay launch to RUNNING (or to STOPPED for a task that fails to start)
 * @param taskStopDelay stop requested to STOPPED
 */
public record EcsSimulationSettings(Duration taskStartDelay, Duration taskStopDelay) {

  private static final Duration MIN = Duration.ofMillis(1);

  public EcsSimulationSettings {
    Objects.requireNonNull(taskStartDelay, "taskStartDelay");
    Objects.requireNonNull(taskStopDelay, "taskStopDelay");
    if (taskStartDelay.compareTo(MIN) < 0 || taskStopDelay.compareTo(MIN) < 0) {
      throw new IllegalArgumentException("delays must be at least 1 ms: " + taskStartDelay + ", " + taskStopDelay);
    }
  }

  /** One second to start, one second to stop. */
  public static EcsSimulationSettings defaults() {
    return new EcsSimulationSettings(Duration.ofSeconds(1), Duration.ofSeconds(1));
  }

  /**
   * The defaults multiplied by {@code factor}: {@code timeScale(5)} makes a demo watchable, {@code timeScale(0.01)}
   * makes a real-time test fast.
   */
  public static EcsSimulationSettings timeScale(double factor) {
    return defaults().scaled(factor);
  }

  /** Both delays multiplied by {@code factor} (never below 1 ms). */
  public EcsSimulationSettings scaled(double factor) {
    if (!(factor > 0)) {
      throw new IllegalArgumentException("factor must be positive: " + factor);
    }
    return new EcsSimulationSettings(scale(taskStartDelay, factor), scale(taskStopDelay, factor));
  }

  public EcsSimulationSettings withTaskStartDelay(Duration delay) {
    return new EcsSimulationSettings(delay, taskStopDelay);
  }

  public EcsSimulationSettings withTaskStopDelay(Duration delay) {
    return new EcsSimulationSettings(taskStartDelay, delay);
  }

  private static Duration scale(Duration d, double factor) {
    long nanos = Math.round(d.toNanos() * factor);
    Duration scaled = Duration.ofNanos(nanos);
    return scaled.compareTo(MIN) < 0 ? MIN : scaled;
  }
}
