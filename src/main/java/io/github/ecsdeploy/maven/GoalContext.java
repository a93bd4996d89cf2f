package io.github.ecsdeploy.maven;

import io.github.ecsdeploy.aws.AwsClients;
import io.github.ecsdeploy.core.DeployLog;
import java.nio.file.Path;

/**
 * What {@link AbstractEcsMojo} hands a goal's {@code run}: the log, the AWS clients and the paths. The base
 * closes the AWS clients after {@code run}; a goal never closes them.
 */
public final class GoalContext {

  private final DeployLog log;
  private final AwsClients aws;
  private final Path projectDir;
  private final Path buildDir;
  private final boolean offline;

  GoalContext(DeployLog log, AwsClients aws, Path projectDir, Path buildDir, boolean offline) {
    this.log = log;
    this.aws = aws;
    this.projectDir = projectDir;
    this.buildDir = buildDir;
    this.offline = offline;
  }

  /** The core's logging port, mapped to Maven's log. */
  public DeployLog log() {
    return log;
  }

  /**
   * The AWS clients of this execution; each client is built on first use.
   *
   * @throws IllegalStateException when the goal declared {@code needsAws() == false}
   */
  public AwsClients aws() {
    if (aws == null) {
      throw new IllegalStateException("This goal declared needsAws() == false, so it has no AWS clients");
    }
    return aws;
  }

  /** The project base directory, {@code ${project.basedir}}. */
  public Path projectDir() {
    return projectDir;
  }

  /** The build directory, {@code ${project.build.directory}} (usually {@code target}). */
  public Path buildDir() {
    return buildDir;
  }

  /**
   * Where goals hand state to each other: {@code ${project.build.directory}/ecs-deploy}. Not created here;
   * the writer creates it.
   */
  public Path stateDir() {
    return buildDir.resolve("ecs-deploy");
  }

  /** Whether Maven runs offline ({@code -o}). */
  public boolean offline() {
    return offline;
  }
}
