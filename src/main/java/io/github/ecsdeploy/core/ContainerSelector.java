package io.github.ecsdeploy.core;

import java.util.List;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;

/**
 * Chooses the container whose image a deployment replaces: the one named by {@code <container>} /
 * {@code -Decs.container}; unset, the only container; else the one container whose image is in our ECR
 * repository. Anything else is an error that lists the container names, never a guess such as "the first
 * container" (a log router or agent sidecar is often first).
 */
public final class ContainerSelector {

  private ContainerSelector() {}

  /**
   * The name of the container to update.
   *
   * @param family the task definition family, for messages
   * @param containers the container definitions
   * @param container the name the user gave, or {@code null}
   * @param registry our registry host, e.g. {@code 123456789012.dkr.ecr.eu-west-1.amazonaws.com}, or
   *     {@code null} when unknown
   * @param repository our repository name, e.g. {@code hello-app}, or {@code null} when unknown
   * @throws UserInputException when the container is not found, or cannot be chosen unambiguously
   */
  public static String select(
      String family, List<ContainerDefinition> containers, String container, String registry, String repository) {
    List<String> names = containers.stream().map(ContainerDefinition::name).collect(Collectors.toList());
    if (names.isEmpty()) {
      throw new UserInputException("Task definition " + family + " has no container definitions, so there is no image"
          + " to replace. Use a template that has one: set " + Param.TASK_DEFINITION.both() + " or "
          + Param.TASK_DEFINITION_FILE.both() + " to a task definition with your container.");
    }
    if (container != null && !container.isBlank()) {
      if (names.contains(container)) {
        return container;
      }
      throw new UserInputException(Param.CONTAINER, "Task definition " + family + " has no container named '"
          + container + "'; its containers are: " + String.join(", ", names) + ". Set " + Param.CONTAINER.both()
          + " to one of them.");
    }
    if (names.size() == 1) {
      return names.get(0);
    }
    if (repository == null || repository.isBlank()) {
      throw new UserInputException(Param.CONTAINER, "Task definition " + family + " has " + names.size()
          + " containers (" + String.join(", ", names) + "); set " + Param.CONTAINER.both()
          + " to the one that runs this project's image (or set " + Param.REPOSITORY.both()
          + " so the container whose image is in that repository is chosen).");
    }
    String ours = registry == null || registry.isBlank() ? repository : registry + "/" + repository;
    List<String> matching = containers.stream()
        .filter(c -> c.image() != null && isInRepository(c.image(), registry, repository))
        .map(ContainerDefinition::name)
        .collect(Collectors.toList());
    if (matching.size() == 1) {
      return matching.get(0);
    }
    if (matching.isEmpty()) {
      throw new UserInputException(Param.CONTAINER, "Task definition " + family + " has " + names.size()
          + " containers (" + String.join(", ", names) + ") and none runs an image from " + ours + "; set "
          + Param.CONTAINER.both() + " to the one that runs this project's image.");
    }
    throw new UserInputException(Param.CONTAINER, "Task definition " + family + " has " + matching.size()
        + " containers running an image from " + ours + " (" + String.join(", ", matching) + "); set "
        + Param.CONTAINER.both() + " to the one to update.");
  }

  /**
   * Whether {@code image} (any of {@code name}, {@code name:tag}, {@code name@digest}, {@code name:tag@digest})
   * is in {@code registry/repository}; with no registry, whether its name ends in the repository path.
   */
  static boolean isInRepository(String image, String registry, String repository) {
    String name = imageName(image);
    if (registry == null || registry.isBlank()) {
      return name.equals(repository) || name.endsWith("/" + repository);
    }
    return name.equals(registry + "/" + repository);
  }

  /** The image reference without its tag and digest. */
  static String imageName(String image) {
    return ImageRef.parse(image).name();
  }
}
