package io.github.ecsdeploy.standin.ecs;

import static io.github.ecsdeploy.standin.ecs.EcsJson.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.ecsdeploy.standin.AwsErrorException;
import io.github.ecsdeploy.standin.ecs.EcsState.Cluster;
import io.github.ecsdeploy.standin.ecs.EcsState.Service;
import io.github.ecsdeploy.standin.ecs.EcsState.ServiceDeploymentRecord;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * ListServiceDeployments, DescribeServiceDeployments and DescribeServiceRevisions (API reference), including the
 * AccessDenied answer of a role that may not call them.
 */
final class ServiceDeploymentApi extends EcsApi {

  ServiceDeploymentApi(EcsState state, EcsRendering render) {
    super(state, render);
  }

  private void checkServiceDeploymentsAllowed(String operation) {
    if (state.settings.serviceDeploymentsDenied()) {
      // What IAM answers a role whose policy lacks the action (ECS returns AccessDeniedException, HTTP 400).
      throw AwsErrorException.client("AccessDeniedException", "User: arn:aws:sts::" + state.accountId
          + ":assumed-role/deployer/session is not authorized to perform: ecs:" + operation
          + " because no identity-based policy allows the ecs:" + operation + " action");
    }
  }

  JsonNode listServiceDeployments(JsonNode req) {
    checkServiceDeploymentsAllowed("ListServiceDeployments");
    String serviceRef = text(req, "service");
    if (serviceRef == null) {
      throw invalid("service must be specified.");
    }
    Cluster cluster = state.requireCluster(req);
    Service s = state.requireService(cluster, serviceRef);
    Set<String> statuses = new LinkedHashSet<>(strings(req.get("status")));
    JsonNode createdAt = req.path("createdAt");
    Instant after = createdAt.hasNonNull("after") ? instant(createdAt.get("after")) : null;
    Instant before = createdAt.hasNonNull("before") ? instant(createdAt.get("before")) : null;
    List<ServiceDeploymentRecord> matching = s.serviceDeployments.stream()
        .filter(r -> statuses.isEmpty() || statuses.contains(r.status))
        .filter(r -> after == null || !r.createdAt.isBefore(after))
        .filter(r -> before == null || !r.createdAt.isAfter(before))
        .sorted(Comparator.comparing((ServiceDeploymentRecord r) -> r.createdAt).reversed())
        .toList();
    List<String> arns = matching.stream().map(r -> r.arn).toList();
    JsonNode page = page(req, arns, "serviceDeploymentArns");
    ObjectNode out = NODES.objectNode();
    ArrayNode briefs = out.putArray("serviceDeployments");
    for (JsonNode arn : page.get("serviceDeploymentArns")) {
      ServiceDeploymentRecord r = matching.stream().filter(m -> m.arn.equals(arn.asText())).findFirst().orElseThrow();
      ObjectNode b = briefs.addObject();
      b.put("serviceDeploymentArn", r.arn);
      b.put("serviceArn", s.arn);
      b.put("clusterArn", cluster.arn);
      b.set("startedAt", timestamp(r.createdAt));
      b.set("createdAt", timestamp(r.createdAt));
      if (r.finishedAt != null) {
        b.set("finishedAt", timestamp(r.finishedAt));
      }
      b.put("targetServiceRevisionArn", r.revisionArn);
      b.put("status", r.status);
      if (r.statusReason != null) {
        b.put("statusReason", r.statusReason);
      }
    }
    if (page.has("nextToken")) {
      out.set("nextToken", page.get("nextToken"));
    }
    return out;
  }

  JsonNode describeServiceDeployments(JsonNode req) {
    checkServiceDeploymentsAllowed("DescribeServiceDeployments");
    List<String> arns = strings(req.get("serviceDeploymentArns"));
    if (arns.isEmpty() || arns.size() > 20) {
      throw invalid("serviceDeploymentArns must hold 1 to 20 ARNs.");
    }
    ObjectNode out = NODES.objectNode();
    ArrayNode found = out.putArray("serviceDeployments");
    ArrayNode failures = out.putArray("failures");
    for (String arn : arns) {
      ServiceDeploymentRecord r = null;
      Service owner = null;
      for (Cluster c : state.clusters.values()) {
        for (Service s : c.services.values()) {
          for (ServiceDeploymentRecord candidate : s.serviceDeployments) {
            if (candidate.arn.equals(arn)) {
              r = candidate;
              owner = s;
            }
          }
        }
      }
      if (r == null) {
        failures.add(failure(arn, "MISSING"));
      } else {
        found.add(render.renderRecord(owner, r));
      }
    }
    return out;
  }

  /**
   * DescribeServiceRevisions (API reference): 1 to 20 service revision ARNs; each known one comes back as a
   * ServiceRevision with the task definition, launch type and creation time it was made with, an unknown one as a
   * MISSING failure. A service revision is the configuration a service deployment deploys (ECS Developer Guide,
   * "Amazon ECS service revisions"); the same IAM denial as the other Service Deployments operations applies.
   */
  JsonNode describeServiceRevisions(JsonNode req) {
    checkServiceDeploymentsAllowed("DescribeServiceRevisions");
    List<String> arns = strings(req.get("serviceRevisionArns"));
    if (arns.isEmpty() || arns.size() > 20) {
      throw invalid("serviceRevisionArns must hold 1 to 20 ARNs.");
    }
    ObjectNode out = NODES.objectNode();
    ArrayNode found = out.putArray("serviceRevisions");
    ArrayNode failures = out.putArray("failures");
    for (String arn : arns) {
      boolean known = false;
      for (Cluster c : state.clusters.values()) {
        for (Service s : c.services.values()) {
          for (ServiceDeploymentRecord r : s.serviceDeployments) {
            if (r.revisionArn.equals(arn) && !known) {
              known = true;
              ObjectNode revision = found.addObject();
              revision.put("serviceRevisionArn", r.revisionArn);
              revision.put("serviceArn", s.arn);
              revision.put("clusterArn", c.arn);
              revision.put("taskDefinition", r.deployment.taskDefinitionArn);
              if (s.launchType != null) {
                revision.put("launchType", s.launchType);
              }
              revision.set("createdAt", timestamp(r.createdAt));
            }
          }
        }
      }
      if (!known) {
        failures.add(failure(arn, "MISSING"));
      }
    }
    return out;
  }
}
