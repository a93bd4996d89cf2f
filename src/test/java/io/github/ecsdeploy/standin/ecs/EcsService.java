package io.github.ecsdeploy.standin.ecs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.ecsdeploy.standin.AwsErrorException;
import io.github.ecsdeploy.standin.JsonProtocolService;
import io.github.ecsdeploy.standin.ecs.EcsState.Service;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;

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
 * {@link EcsState.ServiceDeploymentRecord}.
 *
 * <p>Test controls: {@link #failTaskDefinition}, {@link #failImage}, {@link #clearFailures},
 * {@link #crashRunningTasks}, {@link #triggerAlarm} and {@link #setSettings} (rollback lag, stale reads, a role
 * denied the Service Deployments API, bake time). All public methods are thread-safe (one lock).
 *
 * <p>Where things live: this class dispatches each operation ({@link #handle(String, JsonNode)}) to the handler of
 * its API area ({@link ClusterApi}, {@link TaskDefinitionApi}, {@link ServiceApi}, {@link ServiceDeploymentApi},
 * {@link TaskApi}, {@link TagApi}) and holds the test controls; {@link EcsState} is the world and its lookups,
 * {@link EcsScheduler} the deployment simulator, {@link EcsRendering} the JSON shapes ECS answers with, and
 * {@link EcsJson} the protocol vocabulary they share.
 */
public final class EcsService implements JsonProtocolService {

  /** The {@code X-Amz-Target} prefix of ECS. */
  public static final String TARGET_PREFIX = "AmazonEC2ContainerServiceV20141113";

  private final Clock clock;
  private final EcsState state;
  private final EcsScheduler scheduler;
  private final ClusterApi clusters;
  private final TaskDefinitionApi taskDefinitions;
  private final ServiceApi services;
  private final ServiceDeploymentApi serviceDeployments;
  private final TaskApi tasks;
  private final TagApi tags;
  private final EcsStandaloneTasks standaloneTasks;

  /**
   * @param region e.g. {@code us-east-1}, used in every ARN
   * @param accountId twelve digits, used in every ARN
   * @param clock the simulator's time; a manual clock makes tests deterministic
   * @param settings task start and stop delays
   */
  public EcsService(String region, String accountId, Clock clock, EcsSimulationSettings settings) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.state = new EcsState(region, accountId, settings);
    this.scheduler = new EcsScheduler(state);
    EcsRendering render = new EcsRendering(state);
    this.clusters = new ClusterApi(state, render);
    this.taskDefinitions = new TaskDefinitionApi(state);
    this.services = new ServiceApi(state, render, scheduler);
    this.serviceDeployments = new ServiceDeploymentApi(state, render);
    this.tasks = new TaskApi(state, render);
    this.tags = new TagApi(state);
    this.standaloneTasks = new EcsStandaloneTasks(region, accountId, clock, this::settings, this::handle);
  }

  /** RunTask's standalone tasks, with their test controls (exit codes, log lines, tasks that never stop). */
  public EcsStandaloneTasks standaloneTasks() {
    return standaloneTasks;
  }

  @Override
  public String targetPrefix() {
    return TARGET_PREFIX;
  }

  @Override
  public synchronized JsonNode handle(String operation, JsonNode request) {
    JsonNode body = request == null || request.isNull() ? EcsJson.NODES.objectNode() : request;
    Instant now = clock.instant();
    scheduler.advance(now);
    return switch (operation) {
      case "CreateCluster" -> clusters.createCluster(body);
      case "DescribeClusters" -> clusters.describeClusters(body);
      case "RegisterTaskDefinition" -> taskDefinitions.registerTaskDefinition(body, now);
      case "DescribeTaskDefinition" -> taskDefinitions.describeTaskDefinition(body);
      case "ListTaskDefinitions" -> taskDefinitions.listTaskDefinitions(body);
      case "DeregisterTaskDefinition" -> taskDefinitions.deregisterTaskDefinition(body, now);
      case "CreateService" -> services.createService(body, now);
      case "UpdateService" -> services.updateService(body, now);
      case "DeleteService" -> services.deleteService(body, now);
      case "DescribeServices" -> services.describeServices(body);
      case "ListTasks" -> tasks.listTasks(body);
      case "DescribeTasks" -> standaloneTasks.describeInto(tasks.describeTasks(body), body);
      case "RunTask" -> standaloneTasks.runTask(body);
      case "ListServiceDeployments" -> serviceDeployments.listServiceDeployments(body);
      case "DescribeServiceDeployments" -> serviceDeployments.describeServiceDeployments(body);
      case "DescribeServiceRevisions" -> serviceDeployments.describeServiceRevisions(body);
      case "TagResource" -> tags.tagResource(body);
      case "ListTagsForResource" -> tags.listTagsForResource(body);
      default -> throw new AwsErrorException(400, "UnknownOperationException", null);
    };
  }

  /** Convenience for tests: {@link #handle(String, JsonNode)} with a JSON text. */
  public JsonNode handle(String operation, String jsonBody) {
    try {
      return handle(operation, EcsJson.MAPPER.readTree(jsonBody == null || jsonBody.isBlank() ? "{}" : jsonBody));
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
    state.failingTaskDefinitions.put(Objects.requireNonNull(taskDefinitionArn), Objects.requireNonNull(failure));
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
    state.failingImages.put(Objects.requireNonNull(image), Objects.requireNonNull(failure));
  }

  /** Forgets every failure set up with failTaskDefinition or failImage; tasks launched from now on start. */
  public synchronized void clearFailures() {
    state.failingTaskDefinitions.clear();
    state.failingImages.clear();
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
    scheduler.advance(now);
    return scheduler.crashRunningTasks(service(cluster, service), failure, now);
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
    scheduler.advance(now);
    return scheduler.triggerAlarm(service(cluster, service), alarmName, now);
  }

  /** The current delays. */
  public EcsSimulationSettings settings() {
    return state.settings;
  }

  /** Changes the delays for tasks launched or stopped from now on. */
  public synchronized void setSettings(EcsSimulationSettings newSettings) {
    scheduler.advance(clock.instant());
    state.settings = Objects.requireNonNull(newSettings);
  }

  private Service service(String cluster, String service) {
    return state.requireService(state.requireCluster(EcsJson.NODES.objectNode().put("cluster", cluster)), service);
  }
}
