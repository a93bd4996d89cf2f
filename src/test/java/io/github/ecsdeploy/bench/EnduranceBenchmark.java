package io.github.ecsdeploy.bench;

import io.github.ecsdeploy.standin.AwsStandIn;
import io.github.ecsdeploy.standin.registry.RegistryHandler;
import io.github.ecsdeploy.standin.StandInClients;
import io.github.ecsdeploy.standin.ecs.EcsSimulationSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.Service;

/**
 * Endurance (issue 14, point 7): consecutive releases of one service on one stand-in, every goal of every
 * release in a Maven process of its own (validate-tag, push-image, register-task-def, update-service, as the
 * separate jobs of a pipeline run them). Each release is a new version (POM version, tag, one changed file in the
 * image). Per goal: exit code, wall time and the JVM's peak resident memory (VmHWM of the process, polled); per
 * release: the sum. After each release the service must run exactly the new revision in one COMPLETED
 * deployment. Prints one line per release, then the first, median and last release and each goal's memory.
 *
 * <p>Not a test: run it with {@code ./mvnw -B -Pendurance verify [-Dendurance.releases=50]} (README,
 * "Reliability"). Report: {@code target/endurance/results.md}.
 *
 * <pre>
 * EnduranceBenchmark MAVEN_HOME LOCAL_REPOSITORY USER_REPOSITORY PLUGIN_VERSION WORK_DIR [RELEASES]
 * </pre>
 */
public final class EnduranceBenchmark {

  private static final List<String> GOALS = List.of("validate-tag", "push-image", "register-task-def",
      "update-service");

  private record Goal(String goal, int exit, double seconds, long peakRssKib) {}

  private EnduranceBenchmark() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 5) {
      System.err.println("Usage: EnduranceBenchmark MAVEN_HOME LOCAL_REPOSITORY USER_REPOSITORY PLUGIN_VERSION"
          + " WORK_DIR [RELEASES]");
      System.exit(2);
    }
    Path mavenHome = Path.of(args[0]);
    Path localRepository = Path.of(args[1]).toAbsolutePath();
    Path userRepository = Path.of(args[2]).toAbsolutePath();
    String pluginVersion = args[3];
    Path work = Path.of(args[4]).toAbsolutePath();
    int releases = args.length > 5 ? Integer.parseInt(args[5]) : 50;
    Files.createDirectories(work.resolve("logs"));
    Path project = work.resolve("project");
    compile(project);

    StringBuilder report = new StringBuilder("# Endurance\n\n").append(Benchmarks.machine()).append('\n');
    AwsStandIn.Options defaults = AwsStandIn.Options.defaults();
    // tasks start in 1 s and stop in 0.5 s: a rollout takes a few seconds, as in the ITs
    EcsSimulationSettings timing = EcsSimulationSettings.defaults().withTaskStartDelay(Duration.ofSeconds(1))
        .withTaskStopDelay(Duration.ofMillis(500));
    List<List<Goal>> all = new ArrayList<>();
    int failures = 0;
    try (AwsStandIn standIn = AwsStandIn.start(new AwsStandIn.Options(0, defaults.region(), defaults.clock(),
            defaults.faultSeed(), timing));
        EcsClient ecs = StandInClients.ecs(standIn)) {
      String registry = standIn.ecr().registryHost();
      standIn.ecr().createRepository("endurance-app", true);
      String digest = "sha256:" + "0".repeat(64);
      standIn.ecr().putImage("endurance-app", digest, "v1.0.0", 1000, RegistryHandler.DOCKER_MANIFEST);
      ecs.createCluster(r -> r.clusterName("endurance"));
      String first = ecs.registerTaskDefinition(r -> r.family("endurance-app").containerDefinitions(
              ContainerDefinition.builder().name("app").image(registry + "/endurance-app:v1.0.0@" + digest)
                  .memory(256).essential(true).build()))
          .taskDefinition().taskDefinitionArn();
      ecs.createService(r -> r.cluster("endurance").serviceName("endurance-svc").taskDefinition(first)
          .desiredCount(2).deploymentConfiguration(c -> c.maximumPercent(200).minimumHealthyPercent(100)
              .deploymentCircuitBreaker(b -> b.enable(true).rollback(true))));
      awaitOneCompleted(ecs, first);

      System.out.printf(Locale.ROOT, "%-8s %8s %s%n", "release", "wall s", String.join(" | ", GOALS));
      for (int n = 1; n <= releases; n++) {
        String version = "1.0." + n;
        writePom(project, version);
        Files.writeString(project.resolve("target/classes/version.txt"), version + "\n");
        List<Goal> goals = new ArrayList<>();
        for (String goal : GOALS) {
          goals.add(run(mavenHome, localRepository, userRepository, pluginVersion, project, standIn, goal, version,
              work.resolve("logs/release-" + n + "-" + goal + ".log")));
        }
        all.add(goals);
        boolean ok = goals.stream().allMatch(g -> g.exit() == 0);
        String problem = ok ? check(ecs, standIn, version) : "a goal failed";
        if (problem != null) {
          failures++;
        }
        System.out.printf(Locale.ROOT, "%-8s %8.1f %s%s%n", "v" + version, total(goals),
            String.join(" | ", goals.stream().map(g -> String.format(Locale.ROOT, "%s %.1f s %d MiB",
                g.exit() == 0 ? "ok" : "EXIT " + g.exit(), g.seconds(), g.peakRssKib() / 1024)).toList()),
            problem == null ? "" : "   FAILURE: " + problem);
      }
    }

    double[] walls = all.stream().mapToDouble(EnduranceBenchmark::total).toArray();
    report.append(String.format(Locale.ROOT, "%d releases of one service, every goal its own Maven JVM: %d"
            + " failures.%n%n", releases, failures));
    report.append(String.format(Locale.ROOT, "Time per release (the four goals): first %.1f s, median %.1f s,"
            + " last %.1f s.%n%n", walls[0], DeployStageBenchmark.median(walls), walls[walls.length - 1]));
    report.append("| goal | peak RSS first (MiB) | median | last | max | wall s first | median | last |\n");
    report.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
    for (int i = 0; i < GOALS.size(); i++) {
      int g = i;
      double[] rss = all.stream().mapToDouble(r -> r.get(g).peakRssKib() / 1024.0).toArray();
      double[] secs = all.stream().mapToDouble(r -> r.get(g).seconds()).toArray();
      report.append(String.format(Locale.ROOT, "| %s | %.0f | %.0f | %.0f | %.0f | %.1f | %.1f | %.1f |%n",
          GOALS.get(i), rss[0], DeployStageBenchmark.median(rss), rss[rss.length - 1],
          java.util.Arrays.stream(rss).max().orElse(0), secs[0], DeployStageBenchmark.median(secs),
          secs[secs.length - 1]));
    }
    Path results = work.resolve("results.md");
    Files.writeString(results, report, StandardCharsets.UTF_8);
    System.out.println();
    System.out.println(report);
    System.out.println("Written to " + results);
    if (failures > 0) {
      System.exit(1);
    }
  }

  private static double total(List<Goal> goals) {
    return goals.stream().mapToDouble(Goal::seconds).sum();
  }

  /** The service runs the new version in one COMPLETED deployment; the tag is in ECR once. Null when so. */
  private static String check(EcsClient ecs, AwsStandIn standIn, String version) {
    Service s = ecs.describeServices(r -> r.cluster("endurance").services("endurance-svc")).services().get(0);
    if (s.deployments().size() != 1) {
      return s.deployments().size() + " deployments";
    }
    Deployment d = s.deployments().get(0);
    String image = ecs.describeTaskDefinition(r -> r.taskDefinition(d.taskDefinition())).taskDefinition()
        .containerDefinitions().get(0).image();
    if (!"COMPLETED".equals(d.rolloutStateAsString()) || !image.contains(":v" + version + "@")) {
      return "the service runs " + image + " (" + d.rolloutStateAsString() + ")";
    }
    if (standIn.ecr().findImage("endurance-app", "v" + version).isEmpty()) {
      return "v" + version + " is not in ECR";
    }
    return null;
  }

  private static void awaitOneCompleted(EcsClient ecs, String revision) throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(60);
    while (Instant.now().isBefore(deadline)) {
      Service s = ecs.describeServices(r -> r.cluster("endurance").services("endurance-svc")).services().get(0);
      if (s.deployments().size() == 1 && "COMPLETED".equals(s.deployments().get(0).rolloutStateAsString())
          && revision.equals(s.taskDefinition())) {
        return;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("the service did not start");
  }

  private static Goal run(Path mavenHome, Path localRepository, Path userRepository, String pluginVersion,
      Path project, AwsStandIn standIn, String goal, String version, Path log)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(mavenHome.resolve("bin/mvn").toString(), "-B", "-o",
        "-Dmaven.repo.local=" + localRepository, "-Dmaven.repo.local.tail=" + userRepository,
        "io.github.ecsdeploy:ecs-deploy-maven-plugin:" + pluginVersion + ":" + goal,
        "-Decs.endpoint=" + standIn.endpoint(), "-Decs.region=" + standIn.region(), "-Decs.tag=v" + version,
        "-Decs.cluster=endurance", "-Decs.service=endurance-svc", "-Decs.repository=endurance-app",
        "-Decs.pushImage.baseImage=scratch", "-Decs.pushImage.mainClass=demo.Hello",
        "-Decs.pushImage.cacheDirectory=.jib-cache", "-Decs.updateService.pollInterval=1s"));
    ProcessBuilder pb = Benchmarks.standInEnvironment(new ProcessBuilder(command).directory(project.toFile()));
    pb.redirectErrorStream(true).redirectOutput(log.toFile());
    long t0 = System.nanoTime();
    Process p = pb.start();
    long peak = 0;
    while (!p.waitFor(50, TimeUnit.MILLISECONDS)) {
      peak = Math.max(peak, peakRss(p.toHandle()));
      if (System.nanoTime() - t0 > TimeUnit.MINUTES.toNanos(10)) {
        p.destroyForcibly();
        throw new IllegalStateException(goal + " did not finish in 10 minutes; see " + log);
      }
    }
    return new Goal(goal, p.exitValue(), (System.nanoTime() - t0) / 1e9, peak);
  }

  /** The largest VmHWM (peak resident set, KiB) of the process and its descendants (the JVM under bin/mvn). */
  static long peakRss(ProcessHandle process) {
    long peak = vmHwm(process.pid());
    for (ProcessHandle child : process.descendants().toList()) {
      peak = Math.max(peak, vmHwm(child.pid()));
    }
    return peak;
  }

  private static long vmHwm(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | RuntimeException e) {
      // the process ended between two polls
    }
    return 0;
  }

  private static void writePom(Path project, String version) throws IOException {
    Files.writeString(project.resolve("pom.xml"), """
        <project xmlns="http://maven.apache.org/POM/4.0.0">
          <modelVersion>4.0.0</modelVersion>
          <groupId>bench</groupId>
          <artifactId>endurance-app</artifactId>
          <version>%s</version>
          <properties><maven.compiler.release>17</maven.compiler.release></properties>
        </project>
        """.formatted(version), StandardCharsets.UTF_8);
  }

  private static void compile(Path project) throws IOException {
    Path source = project.resolve("src/main/java/demo/Hello.java");
    Files.createDirectories(source.getParent());
    Files.writeString(source, "package demo;\npublic class Hello {\n  public static void main(String[] a) {\n"
        + "    System.out.println(\"hello\");\n  }\n}\n");
    Path classes = Files.createDirectories(project.resolve("target/classes"));
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    if (compiler.run(null, null, null, "-d", classes.toString(), source.toString()) != 0) {
      throw new IllegalStateException("cannot compile " + source);
    }
  }
}
