package io.github.ecsdeploy.core;

import java.util.function.Function;

/**
 * Where the release tag comes from: {@code <tag> / -Decs.tag} when given, else the environment variable
 * {@value #CI_COMMIT_TAG} that GitLab sets in tag pipelines. There is no silent default.
 */
public final class TagSource {

  /** The variable GitLab sets to the tag's name in a tag pipeline. */
  public static final String CI_COMMIT_TAG = "CI_COMMIT_TAG";

  private TagSource() {}

  /**
   * A tag and where it came from, for the log.
   *
   * @param tag the tag exactly as given (not trimmed: the policy reports whitespace)
   * @param origin {@code <tag> / -Decs.tag} or {@code CI_COMMIT_TAG}
   */
  public record Resolved(String tag, String origin) {}

  /**
   * Resolves the tag.
   *
   * @param explicit the value of {@code <tag> / -Decs.tag}, or null when not set
   * @param env reads an environment variable (null when unset); {@code System::getenv} in production
   * @throws UserInputException when neither gives a tag
   */
  public static Resolved resolve(String explicit, Function<String, String> env) {
    if (explicit != null) {
      return new Resolved(explicit, Param.TAG.both());
    }
    String fromEnv = env.apply(CI_COMMIT_TAG);
    if (fromEnv != null && !fromEnv.isEmpty()) {
      return new Resolved(fromEnv, CI_COMMIT_TAG);
    }
    throw new UserInputException(Param.TAG, "No release tag given: set one with " + Param.TAG.both()
        + " (e.g. -D" + Param.TAG.property() + "=v1.4.0), or run in a GitLab tag pipeline, where "
        + CI_COMMIT_TAG + " is set.");
  }
}
