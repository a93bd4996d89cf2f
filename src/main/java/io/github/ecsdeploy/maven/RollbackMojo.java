package io.github.ecsdeploy.maven;

import io.github.ecsdeploy.core.Durations;
import io.github.ecsdeploy.core.EcsServiceView;
import io.github.ecsdeploy.core.RollbackPlanner;
import io.github.ecsdeploy.core.ServiceRollback;
import io.github.ecsdeploy.core.UpdateServiceRequest;
import io.github.ecsdeploy.core.ServiceConsole;
import io.github.ecsdeploy.state.StateFiles;
import javax.inject.Inject;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Puts a service back on an earlier release and waits for that deployment, as update-service does. The
 * target is the revision of the previous successful deployment, or {@code -Decs.rollback.to}: a tag
 * ({@code v1.3.0}: the newest ACTIVE revision running it, else a new revision with that image pinned by its ECR
 * digest) or a revision ({@code family:revision}, ARN). Prints from -> to before changing anything. Writes
 * {@code target/ecs-deploy/deployment.json} and {@code deploy.env} (with {@code ECS_ROLLBACK_FROM}).
 *
 * <p>Needs no project: {@code mvn io.github.ecsdeploy:ecs-deploy-maven-plugin:rollback -Decs.cluster=...
 * -Decs.service=...} works in an empty directory (with {@code <pluginGroup>io.github.ecsdeploy</pluginGroup>}
 * in {@code settings.xml}, {@code mvn ecs:rollback}).
 */
@Mojo(name = "rollback", requiresProject = false, threadSafe = true)
public class RollbackMojo extends AbstractRolloutMojo {

  /**
   * The goal.
   *
   * @param environment environment variables, clock, sleeper, standard output, AWS client factory
   */
  @Inject
  public RollbackMojo(GoalEnvironment environment) {
    super(environment, null);
  }

  /**
   * What to roll back to: a release tag ({@code v1.3.0}; its image must be in ECR), a revision
   * ({@code family:revision}) or a revision ARN. When unset, the revision of the service's previous successful
   * deployment.
   *
   * @since 0.2.0
   */
  @Parameter(property = "ecs.rollback.to")
  String rollbackTo;

  /**
   * The container whose image tells the versions apart (and is set when a revision must be registered). When
   * unset: the only container, else the one whose image is in {@code repository}.
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
   * Prints what would be rolled back (from -> to, and whether a revision would be registered) and changes
   * nothing.
   *
   * @since 0.2.0
   */
  @Parameter(property = "ecs.dryRun", defaultValue = "false")
  boolean dryRun;

  /**
   * Skips this goal.
   *
   * @since 0.2.0
   */
  @Parameter(property = "ecs.rollback.skip", defaultValue = "false")
  boolean skipRollback;

  @Override
  protected String goal() {
    return "rollback";
  }

  @Override
  protected boolean skipGoal() {
    return skipRollback;
  }

  @Override
  protected void run(GoalContext ctx) {
    ServiceRollback.Request request = new ServiceRollback.Request(
        new RollbackPlanner.Request(cluster, service, container, repository, rollbackTo),
        dryRun,
        wait,
        Durations.parse(pollInterval, UpdateServiceRequest.POLL_INTERVAL),
        Durations.parse(timeout, UpdateServiceRequest.TIMEOUT));
    DeploymentOutputs outputs = new DeploymentOutputs(new StateFiles(ctx.stateDir()))
        .withServiceUrl(ServiceConsole.url(ctx.aws().settings().region(), cluster, service));
    new ServiceRollback(new EcsServiceView(ctx.aws().ecs(), () -> ctx.aws().ecr(), ctx.log()), ctx.aws().ecs(),
            ctx.log(), environment.clock(), environment.sleeper(), ctx.aws().settings().region())
        .rollback(request, outputs::withRollbackFrom);
  }

}
