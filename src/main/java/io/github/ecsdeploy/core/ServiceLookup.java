package io.github.ecsdeploy.core;

import java.util.stream.Collectors;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ClusterNotFoundException;
import software.amazon.awssdk.services.ecs.model.DescribeServicesResponse;
import software.amazon.awssdk.services.ecs.model.Failure;
import software.amazon.awssdk.services.ecs.model.Service;

/**
 * The one look-up of the service a goal works on: one DescribeServices call, then the ACTIVE service or the one
 * reason there is none, in the same words for every goal (validate-tag, register-task-def, update-service,
 * rollback, status, run-task's preview through {@link EcsServiceView}).
 *
 * <p>The reasons, as ECS gives them (API reference, DescribeServices: a service it does not know is a
 * {@code failures[]} entry with reason {@code MISSING}; a deleted one is still described for a while with status
 * {@code DRAINING}, then {@code INACTIVE}; an unknown cluster is a {@code ClusterNotFoundException}): the cluster
 * does not exist, the service does not exist, or it is being (or was) deleted. Each names {@link Param#CLUSTER}
 * and {@link Param#SERVICE} in both spellings, the region, and the fix. Any other failure reason is the world's,
 * not the user's: {@link ExternalFailureException}.
 */
public final class ServiceLookup {

  private ServiceLookup() {}

  /**
   * What the look-up found: the ACTIVE service, or the problem (a sentence naming the parameter to fix, without
   * "Nothing was changed", so that validate-tag can list it among its other reasons).
   *
   * @param service the ACTIVE service, or null
   * @param param the parameter to fix when there is a problem
   * @param problem why there is no ACTIVE service, or null
   * @param cause the exception ECS answered with, or null
   */
  public record Result(Service service, Param param, String problem, RuntimeException cause) {

    /** Whether an ACTIVE service was found. */
    public boolean found() {
      return service != null;
    }

    /**
     * The ACTIVE service.
     *
     * @throws UserInputException the problem, saying that nothing was changed
     */
    public Service orThrow() {
      if (service == null) {
        throw new UserInputException(param, problem + " Nothing was changed.", cause);
      }
      return service;
    }
  }

  /**
   * The ACTIVE service {@code service} of {@code cluster}.
   *
   * @param cluster the cluster; null or blank: the default cluster
   * @throws UserInputException the cluster or service does not exist, or the service is not ACTIVE
   * @throws ExternalFailureException DescribeServices answered with a failure other than MISSING
   */
  public static Service active(EcsClient ecs, String cluster, String service) {
    return find(ecs, cluster, service).orThrow();
  }

  /**
   * Looks the service up once.
   *
   * @param cluster the cluster; null or blank: the default cluster
   * @throws ExternalFailureException DescribeServices answered with a failure other than MISSING
   */
  public static Result find(EcsClient ecs, String cluster, String service) {
    String given = cluster == null || cluster.isBlank() ? null : cluster;
    DescribeServicesResponse response;
    try {
      response = ecs.describeServices(b -> b.cluster(given).services(service));
    } catch (ClusterNotFoundException e) {
      return new Result(null, Param.CLUSTER, clusterNotFound(ecs, given, service), e);
    }
    String where = "in cluster '" + label(given) + "' (region " + region(ecs) + ")";
    for (Service s : response.services()) {
      if ("ACTIVE".equals(s.status())) {
        return new Result(s, null, null, null);
      }
    }
    if (!response.services().isEmpty()) {
      Service s = response.services().get(0);
      String what = "DRAINING".equals(s.status()) ? "it is being deleted" : "it was deleted";
      return new Result(null, Param.SERVICE, "Service '" + service + "' " + where + " is " + s.status() + ": "
          + what + ", so it cannot be deployed to. Create the service again, or check "
          + Param.SERVICE.both() + " and " + Param.CLUSTER.both() + ".", null);
    }
    boolean missing = response.failures().isEmpty()
        || response.failures().stream().allMatch(f -> "MISSING".equals(f.reason()));
    if (!missing) {
      throw new ExternalFailureException("DescribeServices of service '" + service + "' " + where
          + " returned no service: " + response.failures().stream().map(Failure::reason)
          .collect(Collectors.joining(", ")) + ".", null);
    }
    return new Result(null, Param.SERVICE, "Service '" + service + "' was not found " + where + " (MISSING)."
        + " Check " + Param.SERVICE.both() + " and " + Param.CLUSTER.both() + ", and the region and account you"
        + " deploy to ('aws ecs list-services --cluster " + label(given) + "' lists the services), or create it"
        + " first.", null);
  }

  /**
   * The words for a cluster ECS does not know, also when UpdateService (not the look-up) is the call that finds
   * out; "Nothing was changed" is the caller's to add.
   */
  static String clusterNotFound(EcsClient ecs, String cluster, String service) {
    return "Cluster '" + label(cluster) + "' was not found (region " + region(ecs) + "; looking up service '"
        + service + "'). Check " + Param.CLUSTER.both() + " and the region and account you deploy to; 'aws ecs"
        + " list-clusters' lists the clusters.";
  }

  private static String label(String cluster) {
    return cluster == null || cluster.isBlank() ? "default" : cluster;
  }

  /** The client's region, or "not known" for a client without one (a test double). */
  static String region(EcsClient ecs) {
    try {
      return String.valueOf(ecs.serviceClientConfiguration().region());
    } catch (RuntimeException e) {
      return "not known";
    }
  }
}
