package io.github.ecsdeploy.taskdef;

/**
 * A JSON document does not fit the SDK model: an unknown member or a value of the wrong type. The message is
 * {@code <path>: <problem>}, e.g. {@code containerDefinitions[1].imagee: unknown field}; the caller adds which
 * file it was and how to fix it.
 */
public class SdkJsonException extends IllegalArgumentException {

  private final String path;
  private final String problem;

  public SdkJsonException(String path, String problem) {
    super((path.isEmpty() ? "(document root)" : path) + ": " + problem);
    this.path = path;
    this.problem = problem;
  }

  /** The JSON path of the offending member, e.g. {@code containerDefinitions[1].imagee}; empty for the root. */
  public String path() {
    return path;
  }

  /** What is wrong there, e.g. {@code unknown field}. */
  public String problem() {
    return problem;
  }
}
