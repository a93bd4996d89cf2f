package io.github.ecsdeploy.core;

import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The logging port of the core: the Maven adapter maps it to Maven's {@code Log}; tests record it. Never pass
 * a secret (token, password, key) to any of these methods.
 */
public interface DeployLog {

  /** A line the user should see in a normal build: progress, results. */
  void info(String message);

  /** Something the user should look at, but that does not fail the build. */
  void warn(String message);

  /** Detail shown with {@code mvn -X} only. */
  void debug(String message);

  /**
   * A log that writes each line, changed by {@code line}, to the log {@code target} gives at that moment: for a
   * prefix ({@code [web] ...}), or for a target that changes (the goal execution that uses shared clients now).
   */
  static DeployLog forwarding(Supplier<DeployLog> target, UnaryOperator<String> line) {
    return new DeployLog() {
      @Override
      public void info(String message) {
        target.get().info(line.apply(message));
      }

      @Override
      public void warn(String message) {
        target.get().warn(line.apply(message));
      }

      @Override
      public void debug(String message) {
        target.get().debug(line.apply(message));
      }
    };
  }

  /** A log that drops everything; for callers that do not care. */
  static DeployLog silent() {
    return new DeployLog() {
      @Override
      public void info(String message) {}

      @Override
      public void warn(String message) {}

      @Override
      public void debug(String message) {}
    };
  }
}
