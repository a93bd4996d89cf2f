package io.github.ecsdeploy.standin.ecs;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How the stand-in plays a standalone task (one started by RunTask) once it is RUNNING: what its containers
 * print to their {@code awslogs} streams, how long they run, and the exit code they stop with, or that they
 * never stop.
 *
 * @param exitCode every container's exit code when the task stops
 * @param runFor RUNNING to the containers' exit; the log lines are spread evenly over this time
 * @param neverStops the task stays RUNNING (a migration that hangs); {@code exitCode} is then unused
 * @param logLines what each container with the {@code awslogs} driver writes, in order
 */
public record StandaloneTaskOutcome(int exitCode, Duration runFor, boolean neverStops, List<String> logLines) {

  public StandaloneTaskOutcome {
    Objects.requireNonNull(runFor, "runFor");
    if (runFor.isNegative()) {
      throw new IllegalArgumentException("runFor must not be negative: " + runFor);
    }
    logLines = List.copyOf(logLines);
  }

  /** Exits with {@code code} after {@code runFor}, printing nothing. */
  public static StandaloneTaskOutcome exits(int code, Duration runFor) {
    return new StandaloneTaskOutcome(code, runFor, false, List.of());
  }

  /** Stays RUNNING for ever (until the stand-in is closed), printing nothing. */
  public static StandaloneTaskOutcome runsForever() {
    return new StandaloneTaskOutcome(0, Duration.ofSeconds(1), true, List.of());
  }

  /** The same outcome, printing these lines. */
  public StandaloneTaskOutcome printing(String... lines) {
    return new StandaloneTaskOutcome(exitCode, runFor, neverStops, List.of(lines));
  }
}
