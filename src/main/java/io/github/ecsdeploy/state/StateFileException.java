package io.github.ecsdeploy.state;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A state file could not serve: it is missing where a goal needs it, it cannot be read or holds what it should
 * not, or it cannot be written. Carries the file and what was wrong; the Maven adapter words it once, for every
 * goal, naming the goal that writes the file and the fix.
 */
public final class StateFileException extends RuntimeException {

  /** What went wrong with the file. */
  public enum Problem {
    /** The file does not exist, and the goal has nothing else to go on. */
    MISSING,
    /** The file exists but cannot be read, is not the expected JSON, or lacks what the goal needs from it. */
    UNREADABLE,
    /** The file cannot be written. */
    UNWRITABLE
  }

  private final Path file;
  private final Problem problem;
  private final String detail;
  private final String need;

  /**
   * @param file the file
   * @param problem what went wrong
   * @param detail what was wrong, e.g. the I/O or JSON error, or "it holds no taskDefinitionArn"; may be null
   * @param need for {@link Problem#MISSING}: what the goal was looking for in it, e.g. "No task definition
   *     revision to deploy"; may be null
   * @param cause the I/O or JSON exception, or null
   */
  public StateFileException(Path file, Problem problem, String detail, String need, Throwable cause) {
    super(describe(file, problem, detail), cause);
    this.file = Objects.requireNonNull(file, "file");
    this.problem = Objects.requireNonNull(problem, "problem");
    this.detail = detail;
    this.need = need;
  }

  /** A file a goal needs that does not exist. */
  public static StateFileException missing(Path file, String need) {
    return new StateFileException(file, Problem.MISSING, "it does not exist", need, null);
  }

  /** A file that exists but does not hold what it must ({@code detail}, e.g. "it holds no taskDefinitionArn"). */
  public static StateFileException unreadable(Path file, String detail) {
    return new StateFileException(file, Problem.UNREADABLE, detail, null, null);
  }

  public Path file() {
    return file;
  }

  public Problem problem() {
    return problem;
  }

  /** What was wrong, or null. */
  public String detail() {
    return detail;
  }

  /** What the goal was looking for in a missing file, or null. */
  public String need() {
    return need;
  }

  private static String describe(Path file, Problem problem, String detail) {
    String what = switch (problem) {
      case MISSING -> "Missing ";
      case UNREADABLE -> "Cannot read ";
      case UNWRITABLE -> "Cannot write ";
    };
    return what + file + (detail == null ? "" : ": " + detail);
  }
}
