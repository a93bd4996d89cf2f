package io.github.ecsdeploy.core;

/** Short, human names of task definition revisions. */
final class TaskDefinitionNames {

  private TaskDefinitionNames() {}

  /** {@code arn:aws:ecs:...:task-definition/hello-app:7} becomes {@code hello-app:7}; anything else as is. */
  static String shortName(String taskDefinitionArn) {
    if (taskDefinitionArn == null) {
      return "an unknown task definition";
    }
    int slash = taskDefinitionArn.lastIndexOf("task-definition/");
    return slash < 0 ? taskDefinitionArn : taskDefinitionArn.substring(slash + "task-definition/".length());
  }
}
