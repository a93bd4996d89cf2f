package io.github.ecsdeploy.state;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ecsdeploy.core.Param;
import io.github.ecsdeploy.core.UserInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The part of {@code target/ecs-deploy/task-definition.json} (written by {@code register-task-def}) that
 * {@code update-service} needs: which revision to deploy and which image it runs. Unknown fields are ignored,
 * so the writer may add more.
 *
 * @param taskDefinitionArn the registered revision's full ARN
 * @param family task definition family
 * @param revision revision number
 * @param container the container whose image was set
 * @param image the image set in that container
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RegisteredRevision(
    String taskDefinitionArn, String family, Integer revision, String container, String image) {

  /** The file name under {@code target/ecs-deploy/}. */
  public static final String FILE_NAME = "task-definition.json";

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Reads {@code file} when it exists.
   *
   * @throws UserInputException when the file exists but cannot be read or holds no ARN
   */
  public static Optional<RegisteredRevision> readIfPresent(Path file) {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    RegisteredRevision revision;
    try {
      revision = JSON.readValue(file.toFile(), RegisteredRevision.class);
    } catch (IOException e) {
      throw new UserInputException(
          Param.TASK_DEFINITION_ARN,
          "Cannot read " + file + " (" + e.getMessage() + "). Run register-task-def again, or give the"
              + " revision as " + Param.TASK_DEFINITION_ARN.both() + ".",
          e);
    }
    if (revision == null || revision.taskDefinitionArn() == null || revision.taskDefinitionArn().isBlank()) {
      throw new UserInputException(
          Param.TASK_DEFINITION_ARN,
          file + " holds no taskDefinitionArn. Run register-task-def again, or give the revision as "
              + Param.TASK_DEFINITION_ARN.both() + ".");
    }
    return Optional.of(revision);
  }
}
