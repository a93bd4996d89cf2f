package io.github.ecsdeploy.core;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What {@code update-service} is asked to do: put the exact task definition revision {@code taskDefinitionArn}
 * on {@code service} in {@code cluster} and, when {@code wait} is set, watch that deployment.
 *
 * @param cluster cluster name or ARN
 * @param service service name or ARN
 * @param taskDefinitionArn full task definition ARN including the revision
 * @param image the image the revision runs, for the outputs only; may be {@code null} when unknown
 * @param forceNewDeployment start a new deployment even when the service already runs this revision
 * @param waitForCompletion watch the deployment until it finishes; {@code false} returns right after UpdateService
 * @param pollInterval time between two DescribeServices while waiting
 * @param timeout how long to wait for the deployment before failing
 */
public record UpdateServiceRequest(
    String cluster,
    String service,
    String taskDefinitionArn,
    String image,
    boolean forceNewDeployment,
    boolean waitForCompletion,
    Duration pollInterval,
    Duration timeout) {

  /** {@code <forceNewDeployment> / -Decs.updateService.forceNewDeployment}. */
  public static final Param FORCE_NEW_DEPLOYMENT =
      new Param("forceNewDeployment", "ecs.updateService.forceNewDeployment");

  /** {@code <wait> / -Decs.updateService.wait}. */
  public static final Param WAIT = new Param("wait", "ecs.updateService.wait");

  /** {@code <pollInterval> / -Decs.updateService.pollInterval}. */
  public static final Param POLL_INTERVAL = new Param("pollInterval", "ecs.updateService.pollInterval");

  /** {@code <timeout> / -Decs.updateService.timeout}. */
  public static final Param TIMEOUT = new Param("timeout", "ecs.updateService.timeout");

  /** The default time between two polls. */
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(5);

  /** The default time to wait for a deployment. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(15);

  private static final Pattern TASK_DEFINITION_ARN =
      Pattern.compile("arn:[^:\\s]+:ecs:[^:\\s]*:[0-9]*:task-definition/[A-Za-z0-9_-]{1,255}:[0-9]+");

  /** Checks every field; the messages name the parameter to fix. */
  public UpdateServiceRequest {
    cluster = required(cluster, Param.CLUSTER);
    service = required(service, Param.SERVICE);
    taskDefinitionArn = required(taskDefinitionArn, Param.TASK_DEFINITION_ARN);
    if (!TASK_DEFINITION_ARN.matcher(taskDefinitionArn).matches()) {
      throw new UserInputException(
          Param.TASK_DEFINITION_ARN,
          Param.TASK_DEFINITION_ARN.both()
              + " must be a full task definition ARN with its revision, like"
              + " arn:aws:ecs:eu-west-1:123456789012:task-definition/hello-app:7, but was '"
              + taskDefinitionArn
              + "'. A family name alone would deploy whatever revision is newest; run register-task-def first or"
              + " copy the ARN it printed.");
    }
    Objects.requireNonNull(pollInterval, "pollInterval");
    Objects.requireNonNull(timeout, "timeout");
    if (pollInterval.isNegative() || pollInterval.isZero()) {
      throw new UserInputException(
          POLL_INTERVAL, POLL_INTERVAL.both() + " must be positive, like 5s or PT5S, but was " + pollInterval + ".");
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new UserInputException(
          TIMEOUT, TIMEOUT.both() + " must be positive, like 15m or PT15M, but was " + timeout + ".");
    }
    if (image != null && image.isBlank()) {
      image = null;
    }
  }

  private static String required(String value, Param param) {
    if (value == null || value.isBlank()) {
      throw new UserInputException(param, param.both() + " is required: set it in the plugin configuration or on"
          + " the command line.");
    }
    return value.strip();
  }
}
