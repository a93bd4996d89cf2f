package io.github.ecsdeploy.maven;

import org.apache.maven.plugins.annotations.Parameter;

/**
 * The goals that change AWS in a release, push-image, register-task-def, run-task and update-service: in a reactor they can
 * wait for each other with {@code -Decs.deployAtEnd=true} ({@link DeployAtEnd}).
 */
public abstract class AbstractDeployingMojo extends AbstractEcsMojo {

  /**
   * Holds push-image, register-task-def, run-task and update-service of every module until the last of them in the
   * reactor is reached, i.e. until every module has passed its tests, then runs them all, module by module in
   * reactor order, as maven-deploy-plugin's {@code deployAtEnd} does for artifacts. A module whose build fails
   * stops Maven before that point, so no module is deployed. "Last" is the last execution of these goals that
   * Maven's plan for this build runs in any module, whatever the phases, profiles or {@code -T}.
   *
   * @since 0.2.0
   */
  @Parameter(property = "ecs.deployAtEnd", defaultValue = "false")
  boolean deployAtEnd;

  /** The reactor's bookkeeping; {@code null} in unit tests that do not test deployAtEnd. */
  private final DeployAtEnd atEnd;

  /**
   * The goal, with the reactor's bookkeeping of deployAtEnd.
   *
   * @param environment environment variables, clock, sleeper, standard output, AWS client factory
   * @param atEnd what holds the goals until the last module, or {@code null} to run at once always
   */
  protected AbstractDeployingMojo(GoalEnvironment environment, DeployAtEnd atEnd) {
    super(environment);
    this.atEnd = atEnd;
  }

  @Override
  final DeployAtEnd atEnd() {
    return atEnd == null || session == null || project == null || mojoExecution == null ? null : atEnd;
  }

  @Override
  final boolean holdsUntilEnd() {
    return deployAtEnd;
  }
}
