package io.github.ecsdeploy.standin.ecs;

import static io.github.ecsdeploy.standin.ecs.EcsJson.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.ecsdeploy.standin.ecs.EcsState.Cluster;
import io.github.ecsdeploy.standin.ecs.EcsState.Tag;
import java.util.List;

/** CreateCluster and DescribeClusters (API reference). */
final class ClusterApi extends EcsApi {

  ClusterApi(EcsState state, EcsRendering render) {
    super(state, render);
  }

  JsonNode createCluster(JsonNode req) {
    String name = text(req, "clusterName");
    if (name == null) {
      name = "default";
    }
    if (!NAME.matcher(name).matches()) {
      throw invalid("Cluster name can contain up to 255 letters (uppercase and lowercase), numbers, underscores,"
          + " and hyphens.");
    }
    List<Tag> tags = parseTags(req.get("tags"));
    Cluster c = state.clusters.get(name);
    if (c == null) {
      c = new Cluster(name, state.clusterArn(name));
      c.settings = req.has("settings") ? req.get("settings").deepCopy() : defaultClusterSettings();
      state.clusters.put(name, c);
    }
    mergeTags(c.tags, tags);
    ObjectNode out = NODES.objectNode();
    out.set("cluster", render.renderCluster(c, true));
    return out;
  }

  JsonNode describeClusters(JsonNode req) {
    List<String> names = strings(req.get("clusters"));
    if (names.isEmpty()) {
      names = List.of("default");
    }
    boolean tags = includes(req, "TAGS");
    ArrayNode found = NODES.arrayNode();
    ArrayNode failures = NODES.arrayNode();
    for (String ref : names) {
      Cluster c = state.clusters.get(state.clusterName(ref));
      if (c == null) {
        failures.add(failure(ref.startsWith("arn:") ? ref : state.clusterArn(ref), "MISSING"));
      } else {
        found.add(render.renderCluster(c, tags));
      }
    }
    return describeAnswer("clusters", found, failures);
  }

  private static ArrayNode defaultClusterSettings() {
    ArrayNode a = NODES.arrayNode();
    a.addObject().put("name", "containerInsights").put("value", "disabled");
    return a;
  }
}
