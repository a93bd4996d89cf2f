package io.github.ecsdeploy.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** A clock that only moves when its {@link #sleeper()} is asked to sleep; records the sleeps. */
final class FakeClock extends Clock {

  private volatile Instant now;
  final List<Duration> sleeps = new ArrayList<>();

  FakeClock(Instant start) {
    this.now = start;
  }

  Sleeper sleeper() {
    return duration -> {
      sleeps.add(duration);
      now = now.plus(duration);
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
