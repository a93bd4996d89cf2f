package io.github.ecsdeploy.state;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A state file could not serve: it is missing where a goal needs it, it cannot be read or holds what it should
 * not, or it cannot be written. Carries the file, the kind of problem, and in its message what was wrong; the Maven
 * adapter adds, once for every goal, the goal that writes the file and the fix.
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

  /**
   * @param file the file
   * @param problem what went wrong
   * @param message what was wrong, naming the file: "Cannot read {@code file}: ...", "{@code need}: {@code file}
   *     does not exist"
   * @param cause the I/O or JSON exception, or null
   */
  private StateFileException(Path file, Problem problem, String message, Throwable cause) {
    super(message, cause);
    this.file = Objects.requireNonNull(file, "file");
    this.problem = Objects.requireNonNull(problem, "problem");
  }

  /**
   * A file a goal needs that does not exist.
   *
   * @param need what the goal was looking for in it, e.g. "No task definition revision to deploy"; may be null
   */
  public static StateFileException missing(Path file, String need) {
    return new StateFileException(file, Problem.MISSING, (need == null ? "" : need + ": ") + file
        + " does not exist", null);
  }

  /** A file that exists but cannot be read, or does not hold what it must ({@code detail}). */
  public static StateFileException unreadable(Path file, String detail, Throwable cause) {
    return new StateFileException(file, Problem.UNREADABLE, "Cannot read " + file + ": " + detail, cause);
  }

  /** A file that cannot be written ({@code detail}: why). */
  public static StateFileException unwritable(Path file, String detail, Throwable cause) {
    return new StateFileException(file, Problem.UNWRITABLE, "Cannot write " + file + ": " + detail, cause);
  }

  public Path file() {
    return file;
  }

  public Problem problem() {
    return problem;
  }
}
