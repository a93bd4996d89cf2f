package io.github.ecsdeploy.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import com.github.difflib.patch.Patch;
import io.github.ecsdeploy.taskdef.SdkJson;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;

/**
 * The unified diff a dry run of register-task-def prints: the template revision as a register request against
 * the request that would be registered, both as indented JSON (java-diff-utils computes the diff), with the
 * whole definition as context. Environment
 * values and secrets' {@code valueFrom} are masked unless asked for: build logs are read more widely than task
 * definitions. A masked value that differs between the two is shown as {@code (masked, changed)}, so the diff
 * still says that it changed.
 */
public final class TaskDefinitionDiff {

  static final String MASKED = "(masked)";
  static final String MASKED_CHANGED = "(masked, changed)";

  private TaskDefinitionDiff() {}

  /**
   * @param fromName the label of the left side, e.g. {@code hello-app:6}
   * @param toName the label of the right side
   * @return the unified diff with the whole definition as context, or a line saying there is no difference
   */
  public static String unified(String fromName, String toName, RegisterTaskDefinitionRequest from,
      RegisterTaskDefinitionRequest to, boolean showValues) {
    ObjectNode left = SdkJson.write(from);
    ObjectNode right = SdkJson.write(to);
    if (!showValues) {
      Map<String, String> before = values(left);
      mask(left, before);
      mask(right, before);
    }
    List<String> a = left.toPrettyString().lines().toList();
    List<String> b = right.toPrettyString().lines().toList();
    Patch<String> patch = DiffUtils.diff(a, b);
    if (patch.getDeltas().isEmpty()) {
      return "(no difference)";
    }
    // The whole definition as context: a dry run is read to review what would run, not only what changed.
    return String.join("\n", UnifiedDiffUtils.generateUnifiedDiff(fromName, toName, a, patch,
        Math.max(a.size(), b.size())));
  }

  /** container/env/name and container/secret/name to the value (the left side's), for "changed". */
  private static Map<String, String> values(ObjectNode json) {
    Map<String, String> values = new HashMap<>();
    forEachSecret(json, (key, node, field) -> values.put(key, node.path(field).asText()));
    return values;
  }

  private static void mask(ObjectNode json, Map<String, String> before) {
    forEachSecret(json, (key, node, field) -> node.put(field,
        !before.containsKey(key) || Objects.equals(before.get(key), node.path(field).asText()) ? MASKED
            : MASKED_CHANGED));
  }

  private interface Visitor {
    void visit(String key, ObjectNode node, String field);
  }

  private static void forEachSecret(ObjectNode json, Visitor visitor) {
    for (JsonNode container : json.path("containerDefinitions")) {
      String name = container.path("name").asText();
      for (JsonNode variable : container.path("environment")) {
        if (variable.has("value")) {
          visitor.visit(name + "/env/" + variable.path("name").asText(), (ObjectNode) variable, "value");
        }
      }
      for (JsonNode secret : container.path("secrets")) {
        if (secret.has("valueFrom")) {
          visitor.visit(name + "/secret/" + secret.path("name").asText(), (ObjectNode) secret, "valueFrom");
        }
      }
    }
  }
}
