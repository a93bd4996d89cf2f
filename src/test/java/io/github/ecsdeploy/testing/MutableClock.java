package io.github.ecsdeploy.testing;

import io.github.ecsdeploy.core.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A UTC clock for tests that moves only when told: by {@link #advance(Duration)}, or when code under test sleeps
 * through {@link #sleeper()}, which also records each sleep in {@link #sleeps}.
 */
public final class MutableClock extends Clock {

  private volatile Instant now;

  /** Every duration slept through {@link #sleeper()}, in order. */
  public final List<Duration> sleeps = new CopyOnWriteArrayList<>();

  /** A clock that reads {@code start} until moved. */
  public MutableClock(Instant start) {
    this.now = start;
  }

  /** Moves the clock by {@code d} (may be negative). */
  public void advance(Duration d) {
    now = now.plus(d);
  }

  /** A sleeper that returns at once after recording the sleep and advancing this clock by it. */
  public Sleeper sleeper() {
    return duration -> {
      sleeps.add(duration);
      advance(duration);
    };
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }

  @Override
  public Instant instant() {
    return now;
  }
}
