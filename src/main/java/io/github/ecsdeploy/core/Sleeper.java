package io.github.ecsdeploy.core;

import java.time.Duration;

/**
 * Waits between two polls. Production code sleeps the thread; unit tests advance a fake clock instead, so a
 * 15-minute timeout is tested in milliseconds.
 */
@FunctionalInterface
public interface Sleeper {

  /** Waits for {@code duration}; throws when the thread is interrupted. */
  void sleep(Duration duration) throws InterruptedException;

  /** The real one: {@link Thread#sleep(long)}. */
  static Sleeper system() {
    return duration -> Thread.sleep(duration.toMillis());
  }
}
