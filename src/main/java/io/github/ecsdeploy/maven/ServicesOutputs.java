package io.github.ecsdeploy.maven;

import io.github.ecsdeploy.core.DeploymentRecorder;
import io.github.ecsdeploy.core.DeploymentResult;
import io.github.ecsdeploy.state.StateFiles;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The outputs of update-service releasing several services: each service's own {@code deployment.json} and
 * {@code deploy.env} under {@code services/<service>/} ({@link DeploymentOutputs}), and after every verdict a
 * summary listing every service: {@code deployments.json} ({@code {"services": [<deployment.json of each>]}}, in
 * the listed order, those with a verdict so far) and {@code deploy.env} with {@code ECS_SERVICES} (the listed
 * services), {@code ECS_DEPLOYMENT_OUTCOME} ({@code COMPLETED} when every service succeeded, {@code FAILED} when
 * one failed, {@code IN_PROGRESS} while some have no verdict) and {@code ECS_DEPLOYMENT_OUTCOME_<SERVICE>} per
 * service (upper case, other characters as {@code _}).
 */
public final class ServicesOutputs {

  /** The summary's JSON file name. */
  public static final String DEPLOYMENTS_JSON = "deployments.json";

  private final StateFiles files;
  private final List<String> services;
  private final Function<String, DeploymentOutputs> perService;
  private final Map<String, DeploymentResult> results = new LinkedHashMap<>();

  /**
   * @param files the state directory, usually {@code target/ecs-deploy}
   * @param services the services in the listed order
   * @param serviceUrl a service's console page, for its {@code ECS_SERVICE_URL}
   */
  public ServicesOutputs(StateFiles files, List<String> services, Function<String, String> serviceUrl) {
    this.files = files;
    this.services = List.copyOf(services);
    this.perService = service -> new DeploymentOutputs(new StateFiles(files.directory().resolve("services")
        .resolve(service))).withServiceUrl(serviceUrl.apply(service));
  }

  /** The summary written so far. */
  public record Summary(List<DeploymentOutputs.DeploymentState> services) {}

  /** The recorder of one service: its own files, then the summary. */
  public DeploymentRecorder forService(String service) {
    DeploymentOutputs own = perService.apply(service);
    return result -> {
      own.record(result);
      record(service, result);
    };
  }

  private synchronized void record(String service, DeploymentResult result) {
    results.put(service, result);
    List<DeploymentOutputs.DeploymentState> states = new ArrayList<>();
    Map<String, String> env = new LinkedHashMap<>();
    env.put("ECS_SERVICES", String.join(",", services));
    boolean failed = false;
    for (String s : services) {
      DeploymentResult r = results.get(s);
      if (r != null) {
        states.add(DeploymentOutputs.DeploymentState.of(r, null));
        failed |= !r.outcome().success();
      }
    }
    env.put("ECS_DEPLOYMENT_OUTCOME", failed ? "FAILED" : results.size() < services.size() ? "IN_PROGRESS"
        : "COMPLETED");
    for (String s : services) {
      DeploymentResult r = results.get(s);
      env.put("ECS_DEPLOYMENT_OUTCOME_" + s.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_"),
          r == null ? "" : r.outcome().name());
    }
    StringBuilder dotenv = new StringBuilder();
    env.forEach((k, v) -> dotenv.append(k).append('=').append(v).append('\n'));
    DeploymentOutputs.write(files, () -> {
      files.write(DEPLOYMENTS_JSON, new Summary(states));
      files.writeText(DeploymentOutputs.DEPLOY_ENV, dotenv.toString());
    });
  }
}
