package io.github.ecsdeploy.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ecsdeploy.core.UserInputException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Resolving the GitLab OIDC role: session names, durations, the token variable and its errors. */
class WebIdentityRoleTest {

  private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(1_750_000_000L), ZoneOffset.UTC);
  private static final String ROLE = "arn:aws:iam::123456789012:role/deploy";
  private static final String TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl";
  private static final Pattern AWS_SESSION_NAME = Pattern.compile("[\\w+=,.@-]{2,64}");

  private static String session(String slug, String pipeline) {
    Map<String, String> env = new HashMap<>();
    if (slug != null) {
      env.put("CI_PROJECT_PATH_SLUG", slug);
    }
    if (pipeline != null) {
      env.put("CI_PIPELINE_ID", pipeline);
    }
    return WebIdentityRole.sessionName(env::get, CLOCK);
  }

  @ParameterizedTest(name = "slug={0} pipeline={1} -> {2}")
  @CsvSource(
      nullValues = "null",
      value = {
        "group-project,         1234,   gitlab-group-project-1234",
        "team-sub-service,      987654, gitlab-team-sub-service-987654",
        "group-project,         null,   gitlab-group-project",
        "null,                  1234,   gitlab-1234",
        "'a b/c:d',             12,     gitlab-a-b-c-d-12",
        "'--x--',               5,      gitlab-x-5",
        "'über-projekt',        7,      gitlab-ber-projekt-7",
        "null,                  null,   ecs-deploy-1750000000",
        "'',                    '',     ecs-deploy-1750000000",
      })
  void sessionNames(String slug, String pipeline, String expected) {
    String name = session(slug, pipeline);
    assertEquals(expected, name);
    assertTrue(AWS_SESSION_NAME.matcher(name).matches(), name);
  }

  @Test
  void aLongProjectIsShortenedButThePipelineIdStays() {
    String name = session("a-very-long-group-name/with-a-subgroup-and-an-even-longer-project-name", "123456789");
    assertEquals(64, name.length(), name);
    assertTrue(name.startsWith("gitlab-a-very-long-group-name-with-"), name);
    assertTrue(name.endsWith("-123456789"), name);
    assertFalse(name.contains("--"), name);
    assertTrue(AWS_SESSION_NAME.matcher(name).matches(), name);
  }

  @Test
  void aShortenedProjectDoesNotEndInADash() {
    // 64 - "gitlab-".length() - "-1".length() = 55 characters of project fit; the 55th is a dash.
    String name = session("p".repeat(54) + "-qqqq", "1");
    assertEquals("gitlab-" + "p".repeat(54) + "-1", name);
  }

  @Test
  void theProjectPathIsUsedWhenTheSlugIsMissing() {
    Map<String, String> env = Map.of("CI_PROJECT_PATH", "Group/Project.Name", "CI_PIPELINE_ID", "42");
    assertEquals("gitlab-Group-Project.Name-42", WebIdentityRole.sessionName(env::get, CLOCK));
  }

  @ParameterizedTest(name = "{0} -> {1} s")
  @CsvSource({"'', 3600", "3600, 3600", "900, 900", "43200, 43200", "1800s, 1800", "30m, 1800", "2h, 7200",
      "PT1H, 3600", "pt15m, 900", "' 1h ', 3600"})
  void durations(String text, long seconds) {
    assertEquals(Duration.ofSeconds(seconds), WebIdentityRole.parseDuration(text));
  }

  @ParameterizedTest
  @CsvSource({"899", "43201", "13h", "PT0.5S", "PT900.5S", "-1", "soon", "1d", "99999999999999999999"})
  void durationsStsRefusesAreUserErrors(String text) {
    UserInputException e = assertThrows(UserInputException.class, () -> WebIdentityRole.parseDuration(text));
    assertTrue(e.getMessage().startsWith("<roleSessionDuration> / -Decs.roleSessionDuration "), e.getMessage());
    assertTrue(e.getMessage().contains("'" + text + "'"), e.getMessage());
    assertEquals(Optional.of(WebIdentityRole.SESSION_DURATION), e.param());
  }

  @Test
  void noRoleMeansNoWebIdentity() {
    assertEquals(Optional.empty(), WebIdentityRole.resolve(null, null, null, name -> TOKEN, CLOCK));
    assertEquals(Optional.empty(), WebIdentityRole.resolve("  ", "X", "1h", name -> TOKEN, CLOCK));
  }

  @Test
  void aRoleWithTheTokenInTheDefaultVariable() {
    Map<String, String> env = Map.of("GITLAB_OIDC_TOKEN", TOKEN, "CI_PROJECT_PATH_SLUG", "group-project",
        "CI_PIPELINE_ID", "1234");
    WebIdentityRole role = WebIdentityRole.resolve(" " + ROLE + " ", "", "", env::get, CLOCK).orElseThrow();
    assertEquals(new WebIdentityRole(ROLE, "GITLAB_OIDC_TOKEN", "gitlab-group-project-1234",
        Duration.ofHours(1)), role);
    assertEquals("GitLab ID token $GITLAB_OIDC_TOKEN -> role " + ROLE
        + " (session gitlab-group-project-1234, 3600 s, renewed before it expires)", role.describe());
    assertFalse(role.toString().contains(TOKEN));
  }

  @Test
  void aMissingTokenVariableSaysWhatToAddToTheJob() {
    UserInputException e = assertThrows(UserInputException.class,
        () -> WebIdentityRole.resolve(ROLE, "AWS_ID_TOKEN", null, name -> null, CLOCK));
    String m = e.getMessage();
    assertTrue(m.contains("the environment variable AWS_ID_TOKEN (<webIdentityTokenVariable> /"
        + " -Decs.webIdentityTokenVariable) is not set"), m);
    assertTrue(m.contains("<roleArn> / -Decs.roleArn is set"), m);
    assertTrue(m.contains("  id_tokens:\n    AWS_ID_TOKEN:\n      aud: sts.amazonaws.com\n"), m);
    assertEquals(Optional.of(WebIdentityRole.TOKEN_VARIABLE), e.param());
  }

  @Test
  void anEmptyTokenVariableIsNamedAsEmpty() {
    UserInputException e = assertThrows(UserInputException.class,
        () -> WebIdentityRole.resolve(ROLE, null, null, name -> "  ", CLOCK));
    assertTrue(e.getMessage().contains("GITLAB_OIDC_TOKEN (<webIdentityTokenVariable> /"
        + " -Decs.webIdentityTokenVariable) is empty"), e.getMessage());
  }

  @Test
  void aVariableThatHoldsNoJwtIsRefusedWithoutShowingIt() {
    String notAToken = "glpat-s3cr3t-value";
    UserInputException e = assertThrows(UserInputException.class,
        () -> WebIdentityRole.resolve(ROLE, null, null, name -> notAToken, CLOCK));
    assertTrue(e.getMessage().contains("does not hold an ID token"), e.getMessage());
    assertFalse(e.getMessage().contains(notAToken), e.getMessage());
  }

  @ParameterizedTest
  @CsvSource({"deploy", "arn:aws:iam::123:role/deploy", "arn:aws:iam::123456789012:user/deploy",
      "arn:aws:sts::123456789012:assumed-role/deploy/s"})
  void aRoleArnThatIsNoRoleArnIsAUserError(String arn) {
    UserInputException e = assertThrows(UserInputException.class,
        () -> WebIdentityRole.resolve(arn, null, null, name -> TOKEN, CLOCK));
    assertTrue(e.getMessage().startsWith("<roleArn> / -Decs.roleArn is '" + arn + "', which is not an IAM role"),
        e.getMessage());
  }

  @Test
  void rolePathsAndPartitionsAreAccepted() {
    for (String arn : new String[] {"arn:aws:iam::123456789012:role/ci/gitlab/deploy",
        "arn:aws-cn:iam::123456789012:role/deploy", "arn:aws-us-gov:iam::123456789012:role/a+b=c,d.e@f-g"}) {
      assertEquals(arn, WebIdentityRole.resolve(arn, null, null, name -> TOKEN, CLOCK).orElseThrow().roleArn());
    }
  }

  @Test
  void theTokenVariableMustBeAName() {
    UserInputException e = assertThrows(UserInputException.class,
        () -> WebIdentityRole.resolve(ROLE, TOKEN, null, name -> TOKEN, CLOCK));
    assertTrue(e.getMessage().contains("not an environment variable name"), e.getMessage());
    assertFalse(e.getMessage().contains(TOKEN), "a token pasted as the variable name is not echoed");
  }
}
