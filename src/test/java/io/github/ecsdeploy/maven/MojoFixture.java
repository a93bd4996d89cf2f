package io.github.ecsdeploy.maven;

import io.github.ecsdeploy.aws.AwsClients;
import io.github.ecsdeploy.aws.AwsEnvironment;
import io.github.ecsdeploy.aws.CredentialsSource;
import io.github.ecsdeploy.core.Sleeper;
import io.github.ecsdeploy.standin.AwsStandIn;
import io.github.ecsdeploy.testing.TestCredentials;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.maven.model.Build;
import org.apache.maven.project.MavenProject;

/**
 * The one set-up of Mojo tests: a goal made with a {@link GoalEnvironment} that never reads the machine (no
 * environment variables unless given, no system properties, no instance metadata, standard output recorded,
 * AWS clients with static test keys unless a test asks for the credentials the goal resolved), a project in a
 * temporary directory ({@code pom.xml} there, build directory {@code target}), the log recorded, and, when asked,
 * the region and endpoint of a stand-in.
 */
final class MojoFixture {

  final RecordingLog log = new RecordingLog();
  /** Every client set the goals built. */
  final List<AwsClients> built = new ArrayList<>();
  /** Every credentials source the goals resolved (the default chain, or GitLab OIDC). */
  final List<CredentialsSource> credentials = new ArrayList<>();
  /** What went to the raw standard output (GitLab section markers). */
  final List<String> rawStdout = new ArrayList<>();
  /** What went to standard output as a result ({@code ecs:status} JSON). */
  final List<String> stdout = new ArrayList<>();

  private final Path dir;
  private Function<String, String> env = name -> null;
  private Function<String, String> systemProperties = name -> null;
  private Supplier<Optional<String>> instanceMetadataRegion = Optional::empty;
  private Clock clock = Clock.systemUTC();
  private Sleeper sleeper = Sleeper.system();
  private AwsStandIn standIn;
  private boolean resolvedCredentials;

  MojoFixture(Path dir) {
    this.dir = dir;
  }

  /** The environment variables of the goals made from now on. */
  MojoFixture env(Function<String, String> env) {
    this.env = env;
    return this;
  }

  /** Only these environment variables. */
  MojoFixture env(Map<String, String> env) {
    return env(env::get);
  }

  /** The JVM system properties the goals see (none by default). */
  MojoFixture systemProperties(Function<String, String> systemProperties) {
    this.systemProperties = systemProperties;
    return this;
  }

  /** The region of EC2 instance metadata (none by default). */
  MojoFixture instanceMetadataRegion(Supplier<Optional<String>> region) {
    this.instanceMetadataRegion = region;
    return this;
  }

  /** A clock and a sleeper (a test clock that moves when the goal sleeps). */
  MojoFixture time(Clock clock, Sleeper sleeper) {
    this.clock = clock;
    this.sleeper = sleeper;
    return this;
  }

  /** Goals talk to this stand-in: its region and endpoint are set on each goal made from now on. */
  MojoFixture standIn(AwsStandIn standIn) {
    this.standIn = standIn;
    return this;
  }

  /** The AWS clients use the credentials the goal resolved (GitLab OIDC against the stand-in's STS). */
  MojoFixture resolvedCredentials() {
    this.resolvedCredentials = true;
    return this;
  }

  /** The environment a goal gets now. */
  GoalEnvironment environment() {
    return new GoalEnvironment(new AwsEnvironment(env, systemProperties, instanceMetadataRegion), clock, sleeper,
        rawStdout::add, stdout::add, (settings, source, deployLog) -> {
          credentials.add(source);
          AwsClients clients =
              new AwsClients(settings, resolvedCredentials ? source : TestCredentials.source(), deployLog);
          built.add(clients);
          return clients;
        }, dir.resolve("base-image-cache"));
  }

  /** A project in the temporary directory: {@code pom.xml} there, build directory {@code target}. */
  MavenProject project() {
    MavenProject project = new MavenProject();
    project.setFile(dir.resolve("pom.xml").toFile());
    project.getModel().setBuild(new Build());
    project.getBuild().setDirectory(dir.resolve("target").toString());
    project.getBuild().setOutputDirectory(dir.resolve("target/classes").toString());
    return project;
  }

  /**
   * A goal made with {@link #environment()}, with {@link #project()}, the fixture's log (unless the goal brings
   * its own {@link RecordingLog}), and the stand-in's region and endpoint when one is set.
   */
  <T extends AbstractEcsMojo> T mojo(Function<GoalEnvironment, T> goal) {
    T mojo = goal.apply(environment());
    if (!(mojo.getLog() instanceof RecordingLog)) {
      mojo.setLog(log);
    }
    mojo.project = project();
    if (standIn != null) {
      mojo.region = standIn.region();
      mojo.endpoint = standIn.endpoint().toString();
    }
    return mojo;
  }
}
