package io.github.ecsdeploy.standin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceEvent;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;

/**
 * Proof of fidelity: the deploy stage users copy into GitLab today ({@code src/test/resources/aws-cli/
 * seed-deploy.sh}), run verbatim by the real AWS CLI and jq against the stand-in. It works for a healthy
 * release, and it reproduces the script's false success on AWS: with a failing image and a circuit breaker
 * with rollback, {@code aws ecs wait services-stable} exits 0 once the rollback is stable, with the old
 * version running. The CLI's waiter polls every 15 s; the runs give it the CLI's own waiter model with a 1 s
 * delay ({@link AwsCli#fastServicesStableWaiter}), so each takes seconds, and they wait side by side (each on a
 * cluster, family and working directory of its own).
 */
@Execution(ExecutionMode.CONCURRENT)
class SeedScriptTest {

  @RegisterExtension
  static final StandInExtension STAND_IN =
      new StandInExtension(AwsStandIn.Options.defaults().withTimeScale(0.1));

  private static EcsClient ecs;

  @TempDir Path work;

  @BeforeAll
  static void clients() {
    ecs = StandInClients.ecs(STAND_IN.get());
  }

  @Test
  void healthyReleaseRegistersRevisionTwoAndTheServiceRunsIt() throws Exception {
    Service before = createService("seed-ok", "hello-app", false);
    String newImage = "127.0.0.1/hello-app:v1.0.1";

    ScriptRun run = runSeedScript("seed-ok", "hello-app", newImage);

    assertEquals(0, run.exit(), run.output());
    TaskDefinition rev2 = ecs.describeTaskDefinition(r -> r.taskDefinition("hello-app:2")).taskDefinition();
    assertEquals(newImage, rev2.containerDefinitions().get(0).image());
    Service after = describe("seed-ok", "hello-app-svc");
    assertEquals(rev2.taskDefinitionArn(), after.taskDefinition());
    assertEquals(1, after.deployments().size());
    assertEquals(after.desiredCount(), after.runningCount());
    assertEquals(before.desiredCount(), after.desiredCount());
  }

  @Test
  void circuitBreakerRollbackStillExitsZero() throws Exception {
    Service before = createService("seed-rollback", "broken-app", true);
    String newImage = "127.0.0.1/broken-app:v2.0.0";
    STAND_IN.get().ecs().failImage(newImage);

    ScriptRun run = runSeedScript("seed-rollback", "broken-app", newImage);

    // The script's verdict: success.
    assertEquals(0, run.exit(), run.output());
    // The truth: revision 2 failed and ECS rolled back; the old version runs.
    Service after = describe("seed-rollback", "broken-app-svc");
    assertEquals(before.taskDefinition(), after.taskDefinition());
    assertTrue(after.taskDefinition().endsWith("broken-app:1"), after.taskDefinition());
    assertEquals(1, after.deployments().size());
    assertEquals(after.desiredCount(), after.runningCount());
    List<String> events = after.events().stream().map(ServiceEvent::message).toList();
    assertTrue(events.stream().anyMatch(m -> m.contains("deployment failed: tasks failed to start")), events.toString());
    assertTrue(events.stream().anyMatch(m -> m.contains("rolling back to deployment")), events.toString());
  }

  private Service createService(String cluster, String family, boolean circuitBreaker) throws InterruptedException {
    ecs.createCluster(r -> r.clusterName(cluster));
    String arn = ecs.registerTaskDefinition(r -> r.family(family)
        .containerDefinitions(ContainerDefinition.builder().name("app").image("127.0.0.1/" + family + ":v1.0.0")
            .memory(256).essential(true).build()))
        .taskDefinition().taskDefinitionArn();
    ecs.createService(r -> r.cluster(cluster).serviceName(family + "-svc").taskDefinition(arn).desiredCount(2)
        .deploymentConfiguration(c -> c.maximumPercent(200).minimumHealthyPercent(100)
            .deploymentCircuitBreaker(b -> b.enable(circuitBreaker).rollback(circuitBreaker))));
    return waitFor(cluster, family + "-svc", s -> s.deployments().size() == 1
        && "COMPLETED".equals(s.deployments().get(0).rolloutStateAsString()));
  }

  private Service describe(String cluster, String service) {
    return ecs.describeServices(r -> r.cluster(cluster).services(service)).services().get(0);
  }

  private Service waitFor(String cluster, String service, Predicate<Service> condition) throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    Service s;
    do {
      s = ecs.describeServices(r -> r.cluster(cluster).services(service)).services().get(0);
      if (condition.test(s)) {
        return s;
      }
      Thread.sleep(50);
    } while (Instant.now().isBefore(deadline));
    throw new AssertionError("not reached: " + s.deployments().stream().map(Deployment::toString).toList());
  }

  private record ScriptRun(int exit, String output) {}

  private ScriptRun runSeedScript(String cluster, String family, String newImage)
      throws IOException, InterruptedException {
    Path script = work.resolve("seed-deploy.sh");
    try (InputStream in = SeedScriptTest.class.getResourceAsStream("/aws-cli/seed-deploy.sh")) {
      Files.copy(in, script);
    }
    ProcessBuilder pb = new ProcessBuilder("bash", script.toString()).directory(work.toFile());
    Map<String, String> env = pb.environment();
    AwsCli.configure(env, STAND_IN.get(), work);
    AwsCli.fastServicesStableWaiter(env, work, 1);
    env.put("TASK_DEFINITION", family);
    env.put("NEW_IMAGE", newImage);
    env.put("ECS_CLUSTER", cluster);
    env.put("ECS_SERVICE", family + "-svc");
    Path log = work.resolve("script.log");
    pb.redirectErrorStream(true).redirectOutput(log.toFile());
    Process process = pb.start();
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("the seed script did not finish in 5 minutes:\n" + Files.readString(log));
    }
    return new ScriptRun(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }
}
