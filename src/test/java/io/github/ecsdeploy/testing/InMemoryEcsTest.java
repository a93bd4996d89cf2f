package io.github.ecsdeploy.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionField;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionStatus;

/** The test double itself: what it stores is what was registered, member by member. */
class InMemoryEcsTest {

  @Test
  void copiesEveryMemberOfTheRegisterRequestButTags() {
    Set<String> requestMembers = new TreeSet<>(names(RegisterTaskDefinitionRequest.builder().build()));
    requestMembers.remove("tags");

    assertEquals(requestMembers, new TreeSet<>(InMemoryEcs.REGISTER_MEMBERS_COPIED),
        "the SDK's RegisterTaskDefinitionRequest changed: copy the new member in InMemoryEcs.registerTaskDefinition");
  }

  @Test
  void storesEachCopiedMemberUnchanged() {
    RegisterTaskDefinitionRequest request = RegisterTaskDefinitionRequest.builder()
        .family("f")
        .taskRoleArn("arn:aws:iam::123456789012:role/task")
        .executionRoleArn("arn:aws:iam::123456789012:role/exec")
        .networkMode("awsvpc")
        .containerDefinitions(ContainerDefinition.builder().name("app").image("i").build())
        .volumes(v -> v.name("data"))
        .placementConstraints(p -> p.type("memberOf").expression("attribute:ecs.os-type == linux"))
        .requiresCompatibilitiesWithStrings("FARGATE")
        .cpu("256")
        .memory("512")
        .pidMode("task")
        .ipcMode("none")
        .proxyConfiguration(p -> p.type("APPMESH").containerName("envoy"))
        .inferenceAccelerators(a -> a.deviceName("d").deviceType("eia2.medium"))
        .ephemeralStorage(e -> e.sizeInGiB(30))
        .runtimePlatform(r -> r.cpuArchitecture("ARM64").operatingSystemFamily("LINUX"))
        .enableFaultInjection(true)
        .tags(Tag.builder().key("k").value("v").build())
        .build();
    InMemoryEcs ecs = new InMemoryEcs();

    TaskDefinition stored = ecs.registerTaskDefinition(request).taskDefinition();

    Map<String, Object> sent = values(request);
    Map<String, Object> kept = values(stored);
    for (String member : InMemoryEcs.REGISTER_MEMBERS_COPIED) {
      assertNotNull(sent.get(member), "the request in this test sets " + member);
      assertEquals(sent.get(member), kept.get(member), member);
    }
    assertEquals(1, stored.revision());
    assertEquals(TaskDefinitionStatus.ACTIVE, stored.status());
    assertEquals(List.of(Tag.builder().key("k").value("v").build()),
        ecs.describeTaskDefinition(r -> r.taskDefinition("f").include(TaskDefinitionField.TAGS)).tags());
  }

  private static List<String> names(SdkPojo pojo) {
    return pojo.sdkFields().stream().map(SdkField::locationName).toList();
  }

  private static Map<String, Object> values(SdkPojo pojo) {
    return pojo.sdkFields().stream().filter(f -> f.getValueOrDefault(pojo) != null)
        .collect(Collectors.toMap(SdkField::locationName, f -> (Object) f.getValueOrDefault(pojo),
            (a, b) -> a));
  }
}
