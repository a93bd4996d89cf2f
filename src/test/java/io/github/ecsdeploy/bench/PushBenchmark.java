package io.github.ecsdeploy.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ecsdeploy.standin.AwsStandIn;
import io.github.ecsdeploy.standin.RequestLog;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;

/**
 * push-image side by side with a plain {@code jib:build} (jib-maven-plugin 3.5.2) of the same project to the same
 * stand-in registry, both as whole Maven processes ({@code compile} and the push), alternating sides run by run.
 * Two projects: the demo service ({@code src/demo/hello-service}) and the same service with 20 dependencies of
 * 1 MiB each (random content: what goes up is what the jars weigh). Three steps each: the first release, a
 * release after one class changed, and a re-run of that release.
 *
 * <p>Per step: wall time, bytes uploaded to the registry (request bodies in the stand-in's request log), the bytes
 * of the layers that changed (the layers of the pushed manifest that the previous manifest of the repository did
 * not have: every layer for a first release), registry requests, and the Maven JVM's peak resident memory. Each run
 * pushes into repositories of its own, so no run finds another's blobs. Both sides build from {@code scratch}: no
 * base image to pull, so the figures are the application's layers.
 *
 * <p>Not a test: figures for the site's performance page, from {@code ./mvnw -B -Pbench verify}
 * ({@link Benchmarks}).
 */
final class PushBenchmark {

  static final String JIB = "com.google.cloud.tools:jib-maven-plugin:3.5.2";
  private static final String MAIN_CLASS = "com.example.hello.Hello";

  enum Side {
    PLUGIN("ecs:push-image"),
    JIB("jib:build");

    final String title;

    Side(String title) {
      this.title = title;
    }
  }

  enum Step {
    FIRST("first release"),
    ONE_CLASS("one class changed"),
    RE_RUN("re-run");

    final String title;

    Step(String title) {
      this.title = title;
    }
  }

  record Project(String name, int dependencies) {}

  record Measure(double wallSeconds, int exit, long uploaded, long layersUploaded, long changedLayers, int requests,
      long peakRssKib) {}

  /** What a pushed manifest names: its layers (digest to compressed size) and its configuration blob. */
  record Manifest(Map<String, Long> layers, String configDigest, long configSize) {
    static final Manifest NONE = new Manifest(Map.of(), "", 0);
  }

  private final DeployStageBenchmark.Config config;
  private final AwsStandIn standIn;
  private final Path demo;
  private final ObjectMapper json = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();

  private PushBenchmark(DeployStageBenchmark.Config config, AwsStandIn standIn, Path demo) {
    this.config = config;
    this.standIn = standIn;
    this.demo = demo;
  }

  /**
   * Alone, after {@code ./mvnw -B -Pbench verify} installed the plugin: {@code PushBenchmark MAVEN_HOME
   * LOCAL_REPOSITORY USER_REPOSITORY PLUGIN_VERSION WORK_DIR RUNS}.
   */
  public static void main(String[] args) throws IOException, InterruptedException {
    System.out.println(run(new DeployStageBenchmark.Config(Path.of(args[0]), Path.of(args[1]).toAbsolutePath(),
        Path.of(args[2]).toAbsolutePath(), args[3], Path.of(args[4]).toAbsolutePath(), Integer.parseInt(args[5])),
        Path.of("src/demo/hello-service")));
  }

  /** Runs both projects, both sides; returns the report (Markdown), also printed as it goes. */
  static String run(DeployStageBenchmark.Config config, Path demo) throws IOException, InterruptedException {
    try (AwsStandIn standIn = AwsStandIn.start()) {
      return new PushBenchmark(config, standIn, demo.toAbsolutePath()).runAll();
    }
  }

  private String runAll() throws IOException, InterruptedException {
    List<Project> projects = List.of(new Project("demo service", 0), new Project("20 MiB of dependencies", 20));
    Map<Project, Map<Step, Map<Side, List<Measure>>>> all = new LinkedHashMap<>();
    for (Project project : projects) {
      installDependencies(project);
      // one run per side that is not counted: the jib side resolves jib-maven-plugin on its first use
      for (Side side : Side.values()) {
        release(project, side, 0);
      }
      Map<Step, Map<Side, List<Measure>>> steps = new LinkedHashMap<>();
      for (int i = 1; i <= config.runs(); i++) {
        List<Side> order = i % 2 == 1 ? List.of(Side.PLUGIN, Side.JIB) : List.of(Side.JIB, Side.PLUGIN);
        for (Side side : order) {
          int n = i;
          Map<Step, Measure> run = release(project, side, n);
          run.forEach((step, m) -> {
            steps.computeIfAbsent(step, s -> new LinkedHashMap<>()).computeIfAbsent(side, s -> new ArrayList<>())
                .add(m);
            System.out.printf(Locale.ROOT, "%-24s %-18s %-14s run %d: %6.2f s, exit %d, %,d B uploaded (%,d B"
                    + " of layers), %,d B of changed layers, %d registry requests, peak RSS %d MiB%n", project.name(),
                step.title, side.title, n, m.wallSeconds(), m.exit(), m.uploaded(), m.layersUploaded(),
                m.changedLayers(),
                m.requests(), m.peakRssKib() / 1024);
          });
        }
      }
      all.put(project, steps);
    }
    return table(all);
  }

  /** One release cycle (first, one class changed, re-run) of {@code project} by {@code side}, in fresh dirs. */
  private Map<Step, Measure> release(Project project, Side side, int run) throws IOException, InterruptedException {
    String slug = (project.dependencies() == 0 ? "demo" : "deps") + "-" + side.name().toLowerCase(Locale.ROOT)
        + "-" + run;
    Path dir = config.work().resolve("push/" + slug);
    DeployStageBenchmark.deleteTree(dir);
    writeProject(project, dir);
    String repository = "push-" + slug;
    // jib:build re-pushes the tag on a re-run, which an IMMUTABLE repository refuses; push-image never does
    standIn.ecr().createRepository(repository, side == Side.PLUGIN);
    Map<Step, Measure> measures = new LinkedHashMap<>();
    Manifest previous = Manifest.NONE;
    for (Step step : Step.values()) {
      if (step == Step.ONE_CLASS) {
        Path hello = dir.resolve("src/main/java/com/example/hello/Hello.java");
        String source = Files.readString(hello, StandardCharsets.UTF_8);
        int end = source.lastIndexOf('}');
        Files.writeString(hello, source.substring(0, end) + "\n  static int changed() {\n    return " + run
            + ";\n  }\n}\n", StandardCharsets.UTF_8);
      }
      String tag = step == Step.FIRST ? "v1.0.0" : "v1.0.1";
      Instant start = Instant.now();
      int before = standIn.requestLog().entries().size();
      long t0 = System.nanoTime();
      long[] peak = new long[1];
      int exit = process(maven(side, dir, repository, tag), dir.resolve(step.name().toLowerCase(Locale.ROOT)
          + ".log"), peak);
      double wall = (System.nanoTime() - t0) / 1e9;
      List<RequestLog.Entry> entries = standIn.requestLog().entries();
      List<RequestLog.Entry> registry = entries.subList(before, entries.size()).stream()
          .filter(e -> e.service().equals("registry") && !e.time().isBefore(start)).toList();
      long uploaded = registry.stream().mapToLong(RequestLog.Entry::bytesIn).sum();
      long blobs = registry.stream().filter(e -> !e.operation().endsWith("/manifests"))
          .mapToLong(RequestLog.Entry::bytesIn).sum();
      Manifest pushed = exit == 0 ? manifest(repository, tag) : Manifest.NONE;
      Set<String> known = previous.layers().keySet();
      long changed = pushed.layers().entrySet().stream().filter(l -> !known.contains(l.getKey()))
          .mapToLong(Map.Entry::getValue).sum();
      // the blobs uploaded are the layers plus, when it changed, the container configuration
      long layersUploaded = blobs
          - (blobs > 0 && !pushed.configDigest().equals(previous.configDigest()) ? pushed.configSize() : 0);
      previous = pushed;
      measures.put(step, new Measure(wall, exit, uploaded, layersUploaded, changed, registry.size(), peak[0]));
    }
    return measures;
  }

  private ProcessBuilder maven(Side side, Path dir, String repository, String tag) {
    List<String> command = new ArrayList<>(List.of(config.mavenHome().resolve("bin/mvn").toString(), "-B",
        "-Dmaven.repo.local=" + config.localRepository(), "-Dmaven.repo.local.tail=" + config.userRepository(),
        "compile"));
    if (side == Side.PLUGIN) {
      command.addAll(List.of("-o", "io.github.ecsdeploy:ecs-deploy-maven-plugin:" + config.pluginVersion()
              + ":push-image", "-Decs.endpoint=" + standIn.endpoint(), "-Decs.region=" + standIn.region(),
          "-Decs.repository=" + repository, "-Decs.tag=" + tag, "-Decs.pushImage.baseImage=scratch",
          "-Decs.pushImage.mainClass=" + MAIN_CLASS));
    } else {
      // online on purpose: jib-maven-plugin may have to come from Maven Central (the warm-up run fetches it)
      command.addAll(List.of(JIB + ":build", "-Djib.from.image=scratch",
          "-Djib.to.image=" + standIn.ecr().registryHost() + "/" + repository + ":" + tag,
          "-Djib.to.auth.username=AWS", "-Djib.to.auth.password=" + standIn.ecr().registryPassword(),
          "-Djib.allowInsecureRegistries=true", "-Djib.container.mainClass=" + MAIN_CLASS,
          "-Djib.disableUpdateChecks=true", "-DsendCredentialsOverHttp=true"));
    }
    return Benchmarks.standInEnvironment(new ProcessBuilder(command).directory(dir.toFile()));
  }

  private static int process(ProcessBuilder pb, Path log, long[] peakRssKib) throws IOException,
      InterruptedException {
    pb.redirectErrorStream(true).redirectOutput(log.toFile());
    long t0 = System.nanoTime();
    Process p = pb.start();
    while (!p.waitFor(50, TimeUnit.MILLISECONDS)) {
      peakRssKib[0] = Math.max(peakRssKib[0], EnduranceBenchmark.peakRss(p.toHandle()));
      if (System.nanoTime() - t0 > TimeUnit.MINUTES.toNanos(10)) {
        p.destroyForcibly();
        throw new IllegalStateException(String.join(" ", pb.command().subList(0, 5)) + " did not finish in 10"
            + " minutes; see " + log);
      }
    }
    return p.exitValue();
  }

  /** The manifest that {@code tag} names, read from the registry. */
  private Manifest manifest(String repository, String tag) throws IOException, InterruptedException {
    String auth = java.util.Base64.getEncoder().encodeToString(("AWS:" + standIn.ecr().registryPassword())
        .getBytes(StandardCharsets.UTF_8));
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + standIn.ecr().registryHost() + "/v2/"
            + repository + "/manifests/" + tag))
        .header("Authorization", "Basic " + auth)
        .header("Accept", "application/vnd.oci.image.manifest.v1+json,"
            + " application/vnd.docker.distribution.manifest.v2+json")
        .GET().build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("GET manifest " + repository + ":" + tag + ": HTTP " + response.statusCode());
    }
    JsonNode manifest = json.readTree(response.body());
    Map<String, Long> layers = new LinkedHashMap<>();
    for (JsonNode layer : manifest.path("layers")) {
      layers.put(layer.path("digest").asText(), layer.path("size").asLong());
    }
    return new Manifest(layers, manifest.path("config").path("digest").asText(),
        manifest.path("config").path("size").asLong());
  }

  // ---- the projects ----

  private void writeProject(Project project, Path dir) throws IOException {
    copyTree(demo.resolve("src"), dir.resolve("src"));
    StringBuilder dependencies = new StringBuilder();
    for (int i = 0; i < project.dependencies(); i++) {
      dependencies.append("    <dependency><groupId>bench.push</groupId><artifactId>dep-").append(i)
          .append("</artifactId><version>1.0</version></dependency>\n");
    }
    Files.writeString(dir.resolve("pom.xml"), """
        <project xmlns="http://maven.apache.org/POM/4.0.0">
          <modelVersion>4.0.0</modelVersion>
          <groupId>bench</groupId>
          <artifactId>push-app</artifactId>
          <version>1.0.0</version>
          <properties>
            <revision>1.0.0</revision>
            <maven.compiler.release>17</maven.compiler.release>
            <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
          </properties>
          <dependencies>
        %s  </dependencies>
          <build>
            <resources><resource><directory>src/main/resources</directory><filtering>true</filtering></resource></resources>
            <pluginManagement><plugins>
              <plugin><artifactId>maven-resources-plugin</artifactId><version>3.3.1</version></plugin>
              <plugin><artifactId>maven-compiler-plugin</artifactId><version>3.14.0</version></plugin>
            </plugins></pluginManagement>
          </build>
        </project>
        """.formatted(dependencies), StandardCharsets.UTF_8);
  }

  /** Jars of 1 MiB of random (incompressible) content, installed into the benchmark's local repository. */
  private void installDependencies(Project project) throws IOException {
    Random random = new Random(17);
    for (int i = 0; i < project.dependencies(); i++) {
      Path dir = config.localRepository().resolve("bench/push/dep-" + i + "/1.0");
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("dep-" + i + "-1.0.pom"), """
          <project xmlns="http://maven.apache.org/POM/4.0.0">
            <modelVersion>4.0.0</modelVersion>
            <groupId>bench.push</groupId>
            <artifactId>dep-%d</artifactId>
            <version>1.0</version>
          </project>
          """.formatted(i), StandardCharsets.UTF_8);
      byte[] content = new byte[1024 * 1024];
      random.nextBytes(content);
      try (OutputStream out = Files.newOutputStream(dir.resolve("dep-" + i + "-1.0.jar"));
          JarOutputStream jar = new JarOutputStream(out)) {
        jar.putNextEntry(new ZipEntry("bench/data-" + i + ".bin"));
        jar.write(content);
        jar.closeEntry();
      }
    }
  }

  // ---- report ----

  private String table(Map<Project, Map<Step, Map<Side, List<Measure>>>> all) {
    StringBuilder t = new StringBuilder();
    t.append(String.format(Locale.ROOT, "push-image against a plain `jib:build` (%s), both `mvn compile <goal>`"
        + " from `scratch`: medians of %d runs per side, sides alternating.%n%n", JIB, config.runs()));
    t.append("| project | step | side | wall s | × jib:build | uploaded B | of it layers B | changed layers B |"
        + " layers uploaded ÷ changed | registry requests | peak RSS MiB | exit codes |\n");
    t.append("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
    for (var project : all.entrySet()) {
      for (var step : project.getValue().entrySet()) {
        double jibWall = median(step.getValue().get(Side.JIB), Measure::wallSeconds);
        for (Side side : Side.values()) {
          List<Measure> ms = step.getValue().get(side);
          double uploaded = median(ms, m -> m.uploaded());
          double layersUploaded = median(ms, m -> m.layersUploaded());
          double changed = median(ms, m -> m.changedLayers());
          double wall = median(ms, Measure::wallSeconds);
          t.append(String.format(Locale.ROOT, "| %s | %s | %s | %.1f | %.2f | %,.0f | %,.0f | %,.0f | %s | %.0f | %.0f | %s |%n",
              project.getKey().name(), step.getKey().title, side.title, wall, wall / jibWall, uploaded,
              layersUploaded, changed, changed == 0 ? (layersUploaded == 0 ? "nothing to upload" : "n/a")
                  : String.format(Locale.ROOT, "%.2f", layersUploaded / changed),
              median(ms, m -> m.requests()), median(ms, m -> m.peakRssKib() / 1024.0),
              String.join(" ", ms.stream().map(m -> String.valueOf(m.exit())).toList())));
        }
      }
    }
    t.append("\nUploaded: request bodies the registry received (layers, the container configuration and the"
        + " manifest); of it layers: without the configuration and the manifest. Changed layers: the compressed size of the layers of the pushed manifest that the previous"
        + " push to the repository lacked.\n");
    return t.toString();
  }

  private interface Figure {
    double of(Measure m);
  }

  private static double median(List<Measure> measures, Figure figure) {
    return DeployStageBenchmark.median(measures.stream().mapToDouble(figure::of).toArray());
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path p : paths.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }
}
