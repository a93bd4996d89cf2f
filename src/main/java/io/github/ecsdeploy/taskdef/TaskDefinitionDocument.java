package io.github.ecsdeploy.taskdef;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.services.ecs.model.DescribeTaskDefinitionResponse;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;

/**
 * A task definition with its tags, read from JSON through the SDK's typed model. Two shapes are accepted:
 * <ul>
 *   <li>the {@code describe-task-definition} output, {@code {"taskDefinition": {...}, "tags": [...]}};
 *   <li>the {@code register-task-definition} input shape ({@code family}, {@code containerDefinitions}, ...,
 *       {@code tags}). Read-only members of a described definition ({@code revision}, {@code status}, ...) are
 *       accepted there too, since {@code describe-task-definition --query taskDefinition} is a common way to
 *       make such a file; they are dropped when the request is built.
 * </ul>
 * Every member is checked against the SDK model; an unknown member fails with its JSON path.
 *
 * @param taskDefinition the definition
 * @param tags its tags; empty when it has none
 */
public record TaskDefinitionDocument(TaskDefinition taskDefinition, List<Tag> tags) {

  // Decimals are read as BigDecimal, not double: epoch-second timestamps carry nanoseconds (19 digits), and a
  // double keeps about 16, so 1759398067.123456789 came back as .123456700.
  private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      // ...and kept as written, so a message about "cpu": 256.0 shows 256.0, not 256.
      .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);
  private static final String TAGS = "tags";
  private static final String TASK_DEFINITION = "taskDefinition";

  public TaskDefinitionDocument {
    Objects.requireNonNull(taskDefinition, "taskDefinition");
    tags = tags == null ? List.of() : List.copyOf(tags);
  }

  /**
   * Reads a document from JSON text.
   *
   * @throws SdkJsonException when the text is not JSON, or a member is unknown or of the wrong type (with its
   *     JSON path)
   */
  public static TaskDefinitionDocument parse(String json) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new SdkJsonException("", "not valid JSON: " + e.getOriginalMessage() + " at line "
          + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr());
    }
    if (root == null || root.isMissingNode()) {
      throw new SdkJsonException("", "the document is empty");
    }
    return fromTree(root);
  }

  /** Reads a document from a parsed JSON tree; see {@link #parse(String)}. */
  public static TaskDefinitionDocument fromTree(JsonNode root) {
    if (!root.isObject()) {
      throw new SdkJsonException("", "expected an object, a task definition or describe-task-definition output");
    }
    if (root.has(TASK_DEFINITION)) {
      DescribeTaskDefinitionResponse described =
          SdkJson.readInto(DescribeTaskDefinitionResponse.builder(), root, "").build();
      if (described.taskDefinition() == null) {
        throw new SdkJsonException(TASK_DEFINITION, "expected an object, got null");
      }
      requireFamily(described.taskDefinition(), TASK_DEFINITION + ".family");
      return new TaskDefinitionDocument(described.taskDefinition(), described.hasTags() ? described.tags() : null);
    }
    ObjectNode definition = ((ObjectNode) root).deepCopy();
    JsonNode tagsNode = definition.remove(TAGS);
    TaskDefinition taskDefinition = SdkJson.readInto(TaskDefinition.builder(), definition, "").build();
    requireFamily(taskDefinition, "family");
    List<Tag> tags = null;
    if (tagsNode != null && !tagsNode.isNull()) {
      SdkField<?> tagsField = RegisterTaskDefinitionRequest.builder().sdkFieldNameToField().get(TAGS);
      @SuppressWarnings("unchecked")
      List<Tag> read = (List<Tag>) SdkJson.readValue(tagsField, tagsNode, TAGS);
      tags = read;
    }
    return new TaskDefinitionDocument(taskDefinition, tags);
  }

  private static void requireFamily(TaskDefinition definition, String path) {
    if (definition.family() == null || definition.family().isBlank()) {
      throw new SdkJsonException(path, "missing; every task definition needs a family");
    }
  }

  /** The request that registers this definition with its tags (read-only members dropped). */
  public RegisterTaskDefinitionRequest toRegisterRequest() {
    return TaskDefinitionTransformer.toRegisterRequest(taskDefinition, tags);
  }

  /** {@code request} as pretty-printed JSON in the register input shape, e.g. for debug output. */
  public static String toJson(RegisterTaskDefinitionRequest request) {
    return pretty(SdkJson.write(request));
  }

  /** This document in the describe-task-definition output shape. */
  public String toJson() {
    ObjectNode root = MAPPER.createObjectNode();
    root.set(TASK_DEFINITION, SdkJson.write(taskDefinition));
    if (!tags.isEmpty()) {
      root.set(TAGS, SdkJson.write(DescribeTaskDefinitionResponse.builder().tags(tags).build()).get(TAGS));
    }
    return pretty(root);
  }

  private static String pretty(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot write JSON", e);
    }
  }
}
