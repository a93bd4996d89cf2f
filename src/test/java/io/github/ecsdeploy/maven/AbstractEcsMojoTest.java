package io.github.ecsdeploy.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.github.ecsdeploy.core.DeploymentFailedException;
import io.github.ecsdeploy.core.ExternalFailureException;
import io.github.ecsdeploy.core.Param;
import io.github.ecsdeploy.core.UserInputException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.apache.maven.execution.DefaultMavenExecutionRequest;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.project.MavenProject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ecs.model.EcsException;

class AbstractEcsMojoTest {

  @TempDir Path dir;

  private MojoFixture fixture;

  @BeforeEach
  void fixture() {
    fixture = new MojoFixture(dir);
  }

  private TestGoalMojo mojo() {
    TestGoalMojo mojo = fixture.mojo(TestGoalMojo::new);
    mojo.project.getBuild().setDirectory(dir.resolve("out").toString());
    return mojo;
  }

  // --- skipping ---

  @Test
  void ecsSkipLogsOneLineAndDoesNothingElse() throws Exception {
    TestGoalMojo mojo = mojo();
    mojo.skip = true;
    mojo.execute(); // no region anywhere: resolving settings would fail
    assertEquals(List.of("INFO Skipping ecs:test-goal because ecs.skip=true"), mojo.log.lines);
    assertEquals(0, mojo.runs);
    assertTrue(fixture.built.isEmpty());
  }

  @Test
  void theGoalsOwnSkipLogsOneLineNamingItsProperty() throws Exception {
    TestGoalMojo mojo = mojo();
    mojo.goalSkip = true;
    mojo.execute();
    assertEquals(List.of("INFO Skipping ecs:test-goal because ecs.testGoal.skip=true"), mojo.log.lines);
    assertEquals(0, mojo.runs);
    assertTrue(fixture.built.isEmpty());
  }

  @Test
  void withBothSkipsTheGlobalFlagIsNamed() throws Exception {
    TestGoalMojo mojo = mojo();
    mojo.skip = true;
    mojo.goalSkip = true;
    mojo.execute();
    assertEquals(List.of("INFO Skipping ecs:test-goal because ecs.skip=true"), mojo.log.lines);
    assertEquals(0, mojo.runs);
  }

  @Test
  void theGoalSkipPropertyIsDerivedFromTheGoalName() {
    TestGoalMojo mojo =
        new TestGoalMojo(fixture.environment()) {
          @Override
          protected String goal() {
            return "register-task-def";
          }
        };
    assertEquals("ecs.registerTaskDef.skip", mojo.goalSkipProperty());
  }

  // --- running ---

  @Test
  void runGetsLogPathsAndClientsWhichAreClosedAfterwards() throws Exception {
    TestGoalMojo mojo = mojo();
    mojo.region = "eu-west-1";
    mojo.body = ctx -> ctx.log().info("hello from the goal");
    mojo.execute();

    assertEquals(1, mojo.runs);
    assertEquals(1, fixture.built.size());
    GoalContext ctx = mojo.lastContext;
    assertSame(fixture.built.get(0), ctx.aws());
    assertEquals("eu-west-1", ctx.aws().settings().region());
    assertEquals(dir.toAbsolutePath(), ctx.projectDir());
    assertEquals(dir.resolve("out").toAbsolutePath(), ctx.buildDir());
    assertEquals(dir.resolve("out").resolve("ecs-deploy").toAbsolutePath(), ctx.stateDir());
    assertTrue(mojo.log.lines.contains("INFO hello from the goal"), mojo.log.lines.toString());
    assertThrows(IllegalStateException.class, () -> ctx.aws().ecs(), "closed after run");
  }

  @Test
  void withoutAPomTheDirectoriesAreWhereMavenWasStartedNotTheJvmsCurrentDirectory() throws Exception {
    // ecs:rollback / ecs:status need no pom.xml; Maven's stub project has no basedir and an uninterpolated
    // build directory. A Maven in a JVM started elsewhere (mvnd, embedded Maven) has the directory it was started
    // in only as the request's base directory.
    TestGoalMojo mojo = mojo();
    mojo.needsAws = false;
    MavenProject stub = new MavenProject();
    stub.getBuild().setDirectory("${project.basedir}/target");
    mojo.project = stub;
    Path startedIn = dir.resolve("started-in");
    mojo.session = new MavenSession(null, new DefaultMavenExecutionRequest().setBaseDirectory(startedIn.toFile()),
        null, List.<MavenProject>of());
    mojo.execute();
    assertEquals(startedIn.toAbsolutePath(), mojo.lastContext.projectDir());
    assertEquals(startedIn.resolve("target").toAbsolutePath(), mojo.lastContext.buildDir());
  }

  @Test
  void aGoalWithoutAwsNeedsNoRegionAndGetsNoClients() throws Exception {
    TestGoalMojo mojo = mojo();
    mojo.needsAws = false;
    mojo.execute();
    assertEquals(1, mojo.runs);
    assertTrue(fixture.built.isEmpty());
    assertThrows(IllegalStateException.class, () -> mojo.lastContext.aws());
  }

  @Test
  void regionFromTheEnvironmentIsUsed() throws Exception {
    fixture.env(name -> name.equals("AWS_REGION") ? "ap-south-1" : null);
    TestGoalMojo mojo = mojo();
    mojo.execute();
    assertEquals("ap-south-1", mojo.lastContext.aws().settings().region());
  }

  @Test
  void awsDefaultRegionAsGitLabDocumentsItIsUsedAndTheLogSaysSo() throws Exception {
    fixture.env(name -> name.equals("AWS_DEFAULT_REGION") ? "eu-central-1" : null);
    TestGoalMojo mojo = mojo();
    mojo.body = ctx -> ctx.aws().ecs();
    mojo.execute();
    assertEquals("eu-central-1", mojo.lastContext.aws().settings().region());
    assertEquals("AWS_DEFAULT_REGION", mojo.lastContext.aws().settings().regionSource());
    assertEquals(
        1,
        mojo.log.lines.stream()
            .filter(l -> l.startsWith("INFO AWS region eu-central-1 (from AWS_DEFAULT_REGION)"))
            .count(),
        mojo.log.lines.toString());
  }

  @Test
  void theSystemPropertyAwsRegionComesBeforeTheEnvironmentAsInTheSdk() throws Exception {
    fixture.env(name -> name.equals("AWS_REGION") ? "ap-south-1" : null)
        .systemProperties(name -> name.equals("aws.region") ? "sa-east-1" : null);
    TestGoalMojo mojo = mojo();
    mojo.execute();
    assertEquals("sa-east-1", mojo.lastContext.aws().settings().region());
    assertEquals("system property aws.region", mojo.lastContext.aws().settings().regionSource());
  }

  @Test
  void instanceMetadataIsTheLastPlaceTheRegionComesFrom() throws Exception {
    fixture.instanceMetadataRegion(() -> java.util.Optional.of("us-west-2"));
    TestGoalMojo mojo = mojo();
    mojo.execute();
    assertEquals("us-west-2", mojo.lastContext.aws().settings().region());
    assertEquals("EC2 instance metadata", mojo.lastContext.aws().settings().regionSource());
  }

  @Test
  void retryParametersReachTheSettings() throws Exception {
    TestGoalMojo mojo = mojo();
    mojo.region = "eu-west-1";
    mojo.maxAttempts = "5";
    mojo.retryMode = "adaptive";
    mojo.execute();
    assertEquals(
        "adaptive mode, 5 attempts", mojo.lastContext.aws().settings().retries().describe());
    assertEquals(5, mojo.lastContext.aws().settings().retryStrategy().maxAttempts());
  }

  @Test
  void aBadRetryModeFailsTheBuildNamingBothSpellings() {
    TestGoalMojo mojo = mojo();
    mojo.region = "eu-west-1";
    mojo.retryMode = "legacy";
    MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);
    assertTrue(e.getMessage().startsWith("<retryMode> / -Decs.retryMode is 'legacy'"), e.getMessage());
    assertTrue(e.getMessage().contains("standard") && e.getMessage().contains("adaptive"), e.getMessage());
    assertEquals(0, mojo.runs);
    assertTrue(fixture.built.isEmpty());
  }

  @Test
  void aBadMaxAttemptsFailsTheBuildNamingBothSpellings() {
    for (String bad : List.of("0", "three", "-1", "21", "2.5")) {
      TestGoalMojo mojo = mojo();
      mojo.region = "eu-west-1";
      mojo.maxAttempts = bad;
      MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute, bad);
      assertTrue(
          e.getMessage().startsWith("<maxAttempts> / -Decs.maxAttempts is '" + bad + "'"), e.getMessage());
      assertEquals(0, mojo.runs);
    }
  }

  // --- exception mapping, end to end through execute() ---

  private static <T extends Throwable> T failWith(TestGoalMojo mojo, RuntimeException e, Class<T> type) {
    mojo.region = "eu-west-1";
    mojo.body =
        ctx -> {
          throw e;
        };
    T thrown = assertThrows(type, mojo::execute);
    assertTrue(
        mojo.log.at("ERROR").isEmpty() && mojo.log.at("WARN").isEmpty(),
        "no log-and-rethrow: " + mojo.log.lines);
    return thrown;
  }

  @Test
  void userInputBecomesMojoFailureWithTheMessage() {
    MojoFailureException e =
        failWith(mojo(), new UserInputException(Param.CLUSTER, "Set <cluster>."), MojoFailureException.class);
    assertEquals("Set <cluster>.", e.getMessage());
  }

  @Test
  void deploymentFailedBecomesMojoFailureWithTheMessage() {
    MojoFailureException e =
        failWith(mojo(), new DeploymentFailedException("Rolled back."), MojoFailureException.class);
    assertEquals("Rolled back.", e.getMessage());
  }

  @Test
  void externalFailureBecomesMojoExecutionWithItsCause() {
    IOException cause = new IOException("disk full");
    MojoExecutionException e =
        failWith(
            mojo(),
            new ExternalFailureException("Could not write state.", cause),
            MojoExecutionException.class);
    assertEquals("Could not write state.", e.getMessage());
    assertSame(cause, e.getCause());
  }

  @Test
  void aBugIsNotDisguised() {
    IllegalArgumentException bug = new IllegalArgumentException("bug");
    assertSame(bug, failWith(mojo(), bug, IllegalArgumentException.class));
  }

  @Test
  void aMissingRegionFailsTheBuildNamingTheParameter() {
    TestGoalMojo mojo = mojo();
    MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);
    assertTrue(e.getMessage().contains("<region> / -Decs.region"), e.getMessage());
    assertEquals(0, mojo.runs);
  }

  @Test
  void anSdkErrorNamesTheOperationTheCodeAndWhatToCheck() throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          byte[] body =
              "{\"__type\":\"ClusterNotFoundException\",\"message\":\"Cluster not found.\"}"
                  .getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
          exchange.sendResponseHeaders(400, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    try {
      TestGoalMojo mojo = mojo();
      mojo.region = "eu-west-1";
      mojo.endpoint = "http://127.0.0.1:" + server.getAddress().getPort();
      mojo.body = ctx -> ctx.aws().ecs().describeServices(b -> b.cluster("nope").services("web"));
      MojoExecutionException e = assertThrows(MojoExecutionException.class, mojo::execute);
      String m = e.getMessage();
      assertTrue(m.startsWith("AWS call ECS:DescribeServices failed: ClusterNotFoundException"), m);
      assertTrue(m.contains("Cluster not found."), m);
      assertTrue(m.contains("HTTP 400"), m);
      assertTrue(m.contains("region eu-west-1 (from <region> / -Decs.region)"), m);
      assertTrue(m.contains("endpoint " + mojo.endpoint), m);
      assertInstanceOf(EcsException.class, e.getCause());
      assertTrue(mojo.log.at("ERROR").isEmpty(), mojo.log.lines.toString());
    } finally {
      server.stop(0);
    }
  }

  // --- offline ---

  private static MavenSession session(boolean offline) {
    return new MavenSession(
        null, new DefaultMavenExecutionRequest().setOffline(offline), null, List.<MavenProject>of());
  }

  @Test
  void offlineRefusesToCallAws() {
    TestGoalMojo mojo = mojo();
    mojo.region = "eu-west-1";
    mojo.session = session(true);
    MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);
    assertTrue(e.getMessage().contains("offline"), e.getMessage());
    assertTrue(e.getMessage().contains("-Decs.testGoal.skip=true"), e.getMessage());
    assertEquals(0, mojo.runs);
    assertTrue(fixture.built.isEmpty());
  }

  @Test
  void offlineIsFineForALoopbackEndpoint() throws Exception {
    TestGoalMojo mojo = mojo();
    mojo.region = "eu-west-1";
    mojo.endpoint = "http://localhost:4566";
    mojo.session = session(true);
    mojo.execute();
    assertEquals(1, mojo.runs);
    assertTrue(mojo.lastContext.offline());
  }

  @Test
  void onlineByDefault() throws Exception {
    TestGoalMojo mojo = mojo();
    mojo.needsAws = false;
    mojo.session = session(false);
    mojo.execute();
    assertEquals(false, mojo.lastContext.offline());
  }
}
