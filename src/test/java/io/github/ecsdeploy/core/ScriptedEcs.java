package io.github.ecsdeploy.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Container;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.DeploymentCircuitBreaker;
import software.amazon.awssdk.services.ecs.model.DeploymentConfiguration;
import software.amazon.awssdk.services.ecs.model.DeploymentControllerType;
import software.amazon.awssdk.services.ecs.model.DeploymentRolloutState;
import software.amazon.awssdk.services.ecs.model.DescribeServicesRequest;
import software.amazon.awssdk.services.ecs.model.DescribeServicesResponse;
import software.amazon.awssdk.services.ecs.model.DescribeTasksRequest;
import software.amazon.awssdk.services.ecs.model.DescribeTasksResponse;
import software.amazon.awssdk.services.ecs.model.ListTasksRequest;
import software.amazon.awssdk.services.ecs.model.ListTasksResponse;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceEvent;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.UpdateServiceRequest;
import software.amazon.awssdk.services.ecs.model.UpdateServiceResponse;

/**
 * An {@link EcsClient} that answers DescribeServices from a script (one answer per call, the last one
 * repeated), UpdateService with a fixed service, and ListTasks/DescribeTasks from a fixed set of stopped tasks.
 * Every other operation throws {@link UnsupportedOperationException} (the interface's default).
 */
final class ScriptedEcs implements EcsClient {

  static final String TD6 = "arn:aws:ecs:eu-west-1:123456789012:task-definition/hello-app:6";
  static final String TD7 = "arn:aws:ecs:eu-west-1:123456789012:task-definition/hello-app:7";
  static final String TD8 = "arn:aws:ecs:eu-west-1:123456789012:task-definition/hello-app:8";
  static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

  private final List<Supplier<DescribeServicesResponse>> describes = new ArrayList<>();
  private int next;
  private Service afterUpdate;
  private List<Task> stoppedTasks = List.of();

  final List<DescribeServicesRequest> describeCalls = new ArrayList<>();
  final List<UpdateServiceRequest> updateCalls = new ArrayList<>();
  final List<ListTasksRequest> listTasksCalls = new ArrayList<>();

  /** The answers to DescribeServices, in order; the first is the check before UpdateService. */
  ScriptedEcs describes(Service... services) {
    for (Service s : services) {
      describes.add(() -> DescribeServicesResponse.builder().services(s).build());
    }
    return this;
  }

  /** Adds an answer that throws. */
  ScriptedEcs describeThrows(RuntimeException e) {
    describes.add(() -> {
      throw e;
    });
    return this;
  }

  /** Adds a DescribeServices answer with a failure entry and no service. */
  ScriptedEcs describeFails(String reason) {
    describes.add(() -> DescribeServicesResponse.builder()
        .failures(f -> f.arn("arn:aws:ecs:eu-west-1:123456789012:service/prod/hello-svc").reason(reason))
        .build());
    return this;
  }

  ScriptedEcs afterUpdate(Service service) {
    this.afterUpdate = service;
    return this;
  }

  ScriptedEcs stoppedTasks(Task... tasks) {
    this.stoppedTasks = Arrays.asList(tasks);
    return this;
  }

  @Override
  public DescribeServicesResponse describeServices(DescribeServicesRequest request) {
    describeCalls.add(request);
    if (describes.isEmpty()) {
      throw new AssertionError("no DescribeServices answer scripted");
    }
    Supplier<DescribeServicesResponse> answer = describes.get(Math.min(next, describes.size() - 1));
    next++;
    return answer.get();
  }

  @Override
  public UpdateServiceResponse updateService(UpdateServiceRequest request) {
    updateCalls.add(request);
    if (afterUpdate == null) {
      throw new AssertionError("UpdateService was not expected");
    }
    return UpdateServiceResponse.builder().service(afterUpdate).build();
  }

  @Override
  public ListTasksResponse listTasks(ListTasksRequest request) {
    listTasksCalls.add(request);
    return ListTasksResponse.builder()
        .taskArns(stoppedTasks.stream()
            .filter(t -> t.startedBy().equals(request.startedBy()))
            .map(Task::taskArn)
            .toList())
        .build();
  }

  @Override
  public DescribeTasksResponse describeTasks(DescribeTasksRequest request) {
    return DescribeTasksResponse.builder()
        .tasks(stoppedTasks.stream().filter(t -> request.tasks().contains(t.taskArn())).toList())
        .build();
  }

  @Override
  public String serviceName() {
    return "ecs";
  }

  @Override
  public void close() {}

  // ---- builders of hand-made snapshots in ECS's shape (not recorded from AWS) ----------------------------

  static Deployment deployment(
      String id, String status, String td, int desired, int running, int pending, int failed,
      DeploymentRolloutState rollout) {
    return deployment(id, status, td, desired, running, pending, failed, rollout, null);
  }

  static Deployment deployment(
      String id, String status, String td, int desired, int running, int pending, int failed,
      DeploymentRolloutState rollout, String reason) {
    return Deployment.builder()
        .id(id).status(status).taskDefinition(td)
        .desiredCount(desired).runningCount(running).pendingCount(pending).failedTasks(failed)
        .rolloutState(rollout).rolloutStateReason(reason)
        .createdAt(T0).updatedAt(T0)
        .build();
  }

  static ServiceBuilder service(String td, Deployment... deployments) {
    return new ServiceBuilder(td, deployments);
  }

  static ServiceEvent event(String id, int secondsAfterT0, String message) {
    return ServiceEvent.builder().id(id).createdAt(T0.plusSeconds(secondsAfterT0)).message(message).build();
  }

  static Task stoppedTask(String id, String deploymentId, String td, String reason, Integer exitCode,
      String containerReason) {
    return Task.builder()
        .taskArn("arn:aws:ecs:eu-west-1:123456789012:task/prod/" + id)
        .taskDefinitionArn(td)
        .startedBy(deploymentId)
        .lastStatus("STOPPED")
        .desiredStatus("STOPPED")
        .stopCode("EssentialContainerExited")
        .stoppedReason(reason)
        .stoppedAt(T0.plusSeconds(id.hashCode() & 0xff))
        .containers(Container.builder().name("app").exitCode(exitCode).reason(containerReason).build())
        .build();
  }

  /** A service snapshot under construction. */
  static final class ServiceBuilder {
    private final Service.Builder b;
    private final List<ServiceEvent> events = new ArrayList<>();

    ServiceBuilder(String td, Deployment... deployments) {
      b = Service.builder()
          .serviceName("hello-svc")
          .serviceArn("arn:aws:ecs:eu-west-1:123456789012:service/prod/hello-svc")
          .clusterArn("arn:aws:ecs:eu-west-1:123456789012:cluster/prod")
          .status("ACTIVE")
          .taskDefinition(td)
          .desiredCount(3)
          .deploymentController(c -> c.type(DeploymentControllerType.ECS))
          .deployments(deployments);
    }

    ServiceBuilder status(String status) {
      b.status(status);
      return this;
    }

    ServiceBuilder controller(DeploymentControllerType type) {
      b.deploymentController(c -> c.type(type));
      return this;
    }

    ServiceBuilder circuitBreaker(boolean rollback) {
      b.deploymentConfiguration(DeploymentConfiguration.builder()
          .deploymentCircuitBreaker(DeploymentCircuitBreaker.builder().enable(true).rollback(rollback).build())
          .build());
      return this;
    }

    /** Events newest first, as DescribeServices returns them. */
    ServiceBuilder events(ServiceEvent... newestFirst) {
      events.addAll(Arrays.asList(newestFirst));
      return this;
    }

    Service build() {
      return b.events(events).build();
    }
  }
}
