package io.github.ecsdeploy.maven;

import io.github.ecsdeploy.core.ExternalFailureException;
import io.github.ecsdeploy.core.Param;
import io.github.ecsdeploy.core.TaskDefinitionRegistrar;
import io.github.ecsdeploy.core.UserInputException;
import io.github.ecsdeploy.state.ImageState;
import io.github.ecsdeploy.state.StateFiles;
import io.github.ecsdeploy.state.TaskDefinitionState;
import java.io.File;
import java.io.IOException;
import java.util.Optional;
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
public class RegisterTaskDefMojo extends AbstractEcsMojo {

  /**
   * The ECS cluster of the service whose current task definition is the template. When unset, ECS's
   * {@code default} cluster.
   *
   * @since 0.1.0
   */
  @Parameter(property = "ecs.cluster")
  String cluster;

  /**
   * The ECS service whose current task definition (the revision it runs now) is the template. Not needed
   * when {@code taskDefinition} or {@code taskDefinitionFile} is set.
   *
   * @since 0.1.0
   */
  @Parameter(property = "ecs.service")
  String service;

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
   * Prints the unified diff between the template revision and the request that would be registered, and
   * registers nothing. Writes {@code target/ecs-deploy/task-definition.dry-run.json} (not
   * {@code task-definition.json}) for a dry run of update-service.
   *
   * @since 0.2.0
   */
  @Parameter(property = "ecs.dryRun", defaultValue = "false")
  boolean dryRun;

  /**
   * In a dry run's diff, show environment values and secrets' {@code valueFrom} instead of masking them.
   *
   * @since 0.2.0
   */
  @Parameter(property = "ecs.dryRun.showValues", defaultValue = "false")
  boolean dryRunShowValues;

  /**
   * Skips this goal (and logs one line saying so).
   *
   * @since 0.1.0
   */
  @Parameter(property = "ecs.registerTaskDef.skip", defaultValue = "false")
  boolean skipRegisterTaskDef;

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
    TaskDefinitionRegistrar.Request request = new TaskDefinitionRegistrar.Request(
        ctx.aws().settings().region(), cluster, service, taskDefinition,
        taskDefinitionFile == null ? null : taskDefinitionFile.toPath(), container, image, pushed, registry,
        repository, dryRun, dryRunShowValues);
    TaskDefinitionState result = new TaskDefinitionRegistrar(ctx.aws().ecs(), ctx.log()).register(request);
    try {
      state.write(dryRun ? TaskDefinitionState.DRY_RUN_FILE : TaskDefinitionState.FILE, result);
    } catch (IOException e) {
      throw new ExternalFailureException("Cannot write " + state.path(TaskDefinitionState.FILE) + ": "
          + e.getMessage(), e);
    }
  }

  /** image.json; in a dry run, what push-image's dry run wrote first (image.json is from an earlier release). */
  private static ImageState readPushedImage(StateFiles state, boolean dryRun) {
    try {
      Optional<ImageState> pushed = dryRun ? state.read(ImageState.DRY_RUN_FILE, ImageState.class) : Optional.empty();
      if (pushed.isEmpty()) {
        pushed = state.read(ImageState.FILE, ImageState.class);
      }
      return pushed.orElse(null);
    } catch (IOException e) {
      // A file left by an earlier build that cannot be read is the user's to fix (as task-definition.json is for
      // update-service): nothing is wrong with AWS.
      throw new UserInputException(Param.IMAGE, "Cannot read " + state.path(ImageState.FILE)
          + " (written by push-image): " + e.getMessage() + ". Run push-image again or set " + Param.IMAGE.both()
          + ". Nothing was changed.", e);
    }
  }
}
