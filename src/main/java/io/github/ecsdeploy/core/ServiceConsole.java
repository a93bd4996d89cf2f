package io.github.ecsdeploy.core;

import java.util.Objects;

/**
 * The AWS console page of an ECS service, for GitLab's {@code environment:url} (written as {@code ECS_SERVICE_URL}
 * to {@code deploy.env}). The console is per partition: {@code <region>.console.aws.amazon.com} in the commercial
 * regions, {@code console.amazonaws-us-gov.com} in GovCloud and {@code console.amazonaws.cn} in China; the page is
 * {@code /ecs/v2/clusters/<cluster>/services/<service>/health?region=<region>}.
 */
public final class ServiceConsole {

  private ServiceConsole() {}

  /**
   * @param region the service's region, e.g. {@code eu-west-1}
   * @param cluster the cluster's name or ARN
   * @param service the service's name or ARN
   */
  public static String url(String region, String cluster, String service) {
    Objects.requireNonNull(region, "region");
    String host;
    if (region.startsWith("us-gov-")) {
      host = "console.amazonaws-us-gov.com";
    } else if (region.startsWith("cn-")) {
      host = "console.amazonaws.cn";
    } else {
      host = region + ".console.aws.amazon.com";
    }
    return "https://" + host + "/ecs/v2/clusters/" + name(cluster) + "/services/" + name(service)
        + "/health?region=" + region;
  }

  /** The name in a name or an ARN ({@code arn:aws:ecs:...:service/cluster/name} ends with it). */
  private static String name(String nameOrArn) {
    return nameOrArn.substring(nameOrArn.lastIndexOf('/') + 1);
  }
}
