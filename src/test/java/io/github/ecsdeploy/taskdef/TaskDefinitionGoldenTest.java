package io.github.ecsdeploy.taskdef;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ecsdeploy.core.ContainerSelector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;

/**
 * Golden files under {@code src/test/resources/taskdef/<case>/}: {@code input.json} (a describe output or a
 * register-input file) read, transformed and given this build's image must equal {@code expected.json}, the
 * register request. The expected files were written from the inputs by hand: the read-only members deleted and
 * the image set, AWS's own {@code aws:} tags dropped. {@link #expectedFilesAreTheInputsLessAHandListOfReadOnlyMembers} checks that derivation with plain
 * JSON operations and a hand-written list, independent of the SDK metadata the transformer copies by.
 */
class TaskDefinitionGoldenTest {

  static final String REGISTRY = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";
  static final String REPOSITORY = "hello-app";
  static final String IMAGE = REGISTRY + "/" + REPOSITORY
      + ":v1.4.0@sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Path ROOT = Paths.get("src/test/resources/taskdef");

  static Stream<String> cases() throws IOException {
    try (Stream<Path> dirs = Files.list(ROOT)) {
      return dirs.filter(d -> Files.exists(d.resolve("input.json")))
          .map(d -> d.getFileName().toString())
          .sorted()
          .toList()
          .stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void registerRequestMatchesGoldenFile(String name) throws IOException {
    Path dir = ROOT.resolve(name);
    TaskDefinitionDocument document = TaskDefinitionDocument.parse(Files.readString(dir.resolve("input.json")));
    RegisterTaskDefinitionRequest request = document.toRegisterRequest();
    String container = ContainerSelector.select(request.family(), request.containerDefinitions(), null, REGISTRY,
        REPOSITORY);
    request = TaskDefinitionTransformer.withImage(request, container, IMAGE);

    JsonNode actual = MAPPER.readTree(TaskDefinitionDocument.toJson(request));
    JsonNode expected = MAPPER.readTree(Files.readString(dir.resolve("expected.json")));
    assertEquals(MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(expected),
        MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(sortedLike(actual, expected)), name);
  }

  /** The members of a described TaskDefinition that RegisterTaskDefinition does not take, from the API reference. */
  private static final List<String> READ_ONLY = List.of("taskDefinitionArn", "revision", "status",
      "requiresAttributes", "compatibilities", "registeredAt", "deregisteredAt", "deleteRequestedAt", "registeredBy");

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void expectedFilesAreTheInputsLessAHandListOfReadOnlyMembers(String name) throws IOException {
    Path dir = ROOT.resolve(name);
    JsonNode input = MAPPER.readTree(Files.readString(dir.resolve("input.json")));
    var definition = (com.fasterxml.jackson.databind.node.ObjectNode) (input.has("taskDefinition")
        ? input.get("taskDefinition").deepCopy() : input.deepCopy());
    if (input.has("taskDefinition") && input.path("tags").size() > 0) {
      definition.set("tags", input.get("tags"));
    }
    // Keys starting with aws: are AWS's own (e.g. CloudFormation's); a user may not set them.
    if (definition.has("tags")) {
      var userTags = MAPPER.createArrayNode();
      definition.get("tags").forEach(t -> {
        if (!t.path("key").asText().startsWith("aws:")) {
          userTags.add(t);
        }
      });
      definition.set("tags", userTags);
    }
    READ_ONLY.forEach(definition::remove);
    JsonNode containers = definition.path("containerDefinitions");
    for (JsonNode container : containers) {
      boolean ours = containers.size() == 1 || container.path("image").asText().startsWith(REGISTRY + "/" + REPOSITORY);
      if (ours) {
        ((com.fasterxml.jackson.databind.node.ObjectNode) container).put("image", IMAGE);
      }
    }
    JsonNode expected = MAPPER.readTree(Files.readString(dir.resolve("expected.json")));
    assertEquals(MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(expected),
        MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(sortedLike(definition, expected)), name);
  }

  @Test
  void everyCaseHasAnExpectedFileAndNoneIsMissing() throws IOException {
    List<String> names = cases().toList();
    assertTrue(names.containsAll(List.of("describe-inactive-all-readonly", "sidecar-first",
        "fargate-ephemeral-runtime", "ec2-placement-efs", "secrets-dependson-healthcheck", "firelens-tags",
        "bare-definition-no-tags")), names.toString());
    for (String name : names) {
      assertTrue(Files.exists(ROOT.resolve(name).resolve("expected.json")), name + " has no expected.json");
    }
  }

  /** {@code actual} with object members in {@code expected}'s order, so a failure diff shows only real changes. */
  private static JsonNode sortedLike(JsonNode actual, JsonNode expected) {
    if (actual.isObject() && expected.isObject()) {
      var out = MAPPER.createObjectNode();
      expected.fieldNames().forEachRemaining(f -> {
        if (actual.has(f)) {
          out.set(f, sortedLike(actual.get(f), expected.get(f)));
        }
      });
      actual.fieldNames().forEachRemaining(f -> {
        if (!out.has(f)) {
          out.set(f, actual.get(f));
        }
      });
      return out;
    }
    if (actual.isArray() && expected.isArray()) {
      var out = MAPPER.createArrayNode();
      for (int i = 0; i < actual.size(); i++) {
        out.add(i < expected.size() ? sortedLike(actual.get(i), expected.get(i)) : actual.get(i));
      }
      return out;
    }
    return actual;
  }
}
