package io.github.ecsdeploy.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ecsdeploy.standin.StandInExtension;
import io.github.ecsdeploy.standin.sts.IdTokens;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The OIDC parameters of every goal, end to end through execute() against the stand-in's STS. */
class GitLabOidcMojoTest {

  @RegisterExtension static final StandInExtension STAND_IN = new StandInExtension();

  private static final String ROLE = "arn:aws:iam::123456789012:role/deploy";
  private static final String TOKEN = IdTokens.gitlab("group/project", "v1.4.0");

  @TempDir Path dir;

  private final Map<String, String> env = new HashMap<>(Map.of(
      "GITLAB_OIDC_TOKEN", TOKEN, "CI_PROJECT_PATH_SLUG", "group-project", "CI_PIPELINE_ID", "1234"));

  private MojoFixture fixture;

  private TestGoalMojo mojo() {
    // The GitLab OIDC source the goal resolves, with the test's environment, against the stand-in's STS.
    fixture = new MojoFixture(dir).env(env::get).standIn(STAND_IN.get()).resolvedCredentials();
    TestGoalMojo mojo = fixture.mojo(TestGoalMojo::new);
    mojo.roleArn = ROLE;
    mojo.webIdentityTokenVariable = "GITLAB_OIDC_TOKEN";
    mojo.roleSessionDuration = "3600";
    return mojo;
  }

  private static void assertNoToken(TestGoalMojo mojo, Throwable e) {
    mojo.log.lines.forEach(l -> assertFalse(l.contains(TOKEN), "token in the log: " + l));
    for (Throwable t = e; t != null; t = t.getCause()) {
      assertFalse(String.valueOf(t.getMessage()).contains(TOKEN), "token in a message: " + t);
    }
  }

  @Test
  void aGoalRunsAsTheRoleOfTheGitLabIdToken() throws Exception {
    TestGoalMojo mojo = mojo();
    String[] arn = new String[1];
    mojo.body = ctx -> arn[0] = ctx.aws().sts().getCallerIdentity().arn();
    mojo.execute();
    assertEquals("arn:aws:sts::123456789012:assumed-role/deploy/gitlab-group-project-1234", arn[0]);
    assertTrue(mojo.log.lines.stream().anyMatch(l -> l.startsWith("INFO AWS region us-east-1")
        && l.endsWith("credentials from GitLab ID token $GITLAB_OIDC_TOKEN -> role " + ROLE
            + " (session gitlab-group-project-1234, 3600 s, renewed before it expires)")), mojo.log.lines.toString());
    assertNoToken(mojo, null);
  }

  @Test
  void anotherVariableAndDurationCanBeNamed() throws Exception {
    TestGoalMojo mojo = mojo();
    env.put("AWS_ID_TOKEN", env.remove("GITLAB_OIDC_TOKEN"));
    mojo.webIdentityTokenVariable = "AWS_ID_TOKEN";
    mojo.roleSessionDuration = "PT20M";
    mojo.body = ctx -> ctx.aws().sts().getCallerIdentity();
    mojo.execute();
    assertEquals(1200, STAND_IN.get().sts().assumeRoleCalls().get(0).durationSeconds());
  }

  @Test
  void aMissingTokenVariableFailsBeforeTheGoalRuns() {
    TestGoalMojo mojo = mojo();
    env.remove("GITLAB_OIDC_TOKEN");
    MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);
    assertTrue(e.getMessage().contains("<webIdentityTokenVariable> / -Decs.webIdentityTokenVariable"), e.getMessage());
    assertTrue(e.getMessage().contains("id_tokens:"), e.getMessage());
    assertEquals(0, mojo.runs);
    assertTrue(STAND_IN.get().sts().assumeRoleCalls().isEmpty());
  }

  @Test
  void aRejectedTokenFailsTheBuildWithoutShowingIt() {
    STAND_IN.get().sts().rejectSubject("project_path:group/project:ref_type:tag:ref:v1.4.0");
    TestGoalMojo mojo = mojo();
    mojo.body = ctx -> ctx.aws().ecs().describeClusters(b -> b.clusters("none"));
    MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);
    assertTrue(e.getMessage().startsWith("STS refused the GitLab ID token from $GITLAB_OIDC_TOKEN for role "
        + ROLE), e.getMessage());
    assertTrue(mojo.log.at("ERROR").isEmpty(), "thrown once, not logged: " + mojo.log.lines);
    assertNoToken(mojo, e);
  }

  @Test
  void withoutARoleTheDefaultChainIsUsedAndNoTokenIsNeeded() throws Exception {
    TestGoalMojo mojo = mojo();
    mojo.roleArn = null;
    env.clear();
    mojo.execute();
    assertEquals("the default AWS credential chain", fixture.credentials.get(0).describe());
    assertTrue(STAND_IN.get().sts().assumeRoleCalls().isEmpty());
  }

  @Test
  void anInvalidDurationNamesTheParameter() {
    TestGoalMojo mojo = mojo();
    mojo.roleSessionDuration = "10m";
    MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);
    assertTrue(e.getMessage().startsWith("<roleSessionDuration> / -Decs.roleSessionDuration is '10m'"),
        e.getMessage());
  }

  @Test
  void aGoalRidesOutStsTransientErrorsWithinItsAttempts() throws Exception {
    STAND_IN.get().sts().idpCommunicationErrors(1);
    STAND_IN.get().sts().unretrievableProviderKeys(1);
    TestGoalMojo mojo = mojo();
    String[] arn = new String[1];
    mojo.body = ctx -> arn[0] = ctx.aws().sts().getCallerIdentity().arn();
    mojo.execute(); // the SDK default: 3 attempts, the third succeeds
    assertEquals("arn:aws:sts::123456789012:assumed-role/deploy/gitlab-group-project-1234", arn[0]);
    assertEquals(java.util.Arrays.asList("IDPCommunicationError", "InvalidIdentityToken", null),
        STAND_IN.get().sts().assumeRoleCalls().stream().map(c -> c.errorCode()).toList());
    assertNoToken(mojo, null);
  }

  @Test
  void stsTransientErrorsBeyondMaxAttemptsAreAnErrorNotAFailureOfTheBuildsInput() {
    STAND_IN.get().sts().idpCommunicationErrors(5);
    TestGoalMojo mojo = mojo();
    mojo.maxAttempts = "2";
    mojo.body = ctx -> ctx.aws().sts().getCallerIdentity();
    org.apache.maven.plugin.MojoExecutionException e =
        assertThrows(org.apache.maven.plugin.MojoExecutionException.class, mojo::execute);
    assertTrue(e.getMessage().contains("IDPCommunicationError") && e.getMessage().contains("re-run the job"),
        e.getMessage());
    assertEquals(2, STAND_IN.get().sts().assumeRoleCalls().size());
    assertNoToken(mojo, e);
  }
}
