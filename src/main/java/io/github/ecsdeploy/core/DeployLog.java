package io.github.ecsdeploy.core;

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
