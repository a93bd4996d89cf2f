package io.github.ecsdeploy.it;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/**
 * An IT's {@code build.log}, for {@code verify.groovy}: the log of each Maven invocation
 * ({@code invoker.goals.1}, {@code .2}, ...; invoker appends them to one file) and order checks.
 */
public final class ItLog {

  private static final String RUN_START = "[INFO] Scanning for projects...";

  private final String text;

  private ItLog(String text) {
    this.text = text;
  }

  /** Reads {@code build.log} of the IT in {@code basedir}. */
  public static ItLog read(File basedir) throws IOException {
    return new ItLog(Files.readString(new File(basedir, "build.log").toPath(), StandardCharsets.UTF_8));
  }

  /** The whole log. */
  public String text() {
    return text;
  }

  /** The log of each Maven invocation, in order. */
  public List<String> runs() {
    List<String> runs = new ArrayList<>();
    int start = text.indexOf(RUN_START);
    while (start >= 0) {
      int next = text.indexOf(RUN_START, start + RUN_START.length());
      runs.add(next < 0 ? text.substring(start) : text.substring(start, next));
      start = next;
    }
    return runs;
  }

  /** The log of invocation {@code number} (1-based, as in {@code invoker.goals.<number>}). */
  public String run(int number) {
    List<String> runs = runs();
    if (number < 1 || number > runs.size()) {
      throw new AssertionError("build.log has " + runs.size() + " Maven runs, not " + number);
    }
    return runs.get(number - 1);
  }

  /** How often {@code needle} occurs in {@code text}. */
  public static int count(String text, String needle) {
    int count = 0;
    for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length())) {
      count++;
    }
    return count;
  }

  /**
   * Asserts that every needle occurs in {@code text}, each after the previous one.
   *
   * @throws AssertionError naming the first needle missing or out of order
   */
  public static void assertInOrder(String text, String... needles) {
    int from = 0;
    String previous = "(start)";
    for (String needle : needles) {
      int at = text.indexOf(needle, from);
      if (at < 0) {
        throw new AssertionError(text.contains(needle)
            ? "'" + needle + "' occurs only before '" + previous + "'"
            : "'" + needle + "' does not occur");
      }
      from = at + needle.length();
      previous = needle;
    }
  }
}
