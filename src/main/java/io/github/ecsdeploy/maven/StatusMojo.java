package io.github.ecsdeploy.maven;

import io.github.ecsdeploy.core.EcsServiceView;
import io.github.ecsdeploy.core.RollbackPlanner;
import io.github.ecsdeploy.core.ServiceStatus;
import io.github.ecsdeploy.core.ServiceStatusReader;
import io.github.ecsdeploy.state.StateFiles;
import javax.inject.Inject;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Shows what a service runs now and how it got there: running, desired and pending tasks; the revision of the
 * PRIMARY deployment with its image, tag and digest; the deployment state; the last five deployments (time,
 * revision, tag, outcome); and the target {@code ecs:rollback} would pick. Reads only. Needs no project:
 * {@code mvn io.github.ecsdeploy:ecs-deploy-maven-plugin:status -Decs.cluster=... -Decs.service=...} works in
 * any directory.
 */
@Mojo(name = "status", requiresProject = false, threadSafe = true)
public class StatusMojo extends AbstractServiceMojo {

  /**
   * The goal.
   *
   * @param environment environment variables, clock, sleeper, standard output, AWS client factory
   */
  @Inject
  public StatusMojo(GoalEnvironment environment) {
    super(environment);
  }

  /**
   * The container whose image tells the versions apart. When unset: the only container, else the one whose
   * image is in {@code repository}.
   *
   * @since 0.2.0
   */
  @Parameter(property = "ecs.container")
  String container;

  /**
   * The ECR repository (name or URI) of the service's image; chooses the container when the task definition
   * has several and {@code container} is unset.
   *
   * @since 0.2.0
   */
  @Parameter(property = "ecs.repository")
  String repository;

  /**
   * Prints the status as one JSON document on standard output (not through Maven's log, so
   * {@code mvn -q ... > status.json} captures only it) instead of text.
   *
   * @since 0.2.0
   */
  @Parameter(property = "ecs.status.json", defaultValue = "false")
  boolean json;

  /**
   * Skips this goal.
   *
   * @since 0.2.0
   */
  @Parameter(property = "ecs.status.skip", defaultValue = "false")
  boolean skipStatus;

  @Override
  protected String goal() {
    return "status";
  }

  @Override
  protected boolean skipGoal() {
    return skipStatus;
  }

  @Override
  protected void run(GoalContext ctx) {
    ServiceStatus status = new ServiceStatusReader(
            new EcsServiceView(ctx.aws().ecs(), () -> ctx.aws().ecr(), ctx.log()), ctx.log())
        .read(new RollbackPlanner.Request(cluster, service, container, repository, null));
    if (json) {
      environment.stdout().accept(StateFiles.json(status));
    } else {
      status.lines().forEach(ctx.log()::info);
    }
  }
}
