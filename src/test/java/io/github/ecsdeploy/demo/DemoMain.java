package io.github.ecsdeploy.demo;

import io.github.ecsdeploy.it.ItStandIn;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import software.amazon.awssdk.services.ecr.model.ImageDetail;

/**
 * The zero-setup demo (README's first command, {@code ./mvnw -B -Pdemo verify}): releases
 * {@code src/demo/hello-service} as v1.0.0 and then v1.0.1 with {@code mvn deploy -Pecs}, exactly as two GitLab tag
 * pipelines would, against the stand-in that the build started as a process.
 *
 * <p>It tells the release as a user would watch it: each release's whole Maven log goes to
 * {@code target/demo/release-vX.log}; the console shows only the plugin's own lines (one block per goal, without
 * Maven's log prefix), then a summary of what runs, what ECR holds, where the outputs are and how long each
 * release took. It checks what it shows (each release its own image, the service on v1.0.1 pinned by digest, one
 * deployment) and exits non-zero, with the end of the failed release's log, when anything is off.
 *
 * <p>The nested builds find the plugin in a repository of their own ({@code target/demo/repo}, laid out by this
 * class) chained to the developer's local repository ({@code maven.repo.local.tail}, Maven 3.9), so nothing is
 * downloaded or installed twice and nothing is written to the developer's repository.
 */
public final class DemoMain {

  private static final String CLUSTER = "demo";
  private static final String SERVICE = "hello-service";
  private static final List<String> RELEASES = List.of("1.0.0", "1.0.1");

  private final Map<String, String> options;
  private final PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);

  private DemoMain(Map<String, String> options) {
    this.options = options;
  }

  /**
   * {@code --maven-home DIR --project DIR --work DIR --plugin-jar FILE --plugin-pom FILE --version V
   * --local-repo DIR --endpoint-file FILE --endpoint URL}.
   */
  public static void main(String[] args) throws Exception {
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    System.exit(new DemoMain(options).run());
  }

  private Path path(String option) {
    String value = options.get(option);
    if (value == null) {
      throw new IllegalArgumentException("--" + option + " is required");
    }
    return Path.of(value).toAbsolutePath();
  }

  private int run() throws Exception {
    Path work = path("work");
    deleteTree(work);
    Path project = work.resolve(SERVICE);
    copyProject(path("project"), project, options.get("version"));
    Path repo = work.resolve("repo");
    installPlugin(repo, options.get("version"));

    try (ItStandIn aws = connect()) {
      String registry = aws.endpoint().getHost() + ":" + aws.endpoint().getPort();
      aws.createCluster(CLUSTER);
      aws.createRepository(SERVICE);
      String arn = aws.registerTaskDefinition(SERVICE, "app", registry + "/" + SERVICE + ":v0.9.0");
      aws.createService(CLUSTER, SERVICE, arn);
      aws.waitSteady(CLUSTER, SERVICE);

      out.println();
      out.println("== Demo: a local AWS stand-in (ECS, ECR, registry, STS) runs at " + aws.endpoint());
      out.println("   cluster demo, ECR repository hello-service (IMMUTABLE tags), service hello-service running "
          + shortImage(aws.runningImage(CLUSTER, SERVICE, "app")));
      out.println("   Two GitLab tag pipelines follow: mvn deploy -Pecs on tag v1.0.0, then on tag v1.0.1.");

      Map<String, Duration> took = new LinkedHashMap<>();
      for (String version : RELEASES) {
        out.println();
        out.println("== Tag v" + version + ": mvn -B deploy -Pecs   (whole log: target/demo/release-v" + version
            + ".log)");
        long start = System.nanoTime();
        int exit = release(project, repo, aws, version, work.resolve("release-v" + version + ".log"));
        took.put("v" + version, Duration.ofNanos(System.nanoTime() - start));
        if (exit != 0) {
          out.println("!! The release of v" + version + " failed (exit " + exit + "); the end of its log:");
          List<String> log = Files.readAllLines(work.resolve("release-v" + version + ".log"));
          log.subList(Math.max(0, log.size() - 40), log.size()).forEach(out::println);
          return 1;
        }
      }
      return summarise(aws, took, project);
    }
  }

  /**
   * Connects once the stand-in started for this build listens: its endpoint file names this build's reserved
   * port (a file left by an earlier build names another).
   */
  private ItStandIn connect() throws IOException, InterruptedException {
    Path file = path("endpoint-file");
    String expected = options.get("endpoint");
    long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
    while (!Files.exists(file) || !Files.readString(file).strip().equals(expected)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("The AWS stand-in did not start at " + expected + " within a minute;"
            + " see the start-stand-in execution above.");
      }
      Thread.sleep(100);
    }
    return ItStandIn.connect(java.net.URI.create(expected));
  }

  /** Runs one release as a whole Maven process and shows the plugin's lines while it runs. */
  private int release(Path project, Path repo, ItStandIn aws, String version, Path logFile) throws Exception {
    Path mvn = path("maven-home").resolve("bin").resolve("mvn");
    List<String> command = new ArrayList<>(List.of(
        mvn.toString(), "-B", "--no-transfer-progress",
        "-Dmaven.repo.local=" + repo,
        "-Dmaven.repo.local.tail=" + path("local-repo"),
        "-Decs.endpoint=" + aws.endpoint(), "-Decs.region=us-east-1",
        "deploy", "-Pecs", "-Drevision=" + version, "-Decs.tag=v" + version));
    ProcessBuilder builder = new ProcessBuilder(command).directory(project.toFile()).redirectErrorStream(true);
    Map<String, String> env = builder.environment();
    env.put("AWS_ACCESS_KEY_ID", "AKIDSTANDIN");
    env.put("AWS_SECRET_ACCESS_KEY", "stand-in-secret");
    env.put("AWS_EC2_METADATA_DISABLED", "true");
    env.put("GITLAB_CI", "false");
    env.remove("MAVEN_ARGS");
    Process process = builder.start();
    boolean inPlugin = false;
    try (BufferedReader reader = new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Writer log = Files.newBufferedWriter(logFile)) {
      String line;
      java.util.Set<String> shownOnce = new java.util.HashSet<>();
      while ((line = reader.readLine()) != null) {
        log.write(line);
        log.write('\n');
        if (line.startsWith("[INFO] --- ")) {
          inPlugin = line.contains("--- ecs:");
          if (inPlugin) {
            out.println("-> " + line.replaceAll("^\\[INFO\\] --- ecs:[^:]+:([a-z-]+) .*", "$1"));
          } else if (line.contains("--- compiler:") && line.contains("(default-compile)")) {
            out.println("-> compile, test, package (Maven)");
          }
        } else if (line.startsWith("[INFO] ----") || line.startsWith("[INFO] BUILD ")) {
          inPlugin = false;
        } else if (line.startsWith("[ERROR]") || line.startsWith("[WARNING]")) {
          out.println("   " + line);
        } else if (inPlugin && line.startsWith("[INFO] ") && !line.substring("[INFO] ".length()).isBlank()) {
          String text = line.substring("[INFO] ".length());
          // every goal names region, endpoint and credentials; the release shows them once (the log has all)
          boolean awsLine = text.startsWith("AWS region ") || text.startsWith("AWS credentials supplied by ");
          if (!awsLine || shownOnce.add(text.replaceAll("^(AWS \\w+).*", "$1"))) {
            out.println("   " + text);
          }
        }
      }
    }
    return process.waitFor();
  }

  private int summarise(ItStandIn aws, Map<String, Duration> took, Path project) {
    String running = aws.runningImage(CLUSTER, SERVICE, "app");
    List<ImageDetail> images = new ArrayList<>(
        aws.ecr().describeImages(b -> b.repositoryName(SERVICE)).imageDetails());
    images.sort(Comparator.comparing(ImageDetail::imagePushedAt));
    out.println();
    out.println("== Summary");
    out.println("   service hello-service runs " + aws.taskDefinitionOf(CLUSTER, SERVICE));
    out.println("     image " + running);
    for (ImageDetail image : images) {
      out.println("   ECR hello-service " + image.imageTags() + " " + image.imageDigest() + " ("
          + image.imageSizeInBytes() + " bytes)");
    }
    out.println("   outputs of the last release: " + project.resolve("target/ecs-deploy") + " (image.json,"
        + " task-definition.json, deployment.json, deploy.env)");
    took.forEach((tag, d) -> out.printf("   release %s took %.1f s%n", tag, d.toMillis() / 1000.0));
    out.println();

    List<String> problems = new ArrayList<>();
    ImageDetail v100 = images.stream().filter(i -> i.imageTags().contains("v1.0.0")).findFirst().orElse(null);
    ImageDetail v101 = images.stream().filter(i -> i.imageTags().contains("v1.0.1")).findFirst().orElse(null);
    if (v100 == null || v101 == null) {
      problems.add("ECR does not hold both v1.0.0 and v1.0.1: " + images);
    } else {
      if (v100.imageDigest().equals(v101.imageDigest())) {
        problems.add("v1.0.0 and v1.0.1 have the same digest; each release must be its own image");
      }
      if (!running.endsWith(":v1.0.1@" + v101.imageDigest())) {
        problems.add("the service does not run v1.0.1 pinned by digest: " + running);
      }
    }
    int deployments = aws.deployments(CLUSTER, SERVICE).size();
    if (deployments != 1) {
      problems.add("the service has " + deployments + " deployments, not one finished deployment");
    }
    problems.forEach(p -> out.println("!! " + p));
    return problems.isEmpty() ? 0 : 1;
  }

  private static String shortImage(String image) {
    return image.substring(image.lastIndexOf('/') + 1);
  }

  /** The demo project as a tag pipeline checks it out, with the plugin version filled in. */
  private static void copyProject(Path from, Path to, String version) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(target);
        } else if (file.getFileName().toString().equals("pom.xml")) {
          Files.writeString(target, Files.readString(file).replace("@project.version@", version));
        } else {
          Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  /** Lays the plugin out as a locally installed artifact: {@code groupId/artifactId/version/}. */
  private void installPlugin(Path repo, String version) throws IOException {
    Path dir = repo.resolve("io/github/ecsdeploy/ecs-deploy-maven-plugin").resolve(version);
    Files.createDirectories(dir);
    Files.copy(path("plugin-jar"), dir.resolve("ecs-deploy-maven-plugin-" + version + ".jar"));
    Files.copy(path("plugin-pom"), dir.resolve("ecs-deploy-maven-plugin-" + version + ".pom"));
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
