package io.github.ecsdeploy.standin.ecs;

import static io.github.ecsdeploy.standin.ecs.EcsJson.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.ecsdeploy.standin.ecs.EcsState.Tag;
import io.github.ecsdeploy.standin.ecs.EcsState.TaskDef;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * RegisterTaskDefinition, DescribeTaskDefinition, ListTaskDefinitions and DeregisterTaskDefinition (API
 * reference), with the defaults ECS fills in and the validation it applies.
 */
final class TaskDefinitionApi {

  private final EcsState state;

  TaskDefinitionApi(EcsState state) {
    this.state = state;
  }

  JsonNode registerTaskDefinition(JsonNode req, Instant now) {
    String family = text(req, "family");
    if (family == null || family.isBlank()) {
      throw client("Family can not be blank.");
    }
    if (!NAME.matcher(family).matches()) {
      throw client("Family contains invalid characters.");
    }
    JsonNode containers = req.get("containerDefinitions");
    if (containers == null || !containers.isArray() || containers.isEmpty()) {
      throw client("Container list cannot be empty.");
    }
    String networkMode = text(req, "networkMode");
    if (networkMode != null && !Set.of("bridge", "host", "awsvpc", "none").contains(networkMode)) {
      throw client("Invalid networkMode: " + networkMode + ". Valid values are bridge, host, awsvpc and none.");
    }
    String cpu = normalizeCpu(text(req, "cpu"));
    String memory = normalizeMemory(text(req, "memory"));
    Set<String> containerNames = new LinkedHashSet<>();
    for (JsonNode cd : containers) {
      String name = text(cd, "name");
      if (name == null || name.isEmpty()) {
        throw client("Container.name should not be null or empty.");
      }
      if (!NAME.matcher(name).matches()) {
        throw client("Container.name contains invalid characters.");
      }
      if (!containerNames.add(name)) {
        throw client("Duplicate container names are not allowed: " + name);
      }
      String image = text(cd, "image");
      if (image == null || image.isEmpty()) {
        throw client("Container.image should not be null or empty.");
      }
      if (memory == null && !cd.hasNonNull("memory") && !cd.hasNonNull("memoryReservation")) {
        throw client("Invalid setting for container '" + name
            + "'. At least one of 'memory' or 'memoryReservation' must be specified.");
      }
    }
    List<String> requires = strings(req.get("requiresCompatibilities"));
    if (requires.contains("FARGATE")) {
      if (!"awsvpc".equals(networkMode)) {
        throw client("Fargate only supports network mode \u2018awsvpc\u2019.");
      }
      if (cpu == null) {
        throw client("Fargate requires that 'cpu' be defined at the task level.");
      }
      if (memory == null) {
        throw client("Fargate requires that 'memory' be defined at the task level.");
      }
      if (!validFargate(cpu, memory)) {
        throw client("No Fargate configuration exists for given values: " + cpu + " CPU, " + memory
            + " memory. See the Amazon ECS documentation for the valid values.");
      }
    }
    List<Tag> tags = parseTags(req.get("tags"));

    List<TaskDef> revisions = state.families.computeIfAbsent(family, f -> new ArrayList<>());
    int revision = revisions.size() + 1;
    String arn = state.arn("task-definition/" + family + ":" + revision);

    ObjectNode td = NODES.objectNode();
    td.put("taskDefinitionArn", arn);
    ArrayNode cds = td.putArray("containerDefinitions");
    for (JsonNode cd : containers) {
      cds.add(withContainerDefaults((ObjectNode) cd.deepCopy(), networkMode));
    }
    td.put("family", family);
    Iterator<Map.Entry<String, JsonNode>> fields = req.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> e = fields.next();
      if (!Set.of("containerDefinitions", "family", "tags").contains(e.getKey()) && !e.getValue().isNull()) {
        td.set(e.getKey(), e.getValue().deepCopy());
      }
    }
    if (cpu != null) {
      td.put("cpu", cpu);
    }
    if (memory != null) {
      td.put("memory", memory);
    }
    td.put("revision", revision);
    if (!td.has("volumes")) {
      td.set("volumes", NODES.arrayNode());
    }
    td.put("status", "ACTIVE");
    td.set("requiresAttributes", requiresAttributes(td));
    if (!td.has("placementConstraints")) {
      td.set("placementConstraints", NODES.arrayNode());
    }
    ArrayNode compat = td.putArray("compatibilities");
    compat.add("EC2");
    if ("awsvpc".equals(networkMode) && cpu != null && memory != null && validFargate(cpu, memory)) {
      compat.add("FARGATE");
    }
    td.set("registeredAt", timestamp(now));
    td.put("registeredBy", "arn:aws:iam::" + state.accountId + ":root");

    TaskDef def = new TaskDef(family, revision, arn, td);
    def.tags.addAll(tags);
    revisions.add(def);

    ObjectNode out = NODES.objectNode();
    out.set("taskDefinition", def.render());
    if (!tags.isEmpty()) {
      out.set("tags", renderTags(def.tags));
    }
    return out;
  }

  private static ObjectNode withContainerDefaults(ObjectNode cd, String networkMode) {
    if (!cd.has("cpu")) {
      cd.put("cpu", 0);
    }
    if (!cd.has("portMappings")) {
      cd.set("portMappings", NODES.arrayNode());
    } else {
      for (JsonNode pm : cd.get("portMappings")) {
        if (pm instanceof ObjectNode o) {
          if ("awsvpc".equals(networkMode) && o.has("containerPort") && !o.has("hostPort")) {
            o.set("hostPort", o.get("containerPort"));
          }
          if (!o.has("protocol")) {
            o.put("protocol", "tcp");
          }
        }
      }
    }
    if (!cd.has("essential")) {
      cd.put("essential", true);
    }
    for (String list : List.of("environment", "mountPoints", "volumesFrom")) {
      if (!cd.has(list)) {
        cd.set(list, NODES.arrayNode());
      }
    }
    return cd;
  }

  private static ArrayNode requiresAttributes(ObjectNode td) {
    Set<String> names = new LinkedHashSet<>();
    names.add("com.amazonaws.ecs.capability.docker-remote-api.1.18");
    boolean executionRole = td.hasNonNull("executionRoleArn");
    for (JsonNode cd : td.get("containerDefinitions")) {
      JsonNode log = cd.get("logConfiguration");
      if (log != null && "awslogs".equals(text(log, "logDriver"))) {
        names.add("com.amazonaws.ecs.capability.logging-driver.awslogs");
        names.add("com.amazonaws.ecs.capability.docker-remote-api.1.19");
        if (executionRole) {
          names.add("ecs.capability.execution-role-awslogs");
        }
      }
      String image = text(cd, "image");
      if (image != null && image.contains(".dkr.ecr.") && executionRole) {
        names.add("com.amazonaws.ecs.capability.ecr-auth");
        names.add("ecs.capability.execution-role-ecr-pull");
      }
      if (cd.has("secrets") && executionRole) {
        names.add("ecs.capability.secrets.asm.environment-variables");
      }
      if (cd.has("healthCheck")) {
        names.add("ecs.capability.container-health-check");
      }
    }
    if (td.hasNonNull("taskRoleArn")) {
      names.add("com.amazonaws.ecs.capability.task-iam-role");
    }
    if ("awsvpc".equals(text(td, "networkMode"))) {
      names.add("ecs.capability.task-eni");
    }
    ArrayNode a = NODES.arrayNode();
    names.forEach(n -> a.addObject().put("name", n));
    return a;
  }

  private static String normalizeCpu(String cpu) {
    if (cpu == null) {
      return null;
    }
    String c = cpu.trim().toLowerCase(Locale.ROOT);
    if (c.endsWith("vcpu")) {
      return String.valueOf(Math.round(Double.parseDouble(c.substring(0, c.length() - 4).trim()) * 1024));
    }
    return cpu.trim();
  }

  private static String normalizeMemory(String memory) {
    if (memory == null) {
      return null;
    }
    String m = memory.trim().toLowerCase(Locale.ROOT);
    if (m.endsWith("gb")) {
      return String.valueOf(Math.round(Double.parseDouble(m.substring(0, m.length() - 2).trim()) * 1024));
    }
    return memory.trim();
  }

  /** The Fargate task size table (Linux). */
  static boolean validFargate(String cpuText, String memoryText) {
    int cpu;
    int memory;
    try {
      cpu = Integer.parseInt(cpuText);
      memory = Integer.parseInt(memoryText);
    } catch (NumberFormatException e) {
      return false;
    }
    return switch (cpu) {
      case 256 -> memory == 512 || memory == 1024 || memory == 2048;
      case 512 -> memory >= 1024 && memory <= 4096 && memory % 1024 == 0;
      case 1024 -> memory >= 2048 && memory <= 8192 && memory % 1024 == 0;
      case 2048 -> memory >= 4096 && memory <= 16384 && memory % 1024 == 0;
      case 4096 -> memory >= 8192 && memory <= 30720 && memory % 1024 == 0;
      case 8192 -> memory >= 16384 && memory <= 61440 && memory % 4096 == 0;
      case 16384 -> memory >= 32768 && memory <= 122880 && memory % 8192 == 0;
      default -> false;
    };
  }

  JsonNode describeTaskDefinition(JsonNode req) {
    String ref = text(req, "taskDefinition");
    TaskDef def = ref == null ? null : state.resolveTaskDef(ref);
    if (def == null) {
      throw client("Unable to describe task definition.");
    }
    ObjectNode out = NODES.objectNode();
    out.set("taskDefinition", def.render());
    if (includes(req, "TAGS")) {
      out.set("tags", renderTags(def.tags));
    }
    return out;
  }

  JsonNode listTaskDefinitions(JsonNode req) {
    String family = text(req, "familyPrefix");
    String status = text(req, "status");
    if (status == null) {
      status = "ACTIVE";
    }
    if (!Set.of("ACTIVE", "INACTIVE", "DELETE_IN_PROGRESS").contains(status)) {
      throw invalid("Invalid status: " + status);
    }
    String sort = text(req, "sort");
    if (sort == null) {
      sort = "ASC";
    }
    if (!sort.equals("ASC") && !sort.equals("DESC")) {
      throw invalid("Invalid sort: " + sort);
    }
    String wanted = status;
    List<TaskDef> all = state.families.values().stream()
        .flatMap(List::stream)
        .filter(d -> family == null || d.family.equals(family))
        .filter(d -> d.status.equals(wanted))
        .sorted(Comparator.comparing((TaskDef d) -> d.family).thenComparingInt(d -> d.revision))
        .collect(Collectors.toCollection(ArrayList::new));
    if (sort.equals("DESC")) {
      java.util.Collections.reverse(all);
    }
    return page(req, all.stream().map(d -> d.arn).toList(), "taskDefinitionArns");
  }

  JsonNode deregisterTaskDefinition(JsonNode req, Instant now) {
    String ref = text(req, "taskDefinition");
    TaskDef def = ref == null ? null : state.resolveRevision(ref);
    if (def == null) {
      throw client("The specified task definition does not exist.");
    }
    if (def.status.equals("ACTIVE")) {
      def.status = "INACTIVE";
      def.deregisteredAt = now;
    }
    ObjectNode out = NODES.objectNode();
    out.set("taskDefinition", def.render());
    return out;
  }
}
