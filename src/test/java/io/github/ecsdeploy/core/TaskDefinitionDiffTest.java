package io.github.ecsdeploy.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.Secret;

class TaskDefinitionDiffTest {

  private static RegisterTaskDefinitionRequest request(String image, String password, String secretArn) {
    return RegisterTaskDefinitionRequest.builder().family("hello-app").containerDefinitions(
            ContainerDefinition.builder().name("app").image(image)
                .environment(KeyValuePair.builder().name("DB_PASSWORD").value(password).build(),
                    KeyValuePair.builder().name("MODE").value("prod").build())
                .secrets(Secret.builder().name("API_KEY").valueFrom(secretArn).build())
                .build())
        .build();
  }

  @Test
  void theImageChangeIsAUnifiedDiffWithValuesMasked() {
    String diff = TaskDefinitionDiff.unified("hello-app:6", "request",
        request("app:v1", "hunter2", "arn:secret-1"), request("app:v2", "hunter2", "arn:secret-1"), false);

    List<String> lines = diff.lines().toList();
    assertEquals("--- hello-app:6", lines.get(0));
    assertEquals("+++ request", lines.get(1));
    assertTrue(lines.get(2).startsWith("@@ "), diff);
    assertTrue(lines.contains("-    \"image\" : \"app:v1\","), diff);
    assertTrue(lines.contains("+    \"image\" : \"app:v2\","), diff);
    assertTrue(lines.contains("       \"value\" : \"(masked)\""), "the whole definition is the context: " + diff);
    assertTrue(lines.contains("       \"valueFrom\" : \"(masked)\""), diff);
    assertFalse(diff.contains("hunter2"), diff);
    assertFalse(diff.contains("arn:secret-1"), diff);
  }

  @Test
  void aChangedMaskedValueIsShownAsChangedWithoutTheValues() {
    String diff = TaskDefinitionDiff.unified("a", "b", request("app:v1", "old-pw", "arn:secret-1"),
        request("app:v1", "new-pw", "arn:secret-2"), false);

    assertTrue(diff.contains("-      \"value\" : \"(masked)\""), diff);
    assertTrue(diff.contains("+      \"value\" : \"(masked, changed)\""), diff);
    assertTrue(diff.contains("+      \"valueFrom\" : \"(masked, changed)\""), diff);
    assertFalse(diff.contains("old-pw") || diff.contains("new-pw") || diff.contains("arn:secret"), diff);
  }

  @Test
  void showValuesShowsThem() {
    String diff = TaskDefinitionDiff.unified("a", "b", request("app:v1", "old-pw", "arn:secret-1"),
        request("app:v1", "new-pw", "arn:secret-1"), true);

    assertTrue(diff.contains("-      \"value\" : \"old-pw\""), diff);
    assertTrue(diff.contains("+      \"value\" : \"new-pw\""), diff);
  }

  @Test
  void noChangeSaysSo() {
    RegisterTaskDefinitionRequest same = request("app:v1", "pw", "arn:s");
    assertEquals("(no difference)", TaskDefinitionDiff.unified("a", "b", same, same, false));
  }
}
