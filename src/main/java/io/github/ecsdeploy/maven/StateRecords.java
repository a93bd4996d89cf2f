package io.github.ecsdeploy.maven;

import io.github.ecsdeploy.core.DeployLog;
import io.github.ecsdeploy.core.MultiServiceDeployer;
import io.github.ecsdeploy.core.UserInputException;
import io.github.ecsdeploy.core.PushedImage;
import io.github.ecsdeploy.core.RegisteredTaskDefinition;
import io.github.ecsdeploy.state.ImageState;
import io.github.ecsdeploy.state.ServiceRevisions;
import io.github.ecsdeploy.state.StateFileException;
import io.github.ecsdeploy.state.StateFiles;
import io.github.ecsdeploy.state.TaskDefinitionState;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Maps between the state files' records ({@code state}, which imports nothing of ours) and core's values, in
 * one place for every goal that reads or writes them; and the one reader of {@code task-definition.json} for the
 * goals that deploy or run what register-task-def registered (update-service, run-task).
 */
final class StateRecords {

  private StateRecords() {}

  /** What push-image wrote, as register-task-def's input; {@code null} when nothing was pushed. */
  static PushedImage pushed(ImageState image) {
    return image == null ? null : new PushedImage(image.image() == null ? null : image.pinnedReference(),
        image.result() == ImageState.Result.ALREADY_PRESENT);
  }

  /** A registered revision as {@code task-definition.json} holds it. */
  static TaskDefinitionState toState(RegisteredTaskDefinition registered) {
    return new TaskDefinitionState(registered.taskDefinitionArn(), registered.family(), registered.revision(),
        registered.container(), registered.image(), registered.reused());
  }

  /** {@code task-definition.json} as core's value. */
  static RegisteredTaskDefinition toCore(TaskDefinitionState state) {
    return new RegisteredTaskDefinition(state.taskDefinitionArn(), state.family(), state.revision(),
        state.container(), state.image(), state.reused());
  }

  /**
   * A revision register-task-def handed on, and the file it came from.
   *
   * @param revision the revision; in a dry run its ARN is null when a new revision would be registered
   * @param file the state file it was read from
   */
  record Registered(RegisteredTaskDefinition revision, Path file) {}

  /**
   * The revision register-task-def handed on: {@code task-definition.json}; in a dry run, what register-task-def's
   * dry run wrote first ({@code task-definition.json} is then from an earlier release).
   *
   * @param need what the goal wanted from the file, said when there is none ("No task definition revision to
   *     deploy")
   * @throws StateFileException no file ({@code MISSING}: in a dry run, the dry-run file is named), one that cannot
   *     be read, or a {@code task-definition.json} that holds no ARN ({@code UNREADABLE})
   */
  static Registered registered(StateFiles files, boolean dryRun, String need) {
    if (dryRun) {
      Optional<TaskDefinitionState> planned = files.read(TaskDefinitionState.DRY_RUN_FILE, TaskDefinitionState.class);
      if (planned.isPresent()) {
        return new Registered(toCore(planned.get()), files.path(TaskDefinitionState.DRY_RUN_FILE));
      }
    }
    Path file = files.path(TaskDefinitionState.FILE);
    TaskDefinitionState registered = files.read(TaskDefinitionState.FILE, TaskDefinitionState.class)
        .orElseThrow(() -> StateFileException.missing(
            dryRun ? files.path(TaskDefinitionState.DRY_RUN_FILE) : file, need));
    if (registered.taskDefinitionArn() == null || registered.taskDefinitionArn().isBlank()) {
      throw StateFileException.unreadable(file, "it holds no taskDefinitionArn", null);
    }
    return new Registered(toCore(registered), file);
  }

  /**
   * What {@code task-definition.json} says of {@code arn}, a revision the user gave directly (its image and
   * container, for outputs and logs), when the file describes that same revision. The revision does not come from
   * the file, so a file that cannot be read only gets a debug line.
   */
  static Optional<RegisteredTaskDefinition> describing(StateFiles files, String arn, DeployLog log) {
    try {
      return files.read(TaskDefinitionState.FILE, TaskDefinitionState.class)
          .filter(r -> arn.equals(r.taskDefinitionArn()))
          .map(StateRecords::toCore);
    } catch (StateFileException e) {
      log.debug("Ignoring " + e.file() + " because the revision was given directly: " + e.getMessage());
      return Optional.empty();
    }
  }

  /**
   * The revision register-task-def registered for {@code service} of {@code <services>}, from
   * {@code task-definitions.json}: the one reader for run-task and update-service.
   *
   * @param need what the goal looks for, e.g. "No revisions to deploy"; said when the file is missing
   * @throws StateFileException when the file is missing or unreadable
   * @throws UserInputException when it lists no revision of {@code service}
   */
  static RegisteredTaskDefinition serviceRevision(StateFiles files, String service, String need) {
    ServiceRevisions revisions = files.require(ServiceRevisions.FILE, ServiceRevisions.class, need);
    TaskDefinitionState registered = revisions.services().get(service);
    if (registered == null || registered.taskDefinitionArn() == null) {
      throw new UserInputException(MultiServiceDeployer.SERVICES, files.path(ServiceRevisions.FILE) + " has no"
          + " revision for service " + service + " (it has " + revisions.services().keySet() + "). Run"
          + " ecs:register-task-def with the same " + MultiServiceDeployer.SERVICES.both() + ", or give the revision"
          + " with -Decs.taskDefinitionArn=arn:aws:ecs:<region>:<account>:task-definition/<family>:<revision>."
          + " Nothing was changed.");
    }
    return toCore(registered);
  }
}
