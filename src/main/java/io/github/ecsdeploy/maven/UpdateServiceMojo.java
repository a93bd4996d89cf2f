package io.github.ecsdeploy.maven;

import io.github.ecsdeploy.core.RegisteredTaskDefinition;
import io.github.ecsdeploy.core.DeploymentPreview;
import io.github.ecsdeploy.core.EcsServiceView;
import io.github.ecsdeploy.core.Durations;
import io.github.ecsdeploy.core.Param;
import io.github.ecsdeploy.core.MultiServiceDeployer;
import io.github.ecsdeploy.state.ServiceRevisions;
import io.github.ecsdeploy.core.ServiceDeployer;
import io.github.ecsdeploy.core.UpdateServiceRequest;
import io.github.ecsdeploy.core.UserInputException;
import io.github.ecsdeploy.core.ServiceConsole;
import io.github.ecsdeploy.state.StateFiles;
import io.github.ecsdeploy.state.TaskDefinitionState;
import javax.inject.Inject;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Deploys one exact task definition revision to an ECS service and waits for <em>that</em> deployment: it
 * fails when the deployment fails, is rolled back by ECS, is replaced by someone else's, or times out, and
 * then lists why the deployment's tasks stopped. Writes {@code target/ecs-deploy/deployment.json} and the
 * GitLab dotenv file {@code target/ecs-deploy/deploy.env}, on failure too.
 *
 * <p>The revision is {@code -Decs.taskDefinitionArn}, else the one {@code register-task-def} wrote to
 * {@code target/ecs-deploy/task-definition.json}. The desired count is never changed.
 */
@Mojo(name = "update-service", defaultPhase = LifecyclePhase.DEPLOY, threadSafe = true)
public class UpdateServiceMojo extends AbstractRolloutMojo {

  /**
   * The goal.
   *
   * @param environment environment variables, clock, sleeper, standard output, AWS client factory
   * @param atEnd holds the goal until the last module with {@code -Decs.deployAtEnd=true}
   */
  @Inject
  public UpdateServiceMojo(GoalEnvironment environment, DeployAtEnd atEnd) {
    super(environment, atEnd);
  }

  /** The goal without deployAtEnd: for tests. */
  UpdateServiceMojo(GoalEnvironment environment) {
    this(environment, null);
  }

  @Override
  boolean holdsUntilEnd() {
    return deployAtEnd;
  }

  /**
   * The exact task definition revision to deploy, as a full ARN with its revision
   * ({@code arn:aws:ecs:<region>:<account>:task-definition/<family>:<revision>}). When unset, the revision
   * that {@code register-task-def} wrote to {@code target/ecs-deploy/task-definition.json} is deployed.
   *
   * @since 0.1.0
   */
  @Parameter(property = "ecs.taskDefinitionArn")
  String taskDefinitionArn;

  /**
   * Starts a new deployment even when the service already runs this exact revision in one finished
   * deployment (for example to pick up a new image behind the same tag, or rotated secrets). Without it such
   * a re-run succeeds without touching the service.
   *
   * @since 0.1.0
   */
  @Parameter(property = "ecs.updateService.forceNewDeployment", defaultValue = "false")
  boolean forceNewDeployment;

  /**
   * Holds this goal, with push-image, register-task-def and run-task of every module, until the last of them in the
   * reactor; see register-task-def's {@code deployAtEnd}.
   *
   * @since 0.2.0
   */
  @Parameter(property = "ecs.deployAtEnd", defaultValue = "false")
  boolean deployAtEnd;

  /**
   * Changes nothing: prints what UpdateService would change (the revision and image, now and then) and warns when
   * the service has neither a circuit breaker nor alarms. The revision it shows is {@code taskDefinitionArn}, else
   * what a dry run of register-task-def wrote, else {@code task-definition.json}. With {@code services}, one
   * preview per service.
   *
   * @since 0.2.0
   */
  @Parameter(property = "ecs.dryRun", defaultValue = "false")
  boolean dryRun;

  /**
   * Several services released from this build's one image (e.g. {@code web,worker}): each gets the revision
   * register-task-def registered for it ({@code target/ecs-deploy/task-definitions.json}); all deployments start
   * at once and are watched in parallel, with one verdict per service. The build fails if any service fails, and
   * the others are left as ECS decided. Outputs per service under {@code target/ecs-deploy/services/<service>/}.
   * Replaces {@code service}.
   *
   * @since 0.2.0
   */
  @Parameter(property = "ecs.services")
  java.util.List<String> services;

  /**
   * With {@code services}: {@code parallel} starts every deployment at once; {@code sequential} deploys them in
   * the listed order, each after the previous one succeeded, and starts none after a failure.
   *
   * @since 0.2.0
   */
  @Parameter(property = "ecs.updateService.servicesOrder", defaultValue = "parallel")
  String servicesOrder;

  /**
   * Skips this goal (and logs one line saying so). {@code ecs.skip} skips every goal.
   *
   * @since 0.1.0
   */
  @Parameter(property = "ecs.updateService.skip", defaultValue = "false")
  boolean skipUpdateService;

  /** A {@code pom} module that push-image builds no image for has nothing to deploy, unless told what. */
  @Override
  protected String notApplicable() {
    if ((taskDefinitionArn != null && !taskDefinitionArn.isBlank()) || (services != null && !services.isEmpty()) || PushImageMojo.imageGiven(project, session)) {
      return null;
    }
    String noImage = PushImageMojo.noImage(project, session);
    return noImage == null ? null : noImage + " Set <taskDefinitionArn> / -Decs.taskDefinitionArn to deploy a revision from here.";
  }

  @Override
  protected String goal() {
    return "update-service";
  }

  @Override
  protected boolean skipGoal() {
    return skipUpdateService;
  }

  @Override
  protected void run(GoalContext ctx) {
    if (services != null && !services.isEmpty()) {
      deployEach(ctx);
      return;
    }
    if (dryRun) {
      preview(ctx);
      return;
    }
    StateFiles state = new StateFiles(ctx.stateDir());
    String arn = taskDefinitionArn;
    String image;
    String fromStateFile = null;
    if (arn == null || arn.isBlank()) {
      StateRecords.Registered registered = StateRecords.registered(state, false, "No task definition revision to"
          + " deploy (" + Param.TASK_DEFINITION_ARN.both() + " is not set)");
      arn = registered.revision().taskDefinitionArn();
      image = registered.revision().image();
      ctx.log().info("Deploying " + arn + " (from " + registered.file() + ").");
      fromStateFile = registered.file().toString();
    } else {
      image = StateRecords.describing(state, arn.strip(), ctx.log()).map(RegisteredTaskDefinition::image).orElse(null);
    }
    UpdateServiceRequest request = new UpdateServiceRequest(
        cluster,
        service,
        arn,
        image,
        forceNewDeployment,
        wait,
        Durations.parse(pollInterval, UpdateServiceRequest.POLL_INTERVAL),
        Durations.parse(timeout, UpdateServiceRequest.TIMEOUT));
    new ServiceDeployer(ctx.aws().ecs(), ctx.log(), environment.clock(), environment.sleeper())
        .deploy(request, new DeploymentOutputs(state)
            .withServiceUrl(ServiceConsole.url(ctx.aws().settings().region(), cluster, service)), fromStateFile);
  }

  /** One deployment per service of {@code services}, watched in parallel. */
  private void deployEach(GoalContext ctx) {
    StateFiles state = new StateFiles(ctx.stateDir());
    if (dryRun) {
      // register-task-def's dry run registers nothing: each preview shows the revision registered earlier in this
      // workspace, else "the revision register-task-def would register".
      java.util.Map<String, TaskDefinitionState> known = state.read(ServiceRevisions.FILE, ServiceRevisions.class)
          .map(ServiceRevisions::services).orElse(java.util.Map.of());
      MultiServiceDeployer.previewAll(ctx.log(), cluster, services.stream()
              .map(String::strip).map(name -> new MultiServiceDeployer.Planned(name,
                  known.containsKey(name) ? known.get(name).taskDefinitionArn() : null,
                  known.containsKey(name) ? known.get(name).image() : null)).toList(),
          log -> new DeploymentPreview(new EcsServiceView(ctx.aws().ecs(), () -> ctx.aws().ecr(), log), log),
          Durations.parse(timeout, UpdateServiceRequest.TIMEOUT));
      return;
    }
    java.util.List<UpdateServiceRequest> requests = new java.util.ArrayList<>();
    for (String each : services) {
      String name = each.strip();
      RegisteredTaskDefinition registered = StateRecords.serviceRevision(state, name, "No revisions to deploy");
      requests.add(new UpdateServiceRequest(cluster, name, registered.taskDefinitionArn(), registered.image(),
          forceNewDeployment, wait, Durations.parse(pollInterval, UpdateServiceRequest.POLL_INTERVAL),
          Durations.parse(timeout, UpdateServiceRequest.TIMEOUT)));
    }
    String region = ctx.aws().settings().region();
    software.amazon.awssdk.services.ecs.EcsClient ecs = MultiServiceDeployer.sharedReads(ctx.aws().ecs(), requests);
    new MultiServiceDeployer(log -> new ServiceDeployer(ecs, log, environment.clock(), environment.sleeper()), ctx.log())
        .deployAll(requests, new ServicesOutputs(state, requests.stream().map(UpdateServiceRequest::service).toList(),
            name -> ServiceConsole.url(region, cluster, name))::forService,
            MultiServiceDeployer.Order.parse(servicesOrder));
  }

  /** The dry run: what would be deployed, read only. */
  private void preview(GoalContext ctx) {
    StateFiles state = new StateFiles(ctx.stateDir());
    String arn = taskDefinitionArn == null || taskDefinitionArn.isBlank() ? null : taskDefinitionArn.strip();
    String image = null;
    if (arn == null) {
      RegisteredTaskDefinition found =
          StateRecords.registered(state, true, "Dry run: no revision to show").revision();
      arn = found.taskDefinitionArn();
      image = found.image();
    }
    new DeploymentPreview(new EcsServiceView(ctx.aws().ecs(), () -> ctx.aws().ecr(), ctx.log()), ctx.log())
        .preview(cluster, service, arn, image, Durations.parse(timeout, UpdateServiceRequest.TIMEOUT));
  }
}
