package io.github.ecsdeploy.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.ecsdeploy.aws.AwsClients;
import io.github.ecsdeploy.core.Sleeper;
import io.github.ecsdeploy.standin.AwsStandIn;
import io.github.ecsdeploy.standin.registry.RegistryHandler;
import io.github.ecsdeploy.standin.StandInExtension;
import io.github.ecsdeploy.standin.ecs.EcsService;
import io.github.ecsdeploy.testing.MutableClock;
import io.github.ecsdeploy.testing.TestCredentials;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.apache.maven.model.Build;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.project.MavenProject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Re-runs converge (issue 14, point 4): the release (validate-tag, push-image, register-task-def, update-service,
 * each goal's Mojo as Maven runs it) is interrupted after each step in turn and run again, in the same workspace
 * (a re-run of the Maven command) and in a clean one (a CI job retried: {@code target/} is gone). "While waiting"
 * is an interrupt of the waiting thread, as a job cancelled or killed by its timeout gets. Each re-run ends with
 * the service on one COMPLETED deployment of the exact revision; one revision of the release, one image, the tag
 * still on its first digest.
 */
class ReleaseReRunTest {

  private static final MutableClock CLOCK = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));

  @RegisterExtension
  static final StandInExtension STAND_IN = new StandInExtension(AwsStandIn.Options.defaults().withClock(CLOCK));

  private static final AtomicInteger SERVICE = new AtomicInteger();
  private static String host;
  private static String liveImage;

  @TempDir Path dir;

  /** The steps of a release, in order; the interrupt comes after the named one. */
  enum Step { PUSH, REGISTER, WAITING, SUCCESS }

  @BeforeAll
  static void world() {
    AwsStandIn standIn = STAND_IN.get();
    host = standIn.ecr().registryHost();
    standIn.ecr().createRepository("hello-app", true);
    standIn.ecr().putImage("hello-app", "sha256:" + "1".repeat(64), "v1.0.0", 1000, RegistryHandler.DOCKER_MANIFEST);
    liveImage = host + "/hello-app:v1.0.0@sha256:" + "1".repeat(64);
    ecs().handle("CreateCluster", "{\"clusterName\":\"prod\"}");
  }

  private static EcsService ecs() {
    return STAND_IN.get().ecs();
  }

  @ParameterizedTest(name = "interrupted after {0}, re-run in a {1} workspace")
  @CsvSource({"PUSH, same", "PUSH, clean", "REGISTER, same", "REGISTER, clean", "WAITING, same",
      "WAITING, clean", "SUCCESS, same", "SUCCESS, clean"})
  void aReRunConverges(Step interruptedAfter, String workspace) throws Exception {
    String service = "svc-" + SERVICE.incrementAndGet();
    String version = "1." + SERVICE.get() + ".0";
    String family = createService(service);
    Path project = project(version, "hello " + service);
    int imagesBefore = STAND_IN.get().ecr().images("hello-app").size();

    // the first run, up to the interrupt
    goal(ValidateTagMojo::new, project, service, version).execute();
    goal(PushImageMojo::new, project, service, version).execute();
    String digest = STAND_IN.get().ecr().findImage("hello-app", "v" + version).orElseThrow().digest();
    String revision = null;
    if (interruptedAfter != Step.PUSH) {
      goal(RegisterTaskDefMojo::new, project, service, version).execute();
      revision = newestRevision(family);
    }
    if (interruptedAfter == Step.WAITING) {
      AtomicInteger sleeps = new AtomicInteger();
      Sleeper advancing = CLOCK::advance;
      UpdateServiceMojo update = goal(UpdateServiceMojo::new, project, service, version, d -> {
        if (sleeps.incrementAndGet() == 2) {
          throw new InterruptedException("the job was cancelled");
        }
        advancing.sleep(Duration.ofMillis(200)); // the deployment is still running at the interrupt
      });
      MojoExecutionException e = assertThrows(MojoExecutionException.class, update::execute);
      assertTrue(e.getMessage().contains("Interrupted while waiting"), e.getMessage());
      Thread.interrupted(); // the interrupt is the first run's; the re-run is another job
      assertEquals(2, service(service).path("deployments").size(), "interrupted while ECS was still deploying");
    } else if (interruptedAfter == Step.SUCCESS) {
      goal(UpdateServiceMojo::new, project, service, version).execute();
    }

    // the re-run: the whole release again
    if (workspace.equals("clean")) {
      deleteTree(project.resolve("target/ecs-deploy"));
    }
    for (Function<GoalEnvironment, AbstractEcsMojo> goal : List.<Function<GoalEnvironment, AbstractEcsMojo>>of(
        ValidateTagMojo::new, PushImageMojo::new, RegisterTaskDefMojo::new, UpdateServiceMojo::new)) {
      goal(goal, project, service, version).execute();
    }

    String registered = revision != null ? revision : newestRevision(family);
    JsonNode s = service(service);
    assertEquals(1, s.path("deployments").size(), "one deployment: " + s.path("deployments"));
    JsonNode only = s.path("deployments").get(0);
    assertEquals("COMPLETED", only.path("rolloutState").asText(), only.toString());
    assertEquals(registered, only.path("taskDefinition").asText(), "the exact revision of the first run");
    assertEquals(1, revisionsRunning(family, digest), "no duplicate revision of the release");
    assertEquals(imagesBefore + 1, STAND_IN.get().ecr().images("hello-app").size(), "no second image");
    assertEquals(digest, STAND_IN.get().ecr().findImage("hello-app", "v" + version).orElseThrow().digest(),
        "the tag still holds its first digest");
  }

  /**
   * A whole release while ECS, ECR and STS answer a share of calls with throttling, 500 and 503 (the SDK retries
   * them, the watcher rides out failed polls): it succeeds, and the figures of what was injected are printed.
   */
  @org.junit.jupiter.api.Test
  void aReleaseSurvivesInjectedFaults() throws Exception {
    String service = "faults-" + SERVICE.incrementAndGet();
    String version = "3." + SERVICE.get() + ".0";
    String family = createService(service);
    Path project = project(version, "hello " + service);
    STAND_IN.get().requestLog().clear();
    STAND_IN.get().faults().throttle(0.2).serverErrors(0.1).unavailable(0.05);
    for (Function<GoalEnvironment, AbstractEcsMojo> goal : List.<Function<GoalEnvironment, AbstractEcsMojo>>of(
        ValidateTagMojo::new, PushImageMojo::new, RegisterTaskDefMojo::new, UpdateServiceMojo::new)) {
      AbstractEcsMojo configured = goal(goal, project, service, version);
      configured.maxAttempts = "8";
      configured.execute();
    }
    STAND_IN.get().faults().reset();
    List<io.github.ecsdeploy.standin.RequestLog.Entry> log = STAND_IN.get().requestLog().entries();
    long injected = log.stream().filter(io.github.ecsdeploy.standin.RequestLog.Entry::injected).count();
    long calls = log.stream().filter(e -> !e.service().equals("registry")).count();
    System.out.println("Release under 20% throttling + 10% 500 + 5% 503: succeeded through " + injected
        + " injected faults in " + calls + " AWS API answers");
    assertTrue(injected > 0, "faults were injected");
    JsonNode s = service(service);
    assertEquals(1, s.path("deployments").size());
    assertEquals("COMPLETED", s.path("deployments").get(0).path("rolloutState").asText());
    assertEquals(newestRevision(family), s.path("deployments").get(0).path("taskDefinition").asText());
  }

  /**
   * Two update-service runs of different revisions of one service at once (two pipelines, no resource group):
   * the one overtaken reports REPLACED naming the other's deployment; never both succeed.
   */
  @ParameterizedTest(name = "two update-service runs at once, the second starting after {0} polls of the first")
  @CsvSource({"1", "3"})
  void twoDeploymentsAtOnceNeverBothSucceed(int pollsBeforeSecond) throws Exception {
    String service = "race-" + SERVICE.incrementAndGet();
    String family = createService(service);
    String first = register(family, host + "/hello-app:v2.0.0@sha256:" + "2".repeat(64));
    String second = register(family, host + "/hello-app:v2.0.1@sha256:" + "3".repeat(64));
    Path a = Files.createDirectories(dir.resolve("pipeline-a"));
    Path b = Files.createDirectories(dir.resolve("pipeline-b"));
    CountDownLatch firstPolled = new CountDownLatch(pollsBeforeSecond);
    // The first run waits after its polls until the second has called UpdateService (its first sleep follows it):
    // on a loaded machine the first could otherwise poll on, see its deployment complete and succeed before the
    // second even started, and then both rightly succeed one after the other (1 in 5 full runs did so).
    CountDownLatch secondStarted = new CountDownLatch(1);
    UpdateServiceMojo one = updateOf(a, service, first, d -> {
      firstPolled.countDown();
      if (firstPolled.getCount() == 0) {
        secondStarted.await(60, TimeUnit.SECONDS);
      }
      Thread.sleep(20); // the two runs interleave in real time; the stand-in's clock moves for both
      CLOCK.advance(Duration.ofMillis(500));
    });
    UpdateServiceMojo two = updateOf(b, service, second, d -> {
      secondStarted.countDown();
      Thread.sleep(20);
      CLOCK.advance(Duration.ofMillis(500));
    });
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<Exception> runOne = pool.submit(() -> outcome(one));
      assertTrue(firstPolled.await(60, TimeUnit.SECONDS), "the first run is waiting for its deployment");
      Future<Exception> runTwo = pool.submit(() -> outcome(two));
      Exception oneEnded = runOne.get(2, TimeUnit.MINUTES);
      Exception twoEnded = runTwo.get(2, TimeUnit.MINUTES);

      assertTrue(oneEnded == null || twoEnded == null, "at most one reports success");
      assertTrue(oneEnded != null || twoEnded != null, "never both: " + oneEnded + " / " + twoEnded);
      assertEquals(null, twoEnded, "the later deployment completes");
      assertTrue(oneEnded instanceof MojoFailureException, String.valueOf(oneEnded));
      String deploymentOfTwo = service(service).path("deployments").get(0).path("id").asText();
      assertTrue(oneEnded.getMessage().contains("replaced by") && oneEnded.getMessage().contains(deploymentOfTwo),
          "REPLACED, naming the other deployment " + deploymentOfTwo + ": " + oneEnded.getMessage());
      assertTrue(Files.readString(a.resolve("target/ecs-deploy/deploy.env")).contains(
          "ECS_DEPLOYMENT_OUTCOME=REPLACED"), "the overtaken run records REPLACED");
      JsonNode s = service(service);
      assertEquals(1, s.path("deployments").size());
      assertEquals(second, s.path("deployments").get(0).path("taskDefinition").asText());
    } finally {
      pool.shutdownNow();
    }
  }

  private static Exception outcome(UpdateServiceMojo mojo) {
    try {
      mojo.execute();
      return null;
    } catch (MojoFailureException | MojoExecutionException e) {
      return e;
    }
  }

  private UpdateServiceMojo updateOf(Path project, String service, String revision, Sleeper sleeper)
      throws IOException {
    UpdateServiceMojo mojo = goal(UpdateServiceMojo::new, project, service, "2.0.0", sleeper);
    mojo.taskDefinitionArn = revision;
    return mojo;
  }

  // ---- fixtures ----

  private static String createService(String name) {
    String family = "fam-" + name;
    String revision = register(family, liveImage);
    ecs().handle("CreateService", """
        {"cluster":"prod","serviceName":"%s","taskDefinition":"%s","desiredCount":2,
         "deploymentConfiguration":{"deploymentCircuitBreaker":{"enable":true,"rollback":true}}}"""
        .formatted(name, revision));
    CLOCK.advance(Duration.ofMinutes(1));
    assertEquals("COMPLETED", service(name).path("deployments").get(0).path("rolloutState").asText());
    return family;
  }

  private static String register(String family, String image) {
    return ecs().handle("RegisterTaskDefinition", """
        {"family":"%s","containerDefinitions":[{"name":"app","image":"%s","memory":512}]}"""
        .formatted(family, image)).at("/taskDefinition/taskDefinitionArn").asText();
  }

  private static JsonNode service(String name) {
    return ecs().handle("DescribeServices", "{\"cluster\":\"prod\",\"services\":[\"" + name + "\"]}")
        .path("services").get(0);
  }

  private static String newestRevision(String family) {
    JsonNode arns = ecs().handle("ListTaskDefinitions", "{\"familyPrefix\":\"" + family + "\",\"sort\":\"DESC\"}")
        .path("taskDefinitionArns");
    return arns.get(0).asText();
  }

  /** How many ACTIVE revisions of the family run an image of this digest. */
  private static int revisionsRunning(String family, String digest) {
    int n = 0;
    for (JsonNode arn : ecs().handle("ListTaskDefinitions", "{\"familyPrefix\":\"" + family + "\"}")
        .path("taskDefinitionArns")) {
      String image = ecs().handle("DescribeTaskDefinition", "{\"taskDefinition\":\"" + arn.asText() + "\"}")
          .at("/taskDefinition/containerDefinitions/0/image").asText();
      n += image.endsWith("@" + digest) ? 1 : 0;
    }
    return n;
  }

  /** A project of one class, compiled, at this version. */
  private Path project(String version, String greeting) throws IOException {
    Path project = Files.createDirectories(dir.resolve("project-" + version));
    Path source = project.resolve("src/main/java/demo/Hello.java");
    Files.createDirectories(source.getParent());
    Files.writeString(source, "package demo;\npublic class Hello {\n  public static void main(String[] a) {\n"
        + "    System.out.println(\"" + greeting + "\");\n  }\n}\n");
    Path classes = Files.createDirectories(project.resolve("target/classes"));
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    assertEquals(0, compiler.run(null, null, null, "-d", classes.toString(), source.toString()));
    return project;
  }

  /** A goal configured as the release profile would: the project, the stand-in, the service. */
  private <T extends AbstractEcsMojo> T goal(Function<GoalEnvironment, T> make, Path project, String service,
      String version) {
    return goal(make, project, service, version, CLOCK::advance);
  }

  /** As above, with the sleeper of the goal's waits. */
  private <T extends AbstractEcsMojo> T goal(Function<GoalEnvironment, T> make, Path project, String service,
      String version, Sleeper sleeper) {
    T mojo = make.apply(new GoalEnvironment(new io.github.ecsdeploy.aws.AwsEnvironment(name -> null, name -> null,
        java.util.Optional::empty), CLOCK, sleeper, line -> { }, line -> { },
        (settings, source, log) -> new AwsClients(settings, TestCredentials.source(), log),
        dir.resolve("base-cache")));
    MavenProject p = new MavenProject();
    p.setFile(project.resolve("pom.xml").toFile());
    p.setArtifactId("hello-app");
    p.setVersion(version);
    p.setPackaging("jar");
    p.getModel().setBuild(new Build());
    p.getBuild().setDirectory(project.resolve("target").toString());
    p.getBuild().setOutputDirectory(project.resolve("target/classes").toString());
    mojo.project = p;
    mojo.setLog(new RecordingLog());
    mojo.region = STAND_IN.get().region();
    mojo.endpoint = STAND_IN.get().endpoint().toString();
    mojo.retryMode = "standard";
    String tag = "v" + version;
    if (mojo instanceof ValidateTagMojo m) {
      m.tag = tag;
      m.checkRegistry = true;
      m.requireProjectVersion = true;
      m.allowRollback = true;
      m.repository = "hello-app";
      m.cluster = "prod";
      m.service = service;
    } else if (mojo instanceof PushImageMojo m) {
      m.tag = tag;
      m.repository = "hello-app";
      m.baseImage = "scratch";
      m.mainClass = "demo.Hello";
    } else if (mojo instanceof RegisterTaskDefMojo m) {
      m.cluster = "prod";
      m.service = service;
      m.repository = "hello-app";
      m.registry = host;
    } else if (mojo instanceof UpdateServiceMojo m) {
      m.cluster = "prod";
      m.service = service;
      m.wait = true;
      m.pollInterval = "1s";
      m.timeout = "10m";
    }
    return mojo;
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (var paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
