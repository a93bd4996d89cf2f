package io.github.ecsdeploy.standin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One Python interpreter per test JVM that runs AWS CLI commands through the CLI's own entry point
 * ({@code src/test/resources/aws-cli/warm-cli.py}), so a command costs about 0.15 s of CPU instead of the 1 s that
 * starting Python and importing the CLI take. Each command still gets a new botocore session, its own environment,
 * working directory and output files, and talks HTTP to the stand-in; {@code AwsCliTest} checks that a command
 * answers the same here as in a process of its own.
 *
 * <p>Used only when the CLI executable is a Python script (its first line names the interpreter, as Debian's
 * {@code /usr/bin/aws} and pip's {@code aws} do); otherwise, or when the interpreter cannot import the CLI, every
 * command runs in a process of its own ({@link #shared()} is empty, and standard error says why once).
 */
final class WarmCli {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long TIMEOUT_SECONDS = 120;
  private static Optional<WarmCli> shared;

  private final Process process;
  private final Writer requests;
  private final BufferedReader answers;
  private final Path log;

  private WarmCli(Process process, Path log) {
    this.process = process;
    this.log = log;
    this.requests = new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    this.answers = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
  }

  /** This JVM's warm CLI, started at the first call; empty when the CLI cannot run that way. */
  static synchronized Optional<WarmCli> shared() {
    if (shared == null) {
      try {
        shared = Optional.of(start(interpreter(AwsCli.executable())));
      } catch (IOException | RuntimeException e) {
        System.err.println("AWS CLI commands run in a process each (" + e.getMessage() + ")");
        shared = Optional.empty();
      }
    }
    return shared;
  }

  /**
   * The interpreter command of a Python script, from its {@code #!} line ({@code /usr/bin/python3} or
   * {@code /usr/bin/env python3}).
   *
   * @throws IllegalArgumentException the executable is not a Python script
   */
  static List<String> interpreter(String executable) throws IOException {
    String first;
    try (BufferedReader in = Files.newBufferedReader(Path.of(executable), StandardCharsets.ISO_8859_1)) {
      first = in.readLine();
    }
    if (first == null || !first.startsWith("#!") || !first.contains("python")) {
      throw new IllegalArgumentException(executable + " is not a Python script");
    }
    return Arrays.asList(first.substring(2).trim().split("\\s+"));
  }

  private static WarmCli start(List<String> interpreter) throws IOException {
    Path dir = Files.createTempDirectory("warm-aws-cli");
    Path script = dir.resolve("warm-cli.py");
    try (InputStream in = WarmCli.class.getResourceAsStream("/aws-cli/warm-cli.py")) {
      Files.copy(in, script);
    }
    Path log = dir.resolve("warm-cli.log");
    for (Path file : List.of(dir, script, log)) { // deleted in reverse order when the JVM ends
      file.toFile().deleteOnExit();
    }
    List<String> command = new java.util.ArrayList<>(interpreter);
    command.add(script.toString());
    Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
    WarmCli cli = new WarmCli(process, log);
    Runtime.getRuntime().addShutdownHook(new Thread(process::destroy));
    String ready = cli.answer();
    if (!"ready".equals(ready)) {
      process.destroyForcibly();
      throw new IllegalStateException(String.join(" ", command) + " did not start: " + cli.log());
    }
    return cli;
  }

  /**
   * Runs one CLI command ({@code args} without the executable) and returns its exit code.
   *
   * @param env the command's whole environment
   * @param dir its working directory
   * @param out where its standard output goes
   * @param err where its standard error goes
   */
  synchronized int run(List<String> args, Map<String, String> env, Path dir, Path out, Path err) {
    ObjectNode request = JSON.createObjectNode();
    request.put("argv0", AwsCli.executable());
    request.putPOJO("args", args);
    request.putPOJO("env", env);
    request.put("cwd", dir.toString());
    request.put("out", out.toString());
    request.put("err", err.toString());
    try {
      requests.write(JSON.writeValueAsString(request) + "\n");
      requests.flush();
    } catch (IOException e) {
      throw new AssertionError("the warm AWS CLI is gone: " + log(), e);
    }
    String answer = answer();
    if (answer == null || !answer.startsWith("rc ")) {
      throw new AssertionError("the warm AWS CLI answered '" + answer + "' to aws " + String.join(" ", args)
          + ": " + log());
    }
    return Integer.parseInt(answer.substring(3));
  }

  private String answer() {
    CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
      try {
        return answers.readLine();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    try {
      return line.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      process.destroyForcibly();
      throw new AssertionError("the warm AWS CLI did not answer within " + TIMEOUT_SECONDS + " s: " + log(), e);
    } catch (ExecutionException e) {
      throw new AssertionError("the warm AWS CLI is gone: " + log(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  private String log() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }
}
