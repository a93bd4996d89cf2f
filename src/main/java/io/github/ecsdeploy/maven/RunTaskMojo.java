package io.github.ecsdeploy.maven;

import io.github.ecsdeploy.core.DeployLog;
import io.github.ecsdeploy.core.Durations;
import io.github.ecsdeploy.core.OneOffTask;
import io.github.ecsdeploy.core.RegisteredTaskDefinition;
import io.github.ecsdeploy.core.Param;
import io.github.ecsdeploy.core.TaskCommand;
import io.github.ecsdeploy.core.MultiServiceDeployer;
import io.github.ecsdeploy.state.StateFiles;
import javax.inject.Inject;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Runs a one-off task before the rollout, typically a database migration, and fails the build unless every
 * essential container exits with 0: RunTask of the revision register-task-def registered (or of the migration
 * family {@code runTaskDefinition} with the same image), on the network configuration and launch type / capacity
 * provider strategy of {@code service}, with an optional command override; prints the task's status changes,
 * the container's CloudWatch Logs output (awslogs driver), the exit codes and the stop reason.
 *
 * <p>Bind it in an execution of its own before update-service in the same phase: when it fails, update-service
 * does not run and nothing is deployed.
 */
@Mojo(name = "run-task", defaultPhase = LifecyclePhase.DEPLOY, threadSafe = true)
public class RunTaskMojo extends AbstractDeployingMojo {

  /**
   * The goal.
   *
   * @param environment environment variables, clock, sleeper, standard output, AWS client factory
   * @param atEnd holds the goal until the last module with {@code -Decs.deployAtEnd=true}
   */
  @Inject
  public RunTaskMojo(GoalEnvironment environment, DeployAtEnd atEnd) {
    super(environment, atEnd);
  }

  /** The goal without deployAtEnd: for tests. */
  RunTaskMojo(GoalEnvironment environment) {
    this(environment, null);
  }

  /**
   * The services this build releases ({@code <services>} / {@code -Decs.services}, as for register-task-def and
   * update-service). run-task still runs one task: when {@code service} is unset, on the network configuration and
   * launch type of the first listed service, with the revision register-task-def registered for it (from
   * {@code target/ecs-deploy/task-definitions.json}). A migration runs once per release, not once per service.
   *
   * @since 0.2.0
   */
  @Parameter(property = "ecs.services")
  java.util.List<String> services;

  /**
   * The exact task definition revision to run, as a full ARN. When unset, the revision that
   * {@code register-task-def} wrote to {@code target/ecs-deploy/task-definition.json}.
   *
   * @since 0.2.0
   */
  @Parameter(property = "ecs.taskDefinitionArn")
  String taskDefinitionArn;

  /**
   * A separate task-definition family for the one-off task (e.g. {@code hello-app-migrate}): its newest ACTIVE
   * revision is registered again with the image of the revision above in {@code runTaskContainer} (reused when
   * identical), and that runs. When unset, the revision above runs itself.
   *
   * @since 0.2.0
   */
  @Parameter(property = "ecs.runTask.taskDefinition")
  String runTaskDefinition;

  /**
   * The container whose command is overridden and whose output is followed. When unset, the container
   * register-task-def updated; for {@code runTaskDefinition}, the only container or the one whose image is in
   * {@code repository}.
   *
   * @since 0.2.0
   */
  @Parameter(property = "ecs.runTask.container")
  String runTaskContainer;

  /**
   * The command that replaces the container's command for this task. Either a JSON array of strings, taken as
   * the exact argument list ({@code ["sh", "-c", "flyway migrate && echo done"]}), or anything else, split at
   * whitespace without quoting rules ({@code flyway migrate} becomes {@code ["flyway", "migrate"]}). When unset,
   * the task definition's command runs.
   *
   * @since 0.2.0
   */
  @Parameter(property = "ecs.runTask.command")
  String runTaskCommand;

  /**
   * How long to wait for the task to stop before failing the build ({@code 30m}, {@code PT30M}, {@code 1800}).
   * The task is left running; the message gives the {@code aws ecs stop-task} command.
   *
   * @since 0.2.0
   */
  @Parameter(property = "ecs.runTask.timeout", defaultValue = "30m")
  String runTaskTimeout;

  /**
   * Time between two looks at the task and its output ({@code 5s}, {@code PT5S}, {@code 5}).
   *
   * @since 0.2.0
   */
  @Parameter(property = "ecs.runTask.pollInterval", defaultValue = "5s")
  String runTaskPollInterval;

  /**
   * The ECR repository name of this project's image; chooses the container of {@code runTaskDefinition} when it
   * has several and {@code runTaskContainer} is unset.
   *
   * @since 0.2.0
   */
  @Parameter(property = "ecs.repository", defaultValue = "${project.artifactId}")
  String repository;

  /**
   * The registry host of {@code repository}, for choosing the container of {@code runTaskDefinition}.
   *
   * @since 0.2.0
   */
  @Parameter(property = "ecs.registry")
  String registry;

  /**
   * Skips this goal (and logs one line saying so). {@code ecs.skip} skips every goal.
   *
   * @since 0.2.0
   */
  @Parameter(property = "ecs.runTask.skip", defaultValue = "false")
  boolean skipRunTask;

  /** A {@code pom} module that push-image builds no image for has nothing to run, unless told what. */
  @Override
  protected String notApplicable() {
    if (taskDefinitionArn != null && !taskDefinitionArn.isBlank() || PushImageMojo.imageGiven(project, session)) {
      return null;
    }
    String noImage = PushImageMojo.noImage(project, session);
    return noImage == null ? null : noImage + " Set <taskDefinitionArn> / -Decs.taskDefinitionArn to run a revision from here.";
  }

  @Override
  protected String goal() {
    return "run-task";
  }

  @Override
  protected boolean skipGoal() {
    return skipRunTask;
  }

  @Override
  protected void run(GoalContext ctx) {
    String onService = service;
    StateFiles state = new StateFiles(ctx.stateDir());
    RegisteredTaskDefinition revision;
    if ((service == null || service.isBlank()) && services != null && !services.isEmpty()) {
      onService = services.get(0).strip();
      ctx.log().info("One task for the " + services.size() + " services of " + MultiServiceDeployer.SERVICES.both()
          + ": on the network configuration and launch type of the first listed, " + onService + ", with its"
          + " revision. Set " + Param.SERVICE.both() + " to run it as another.");
      revision = serviceRevision(state, onService, ctx.log());
    } else {
      revision = revision(state, ctx.log());
    }
    OneOffTask.Request request = new OneOffTask.Request(
        ctx.aws().settings().region(),
        cluster,
        onService,
        revision,
        runTaskDefinition,
        runTaskContainer,
        registry,
        repository,
        TaskCommand.parse(runTaskCommand),
        Durations.parse(runTaskPollInterval, OneOffTask.POLL_INTERVAL),
        Durations.parse(runTaskTimeout, OneOffTask.TIMEOUT),
        dryRun);
    new OneOffTask(ctx.aws().ecs(), () -> ctx.aws().ecr(), () -> ctx.aws().logs(), ctx.log(), environment.clock(), environment.sleeper())
        .run(request);
  }

  /** With {@code services}: {@code taskDefinitionArn}, else the revision register-task-def registered for it. */
  private RegisteredTaskDefinition serviceRevision(StateFiles state, String name, DeployLog log) {
    if (taskDefinitionArn != null && !taskDefinitionArn.isBlank()) {
      return revision(state, log);
    }
    return StateRecords.serviceRevision(state, name, "No revision of service " + name + " to run ("
        + Param.TASK_DEFINITION_ARN.both() + " is not set)");
  }

  /** The revision to run: {@code taskDefinitionArn}, else what register-task-def wrote (its dry run first). */
  private RegisteredTaskDefinition revision(StateFiles state, DeployLog log) {
    if (taskDefinitionArn != null && !taskDefinitionArn.isBlank()) {
      String arn = taskDefinitionArn.strip();
      return StateRecords.describing(state, arn, log)
          .orElse(new RegisteredTaskDefinition(arn, null, 0, null, null, false));
    }
    return StateRecords.registered(state, dryRun, "No task definition revision to run ("
        + Param.TASK_DEFINITION_ARN.both() + " is not set)").revision();
  }
}
