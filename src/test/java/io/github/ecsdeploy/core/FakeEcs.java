package io.github.ecsdeploy.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.ecsdeploy.taskdef.SdkJson;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ClientException;
import software.amazon.awssdk.services.ecs.model.ClusterNotFoundException;
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
 * An in-memory ECS with only the three operations the registrar calls; any other operation throws (the SDK
 * interface's default). Task definitions keep revisions, status and tags; describe by family returns the
 * newest ACTIVE revision, as ECS does.
 */
final class FakeEcs implements EcsClient {

  static final String ACCOUNT = "123456789012";

  final Set<String> clusters = new LinkedHashSet<>();
  final Map<String, Service> services = new HashMap<>();
  final Map<String, List<TaskDefinition>> families = new HashMap<>();
  final Map<String, List<Tag>> tags = new HashMap<>();
  final List<RegisterTaskDefinitionRequest> registered = new ArrayList<>();
  final List<String> calls = new ArrayList<>();

  static String arn(String family, int revision) {
    return "arn:aws:ecs:eu-west-1:" + ACCOUNT + ":task-definition/" + family + ":" + revision;
  }

  void addService(String cluster, String service, String taskDefinitionArn) {
    clusters.add(cluster);
    services.put(cluster + "/" + service, Service.builder().serviceName(service).status("ACTIVE")
        .taskDefinition(taskDefinitionArn).build());
  }

  /** Adds the next revision of {@code definition.family()} with the given status and tags. */
  TaskDefinition add(TaskDefinition definition, TaskDefinitionStatus status, List<Tag> withTags) {
    List<TaskDefinition> revisions = families.computeIfAbsent(definition.family(), f -> new ArrayList<>());
    int revision = revisions.size() + 1;
    TaskDefinition stored = definition.toBuilder().revision(revision).status(status)
        .taskDefinitionArn(arn(definition.family(), revision)).build();
    revisions.add(stored);
    tags.put(stored.taskDefinitionArn(), withTags);
    return stored;
  }

  @Override
  public DescribeServicesResponse describeServices(DescribeServicesRequest request) {
    calls.add("DescribeServices");
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
        failures.add(Failure.builder().arn("arn:aws:ecs:eu-west-1:" + ACCOUNT + ":service/" + cluster + "/" + name)
            .reason("MISSING").build());
      } else {
        found.add(service);
      }
    }
    return DescribeServicesResponse.builder().services(found).failures(failures).build();
  }

  @Override
  public DescribeTaskDefinitionResponse describeTaskDefinition(DescribeTaskDefinitionRequest request) {
    calls.add("DescribeTaskDefinition " + request.taskDefinition());
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
    registered.add(request);
    ObjectNode json = SdkJson.write(request);
    json.remove("tags");
    TaskDefinition definition = SdkJson.readInto(TaskDefinition.builder(), json, "").build();
    TaskDefinition stored = add(definition, TaskDefinitionStatus.ACTIVE, request.hasTags() ? request.tags() : List.of());
    return RegisterTaskDefinitionResponse.builder().taskDefinition(stored).tags(request.tags()).build();
  }

  private TaskDefinition find(String reference) {
    String name = reference;
    if (name.startsWith("arn:")) {
      name = name.substring(name.indexOf('/') + 1);
    }
    int colon = name.indexOf(':');
    String family = colon < 0 ? name : name.substring(0, colon);
    List<TaskDefinition> revisions = families.getOrDefault(family, List.of());
    if (colon >= 0) {
      int revision = Integer.parseInt(name.substring(colon + 1));
      return revision >= 1 && revision <= revisions.size() ? revisions.get(revision - 1) : null;
    }
    for (int i = revisions.size() - 1; i >= 0; i--) {
      if (revisions.get(i).status() == TaskDefinitionStatus.ACTIVE) {
        return revisions.get(i);
      }
    }
    return null;
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
