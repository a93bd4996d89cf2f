package io.github.ecsdeploy.bench;

import io.github.ecsdeploy.aws.AwsClients;
import io.github.ecsdeploy.aws.AwsSettings;
import io.github.ecsdeploy.core.DeployLog;
import io.github.ecsdeploy.core.DeploymentOutcome;
import io.github.ecsdeploy.core.MultiServiceDeployer;
import io.github.ecsdeploy.core.ServiceDeployer;
import io.github.ecsdeploy.core.Sleeper;
import io.github.ecsdeploy.core.UpdateServiceRequest;
import io.github.ecsdeploy.standin.AwsStandIn;
import io.github.ecsdeploy.standin.RequestLog;
import io.github.ecsdeploy.standin.ecs.EcsService;
import io.github.ecsdeploy.standin.ecs.EcsSimulationSettings;
import io.github.ecsdeploy.testing.TestCredentials;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.ecs.EcsClient;

/**
 * Many services released in one build (issue 18, point 3): update-service's core for {@code <services>} with 20
 * services of one cluster, against one stand-in whose ECS throttles every API action with a token bucket
 * ({@code FaultInjection.rateLimit}), with the plugin's own clients (standard SDK retries, 3 attempts) shared by
 * every service as in a Maven build. Three runs, each releasing a new revision: one service alone; the 20 services
 * with each watcher polling DescribeServices for itself (as before the batching); the 20 services with their
 * DescribeServices batched by ten ({@link MultiServiceDeployer#sharedReads}). Prints wall time, API calls per
 * service by operation, the throttled answers, the throttled-poll progress lines, and the verdicts.
 *
 * <p>It runs in one JVM, not as a reactor of 20 Maven modules: that measures the calls and the waiting, not
 * Maven's start-up of 20 modules (which a reactor pays once anyway).
 *
 * <pre>
 * ManyServicesBenchmark [SERVICES=20] [BURST=10] [REFILL_PER_SECOND=2] [POLL_INTERVAL_SECONDS=5]
 * </pre>
 */
public final class ManyServicesBenchmark {

  private ManyServicesBenchmark() {}

  private record Run(String name, int services, double seconds, Map<String, Long> calls, long throttled,
      int throttledPollLines, List<String> outcomes) {}

  public static void main(String[] args) throws Exception {
    int services = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    int burst = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    double refill = args.length > 2 ? Double.parseDouble(args[2]) : 2.0;
    Duration poll = Duration.ofSeconds(args.length > 3 ? Long.parseLong(args[3]) : 5);
    System.out.print(Benchmarks.machine());
    System.out.printf(Locale.ROOT, "ECS throttling: token bucket per API action, burst %d, refill %.1f/s; poll"
        + " interval %s; tasks start in 1 s, old ones stop in 0.5 s%n%n", burst, refill, poll);

    AwsStandIn.Options defaults = AwsStandIn.Options.defaults();
    EcsSimulationSettings timing = EcsSimulationSettings.defaults().withTaskStartDelay(Duration.ofSeconds(1))
        .withTaskStopDelay(Duration.ofMillis(500));
    List<Run> runs = new ArrayList<>();
    try (AwsStandIn standIn = AwsStandIn.start(new AwsStandIn.Options(0, defaults.region(), defaults.clock(),
        defaults.faultSeed(), timing))) {
      EcsService ecs = standIn.ecs();
      ecs.handle("CreateCluster", "{\"clusterName\":\"many\"}");
      for (int i = 1; i <= services; i++) {
        String first = register(ecs, "svc-" + i, "shop:1.0.0");
        ecs.handle("CreateService", """
            {"cluster":"many","serviceName":"svc-%d","taskDefinition":"%s","desiredCount":2,
             "deploymentConfiguration":{"deploymentCircuitBreaker":{"enable":true,"rollback":true}}}"""
            .formatted(i, first));
      }
      Thread.sleep(3000); // every first deployment COMPLETED
      AwsSettings settings = AwsSettings.resolve(standIn.region(), null, standIn.endpoint().toString(), n -> null);
      try (AwsClients aws = new AwsClients(settings, TestCredentials.source(), DeployLog.silent())) {
        standIn.faults().rateLimit(burst, refill);
        runs.add(release(standIn, aws, "1 service", 1, "shop:1.1.0", poll, false));
        Thread.sleep(Math.round(burst / refill * 1000)); // the buckets fill up again
        runs.add(release(standIn, aws, services + " services, a DescribeServices per watcher", services,
            "shop:1.2.0", poll, false));
        Thread.sleep(Math.round(burst / refill * 1000));
        runs.add(release(standIn, aws, services + " services, DescribeServices batched by ten", services,
            "shop:1.3.0", poll, true));
      }
    }

    System.out.println();
    System.out.println("| release | wall s | API calls per service | throttled answers | throttled-poll lines |"
        + " outcomes |");
    System.out.println("|---|---:|---|---:|---:|---|");
    for (Run r : runs) {
      long total = r.calls().values().stream().mapToLong(Long::longValue).sum();
      String perOperation = r.calls().entrySet().stream().map(e -> String.format(Locale.ROOT, "%s %.1f",
          e.getKey(), e.getValue() / (double) r.services())).collect(Collectors.joining(", "));
      Map<String, Long> outcomes = r.outcomes().stream().collect(Collectors.groupingBy(o -> o, TreeMap::new,
          Collectors.counting()));
      System.out.printf(Locale.ROOT, "| %s | %.1f | %.1f: %s | %d | %d | %s |%n", r.name(), r.seconds(),
          total / (double) r.services(), perOperation, r.throttled(), r.throttledPollLines(), outcomes);
    }
  }

  private static String register(EcsService ecs, String family, String image) {
    return ecs.handle("RegisterTaskDefinition", """
        {"family":"%s","containerDefinitions":[{"name":"app","image":"%s","memory":512}]}"""
        .formatted(family, image)).at("/taskDefinition/taskDefinitionArn").asText();
  }

  private static Run release(AwsStandIn standIn, AwsClients aws, String name, int services, String image,
      Duration poll, boolean batched) {
    List<UpdateServiceRequest> requests = new ArrayList<>();
    for (int i = 1; i <= services; i++) {
      requests.add(new UpdateServiceRequest("many", "svc-" + i, register(standIn.ecs(), "svc-" + i, image), null,
          false, true, poll, Duration.ofMinutes(10)));
    }
    AtomicInteger throttleLines = new AtomicInteger();
    DeployLog log = new DeployLog() {
      @Override
      public void info(String message) {
        if (message.contains("ECS throttles")) {
          throttleLines.incrementAndGet();
        }
      }

      @Override
      public void warn(String message) {
        System.out.println("  WARN " + message);
      }

      @Override
      public void debug(String message) {}
    };
    EcsClient ecs = batched ? MultiServiceDeployer.sharedReads(aws.ecs(), requests) : aws.ecs();
    standIn.requestLog().clear();
    List<String> outcomes = new ArrayList<>();
    long t0 = System.nanoTime();
    try {
      new MultiServiceDeployer(l -> new ServiceDeployer(ecs, l, Clock.systemUTC(), Sleeper.system()), log)
          .deployAll(requests, service -> result -> { }).forEach(v -> outcomes.add(v.result().outcome().name()));
    } catch (RuntimeException e) {
      outcomes.add("FAILED: " + e.getMessage());
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    List<RequestLog.Entry> entries = standIn.requestLog().entries(e -> "ecs".equalsIgnoreCase(e.service())
        || e.service().startsWith("AmazonEC2ContainerService"));
    Map<String, Long> calls = entries.stream().collect(Collectors.groupingBy(RequestLog.Entry::operation,
        TreeMap::new, Collectors.counting()));
    long throttled = entries.stream().filter(e -> "ThrottlingException".equals(e.errorType())).count();
    Run run = new Run(name, services, seconds, calls, throttled, throttleLines.get(), outcomes);
    System.out.printf(Locale.ROOT, "%s: %.1f s, %d calls, %d throttled%n", name, seconds, entries.size(),
        throttled);
    if (outcomes.stream().anyMatch(o -> !o.equals(DeploymentOutcome.COMPLETED.name()))) {
      System.out.println("  NOT ALL COMPLETED: " + outcomes);
    }
    return run;
  }
}
