package io.github.ecsdeploy.maven;

import org.apache.maven.plugins.annotations.Parameter;

/**
 * The goals that prepare a service's release, register-task-def and run-task: in a reactor they can wait for each
 * other, push-image and update-service with {@code -Decs.deployAtEnd=true} ({@link DeployAtEnd}), and each has a
 * dry run. update-service declares the two parameters itself, since it shares its waiting with rollback
 * ({@link AbstractRolloutMojo}).
 */
public abstract class AbstractDeployingMojo extends AbstractServiceMojo {

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

  /**
   * Changes nothing and says what the goal would do. register-task-def prints the unified diff between the template
   * revision and the request it would register (values masked, see {@code dryRunShowValues}) and writes
   * {@code target/ecs-deploy/task-definition.dry-run.json}; run-task prints which revision, container, command,
   * network and launch type the task would run with.
   *
   * @since 0.2.0
   */
  @Parameter(property = "ecs.dryRun", defaultValue = "false")
  boolean dryRun;

  /**
   * The goal, with the reactor's bookkeeping of deployAtEnd.
   *
   * @param environment environment variables, clock, sleeper, standard output, AWS client factory
   * @param atEnd what holds the goal until the last module, or {@code null} to run at once always
   */
  protected AbstractDeployingMojo(GoalEnvironment environment, DeployAtEnd atEnd) {
    super(environment, atEnd);
  }

  @Override
  final boolean holdsUntilEnd() {
    return deployAtEnd;
  }
}
