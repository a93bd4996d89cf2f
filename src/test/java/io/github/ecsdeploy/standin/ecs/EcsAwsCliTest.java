package io.github.ecsdeploy.standin.ecs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ecsdeploy.standin.AwsCli;
import io.github.ecsdeploy.standin.AwsCli.Result;
import io.github.ecsdeploy.standin.AwsStandIn;
import io.github.ecsdeploy.standin.StandInClients;
import io.github.ecsdeploy.standin.StandInExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Service;

/**
 * The real AWS CLI against the ECS stand-in (real time, delays scaled to 50 ms): the commands the copied
 * GitLab deploy script uses answer as ECS answers, including {@code wait services-stable} going green after a
 * circuit-breaker rollback. Needs the AWS CLI ({@link AwsCli}); fails with the fix when it is missing.
 */
class EcsAwsCliTest {

  @RegisterExtension static final StandInExtension STAND_IN = new StandInExtension();

  private static final ObjectMapper JSON = new ObjectMapper();
  private static EcsService simulator;

  @TempDir static Path home;

  @BeforeAll
  static void start() {
    simulator = STAND_IN.get().addJsonService(s -> new EcsService(s.region(), AwsStandIn.ACCOUNT_ID,
        Clock.systemUTC(), EcsSimulationSettings.timeScale(0.05)));
  }

  private static Result aws(String... args) throws Exception {
    return AwsCli.run(STAND_IN.get(), home, args);
  }

  private static JsonNode ok(String... args) throws Exception {
    Result r = aws(args);
    assertEquals(0, r.exit(), () -> "aws " + String.join(" ", args) + "\n" + r.err());
    return r.out().isBlank() ? JSON.createObjectNode() : r.json();
  }

  /**
   * Polls through the SDK until {@code condition} holds, then returns the service as the CLI prints it: a CLI run
   * per poll would cost this class most of its time; the assertions still read what the CLI parsed.
   */
  private static JsonNode waitFor(String cluster, String service, Predicate<Service> condition) throws Exception {
    Instant deadline = Instant.now().plusSeconds(60);
    try (EcsClient ecs = StandInClients.ecs(STAND_IN.get())) {
      Service s;
      do {
        s = ecs.describeServices(r -> r.cluster(cluster).services(service)).services().get(0);
        if (condition.test(s)) {
          return ok("ecs", "describe-services", "--cluster", cluster, "--services", service).at("/services/0");
        }
        Thread.sleep(100);
      } while (Instant.now().isBefore(deadline));
      throw new AssertionError("condition not reached: " + s);
    }
  }

  @Test
  void theDeployScriptCommandsAndTheFalseGreenAfterRollback() throws Exception {
    ok("ecs", "create-cluster", "--cluster-name", "cli");
    Path td = home.resolve("td.json");
    Files.writeString(td, """
        {"family":"cli-app","executionRoleArn":"arn:aws:iam::123456789012:role/exec",
         "containerDefinitions":[{"name":"app","image":"repo/app:v1","memory":256,"essential":true}],
         "tags":[{"key":"team","value":"payments"}]}""");
    String good = ok("ecs", "register-task-definition", "--cli-input-json", "file://" + td)
        .at("/taskDefinition/taskDefinitionArn").asText();
    assertEquals("arn:aws:ecs:us-east-1:123456789012:task-definition/cli-app:1", good);

    JsonNode described = ok("ecs", "describe-task-definition", "--task-definition", "cli-app", "--include", "TAGS");
    assertEquals("payments", described.at("/tags/0/value").asText());
    // CLI v1 prints epoch seconds, v2 an ISO-8601 string: either way the CLI parsed our timestamp
    JsonNode registeredAt = described.at("/taskDefinition/registeredAt");
    Instant registered = registeredAt.isNumber()
        ? Instant.ofEpochMilli((long) (registeredAt.asDouble() * 1000))
        : java.time.OffsetDateTime.parse(registeredAt.asText()).toInstant();
    assertTrue(Duration.between(registered, Instant.now()).abs().toMinutes() < 5, registeredAt.toString());

    // the copied script: describe | jq del(read-only fields) | register with a new image
    ObjectNodeEditor edit = new ObjectNodeEditor(described.get("taskDefinition"));
    edit.remove("taskDefinitionArn", "revision", "status", "requiresAttributes", "compatibilities",
        "registeredAt", "registeredBy");
    edit.image("repo/app:v2");
    Files.writeString(td, edit.toString());
    String bad = ok("ecs", "register-task-definition", "--cli-input-json", "file://" + td)
        .at("/taskDefinition/taskDefinitionArn").asText();
    assertTrue(bad.endsWith("cli-app:2"), bad);
    simulator.failImage("repo/app:v2");

    ok("ecs", "create-service", "--cluster", "cli", "--service-name", "web", "--task-definition", good,
        "--desired-count", "1", "--deployment-configuration",
        "deploymentCircuitBreaker={enable=true,rollback=true},maximumPercent=200,minimumHealthyPercent=100");
    waitFor("cli", "web", s -> "COMPLETED".equals(s.deployments().get(0).rolloutStateAsString()));
    ok("ecs", "wait", "services-stable", "--cluster", "cli", "--services", "web");

    String failing = ok("ecs", "update-service", "--cluster", "cli", "--service", "web", "--task-definition",
        "cli-app").at("/service/deployments/0/id").asText();
    assertTrue(failing.matches("ecs-svc/\\d{19}"), failing);
    JsonNode rolledBack = waitFor("cli", "web", s -> s.deployments().size() == 1
        && !s.deployments().get(0).id().equals(failing)
        && "COMPLETED".equals(s.deployments().get(0).rolloutStateAsString()));
    assertEquals(1, rolledBack.get("deployments").size(), rolledBack.toString());
    assertEquals(good, rolledBack.get("taskDefinition").asText());

    // what makes the script go green: the waiter sees one deployment with running == desired
    Result wait = aws("ecs", "wait", "services-stable", "--cluster", "cli", "--services", "web");
    assertEquals(0, wait.exit(), wait.err());

    List<String> messages = new ArrayList<>();
    rolledBack.get("events").forEach(e -> messages.add(e.get("message").asText()));
    assertTrue(messages.contains("(service web) (deployment " + failing + ") deployment failed: tasks failed to start."),
        messages.toString());

    JsonNode stopped = ok("ecs", "list-tasks", "--cluster", "cli", "--service-name", "web", "--desired-status",
        "STOPPED", "--started-by", failing);
    assertTrue(stopped.get("taskArns").size() >= 3, stopped.toString());
    JsonNode task = ok("ecs", "describe-tasks", "--cluster", "cli", "--tasks",
        stopped.at("/taskArns/0").asText()).at("/tasks/0");
    assertEquals("EssentialContainerExited", task.get("stopCode").asText());
    assertEquals(1, task.at("/containers/0/exitCode").asInt());

    JsonNode listed = ok("ecs", "list-task-definitions", "--family-prefix", "cli-app", "--sort", "DESC");
    assertEquals(bad, listed.at("/taskDefinitionArns/0").asText());
    assertEquals("INACTIVE", ok("ecs", "deregister-task-definition", "--task-definition", bad)
        .at("/taskDefinition/status").asText());
    String serviceArn = rolledBack.get("serviceArn").asText();
    ok("ecs", "tag-resource", "--resource-arn", serviceArn, "--tags", "key=owner,value=me");
    assertEquals("me", ok("ecs", "list-tags-for-resource", "--resource-arn", serviceArn).at("/tags/0/value")
        .asText());
  }

  @Test
  void errorsAsTheCliPrintsThem() throws Exception {
    Result noCluster = aws("ecs", "describe-services", "--cluster", "cli-nowhere", "--services", "x");
    assertNotEquals(0, noCluster.exit());
    assertTrue(noCluster.err().contains("An error occurred (ClusterNotFoundException) when calling the"
        + " DescribeServices operation: Cluster not found."), noCluster.err());
    Result noTd = aws("ecs", "describe-task-definition", "--task-definition", "cli-nothing:3");
    assertTrue(noTd.err().contains("(ClientException) when calling the DescribeTaskDefinition operation: Unable to"
        + " describe task definition."), noTd.err());
    Result missing = aws("ecs", "describe-clusters", "--clusters", "cli-nowhere");
    assertEquals(0, missing.exit(), missing.err());
    assertEquals("MISSING", missing.json().at("/failures/0/reason").asText());
  }

  /** The jq edits of the copied script, in Java. */
  private static final class ObjectNodeEditor {
    private final com.fasterxml.jackson.databind.node.ObjectNode node;

    ObjectNodeEditor(JsonNode node) {
      this.node = (com.fasterxml.jackson.databind.node.ObjectNode) node.deepCopy();
    }

    void remove(String... fields) {
      for (String f : fields) {
        node.remove(f);
      }
    }

    void image(String image) {
      ((com.fasterxml.jackson.databind.node.ObjectNode) node.get("containerDefinitions").get(0)).put("image", image);
    }

    @Override
    public String toString() {
      return node.toString();
    }
  }
}
