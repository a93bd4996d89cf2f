package io.github.ecsdeploy.standin;

import io.github.ecsdeploy.testing.TestCredentials;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Finds the real AWS CLI for fidelity tests and gives it a clean environment pointed at a stand-in. Prefers
 * Debian's package ({@code /usr/bin/aws}, the CLI v2 that {@code .ci/run} installs), then {@code AWS_CLI},
 * then {@code aws} on the PATH. A missing CLI fails the test with the fix: these tests are part of the
 * README's test command and must not pass by skipping. Commands run in one warm interpreter per test JVM
 * ({@link WarmCli}) when the CLI is a Python script; {@link #runAsProcess} runs one as the deploy script does.
 */
public final class AwsCli {

  private static final ObjectMapper JSON = new ObjectMapper();

  private AwsCli() {}

  /** What one CLI run left: its exit code, standard output and standard error. */
  public record Result(int exit, String out, String err) {

    /** Standard output as JSON; fails the test, showing both streams, when it is not JSON. */
    public JsonNode json() {
      try {
        return JSON.readTree(out);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + out + "\n" + err, e);
      }
    }
  }

  /** Runs {@code aws --endpoint-url <stand-in> --output json args...} in a clean environment (see below). */
  public static Result run(AwsStandIn standIn, Path home, String... args) throws IOException {
    return run(standIn, home, Map.of(), args);
  }

  /**
   * As {@link #run(AwsStandIn, Path, String...)}, with {@code extraEnv} set over the clean environment (e.g.
   * other credentials). Output goes through files in {@code home}; a run longer than two minutes fails. The
   * command runs in this JVM's warm CLI interpreter ({@link WarmCli}) when the CLI is a Python script, else in a
   * process of its own.
   */
  public static Result run(AwsStandIn standIn, Path home, Map<String, String> extraEnv, String... args)
      throws IOException {
    return run(standIn, home, extraEnv, true, args);
  }

  /**
   * As {@link #run(AwsStandIn, Path, Map, String...)}, always in a process of its own, as the deploy script runs
   * the CLI.
   */
  public static Result runAsProcess(AwsStandIn standIn, Path home, Map<String, String> extraEnv, String... args)
      throws IOException {
    return run(standIn, home, extraEnv, false, args);
  }

  private static Result run(AwsStandIn standIn, Path home, Map<String, String> extraEnv, boolean warm,
      String... args) throws IOException {
    List<String> command = command(standIn, args);
    Map<String, String> env = new java.util.HashMap<>(System.getenv());
    configure(env, standIn, home);
    env.putAll(extraEnv);
    Path out = Files.createTempFile(home, "out", ".json");
    Path err = Files.createTempFile(home, "err", ".txt");
    java.util.Optional<WarmCli> cli = warm ? WarmCli.shared() : java.util.Optional.empty();
    int exit = cli.map(c -> c.run(command.subList(1, command.size()), env, home, out, err))
        .orElseGet(() -> process(command, env, home, out, err));
    return new Result(exit, Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  private static List<String> command(AwsStandIn standIn, String... args) {
    List<String> command = new ArrayList<>(List.of(executable(), "--endpoint-url",
        standIn.endpoint().toString(), "--output", "json"));
    command.addAll(List.of(args));
    return command;
  }

  private static int process(List<String> command, Map<String, String> env, Path dir, Path out, Path err) {
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
    pb.environment().clear();
    pb.environment().putAll(env);
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    try {
      Process p = pb.start();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError(String.join(" ", command) + " did not finish");
      }
      return p.exitValue();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted: " + String.join(" ", command), e);
    }
  }

  /** The CLI executable. */
  public static String executable() {
    String fromEnv = System.getenv("AWS_CLI");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return fromEnv;
    }
    if (Files.isExecutable(Path.of("/usr/bin/aws"))) {
      return "/usr/bin/aws";
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      Path candidate = Path.of(dir, "aws");
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    throw new AssertionError("The AWS CLI is not installed. Install Debian's packages with "
        + "'apt-get install -y awscli jq' (.ci/run does this), or set AWS_CLI to its path.");
  }

  /**
   * Sets a clean AWS environment in a process environment: dummy keys, the stand-in's region, no pager, no
   * user config, no profile.
   */
  public static void configure(Map<String, String> env, AwsStandIn standIn, Path home) {
    env.keySet().removeIf(k -> k.startsWith("AWS_") && !k.equals("AWS_CLI"));
    env.put("HOME", home.toString());
    env.put("AWS_CONFIG_FILE", home.resolve("aws-config").toString());
    env.put("AWS_SHARED_CREDENTIALS_FILE", home.resolve("aws-credentials").toString());
    env.put("AWS_ACCESS_KEY_ID", TestCredentials.ACCESS_KEY_ID);
    env.put("AWS_SECRET_ACCESS_KEY", TestCredentials.SECRET_ACCESS_KEY);
    env.put("AWS_DEFAULT_REGION", standIn.region());
    env.put("AWS_PAGER", "");
    env.put("AWS_CLI", executable());
    env.put("STAND_IN_ENDPOINT", standIn.endpoint().toString());
  }

  /** Where the installed CLIs keep botocore's ECS waiter model (Debian's CLI v2, then pip's botocore). */
  private static final List<Path> ECS_WAITER_MODELS = List.of(
      Path.of("/usr/lib/python3/dist-packages/awscli/botocore/data/ecs/2014-11-13/waiters-2.json"),
      Path.of("/usr/local/aws-cli/v2/current/dist/awscli/botocore/data/ecs/2014-11-13/waiters-2.json"));

  /**
   * Makes {@code aws ecs wait services-stable} poll every {@code delaySeconds} instead of every 15 s, with the
   * same acceptors and the same total time: copies the installed CLI's own waiter model into {@code dir} with
   * a shorter {@code delay} and proportionally more {@code maxAttempts}, and puts {@code dir} first on
   * {@code AWS_DATA_PATH}, botocore's documented search path for models. The verdict the waiter reaches is the
   * CLI's own; only the wait between polls shrinks. When no model is found, the CLI's default stays (slower).
   *
   * @return whether the shorter delay is in effect
   */
  public static boolean fastServicesStableWaiter(Map<String, String> env, Path dir, int delaySeconds)
      throws IOException {
    for (Path model : ECS_WAITER_MODELS) {
      if (Files.isRegularFile(model)) {
        com.fasterxml.jackson.databind.node.ObjectNode root =
            (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(model.toFile());
        com.fasterxml.jackson.databind.node.ObjectNode waiter =
            (com.fasterxml.jackson.databind.node.ObjectNode) root.at("/waiters/ServicesStable");
        int total = waiter.get("delay").asInt() * waiter.get("maxAttempts").asInt();
        waiter.put("delay", delaySeconds);
        waiter.put("maxAttempts", Math.max(1, total / delaySeconds));
        Path target = dir.resolve("aws-data/ecs/2014-11-13/waiters-2.json");
        Files.createDirectories(target.getParent());
        JSON.writeValue(target.toFile(), root);
        env.put("AWS_DATA_PATH", dir.resolve("aws-data").toString());
        return true;
      }
    }
    return false;
  }
}
