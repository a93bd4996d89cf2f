package io.github.ecsdeploy.core;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a duration parameter the way people write it: {@code 5s}, {@code 500ms}, {@code 15m}, {@code 1h30m},
 * ISO-8601 {@code PT5S}, or a bare number of seconds ({@code 5}); and writes one back the short way
 * ({@link #human}).
 */
public final class Durations {

  private static final Pattern UNITS = Pattern.compile("(\\d+)(ms|h|m|s)");

  private Durations() {}

  /**
   * Parses {@code text}.
   *
   * @param param the parameter it came from, named in the error
   * @throws UserInputException when {@code text} is none of the accepted forms
   */
  public static Duration parse(String text, Param param) {
    try {
      return parseOrThrow(text, param);
    } catch (NumberFormatException | ArithmeticException e) {
      throw invalid(text, param); // a number too large for a duration
    }
  }

  private static Duration parseOrThrow(String text, Param param) {
    String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
    if (t.matches("\\d+")) {
      return Duration.ofSeconds(Long.parseLong(t));
    }
    if (t.startsWith("pt") || t.startsWith("p")) {
      try {
        return Duration.parse(t.toUpperCase(Locale.ROOT));
      } catch (DateTimeParseException e) {
        throw invalid(text, param);
      }
    }
    Matcher m = UNITS.matcher(t);
    Duration total = Duration.ZERO;
    int end = 0;
    while (m.find() && m.start() == end) {
      long n = Long.parseLong(m.group(1));
      total = total.plus(switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        default -> Duration.ofHours(n);
      });
      end = m.end();
    }
    if (end == 0 || end != t.length()) {
      throw invalid(text, param);
    }
    return total;
  }

  private static UserInputException invalid(String text, Param param) {
    return new UserInputException(
        param,
        param.both() + " must be a duration like 5s, 500ms, 15m, 1h30m or PT5S (a bare number is seconds), but"
            + " was '" + text + "'.");
  }

  /** {@code 15m}, {@code 90s} as {@code 1m30s}, {@code 1h30m}, {@code 0s}; whole seconds, the way {@link #parse} reads. */
  public static String human(Duration duration) {
    long seconds = duration.toSeconds();
    StringBuilder text = new StringBuilder();
    if (seconds >= 3600) {
      text.append(seconds / 3600).append('h');
      seconds %= 3600;
    }
    if (seconds >= 60) {
      text.append(seconds / 60).append('m');
      seconds %= 60;
    }
    if (seconds > 0 || text.length() == 0) {
      text.append(seconds).append('s');
    }
    return text.toString();
  }
}
