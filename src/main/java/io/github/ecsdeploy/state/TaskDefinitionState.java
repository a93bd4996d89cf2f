package io.github.ecsdeploy.state;

/**
 * {@code target/ecs-deploy/task-definition.json}, written by register-task-def: the revision update-service
 * deploys.
 *
 * @param taskDefinitionArn the full ARN of the revision
 * @param family the family, e.g. {@code hello-app}
 * @param revision the revision number
 * @param container the container whose image was set
 * @param image the image that container runs, {@code name:tag@digest} when the digest was known
 * @param reused {@code true} when an existing identical revision was reused instead of registering a new one
 */
public record TaskDefinitionState(
    String taskDefinitionArn, String family, int revision, String container, String image, boolean reused) {

  /** The file name under the state directory. */
  public static final String FILE = "task-definition.json";

  /**
   * What a dry run of register-task-def would register, for a dry run of update-service in the same build:
   * {@code taskDefinitionArn} is {@code null} (and {@code revision} 0) when a new revision would be registered.
   * A separate file, so a dry run never replaces what a real run wrote.
   */
  public static final String DRY_RUN_FILE = "task-definition.dry-run.json";
}
