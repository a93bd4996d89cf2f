package io.github.ecsdeploy.state;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code target/ecs-deploy/task-definitions.json}, written by register-task-def when it releases several services
 * ({@code <services>} / {@code -Decs.services}): the revision registered for each service, in the listed order.
 * update-service deploys each service's own revision from it.
 *
 * @param services service name to its revision
 */
public record ServiceRevisions(Map<String, TaskDefinitionState> services) {

  /** The file name under the state directory. */
  public static final String FILE = "task-definitions.json";

  public ServiceRevisions {
    services = services == null ? Map.of() : new LinkedHashMap<>(services);
  }
}
