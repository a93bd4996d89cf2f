package io.github.ecsdeploy.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pace of the polls of a rollout: quick while it moves, backing off while nothing does or ECS throttles. */
class PollPaceTest {

  private static final Duration FIVE = Duration.ofSeconds(5);

  @Test
  void quickWhileTheRolloutMovesOrTheDecisionIsNear() {
    PollPace pace = new PollPace(FIVE);

    assertEquals(Duration.ofSeconds(1), pace.next(true, false));
    assertEquals(Duration.ofSeconds(2), pace.next(false, false));
    assertEquals(Duration.ofSeconds(1), pace.next(false, true), "near the decision: back to 1 s");
    assertEquals(Duration.ofSeconds(2), pace.next(false, false));
    assertEquals(Duration.ofSeconds(1), pace.next(true, false), "a change: back to 1 s");
  }

  @Test
  void whileNothingMovesThePauseDoublesUpToThePollInterval() {
    PollPace pace = new PollPace(FIVE);
    List<Long> pauses = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      pauses.add(pace.next(false, false).toSeconds());
    }

    assertEquals(List.of(2L, 4L, 5L, 5L, 5L, 5L), pauses);
  }

  @Test
  void aPollIntervalShorterThanOneSecondIsUsedAsItIs() {
    PollPace pace = new PollPace(Duration.ofMillis(200));

    assertEquals(Duration.ofMillis(200), pace.next(true, true));
    assertEquals(Duration.ofMillis(200), pace.next(false, false));
  }

  @Test
  void throttledPollsDoubleThePollIntervalUpToAMinuteUntilAPollIsAnswered() {
    PollPace pace = new PollPace(Duration.ofSeconds(15));

    assertEquals(Duration.ofSeconds(30), pace.throttled());
    assertEquals(Duration.ofSeconds(30), pace.next(true, true), "throttled: not quick even when the rollout moves");
    assertEquals(Duration.ofSeconds(60), pace.throttled());
    for (int i = 0; i < 40; i++) {
      pace.throttled();
    }
    assertEquals(Duration.ofSeconds(60), pace.next(false, false), "never more than a minute");

    pace.answered();
    assertEquals(Duration.ofSeconds(1), pace.next(true, false), "answered: the rollout's pace again");
  }

  @Test
  void aPollIntervalOfAMinuteOrMoreIsNeverShortenedByThrottling() {
    PollPace pace = new PollPace(Duration.ofMinutes(5));

    assertEquals(Duration.ofMinutes(5), pace.throttled());
    assertEquals(Duration.ofMinutes(5), pace.next(false, false));
  }
}
