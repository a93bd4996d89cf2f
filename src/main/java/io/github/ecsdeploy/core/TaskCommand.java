package io.github.ecsdeploy.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;

/**
 * The command override of {@code ecs:run-task} ({@code <runTaskCommand>} / {@code -Decs.runTask.command}), split
 * into the argument list that RunTask's {@code containerOverrides[].command} takes (the exec form of Docker's
 * CMD: no shell runs it).
 *
 * <p>Two spellings: a JSON array of strings ({@code ["sh", "-c", "flyway migrate && echo done"]}), exactly the
 * argument list, for arguments with spaces or quotes; anything else is split at whitespace
 * ({@code flyway migrate -X} becomes {@code ["flyway", "migrate", "-X"]}), with no quoting rules, so it never
 * guesses what a quote meant. Blank means no override: the task definition's command runs.
 */
public final class TaskCommand {

  /** The parameter, in both spellings. */
  public static final Param PARAM = new Param("runTaskCommand", "ecs.runTask.command");

  private static final ObjectMapper JSON = new ObjectMapper();

  private TaskCommand() {}

  /**
   * Splits the command.
   *
   * @return the arguments; empty for {@code null} or blank
   * @throws UserInputException for a JSON array that is not an array of strings
   */
  public static List<String> parse(String command) {
    if (command == null || command.isBlank()) {
      return List.of();
    }
    String text = command.strip();
    if (!text.startsWith("[")) {
      return List.of(text.split("\\s+"));
    }
    JsonNode array;
    try {
      array = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new UserInputException(PARAM, PARAM.both() + " starts with '[' but is not a JSON array of strings ("
          + e.getOriginalMessage() + "): " + text + ". Write it as [\"flyway\", \"migrate\"], or without brackets"
          + " to split it at spaces. Nothing was changed.", e);
    }
    List<String> args = new ArrayList<>();
    for (JsonNode element : array) {
      if (!element.isTextual()) {
        throw new UserInputException(PARAM, PARAM.both() + " must be a JSON array of strings; " + element
            + " is not a string: " + text + ". Quote every argument, e.g. [\"sleep\", \"5\"]. Nothing was changed.");
      }
      args.add(element.asText());
    }
    if (!array.isArray() || args.isEmpty()) {
      throw new UserInputException(PARAM, PARAM.both() + " is an empty or malformed JSON array: " + text
          + ". Give at least one argument, or leave it unset to run the task definition's command. Nothing was"
          + " changed.");
    }
    return List.copyOf(args);
  }
}
