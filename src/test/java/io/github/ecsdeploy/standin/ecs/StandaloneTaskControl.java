package io.github.ecsdeploy.standin.ecs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The HTTP test control {@code POST /__standin/ecs/run-task-outcome} for a stand-in in another process (the
 * {@code src/it} builds): {@code {"family": "web", "exitCode": 1, "runForMillis": 2000, "neverStops": false,
 * "logLines": ["Migrating", "ERROR"]}} calls {@link EcsStandaloneTasks#setOutcome} (or
 * {@link EcsStandaloneTasks#setDefaultOutcome} without {@code family}); {@code {"clear": true}} calls
 * {@link EcsStandaloneTasks#clearOutcomes}.
 */
public final class StandaloneTaskControl {

  private static final ObjectMapper JSON = new ObjectMapper();

  private StandaloneTaskControl() {}

  /** Applies the control; returns the reason for a 400, or null. */
  public static String apply(EcsStandaloneTasks tasks, byte[] body) {
    JsonNode request;
    try {
      request = body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
    } catch (IOException e) {
      request = null;
    }
    if (request == null || !request.isObject()) {
      return "Body must be a JSON object";
    }
    if (request.path("clear").asBoolean(false)) {
      tasks.clearOutcomes();
      return null;
    }
    if (request.has("exitCode") && !request.get("exitCode").canConvertToInt()
        || request.has("runForMillis") && !request.get("runForMillis").canConvertToLong()
        || request.has("logLines") && !request.get("logLines").isArray()) {
      return "Body must be {\"family\": \"...\", \"exitCode\": 1, \"runForMillis\": 2000, \"neverStops\": false,"
          + " \"logLines\": [\"...\"]} (all optional)";
    }
    List<String> lines = new ArrayList<>();
    request.path("logLines").forEach(l -> lines.add(l.asText()));
    StandaloneTaskOutcome outcome = new StandaloneTaskOutcome(request.path("exitCode").asInt(0),
        Duration.ofMillis(request.path("runForMillis").asLong(1000)), request.path("neverStops").asBoolean(false),
        lines);
    if (request.path("family").isTextual()) {
      tasks.setOutcome(request.get("family").asText(), outcome);
    } else {
      tasks.setDefaultOutcome(outcome);
    }
    return null;
  }
}
