package io.github.ecsdeploy.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;

/**
 * The state files an IT's build leaves in {@code target/ecs-deploy}, for {@code verify.groovy}: the checks several
 * ITs make of {@code deployment.json} and {@code deploy.env}, in one place.
 */
public final class ItVerify {

  private static final ObjectMapper JSON = new ObjectMapper();

  private ItVerify() {}

  /** {@code target/ecs-deploy/<path>} of the IT in {@code basedir}, parsed. */
  public static JsonNode stateFile(File basedir, String path) throws IOException {
    File file = new File(basedir, "target/ecs-deploy/" + path);
    if (!file.isFile()) {
      throw new AssertionError("The build wrote no " + file);
    }
    return JSON.readTree(file);
  }

  /**
   * Asserts that {@code target/ecs-deploy/deploy.env} has each entry ({@code KEY=value}) as a whole line.
   *
   * @throws AssertionError naming the first entry missing, with the file
   */
  public static void assertDeployEnv(File basedir, String... entries) throws IOException {
    String text = ItStandIn.textOf(new File(basedir, "target/ecs-deploy/deploy.env"));
    for (String entry : entries) {
      if (!("\n" + text).contains("\n" + entry + "\n")) {
        throw new AssertionError("deploy.env has no line " + entry + ":\n" + text);
      }
    }
  }

  /**
   * Asserts the outcome of a single-service deployment: {@code outcome} in {@code deployment.json} (whose message
   * the failure shows) and {@code ECS_DEPLOYMENT_OUTCOME=<outcome>} in {@code deploy.env}.
   *
   * @return {@code deployment.json}, for further checks
   */
  public static JsonNode assertOutcome(File basedir, String outcome) throws IOException {
    JsonNode deployment = stateFile(basedir, "deployment.json");
    if (!outcome.equals(deployment.path("outcome").asText())) {
      throw new AssertionError("deployment.json says " + deployment.path("outcome").asText() + ", not " + outcome
          + ": " + deployment.path("message").asText());
    }
    assertDeployEnv(basedir, "ECS_DEPLOYMENT_OUTCOME=" + outcome);
    return deployment;
  }

  /**
   * {@link #assertOutcome(File, String)}, and that the deployment was of {@code taskDefinitionArn}.
   *
   * @return {@code deployment.json}, for further checks
   */
  public static JsonNode assertOutcome(File basedir, String outcome, String taskDefinitionArn) throws IOException {
    JsonNode deployment = assertOutcome(basedir, outcome);
    if (!taskDefinitionArn.equals(deployment.path("taskDefinitionArn").asText())) {
      throw new AssertionError("deployment.json names " + deployment.path("taskDefinitionArn").asText() + ", not "
          + taskDefinitionArn);
    }
    return deployment;
  }

  /**
   * Asserts that a build that failed before update-service deployed nothing: its log has no
   * {@code Started deployment}, and service {@code <name>-svc} in cluster {@code name} still runs revision 1 of
   * family {@code name}, as {@link ItStandIn#seedRunTaskCluster} seeded it.
   */
  public static void assertNothingDeployed(String buildLog, ItStandIn aws, String name) {
    if (buildLog.contains("Started deployment")) {
      throw new AssertionError("nothing deploys, but the build log says 'Started deployment'");
    }
    aws.assertRuns(name, name + "-svc", name, 1);
  }
}
