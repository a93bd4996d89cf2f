package io.github.ecsdeploy.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TaskDefinitionNamesTest {

  @Test
  void anArnIsShortenedToFamilyAndRevisionAndAnythingElseIsKept() {
    assertEquals("hello-app:7",
        TaskDefinitionNames.shortName("arn:aws:ecs:eu-west-1:123456789012:task-definition/hello-app:7"));
    assertEquals("hello-app:7", TaskDefinitionNames.shortName("hello-app:7"));
    assertEquals("hello-app:7", TaskDefinitionNames.shortName("task-definition/hello-app:7"));
    assertEquals("an unknown task definition", TaskDefinitionNames.shortName(null));
  }
}
