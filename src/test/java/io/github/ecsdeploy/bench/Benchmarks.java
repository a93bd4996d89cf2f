package io.github.ecsdeploy.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/**
 * The one benchmark command ({@code ./mvnw -B -Pbench verify}, see src/site/markdown/performance.md): the deploy stage
 * side by side with the hand-written job ({@link DeployStageBenchmark}), push-image side by side with a plain
 * {@code jib:build} ({@link PushBenchmark}), then what a release pushes in-process ({@link ReleaseBenchmark}), with the machine it ran on. Prints as it goes and writes the report to {@code
 * target/bench/results.md}.
 *
 * <pre>
 * Benchmarks MAVEN_HOME LOCAL_REPOSITORY USER_REPOSITORY PLUGIN_VERSION WORK_DIR [RUNS]
 * </pre>
 */
public final class Benchmarks {

  private Benchmarks() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 5) {
      System.err.println("Usage: Benchmarks MAVEN_HOME LOCAL_REPOSITORY USER_REPOSITORY PLUGIN_VERSION WORK_DIR [RUNS]");
      System.exit(2);
    }
    int runs = args.length > 5 ? Integer.parseInt(args[5]) : 5;
    if (runs < 1) {
      throw new IllegalArgumentException("RUNS must be at least 1: " + runs);
    }
    Path work = Path.of(args[4]).toAbsolutePath();
    Files.createDirectories(work);
    DeployStageBenchmark.Config config = new DeployStageBenchmark.Config(Path.of(args[0]),
        Path.of(args[1]).toAbsolutePath(), Path.of(args[2]).toAbsolutePath(), args[3], work, runs);

    StringBuilder report = new StringBuilder("# Benchmark results\n\n").append(machine()).append('\n');
    report.append("## Deploy stage\n\n").append(DeployStageBenchmark.run(config)).append('\n');
    report.append("## Push against jib:build\n\n")
        .append(PushBenchmark.run(config, Path.of("src/demo/hello-service"))).append('\n');
    report.append("## Push (ReleaseBenchmark: 20 dependency jars of 1 MiB, 50 classes)\n\n```\n")
        .append(captured(() -> ReleaseBenchmark.main(new String[] {"20", "1"}))).append("```\n");

    Path results = work.resolve("results.md");
    Files.writeString(results, report, StandardCharsets.UTF_8);
    System.out.println();
    System.out.println(report);
    System.out.println("Written to " + results);
  }

  /**
   * The environment of a Maven process a benchmark starts against the stand-in: the stand-in's static credentials
   * and nothing of the caller's AWS, Maven or GitLab settings (so no benchmark reaches a real account, and a
   * {@code CI_COMMIT_TAG} of the surrounding pipeline does not choose the tag).
   */
  static ProcessBuilder standInEnvironment(ProcessBuilder pb) {
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.startsWith("AWS_") || k.equals("MAVEN_OPTS") || k.equals("MAVEN_ARGS")
        || k.equals("CI_COMMIT_TAG"));
    env.put("AWS_ACCESS_KEY_ID", "AKIDSTANDIN");
    env.put("AWS_SECRET_ACCESS_KEY", "stand-in-secret");
    env.put("AWS_EC2_METADATA_DISABLED", "true");
    return pb;
  }

  /** The machine, as the performance page's table names it, and how busy it was at the start. */
  static String machine() throws IOException {
    String cpu = "unknown CPU";
    Path cpuinfo = Path.of("/proc/cpuinfo");
    if (Files.isReadable(cpuinfo)) {
      cpu = Files.readAllLines(cpuinfo).stream().filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse(cpu);
    }
    return String.format(Locale.ROOT, "Machine: %s, %d cores available, %s %s, Java %s; load average at start"
            + " %.1f; %s%n", cpu, Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"),
        System.getProperty("os.arch"), System.getProperty("java.version"),
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), Instant.now());
  }

  private interface Body {
    void run() throws Exception;
  }

  /** Runs {@code body}, printing its standard output as usual, and returns what it printed. */
  private static String captured(Body body) throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream copy = new ByteArrayOutputStream();
    OutputStream tee = new OutputStream() {
      @Override
      public void write(int b) {
        original.write(b);
        copy.write(b);
      }

      @Override
      public void write(byte[] b, int off, int len) {
        original.write(b, off, len);
        copy.write(b, off, len);
      }
    };
    System.setOut(new PrintStream(tee, true, StandardCharsets.UTF_8));
    try {
      body.run();
    } finally {
      System.out.flush();
      System.setOut(original);
    }
    return copy.toString(StandardCharsets.UTF_8);
  }
}
