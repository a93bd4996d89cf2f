package io.github.ecsdeploy.maven;

import io.github.ecsdeploy.aws.AwsClients;
import io.github.ecsdeploy.aws.AwsEnvironment;
import io.github.ecsdeploy.aws.AwsSettings;
import io.github.ecsdeploy.aws.CredentialsSource;
import io.github.ecsdeploy.core.DeployLog;
import io.github.ecsdeploy.core.Sleeper;
import java.nio.file.Path;
import java.time.Clock;
import java.util.function.Consumer;
import java.util.function.Function;
import javax.inject.Inject;

/**
 * What a goal takes from the world besides its parameters: environment variables, system properties and instance
 * metadata (the region chain, {@code CI_COMMIT_TAG}, GitLab), the clock and the sleeper of waits, the raw standard
 * output (GitLab section markers, status JSON), how AWS clients are built, and Jib's base-image cache. Maven
 * injects the real one into every goal's constructor; a test builds its own with the {@code with...} methods, so
 * a goal is configured once, when it is made, and never reads the machine's environment in a test.
 *
 * @param aws environment variables, system properties and the instance-metadata region
 * @param clock the clock of deadlines, session names and log sections
 * @param sleeper waits between polls
 * @param rawStdout the process's standard output, past Maven's log (GitLab section markers)
 * @param stdout standard output for a goal's machine-readable result ({@code ecs:status -Decs.status.json})
 * @param awsClients builds the AWS clients of one execution
 * @param baseImageCache where Jib caches base-image layers when {@code ecs.pushImage.cacheDirectory} is unset;
 *     {@code null} for Jib's default under the user's home
 */
public record GoalEnvironment(
    AwsEnvironment aws,
    Clock clock,
    Sleeper sleeper,
    Consumer<String> rawStdout,
    Consumer<String> stdout,
    AwsClientsFactory awsClients,
    Path baseImageCache) {

  /** Builds the AWS clients of one execution from the resolved settings and credentials. */
  @FunctionalInterface
  public interface AwsClientsFactory {
    /** The clients; each is built on first use and all are closed by the goal's base. */
    AwsClients create(AwsSettings settings, CredentialsSource credentials, DeployLog log);
  }

  /** The process's environment, the system clock, real sleeps, standard output and real AWS clients. */
  @Inject
  public GoalEnvironment() {
    this(AwsEnvironment.system(), Clock.systemUTC(), Sleeper.system(), GitLabSection.RAW_STDOUT,
        System.out::println, AwsClients::new, null);
  }

  /** Environment variables only from {@code env}. */
  public GoalEnvironment withEnv(Function<String, String> env) {
    return withAws(new AwsEnvironment(env, aws.systemProperties(), aws.instanceMetadataRegion()));
  }

  /** Another view of environment variables, system properties and instance metadata. */
  public GoalEnvironment withAws(AwsEnvironment aws) {
    return new GoalEnvironment(aws, clock, sleeper, rawStdout, stdout, awsClients, baseImageCache);
  }

  /** Another clock and sleeper (a test's clock that moves when the goal sleeps). */
  public GoalEnvironment withTime(Clock clock, Sleeper sleeper) {
    return new GoalEnvironment(aws, clock, sleeper, rawStdout, stdout, awsClients, baseImageCache);
  }

  /** Other destinations for the raw standard output and a goal's result. */
  public GoalEnvironment withOutput(Consumer<String> rawStdout, Consumer<String> stdout) {
    return new GoalEnvironment(aws, clock, sleeper, rawStdout, stdout, awsClients, baseImageCache);
  }

  /** Another way to build AWS clients. */
  public GoalEnvironment withAwsClients(AwsClientsFactory awsClients) {
    return new GoalEnvironment(aws, clock, sleeper, rawStdout, stdout, awsClients, baseImageCache);
  }

  /** Another default base-image cache for Jib. */
  public GoalEnvironment withBaseImageCache(Path baseImageCache) {
    return new GoalEnvironment(aws, clock, sleeper, rawStdout, stdout, awsClients, baseImageCache);
  }

  /** An environment variable, {@code null} when unset. */
  public String env(String name) {
    return aws.env().apply(name);
  }
}
