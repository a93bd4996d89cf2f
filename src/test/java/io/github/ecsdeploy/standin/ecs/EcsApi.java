package io.github.ecsdeploy.standin.ecs;

import static io.github.ecsdeploy.standin.ecs.EcsJson.NODES;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What the ECS API areas share: the state they read and change, and how they render it. A Describe* answer lists
 * what was found under its own member and what was not under {@code failures} (reason {@code MISSING}), in one
 * response, as the API reference shows for DescribeClusters, DescribeServices and DescribeTasks.
 */
abstract class EcsApi {

  final EcsState state;
  final EcsRendering render;

  EcsApi(EcsState state, EcsRendering render) {
    this.state = state;
    this.render = render;
  }

  /** {@code {"<member>": found, "failures": failures}}. */
  static ObjectNode describeAnswer(String member, ArrayNode found, ArrayNode failures) {
    ObjectNode out = NODES.objectNode();
    out.set(member, found);
    out.set("failures", failures);
    return out;
  }
}
