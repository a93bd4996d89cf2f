package io.github.ecsdeploy.maven;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.github.ecsdeploy.core.DeploymentRecorder;
import io.github.ecsdeploy.core.DeploymentResult;
import io.github.ecsdeploy.core.ExternalFailureException;
import io.github.ecsdeploy.state.StateFileException;
import io.github.ecsdeploy.state.StateFiles;
import java.nio.file.Files;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Writes what {@code update-service} did to {@code target/ecs-deploy/}: {@code deployment.json} for tools and
 * {@code deploy.env} in GitLab's dotenv format ({@code artifacts:reports:dotenv}) for later CI jobs. Both are
 * written on failure too, so a pipeline can see the outcome (FAILED, ROLLED_BACK, REPLACED, TIMED_OUT). Each
 * file is written to a temporary file and moved into place, so a reader never sees half a file.
 *
 * <p>It lives beside the Mojos, not in {@code state}: it is the adapter that turns core's
 * {@link DeploymentRecorder} port into state files, and {@code state} imports nothing of ours.
 */
public final class DeploymentOutputs implements DeploymentRecorder {

  /** The JSON file name. */
  public static final String DEPLOYMENT_JSON = "deployment.json";

  /** The dotenv file name. */
  public static final String DEPLOY_ENV = "deploy.env";

  /**
   * Characters a GitLab dotenv value may hold without quoting or escaping questions: everything an ARN, an
   * image reference, a deployment id or a service name contains.
   */
  private static final Pattern DOTENV_SAFE = Pattern.compile("[A-Za-z0-9._:/@+=,%?-]*");

  private final StateFiles files;
  private final String rollbackFrom;
  private final String serviceUrl;

  /** @param files the state directory, usually {@code target/ecs-deploy} */
  public DeploymentOutputs(StateFiles files) {
    this(files, null, null);
  }

  private DeploymentOutputs(StateFiles files, String rollbackFrom, String serviceUrl) {
    this.files = files;
    this.rollbackFrom = rollbackFrom;
    this.serviceUrl = serviceUrl;
  }

  /**
   * The same outputs with {@code ECS_SERVICE_URL} in {@code deploy.env}: the service's page, for GitLab's
   * {@code environment:url}.
   *
   * @param url the page, e.g. from {@link io.github.ecsdeploy.core.ServiceConsole#url}
   */
  public DeploymentOutputs withServiceUrl(String url) {
    return new DeploymentOutputs(files, rollbackFrom, url);
  }

  /**
   * The same outputs for a rollback: {@code deployment.json} also holds {@code rollbackFrom} and
   * {@code deploy.env} also {@code ECS_ROLLBACK_FROM}, the revision the service ran before.
   *
   * @param taskDefinitionArn the revision rolled back from
   */
  public DeploymentOutputs withRollbackFrom(String taskDefinitionArn) {
    return new DeploymentOutputs(files, taskDefinitionArn, serviceUrl);
  }

  /**
   * The content of {@code deployment.json}.
   *
   * @param service service name
   * @param cluster cluster as given
   * @param deploymentId ECS deployment id
   * @param taskDefinitionArn the exact revision
   * @param image the image of that revision, or {@code null} when unknown
   * @param outcome a {@link io.github.ecsdeploy.core.DeploymentOutcome} name
   * @param message what happened, in one paragraph
   * @param startedAt when the run began
   * @param finishedAt when it ended
   * @param durationSeconds whole seconds between the two
   * @param rollbackFrom for {@code ecs:rollback}, the revision the service ran before; else {@code null}
   */
  @JsonPropertyOrder({
    "service", "cluster", "deploymentId", "taskDefinitionArn", "image", "outcome", "message", "startedAt",
    "finishedAt", "durationSeconds", "rollbackFrom"
  })
  public record DeploymentState(
      String service,
      String cluster,
      String deploymentId,
      String taskDefinitionArn,
      String image,
      String outcome,
      String message,
      Instant startedAt,
      Instant finishedAt,
      long durationSeconds,
      String rollbackFrom) {

    /** The state of a deployment that is not a rollback. */
    public DeploymentState(String service, String cluster, String deploymentId, String taskDefinitionArn,
        String image, String outcome, String message, Instant startedAt, Instant finishedAt,
        long durationSeconds) {
      this(service, cluster, deploymentId, taskDefinitionArn, image, outcome, message, startedAt, finishedAt,
          durationSeconds, null);
    }

    static DeploymentState of(DeploymentResult result, String rollbackFrom) {
      return new DeploymentState(
          result.service(), result.cluster(), result.deploymentId(), result.taskDefinitionArn(), result.image(),
          result.outcome().name(), result.message(), result.startedAt(), result.finishedAt(),
          result.durationSeconds(), rollbackFrom);
    }
  }

  @Override
  public void record(DeploymentResult result) {
    DeploymentState state = DeploymentState.of(result, rollbackFrom);
    Map<String, String> env = new LinkedHashMap<>();
    env.put("ECS_SERVICE", state.service());
    env.put("ECS_TASK_DEFINITION_ARN", state.taskDefinitionArn());
    env.put("ECS_IMAGE", state.image() == null ? "" : state.image());
    env.put("ECS_DEPLOYMENT_ID", state.deploymentId());
    env.put("ECS_DEPLOYMENT_OUTCOME", state.outcome());
    if (serviceUrl != null) {
      env.put("ECS_SERVICE_URL", serviceUrl);
    }
    if (rollbackFrom != null) {
      env.put("ECS_ROLLBACK_FROM", rollbackFrom);
    }
    StringBuilder dotenv = new StringBuilder();
    for (Map.Entry<String, String> entry : env.entrySet()) {
      String value = entry.getValue() == null ? "" : entry.getValue();
      if (!DOTENV_SAFE.matcher(value).matches()) {
        throw new ExternalFailureException(
            "Cannot write " + entry.getKey() + " to " + files.path(DEPLOY_ENV) + ": the value '" + value
                + "' holds characters a GitLab dotenv file cannot carry safely.",
            null);
      }
      dotenv.append(entry.getKey()).append('=').append(value).append('\n');
    }
    write(files, () -> {
      files.write(DEPLOYMENT_JSON, state);
      files.writeText(DEPLOY_ENV, dotenv.toString());
    });
  }

  /**
   * Writes the outputs. The recorder runs inside core's deployer, which knows only its own exceptions, so a file
   * that cannot be written becomes an {@link ExternalFailureException} in {@link Failures}' words.
   */
  static void write(StateFiles files, Runnable writes) {
    try {
      writes.run();
    } catch (StateFileException e) {
      throw new ExternalFailureException(Failures.describe(e), e);
    }
  }

  /** Reads {@code deployment.json} back, when it exists; for tests and later goals. */
  public static Optional<DeploymentState> read(StateFiles files) {
    return files.read(DEPLOYMENT_JSON, DeploymentState.class);
  }
}
