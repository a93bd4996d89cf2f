package io.github.ecsdeploy.testing;

import io.github.ecsdeploy.core.ImageRef;
import io.github.ecsdeploy.core.PastDeployment;
import io.github.ecsdeploy.core.ServiceView;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionStatus;

/**
 * A {@link ServiceView} in memory for the planners' unit tests: one service, the revisions of its families,
 * an optional history (absent = the API is not available), and ECR's tags.
 */
public final class InMemoryServiceView implements ServiceView {

  public static final String REGISTRY = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";

  public final Map<String, TaskDefinition> revisions = new LinkedHashMap<>();
  public final Map<String, String> ecrTags = new HashMap<>();
  public List<PastDeployment> history;
  public Service service;
  /** When set, ECR look-ups throw it. */
  public RuntimeException ecrFailure;

  public static String arn(String family, int revision) {
    return "arn:aws:ecs:eu-west-1:123456789012:task-definition/" + family + ":" + revision;
  }

  public static String image(String tag) {
    return REGISTRY + "/hello-app:" + tag + "@" + digest(tag);
  }

  public static String digest(String tag) {
    return "sha256:" + String.format("%064x", Math.abs(tag.hashCode()));
  }

  /** Adds revision {@code n} of hello-app whose container "app" runs {@code image} (and a "log" sidecar). */
  public String add(int n, String image, TaskDefinitionStatus status) {
    String arn = arn("hello-app", n);
    revisions.put(arn, TaskDefinition.builder().family("hello-app").revision(n).taskDefinitionArn(arn)
        .status(status)
        .containerDefinitions(ContainerDefinition.builder().name("log").image("fluent-bit:3").build(),
            ContainerDefinition.builder().name("app").image(image).build())
        .build());
    return arn;
  }

  public void runs(String arn) {
    service = Service.builder().serviceName("hello-svc").status("ACTIVE").taskDefinition(arn)
        .runningCount(2).desiredCount(2).pendingCount(0)
        .deployments(Deployment.builder().id("ecs-svc/1").status("PRIMARY").taskDefinition(arn)
            .rolloutState("COMPLETED").runningCount(2).desiredCount(2).pendingCount(0).build())
        .build();
  }

  @Override
  public Service service(String cluster, String name) {
    return service;
  }

  @Override
  public Optional<TaskDefinition> taskDefinition(String nameOrArn) {
    if (revisions.containsKey(nameOrArn)) {
      return Optional.of(revisions.get(nameOrArn));
    }
    return revisions.values().stream()
        .filter(t -> nameOrArn.equals(t.family() + ":" + t.revision())).findFirst();
  }

  @Override
  public List<String> activeRevisions(String family) {
    List<TaskDefinition> active = new ArrayList<>(revisions.values().stream()
        .filter(t -> t.family().equals(family) && t.status() == TaskDefinitionStatus.ACTIVE).toList());
    active.sort(Comparator.comparing(TaskDefinition::revision).reversed());
    return active.stream().map(TaskDefinition::taskDefinitionArn).toList();
  }

  @Override
  public Optional<List<PastDeployment>> history(Service ignored) {
    return Optional.ofNullable(history);
  }

  @Override
  public Optional<String> ecrDigest(ImageRef image, String tag) {
    if (ecrFailure != null) {
      throw ecrFailure;
    }
    return Optional.ofNullable(ecrTags.get(image.repository() + ":" + tag));
  }
}
