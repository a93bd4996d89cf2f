package io.github.ecsdeploy.aws;

import io.github.ecsdeploy.core.Durations;
import io.github.ecsdeploy.core.Param;
import io.github.ecsdeploy.core.UserInputException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The IAM role to assume with a GitLab CI ID token (OpenID Connect) through STS
 * {@code AssumeRoleWithWebIdentity}: the role, the environment variable that holds the token, the role
 * session name and the session duration. Holds no token: the token is read from the environment each time
 * STS is called, so it never sits in a parameter, a field or a {@code toString()}.
 *
 * @param roleArn the role, e.g. {@code arn:aws:iam::123456789012:role/deploy}
 * @param tokenVariable the environment variable holding the ID token, e.g. {@code GITLAB_OIDC_TOKEN}
 * @param sessionName the role session name (AWS: {@code [\w+=,.@-]}, 2 to 64 characters)
 * @param sessionDuration how long each set of credentials lasts (900 s to 12 h)
 */
public record WebIdentityRole(
    String roleArn, String tokenVariable, String sessionName, Duration sessionDuration) {

  /** {@code <roleArn>} / {@code -Decs.roleArn}. */
  public static final Param ROLE_ARN = new Param("roleArn", "ecs.roleArn");
  /** {@code <webIdentityTokenVariable>} / {@code -Decs.webIdentityTokenVariable}. */
  public static final Param TOKEN_VARIABLE =
      new Param("webIdentityTokenVariable", "ecs.webIdentityTokenVariable");
  /** {@code <roleSessionDuration>} / {@code -Decs.roleSessionDuration}. */
  public static final Param SESSION_DURATION = new Param("roleSessionDuration", "ecs.roleSessionDuration");

  /** The variable name this plugin's documentation uses in {@code id_tokens:}. */
  public static final String DEFAULT_TOKEN_VARIABLE = "GITLAB_OIDC_TOKEN";
  /** One hour, STS's default and the default maximum of a role. */
  public static final Duration DEFAULT_DURATION = Duration.ofHours(1);
  /** STS's shortest session. */
  public static final Duration MIN_DURATION = Duration.ofSeconds(900);
  /** STS's longest session (the role's maximum session duration must allow it too). */
  public static final Duration MAX_DURATION = Duration.ofHours(12);

  private static final Pattern ROLE_ARN_PATTERN =
      Pattern.compile("arn:aws[a-z-]*:iam::\\d{12}:role/(?:[\\w+=,.@-]+/)*[\\w+=,.@-]{1,64}");
  private static final Pattern VARIABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Pattern INVALID_SESSION_CHARS = Pattern.compile("[^\\w+=,.@-]+");
  private static final int MAX_SESSION_NAME = 64;

  /**
   * Resolves the role from the parameters, or empty when no role is set (then the SDK's default credential
   * chain applies). Checks that the token variable holds something shaped like a JWT, without ever showing
   * its value.
   *
   * @param roleArn the {@code <roleArn>} parameter, may be null or blank
   * @param tokenVariable the {@code <webIdentityTokenVariable>} parameter; blank means the default
   * @param duration the {@code <roleSessionDuration>} parameter: seconds ({@code 3600}, {@code 3600s}),
   *     minutes or hours ({@code 60m}, {@code 1h}) or ISO-8601 ({@code PT1H}); blank means one hour
   * @param env reads an environment variable, null if unset
   * @param clock for the session name outside GitLab
   * @throws UserInputException naming the parameter and the fix
   */
  public static Optional<WebIdentityRole> resolve(
      String roleArn, String tokenVariable, String duration, Function<String, String> env, Clock clock) {
    if (roleArn == null || roleArn.isBlank()) {
      return Optional.empty();
    }
    String arn = roleArn.trim();
    if (!ROLE_ARN_PATTERN.matcher(arn).matches()) {
      throw new UserInputException(
          ROLE_ARN,
          ROLE_ARN.both()
              + " is '"
              + arn
              + "', which is not an IAM role ARN. Use the role's ARN as the IAM console shows it, e.g."
              + " arn:aws:iam::123456789012:role/gitlab-deploy.");
    }
    String variable =
        tokenVariable == null || tokenVariable.isBlank() ? DEFAULT_TOKEN_VARIABLE : tokenVariable.trim();
    if (!VARIABLE_NAME.matcher(variable).matches()) {
      throw new UserInputException(
          TOKEN_VARIABLE,
          TOKEN_VARIABLE.both()
              + " is not an environment variable name (value not shown, in case it is the token itself)."
              + " Give the name of the variable that holds the ID token (the key under id_tokens:), e.g. "
              + DEFAULT_TOKEN_VARIABLE
              + ", not the token itself.");
    }
    WebIdentityRole role =
        new WebIdentityRole(arn, variable, sessionName(env, clock), parseDuration(duration));
    role.readToken(env);
    return Optional.of(role);
  }

  /**
   * The ID token from the environment, checked to be present and shaped like a JWT.
   *
   * @throws UserInputException when the variable is unset, empty or not a JWT; the message never holds it
   */
  String readToken(Function<String, String> env) {
    String token = env.apply(tokenVariable);
    if (token == null || token.isBlank()) {
      throw new UserInputException(
          TOKEN_VARIABLE,
          ROLE_ARN.both()
              + " is set, so AWS credentials come from a GitLab ID token, but the environment variable "
              + tokenVariable
              + " ("
              + TOKEN_VARIABLE.both()
              + ") is "
              + (token == null ? "not set" : "empty")
              + ". Add the ID token to the deploy job in .gitlab-ci.yml:\n"
              + "  id_tokens:\n"
              + "    "
              + tokenVariable
              + ":\n"
              + "      aud: sts.amazonaws.com\n"
              + "(the aud must be an audience of the role's IAM OIDC identity provider), or set "
              + TOKEN_VARIABLE.both()
              + " to the variable that holds it.");
    }
    String trimmed = token.trim();
    String[] parts = trimmed.split("\\.", -1);
    if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty() || parts[2].isEmpty()) {
      throw new UserInputException(
          TOKEN_VARIABLE,
          "The environment variable "
              + tokenVariable
              + " ("
              + TOKEN_VARIABLE.both()
              + ") does not hold an ID token (a JWT: three parts separated by dots; value not shown)."
              + " Declare it under id_tokens: in the deploy job, not under variables:.");
    }
    return trimmed;
  }

  /**
   * The role session name: {@code gitlab-<CI_PROJECT_PATH_SLUG>-<CI_PIPELINE_ID>} in GitLab CI, else
   * {@code ecs-deploy-<unix seconds>}. Characters outside {@code [\w+=,.@-]} become {@code -}; at most 64
   * characters, shortening the project part so the pipeline id stays.
   */
  static String sessionName(Function<String, String> env, Clock clock) {
    String project = clean(firstSet(env, "CI_PROJECT_PATH_SLUG", "CI_PROJECT_PATH", "CI_PROJECT_NAME"));
    String pipeline = clean(firstSet(env, "CI_PIPELINE_ID"));
    if (project.isEmpty() && pipeline.isEmpty()) {
      return "ecs-deploy-" + clock.instant().getEpochSecond();
    }
    String name = "gitlab";
    String tail = pipeline.isEmpty() ? "" : "-" + pipeline;
    if (tail.length() > MAX_SESSION_NAME - name.length()) {
      tail = tail.substring(0, MAX_SESSION_NAME - name.length());
    }
    int room = MAX_SESSION_NAME - name.length() - tail.length() - 1;
    if (room > 0 && !project.isEmpty()) {
      String shortened = trimEdges(project.substring(0, Math.min(room, project.length())));
      if (!shortened.isEmpty()) {
        name += "-" + shortened;
      }
    }
    return name + tail;
  }

  private static String firstSet(Function<String, String> env, String... names) {
    for (String name : names) {
      String v = env.apply(name);
      if (v != null && !v.isBlank()) {
        return v.trim();
      }
    }
    return "";
  }

  private static String clean(String value) {
    return trimEdges(INVALID_SESSION_CHARS.matcher(value).replaceAll("-"));
  }

  private static String trimEdges(String value) {
    int start = 0;
    int end = value.length();
    while (start < end && value.charAt(start) == '-') {
      start++;
    }
    while (end > start && value.charAt(end - 1) == '-') {
      end--;
    }
    return value.substring(start, end);
  }

  /**
   * The session duration in {@link Durations} syntax ({@code 3600}, {@code 60m}, {@code 1h}, {@code PT1H});
   * blank is one hour; STS allows whole seconds from 900 s to 12 h.
   */
  static Duration parseDuration(String text) {
    if (text == null || text.isBlank()) {
      return DEFAULT_DURATION;
    }
    String t = text.trim();
    Duration d = Durations.parse(t, SESSION_DURATION);
    if (d.compareTo(MIN_DURATION) < 0 || d.compareTo(MAX_DURATION) > 0 || d.getNano() != 0) {
      throw new UserInputException(
          SESSION_DURATION,
          SESSION_DURATION.both()
              + " is '"
              + t
              + "' ("
              + d.getSeconds()
              + " s), outside what STS allows: whole seconds from 900 (15 minutes) to 43200 (12 hours)."
              + " Longer than one hour also needs the role's maximum session duration raised in IAM.");
    }
    return d;
  }

  /** For the log: {@code GitLab ID token $VAR -> role ARN (session NAME)}. */
  public String describe() {
    return "GitLab ID token $"
        + tokenVariable
        + " -> role "
        + roleArn
        + " (session "
        + sessionName
        + ", "
        + sessionDuration.getSeconds()
        + " s, renewed before it expires)";
  }
}
