package io.github.ecsdeploy.maven;

import org.apache.maven.plugins.annotations.Parameter;

/**
 * The goals about one ECS service: validate-tag, register-task-def, run-task, update-service, rollback and
 * status. They share {@code cluster} and {@code service} (push-image knows no service).
 */
public abstract class AbstractServiceMojo extends AbstractEcsMojo {

  /**
   * The ECS cluster of {@code service}, by name or ARN. validate-tag compares the tag with what the service
   * runs when both are set; register-task-def takes the service's revision as the template, in ECS's
   * {@code default} cluster when unset; run-task runs the task in it; update-service, rollback and status need
   * it.
   *
   * @since 0.1.0
   */
  @Parameter(property = "ecs.cluster")
  String cluster;

  /**
   * The ECS service, by name or ARN: the one validate-tag compares the tag with, whose running revision
   * register-task-def takes as the template (unless {@code taskDefinition} or {@code taskDefinitionFile} is
   * set), whose network configuration and launch type or capacity provider strategy run-task uses, that
   * update-service deploys to, that rollback rolls back and that status shows.
   *
   * @since 0.1.0
   */
  @Parameter(property = "ecs.service")
  String service;

  /**
   * A goal that is never held.
   *
   * @param environment environment variables, clock, sleeper, standard output, AWS client factory
   */
  protected AbstractServiceMojo(GoalEnvironment environment) {
    this(environment, null);
  }

  /**
   * @param environment environment variables, clock, sleeper, standard output, AWS client factory
   * @param atEnd holds the goal until the last module with {@code -Decs.deployAtEnd=true}, or {@code null}
   */
  protected AbstractServiceMojo(GoalEnvironment environment, DeployAtEnd atEnd) {
    super(environment, atEnd);
  }
}
