package io.github.ecsdeploy.maven;

import io.github.ecsdeploy.core.PushedImage;
import io.github.ecsdeploy.core.RegisteredTaskDefinition;
import io.github.ecsdeploy.state.ImageState;
import io.github.ecsdeploy.state.TaskDefinitionState;

/**
 * Maps between the state files' records ({@code state}, which imports nothing of ours) and core's values, in
 * one place for every goal that reads or writes them.
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
}
