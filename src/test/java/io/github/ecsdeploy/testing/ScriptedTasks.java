package io.github.ecsdeploy.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.DescribeServicesRequest;
import software.amazon.awssdk.services.ecs.model.DescribeServicesResponse;
import software.amazon.awssdk.services.ecs.model.DescribeTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.DescribeTaskDefinitionResponse;
import software.amazon.awssdk.services.ecs.model.DescribeTasksRequest;
import software.amazon.awssdk.services.ecs.model.DescribeTasksResponse;
import software.amazon.awssdk.services.ecs.model.RunTaskRequest;
import software.amazon.awssdk.services.ecs.model.RunTaskResponse;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;

/**
 * An {@link EcsClient} for unit tests of a one-off task: DescribeServices answers one service, DescribeTaskDefinition
 * one task definition, RunTask a fixed answer (recorded), and DescribeTasks a script (one answer per call, the last
 * one repeated). The shapes are written by hand after the API reference; this is not recorded AWS output. Every
 * other operation throws {@link UnsupportedOperationException} (the interface's default).
 */
public final class ScriptedTasks implements EcsClient {

  private final Service service;
  private final TaskDefinition definition;
  private RunTaskResponse runAnswer;
  private final List<Supplier<DescribeTasksResponse>> describes = new ArrayList<>();
  private int next;

  /** Every RunTask request, in order. */
  public final List<RunTaskRequest> runCalls = new ArrayList<>();
  /** How often DescribeTasks was called. */
  public int describeTasksCalls;

  public ScriptedTasks(Service service, TaskDefinition definition) {
    this.service = service;
    this.definition = definition;
  }

  /** RunTask answers {@code answer}. */
  public ScriptedTasks runs(RunTaskResponse answer) {
    this.runAnswer = answer;
    return this;
  }

  /** RunTask starts {@code task}. */
  public ScriptedTasks runs(Task task) {
    return runs(RunTaskResponse.builder().tasks(task).build());
  }

  /** The next DescribeTasks answers, one per call, each with these tasks in turn (the last one repeats). */
  public ScriptedTasks then(Task... tasks) {
    for (Task t : tasks) {
      describes.add(() -> DescribeTasksResponse.builder().tasks(t).build());
    }
    return this;
  }

  /** A DescribeTasks answer that does not know the task yet (ECS reads are eventually consistent). */
  public ScriptedTasks thenUnknown() {
    describes.add(() -> DescribeTasksResponse.builder()
        .failures(f -> f.arn("unknown").reason("MISSING")).build());
    return this;
  }

  @Override
  public DescribeServicesResponse describeServices(DescribeServicesRequest request) {
    return DescribeServicesResponse.builder().services(service).build();
  }

  @Override
  public DescribeTaskDefinitionResponse describeTaskDefinition(DescribeTaskDefinitionRequest request) {
    return DescribeTaskDefinitionResponse.builder().taskDefinition(definition).build();
  }

  @Override
  public RunTaskResponse runTask(RunTaskRequest request) {
    runCalls.add(request);
    return runAnswer;
  }

  @Override
  public DescribeTasksResponse describeTasks(DescribeTasksRequest request) {
    describeTasksCalls++;
    Supplier<DescribeTasksResponse> answer = describes.get(Math.min(next, describes.size() - 1));
    next++;
    return answer.get();
  }

  @Override
  public String serviceName() {
    return "ecs";
  }

  @Override
  public void close() {}
}
