package io.github.ecsdeploy.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

  @Test
  void acceptsTheUsualSpellings() {
    assertEquals(Duration.ofSeconds(5), Durations.parse("5s", UpdateServiceRequest.POLL_INTERVAL));
    assertEquals(Duration.ofSeconds(5), Durations.parse("5", UpdateServiceRequest.POLL_INTERVAL));
    assertEquals(Duration.ofSeconds(5), Durations.parse("PT5S", UpdateServiceRequest.POLL_INTERVAL));
    assertEquals(Duration.ofSeconds(5), Durations.parse(" pt5s ", UpdateServiceRequest.POLL_INTERVAL));
    assertEquals(Duration.ofMillis(250), Durations.parse("250ms", UpdateServiceRequest.POLL_INTERVAL));
    assertEquals(Duration.ofMinutes(15), Durations.parse("15m", UpdateServiceRequest.TIMEOUT));
    assertEquals(Duration.ofMinutes(90), Durations.parse("1h30m", UpdateServiceRequest.TIMEOUT));
  }

  @Test
  void writesDurationsTheShortWayItReadsThem() {
    assertEquals("15m", Durations.human(Duration.ofMinutes(15)));
    assertEquals("1m30s", Durations.human(Duration.ofSeconds(90)));
    assertEquals("1h", Durations.human(Duration.ofHours(1)));
    assertEquals("1h1m1s", Durations.human(Duration.ofSeconds(3661)));
    assertEquals("0s", Durations.human(Duration.ZERO));
    assertEquals(Duration.ofSeconds(3661), Durations.parse(Durations.human(Duration.ofSeconds(3661)),
        UpdateServiceRequest.TIMEOUT));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "five", "5 s", "5x", "s5", "5s junk", "PTX"})
  void refusesAnythingElseNamingTheParameter(String text) {
    UserInputException e =
        assertThrows(UserInputException.class, () -> Durations.parse(text, UpdateServiceRequest.TIMEOUT));
    assertTrue(e.getMessage().startsWith("<timeout> / -Decs.updateService.timeout must be a duration"),
        e.getMessage());
  }
}
