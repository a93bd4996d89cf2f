package io.github.ecsdeploy.standin.ecs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.ecsdeploy.standin.AwsErrorException;
import io.github.ecsdeploy.standin.JsonProtocolService;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The ECS part of the local AWS stand-in: clusters, task definitions with revisions and tags, services with
 * rolling deployments, tasks and service events, spoken in AWS JSON 1.1 as ECS speaks it.
 *
 * <p>The deployment simulator is lazy: there are no threads. Every request first advances the simulated world
 * to {@code clock.instant()}, replaying each task start and stop at the instant it happened, so a test with a
 * manual clock is deterministic and the stand-in with {@link Clock#systemUTC()} runs in real time.
 *
 * <p>Every deployment that CreateService or UpdateService starts is also a service deployment, served by
 * ListServiceDeployments and DescribeServiceDeployments with its status, lifecycle stage and rollback; see
 * {@link ServiceDeploymentRecord}.
 *
 * <p>Test controls: {@link #failTaskDefinition}, {@link #failImage}, {@link #clearFailures},
 * {@link #crashRunningTasks}, {@link #triggerAlarm} and {@link #setSettings} (rollback lag, stale reads, a role
 * denied the Service Deployments API, bake time). All public methods are thread-safe (one lock).
 */
public final class EcsService implements JsonProtocolService {

  /** The {@code X-Amz-Target} prefix of ECS. */
  public static final String TARGET_PREFIX = "AmazonEC2ContainerServiceV20141113";

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_-]{1,255}");
  private static final Pattern TAG_CHARS = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*");
  private static final Duration STOPPED_TASK_RETENTION = Duration.ofHours(1);
  private static final int MAX_EVENTS = 100;
  private static final String ROLLOUT_FAILED_REASON = "ECS deployment circuit breaker: tasks failed to start.";

  private final String region;
  private final String accountId;
  private final Clock clock;
  private volatile EcsSimulationSettings settings;

  private final Map<String, Cluster> clusters = new LinkedHashMap<>();
  private final Map<String, List<TaskDef>> families = new LinkedHashMap<>();
  private final Map<String, TaskFailure> failingTaskDefinitions = new HashMap<>();
  private final Map<String, TaskFailure> failingImages = new HashMap<>();

  /**
   * @param region e.g. {@code us-east-1}, used in every ARN
   * @param accountId twelve digits, used in every ARN
   * @param clock the simulator's time; a manual clock makes tests deterministic
   * @param settings task start and stop delays
   */
  public EcsService(String region, String accountId, Clock clock, EcsSimulationSettings settings) {
    this.region = Objects.requireNonNull(region, "region");
    this.accountId = Objects.requireNonNull(accountId, "accountId");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  @Override
  public String targetPrefix() {
    return TARGET_PREFIX;
  }

  @Override
  public synchronized JsonNode handle(String operation, JsonNode request) {
    JsonNode body = request == null || request.isNull() ? NODES.objectNode() : request;
    Instant now = clock.instant();
    advance(now);
    JsonNode answer = switch (operation) {
      case "CreateCluster" -> createCluster(body, now);
      case "DescribeClusters" -> describeClusters(body);
      case "RegisterTaskDefinition" -> registerTaskDefinition(body, now);
      case "DescribeTaskDefinition" -> describeTaskDefinition(body);
      case "ListTaskDefinitions" -> listTaskDefinitions(body);
      case "DeregisterTaskDefinition" -> deregisterTaskDefinition(body, now);
      case "CreateService" -> createService(body, now);
      case "UpdateService" -> updateService(body, now);
      case "DeleteService" -> deleteService(body, now);
      case "DescribeServices" -> describeServices(body);
      case "ListTasks" -> listTasks(body);
      case "DescribeTasks" -> describeTasks(body);
      case "ListServiceDeployments" -> listServiceDeployments(body);
      case "DescribeServiceDeployments" -> describeServiceDeployments(body);
      case "DescribeServiceRevisions" -> describeServiceRevisions(body);
      case "TagResource" -> tagResource(body);
      case "ListTagsForResource" -> listTagsForResource(body);
      default -> throw new AwsErrorException(400, "UnknownOperationException", null);
    };
    return answer;
  }

  /** Convenience for tests: {@link #handle(String, JsonNode)} with a JSON text. */
  public JsonNode handle(String operation, String jsonBody) {
    try {
      return handle(operation, MAPPER.readTree(jsonBody == null || jsonBody.isBlank() ? "{}" : jsonBody));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON: " + jsonBody, e);
    }
  }

  // ---------------------------------------------------------------------------------------------------------
  // Test controls

  /**
   * Makes every task of this task-definition revision fail {@code taskStartDelay} after launch, with
   * {@link TaskFailure#essentialContainerExited()}.
   *
   * @param taskDefinitionArn the full revision ARN as RegisterTaskDefinition returned it
   */
  public void failTaskDefinition(String taskDefinitionArn) {
    failTaskDefinition(taskDefinitionArn, TaskFailure.essentialContainerExited());
  }

  /** Makes every task of this task-definition revision fail the given way. */
  public synchronized void failTaskDefinition(String taskDefinitionArn, TaskFailure failure) {
    failingTaskDefinitions.put(Objects.requireNonNull(taskDefinitionArn), Objects.requireNonNull(failure));
  }

  /**
   * Makes every task fail whose task definition has a container whose {@code image} equals {@code image}
   * exactly, with {@link TaskFailure#essentialContainerExited()}.
   */
  public void failImage(String image) {
    failImage(image, TaskFailure.essentialContainerExited());
  }

  /** Makes every task fail the given way whose task definition has a container with exactly this image. */
  public synchronized void failImage(String image, TaskFailure failure) {
    failingImages.put(Objects.requireNonNull(image), Objects.requireNonNull(failure));
  }

  /** Forgets every failure set up with failTaskDefinition or failImage; tasks launched from now on start. */
  public synchronized void clearFailures() {
    failingTaskDefinitions.clear();
    failingImages.clear();
  }

  /**
   * The essential container of every RUNNING task of the service exits now, the given way: a service that was
   * healthy starts crash-looping (the service scheduler launches replacements, ECS Developer Guide "Amazon ECS
   * services"; they fail too when the revision or image is set to fail).
   *
   * @return how many tasks stopped
   */
  public synchronized int crashRunningTasks(String cluster, String service, TaskFailure failure) {
    Instant now = clock.instant();
    advance(now);
    Service s = requireService(requireCluster(NODES.objectNode().put("cluster", cluster)), service);
    List<Task> running = s.tasks().filter(t -> "RUNNING".equals(t.lastStatus) && t.desiredStatus.equals("RUNNING"))
        .toList();
    for (Task t : running) {
      t.version++;
      t.lastStatus = "STOPPED";
      t.desiredStatus = "STOPPED";
      t.stopCode = failure.stopCode();
      t.stoppedReason = failure.stoppedReason();
      t.stoppingAt = now;
      t.stoppedAt = now;
      for (Container c : t.containers) {
        c.exitCode = failure.exitCode();
        c.reason = failure.containerReason();
      }
      Deployment d = s.deployment(t.startedBy);
      if (d != null) {
        d.failedTasks++;
        d.updatedAt = now;
      }
    }
    reconcile(s, now);
    return running.size();
  }

  /**
   * The CloudWatch alarm {@code alarmName} goes into ALARM. When the service monitors it
   * ({@code deploymentConfiguration.alarms} with {@code enable}) and a deployment is in progress (also in the bake
   * time of a blue/green deployment), ECS fails that deployment and, with {@code rollback}, rolls back to the last
   * COMPLETED deployment (ECS Developer Guide, "How CloudWatch alarms detect Amazon ECS deployment failures" and
   * "Amazon ECS deployment failure detection": "The rollback method requires a previous deployment in COMPLETED
   * state").
   *
   * @return whether a deployment was failed by it
   */
  public synchronized boolean triggerAlarm(String cluster, String service, String alarmName) {
    Instant now = clock.instant();
    advance(now);
    Service s = requireService(requireCluster(NODES.objectNode().put("cluster", cluster)), service);
    JsonNode alarms = s.deploymentConfiguration.path("alarms");
    boolean watched = alarms.path("enable").asBoolean(false)
        && strings(alarms.get("alarmNames")).contains(alarmName);
    Deployment primary = s.deployments.isEmpty() ? null : s.primary();
    if (!watched || primary == null || !primary.rolloutState.equals("IN_PROGRESS")) {
      return false;
    }
    if (primary.record != null) {
      primary.record.alarmsStatus = "TRIGGERED";
      primary.record.triggeredAlarms.add(alarmName);
    }
    event(s, now, "(service " + s.name + ") (deployment " + primary.id + ") deployment failed: alarm detected.");
    failDeployment(s, primary, alarms.path("rollback").asBoolean(false), now,
        "ECS deployment alarm: CloudWatch alarm " + alarmName + " is in ALARM state.", "alarm");
    reconcile(s, now);
    return true;
  }

  /** The current delays. */
  public EcsSimulationSettings settings() {
    return settings;
  }

  /** Changes the delays for tasks launched or stopped from now on. */
  public synchronized void setSettings(EcsSimulationSettings newSettings) {
    advance(clock.instant());
    this.settings = Objects.requireNonNull(newSettings);
  }

  // ---------------------------------------------------------------------------------------------------------
  // Clusters

  private JsonNode createCluster(JsonNode req, Instant now) {
    String name = text(req, "clusterName");
    if (name == null) {
      name = "default";
    }
    if (!NAME.matcher(name).matches()) {
      throw invalid("Cluster name can contain up to 255 letters (uppercase and lowercase), numbers, underscores,"
          + " and hyphens.");
    }
    List<Tag> tags = parseTags(req.get("tags"));
    Cluster c = clusters.get(name);
    if (c == null) {
      c = new Cluster(name, clusterArn(name));
      c.settings = req.has("settings") ? req.get("settings").deepCopy() : defaultClusterSettings();
      clusters.put(name, c);
    }
    mergeTags(c.tags, tags);
    ObjectNode out = NODES.objectNode();
    out.set("cluster", renderCluster(c, true));
    return out;
  }

  private JsonNode describeClusters(JsonNode req) {
    List<String> names = strings(req.get("clusters"));
    if (names.isEmpty()) {
      names = List.of("default");
    }
    boolean tags = includes(req, "TAGS");
    ArrayNode found = NODES.arrayNode();
    ArrayNode failures = NODES.arrayNode();
    for (String ref : names) {
      Cluster c = clusters.get(clusterName(ref));
      if (c == null) {
        failures.add(failure(ref.startsWith("arn:") ? ref : clusterArn(ref), "MISSING"));
      } else {
        found.add(renderCluster(c, tags));
      }
    }
    ObjectNode out = NODES.objectNode();
    out.set("clusters", found);
    out.set("failures", failures);
    return out;
  }

  private ObjectNode renderCluster(Cluster c, boolean withTags) {
    ObjectNode n = NODES.objectNode();
    n.put("clusterArn", c.arn);
    n.put("clusterName", c.name);
    n.put("status", "ACTIVE");
    n.put("registeredContainerInstancesCount", 0);
    n.put("runningTasksCount", (int) c.tasks.values().stream().filter(t -> "RUNNING".equals(t.lastStatus)).count());
    n.put("pendingTasksCount", (int) c.tasks.values().stream().filter(Task::isPending).count());
    n.put("activeServicesCount", (int) c.services.values().stream().filter(s -> "ACTIVE".equals(s.status)).count());
    n.set("statistics", NODES.arrayNode());
    if (withTags) {
      n.set("tags", renderTags(c.tags));
    }
    n.set("settings", c.settings.deepCopy());
    n.set("capacityProviders", NODES.arrayNode());
    n.set("defaultCapacityProviderStrategy", NODES.arrayNode());
    return n;
  }

  private static ArrayNode defaultClusterSettings() {
    ArrayNode a = NODES.arrayNode();
    a.addObject().put("name", "containerInsights").put("value", "disabled");
    return a;
  }

  private Cluster requireCluster(JsonNode req) {
    String ref = text(req, "cluster");
    Cluster c = clusters.get(clusterName(ref == null ? "default" : ref));
    if (c == null) {
      throw AwsErrorException.client("ClusterNotFoundException", "Cluster not found.");
    }
    return c;
  }

  private static String clusterName(String ref) {
    if (ref.startsWith("arn:")) {
      int i = ref.indexOf(":cluster/");
      return i < 0 ? ref : ref.substring(i + ":cluster/".length());
    }
    return ref;
  }

  // ---------------------------------------------------------------------------------------------------------
  // Task definitions

  private JsonNode registerTaskDefinition(JsonNode req, Instant now) {
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

    List<TaskDef> revisions = families.computeIfAbsent(family, f -> new ArrayList<>());
    int revision = revisions.size() + 1;
    String arn = "arn:aws:ecs:" + region + ":" + accountId + ":task-definition/" + family + ":" + revision;

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
    td.put("registeredBy", "arn:aws:iam::" + accountId + ":root");

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

  private JsonNode describeTaskDefinition(JsonNode req) {
    String ref = text(req, "taskDefinition");
    TaskDef def = ref == null ? null : resolveTaskDef(ref);
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

  private JsonNode listTaskDefinitions(JsonNode req) {
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
    List<TaskDef> all = families.values().stream()
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

  private JsonNode deregisterTaskDefinition(JsonNode req, Instant now) {
    String ref = text(req, "taskDefinition");
    TaskDef def = ref == null ? null : resolveRevision(ref);
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

  /** family (latest ACTIVE revision), family:revision or a full ARN. */
  private TaskDef resolveTaskDef(String ref) {
    String r = ref;
    int slash = r.indexOf(":task-definition/");
    if (r.startsWith("arn:")) {
      if (slash < 0 || !inThisRegionAndAccount(r)) {
        return null;
      }
      r = r.substring(slash + ":task-definition/".length());
    }
    int colon = r.lastIndexOf(':');
    if (colon < 0) {
      List<TaskDef> revisions = families.get(r);
      if (revisions == null) {
        return null;
      }
      for (int i = revisions.size() - 1; i >= 0; i--) {
        if (revisions.get(i).status.equals("ACTIVE")) {
          return revisions.get(i);
        }
      }
      return null;
    }
    return resolveRevision(r);
  }

  /**
   * Whether an ARN names this region and account: task definitions are regional resources of one account (ECS
   * Developer Guide, "Amazon ECS task definitions"; the ARN format arn:aws:ecs:region:account:task-definition/...),
   * so ECS does not find a revision whose ARN names another region or account.
   */
  private boolean inThisRegionAndAccount(String arn) {
    String[] parts = arn.split(":", 6);
    return parts.length == 6 && parts[3].equals(region) && parts[4].equals(accountId);
  }

  /** family:revision or a full ARN, never a bare family. */
  private TaskDef resolveRevision(String ref) {
    String r = ref;
    if (r.startsWith("arn:")) {
      int slash = r.indexOf(":task-definition/");
      if (slash < 0 || !inThisRegionAndAccount(r)) {
        return null;
      }
      r = r.substring(slash + ":task-definition/".length());
    }
    int colon = r.lastIndexOf(':');
    if (colon < 0) {
      return null;
    }
    List<TaskDef> revisions = families.get(r.substring(0, colon));
    int revision;
    try {
      revision = Integer.parseInt(r.substring(colon + 1));
    } catch (NumberFormatException e) {
      return null;
    }
    if (revisions == null || revision < 1 || revision > revisions.size()) {
      return null;
    }
    return revisions.get(revision - 1);
  }

  private TaskDef requireTaskDefForService(String ref) {
    TaskDef def = ref == null ? null : resolveTaskDef(ref);
    if (def == null) {
      throw client("TaskDefinition not found.");
    }
    if (!def.status.equals("ACTIVE")) {
      throw client("TaskDefinition is inactive");
    }
    return def;
  }

  // ---------------------------------------------------------------------------------------------------------
  // Services

  private JsonNode createService(JsonNode req, Instant now) {
    Cluster cluster = requireCluster(req);
    String name = text(req, "serviceName");
    if (name == null || !NAME.matcher(name).matches()) {
      throw invalid("Service name can contain up to 255 letters (uppercase and lowercase), numbers, underscores,"
          + " and hyphens.");
    }
    Service existing = cluster.services.get(name);
    if (existing != null && existing.status.equals("ACTIVE")) {
      throw invalid("Creation of service was not idempotent.");
    }
    String controller = "ECS";
    JsonNode dc = req.get("deploymentController");
    if (dc != null && dc.hasNonNull("type")) {
      controller = dc.get("type").asText();
      if (!Set.of("ECS", "CODE_DEPLOY", "EXTERNAL").contains(controller)) {
        throw invalid("Invalid deployment controller type: " + controller
            + ". Valid values are ECS, CODE_DEPLOY and EXTERNAL.");
      }
    }
    String launchType = text(req, "launchType");
    if (launchType != null && !Set.of("EC2", "FARGATE", "EXTERNAL", "MANAGED_INSTANCES").contains(launchType)) {
      throw invalid("Invalid launch type: " + launchType + ". Valid values are EC2, FARGATE, EXTERNAL and"
          + " MANAGED_INSTANCES.");
    }
    if (!req.hasNonNull("desiredCount")) {
      throw invalid("Desired count must be specified for services with the REPLICA scheduling strategy.");
    }
    int desired = req.get("desiredCount").asInt();
    if (desired < 0) {
      throw invalid("Desired count must be greater than or equal to 0.");
    }
    if (text(req, "taskDefinition") == null && !"EXTERNAL".equals(controller)) {
      throw invalid("TaskDefinition must be specified.");
    }
    TaskDef def = requireTaskDefForService(text(req, "taskDefinition"));
    checkLaunchType(def, launchType);
    if ("awsvpc".equals(text(def.body, "networkMode")) && !req.has("networkConfiguration")) {
      throw invalid("Network Configuration must be provided when networkMode 'awsvpc' is specified.");
    }
    List<Tag> tags = parseTags(req.get("tags"));

    Service s = new Service(name, "arn:aws:ecs:" + region + ":" + accountId + ":service/" + cluster.name + "/"
        + name, cluster, now);
    s.controller = controller;
    s.launchType = launchType;
    s.desiredCount = desired;
    s.taskDefinitionArn = def.arn;
    s.deploymentConfiguration = defaultDeploymentConfiguration();
    mergeDeploymentConfiguration(s.deploymentConfiguration, req.get("deploymentConfiguration"));
    s.request = (ObjectNode) req.deepCopy();
    s.tags.addAll(tags);
    cluster.services.put(name, s);
    Deployment d = new Deployment(newDeploymentId(), def.arn, desired, now);
    d.status = "PRIMARY";
    s.deployments.add(d);
    d.record = newRecord(s, d, now, false);
    reconcile(s, now);
    ObjectNode out = NODES.objectNode();
    out.set("service", renderService(s, false));
    return out;
  }

  private static void checkLaunchType(TaskDef def, String launchType) {
    if ("FARGATE".equals(launchType)) {
      boolean ok = false;
      for (JsonNode c : def.body.get("compatibilities")) {
        ok |= "FARGATE".equals(c.asText());
      }
      if (!ok) {
        throw invalid("Task definition does not support launch_type FARGATE.");
      }
    }
  }

  /**
   * DeleteService as the API reference describes it: a service scaled above 0 is refused unless {@code force};
   * otherwise its tasks are stopped and its status moves from ACTIVE to DRAINING, and to INACTIVE once every
   * task has stopped. DescribeServices keeps describing DRAINING and INACTIVE services; UpdateService refuses
   * them ({@code ServiceNotActiveException}).
   */
  private JsonNode deleteService(JsonNode req, Instant now) {
    Cluster cluster = requireCluster(req);
    Service s = requireService(cluster, text(req, "service"));
    if (!s.status.equals("ACTIVE")) {
      throw AwsErrorException.client("ServiceNotActiveException", "Service was not ACTIVE.");
    }
    if (s.desiredCount > 0 && !req.path("force").asBoolean(false)) {
      throw invalid("The service cannot be stopped while it is scaled above 0.");
    }
    s.desiredCount = 0;
    for (Task t : s.tasks().toList()) {
      stopTask(t, "Service deleted", now);
    }
    s.status = "DRAINING";
    finishDraining(s);
    ObjectNode out = NODES.objectNode();
    out.set("service", renderService(s, false));
    return out;
  }

  /** A DRAINING service whose tasks have all stopped is INACTIVE (DeleteService). */
  private static void finishDraining(Service s) {
    if (s.status.equals("DRAINING") && s.tasks().allMatch(t -> "STOPPED".equals(t.lastStatus))) {
      s.status = "INACTIVE";
    }
  }

  private JsonNode updateService(JsonNode req, Instant now) {
    Cluster cluster = requireCluster(req);
    Service s = requireService(cluster, text(req, "service"));
    if (!s.status.equals("ACTIVE")) {
      throw AwsErrorException.client("ServiceNotActiveException", "Service was not ACTIVE.");
    }
    TaskDef def = null;
    if (req.hasNonNull("taskDefinition")) {
      if (!s.controller.equals("ECS")) {
        throw invalid("Unable to update task definition on services with a " + s.controller
            + " deployment controller. Use AWS CodeDeploy to trigger a new deployment.");
      }
      def = requireTaskDefForService(text(req, "taskDefinition"));
      checkLaunchType(def, s.launchType);
    }
    Integer desired = null;
    if (req.hasNonNull("desiredCount")) {
      desired = req.get("desiredCount").asInt();
      if (desired < 0) {
        throw invalid("Desired count must be greater than or equal to 0.");
      }
    }
    boolean force = req.path("forceNewDeployment").asBoolean(false);
    if (force && !s.controller.equals("ECS")) {
      throw invalid("Unable to force a new deployment on services with a " + s.controller
          + " deployment controller. Use AWS CodeDeploy to trigger a new deployment.");
    }
    ObjectNode asBefore = renderService(s, false);
    mergeDeploymentConfiguration(s.deploymentConfiguration, req.get("deploymentConfiguration"));
    for (String member : List.of("networkConfiguration", "platformVersion", "healthCheckGracePeriodSeconds",
        "enableExecuteCommand", "propagateTags", "enableECSManagedTags", "loadBalancers",
        "capacityProviderStrategy")) {
      if (req.has(member)) {
        s.request.set(member, req.get(member).deepCopy());
      }
    }
    if (desired != null) {
      s.desiredCount = desired;
      s.primary().desiredCount = desired;
      s.primary().updatedAt = now;
    }
    if ((def != null && !def.arn.equals(s.primary().taskDefinitionArn)) || force) {
      String arn = def != null ? def.arn : s.primary().taskDefinitionArn;
      Deployment d = startDeployment(s, arn, now);
      boolean blueGreen = "BLUE_GREEN".equals(s.deploymentConfiguration.path("strategy").asText("ROLLING"));
      d.record = newRecord(s, d, now, blueGreen);
    }
    if (settings.staleReadsAfterUpdate() > 0) {
      // aws-cli #9275: DescribeServices right after UpdateService can still show the service as it was (the ECS
      // API is eventually consistent, API reference "Request eventual consistency").
      s.staleAnswer = asBefore;
      s.staleReadsLeft = settings.staleReadsAfterUpdate();
    }
    reconcile(s, now);
    ObjectNode out = NODES.objectNode();
    out.set("service", renderService(s, false));
    return out;
  }

  private Deployment startDeployment(Service s, String taskDefinitionArn, Instant now) {
    for (Deployment old : s.deployments) {
      old.status = "ACTIVE";
    }
    Deployment d = new Deployment(newDeploymentId(), taskDefinitionArn, s.desiredCount, now);
    d.status = "PRIMARY";
    s.deployments.add(0, d);
    s.taskDefinitionArn = taskDefinitionArn;
    s.steady = false;
    return d;
  }

  /**
   * The service deployment of a deployment that CreateService or UpdateService started, with a new service
   * revision ("Amazon ECS automatically creates a new service revision when you create a service, or update a
   * service property that starts a deployment", ECS Developer Guide, "Amazon ECS service revisions"). A service
   * deployment still PENDING or IN_PROGRESS is STOPPED by the newer one (ECS Developer Guide, "View service
   * history using Amazon ECS service deployments"; the statusReason text is ours).
   */
  private ServiceDeploymentRecord newRecord(Service s, Deployment d, Instant now, boolean blueGreen) {
    for (ServiceDeploymentRecord older : s.serviceDeployments) {
      if (older.status.equals("PENDING") || older.status.equals("IN_PROGRESS")) {
        older.status = "STOPPED";
        older.statusReason = "Stopped because a newer service deployment started.";
        older.finishedAt = now;
        older.updatedAt = now;
        older.lifecycleStage = null;
      }
    }
    ServiceDeploymentRecord r = new ServiceDeploymentRecord(
        "arn:aws:ecs:" + region + ":" + accountId + ":service-deployment/" + s.cluster.name + "/" + s.name + "/"
            + UUID.randomUUID().toString().replace("-", "").substring(0, 21),
        "arn:aws:ecs:" + region + ":" + accountId + ":service-revision/" + s.cluster.name + "/" + s.name + "/"
            + newDeploymentId().substring("ecs-svc/".length()),
        d, now);
    r.deploymentConfiguration = s.deploymentConfiguration.deepCopy();
    r.blueGreen = blueGreen;
    r.circuitBreakerStatus = s.deploymentConfiguration.path("deploymentCircuitBreaker").path("enable")
        .asBoolean(false) ? "MONITORING" : "DISABLED";
    r.alarmsStatus = s.deploymentConfiguration.path("alarms").path("enable").asBoolean(false) ? "MONITORING"
        : "DISABLED";
    if (blueGreen) {
      // "Amazon ECS blue/green deployments": the green revision scales up first, then test and production traffic
      // shift to it, the bake time runs, and clean-up removes the blue revision.
      r.lifecycleStage = "SCALE_UP";
      r.stageAt = now;
    }
    for (Deployment other : s.deployments) {
      if (other != d && other.record != null) {
        r.sourceRevisionArns.add(other.record.revisionArn);
      }
    }
    s.serviceDeployments.add(r);
    return r;
  }

  private JsonNode describeServices(JsonNode req) {
    Cluster cluster = requireCluster(req);
    boolean tags = includes(req, "TAGS");
    ArrayNode found = NODES.arrayNode();
    ArrayNode failures = NODES.arrayNode();
    for (String ref : strings(req.get("services"))) {
      Service s = cluster.services.get(serviceName(ref));
      if (s == null) {
        failures.add(failure(ref.startsWith("arn:") ? ref
            : "arn:aws:ecs:" + region + ":" + accountId + ":service/" + cluster.name + "/" + ref, "MISSING"));
      } else if (s.staleReadsLeft > 0) {
        s.staleReadsLeft--;
        found.add(s.staleAnswer.deepCopy());
      } else {
        found.add(renderService(s, tags));
      }
    }
    ObjectNode out = NODES.objectNode();
    out.set("services", found);
    out.set("failures", failures);
    return out;
  }

  private Service requireService(Cluster cluster, String ref) {
    Service s = ref == null ? null : cluster.services.get(serviceName(ref));
    if (s == null) {
      throw AwsErrorException.client("ServiceNotFoundException", "Service not found.");
    }
    return s;
  }

  private static String serviceName(String ref) {
    return ref.startsWith("arn:") ? ref.substring(ref.lastIndexOf('/') + 1) : ref;
  }

  private static ObjectNode defaultDeploymentConfiguration() {
    ObjectNode dc = NODES.objectNode();
    dc.putObject("deploymentCircuitBreaker").put("enable", false).put("rollback", false);
    dc.put("maximumPercent", 200);
    dc.put("minimumHealthyPercent", 100);
    return dc;
  }

  private static void mergeDeploymentConfiguration(ObjectNode target, JsonNode given) {
    if (given == null || !given.isObject()) {
      return;
    }
    Iterator<Map.Entry<String, JsonNode>> it = given.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getValue().isNull()) {
        continue;
      }
      if (e.getKey().equals("deploymentCircuitBreaker")) {
        ObjectNode cb = (ObjectNode) target.get("deploymentCircuitBreaker");
        cb.put("enable", e.getValue().path("enable").asBoolean(false));
        cb.put("rollback", e.getValue().path("rollback").asBoolean(false));
      } else {
        target.set(e.getKey(), e.getValue().deepCopy());
      }
    }
    int max = target.path("maximumPercent").asInt(200);
    int min = target.path("minimumHealthyPercent").asInt(100);
    if (max < 100 && min > 0 || min < 0 || max < min) {
      throw invalid("Invalid deployment configuration: maximumPercent " + max + ", minimumHealthyPercent " + min
          + ".");
    }
  }

  private ObjectNode renderService(Service s, boolean withTags) {
    ObjectNode n = NODES.objectNode();
    n.put("serviceArn", s.arn);
    n.put("serviceName", s.name);
    n.put("clusterArn", s.cluster.arn);
    n.set("loadBalancers", s.request.has("loadBalancers") ? s.request.get("loadBalancers").deepCopy()
        : NODES.arrayNode());
    n.set("serviceRegistries", s.request.has("serviceRegistries") ? s.request.get("serviceRegistries").deepCopy()
        : NODES.arrayNode());
    n.put("status", s.status);
    n.put("desiredCount", s.desiredCount);
    n.put("runningCount", (int) s.tasks().filter(t -> "RUNNING".equals(t.lastStatus)).count());
    n.put("pendingCount", (int) s.tasks().filter(Task::isPending).count());
    if (s.launchType != null) {
      n.put("launchType", s.launchType);
    }
    if ("FARGATE".equals(s.launchType)) {
      n.put("platformVersion", s.request.path("platformVersion").asText("LATEST"));
      n.put("platformFamily", "Linux");
    }
    if (s.request.has("capacityProviderStrategy")) {
      n.set("capacityProviderStrategy", s.request.get("capacityProviderStrategy").deepCopy());
    }
    n.put("taskDefinition", s.taskDefinitionArn);
    n.set("deploymentConfiguration", s.deploymentConfiguration.deepCopy());
    if (!s.serviceDeployments.isEmpty()) {
      n.put("currentServiceDeployment", s.serviceDeployments.get(s.serviceDeployments.size() - 1).arn);
    }
    ArrayNode deployments = n.putArray("deployments");
    for (Deployment d : s.deployments) {
      deployments.add(renderDeployment(s, d));
    }
    ArrayNode events = n.putArray("events");
    for (Event e : s.events) {
      events.addObject().put("id", e.id).<ObjectNode>set("createdAt", timestamp(e.createdAt))
          .put("message", e.message);
    }
    n.set("createdAt", timestamp(s.createdAt));
    n.set("placementConstraints", s.request.has("placementConstraints")
        ? s.request.get("placementConstraints").deepCopy() : NODES.arrayNode());
    n.set("placementStrategy", s.request.has("placementStrategy")
        ? s.request.get("placementStrategy").deepCopy() : NODES.arrayNode());
    if (s.request.has("networkConfiguration")) {
      n.set("networkConfiguration", s.request.get("networkConfiguration").deepCopy());
    }
    if (s.request.has("healthCheckGracePeriodSeconds")) {
      n.set("healthCheckGracePeriodSeconds", s.request.get("healthCheckGracePeriodSeconds").deepCopy());
    }
    n.put("schedulingStrategy", s.request.path("schedulingStrategy").asText("REPLICA"));
    n.putObject("deploymentController").put("type", s.controller);
    if (withTags) {
      n.set("tags", renderTags(s.tags));
    }
    n.put("createdBy", "arn:aws:iam::" + accountId + ":root");
    n.put("enableECSManagedTags", s.request.path("enableECSManagedTags").asBoolean(false));
    n.put("propagateTags", s.request.path("propagateTags").asText("NONE"));
    n.put("enableExecuteCommand", s.request.path("enableExecuteCommand").asBoolean(false));
    return n;
  }

  private ObjectNode renderDeployment(Service s, Deployment d) {
    ObjectNode n = NODES.objectNode();
    n.put("id", d.id);
    n.put("status", d.status);
    n.put("taskDefinition", d.taskDefinitionArn);
    n.put("desiredCount", d.desiredCount);
    n.put("pendingCount", (int) s.tasksOf(d).filter(Task::isPending).count());
    n.put("runningCount", (int) s.tasksOf(d).filter(t -> "RUNNING".equals(t.lastStatus)).count());
    n.put("failedTasks", d.failedTasks);
    n.set("createdAt", timestamp(d.createdAt));
    n.set("updatedAt", timestamp(d.updatedAt));
    if (s.launchType != null) {
      n.put("launchType", s.launchType);
    }
    if ("FARGATE".equals(s.launchType)) {
      n.put("platformVersion", "1.4.0");
      n.put("platformFamily", "Linux");
    }
    if (s.request.has("networkConfiguration")) {
      n.set("networkConfiguration", s.request.get("networkConfiguration").deepCopy());
    }
    n.put("rolloutState", d.rolloutState);
    n.put("rolloutStateReason", d.rolloutStateReason);
    return n;
  }

  // ---------------------------------------------------------------------------------------------------------
  // Service deployments (API reference: ListServiceDeployments, DescribeServiceDeployments)

  private void checkServiceDeploymentsAllowed(String operation) {
    if (settings.serviceDeploymentsDenied()) {
      // What IAM answers a role whose policy lacks the action (ECS returns AccessDeniedException, HTTP 400).
      throw AwsErrorException.client("AccessDeniedException", "User: arn:aws:sts::" + accountId
          + ":assumed-role/deployer/session is not authorized to perform: ecs:" + operation
          + " because no identity-based policy allows the ecs:" + operation + " action");
    }
  }

  private JsonNode listServiceDeployments(JsonNode req) {
    checkServiceDeploymentsAllowed("ListServiceDeployments");
    String serviceRef = text(req, "service");
    if (serviceRef == null) {
      throw invalid("service must be specified.");
    }
    Cluster cluster = requireCluster(req);
    Service s = requireService(cluster, serviceRef);
    Set<String> statuses = new LinkedHashSet<>(strings(req.get("status")));
    JsonNode createdAt = req.path("createdAt");
    Instant after = createdAt.hasNonNull("after") ? instant(createdAt.get("after")) : null;
    Instant before = createdAt.hasNonNull("before") ? instant(createdAt.get("before")) : null;
    List<ServiceDeploymentRecord> matching = s.serviceDeployments.stream()
        .filter(r -> statuses.isEmpty() || statuses.contains(r.status))
        .filter(r -> after == null || !r.createdAt.isBefore(after))
        .filter(r -> before == null || !r.createdAt.isAfter(before))
        .sorted(Comparator.comparing((ServiceDeploymentRecord r) -> r.createdAt).reversed())
        .toList();
    List<String> arns = matching.stream().map(r -> r.arn).toList();
    JsonNode page = page(req, arns, "serviceDeploymentArns");
    ObjectNode out = NODES.objectNode();
    ArrayNode briefs = out.putArray("serviceDeployments");
    for (JsonNode arn : page.get("serviceDeploymentArns")) {
      ServiceDeploymentRecord r = matching.stream().filter(m -> m.arn.equals(arn.asText())).findFirst().orElseThrow();
      ObjectNode b = briefs.addObject();
      b.put("serviceDeploymentArn", r.arn);
      b.put("serviceArn", s.arn);
      b.put("clusterArn", cluster.arn);
      b.set("startedAt", timestamp(r.createdAt));
      b.set("createdAt", timestamp(r.createdAt));
      if (r.finishedAt != null) {
        b.set("finishedAt", timestamp(r.finishedAt));
      }
      b.put("targetServiceRevisionArn", r.revisionArn);
      b.put("status", r.status);
      if (r.statusReason != null) {
        b.put("statusReason", r.statusReason);
      }
    }
    if (page.has("nextToken")) {
      out.set("nextToken", page.get("nextToken"));
    }
    return out;
  }

  private JsonNode describeServiceDeployments(JsonNode req) {
    checkServiceDeploymentsAllowed("DescribeServiceDeployments");
    List<String> arns = strings(req.get("serviceDeploymentArns"));
    if (arns.isEmpty() || arns.size() > 20) {
      throw invalid("serviceDeploymentArns must hold 1 to 20 ARNs.");
    }
    ObjectNode out = NODES.objectNode();
    ArrayNode found = out.putArray("serviceDeployments");
    ArrayNode failures = out.putArray("failures");
    for (String arn : arns) {
      ServiceDeploymentRecord r = null;
      Service owner = null;
      for (Cluster c : clusters.values()) {
        for (Service s : c.services.values()) {
          for (ServiceDeploymentRecord candidate : s.serviceDeployments) {
            if (candidate.arn.equals(arn)) {
              r = candidate;
              owner = s;
            }
          }
        }
      }
      if (r == null) {
        failures.add(failure(arn, "MISSING"));
      } else {
        found.add(renderRecord(owner, r));
      }
    }
    return out;
  }

  /**
   * DescribeServiceRevisions (API reference): 1 to 20 service revision ARNs; each known one comes back as a
   * ServiceRevision with the task definition, launch type and creation time it was made with, an unknown one as a
   * MISSING failure. A service revision is the configuration a service deployment deploys (ECS Developer Guide,
   * "Amazon ECS service revisions"); the same IAM denial as the other Service Deployments operations applies.
   */
  private JsonNode describeServiceRevisions(JsonNode req) {
    checkServiceDeploymentsAllowed("DescribeServiceRevisions");
    List<String> arns = strings(req.get("serviceRevisionArns"));
    if (arns.isEmpty() || arns.size() > 20) {
      throw invalid("serviceRevisionArns must hold 1 to 20 ARNs.");
    }
    ObjectNode out = NODES.objectNode();
    ArrayNode found = out.putArray("serviceRevisions");
    ArrayNode failures = out.putArray("failures");
    for (String arn : arns) {
      boolean known = false;
      for (Cluster c : clusters.values()) {
        for (Service s : c.services.values()) {
          for (ServiceDeploymentRecord r : s.serviceDeployments) {
            if (r.revisionArn.equals(arn) && !known) {
              known = true;
              ObjectNode revision = found.addObject();
              revision.put("serviceRevisionArn", r.revisionArn);
              revision.put("serviceArn", s.arn);
              revision.put("clusterArn", c.arn);
              revision.put("taskDefinition", r.deployment.taskDefinitionArn);
              if (s.launchType != null) {
                revision.put("launchType", s.launchType);
              }
              revision.set("createdAt", timestamp(r.createdAt));
            }
          }
        }
      }
      if (!known) {
        failures.add(failure(arn, "MISSING"));
      }
    }
    return out;
  }

  private ObjectNode renderRecord(Service s, ServiceDeploymentRecord r) {
    ObjectNode n = NODES.objectNode();
    n.put("serviceDeploymentArn", r.arn);
    n.put("serviceArn", s.arn);
    n.put("clusterArn", s.cluster.arn);
    n.set("createdAt", timestamp(r.createdAt));
    n.set("startedAt", timestamp(r.createdAt));
    if (r.finishedAt != null) {
      n.set("finishedAt", timestamp(r.finishedAt));
    }
    n.set("updatedAt", timestamp(r.updatedAt));
    ArrayNode sources = n.putArray("sourceServiceRevisions");
    for (String source : r.sourceRevisionArns) {
      sources.addObject().put("arn", source);
    }
    ObjectNode target = n.putObject("targetServiceRevision");
    target.put("arn", r.revisionArn);
    target.put("requestedTaskCount", r.deployment.desiredCount);
    target.put("runningTaskCount", (int) s.tasksOf(r.deployment).filter(t -> "RUNNING".equals(t.lastStatus)).count());
    target.put("pendingTaskCount", (int) s.tasksOf(r.deployment).filter(Task::isPending).count());
    n.put("status", r.status);
    if (r.statusReason != null) {
      n.put("statusReason", r.statusReason);
    }
    if (r.lifecycleStage != null) {
      n.put("lifecycleStage", r.lifecycleStage);
    }
    n.set("deploymentConfiguration", r.deploymentConfiguration.deepCopy());
    if (r.rollbackAt != null) {
      ObjectNode rollback = n.putObject("rollback");
      rollback.put("reason", r.rollbackReason);
      rollback.set("startedAt", timestamp(r.rollbackAt));
      if (r.rollbackRevisionArn != null) {
        rollback.put("serviceRevisionArn", r.rollbackRevisionArn);
      }
    }
    n.putObject("deploymentCircuitBreaker").put("status", r.circuitBreakerStatus)
        .put("failureCount", r.deployment.failedTasks)
        .put("threshold", failureThreshold(r.deployment.desiredCount));
    ObjectNode alarms = n.putObject("alarms").put("status", r.alarmsStatus);
    if (!r.triggeredAlarms.isEmpty()) {
      alarms.set("alarmNames", r.deploymentConfiguration.path("alarms").path("alarmNames").deepCopy());
      ArrayNode triggered = alarms.putArray("triggeredAlarmNames");
      r.triggeredAlarms.forEach(triggered::add);
    }
    return n;
  }

  private static Instant instant(JsonNode epochSeconds) {
    return Instant.ofEpochMilli(epochSeconds.decimalValue().movePointRight(3).longValue());
  }

  // ---------------------------------------------------------------------------------------------------------
  // Tasks

  private JsonNode listTasks(JsonNode req) {
    Cluster cluster = requireCluster(req);
    String serviceName = text(req, "serviceName");
    if (serviceName != null) {
      requireService(cluster, serviceName);
      serviceName = serviceName(serviceName);
    }
    String desired = text(req, "desiredStatus");
    if (desired == null) {
      desired = "RUNNING";
    }
    if (!Set.of("RUNNING", "PENDING", "STOPPED").contains(desired)) {
      throw invalid("Invalid desiredStatus: " + desired);
    }
    String startedBy = text(req, "startedBy");
    String family = text(req, "family");
    String launchType = text(req, "launchType");
    String svc = serviceName;
    String wantStatus = desired.equals("STOPPED") ? "STOPPED" : "RUNNING";
    boolean onlyPending = desired.equals("PENDING");
    List<String> arns = cluster.tasks.values().stream()
        .filter(t -> t.desiredStatus.equals(wantStatus))
        .filter(t -> !onlyPending || t.isPending())
        .filter(t -> svc == null || t.service.name.equals(svc))
        .filter(t -> startedBy == null || startedBy.equals(t.startedBy))
        .filter(t -> family == null || t.taskDefinitionArn.contains(":task-definition/" + family + ":"))
        .filter(t -> launchType == null || launchType.equals(t.service.launchType))
        .map(t -> t.arn)
        .toList();
    return page(req, arns, "taskArns");
  }

  private JsonNode describeTasks(JsonNode req) {
    Cluster cluster = requireCluster(req);
    List<String> refs = strings(req.get("tasks"));
    if (refs.isEmpty()) {
      throw invalid("Tasks cannot be empty.");
    }
    boolean tags = includes(req, "TAGS");
    ArrayNode found = NODES.arrayNode();
    ArrayNode failures = NODES.arrayNode();
    for (String ref : refs) {
      String id = ref.substring(ref.lastIndexOf('/') + 1);
      Task t = cluster.tasks.get(id);
      if (t == null) {
        failures.add(failure(ref.startsWith("arn:") ? ref
            : "arn:aws:ecs:" + region + ":" + accountId + ":task/" + cluster.name + "/" + ref, "MISSING"));
      } else {
        found.add(renderTask(t, tags));
      }
    }
    ObjectNode out = NODES.objectNode();
    out.set("tasks", found);
    out.set("failures", failures);
    return out;
  }

  private ObjectNode renderTask(Task t, boolean withTags) {
    TaskDef def = resolveRevision(t.taskDefinitionArn);
    ObjectNode n = NODES.objectNode();
    n.set("attachments", NODES.arrayNode());
    n.putArray("attributes").addObject().put("name", "ecs.cpu-architecture").put("value", "x86_64");
    n.put("availabilityZone", region + "a");
    n.put("clusterArn", t.service.cluster.arn);
    if (t.startedAt != null) {
      n.put("connectivity", "CONNECTED");
      n.set("connectivityAt", timestamp(t.createdAt));
    }
    ArrayNode containers = n.putArray("containers");
    for (Container c : t.containers) {
      ObjectNode cn = containers.addObject();
      cn.put("containerArn", c.arn);
      cn.put("taskArn", t.arn);
      cn.put("name", c.name);
      cn.put("image", c.image);
      cn.put("lastStatus", containerStatus(t));
      if (c.exitCode != null) {
        cn.put("exitCode", c.exitCode);
      }
      if (c.reason != null) {
        cn.put("reason", c.reason);
      }
      cn.set("networkBindings", NODES.arrayNode());
      cn.set("networkInterfaces", NODES.arrayNode());
      cn.put("healthStatus", "UNKNOWN");
      cn.put("cpu", c.cpu);
      if (c.memory != null) {
        cn.put("memory", c.memory);
      }
    }
    if (def != null && def.body.hasNonNull("cpu")) {
      n.put("cpu", def.body.get("cpu").asText());
    }
    n.set("createdAt", timestamp(t.createdAt));
    n.put("desiredStatus", t.desiredStatus);
    n.put("enableExecuteCommand", false);
    if (t.stoppedAt != null) {
      n.set("executionStoppedAt", timestamp(t.stoppedAt));
    }
    n.put("group", "service:" + t.service.name);
    n.put("healthStatus", "UNKNOWN");
    n.put("lastStatus", t.lastStatus);
    if (t.service.launchType != null) {
      n.put("launchType", t.service.launchType);
    }
    if (def != null && def.body.hasNonNull("memory")) {
      n.put("memory", def.body.get("memory").asText());
    }
    ObjectNode overrides = n.putObject("overrides");
    ArrayNode co = overrides.putArray("containerOverrides");
    t.containers.forEach(c -> co.addObject().put("name", c.name));
    overrides.set("inferenceAcceleratorOverrides", NODES.arrayNode());
    if ("FARGATE".equals(t.service.launchType)) {
      n.put("platformVersion", "1.4.0");
      n.put("platformFamily", "Linux");
      n.putObject("ephemeralStorage").put("sizeInGiB", 20);
    }
    if (t.pullStartedAt != null) {
      n.set("pullStartedAt", timestamp(t.pullStartedAt));
    }
    if (t.pullStoppedAt != null) {
      n.set("pullStoppedAt", timestamp(t.pullStoppedAt));
    }
    if (t.startedAt != null) {
      n.set("startedAt", timestamp(t.startedAt));
    }
    n.put("startedBy", t.startedBy);
    if (t.stopCode != null) {
      n.put("stopCode", t.stopCode);
    }
    if (t.stoppedAt != null) {
      n.set("stoppedAt", timestamp(t.stoppedAt));
    }
    if (t.stoppedReason != null) {
      n.put("stoppedReason", t.stoppedReason);
    }
    if (t.stoppingAt != null) {
      n.set("stoppingAt", timestamp(t.stoppingAt));
    }
    if (withTags) {
      n.set("tags", renderTags(t.tags));
    }
    n.put("taskArn", t.arn);
    n.put("taskDefinitionArn", t.taskDefinitionArn);
    n.put("version", t.version);
    return n;
  }

  private static String containerStatus(Task t) {
    return switch (t.lastStatus) {
      case "PROVISIONING" -> "PENDING";
      case "STOPPING" -> "RUNNING";
      default -> t.lastStatus;
    };
  }

  // ---------------------------------------------------------------------------------------------------------
  // Tags

  private JsonNode tagResource(JsonNode req) {
    List<Tag> target = tagsOf(text(req, "resourceArn"));
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

  private JsonNode listTagsForResource(JsonNode req) {
    ObjectNode out = NODES.objectNode();
    out.set("tags", renderTags(tagsOf(text(req, "resourceArn"))));
    return out;
  }

  private List<Tag> tagsOf(String arn) {
    if (arn == null || !arn.startsWith("arn:aws:ecs:")) {
      throw invalid("Invalid identifier: Unexpected ARN format: " + arn);
    }
    String[] arnParts = arn.split(":", 6);
    if (arnParts.length < 6) {
      throw invalid("Invalid identifier: Unexpected ARN format: " + arn);
    }
    String resource = arnParts[5];
    if (resource.startsWith("task-definition/")) {
      TaskDef def = resolveRevision(arn);
      if (def == null) {
        throw client("Unable to describe task definition.");
      }
      return def.tags;
    }
    String[] parts = resource.split("/");
    switch (parts[0]) {
      case "cluster" -> {
        Cluster c = clusters.get(parts[parts.length - 1]);
        if (c == null) {
          throw AwsErrorException.client("ClusterNotFoundException", "Cluster not found.");
        }
        return c.tags;
      }
      case "service" -> {
        Cluster c = parts.length == 3 ? clusters.get(parts[1]) : null;
        if (c == null) {
          throw AwsErrorException.client("ClusterNotFoundException", "Cluster not found.");
        }
        Service s = c.services.get(parts[2]);
        if (s == null) {
          throw AwsErrorException.client("ServiceNotFoundException", "Service not found.");
        }
        return s.tags;
      }
      case "task" -> {
        Cluster c = parts.length == 3 ? clusters.get(parts[1]) : null;
        Task t = c == null ? null : c.tasks.get(parts[2]);
        if (t == null) {
          throw invalid("The specified task is stopped or does not exist.");
        }
        return t.tags;
      }
      default -> throw invalid("Invalid identifier: Unexpected ARN format: " + arn);
    }
  }

  private static List<Tag> parseTags(JsonNode tags) {
    List<Tag> out = new ArrayList<>();
    if (tags == null || tags.isNull()) {
      return out;
    }
    if (!tags.isArray()) {
      throw invalid("Tags must be a list.");
    }
    if (tags.size() > 50) {
      throw invalid("The maximum number of tags for a resource is 50.");
    }
    Set<String> keys = new LinkedHashSet<>();
    for (JsonNode t : tags) {
      String key = text(t, "key");
      String value = t.hasNonNull("value") ? t.get("value").asText() : "";
      if (key == null || key.isEmpty() || key.length() > 128) {
        throw invalid("Tag keys must be between 1 and 128 characters.");
      }
      if (value.length() > 256) {
        throw invalid("Tag values must be at most 256 characters.");
      }
      if (!TAG_CHARS.matcher(key).matches() || !TAG_CHARS.matcher(value).matches()) {
        throw invalid("Tags may only contain letters, numbers, spaces and the characters + - = . _ : / @.");
      }
      if (key.toLowerCase(Locale.ROOT).startsWith("aws:")) {
        throw invalid("Tag key must not start with aws:");
      }
      if (!keys.add(key)) {
        throw invalid("Duplicate tag keys are not allowed: " + key);
      }
      out.add(new Tag(key, value));
    }
    return out;
  }

  private static void mergeTags(List<Tag> target, List<Tag> given) {
    for (Tag g : given) {
      target.removeIf(t -> t.key.equals(g.key));
      target.add(g);
    }
  }

  private static ArrayNode renderTags(List<Tag> tags) {
    ArrayNode a = NODES.arrayNode();
    tags.forEach(t -> a.addObject().put("key", t.key).put("value", t.value));
    return a;
  }

  // ---------------------------------------------------------------------------------------------------------
  // The deployment simulator

  /** Replays every task transition due up to {@code now} at the instant it was due, then reconciles at now. */
  private void advance(Instant now) {
    int guard = 0;
    while (guard++ < 1_000_000) {
      Instant next = null;
      for (Cluster c : clusters.values()) {
        for (Task t : c.tasks.values()) {
          Instant due = t.dueAt();
          if (due != null && (next == null || due.isBefore(next))) {
            next = due;
          }
        }
      }
      if (next == null || next.isAfter(now)) {
        break;
      }
      Instant at = next;
      for (Cluster c : clusters.values()) {
        for (Task t : new ArrayList<>(c.tasks.values())) {
          if (at.equals(t.dueAt())) {
            transition(t, at);
          }
        }
      }
      for (Cluster c : clusters.values()) {
        for (Service s : c.services.values()) {
          reconcile(s, at);
        }
      }
    }
    for (Cluster c : clusters.values()) {
      for (Service s : c.services.values()) {
        reconcile(s, now);
      }
      Instant horizon = now.minus(STOPPED_TASK_RETENTION);
      c.tasks.values().removeIf(t -> t.stoppedAt != null && t.stoppedAt.isBefore(horizon));
    }
  }

  private void transition(Task t, Instant at) {
    t.version++;
    if (t.lastStatus.equals("STOPPING") || t.desiredStatus.equals("STOPPED")) {
      t.lastStatus = "STOPPED";
      t.stoppedAt = at;
      t.stopAt = null;
      t.readyAt = null;
      t.pendingAt = null;
      for (Container c : t.containers) {
        if (c.exitCode == null && t.startedAt != null) {
          c.exitCode = 0;
        }
      }
      return;
    }
    if (t.pendingAt != null) {
      t.lastStatus = "PENDING";
      t.pendingAt = null;
      return;
    }
    // a starting task reaches the end of its start delay
    t.readyAt = null;
    t.pullStartedAt = t.createdAt.plus(Duration.between(t.createdAt, at).dividedBy(4));
    t.pullStoppedAt = t.createdAt.plus(Duration.between(t.createdAt, at).dividedBy(2));
    TaskFailure failure = failureFor(t);
    if (failure == null) {
      t.lastStatus = "RUNNING";
      t.startedAt = at;
      return;
    }
    if (failure.started()) {
      t.startedAt = at;
    } else {
      t.pullStartedAt = null;
      t.pullStoppedAt = null;
    }
    t.lastStatus = "STOPPED";
    t.desiredStatus = "STOPPED";
    t.stopCode = failure.stopCode();
    t.stoppedReason = failure.stoppedReason();
    t.stoppingAt = at;
    t.stoppedAt = at;
    for (Container c : t.containers) {
      c.exitCode = failure.exitCode();
      c.reason = failure.containerReason();
    }
    Deployment d = t.service.deployment(t.startedBy);
    if (d != null) {
      d.failedTasks++;
      d.updatedAt = at;
    }
  }

  private TaskFailure failureFor(Task t) {
    TaskFailure f = failingTaskDefinitions.get(t.taskDefinitionArn);
    if (f != null) {
      return f;
    }
    for (Container c : t.containers) {
      f = failingImages.get(c.image);
      if (f != null) {
        return f;
      }
    }
    return null;
  }

  /** One scheduler pass of a service at instant {@code at}: circuit breaker, stops, launches, completion. */
  private void reconcile(Service s, Instant at) {
    finishDraining(s);
    if (!s.status.equals("ACTIVE") || s.deployments.isEmpty()) {
      return;
    }
    Deployment primary = s.primary();
    JsonNode cb = s.deploymentConfiguration.path("deploymentCircuitBreaker");
    if (primary.rolloutState.equals("IN_PROGRESS") && primary.failAt == null && cb.path("enable").asBoolean(false)
        && primary.failedTasks >= failureThreshold(primary.desiredCount)) {
      if (primary.record != null) {
        primary.record.circuitBreakerStatus = "TRIGGERED";
      }
      event(s, at, "(service " + s.name + ") (deployment " + primary.id + ") deployment failed: tasks failed to"
          + " start.");
      failDeployment(s, primary, cb.path("rollback").asBoolean(false), at, ROLLOUT_FAILED_REASON,
          "circuit breaker");
      primary = s.primary();
    }
    // a lagging rollback: the failed deployment turns FAILED once the lag is over
    for (Deployment d : s.deployments) {
      if (d.failAt != null && !at.isBefore(d.failAt)) {
        d.rolloutState = "FAILED";
        d.rolloutStateReason = d.failReason;
        d.updatedAt = d.failAt;
        d.failAt = null;
      }
    }
    ServiceDeploymentRecord green = primary.record != null && primary.record.blueGreen
        && primary.rolloutState.equals("IN_PROGRESS") ? primary.record : null;
    if (green != null) {
      advanceStages(s, primary, green, at);
    }
    // Blue/green: the blue tasks keep serving until clean-up, and green scales up to the full count beside them.
    boolean keepBlue = green != null && !"CLEAN_UP".equals(green.lifecycleStage);
    int desired = primary.desiredCount;
    int maxTotal = keepBlue ? Integer.MAX_VALUE : Math.max(desired, (int) Math.floor(desired
        * s.deploymentConfiguration.path("maximumPercent").asInt(200) / 100.0));
    int minHealthy = (int) Math.ceil(desired * s.deploymentConfiguration.path("minimumHealthyPercent")
        .asInt(100) / 100.0);

    // 1. tasks of older deployments that have not started yet are stopped at once
    for (Deployment d : s.deployments) {
      if (d != primary) {
        for (Task t : s.tasksOf(d).filter(Task::isPending).toList()) {
          stopTask(t, "Scaling activity initiated by (deployment " + primary.id + ")", at);
        }
      }
    }
    // 2. the primary scales in if it has more tasks than it wants
    List<Task> primaryLive = s.tasksOf(primary).filter(Task::isLive).toList();
    List<Task> stopped = new ArrayList<>();
    if (primaryLive.size() > desired) {
      List<Task> surplus = new ArrayList<>(primaryLive);
      surplus.sort(Comparator.comparing((Task t) -> !t.isPending()).thenComparing(t -> t.createdAt));
      for (Task t : surplus.subList(0, primaryLive.size() - desired)) {
        if (!t.isPending()) {
          stopped.add(t);
        }
        stopTask(t, "Scaling activity initiated by (deployment " + primary.id + ")", at);
      }
    }
    // 3. running tasks of older deployments are stopped as long as enough healthy tasks remain
    long healthy = s.tasks().filter(t -> "RUNNING".equals(t.lastStatus)).count();
    long canStop = keepBlue ? 0 : healthy - minHealthy;
    for (Deployment d : List.copyOf(s.deployments)) {
      if (d == primary) {
        continue;
      }
      for (Task t : s.tasksOf(d).filter(t -> "RUNNING".equals(t.lastStatus)).toList()) {
        if (canStop <= 0) {
          break;
        }
        stopTask(t, "Scaling activity initiated by (deployment " + primary.id + ")", at);
        stopped.add(t);
        canStop--;
      }
    }
    if (!stopped.isEmpty()) {
      event(s, at, "(service " + s.name + ") has stopped " + stopped.size() + " running tasks: "
          + taskList(stopped) + ".");
    }
    // 4. the primary launches what it lacks, within maximumPercent
    if (!primary.rolloutState.equals("FAILED")) {
      long live = s.tasks().filter(Task::isLive).count();
      long need = desired - s.tasksOf(primary).filter(Task::isLive).count();
      long launch = Math.min(need, maxTotal - live);
      if (launch > 0) {
        TaskDef def = resolveRevision(primary.taskDefinitionArn);
        List<Task> started = new ArrayList<>();
        for (int i = 0; i < launch; i++) {
          started.add(launchTask(s, primary, def, at));
        }
        event(s, at, "(service " + s.name + ") has started " + started.size() + " tasks: " + taskList(started)
            + ".");
      }
    }
    // 5. older deployments without tasks are gone; a FAILED one (or one about to turn FAILED) stays visible until
    // the primary completes
    Deployment p = primary;
    s.deployments.removeIf(d -> d != p && !d.rolloutState.equals("FAILED") && d.failAt == null && s.hasNoTasks(d));
    // 6. completion and steady state
    long running = s.tasksOf(primary).filter(t -> "RUNNING".equals(t.lastStatus)).count();
    boolean settled = s.deployments.stream().allMatch(d -> d == p || s.hasNoTasks(d))
        && running == desired
        && s.tasks().allMatch(t -> "STOPPED".equals(t.lastStatus)
            || "RUNNING".equals(t.lastStatus) && t.startedBy.equals(p.id));
    if (settled) {
      for (Deployment d : s.deployments) {
        if (d != p && d.failAt != null) { // the lag ends with the rollback at the latest
          d.rolloutState = "FAILED";
          d.rolloutStateReason = d.failReason;
          d.failAt = null;
        }
      }
      s.deployments.removeIf(d -> d != p);
    }
    if (settled && primary.rolloutState.equals("IN_PROGRESS")) {
      primary.rolloutState = "COMPLETED";
      primary.rolloutStateReason = "ECS deployment " + primary.id + " completed.";
      primary.updatedAt = at;
      s.lastCompleted = primary;
      event(s, at, "(service " + s.name + ") (deployment " + primary.id + ") deployment completed.");
      finishRecords(primary, at);
    }
    boolean steady = settled && !primary.rolloutState.equals("FAILED");
    if (steady && !s.steady) {
      event(s, at, "(service " + s.name + ") has reached a steady state.");
    }
    s.steady = steady;
  }

  /**
   * The lifecycle stages of a blue/green deployment ("Amazon ECS blue/green deployments", lifecycle stages):
   * SCALE_UP until every green task runs, then TEST_TRAFFIC_SHIFT and PRODUCTION_TRAFFIC_SHIFT (one task-start delay
   * each here), then BAKE_TIME for the bake time, then CLEAN_UP, which stops the blue tasks.
   */
  private void advanceStages(Service s, Deployment green, ServiceDeploymentRecord r, Instant at) {
    Duration step = settings.taskStartDelay();
    Duration bake = settings.bakeTime() != null ? settings.bakeTime()
        : Duration.ofMinutes(s.deploymentConfiguration.path("bakeTimeInMinutes").asInt(0));
    while (true) {
      Instant next;
      String stage;
      switch (r.lifecycleStage) {
        case "SCALE_UP" -> {
          if (s.tasksOf(green).filter(t -> "RUNNING".equals(t.lastStatus)).count() < green.desiredCount) {
            return;
          }
          next = at;
          stage = "TEST_TRAFFIC_SHIFT";
        }
        case "TEST_TRAFFIC_SHIFT" -> {
          next = r.stageAt.plus(step);
          stage = "PRODUCTION_TRAFFIC_SHIFT";
        }
        case "PRODUCTION_TRAFFIC_SHIFT" -> {
          next = r.stageAt.plus(step);
          stage = "BAKE_TIME";
        }
        case "BAKE_TIME" -> {
          next = r.stageAt.plus(bake);
          stage = "CLEAN_UP";
        }
        default -> {
          return;
        }
      }
      if (next.isAfter(at)) {
        return;
      }
      r.lifecycleStage = stage;
      r.stageAt = next;
      r.updatedAt = next;
      event(s, next, "(service " + s.name + ") (deployment " + green.id + ") entered lifecycle stage " + stage
          + ".");
    }
  }

  /** The primary completed: its service deployment, or the one it rolled back, is finished. */
  private static void finishRecords(Deployment primary, Instant at) {
    if (primary.record != null) {
      primary.record.status = "SUCCESSFUL";
      primary.record.lifecycleStage = null;
      primary.record.finishedAt = at;
      primary.record.updatedAt = at;
      if ("MONITORING".equals(primary.record.circuitBreakerStatus)) {
        primary.record.circuitBreakerStatus = "MONITORING_COMPLETE";
      }
      if ("MONITORING".equals(primary.record.alarmsStatus)) {
        primary.record.alarmsStatus = "MONITORING_COMPLETE";
      }
    }
    if (primary.rollbackOf != null) {
      primary.rollbackOf.status = "ROLLBACK_SUCCESSFUL";
      primary.rollbackOf.finishedAt = at;
      primary.rollbackOf.updatedAt = at;
    }
  }

  /** ECS: min(200, max(3, ceil(desired / 2))). */
  static int failureThreshold(int desired) {
    return Math.min(200, Math.max(3, (desired + 1) / 2));
  }

  /**
   * Fails a deployment (circuit breaker or alarm). With rollback and a COMPLETED deployment to go back to, ECS
   * starts a new PRIMARY deployment of that revision whose rolloutStateReason names it ("ECS deployment circuit
   * breaker: rolling back to deploymentId ecs-svc/..." in captures of real rollbacks); the failed one may lag
   * IN_PROGRESS for {@link EcsSimulationSettings#rollbackLag()}. The service deployment does not get a new revision:
   * it moves to ROLLBACK_IN_PROGRESS and, when the rollback completes, ROLLBACK_SUCCESSFUL, with {@code rollback}
   * naming the revision ("Amazon ECS doesn't create a new service revision for a rollback operation. Amazon ECS
   * uses the last successful service revision for the rollback", ECS Developer Guide, "Amazon ECS service
   * revisions"). Without rollback, or with nothing COMPLETED to go back to ("The rollback method requires a previous
   * deployment in COMPLETED state", "Amazon ECS deployment failure detection"), the deployment is FAILED and the
   * service deployment STOPPED.
   */
  private void failDeployment(Service s, Deployment failed, boolean rollback, Instant at, String reason,
      String detector) {
    failed.updatedAt = at;
    s.steady = false;
    Deployment target = s.lastCompleted;
    // a revision that fails is not rolled back to itself (that would loop)
    boolean rollsBack = rollback && target != null && !target.taskDefinitionArn.equals(failed.taskDefinitionArn);
    if (failed.rollbackOf != null) {
      failed.rollbackOf.status = "ROLLBACK_FAILED";
      failed.rollbackOf.statusReason = "The rollback failed: " + reason;
      failed.rollbackOf.finishedAt = at;
      failed.rollbackOf.updatedAt = at;
    }
    if (rollsBack && !settings.rollbackLag().isZero()) {
      failed.failAt = at.plus(settings.rollbackLag());
      failed.failReason = reason;
    } else {
      failed.rolloutState = "FAILED";
      failed.rolloutStateReason = reason;
    }
    ServiceDeploymentRecord r = failed.record;
    if (!rollsBack) {
      if (r != null) {
        r.status = "STOPPED";
        r.statusReason = reason + (rollback ? " Rollback is on, but there is no COMPLETED deployment to roll back"
            + " to." : "");
        r.lifecycleStage = null;
        r.finishedAt = at;
        r.updatedAt = at;
      }
      return;
    }
    Deployment back = startDeployment(s, target.taskDefinitionArn, at);
    back.rolloutStateReason = "ECS deployment " + detector + ": rolling back to deploymentId " + target.id + ".";
    event(s, at, "(service " + s.name + ") rolling back to deployment " + target.id + ".");
    if (r != null) {
      r.status = "ROLLBACK_IN_PROGRESS";
      r.statusReason = reason;
      r.rollbackReason = reason;
      r.rollbackAt = at;
      r.rollbackRevisionArn = target.record != null ? target.record.revisionArn : null;
      r.updatedAt = at;
      back.rollbackOf = r;
    }
  }

  private Task launchTask(Service s, Deployment d, TaskDef def, Instant at) {
    String id = UUID.randomUUID().toString().replace("-", "");
    Task t = new Task(id, "arn:aws:ecs:" + region + ":" + accountId + ":task/" + s.cluster.name + "/" + id, s,
        d.taskDefinitionArn, d.id, at);
    Duration delay = settings.taskStartDelay();
    t.readyAt = at.plus(delay);
    if (delay.dividedBy(2).compareTo(Duration.ZERO) > 0) {
      t.pendingAt = at.plus(delay.dividedBy(2));
    }
    for (JsonNode cd : def.body.get("containerDefinitions")) {
      Container c = new Container();
      c.arn = "arn:aws:ecs:" + region + ":" + accountId + ":container/" + s.cluster.name + "/" + id + "/"
          + UUID.randomUUID();
      c.name = text(cd, "name");
      c.image = text(cd, "image");
      c.cpu = cd.path("cpu").asText("0");
      c.memory = cd.hasNonNull("memory") ? cd.get("memory").asText() : null;
      t.containers.add(c);
    }
    s.cluster.tasks.put(id, t);
    d.updatedAt = at;
    return t;
  }

  private void stopTask(Task t, String reason, Instant at) {
    if (t.desiredStatus.equals("STOPPED")) {
      return;
    }
    t.desiredStatus = "STOPPED";
    t.lastStatus = t.startedAt != null ? "STOPPING" : t.lastStatus;
    t.readyAt = null;
    t.pendingAt = null;
    t.stopAt = at.plus(settings.taskStopDelay());
    t.stoppingAt = at;
    t.stopCode = "ServiceSchedulerInitiated";
    t.stoppedReason = reason;
    t.version++;
  }

  private static String taskList(List<Task> tasks) {
    return tasks.stream().map(t -> "(task " + t.id + ")").collect(Collectors.joining(" "));
  }

  private static void event(Service s, Instant at, String message) {
    s.events.add(0, new Event(UUID.randomUUID().toString(), at, message));
    while (s.events.size() > MAX_EVENTS) {
      s.events.remove(s.events.size() - 1);
    }
  }

  private static String newDeploymentId() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    StringBuilder b = new StringBuilder("ecs-svc/").append(1 + r.nextInt(9));
    for (int i = 0; i < 18; i++) {
      b.append(r.nextInt(10));
    }
    return b.toString();
  }

  // ---------------------------------------------------------------------------------------------------------
  // JSON helpers

  /** Epoch seconds with milliseconds as a fraction, as AWS JSON protocols send timestamps. */
  static DecimalNode timestamp(Instant t) {
    return new DecimalNode(BigDecimal.valueOf(t.toEpochMilli(), 3));
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n == null ? null : n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    if (array != null && array.isArray()) {
      array.forEach(v -> out.add(v.asText()));
    }
    return out;
  }

  private static boolean includes(JsonNode req, String what) {
    return strings(req.get("include")).contains(what);
  }

  private static ObjectNode failure(String arn, String reason) {
    return NODES.objectNode().put("arn", arn).put("reason", reason);
  }

  private static JsonNode page(JsonNode req, List<String> all, String member) {
    int max = req.hasNonNull("maxResults") ? req.get("maxResults").asInt() : 100;
    if (max < 1 || max > 100) {
      throw invalid("maxResults must be between 1 and 100.");
    }
    int from = 0;
    String token = text(req, "nextToken");
    if (token != null) {
      try {
        from = Integer.parseInt(new String(java.util.Base64.getDecoder().decode(token),
            java.nio.charset.StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        throw invalid("Invalid nextToken.");
      }
    }
    int to = Math.min(all.size(), from + max);
    ObjectNode out = NODES.objectNode();
    ArrayNode a = out.putArray(member);
    all.subList(Math.min(from, to), to).forEach(a::add);
    if (to < all.size()) {
      out.put("nextToken", java.util.Base64.getEncoder().encodeToString(String.valueOf(to)
          .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
    return out;
  }

  private static AwsErrorException client(String message) {
    return AwsErrorException.client("ClientException", message);
  }

  private static AwsErrorException invalid(String message) {
    return AwsErrorException.client("InvalidParameterException", message);
  }

  private String clusterArn(String name) {
    return "arn:aws:ecs:" + region + ":" + accountId + ":cluster/" + name;
  }

  // ---------------------------------------------------------------------------------------------------------
  // State

  private record Tag(String key, String value) {}

  private record Event(String id, Instant createdAt, String message) {}

  private static final class Cluster {
    final String name;
    final String arn;
    final List<Tag> tags = new ArrayList<>();
    final Map<String, Service> services = new LinkedHashMap<>();
    final Map<String, Task> tasks = new LinkedHashMap<>();
    JsonNode settings;

    Cluster(String name, String arn) {
      this.name = name;
      this.arn = arn;
    }
  }

  private static final class TaskDef {
    final String family;
    final int revision;
    final String arn;
    final ObjectNode body;
    final List<Tag> tags = new ArrayList<>();
    String status = "ACTIVE";
    Instant deregisteredAt;

    TaskDef(String family, int revision, String arn, ObjectNode body) {
      this.family = family;
      this.revision = revision;
      this.arn = arn;
      this.body = body;
    }

    ObjectNode render() {
      ObjectNode n = body.deepCopy();
      n.put("status", status);
      if (deregisteredAt != null) {
        n.set("deregisteredAt", timestamp(deregisteredAt));
      }
      return n;
    }
  }

  private static final class Service {
    final String name;
    final String arn;
    final Cluster cluster;
    final Instant createdAt;
    final List<Tag> tags = new ArrayList<>();
    final List<Deployment> deployments = new ArrayList<>();
    final List<Event> events = new ArrayList<>();
    String status = "ACTIVE";
    String controller = "ECS";
    String launchType;
    int desiredCount;
    String taskDefinitionArn;
    ObjectNode deploymentConfiguration;
    ObjectNode request;
    Deployment lastCompleted;
    boolean steady;
    final List<ServiceDeploymentRecord> serviceDeployments = new ArrayList<>();
    ObjectNode staleAnswer;
    int staleReadsLeft;

    Service(String name, String arn, Cluster cluster, Instant createdAt) {
      this.name = name;
      this.arn = arn;
      this.cluster = cluster;
      this.createdAt = createdAt;
    }

    Deployment primary() {
      return deployments.get(0);
    }

    Deployment deployment(String id) {
      return deployments.stream().filter(d -> d.id.equals(id)).findFirst().orElse(null);
    }

    java.util.stream.Stream<Task> tasks() {
      return cluster.tasks.values().stream().filter(t -> t.service == this);
    }

    boolean hasNoTasks(Deployment d) {
      return tasksOf(d).allMatch(t -> "STOPPED".equals(t.lastStatus));
    }

    java.util.stream.Stream<Task> tasksOf(Deployment d) {
      return tasks().filter(t -> t.startedBy.equals(d.id));
    }
  }

  private static final class Deployment {
    final String id;
    final String taskDefinitionArn;
    final Instant createdAt;
    String status;
    int desiredCount;
    int failedTasks;
    Instant updatedAt;
    String rolloutState = "IN_PROGRESS";
    String rolloutStateReason;
    /** The service deployment it carries out; null for a rollback deployment. */
    ServiceDeploymentRecord record;
    /** For a rollback deployment: the service deployment it rolls back. */
    ServiceDeploymentRecord rollbackOf;
    /** When a lagging failed deployment turns FAILED, and with what reason. */
    Instant failAt;
    String failReason;

    Deployment(String id, String taskDefinitionArn, int desiredCount, Instant createdAt) {
      this.id = id;
      this.taskDefinitionArn = taskDefinitionArn;
      this.desiredCount = desiredCount;
      this.createdAt = createdAt;
      this.updatedAt = createdAt;
      this.rolloutStateReason = "ECS deployment " + id + " in progress.";
    }
  }

  /**
   * A service deployment (API reference, ServiceDeployment): PENDING is skipped, IN_PROGRESS until the deployment
   * completes (SUCCESSFUL), the circuit breaker or an alarm fails it (ROLLBACK_IN_PROGRESS, then ROLLBACK_SUCCESSFUL
   * or ROLLBACK_FAILED; STOPPED without rollback), or a newer one starts (STOPPED).
   */
  private static final class ServiceDeploymentRecord {
    final String arn;
    final String revisionArn;
    final Deployment deployment;
    final Instant createdAt;
    final List<String> sourceRevisionArns = new ArrayList<>();
    final List<String> triggeredAlarms = new ArrayList<>();
    Instant updatedAt;
    Instant finishedAt;
    String status = "IN_PROGRESS";
    String statusReason;
    String lifecycleStage;
    Instant stageAt;
    boolean blueGreen;
    ObjectNode deploymentConfiguration;
    String rollbackReason;
    Instant rollbackAt;
    String rollbackRevisionArn;
    String circuitBreakerStatus;
    String alarmsStatus;

    ServiceDeploymentRecord(String arn, String revisionArn, Deployment deployment, Instant createdAt) {
      this.arn = arn;
      this.revisionArn = revisionArn;
      this.deployment = deployment;
      this.createdAt = createdAt;
      this.updatedAt = createdAt;
    }
  }

  private static final class Container {
    String arn;
    String name;
    String image;
    String cpu;
    String memory;
    Integer exitCode;
    String reason;
  }

  private static final class Task {
    final String id;
    final String arn;
    final Service service;
    final String taskDefinitionArn;
    final String startedBy;
    final Instant createdAt;
    final List<Container> containers = new ArrayList<>();
    final List<Tag> tags = new ArrayList<>();
    String lastStatus = "PROVISIONING";
    String desiredStatus = "RUNNING";
    Instant pendingAt;
    Instant readyAt;
    Instant stopAt;
    Instant pullStartedAt;
    Instant pullStoppedAt;
    Instant startedAt;
    Instant stoppingAt;
    Instant stoppedAt;
    String stopCode;
    String stoppedReason;
    int version = 1;

    Task(String id, String arn, Service service, String taskDefinitionArn, String startedBy, Instant createdAt) {
      this.id = id;
      this.arn = arn;
      this.service = service;
      this.taskDefinitionArn = taskDefinitionArn;
      this.startedBy = startedBy;
      this.createdAt = createdAt;
    }

    /** Launched, wanted, not yet RUNNING. */
    boolean isPending() {
      return desiredStatus.equals("RUNNING") && !lastStatus.equals("RUNNING") && !lastStatus.equals("STOPPED");
    }

    /** Wanted running: pending or running, not being stopped. */
    boolean isLive() {
      return desiredStatus.equals("RUNNING") && !lastStatus.equals("STOPPED");
    }

    Instant dueAt() {
      if (lastStatus.equals("STOPPED")) {
        return null;
      }
      if (stopAt != null) {
        return stopAt;
      }
      return pendingAt != null ? pendingAt : readyAt;
    }
  }
}
