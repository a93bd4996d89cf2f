package io.github.ecsdeploy.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ecsdeploy.standin.AwsErrorException;
import io.github.ecsdeploy.standin.AwsStandIn;
import io.github.ecsdeploy.standin.JsonProtocolService;
import io.github.ecsdeploy.standin.RequestLog;
import io.github.ecsdeploy.standin.StandInExtension;
import io.github.ecsdeploy.standin.ecs.EcsService;
import io.github.ecsdeploy.standin.ecs.EcsSimulationSettings;
import io.github.ecsdeploy.state.StateFiles;
import io.github.ecsdeploy.testing.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * ecs:rollback and ecs:status end to end through the real SDK against the stand-in, on the path where the
 * Service Deployments API cannot be used: the role may not call it ({@code AccessDeniedException}, as IAM
 * answers a missing action) or the endpoint does not know it ({@code UnknownOperationException}). Both goals
 * must then work from the revisions and DescribeServices.
 */
class RollbackMojoStandInTest {

  @RegisterExtension static final StandInExtension STAND_IN = new StandInExtension();

  /** The ECS calls that change something; none may appear when a goal refuses or runs dry. */
  static final Set<String> MUTATING = Set.of("RegisterTaskDefinition", "UpdateService", "CreateService",
      "DeregisterTaskDefinition", "TagResource", "DeleteService");

  private static final String HISTORY_OPS = "ListServiceDeployments DescribeServiceDeployments"
      + " DescribeServiceRevisions";
  private static final String REGISTRY = AwsStandIn.ACCOUNT_ID + ".dkr.ecr.us-east-1.amazonaws.com";

  @TempDir Path dir;

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T10:00:00Z"));
  private EcsService simulator;
  private String historyError = "AccessDeniedException";
  private String repository;
  private RequestLog requests;

  /**
   * ECS as a role without ecs:ListServiceDeployments / ecs:DescribeServiceRevisions sees it: AWS answers an
   * action the caller's policy does not allow with {@code AccessDeniedException} (HTTP 400; "Common Errors" of
   * the Amazon ECS API Reference); an endpoint without the operation answers {@code UnknownOperationException}.
   */
  private final class WithoutHistory implements JsonProtocolService {
    @Override
    public String targetPrefix() {
      return simulator.targetPrefix();
    }

    @Override
    public JsonNode handle(String operation, JsonNode request) {
      if (historyError != null && HISTORY_OPS.contains(operation)) {
        throw new AwsErrorException(400, historyError, "User: arn:aws:sts::" + AwsStandIn.ACCOUNT_ID
            + ":assumed-role/deploy/ci is not authorized to perform: ecs:" + operation);
      }
      return simulator.handle(operation, request);
    }
  }

  @BeforeEach
  void setUp(org.junit.jupiter.api.TestInfo test) {
    simulator = new EcsService(STAND_IN.get().region(), AwsStandIn.ACCOUNT_ID, clock,
        EcsSimulationSettings.defaults());
    STAND_IN.get().addJsonService(s -> new WithoutHistory());
    repository = "hello-" + test.getTestMethod().orElseThrow().getName().toLowerCase().substring(0, 12)
        + System.nanoTime() % 100000;
    STAND_IN.get().ecr().createRepository(repository, true);
    simulator.handle("CreateCluster", "{\"clusterName\":\"prod\"}");
    requests = STAND_IN.get().requestLog();
  }

  /** Releases {@code tags} in order, as the pipelines would: ECR gets the image, a revision is deployed. */
  private List<String> release(String... tags) {
    List<String> arns = new ArrayList<>();
    for (String tag : tags) {
      String arn = register(inEcr(tag));
      arns.add(arn);
      if (arns.size() == 1) {
        simulator.handle("CreateService", """
            {"cluster":"prod","serviceName":"hello-svc","taskDefinition":"%s","desiredCount":2,
             "deploymentConfiguration":{"deploymentCircuitBreaker":{"enable":true,"rollback":true}}}"""
            .formatted(arn));
      } else {
        simulator.handle("UpdateService", """
            {"cluster":"prod","service":"hello-svc","taskDefinition":"%s"}""".formatted(arn));
      }
      clock.advance(Duration.ofMinutes(5));
    }
    return arns;
  }

  /** Puts {@code tag} into the ECR repository; returns the pinned image reference. */
  private String inEcr(String tag) {
    String digest = digest(repository + ":" + tag);
    STAND_IN.get().ecr().putImage(repository, digest, tag, 1000, "application/vnd.oci.image.manifest.v1+json");
    return REGISTRY + "/" + repository + ":" + tag + "@" + digest;
  }

  private String register(String image) {
    return simulator.handle("RegisterTaskDefinition", """
        {"family":"%s","containerDefinitions":[{"name":"app","image":"%s","memory":512}]}"""
        .formatted(repository, image)).at("/taskDefinition/taskDefinitionArn").asText();
  }

  private static String digest(String seed) {
    try {
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(seed.getBytes()));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private String running() {
    return simulator.handle("DescribeServices", "{\"cluster\":\"prod\",\"services\":[\"hello-svc\"]}")
        .at("/services/0/taskDefinition").asText();
  }

  private long mutatingCalls() {
    return requests.entries(e -> MUTATING.contains(e.operation())).size();
  }

  /** A goal on the stand-in, with the simulator's clock, which moves when the goal sleeps. */
  private <T extends AbstractEcsMojo> T configure(MojoFixture fixture, Function<GoalEnvironment, T> goal,
      RecordingLog log) {
    T mojo = fixture.time(clock, clock::advance).standIn(STAND_IN.get()).mojo(goal);
    mojo.setLog(log);
    return mojo;
  }

  private <T extends AbstractEcsMojo> T configure(Function<GoalEnvironment, T> goal, RecordingLog log) {
    return configure(new MojoFixture(dir), goal, log);
  }

  private RollbackMojo rollback(RecordingLog log, String to) {
    RollbackMojo mojo = configure(RollbackMojo::new, log);
    mojo.cluster = "prod";
    mojo.service = "hello-svc";
    mojo.rollbackTo = to;
    mojo.wait = true;
    mojo.pollInterval = "1s";
    mojo.timeout = "5m";
    return mojo;
  }

  private DeploymentOutputs.DeploymentState deployment() throws Exception {
    return DeploymentOutputs.read(new StateFiles(dir.resolve("target/ecs-deploy"))).orElseThrow();
  }

  @Test
  void rollsBackToThePreviousReleaseWithoutTheHistory() throws Exception {
    List<String> arns = release("v1.0.0", "v1.0.1");
    RecordingLog log = new RecordingLog();

    rollback(log, null).execute();

    assertEquals(arns.get(0), running());
    DeploymentOutputs.DeploymentState state = deployment();
    assertEquals("COMPLETED", state.outcome());
    assertEquals(arns.get(0), state.taskDefinitionArn());
    assertEquals(arns.get(1), state.rollbackFrom());
    String env = Files.readString(dir.resolve("target/ecs-deploy/deploy.env"));
    assertTrue(env.contains("ECS_ROLLBACK_FROM=" + arns.get(1) + "\n"), env);
    assertTrue(env.contains("ECS_DEPLOYMENT_OUTCOME=COMPLETED\n"), env);
    String text = String.join("\n", log.lines);
    assertTrue(text.contains("The Service Deployments history is not available (AccessDeniedException)"), text);
    assertTrue(text.contains("  from " + repository + ":2 (image " + REGISTRY + "/" + repository + ":v1.0.1@"), text);
    assertTrue(text.contains("  to   " + repository + ":1 (image " + REGISTRY + "/" + repository + ":v1.0.0@"), text);
    assertTrue(text.indexOf("  to   ") < text.indexOf("Started deployment"), "from -> to is printed first");
  }

  /**
   * With the Service Deployments history the default target is the last deployment that succeeded before the
   * current one, so a revision whose deployment failed and was rolled back is never picked, though it is the
   * newest older revision with another image (what the fallback would take).
   */
  @Test
  void theHistoryNeverPicksARevisionWhoseDeploymentFailed() throws Exception {
    historyError = null;
    String good = release("v1.0.0").get(0);
    String badImage = inEcr("v1.0.1");
    String bad = register(badImage);
    simulator.failTaskDefinition(bad);
    simulator.handle("UpdateService", """
        {"cluster":"prod","service":"hello-svc","taskDefinition":"%s"}""".formatted(bad));
    for (int i = 0; i < 60 && !good.equals(running()); i++) {
      clock.advance(Duration.ofMinutes(1));
    }
    assertEquals(good, running(), "the circuit breaker rolled v1.0.1 back");
    String current = register(inEcr("v1.0.2"));
    simulator.handle("UpdateService", """
        {"cluster":"prod","service":"hello-svc","taskDefinition":"%s"}""".formatted(current));
    for (int i = 0; i < 30 && !current.equals(running()); i++) {
      clock.advance(Duration.ofMinutes(1));
    }
    assertEquals(current, running());
    RecordingLog log = new RecordingLog();

    rollback(log, null).execute();

    String text = String.join("\n", log.lines);
    assertEquals(good, running(), text);
    assertTrue(!text.contains("history is not available"), text);
    assertTrue(requests.entries(e -> "DescribeServiceRevisions".equals(e.operation())).size() > 0,
        "the history maps service revisions to task definitions");
    assertEquals(current, deployment().rollbackFrom());
  }

  @Test
  void anEndpointWithoutTheHistoryApiIsTheSameFallback() throws Exception {
    historyError = "UnknownOperationException";
    List<String> arns = release("v1.0.0", "v1.0.1");
    RecordingLog log = new RecordingLog();

    rollback(log, null).execute();

    assertEquals(arns.get(0), running());
    assertTrue(String.join("\n", log.lines).contains("(UnknownOperationException)"));
  }

  @Test
  void aTagThatNoRevisionRunsIsRegisteredPinnedByItsEcrDigest() throws Exception {
    String old = inEcr("v0.9.0");
    List<String> arns = release("v1.0.0");

    rollback(new RecordingLog(), "v0.9.0").execute();

    String now = running();
    assertTrue(!arns.contains(now), "a new revision runs: " + now);
    JsonNode td = simulator.handle("DescribeTaskDefinition", "{\"taskDefinition\":\"" + now + "\"}");
    assertEquals(old, td.at("/taskDefinition/containerDefinitions/0/image").asText());
    assertEquals("COMPLETED", deployment().outcome());
  }

  @Test
  void aTagPicksTheRevisionThatRunsIt() throws Exception {
    List<String> arns = release("v1.0.0", "v1.0.1", "v1.0.2");

    rollback(new RecordingLog(), "v1.0.0").execute();

    assertEquals(arns.get(0), running());
  }

  @Test
  void refusalsChangeNothing() throws Exception {
    release("v1.0.0");
    requests.clear();

    MojoFailureException nothing = assertThrows(MojoFailureException.class,
        () -> rollback(new RecordingLog(), null).execute());
    MojoFailureException unknownTag = assertThrows(MojoFailureException.class,
        () -> rollback(new RecordingLog(), "v0.0.1").execute());

    assertTrue(nothing.getMessage().contains("has nothing to roll back to"), nothing.getMessage());
    assertTrue(unknownTag.getMessage().contains("The tag v0.0.1 (<rollbackTo> / -Decs.rollback.to) is not in"
        + " the ECR repository " + repository), unknownTag.getMessage());
    assertEquals(0, mutatingCalls(), requests.entries().toString());
    assertTrue(!Files.exists(dir.resolve("target/ecs-deploy/deployment.json")));
  }

  @Test
  void theRunningTagIsUnchanged() throws Exception {
    List<String> arns = release("v1.0.0", "v1.0.1");
    requests.clear();

    rollback(new RecordingLog(), "v1.0.1").execute();

    assertEquals("UNCHANGED", deployment().outcome());
    assertEquals(arns.get(1), running());
    assertEquals(0, mutatingCalls(), requests.entries().toString());
  }

  @Test
  void aDryRunPrintsThePlanAndChangesNothing() throws Exception {
    List<String> arns = release("v1.0.0", "v1.0.1");
    inEcr("v0.9.0");
    requests.clear();
    RecordingLog log = new RecordingLog();

    RollbackMojo mojo = rollback(log, "v0.9.0");
    mojo.dryRun = true;
    mojo.execute();
    RollbackMojo previous = rollback(log, null);
    previous.dryRun = true;
    previous.execute();

    assertEquals(0, mutatingCalls(), requests.entries().toString());
    assertEquals(arns.get(1), running());
    String text = String.join("\n", log.lines);
    assertTrue(text.contains("would register a revision from " + repository + ":2 with image " + REGISTRY + "/"
        + repository + ":v0.9.0@"), text);
    assertTrue(text.contains("would deploy " + repository + ":1 and wait for it. Nothing was changed."), text);
  }

  @Test
  void statusShowsWhatRunsAndWhatRollbackWouldPickAsTextAndJson() throws Exception {
    List<String> arns = release("v1.0.0", "v1.0.1");
    requests.clear();
    RecordingLog log = new RecordingLog();
    StatusMojo text = configure(StatusMojo::new, log);
    text.cluster = "prod";
    text.service = "hello-svc";
    text.execute();
    MojoFixture fixture = new MojoFixture(dir);
    List<String> out = fixture.stdout;
    StatusMojo json = configure(fixture, StatusMojo::new, new RecordingLog());
    json.cluster = "prod";
    json.service = "hello-svc";
    json.json = true;
    json.execute();

    String shown = String.join("\n", log.lines);
    assertTrue(shown.contains("Service hello-svc in cluster prod (ACTIVE): 2 running / 2 desired / 0 pending"),
        shown);
    assertTrue(shown.contains("Runs " + repository + ":2: container app, image " + REGISTRY + "/" + repository
        + ":v1.0.1@"), shown);
    assertTrue(shown.contains("ecs:rollback would deploy " + repository + ":1"), shown);
    assertEquals(1, out.size());
    JsonNode status = new ObjectMapper().readTree(out.get(0));
    assertEquals("hello-svc", status.at("/service").asText());
    assertEquals(arns.get(1), status.at("/current/taskDefinitionArn").asText());
    assertEquals("v1.0.1", status.at("/current/tag").asText());
    assertEquals(digest(repository + ":v1.0.1"), status.at("/current/digest").asText());
    assertEquals("DescribeServices", status.at("/historySource").asText());
    assertEquals(arns.get(0), status.at("/rollbackTarget/taskDefinitionArn").asText());
    assertEquals("v1.0.0", status.at("/rollbackTarget/tag").asText());
    assertEquals(0, mutatingCalls(), requests.entries().toString());
  }
}
