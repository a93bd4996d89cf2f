package io.github.ecsdeploy.taskdef;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionStatus;

class TaskDefinitionTransformerTest {

  /**
   * Pins the read-only members of the SDK model. When an SDK upgrade adds a member to TaskDefinition that the
   * register request lacks, this fails: decide whether it is read-only (add it here) or a writable member the
   * SDK models differently (then the transformer needs a rule), and never drop or send it silently.
   */
  @Test
  void readOnlyMembersArePinned() {
    assertEquals(
        new TreeSet<>(Set.of("taskDefinitionArn", "revision", "status", "requiresAttributes", "compatibilities",
            "registeredAt", "deregisteredAt", "deleteRequestedAt", "registeredBy")),
        new TreeSet<>(TaskDefinitionTransformer.readOnlyMembers()));
  }

  @Test
  void onlyTagsAreOnlyInTheRequest() {
    assertEquals(Set.of("tags"), TaskDefinitionTransformer.requestOnlyMembers());
  }

  @Test
  void sharedMembersHaveTheSameJavaTypeInBothModels() throws NoSuchMethodException {
    Set<String> readOnly = TaskDefinitionTransformer.readOnlyMembers();
    int shared = 0;
    for (SdkField<?> field : TaskDefinition.builder().sdkFields()) {
      if (readOnly.contains(field.memberName())) {
        continue;
      }
      String getter = Character.toLowerCase(field.memberName().charAt(0)) + field.memberName().substring(1);
      Method source = TaskDefinition.class.getMethod(getter);
      Method target = RegisterTaskDefinitionRequest.class.getMethod(getter);
      assertEquals(source.getGenericReturnType(), target.getGenericReturnType(), field.memberName());
      shared++;
    }
    assertTrue(shared >= 17, "shared members: " + shared);
  }

  @Test
  void everyWritableMemberIsCopiedAndReadOnlyOnesAreDropped() {
    TaskDefinition definition = TaskDefinition.builder()
        .taskDefinitionArn("arn:aws:ecs:eu-west-1:123456789012:task-definition/hello-app:3")
        .family("hello-app")
        .revision(3)
        .status(TaskDefinitionStatus.INACTIVE)
        .registeredAt(Instant.parse("2025-01-01T00:00:00Z"))
        .deregisteredAt(Instant.parse("2025-02-01T00:00:00Z"))
        .registeredBy("arn:aws:iam::123456789012:user/ci")
        .cpu("256")
        .memory("512")
        .pidMode("task")
        .ipcMode("none")
        .enableFaultInjection(true)
        .ephemeralStorage(e -> e.sizeInGiB(50))
        .containerDefinitions(ContainerDefinition.builder().name("app").image("old").build())
        .build();
    RegisterTaskDefinitionRequest request =
        TaskDefinitionTransformer.toRegisterRequest(definition, List.of(Tag.builder().key("a").value("b").build()));
    assertEquals("hello-app", request.family());
    assertEquals("256", request.cpu());
    assertEquals("512", request.memory());
    assertEquals("task", request.pidModeAsString());
    assertEquals("none", request.ipcModeAsString());
    assertEquals(true, request.enableFaultInjection());
    assertEquals(50, request.ephemeralStorage().sizeInGiB());
    assertEquals("old", request.containerDefinitions().get(0).image());
    assertEquals(List.of(Tag.builder().key("a").value("b").build()), request.tags());
    assertFalse(request.hasVolumes(), "an unset list stays unset");
  }

  @Test
  void noTagsAndOnlyReservedTagsSendNoTagList() {
    TaskDefinition definition = TaskDefinition.builder().family("f").build();
    assertFalse(TaskDefinitionTransformer.toRegisterRequest(definition, List.of()).hasTags());
    assertFalse(TaskDefinitionTransformer.toRegisterRequest(definition, null).hasTags());
    assertFalse(TaskDefinitionTransformer.toRegisterRequest(definition,
        List.of(Tag.builder().key("AWS:cloudformation:stack-id").value("x").build())).hasTags());
  }

  @Test
  void imageSwapChangesOnlyTheNamedContainer() {
    ContainerDefinition sidecar = ContainerDefinition.builder().name("agent").image("agent:7").cpu(64).build();
    ContainerDefinition app = ContainerDefinition.builder().name("app").image("app:1").cpu(0).essential(true).build();
    RegisterTaskDefinitionRequest request =
        RegisterTaskDefinitionRequest.builder().family("f").containerDefinitions(sidecar, app).build();

    RegisterTaskDefinitionRequest swapped = TaskDefinitionTransformer.withImage(request, "app", "app:2@sha256:ab");

    assertSame(sidecar, swapped.containerDefinitions().get(0));
    assertEquals(app.toBuilder().image("app:2@sha256:ab").build(), swapped.containerDefinitions().get(1));
    assertEquals("app:1", request.containerDefinitions().get(1).image(), "the input is not changed");
    assertThrows(IllegalArgumentException.class, () -> TaskDefinitionTransformer.withImage(request, "x", "i"));
  }
}
