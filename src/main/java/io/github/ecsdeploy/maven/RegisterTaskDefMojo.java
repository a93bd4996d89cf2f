package io.github.ecsdeploy.maven;

import io.github.ecsdeploy.core.Param;
import io.github.ecsdeploy.core.PushedImage;
import io.github.ecsdeploy.core.RegisteredTaskDefinition;
import io.github.ecsdeploy.core.TaskDefinitionRegistrar;
import io.github.ecsdeploy.core.UserInputException;
import io.github.ecsdeploy.state.ImageState;
import io.github.ecsdeploy.state.StateFiles;
import io.github.ecsdeploy.state.ServiceRevisions;
import io.github.ecsdeploy.state.TaskDefinitionState;
import io.github.ecsdeploy.core.MultiServiceDeployer;
import io.github.ecsdeploy.core.UserInputException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.io.File;
import java.util.Optional;
import javax.inject.Inject;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Registers the task definition revision this build deploys: takes the current task definition (the revision
 * the service runs now, {@code -Decs.taskDefinition}, or {@code -Decs.taskDefinitionFile}), sets this build's
 * image in one container, keeps every other member and the tags, and registers it. When the newest ACTIVE
 * revision of the family is already identical, it is reused instead, so re-running a pipeline is safe. Writes
 * {@code target/ecs-deploy/task-definition.json} for update-service.
 */
@Mojo(name = "register-task-def", defaultPhase = LifecyclePhase.DEPLOY, threadSafe = true)
public class RegisterTaskDefMojo extends AbstractDeployingMojo {

  /**
   * The goal.
   *
   * @param environment environment variables, clock, sleeper, standard output, AWS client factory
   * @param atEnd holds the goal until the last module with {@code -Decs.deployAtEnd=true}
   */
  @Inject
  public RegisterTaskDefMojo(GoalEnvironment environment, DeployAtEnd atEnd) {
    super(environment, atEnd);
  }

  /** The goal without deployAtEnd: for tests. */
  RegisterTaskDefMojo(GoalEnvironment environment) {
    this(environment, null);
  }

  /**
   * The task definition to use as the template instead of the service's: a family (its newest ACTIVE
   * revision), {@code family:revision}, or a full ARN.
   *
   * @since 0.1.0
   */
  @Parameter(property = "ecs.taskDefinition")
  String taskDefinition;

  /**
   * A JSON file to use as the template instead of the service's task definition: either
   * {@code aws ecs describe-task-definition --include TAGS} output ({@code {"taskDefinition": ..., "tags":
   * [...]}}) or the {@code register-task-definition} input shape. Unknown members fail the build with their
   * JSON path; read-only members of a described definition are ignored.
   *
   * @since 0.1.0
   */
  @Parameter(property = "ecs.taskDefinitionFile")
  File taskDefinitionFile;

  /**
   * The name of the container whose image is replaced. When unset: the only container; else the one
   * container whose image is in {@code registry/repository}; anything else fails, listing the names.
   *
   * @since 0.1.0
   */
  @Parameter(property = "ecs.container")
  String container;

  /**
   * The image reference to deploy, e.g. {@code 123456789012.dkr.ecr.eu-west-1.amazonaws.com/hello-app:v1.4.0@sha256:...}.
   * When unset, the image push-image wrote to {@code target/ecs-deploy/image.json}, pinned to its digest.
   *
   * @since 0.1.0
   */
  @Parameter(property = "ecs.image")
  String image;

  /**
   * The ECR repository name of this project's image, e.g. {@code hello-app}; chooses the container to update
   * when the task definition has several and {@code container} is unset.
   *
   * @since 0.1.0
   */
  @Parameter(property = "ecs.repository", defaultValue = "${project.artifactId}")
  String repository;

  /**
   * The registry host of {@code repository}, e.g. {@code 123456789012.dkr.ecr.eu-west-1.amazonaws.com}. When
   * unset, any registry whose path ends in {@code repository} matches when choosing the container.
   *
   * @since 0.1.0
   */
  @Parameter(property = "ecs.registry")
  String registry;

  /**
   * In a dry run's diff, show environment values and secrets' {@code valueFrom} instead of masking them.
   *
   * @since 0.2.0
   */
  @Parameter(property = "ecs.dryRun.showValues", defaultValue = "false")
  boolean dryRunShowValues;

  /**
   * Several services released from this build's one image (e.g. {@code web,worker}): each gets its own new
   * revision, made from the task definition it runs now with the same image in {@code container}, written to
   * {@code target/ecs-deploy/task-definitions.json} for update-service. Replaces {@code service}.
   *
   * @since 0.2.0
   */
  @Parameter(property = "ecs.services")
  List<String> services;

  /**
   * Skips this goal (and logs one line saying so).
   *
   * @since 0.1.0
   */
  @Parameter(property = "ecs.registerTaskDef.skip", defaultValue = "false")
  boolean skipRegisterTaskDef;

  /** A {@code pom} module that push-image builds no image for has nothing to register, unless told what. */
  @Override
  protected String notApplicable() {
    if ((image != null && !image.isBlank()) || taskDefinitionFile != null) {
      return null;
    }
    String noImage = PushImageMojo.noImage(project, session);
    return noImage == null ? null : noImage + " Set <image> / -Decs.image to register one here.";
  }

  @Override
  protected String goal() {
    return "register-task-def";
  }

  @Override
  protected boolean skipGoal() {
    return skipRegisterTaskDef;
  }

  @Override
  protected void run(GoalContext ctx) {
    StateFiles state = new StateFiles(ctx.stateDir());
    ImageState pushed = image == null || image.isBlank() ? readPushedImage(state, dryRun) : null;
    if (services != null && !services.isEmpty()) {
      registerEach(ctx, state, pushed);
      return;
    }
    TaskDefinitionRegistrar.Request request = new TaskDefinitionRegistrar.Request(
        ctx.aws().settings().region(), cluster, service, taskDefinition,
        taskDefinitionFile == null ? null : taskDefinitionFile.toPath(), container, image,
        StateRecords.pushed(pushed),
        registry, repository, dryRun, dryRunShowValues);
    RegisteredTaskDefinition registered = new TaskDefinitionRegistrar(ctx.aws().ecs(), ctx.log()).register(request);
    TaskDefinitionState result = StateRecords.toState(registered);
    state.write(dryRun ? TaskDefinitionState.DRY_RUN_FILE : TaskDefinitionState.FILE, result);
  }

  /** One revision per service of {@code services}, each from the task definition that service runs now. */
  private void registerEach(GoalContext ctx, StateFiles state, ImageState pushed) {
    if (taskDefinition != null || taskDefinitionFile != null) {
      throw new UserInputException(MultiServiceDeployer.SERVICES, MultiServiceDeployer.SERVICES.both() + " takes"
          + " each service's template from the revision it runs; " + Param.TASK_DEFINITION.both() + " and "
          + Param.TASK_DEFINITION_FILE.both() + " cannot be combined with it. Nothing was changed.");
    }
    Map<String, TaskDefinitionState> registered = new LinkedHashMap<>();
    TaskDefinitionRegistrar registrar = new TaskDefinitionRegistrar(ctx.aws().ecs(), ctx.log());
    for (String each : services) {
      String name = each.strip();
      ctx.log().info("Service " + name + ":");
      registered.put(name, StateRecords.toState(registrar.register(new TaskDefinitionRegistrar.Request(
          ctx.aws().settings().region(), cluster, name, null, null, container, image, StateRecords.pushed(pushed),
          registry, repository, dryRun, dryRunShowValues))));
    }
    if (dryRun) {
      return;
    }
    state.write(ServiceRevisions.FILE, new ServiceRevisions(registered));
  }

  /** image.json; in a dry run, what push-image's dry run wrote first (image.json is from an earlier release). */
  private static ImageState readPushedImage(StateFiles state, boolean dryRun) {
    // A file left by an earlier build that cannot be read is the user's to fix (Failures says so, as for every
    // state file): nothing is wrong with AWS.
    Optional<ImageState> pushed = dryRun ? state.read(ImageState.DRY_RUN_FILE, ImageState.class) : Optional.empty();
    return pushed.or(() -> state.read(ImageState.FILE, ImageState.class)).orElse(null);
  }
}
