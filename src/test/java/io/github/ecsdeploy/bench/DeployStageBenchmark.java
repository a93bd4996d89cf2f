package io.github.ecsdeploy.bench;

import io.github.ecsdeploy.standin.AwsCli;
import io.github.ecsdeploy.standin.AwsStandIn;
import io.github.ecsdeploy.standin.RequestLog;
import io.github.ecsdeploy.standin.StandInClients;
import io.github.ecsdeploy.standin.ecs.EcsSimulationSettings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceEvent;

/**
 * The deploy stage, side by side on one stand-in: the hand-written job's deploy script (the copy {@code
 * SeedScriptTest} runs, {@code src/test/resources/aws-cli/seed-deploy.sh}, with the real AWS CLI and jq)
 * against {@code mvn ecs:register-task-def ecs:update-service} with default settings, both as whole processes,
 * alternating sides run by run. Two scenarios: a rollout the stand-in completes 3 s after UpdateService (tasks
 * start in 2 s, the old ones stop in 1 s), and a circuit-breaker rollback (every task of the new image exits
 * at start; the third failure fails the deployment and ECS rolls back).
 *
 * <p>Per run: wall time of the process, its exit code, the outcome it reported, when the stand-in decided
 * (the deployment's "deployment completed." or "deployment failed" service event) relative to UpdateService,
 * the detection latency (process end minus that decision), and the API calls from the stand-in's request log.
 * Every run gets a new cluster and service, so no run sees another's state. After the timed runs, one more
 * run per scenario calls the two goals as two processes, to count the API calls of each goal.
 *
 * <p>Not a test: figures for the site's performance page. Run it with {@code ./mvnw -B -Pbench verify} (see
 * {@code src/site/markdown/performance.md}).
 */
public final class DeployStageBenchmark {

  /** What the benchmark needs from the build. */
  public record Config(Path mavenHome, Path localRepository, Path userRepository, String pluginVersion, Path work,
      int runs) {}

  enum Scenario {
    ROLLOUT("3 s rollout"),
    ROLLBACK("circuit-breaker rollback");

    final String title;

    Scenario(String title) {
      this.title = title;
    }
  }

  enum Side {
    SCRIPT("hand-written job (AWS CLI + jq)"),
    PLUGIN("ecs:register-task-def + ecs:update-service");

    final String title;

    Side(String title) {
      this.title = title;
    }
  }

  /** One timed run. */
  record Run(Scenario scenario, Side side, double wallSeconds, int exit, String outcome, double decidedAfterUpdate,
      double detectionLatency, Map<String, Long> calls) {

    long totalCalls() {
      return calls.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  /** Tasks start in 2 s and stop in 1 s: a rollout completes 3 s after UpdateService. */
  static final EcsSimulationSettings ROLLOUT_TIMING = EcsSimulationSettings.defaults()
      .withTaskStartDelay(Duration.ofSeconds(2)).withTaskStopDelay(Duration.ofSeconds(1));

  private static final String REGISTRY = AwsStandIn.ACCOUNT_ID + ".dkr.ecr.us-east-1.amazonaws.com";
  private static final String DIGEST = "@sha256:" + "ab".repeat(32);

  private final Config config;
  private final AwsStandIn standIn;
  private final EcsClient ecs;
  private final Path script;
  private int serial;

  private DeployStageBenchmark(Config config, AwsStandIn standIn) throws IOException {
    this.config = config;
    this.standIn = standIn;
    this.ecs = StandInClients.ecs(standIn);
    Files.createDirectories(config.work().resolve("logs"));
    this.script = config.work().resolve("seed-deploy.sh");
    try (InputStream in = DeployStageBenchmark.class.getResourceAsStream("/aws-cli/seed-deploy.sh")) {
      if (in == null) {
        throw new IllegalStateException("seed-deploy.sh is not on the test classpath");
      }
      Files.copy(in, script, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    Path pom = config.work().resolve("project/pom.xml");
    Files.createDirectories(pom.getParent());
    Files.writeString(pom, """
        <project xmlns="http://maven.apache.org/POM/4.0.0">
          <modelVersion>4.0.0</modelVersion>
          <groupId>bench</groupId>
          <artifactId>bench-app</artifactId>
          <version>1.0.0</version>
          <packaging>pom</packaging>
        </project>
        """, StandardCharsets.UTF_8);
  }

  /**
   * Runs both scenarios and returns the report (Markdown), also printed as it goes.
   */
  public static String run(Config config) throws IOException, InterruptedException {
    AwsCli.executable(); // fails at once, with the fix, when the AWS CLI is missing
    AwsStandIn.Options options = AwsStandIn.Options.defaults();
    try (AwsStandIn standIn = AwsStandIn.start(new AwsStandIn.Options(0, options.region(), options.clock(),
        options.faultSeed(), ROLLOUT_TIMING))) {
      return new DeployStageBenchmark(config, standIn).runAll();
    }
  }

  private String runAll() throws IOException, InterruptedException {
    StringBuilder report = new StringBuilder();
    Map<Scenario, List<Run>> runs = new LinkedHashMap<>();
    Map<Scenario, Map<String, Map<String, Long>>> perGoal = new LinkedHashMap<>();
    for (Scenario scenario : Scenario.values()) {
      List<Run> list = new ArrayList<>();
      for (int i = 0; i < config.runs(); i++) {
        // alternate which side goes first, so drift in the machine's load does not favour one side
        List<Side> order = i % 2 == 0 ? List.of(Side.SCRIPT, Side.PLUGIN) : List.of(Side.PLUGIN, Side.SCRIPT);
        for (Side side : order) {
          Run run = timed(scenario, side);
          System.out.printf(Locale.ROOT, "%-26s %-45s run %d: %6.2f s, exit %d, %s, decided %.2f s after"
                  + " UpdateService, detected %.2f s later, %d API calls%n", scenario.title, side.title, i + 1,
              run.wallSeconds(), run.exit(), run.outcome(), run.decidedAfterUpdate(), run.detectionLatency(),
              run.totalCalls());
          list.add(run);
        }
      }
      runs.put(scenario, list);
      perGoal.put(scenario, callsPerGoal(scenario));
    }
    report.append(table(runs)).append('\n').append(callsTable(runs, perGoal));
    return report.toString();
  }

  // ---- one run ----

  private record Deploy(String cluster, String service, String family, String newImage) {}

  private Deploy prepare(Scenario scenario) throws InterruptedException {
    int n = ++serial;
    String name = "bench-" + scenario.name().toLowerCase(Locale.ROOT) + "-" + n;
    Deploy d = new Deploy(name, name + "-svc", name, REGISTRY + "/bench-app:v1." + n + ".0" + DIGEST);
    ecs.createCluster(r -> r.clusterName(d.cluster()));
    String arn = ecs.registerTaskDefinition(r -> r.family(d.family())
            .containerDefinitions(ContainerDefinition.builder().name("app")
                .image(REGISTRY + "/bench-app:v1.0.0" + DIGEST).memory(256).essential(true).build()))
        .taskDefinition().taskDefinitionArn();
    ecs.createService(r -> r.cluster(d.cluster()).serviceName(d.service()).taskDefinition(arn).desiredCount(2)
        .deploymentConfiguration(c -> c.maximumPercent(200).minimumHealthyPercent(100)
            .deploymentCircuitBreaker(b -> b.enable(true).rollback(true))));
    Instant deadline = Instant.now().plusSeconds(60);
    while (true) {
      Service s = describe(d);
      if (s.deployments().size() == 1 && "COMPLETED".equals(s.deployments().get(0).rolloutStateAsString())
          && s.runningCount().equals(s.desiredCount())) {
        break;
      }
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException("the benchmark's service did not start: " + s.deployments());
      }
      Thread.sleep(100);
    }
    if (scenario == Scenario.ROLLBACK) {
      standIn.ecs().failImage(d.newImage());
    }
    return d;
  }

  private Run timed(Scenario scenario, Side side) throws IOException, InterruptedException {
    Deploy d = prepare(scenario);
    Path projectTarget = config.work().resolve("project/target");
    deleteTree(projectTarget);
    int before = standIn.requestLog().entries().size();
    Instant start = Instant.now();
    long t0 = System.nanoTime();
    int exit = side == Side.SCRIPT
        ? process(script(d), "script-" + d.cluster())
        : process(maven(d, "register-task-def", "update-service"), "plugin-" + d.cluster());
    long t1 = System.nanoTime();
    Instant end = Instant.now();
    List<RequestLog.Entry> entries = standIn.requestLog().entries();
    List<RequestLog.Entry> mine = entries.subList(before, entries.size()).stream()
        .filter(e -> !e.time().isBefore(start)).toList();
    Instant update = mine.stream().filter(e -> e.operation().equals("UpdateService")).map(RequestLog.Entry::time)
        .findFirst().orElse(null);
    String marker = scenario == Scenario.ROLLOUT ? "deployment completed." : "deployment failed";
    Instant decided = describe(d).events().stream()
        .filter(e -> e.message().contains(marker) && !e.createdAt().isBefore(start))
        .map(ServiceEvent::createdAt).min(Comparator.naturalOrder()).orElse(null);
    String outcome = side == Side.SCRIPT ? (exit == 0 ? "\"success\"" : "failure") : pluginOutcome(projectTarget);
    return new Run(scenario, side, (t1 - t0) / 1e9, exit, outcome,
        update == null || decided == null ? Double.NaN : seconds(update, decided),
        decided == null ? Double.NaN : seconds(decided, end),
        mine.stream().collect(Collectors.groupingBy(RequestLog.Entry::operation, TreeMap::new,
            Collectors.counting())));
  }

  /** One more run per scenario, the goals as two processes, to count each goal's API calls. */
  private Map<String, Map<String, Long>> callsPerGoal(Scenario scenario) throws IOException, InterruptedException {
    Deploy d = prepare(scenario);
    deleteTree(config.work().resolve("project/target"));
    Map<String, Map<String, Long>> calls = new LinkedHashMap<>();
    for (String goal : List.of("register-task-def", "update-service")) {
      int before = standIn.requestLog().entries().size();
      process(maven(d, goal), "goal-" + goal + "-" + d.cluster());
      List<RequestLog.Entry> entries = standIn.requestLog().entries();
      calls.put(goal, entries.subList(before, entries.size()).stream()
          .collect(Collectors.groupingBy(RequestLog.Entry::operation, TreeMap::new, Collectors.counting())));
    }
    return calls;
  }

  private ProcessBuilder script(Deploy d) {
    ProcessBuilder pb = new ProcessBuilder("bash", script.toString()).directory(config.work().toFile());
    Map<String, String> env = pb.environment();
    Path home = config.work().resolve("aws-home");
    AwsCli.configure(env, standIn, home);
    env.put("TASK_DEFINITION", d.family());
    env.put("NEW_IMAGE", d.newImage());
    env.put("ECS_CLUSTER", d.cluster());
    env.put("ECS_SERVICE", d.service());
    return pb;
  }

  private ProcessBuilder maven(Deploy d, String... goals) {
    // offline: the plugin from the repository the build installed it into, everything else from the user's
    // repository behind it (read-only), as a pipeline with a warm cache would run it
    List<String> command = new ArrayList<>(List.of(config.mavenHome().resolve("bin/mvn").toString(), "-B", "-o",
        "-Dmaven.repo.local=" + config.localRepository(), "-Dmaven.repo.local.tail=" + config.userRepository()));
    for (String goal : goals) {
      command.add("io.github.ecsdeploy:ecs-deploy-maven-plugin:" + config.pluginVersion() + ":" + goal);
    }
    command.addAll(List.of("-Decs.endpoint=" + standIn.endpoint(), "-Decs.region=" + standIn.region(),
        "-Decs.cluster=" + d.cluster(), "-Decs.service=" + d.service(), "-Decs.image=" + d.newImage()));
    return Benchmarks.standInEnvironment(
        new ProcessBuilder(command).directory(config.work().resolve("project").toFile()));
  }

  private int process(ProcessBuilder pb, String logName) throws IOException, InterruptedException {
    Path log = config.work().resolve("logs/" + logName + ".log");
    pb.redirectErrorStream(true).redirectOutput(log.toFile());
    Process p = pb.start();
    if (!p.waitFor(10, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IllegalStateException(String.join(" ", pb.command()) + " did not finish in 10 minutes; see " + log);
    }
    return p.exitValue();
  }

  private static String pluginOutcome(Path projectTarget) throws IOException {
    Path deployment = projectTarget.resolve("ecs-deploy/deployment.json");
    if (!Files.exists(deployment)) {
      return "(no deployment.json)";
    }
    String json = Files.readString(deployment, StandardCharsets.UTF_8);
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"outcome\"\\s*:\\s*\"([A-Z_]+)\"").matcher(json);
    return m.find() ? m.group(1) : "(no outcome)";
  }

  private Service describe(Deploy d) {
    return ecs.describeServices(r -> r.cluster(d.cluster()).services(d.service())).services().get(0);
  }

  // ---- report ----

  private String table(Map<Scenario, List<Run>> runs) {
    StringBuilder t = new StringBuilder();
    t.append(String.format(Locale.ROOT, "Deploy stage: medians of %d runs per side, sides alternating.%n%n",
        config.runs()));
    t.append("| scenario | side | wall s | × script | exit codes | outcome | stand-in decided, s after"
        + " UpdateService | detection latency s | API calls |\n");
    t.append("|---|---|---:|---:|---|---|---:|---:|---:|\n");
    for (Map.Entry<Scenario, List<Run>> e : runs.entrySet()) {
      double scriptWall = median(e.getValue().stream().filter(r -> r.side() == Side.SCRIPT)
          .mapToDouble(Run::wallSeconds).toArray());
      for (Side side : Side.values()) {
        List<Run> mine = e.getValue().stream().filter(r -> r.side() == side).toList();
        double wall = median(mine.stream().mapToDouble(Run::wallSeconds).toArray());
        t.append(String.format(Locale.ROOT, "| %s | %s | %.1f | %.2f | %s | %s | %.1f | %.1f | %.0f |%n",
            e.getKey().title, side.title, wall, wall / scriptWall,
            mine.stream().map(r -> String.valueOf(r.exit())).collect(Collectors.joining(" ")),
            String.join(", ", new TreeSet<>(mine.stream().map(Run::outcome).toList())),
            median(mine.stream().mapToDouble(Run::decidedAfterUpdate).toArray()),
            median(mine.stream().mapToDouble(Run::detectionLatency).toArray()),
            median(mine.stream().mapToDouble(Run::totalCalls).toArray())));
      }
    }
    t.append("\nDetection latency: from the stand-in's decision (the service event \"deployment completed.\" or"
        + " \"deployment failed\" of the new deployment) to the process's end; for the script that is `aws ecs"
        + " wait services-stable` returning. Exit 0 with outcome \"success\" after a rollback is the script's"
        + " false success.\n");
    return t.toString();
  }

  private String callsTable(Map<Scenario, List<Run>> runs, Map<Scenario, Map<String, Map<String, Long>>> perGoal) {
    StringBuilder t = new StringBuilder();
    t.append("\nAPI calls per operation (medians of the timed runs):\n\n| scenario | side | calls |\n|---|---|---|\n");
    for (Map.Entry<Scenario, List<Run>> e : runs.entrySet()) {
      for (Side side : Side.values()) {
        List<Run> mine = e.getValue().stream().filter(r -> r.side() == side).toList();
        TreeSet<String> operations = new TreeSet<>();
        mine.forEach(r -> operations.addAll(r.calls().keySet()));
        String calls = operations.stream().map(op -> op + " " + fmt(median(mine.stream()
                .mapToDouble(r -> r.calls().getOrDefault(op, 0L)).toArray())))
            .collect(Collectors.joining(", "));
        t.append("| ").append(e.getKey().title).append(" | ").append(side.title).append(" | ").append(calls)
            .append(" |\n");
      }
    }
    t.append("\nAPI calls per goal (one more run per scenario, each goal its own Maven process):\n\n"
        + "| scenario | goal | calls |\n|---|---|---|\n");
    for (Map.Entry<Scenario, Map<String, Map<String, Long>>> e : perGoal.entrySet()) {
      for (Map.Entry<String, Map<String, Long>> goal : e.getValue().entrySet()) {
        long total = goal.getValue().values().stream().mapToLong(Long::longValue).sum();
        t.append("| ").append(e.getKey().title).append(" | ").append(goal.getKey()).append(" | ").append(total)
            .append(": ").append(goal.getValue().entrySet().stream().map(c -> c.getKey() + " " + c.getValue())
                .collect(Collectors.joining(", "))).append(" |\n");
      }
    }
    return t.toString();
  }

  private static String fmt(double value) {
    return value == Math.rint(value) ? String.valueOf((long) value) : String.format(Locale.ROOT, "%.1f", value);
  }

  static double median(double[] values) {
    double[] finite = java.util.Arrays.stream(values).filter(v -> !Double.isNaN(v)).sorted().toArray();
    if (finite.length == 0) {
      return Double.NaN;
    }
    int mid = finite.length / 2;
    return finite.length % 2 == 1 ? finite[mid] : (finite[mid - 1] + finite[mid]) / 2;
  }

  private static double seconds(Instant from, Instant to) {
    return Duration.between(from, to).toNanos() / 1e9;
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
