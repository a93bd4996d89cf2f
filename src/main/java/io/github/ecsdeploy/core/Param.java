package io.github.ecsdeploy.core;

/**
 * A user-facing parameter in both of its spellings, so every message can name it the way the user set it:
 * {@code <cluster>} in the POM or {@code -Decs.cluster} on the command line.
 *
 * @param element the POM element name, e.g. {@code cluster}
 * @param property the user property, e.g. {@code ecs.cluster}
 */
public record Param(String element, String property) {

  public static final Param REGION = new Param("region", "ecs.region");
  public static final Param PROFILE = new Param("profile", "ecs.profile");
  public static final Param ENDPOINT = new Param("endpoint", "ecs.endpoint");
  public static final Param CLUSTER = new Param("cluster", "ecs.cluster");
  public static final Param SERVICE = new Param("service", "ecs.service");
  public static final Param REPOSITORY = new Param("repository", "ecs.repository");
  public static final Param REGISTRY = new Param("registry", "ecs.registry");
  public static final Param TAG = new Param("tag", "ecs.tag");
  public static final Param IMAGE = new Param("image", "ecs.image");
  public static final Param CONTAINER = new Param("container", "ecs.container");
  public static final Param TASK_DEFINITION = new Param("taskDefinition", "ecs.taskDefinition");
  public static final Param TASK_DEFINITION_FILE = new Param("taskDefinitionFile", "ecs.taskDefinitionFile");
  public static final Param TASK_DEFINITION_ARN = new Param("taskDefinitionArn", "ecs.taskDefinitionArn");

  /** {@code <cluster> / -Decs.cluster}. */
  public String both() {
    return "<" + element + "> / -D" + property;
  }

  @Override
  public String toString() {
    return both();
  }
}
