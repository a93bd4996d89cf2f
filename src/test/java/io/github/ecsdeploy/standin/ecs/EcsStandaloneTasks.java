package io.github.ecsdeploy.standin.ecs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.ecsdeploy.standin.AwsErrorException;
import io.github.ecsdeploy.standin.logs.LogsService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Standalone tasks of the ECS stand-in: RunTask, and their part of DescribeTasks. A standalone task is started by
 * RunTask, not by a service; it runs its containers once and stops when its essential container exits (a
 * database migration, a batch job).
 *
 * <p>RunTask follows the API reference, https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RunTask.html :
 * {@code taskDefinition} is {@code family}, {@code family:revision} or a full ARN ("If a revision isn't
 * specified, the latest ACTIVE revision is used"); {@code cluster} defaults to {@code default}; {@code launchType}
 * and {@code capacityProviderStrategy} exclude each other ("If a capacityProviderStrategy is specified, the
 * launchType parameter must be omitted"); {@code count} is 1 to 10; {@code startedBy} is up to 128 letters,
 * numbers, hyphens, forward slashes and underscores; {@code overrides.containerOverrides[].name} must name a
 * container of the task definition; a task definition with network mode {@code awsvpc} needs
 * {@code networkConfiguration}; the answer is {@code {"tasks": [...], "failures": []}} with the tasks in
 * PROVISIONING. An INACTIVE revision cannot run new tasks
 * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-definition-state.html).
 *
 * <p>Lifecycle, as https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-lifecycle-explanation.html
 * describes it: PROVISIONING, PENDING (half the start delay), RUNNING ({@code startedAt}); when the containers
 * exit (after {@link StandaloneTaskOutcome#runFor()}) the task's desired status turns STOPPED, it is
 * DEACTIVATING with {@code stoppingAt} and {@code executionStoppedAt}, and STOPPED after the stop delay with
 * {@code stopCode} {@code EssentialContainerExited}, {@code stoppedReason} "Essential container in task exited"
 * and each container's {@code exitCode} (DescribeTasks,
 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DescribeTasks.html, and the stopped-task reasons
 * in https://docs.aws.amazon.com/AmazonECS/latest/developerguide/stopped-task-error-codes.html). The exit code is
 * 0 unless a test chose otherwise with {@link #setOutcome}; a task can also never stop.
 *
 * <p>Logs: a container with {@code logConfiguration.logDriver = awslogs} writes its lines to CloudWatch Logs
 * group {@code awslogs-group}, stream {@code <awslogs-stream-prefix>/<container name>/<task id>}
 * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/using_awslogs.html: "prefix-name/container-name/
 * ecs-task-id"); without a prefix the stream is named after the container's runtime id, which a client cannot
 * know in advance. A missing group with {@code awslogs-create-group} not {@code true} stops the task before it
 * starts with {@code ResourceInitializationError} (the error users report,
 * https://repost.aws/knowledge-center/ecs-fargate-resourceinitializationerror).
 *
 * <p>The state is computed from the launch instant and the clock at each read, so a manual clock makes it
 * deterministic, like the service simulator. Not thread-safe on its own: {@link EcsService} calls it under its
 * lock.
 */
public final class EcsStandaloneTasks {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Pattern STARTED_BY = Pattern.compile("[a-zA-Z0-9_/-]{1,128}");

  private final String region;
  private final String accountId;
  private final Clock clock;
  private final Supplier<EcsSimulationSettings> settings;
  private final BiFunction<String, JsonNode, JsonNode> ecsApi;
  private final Map<String, Task> tasks = new LinkedHashMap<>();
  private final Map<String, StandaloneTaskOutcome> outcomes = new HashMap<>();
  private StandaloneTaskOutcome defaultOutcome;
  private LogsService logs;

  /**
   * @param ecsApi the ECS stand-in's own operations (DescribeClusters, DescribeTaskDefinition), called under its
   *     lock
   */
  EcsStandaloneTasks(String region, String accountId, Clock clock, Supplier<EcsSimulationSettings> settings,
      BiFunction<String, JsonNode, JsonNode> ecsApi) {
    this.region = region;
    this.accountId = accountId;
    this.clock = clock;
    this.settings = settings;
    this.ecsApi = ecsApi;
  }

  // ---------------------------------------------------------------------------------------------------------
  // Test controls

  /** Where containers with the awslogs driver write; without it their output is dropped. */
  public synchronized void logTo(LogsService logsService) {
    this.logs = logsService;
  }

  /** Tasks launched from now on of this task-definition family end this way. */
  public synchronized void setOutcome(String family, StandaloneTaskOutcome outcome) {
    outcomes.put(Objects.requireNonNull(family, "family"), Objects.requireNonNull(outcome, "outcome"));
  }

  /** Tasks of families without their own outcome end this way; the default is exit 0 after the start delay. */
  public synchronized void setDefaultOutcome(StandaloneTaskOutcome outcome) {
    this.defaultOutcome = outcome;
  }

  /** Forgets the outcomes set with {@link #setOutcome} and {@link #setDefaultOutcome}. */
  public synchronized void clearOutcomes() {
    outcomes.clear();
    defaultOutcome = null;
  }

  /** The RunTask requests received, in order (for assertions). */
  public synchronized List<JsonNode> runTaskRequests() {
    return tasks.values().stream().map(t -> (JsonNode) t.request.deepCopy()).distinct().toList();
  }

  // ---------------------------------------------------------------------------------------------------------
  // RunTask

  synchronized JsonNode runTask(JsonNode req) {
    Instant now = clock.instant();
    String clusterRef = text(req, "cluster");
    JsonNode clusters = ecsApi.apply("DescribeClusters", NODES.objectNode().set("clusters",
        NODES.arrayNode().add(clusterRef == null ? "default" : clusterRef)));
    if (clusters.path("clusters").isEmpty()) {
      throw AwsErrorException.client("ClusterNotFoundException", "Cluster not found.");
    }
    JsonNode cluster = clusters.path("clusters").get(0);
    String tdRef = text(req, "taskDefinition");
    if (tdRef == null || tdRef.isBlank()) {
      throw invalid("TaskDefinition cannot be null or empty.");
    }
    JsonNode td;
    try {
      td = ecsApi.apply("DescribeTaskDefinition", NODES.objectNode().put("taskDefinition", tdRef))
          .get("taskDefinition");
    } catch (AwsErrorException e) {
      throw AwsErrorException.client("ClientException", "TaskDefinition not found.");
    }
    if (!"ACTIVE".equals(text(td, "status"))) {
      throw AwsErrorException.client("ClientException", "TaskDefinition is inactive");
    }
    String launchType = text(req, "launchType");
    JsonNode strategy = req.get("capacityProviderStrategy");
    boolean hasStrategy = strategy != null && strategy.isArray() && !strategy.isEmpty();
    if (launchType != null && hasStrategy) {
      throw invalid("Specifying both a launch type and capacity provider strategy is not supported. Remove one"
          + " and try again.");
    }
    if (launchType != null && !Set.of("EC2", "FARGATE", "EXTERNAL", "MANAGED_INSTANCES").contains(launchType)) {
      throw invalid("Invalid launch type: " + launchType);
    }
    String capacityProvider = hasStrategy ? text(strategy.get(0), "capacityProvider") : null;
    String effectiveLaunchType = launchType != null ? launchType
        : capacityProvider == null ? "EC2" : capacityProvider.startsWith("FARGATE") ? "FARGATE" : "EC2";
    if ("FARGATE".equals(effectiveLaunchType) && !strings(td.get("compatibilities")).contains("FARGATE")) {
      throw AwsErrorException.client("ClientException", "Task definition does not support launch_type FARGATE.");
    }
    if ("awsvpc".equals(text(td, "networkMode"))) {
      JsonNode vpc = req.path("networkConfiguration").path("awsvpcConfiguration");
      if (vpc.isMissingNode()) {
        throw invalid("Network Configuration must be provided when networkMode 'awsvpc' is specified.");
      }
      if (vpc.path("subnets").isEmpty()) {
        throw invalid("subnets can not be empty.");
      }
    }
    int count = req.path("count").asInt(1);
    if (count < 1 || count > 10) {
      throw invalid("count must be between 1 and 10.");
    }
    String startedBy = text(req, "startedBy");
    if (startedBy != null && !STARTED_BY.matcher(startedBy).matches()) {
      throw invalid("startedBy must be up to 128 letters, numbers, hyphens, forward slashes and underscores.");
    }
    Set<String> containerNames = new LinkedHashSet<>();
    td.path("containerDefinitions").forEach(cd -> containerNames.add(cd.path("name").asText()));
    for (JsonNode override : req.path("overrides").path("containerOverrides")) {
      String name = text(override, "name");
      if (name == null || !containerNames.contains(name)) {
        throw invalid("Override for container named " + name + " is not a container in the TaskDefinition.");
      }
    }
    String family = text(td, "family");
    StandaloneTaskOutcome outcome = outcomes.getOrDefault(family, defaultOutcome);
    if (outcome == null) {
      outcome = StandaloneTaskOutcome.exits(0, settings.get().taskStartDelay());
    }
    ArrayNode started = NODES.arrayNode();
    for (int i = 0; i < count; i++) {
      String id = UUID.randomUUID().toString().replace("-", "");
      String clusterName = text(cluster, "clusterName");
      Task t = new Task(id, "arn:aws:ecs:" + region + ":" + accountId + ":task/" + clusterName + "/" + id,
          text(cluster, "clusterArn"), clusterName, td, req.deepCopy(), now, settings.get(), outcome,
          effectiveLaunchType, capacityProvider);
      t.failure = writeLogs(t);
      tasks.put(id, t);
      started.add(render(t, now));
    }
    ObjectNode out = NODES.objectNode();
    out.set("tasks", started);
    out.set("failures", NODES.arrayNode());
    return out;
  }

  /**
   * Schedules the task's awslogs output; returns the start failure when a log group is missing and the task may
   * not create it, else null.
   */
  private String writeLogs(Task t) {
    if (logs == null) {
      return null;
    }
    List<Runnable> writes = new ArrayList<>();
    for (JsonNode cd : t.taskDefinition.path("containerDefinitions")) {
      JsonNode lc = cd.path("logConfiguration");
      if (!"awslogs".equals(text(lc, "logDriver"))) {
        continue;
      }
      JsonNode options = lc.path("options");
      String group = text(options, "awslogs-group");
      if (group == null) {
        continue;
      }
      if (!logs.hasGroup(group)) {
        if (!"true".equals(text(options, "awslogs-create-group"))) {
          return "ResourceInitializationError: failed to validate logger args: create stream has been retried 1"
              + " times: failed to create Cloudwatch log stream: ResourceNotFoundException: The specified log group"
              + " does not exist. : exit status 1";
        }
        writes.add(() -> logs.createGroup(group));
      }
      String prefix = text(options, "awslogs-stream-prefix");
      String stream = prefix == null ? HexFormat.of().formatHex(randomBytes())
          : prefix + "/" + cd.path("name").asText() + "/" + t.id;
      List<LogsService.Event> events = new ArrayList<>();
      List<String> lines = t.outcome.logLines();
      for (int i = 0; i < lines.size(); i++) {
        Duration offset = lines.size() == 1 ? Duration.ZERO : t.outcome.runFor().multipliedBy(i).dividedBy(lines.size());
        events.add(new LogsService.Event(t.startedAt.plus(offset), lines.get(i)));
      }
      writes.add(() -> logs.scheduleStream(group, stream, t.startedAt, events));
    }
    writes.forEach(Runnable::run);
    return null;
  }

  private static byte[] randomBytes() {
    byte[] b = new byte[32];
    ThreadLocalRandom.current().nextBytes(b);
    return b;
  }

  // ---------------------------------------------------------------------------------------------------------
  // DescribeTasks

  /**
   * Completes the service simulator's DescribeTasks answer: every failure {@code MISSING} that names a standalone
   * task of the request's cluster becomes that task.
   */
  synchronized JsonNode describeInto(JsonNode answer, JsonNode req) {
    if (!(answer instanceof ObjectNode out) || !answer.path("failures").isArray()) {
      return answer;
    }
    Instant now = clock.instant();
    String clusterRef = text(req, "cluster");
    String clusterName = clusterRef == null ? "default"
        : clusterRef.contains(":cluster/") ? clusterRef.substring(clusterRef.indexOf(":cluster/") + 9) : clusterRef;
    ArrayNode found = out.withArray("tasks");
    ArrayNode failures = (ArrayNode) out.get("failures");
    Iterator<JsonNode> it = failures.iterator();
    while (it.hasNext()) {
      String arn = text(it.next(), "arn");
      Task t = arn == null ? null : tasks.get(arn.substring(arn.lastIndexOf('/') + 1));
      if (t != null && t.clusterName.equals(clusterName)) {
        found.add(render(t, now));
        it.remove();
      }
    }
    return out;
  }

  private ObjectNode render(Task t, Instant now) {
    String status = t.status(now);
    boolean ran = t.failure == null && !now.isBefore(t.startedAt);
    boolean stopped = status.equals("STOPPED");
    boolean exited = t.failure == null && t.exitAt != null && !now.isBefore(t.exitAt);
    ObjectNode n = NODES.objectNode();
    n.set("attachments", NODES.arrayNode());
    n.put("availabilityZone", region + "a");
    if (t.capacityProvider != null) {
      n.put("capacityProviderName", t.capacityProvider);
    }
    n.put("clusterArn", t.clusterArn);
    ArrayNode containers = n.putArray("containers");
    for (JsonNode cd : t.taskDefinition.path("containerDefinitions")) {
      ObjectNode c = containers.addObject();
      c.put("containerArn", "arn:aws:ecs:" + region + ":" + accountId + ":container/" + t.clusterName + "/" + t.id
          + "/" + UUID.nameUUIDFromBytes((t.id + cd.path("name").asText()).getBytes()).toString());
      c.put("taskArn", t.arn);
      c.put("name", cd.path("name").asText());
      c.put("image", cd.path("image").asText());
      c.put("lastStatus", stopped || exited ? "STOPPED" : ran ? "RUNNING" : "PENDING");
      if (exited) {
        c.put("exitCode", t.outcome.exitCode());
      }
      if (t.failure != null && stopped) {
        c.put("reason", t.failure);
      }
      c.set("networkBindings", NODES.arrayNode());
      c.set("networkInterfaces", NODES.arrayNode());
      c.put("healthStatus", "UNKNOWN");
    }
    if (t.taskDefinition.hasNonNull("cpu")) {
      n.put("cpu", t.taskDefinition.get("cpu").asText());
    }
    if (t.taskDefinition.hasNonNull("memory")) {
      n.put("memory", t.taskDefinition.get("memory").asText());
    }
    n.set("createdAt", EcsJson.timestamp(t.createdAt));
    n.put("desiredStatus", stopped || exited ? "STOPPED" : "RUNNING");
    n.put("enableExecuteCommand", false);
    n.put("group", t.request.hasNonNull("group") ? t.request.get("group").asText()
        : "family:" + t.taskDefinition.path("family").asText());
    n.put("healthStatus", "UNKNOWN");
    n.put("lastStatus", status);
    n.put("launchType", t.launchType);
    ObjectNode overrides = n.putObject("overrides");
    ArrayNode co = overrides.putArray("containerOverrides");
    for (JsonNode given : t.request.path("overrides").path("containerOverrides")) {
      co.add(given.deepCopy());
    }
    overrides.set("inferenceAcceleratorOverrides", NODES.arrayNode());
    if ("FARGATE".equals(t.launchType)) {
      n.put("platformVersion", "1.4.0");
      n.put("platformFamily", "Linux");
    }
    if (!now.isBefore(t.pendingAt)) {
      n.set("pullStartedAt", EcsJson.timestamp(t.pendingAt));
    }
    if (ran) {
      n.set("pullStoppedAt", EcsJson.timestamp(t.pendingAt.plus(Duration.between(t.pendingAt, t.startedAt)
          .dividedBy(2))));
      n.set("startedAt", EcsJson.timestamp(t.startedAt));
    }
    if (t.request.hasNonNull("startedBy")) {
      n.put("startedBy", t.request.get("startedBy").asText());
    }
    Instant stoppingAt = t.failure != null ? t.startedAt : t.exitAt;
    if (stoppingAt != null && !now.isBefore(stoppingAt)) {
      n.set("stoppingAt", EcsJson.timestamp(stoppingAt));
      n.set("executionStoppedAt", EcsJson.timestamp(stoppingAt));
      n.put("stopCode", t.failure != null ? "TaskFailedToStart" : "EssentialContainerExited");
      n.put("stoppedReason", t.failure != null ? t.failure : "Essential container in task exited");
    }
    if (stopped) {
      n.set("stoppedAt", EcsJson.timestamp(t.stoppedAt()));
    }
    n.put("taskArn", t.arn);
    n.put("taskDefinitionArn", t.taskDefinition.path("taskDefinitionArn").asText());
    n.put("version", switch (status) {
      case "PROVISIONING" -> 1;
      case "PENDING" -> 2;
      case "RUNNING" -> 3;
      case "DEACTIVATING" -> 4;
      default -> 5;
    });
    return n;
  }

  // ---------------------------------------------------------------------------------------------------------

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

  private static AwsErrorException invalid(String message) {
    return AwsErrorException.client("InvalidParameterException", message);
  }

  private static final class Task {
    final String id;
    final String arn;
    final String clusterArn;
    final String clusterName;
    final JsonNode taskDefinition;
    final JsonNode request;
    final Instant createdAt;
    final Instant pendingAt;
    final Instant startedAt;
    final Instant exitAt;
    final Duration stopDelay;
    final StandaloneTaskOutcome outcome;
    final String launchType;
    final String capacityProvider;
    String failure;

    Task(String id, String arn, String clusterArn, String clusterName, JsonNode taskDefinition, JsonNode request,
        Instant createdAt, EcsSimulationSettings settings, StandaloneTaskOutcome outcome, String launchType,
        String capacityProvider) {
      this.id = id;
      this.arn = arn;
      this.clusterArn = clusterArn;
      this.clusterName = clusterName;
      this.taskDefinition = taskDefinition;
      this.request = request;
      this.createdAt = createdAt;
      this.pendingAt = createdAt.plus(settings.taskStartDelay().dividedBy(2));
      this.startedAt = createdAt.plus(settings.taskStartDelay());
      this.exitAt = outcome.neverStops() ? null : startedAt.plus(outcome.runFor());
      this.stopDelay = settings.taskStopDelay();
      this.outcome = outcome;
      this.launchType = launchType;
      this.capacityProvider = capacityProvider;
    }

    /** When the task is STOPPED, or null when it never stops. */
    Instant stoppedAt() {
      if (failure != null) {
        return startedAt.plus(stopDelay);
      }
      return exitAt == null ? null : exitAt.plus(stopDelay);
    }

    String status(Instant now) {
      Instant stoppedAt = stoppedAt();
      if (stoppedAt != null && !now.isBefore(stoppedAt)) {
        return "STOPPED";
      }
      if (failure != null) {
        return now.isBefore(pendingAt) ? "PROVISIONING" : now.isBefore(startedAt) ? "PENDING" : "DEACTIVATING";
      }
      if (exitAt != null && !now.isBefore(exitAt)) {
        return "DEACTIVATING";
      }
      if (!now.isBefore(startedAt)) {
        return "RUNNING";
      }
      return now.isBefore(pendingAt) ? "PROVISIONING" : "PENDING";
    }
  }
}
