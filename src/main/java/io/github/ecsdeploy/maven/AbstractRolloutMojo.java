package io.github.ecsdeploy.maven;

import org.apache.maven.plugins.annotations.Parameter;

/**
 * The goals that start a deployment of a service and watch it to its verdict, update-service and rollback: how long
 * and how often they look. They share the properties ({@code ecs.updateService.*}), so one setting serves both.
 */
public abstract class AbstractRolloutMojo extends AbstractServiceMojo {

  /**
   * Waits for the deployment the goal starts (the release's, or the rollback's) to finish. With {@code false} the
   * goal returns right after UpdateService, recording outcome {@code STARTED}.
   *
   * @since 0.1.0
   */
  @Parameter(property = "ecs.updateService.wait", defaultValue = "true")
  boolean wait;

  /**
   * The longest time between two looks at the deployment while waiting: a number with a unit ({@code 5s},
   * {@code 500ms}, {@code 1m}), an ISO-8601 duration ({@code PT5S}), or a bare number of seconds. The goal looks
   * every second after UpdateService, after any change and near the decision, and doubles the pause up to this
   * value while nothing moves.
   *
   * @since 0.1.0
   */
  @Parameter(property = "ecs.updateService.pollInterval", defaultValue = "5s")
  String pollInterval;

  /**
   * How long to wait for the deployment before failing the build with outcome {@code TIMED_OUT}; same
   * format as {@code pollInterval} ({@code 15m}, {@code PT15M}, {@code 900}). ECS itself keeps going.
   *
   * @since 0.1.0
   */
  @Parameter(property = "ecs.updateService.timeout", defaultValue = "15m")
  String timeout;

  /**
   * @param environment environment variables, clock, sleeper, standard output, AWS client factory
   * @param atEnd holds the goal until the last module with {@code -Decs.deployAtEnd=true}, or {@code null}
   */
  protected AbstractRolloutMojo(GoalEnvironment environment, DeployAtEnd atEnd) {
    super(environment, atEnd);
  }
}
