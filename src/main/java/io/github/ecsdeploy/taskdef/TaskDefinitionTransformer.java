package io.github.ecsdeploy.taskdef;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;

/**
 * Turns a described {@link TaskDefinition} into the {@link RegisterTaskDefinitionRequest} that registers the
 * same definition again, and swaps the image of one container.
 *
 * <p>Every member the two SDK models share is copied, found by name in the SDK's own field metadata
 * ({@code sdkFields()}), never from a hand-kept list: a writable member added by a future SDK (as
 * {@code enableFaultInjection} was) is carried over by an SDK upgrade alone. Members only in
 * {@code TaskDefinition} (ARN, revision, status, timestamps, ...) are the read-only ones ECS sets itself; they
 * are dropped. The tags come from the describe response, not the definition, without the {@code aws:} tags
 * that only AWS may set.
 */
public final class TaskDefinitionTransformer {

  private static final Map<String, SdkField<?>> SOURCE_FIELDS =
      byMemberName(TaskDefinition.builder().sdkFields());
  private static final Map<String, SdkField<?>> TARGET_FIELDS =
      byMemberName(RegisterTaskDefinitionRequest.builder().sdkFields());

  private TaskDefinitionTransformer() {}

  /**
   * The request that registers {@code definition} again with {@code tags}.
   *
   * @param definition a described (or read from a file) task definition
   * @param tags the task definition's tags from the describe response; {@code null} or empty sends none, since
   *     ECS rejects an empty tag list; reserved {@code aws:} tags are left out
   */
  public static RegisterTaskDefinitionRequest toRegisterRequest(TaskDefinition definition, Collection<Tag> tags) {
    RegisterTaskDefinitionRequest.Builder request = RegisterTaskDefinitionRequest.builder();
    for (SdkField<?> source : SOURCE_FIELDS.values()) {
      SdkField<?> target = TARGET_FIELDS.get(source.memberName());
      if (target == null) {
        continue;
      }
      if (target.marshallingType() != source.marshallingType()) {
        throw new IllegalStateException("The SDK models disagree on the type of " + source.memberName()
            + ": TaskDefinition has " + source.marshallingType() + ", RegisterTaskDefinitionRequest has "
            + target.marshallingType());
      }
      Object value = source.getValueOrDefault(definition);
      if (value != null) {
        target.set(request, value);
      }
    }
    List<Tag> writable = tags == null ? List.of() : tags.stream().filter(t -> !isReserved(t)).toList();
    request.tags(writable.isEmpty() ? null : writable);
    return request.build();
  }

  /**
   * Whether ECS manages this tag itself: keys starting with {@code aws:} (any case), such as
   * {@code aws:cloudformation:stack-name}, are returned by describe but refused by register.
   */
  public static boolean isReserved(Tag tag) {
    return tag.key() != null && tag.key().regionMatches(true, 0, "aws:", 0, 4);
  }

  /** Members of {@code TaskDefinition} that the register request does not have: the read-only ones. */
  public static Set<String> readOnlyMembers() {
    Set<String> readOnly = new LinkedHashSet<>(SOURCE_FIELDS.keySet());
    readOnly.removeAll(TARGET_FIELDS.keySet());
    return readOnly;
  }

  /** Members of the register request that {@code TaskDefinition} does not have (today only {@code tags}). */
  public static Set<String> requestOnlyMembers() {
    Set<String> requestOnly = new LinkedHashSet<>(TARGET_FIELDS.keySet());
    requestOnly.removeAll(SOURCE_FIELDS.keySet());
    return requestOnly;
  }

  /**
   * The same request with the image of container {@code containerName} replaced by {@code image}; every other
   * container and member is left exactly as it was.
   *
   * @throws IllegalArgumentException if no container has that name (select it with {@code ContainerSelector})
   */
  public static RegisterTaskDefinitionRequest withImage(
      RegisterTaskDefinitionRequest request, String containerName, String image) {
    List<ContainerDefinition> containers = new ArrayList<>(request.containerDefinitions().size());
    boolean found = false;
    for (ContainerDefinition container : request.containerDefinitions()) {
      if (containerName.equals(container.name())) {
        containers.add(container.toBuilder().image(image).build());
        found = true;
      } else {
        containers.add(container);
      }
    }
    if (!found) {
      throw new IllegalArgumentException("No container named " + containerName + " in " + request.family());
    }
    return request.toBuilder().containerDefinitions(containers).build();
  }

  private static Map<String, SdkField<?>> byMemberName(List<SdkField<?>> fields) {
    Map<String, SdkField<?>> map = new LinkedHashMap<>();
    for (SdkField<?> field : fields) {
      map.put(field.memberName(), field);
    }
    return map;
  }
}
