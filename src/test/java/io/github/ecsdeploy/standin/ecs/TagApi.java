package io.github.ecsdeploy.standin.ecs;

import static io.github.ecsdeploy.standin.ecs.EcsJson.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.ecsdeploy.standin.ecs.EcsState.Tag;
import java.util.ArrayList;
import java.util.List;

/** TagResource and ListTagsForResource (API reference) for clusters, services, tasks and task definitions. */
final class TagApi {

  private final EcsState state;

  TagApi(EcsState state) {
    this.state = state;
  }

  JsonNode tagResource(JsonNode req) {
    List<Tag> target = state.tagsOf(text(req, "resourceArn"));
    JsonNode tags = req.get("tags");
    if (tags == null || !tags.isArray() || tags.isEmpty()) {
      throw invalid("Tags cannot be empty.");
    }
    List<Tag> given = parseTags(tags);
    List<Tag> merged = new ArrayList<>(target);
    mergeTags(merged, given);
    if (merged.size() > 50) {
      throw invalid("The maximum number of tags for a resource is 50.");
    }
    target.clear();
    target.addAll(merged);
    return NODES.objectNode();
  }

  JsonNode listTagsForResource(JsonNode req) {
    ObjectNode out = NODES.objectNode();
    out.set("tags", renderTags(state.tagsOf(text(req, "resourceArn"))));
    return out;
  }
}
