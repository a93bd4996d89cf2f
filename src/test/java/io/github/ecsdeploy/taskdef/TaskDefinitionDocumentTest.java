package io.github.ecsdeploy.taskdef;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionStatus;

class TaskDefinitionDocumentTest {

  private static SdkJsonException failure(String json) {
    return assertThrows(SdkJsonException.class, () -> TaskDefinitionDocument.parse(json));
  }

  @Test
  void unknownMemberInTheSecondContainerIsNamedByPath() {
    SdkJsonException e = failure("""
        {"family": "f", "containerDefinitions": [{"name": "a", "image": "x"}, {"name": "b", "imagee": "y"}]}""");
    assertEquals("containerDefinitions[1].imagee", e.path());
    assertEquals("containerDefinitions[1].imagee: unknown field (did you mean image?)", e.getMessage());
  }

  @Test
  void unknownMemberInsideDescribeOutputIncludesTheTaskDefinitionPrefix() {
    SdkJsonException e = failure("""
        {"taskDefinition": {"family": "f", "containerDefinitions": [{"name": "a", "healthCheck":
          {"command": ["CMD"], "intervall": 5}}]}, "tags": []}""");
    assertEquals("taskDefinition.containerDefinitions[0].healthCheck.intervall", e.path());
    assertTrue(e.getMessage().startsWith("taskDefinition.containerDefinitions[0].healthCheck.intervall: unknown"));
  }

  @Test
  void unknownTopLevelMembersOfBothShapes() {
    assertEquals("familyy", failure("{\"familyy\": \"f\"}").path());
    assertEquals("ResponseMetadata", failure("{\"taskDefinition\": {}, \"ResponseMetadata\": {}}").path());
  }

  @Test
  void unknownMemberInAListOfStructuresInsideAMapValueAndATag() {
    assertEquals("volumes[0].efsVolumeConfiguration.authorizationConfig.accessPoint", failure("""
        {"family": "f", "volumes": [{"name": "v", "efsVolumeConfiguration": {"fileSystemId": "fs-1",
          "authorizationConfig": {"accessPoint": "fsap-1"}}}]}""").path());
    assertEquals("tags[1].Key", failure("""
        {"family": "f", "tags": [{"key": "a", "value": "b"}, {"Key": "c", "Value": "d"}]}""").path());
  }

  @Test
  void wrongTypesAreNamedByPath() {
    SdkJsonException memory = failure("{\"family\": \"f\", \"containerDefinitions\": [{\"memory\": \"512\"}]}");
    assertEquals("containerDefinitions[0].memory: expected an integer, got the string \"512\"", memory.getMessage());
    SdkJsonException label = failure("""
        {"family": "f", "containerDefinitions": [{"dockerLabels": {"com.example.port": 8080}}]}""");
    assertEquals("containerDefinitions[0].dockerLabels[\"com.example.port\"]", label.path());
    assertEquals("cpu", failure("{\"family\": \"f\", \"cpu\": 256}").path(), "task cpu is a string in the ECS model");
    assertEquals("containerDefinitions", failure("{\"containerDefinitions\": {}}").path());
    assertEquals("registeredAt", failure("{\"family\": \"f\", \"registeredAt\": \"yesterday\"}").path());
  }

  @Test
  void familyIsRequiredInBothShapes() {
    assertEquals("family: missing; every task definition needs a family",
        failure("{\"containerDefinitions\": []}").getMessage());
    assertEquals("taskDefinition.family", failure("{\"taskDefinition\": {\"cpu\": \"256\"}}").path());
    assertEquals("taskDefinition", failure("{\"taskDefinition\": null}").path());
  }

  @Test
  void invalidJsonIsReportedWithItsPosition() {
    SdkJsonException e = failure("{\"family\": \"f\",\n  }");
    assertTrue(e.getMessage().contains("line 2"), e.getMessage());
  }

  @Test
  void readsTimestampsInCliAndWireFormatAndTagsOfTheRegisterShape() {
    TaskDefinitionDocument cli = TaskDefinitionDocument.parse("""
        {"family": "f", "status": "INACTIVE", "registeredAt": "2025-10-02T09:41:07.512000+00:00",
         "tags": [{"key": "a", "value": "b"}]}""");
    assertEquals(Instant.parse("2025-10-02T09:41:07.512Z"), cli.taskDefinition().registeredAt());
    assertEquals(TaskDefinitionStatus.INACTIVE, cli.taskDefinition().status());
    assertEquals(List.of(Tag.builder().key("a").value("b").build()), cli.tags());
    TaskDefinitionDocument wire =
        TaskDefinitionDocument.parse("{\"taskDefinition\": {\"family\": \"f\", \"registeredAt\": 1759398067.512}}");
    assertEquals(Instant.parse("2025-10-02T09:41:07.512Z"), wire.taskDefinition().registeredAt());
  }

  @Test
  void epochSecondsKeepEveryDigitOfTheirFraction() {
    // 19 significant digits: more than a double holds, so reading them through one lost the last nanoseconds.
    TaskDefinitionDocument wire = TaskDefinitionDocument.parse(
        "{\"taskDefinition\": {\"family\": \"f\", \"registeredAt\": 1759398067.123456789}}");
    assertEquals(Instant.parse("2025-10-02T09:41:07.123456789Z"), wire.taskDefinition().registeredAt());
  }

  @Test
  void aNumberWithAFractionWhereAnIntegerBelongsIsShownAsWritten() {
    SdkJsonException e = assertThrows(SdkJsonException.class, () -> TaskDefinitionDocument.parse(
        "{\"family\": \"f\", \"containerDefinitions\": [{\"name\": \"a\", \"cpu\": 256.0}]}"));
    assertEquals("containerDefinitions[0].cpu: expected an integer, got 256.0", e.getMessage());
  }

  @Test
  void writerAndReaderRoundTrip() {
    TaskDefinitionDocument document = new TaskDefinitionDocument(TaskDefinition.builder()
        .family("f")
        .revision(2)
        .registeredAt(Instant.parse("2025-01-01T00:00:00.5Z"))
        .containerDefinitions(c -> c.name("app").image("i").dockerLabels(java.util.Map.of("k", "v"))
            .healthCheck(h -> h.command("CMD", "true").interval(5)))
        .build(), List.of(Tag.builder().key("a").value("b").build()));
    assertEquals(document, TaskDefinitionDocument.parse(document.toJson()));
  }
}
