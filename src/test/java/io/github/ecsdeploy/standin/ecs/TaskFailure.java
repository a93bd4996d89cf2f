package io.github.ecsdeploy.standin.ecs;

import java.util.Objects;

/**
 * How a task chosen to fail ends, as ECS reports it in DescribeTasks: the task's {@code stopCode} and
 * {@code stoppedReason}, and its containers' {@code exitCode} and {@code reason}.
 *
 * @param stopCode e.g. {@code EssentialContainerExited} or {@code TaskFailedToStart}
 * @param stoppedReason the task's stoppedReason
 * @param exitCode the containers' exit code, or null when the container never ran
 * @param containerReason the containers' reason, or null
 * @param started whether the task reached RUNNING before it stopped (it then has {@code startedAt}); a started
 *     task still counts as failed for the deployment and its circuit breaker, but never counts as running
 */
public record TaskFailure(
    String stopCode, String stoppedReason, Integer exitCode, String containerReason, boolean started) {

  public TaskFailure {
    Objects.requireNonNull(stopCode, "stopCode");
    Objects.requireNonNull(stoppedReason, "stoppedReason");
  }

  /**
   * The default: the essential container exits with code 1 right after it starts
   * ({@code EssentialContainerExited}, "Essential container in task exited").
   */
  public static TaskFailure essentialContainerExited() {
    return new TaskFailure(
        "EssentialContainerExited",
        "Essential container in task exited",
        1,
        "Essential container exited with code 1",
        true);
  }

  /**
   * The image cannot be pulled: {@code TaskFailedToStart} with a CannotPullContainerError naming the image, no
   * exit code.
   */
  public static TaskFailure cannotPullImage(String image) {
    String reason = "CannotPullContainerError: pull image manifest has been retried 1 time(s): failed to resolve ref "
        + image + ": not found";
    return new TaskFailure("TaskFailedToStart", reason, null, reason, false);
  }
}
