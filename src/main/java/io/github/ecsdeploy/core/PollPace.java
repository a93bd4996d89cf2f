package io.github.ecsdeploy.core;

import java.time.Duration;

/**
 * How long the watcher of a rollout pauses before its next poll (issue 17: a verdict within 2 s of ECS's decision,
 * and few calls while nothing moves).
 *
 * <ul>
 *   <li>Every {@link #QUICK} second right after UpdateService, after a read that differs from the one before (a
 *       task started or stopped, a new event, a new rollout state), and while the decision is near (all our tasks
 *       run, or some failed: the circuit breaker may trip).
 *   <li>While nothing moves (and after a failed poll) the pause doubles, up to the configured {@code pollInterval},
 *       which is therefore the longest pause while ECS answers.
 *   <li>After polls that ECS throttled (ThrottlingException even after the AWS SDK's retries), the pause is
 *       {@code pollInterval} doubled for each throttled poll in a row, at most {@link #MAX_THROTTLED} (never shorter
 *       than {@code pollInterval}), until a poll is answered in full (issue 18: twenty services in one build).
 * </ul>
 *
 * <p>A configured interval shorter than {@link #QUICK} is used as it is. With the default of 5 s, a 10-minute wait
 * in which nothing moves makes about 120 polls, one DescribeServices (and one DescribeServiceDeployments) each; a
 * rollout that changes at every poll makes at most one poll a second. ECS's token buckets are per account and
 * region and refill at several requests a second for reads
 * (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/request-throttling.html), so a few watched services
 * stay well inside them; {@link MultiServiceDeployer} bounds how many are watched at once.
 */
final class PollPace {

  /** The pause while the rollout moves or its decision is near. */
  static final Duration QUICK = Duration.ofSeconds(1);

  /** The longest pause while ECS throttles. */
  static final Duration MAX_THROTTLED = Duration.ofSeconds(60);

  private final Duration longest;
  private Duration current;
  private int throttledPolls;

  /** @param longest the configured poll interval: the longest pause */
  PollPace(Duration longest) {
    this.longest = longest;
    this.current = shorter(QUICK, longest);
  }

  /**
   * The pause before the next poll.
   *
   * @param moved whether the last read differs from the read before it (the first read after UpdateService does)
   * @param near whether ECS's decision is near
   */
  Duration next(boolean moved, boolean near) {
    current = moved || near ? shorter(QUICK, longest) : shorter(longest, current.multipliedBy(2));
    return throttledPolls > 0 ? throttledPause() : current;
  }

  /** The last poll was throttled; returns the pause before the next one. */
  Duration throttled() {
    throttledPolls++;
    return throttledPause();
  }

  /** The last poll was answered in full: throttling is over. (A poll failing otherwise changes neither.) */
  void answered() {
    throttledPolls = 0;
  }

  private Duration throttledPause() {
    Duration doubled = longest.multipliedBy(1L << Math.min(throttledPolls, 6));
    return longest.compareTo(MAX_THROTTLED) >= 0 ? longest : shorter(doubled, MAX_THROTTLED);
  }

  private static Duration shorter(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
