package io.github.ecsdeploy.testing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.AccessDeniedException;
import software.amazon.awssdk.services.ecs.model.DescribeServiceDeploymentsRequest;
import software.amazon.awssdk.services.ecs.model.DescribeServiceDeploymentsResponse;
import software.amazon.awssdk.services.ecs.model.ListServiceDeploymentsRequest;
import software.amazon.awssdk.services.ecs.model.ListServiceDeploymentsResponse;
import software.amazon.awssdk.services.ecs.model.ServiceDeployment;
import software.amazon.awssdk.services.ecs.model.ServiceDeploymentBrief;
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
import software.amazon.awssdk.services.ecs.model.InvalidParameterException;
import software.amazon.awssdk.services.ecs.model.ListTasksRequest;
import software.amazon.awssdk.services.ecs.model.ListTasksResponse;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceEvent;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.UpdateServiceRequest;
import software.amazon.awssdk.services.ecs.model.UpdateServiceResponse;

/**
 * An {@link EcsClient} that answers DescribeServices from a script (one answer per call, the last one
 * repeated), UpdateService with a fixed service, ListTasks (in pages of {@code pageSize}) and DescribeTasks from a
 * fixed set of stopped tasks, and the Service Deployments API from a script too (by default AccessDenied, as for a
 * role without those actions). Every other operation throws {@link UnsupportedOperationException} (the
 * interface's default). The snapshots are written by hand in the shapes of the API reference.
 */
public final class ScriptedEcs implements EcsClient {

  public static final String TD6 = "arn:aws:ecs:eu-west-1:123456789012:task-definition/hello-app:6";
  public static final String TD7 = "arn:aws:ecs:eu-west-1:123456789012:task-definition/hello-app:7";
  public static final String TD8 = "arn:aws:ecs:eu-west-1:123456789012:task-definition/hello-app:8";
  public static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

  private final List<Supplier<DescribeServicesResponse>> describes = new ArrayList<>();
  private int next;
  private Service afterUpdate;
  private List<Task> stoppedTasks = List.of();
  private int pageSize = 100;
  private final List<Supplier<ServiceDeployment>> serviceDeployments = new ArrayList<>();
  private int nextServiceDeployment;
  private boolean serviceDeploymentsDenied = true;
  private final List<ServiceDeploymentBrief> briefs = new ArrayList<>();

  public final List<DescribeServicesRequest> describeCalls = new ArrayList<>();
  public final List<UpdateServiceRequest> updateCalls = new ArrayList<>();
  public final List<ListTasksRequest> listTasksCalls = new ArrayList<>();
  public final List<ListServiceDeploymentsRequest> listServiceDeploymentsCalls = new ArrayList<>();
  public int describeServiceDeploymentsCalls;

  /** The answers to DescribeServices, in order; the first is the check before UpdateService. */
  public ScriptedEcs describes(Service... services) {
    for (Service s : services) {
      describes.add(() -> DescribeServicesResponse.builder().services(s).build());
    }
    return this;
  }

  /** Adds an answer that throws. */
  public ScriptedEcs describeThrows(RuntimeException e) {
    describes.add(() -> {
      throw e;
    });
    return this;
  }

  /** Adds a DescribeServices answer with a failure entry and no service. */
  public ScriptedEcs describeFails(String reason) {
    describes.add(() -> DescribeServicesResponse.builder()
        .failures(f -> f.arn("arn:aws:ecs:eu-west-1:123456789012:service/prod/hello-svc").reason(reason))
        .build());
    return this;
  }

  public ScriptedEcs afterUpdate(Service service) {
    this.afterUpdate = service;
    return this;
  }

  public ScriptedEcs stoppedTasks(Task... tasks) {
    this.stoppedTasks = Arrays.asList(tasks);
    return this;
  }

  /** ListTasks answers at most this many ARNs per page. */
  public ScriptedEcs pageSize(int size) {
    this.pageSize = size;
    return this;
  }

  /**
   * Allows the Service Deployments API: ListServiceDeployments lists {@code brief}; DescribeServiceDeployments
   * answers {@code answers} in order, the last one repeated.
   */
  public ScriptedEcs serviceDeployments(ServiceDeploymentBrief brief, ServiceDeployment... answers) {
    serviceDeploymentsDenied = false;
    briefs.add(brief);
    for (ServiceDeployment sd : answers) {
      serviceDeployments.add(() -> sd);
    }
    return this;
  }

  /** Adds a DescribeServiceDeployments answer that throws. */
  public ScriptedEcs serviceDeploymentThrows(RuntimeException e) {
    serviceDeployments.add(() -> {
      throw e;
    });
    return this;
  }

  @Override
  public ListServiceDeploymentsResponse listServiceDeployments(ListServiceDeploymentsRequest request) {
    listServiceDeploymentsCalls.add(request);
    if (serviceDeploymentsDenied) {
      throw accessDenied("ecs:ListServiceDeployments");
    }
    return ListServiceDeploymentsResponse.builder().serviceDeployments(briefs).build();
  }

  @Override
  public DescribeServiceDeploymentsResponse describeServiceDeployments(DescribeServiceDeploymentsRequest request) {
    describeServiceDeploymentsCalls++;
    if (serviceDeploymentsDenied) {
      throw accessDenied("ecs:DescribeServiceDeployments");
    }
    Supplier<ServiceDeployment> answer =
        serviceDeployments.get(Math.min(nextServiceDeployment, serviceDeployments.size() - 1));
    nextServiceDeployment++;
    return DescribeServiceDeploymentsResponse.builder().serviceDeployments(answer.get()).build();
  }

  public static AccessDeniedException accessDenied(String action) {
    return (AccessDeniedException) AccessDeniedException.builder()
        .message("User is not authorized to perform: " + action)
        .awsErrorDetails(AwsErrorDetails.builder().errorCode("AccessDeniedException")
            .errorMessage("User is not authorized to perform: " + action).build())
        .statusCode(400)
        .build();
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
    List<String> all = stoppedTasks.stream()
        .filter(t -> t.startedBy().equals(request.startedBy()))
        .map(Task::taskArn)
        .toList();
    int from = request.nextToken() == null ? 0 : Integer.parseInt(request.nextToken());
    int to = Math.min(all.size(), from + pageSize);
    return ListTasksResponse.builder()
        .taskArns(all.subList(from, to))
        .nextToken(to < all.size() ? String.valueOf(to) : null)
        .build();
  }

  @Override
  public DescribeTasksResponse describeTasks(DescribeTasksRequest request) {
    if (request.tasks().size() > 100) {
      throw new AssertionError("DescribeTasks takes at most 100 tasks, got " + request.tasks().size());
    }
    if (request.tasks().isEmpty()) {
      // What ECS answers to an empty list (reported in sil-org/ecs-deploy#63 and aws/copilot-cli#3551).
      throw InvalidParameterException.builder().statusCode(400).message("Tasks cannot be empty.")
          .awsErrorDetails(AwsErrorDetails.builder().errorCode("InvalidParameterException")
              .errorMessage("Tasks cannot be empty.").build())
          .build();
    }
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

  // ---- builders of hand-written snapshots (API reference shapes) --------------------------------------------------------------------

  public static Deployment deployment(
      String id, String status, String td, int desired, int running, int pending, int failed,
      DeploymentRolloutState rollout) {
    return deployment(id, status, td, desired, running, pending, failed, rollout, null);
  }

  public static Deployment deployment(
      String id, String status, String td, int desired, int running, int pending, int failed,
      DeploymentRolloutState rollout, String reason) {
    return Deployment.builder()
        .id(id).status(status).taskDefinition(td)
        .desiredCount(desired).runningCount(running).pendingCount(pending).failedTasks(failed)
        .rolloutState(rollout).rolloutStateReason(reason)
        .createdAt(createdAt(id)).updatedAt(createdAt(id))
        .build();
  }

  /** {@code ecs-svc/N} was created N seconds after {@link #T0}: a higher number is a newer deployment. */
  public static Instant createdAt(String deploymentId) {
    return T0.plusSeconds(Long.parseLong(deploymentId.substring(deploymentId.indexOf('/') + 1)));
  }

  public static ServiceBuilder service(String td, Deployment... deployments) {
    return new ServiceBuilder(td, deployments);
  }

  public static ServiceEvent event(String id, int secondsAfterT0, String message) {
    return ServiceEvent.builder().id(id).createdAt(T0.plusSeconds(secondsAfterT0)).message(message).build();
  }

  public static Task stoppedTask(String id, String deploymentId, String td, String reason, Integer exitCode,
      String containerReason) {
    return stoppedTask(id, deploymentId, td, reason, exitCode, containerReason, id.hashCode() & 0xff);
  }

  public static Task stoppedTask(String id, String deploymentId, String td, String reason, Integer exitCode,
      String containerReason, int stoppedSecondsAfterT0) {
    return Task.builder()
        .taskArn("arn:aws:ecs:eu-west-1:123456789012:task/prod/" + id)
        .taskDefinitionArn(td)
        .startedBy(deploymentId)
        .lastStatus("STOPPED")
        .desiredStatus("STOPPED")
        .stopCode("EssentialContainerExited")
        .stoppedReason(reason)
        .stoppedAt(T0.plusSeconds(stoppedSecondsAfterT0))
        .containers(Container.builder().name("app").exitCode(exitCode).reason(containerReason).build())
        .build();
  }

  /** A service snapshot under construction. */
  public static final class ServiceBuilder {
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

    public ServiceBuilder status(String status) {
      b.status(status);
      return this;
    }

    public ServiceBuilder controller(DeploymentControllerType type) {
      b.deploymentController(c -> c.type(type));
      return this;
    }

    public ServiceBuilder circuitBreaker(boolean rollback) {
      b.deploymentConfiguration(DeploymentConfiguration.builder()
          .deploymentCircuitBreaker(DeploymentCircuitBreaker.builder().enable(true).rollback(rollback).build())
          .build());
      return this;
    }

    public ServiceBuilder alarmRollback() {
      b.deploymentConfiguration(DeploymentConfiguration.builder()
          .alarms(a -> a.alarmNames("hello-5xx").enable(true).rollback(true))
          .build());
      return this;
    }

    public ServiceBuilder currentServiceDeployment(String arn) {
      b.currentServiceDeployment(arn);
      return this;
    }

    /** Events newest first, as DescribeServices returns them. */
    public ServiceBuilder events(ServiceEvent... newestFirst) {
      events.addAll(Arrays.asList(newestFirst));
      return this;
    }

    public Service build() {
      return b.events(events).build();
    }
  }
}
