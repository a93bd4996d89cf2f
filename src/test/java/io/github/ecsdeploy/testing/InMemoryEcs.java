package io.github.ecsdeploy.testing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ClientException;
import software.amazon.awssdk.services.ecs.model.ClusterNotFoundException;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.DescribeServicesRequest;
import software.amazon.awssdk.services.ecs.model.DescribeServicesResponse;
import software.amazon.awssdk.services.ecs.model.DescribeTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.DescribeTaskDefinitionResponse;
import software.amazon.awssdk.services.ecs.model.Failure;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionResponse;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionField;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionStatus;

/**
 * An in-memory ECS for unit tests of pure logic, with only DescribeServices, DescribeTaskDefinition and
 * RegisterTaskDefinition; any other operation throws (the SDK interface's default). Clusters hold services;
 * task-definition families keep revisions with status and tags; describing a family returns its newest ACTIVE
 * revision, as ECS does. Every call is recorded in {@link #calls}.
 *
 * <p>A registered definition is stored by copying the request member by member with the SDK's own builders
 * ({@link #REGISTER_MEMBERS_COPIED} lists them, and {@code InMemoryEcsTest} fails when the SDK adds one), never
 * through the project's own JSON reader or transformer, so a fault there cannot hide itself here.
 *
 * <p>Protocol-level behaviour (wire shapes, defaults ECS fills in, eventual consistency) belongs to the
 * stand-in under {@code standin/}, not here.
 */
public final class InMemoryEcs implements EcsClient {

  /** The account of every ARN. */
  public static final String ACCOUNT = "123456789012";

  /** The region of every ARN. */
  public static final String REGION = "eu-west-1";

  /**
   * The members of RegisterTaskDefinitionRequest that {@link #registerTaskDefinition} copies into the stored
   * TaskDefinition (tags are kept beside it, as ECS does).
   */
  public static final Set<String> REGISTER_MEMBERS_COPIED = Set.of("family", "taskRoleArn", "executionRoleArn",
      "networkMode", "containerDefinitions", "volumes", "placementConstraints", "requiresCompatibilities", "cpu",
      "memory", "pidMode", "ipcMode", "proxyConfiguration", "inferenceAccelerators", "ephemeralStorage",
      "runtimePlatform", "enableFaultInjection");

  /** The clusters that exist; DescribeServices in any other throws ClusterNotFoundException. */
  public final Set<String> clusters = new LinkedHashSet<>();

  /** Services by {@code cluster/name}. */
  public final Map<String, Service> services = new HashMap<>();

  /** Revisions by family, then revision number. */
  public final Map<String, NavigableMap<Integer, TaskDefinition>> families = new HashMap<>();

  /** Tags by task-definition ARN. */
  public final Map<String, List<Tag>> tags = new HashMap<>();

  /** Every RegisterTaskDefinition request, in order. */
  public final List<RegisterTaskDefinitionRequest> registered = new ArrayList<>();

  /** Every call, as {@code "DescribeServices"}, {@code "DescribeTaskDefinition <reference>"}, {@code
   * "RegisterTaskDefinition <family>"}. */
  public final List<String> calls = new ArrayList<>();

  /**
   * Failures to throw, by operation ({@code "DescribeServices"}, {@code "DescribeTaskDefinition"}, {@code
   * "RegisterTaskDefinition"}): the call is recorded, then the exception thrown, every time.
   */
  public final Map<String, RuntimeException> failures = new HashMap<>();

  /** The ARN of {@code family:revision}. */
  public static String arn(String family, int revision) {
    return "arn:aws:ecs:" + REGION + ":" + ACCOUNT + ":task-definition/" + family + ":" + revision;
  }

  /**
   * Adds an ACTIVE service running {@code taskDefinition} (an ARN or {@code family:revision}), with one PRIMARY
   * deployment of it, and creates its cluster.
   */
  public Service addService(String cluster, String service, String taskDefinition) {
    return putService(cluster, Service.builder().serviceName(service).status("ACTIVE")
        .serviceArn("arn:aws:ecs:" + REGION + ":" + ACCOUNT + ":service/" + cluster + "/" + service)
        .taskDefinition(taskDefinition)
        .deployments(Deployment.builder().id("ecs-svc/1").status("PRIMARY").taskDefinition(taskDefinition).build())
        .build());
  }

  /** Stores {@code service} (replacing one of the same name) in {@code cluster}, creating the cluster. */
  public Service putService(String cluster, Service service) {
    clusters.add(cluster);
    services.put(cluster + "/" + service.serviceName(), service);
    return service;
  }

  /** The service {@code name} of {@code cluster}; fails when there is none. */
  public Service service(String cluster, String name) {
    Service service = services.get(cluster + "/" + name);
    if (service == null) {
      throw new IllegalArgumentException("no service " + cluster + "/" + name);
    }
    return service;
  }

  /** Adds the next revision of {@code definition.family()} with the given status and tags. */
  public TaskDefinition add(TaskDefinition definition, TaskDefinitionStatus status, List<Tag> withTags) {
    NavigableMap<Integer, TaskDefinition> revisions = revisions(definition.family());
    int revision = revisions.isEmpty() ? 1 : revisions.lastKey() + 1;
    return put(definition.toBuilder().revision(revision).build(), status, withTags);
  }

  /** Stores {@code definition} at its own revision, ACTIVE, without tags. */
  public TaskDefinition put(TaskDefinition definition) {
    return put(definition, TaskDefinitionStatus.ACTIVE, List.of());
  }

  /** Stores {@code definition} at its own revision with the given status and tags. */
  public TaskDefinition put(TaskDefinition definition, TaskDefinitionStatus status, List<Tag> withTags) {
    TaskDefinition stored = definition.toBuilder().status(status)
        .taskDefinitionArn(arn(definition.family(), definition.revision())).build();
    revisions(definition.family()).put(definition.revision(), stored);
    tags.put(stored.taskDefinitionArn(), withTags);
    return stored;
  }

  /** Stores an ACTIVE revision {@code family:revision} with these containers and no tags. */
  public TaskDefinition put(String family, int revision, ContainerDefinition... containers) {
    return put(TaskDefinition.builder().family(family).revision(revision).containerDefinitions(containers).build());
  }

  private NavigableMap<Integer, TaskDefinition> revisions(String family) {
    return families.computeIfAbsent(family, f -> new TreeMap<>());
  }

  @Override
  public DescribeServicesResponse describeServices(DescribeServicesRequest request) {
    calls.add("DescribeServices");
    failIfAsked("DescribeServices");
    String cluster = request.cluster() == null ? "default" : request.cluster();
    if (!clusters.contains(cluster)) {
      throw (ClusterNotFoundException) ClusterNotFoundException.builder().message("Cluster not found.")
          .awsErrorDetails(details("ClusterNotFoundException", "Cluster not found.")).statusCode(400).build();
    }
    List<Service> found = new ArrayList<>();
    List<Failure> failures = new ArrayList<>();
    for (String name : request.services()) {
      Service service = services.get(cluster + "/" + name);
      if (service == null) {
        failures.add(Failure.builder().arn("arn:aws:ecs:" + REGION + ":" + ACCOUNT + ":service/" + cluster + "/"
            + name).reason("MISSING").build());
      } else {
        found.add(service);
      }
    }
    return DescribeServicesResponse.builder().services(found).failures(failures).build();
  }

  @Override
  public DescribeTaskDefinitionResponse describeTaskDefinition(DescribeTaskDefinitionRequest request) {
    calls.add("DescribeTaskDefinition " + request.taskDefinition());
    failIfAsked("DescribeTaskDefinition");
    TaskDefinition found = find(request.taskDefinition());
    if (found == null) {
      throw (ClientException) ClientException.builder().message("Unable to describe task definition.")
          .awsErrorDetails(details("ClientException", "Unable to describe task definition.")).statusCode(400)
          .build();
    }
    DescribeTaskDefinitionResponse.Builder response = DescribeTaskDefinitionResponse.builder().taskDefinition(found);
    if (request.include().contains(TaskDefinitionField.TAGS)) {
      response.tags(tags.get(found.taskDefinitionArn()));
    }
    return response.build();
  }

  @Override
  public RegisterTaskDefinitionResponse registerTaskDefinition(RegisterTaskDefinitionRequest request) {
    calls.add("RegisterTaskDefinition " + request.family());
    failIfAsked("RegisterTaskDefinition");
    registered.add(request);
    TaskDefinition.Builder definition = TaskDefinition.builder()
        .family(request.family())
        .taskRoleArn(request.taskRoleArn())
        .executionRoleArn(request.executionRoleArn())
        .networkMode(request.networkModeAsString())
        .containerDefinitions(request.hasContainerDefinitions() ? request.containerDefinitions() : null)
        .volumes(request.hasVolumes() ? request.volumes() : null)
        .placementConstraints(request.hasPlacementConstraints() ? request.placementConstraints() : null)
        .requiresCompatibilitiesWithStrings(
            request.hasRequiresCompatibilities() ? request.requiresCompatibilitiesAsStrings() : null)
        .cpu(request.cpu())
        .memory(request.memory())
        .pidMode(request.pidModeAsString())
        .ipcMode(request.ipcModeAsString())
        .proxyConfiguration(request.proxyConfiguration())
        .inferenceAccelerators(request.hasInferenceAccelerators() ? request.inferenceAccelerators() : null)
        .ephemeralStorage(request.ephemeralStorage())
        .runtimePlatform(request.runtimePlatform())
        .enableFaultInjection(request.enableFaultInjection())
        .registeredAt(Instant.parse("2026-01-01T00:00:00Z"));
    TaskDefinition stored = add(definition.build(), TaskDefinitionStatus.ACTIVE,
        request.hasTags() ? request.tags() : List.of());
    return RegisterTaskDefinitionResponse.builder().taskDefinition(stored).tags(request.tags()).build();
  }

  private TaskDefinition find(String reference) {
    String name = reference;
    if (name.startsWith("arn:")) {
      name = name.substring(name.indexOf('/') + 1);
    }
    int colon = name.indexOf(':');
    String family = colon < 0 ? name : name.substring(0, colon);
    NavigableMap<Integer, TaskDefinition> revisions = families.getOrDefault(family, new TreeMap<>());
    if (colon >= 0) {
      return revisions.get(Integer.parseInt(name.substring(colon + 1)));
    }
    return revisions.descendingMap().values().stream()
        .filter(d -> d.status() == TaskDefinitionStatus.ACTIVE).findFirst().orElse(null);
  }

  private void failIfAsked(String operation) {
    RuntimeException failure = failures.get(operation);
    if (failure != null) {
      throw failure;
    }
  }

  private static AwsErrorDetails details(String code, String message) {
    return AwsErrorDetails.builder().errorCode(code).errorMessage(message).build();
  }

  @Override
  public String serviceName() {
    return "ecs";
  }

  @Override
  public void close() {}
}
