package io.github.ecsdeploy.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TaskCommandTest {

  @Test
  void blankMeansNoOverride() {
    assertEquals(List.of(), TaskCommand.parse(null));
    assertEquals(List.of(), TaskCommand.parse("  "));
  }

  @Test
  void plainTextIsSplitAtWhitespaceWithoutQuotingRules() {
    assertEquals(List.of("flyway", "migrate", "-X"), TaskCommand.parse("  flyway   migrate\t-X "));
    assertEquals(List.of("echo", "'a", "b'"), TaskCommand.parse("echo 'a b'"));
  }

  @Test
  void aJsonArrayIsTheExactArgumentList() {
    assertEquals(List.of("sh", "-c", "flyway migrate && echo \"done\""),
        TaskCommand.parse("[\"sh\", \"-c\", \"flyway migrate && echo \\\"done\\\"\"]"));
  }

  @Test
  void aBrokenJsonArrayNamesTheParameterInBothSpellings() {
    UserInputException notJson = assertThrows(UserInputException.class, () -> TaskCommand.parse("[sh, -c]"));
    assertTrue(notJson.getMessage().contains("<runTaskCommand> / -Decs.runTask.command"), notJson.getMessage());
    UserInputException notStrings = assertThrows(UserInputException.class, () -> TaskCommand.parse("[\"sleep\", 5]"));
    assertTrue(notStrings.getMessage().contains("5 is not a string"), notStrings.getMessage());
    assertThrows(UserInputException.class, () -> TaskCommand.parse("[]"));
  }
}
