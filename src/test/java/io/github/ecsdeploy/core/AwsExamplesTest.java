package io.github.ecsdeploy.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ecsdeploy.taskdef.SdkJson;
import io.github.ecsdeploy.taskdef.TaskDefinitionDocument;
import io.github.ecsdeploy.taskdef.TaskDefinitionTransformer;
import io.github.ecsdeploy.testing.InMemoryEcr;
import io.github.ecsdeploy.testing.RecordingDeployLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecr.model.DescribeImagesResponse;
import software.amazon.awssdk.services.ecr.model.ImageDetail;
import software.amazon.awssdk.services.ecr.model.ImageTagMutability;
import software.amazon.awssdk.services.ecs.model.DescribeServicesResponse;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.UpdateServiceResponse;

/**
 * The verdict, the transformer, the reuse comparison and the ECR check on AWS's own documented example
 * responses in {@code src/test/resources/aws-examples/} (their sources are in the README there), read with the
 * same strict reader the plugin uses for task-definition files: a member our SDK does not know would fail here.
 */
class AwsExamplesTest {

  private static final Path DIR = Path.of("src/test/resources/aws-examples");
  private static final ObjectMapper MAPPER = new ObjectMapper();

  // ---- DeploymentVerdict

  /** Judges {@code service} as a read after our deployment was seen, with nothing known from before our call. */
  private static DeploymentVerdict judge(Service service, String deploymentId, String taskDefinitionArn) {
    return DeploymentVerdict.judge(service, new DeploymentVerdict.Context(
        deploymentId, null, taskDefinitionArn, Service.builder().build(), true));
  }

  @Test
  void aSteadyServiceInTheOldShapeWithoutRolloutStateIsCompleted() throws IOException {
    // The AWS CLI's describe-services example predates rolloutState (2020): one PRIMARY deployment, 10 of 10.
    Service service = SdkJson.readInto(DescribeServicesResponse.builder(), read("ecs-describe-services-steady.json"), "")
        .build().services().get(0);
    String td = "arn:aws:ecs:us-west-2:123456789012:task-definition/amazon-ecs-sample:1";

    DeploymentVerdict verdict = judge(service, "ecs-svc/1234567890123456789", td);

    assertEquals(DeploymentOutcome.COMPLETED, verdict.outcome());
    assertEquals("Deployment ecs-svc/1234567890123456789 of amazon-ecs-sample:1 is the only deployment and steady:"
        + " 10/10 running, 0 pending, 0 failed.", verdict.message());
  }

  @Test
  void aCompletedRolloutWithTheCircuitBreakerIsCompleted() throws IOException {
    Service service = SdkJson.readInto(UpdateServiceResponse.builder(),
        read("ecs-update-service-circuit-breaker.json"), "").build().service();
    String td = "arn:aws:ecs:us-east-1:123456789012:task-definition/MyTaskDefinition";

    DeploymentVerdict verdict = judge(service, "ecs-svc/1976744184940610707", td);

    assertEquals(DeploymentOutcome.COMPLETED, verdict.outcome());
    assertEquals("Deployment ecs-svc/1976744184940610707 of MyTaskDefinition COMPLETED: 1/1 running, 0 pending,"
        + " 0 failed.", verdict.message());
    // Someone else's deployment in the same answer is not ours to call completed.
    assertFalse(judge(service, "ecs-svc/1", td).outcome() == DeploymentOutcome.COMPLETED);
  }

  // ---- the transformer and the reuse comparison

  @Test
  void describeOutputBecomesARegisterRequestWithOnlyOurContainerChanged() throws IOException {
    TaskDefinitionDocument document =
        TaskDefinitionDocument.parse(Files.readString(DIR.resolve("ecs-describe-task-definition-hello_world.json")));
    RegisterTaskDefinitionRequest request = document.toRegisterRequest();

    // Two containers and neither from our repository: the container must be named.
    UserInputException ambiguous = assertThrows(UserInputException.class, () -> ContainerSelector.select(
        "hello_world:8", request.containerDefinitions(), null, "123456789012.dkr.ecr.us-east-1.amazonaws.com", "app"));
    assertTrue(ambiguous.getMessage().contains("2 containers (wordpress, mysql)"), ambiguous.getMessage());
    RegisterTaskDefinitionRequest ours = TaskDefinitionTransformer.withImage(request, "wordpress", "wordpress:6.4");

    JsonNode json = SdkJson.write(ours);
    assertFalse(json.has("taskDefinitionArn") || json.has("revision"), json.toString());
    assertEquals("wordpress:6.4", json.at("/containerDefinitions/0/image").asText());
    assertEquals("mysql", json.at("/containerDefinitions/1/image").asText());
    assertEquals("MYSQL_ROOT_PASSWORD", json.at("/containerDefinitions/1/environment/0/name").asText());
    assertEquals("mysql", json.at("/containerDefinitions/0/links/0").asText());
  }

  @Test
  void whatEcsAnswersToARegistrationIsTheSameRequestForTheReuseCheck() throws IOException {
    // ECS adds empty portMappings/environment/mountPoints/volumesFrom/volumes/placementConstraints and the
    // read-only revision, status and compatibilities: none of it may make a re-run register a duplicate.
    RegisterTaskDefinitionRequest sent = TaskDefinitionDocument.parse(
        Files.readString(DIR.resolve("ecs-register-task-definition-sleep360.input.json"))).toRegisterRequest();
    RegisterTaskDefinitionRequest answered = TaskDefinitionDocument.parse(
        Files.readString(DIR.resolve("ecs-register-task-definition-sleep360.output.json"))).toRegisterRequest();

    assertEquals(TaskDefinitionRegistrar.comparable(sent), TaskDefinitionRegistrar.comparable(answered));
    RegisterTaskDefinitionRequest changed = TaskDefinitionTransformer.withImage(sent, "sleep", "busybox:1.36");
    assertFalse(TaskDefinitionRegistrar.comparable(changed).equals(TaskDefinitionRegistrar.comparable(answered)));
  }

  // ---- ECR

  @Test
  void anImageEcrDescribesIsReportedAsAlreadyThere() throws IOException {
    ImageDetail image = SdkJson.readInto(DescribeImagesResponse.builder(), read("ecr-describe-images.json"), "")
        .build().imageDetails().get(0);
    assertEquals(Instant.parse("2019-08-06T21:51:15Z"), image.imagePushedAt());
    assertEquals(48_318_255L, image.imageSizeInBytes());
    InMemoryEcr ecr = new InMemoryEcr();
    ecr.repository("cluster-autoscaler", ImageTagMutability.IMMUTABLE);
    ecr.images.put("cluster-autoscaler:v1.13.6", image);
    RecordingDeployLog log = new RecordingDeployLog();

    new TagChecker(() -> ecr, () -> {
      throw new AssertionError("no ECS here");
    }, log).validate(new TagChecker.Request("v1.13.6", TagPolicy.Options.strict("1.13.6"), false, true,
        "012345678910.dkr.ecr.us-east-1.amazonaws.com/cluster-autoscaler", null, null, null, false));

    assertTrue(log.infoContains("ECR already has cluster-autoscaler:v1.13.6 (sha256:4a1c6567c38904384ebc64e35b7eeddd"
        + "8451110c299e3368d2210066487d97e5, pushed 2019-08-06T21:51:15Z)"), log.toString());
    assertEquals("012345678910", ecr.describeRepositories.get(0).registryId());
  }

  private static JsonNode read(String name) throws IOException {
    return MAPPER.readTree(Files.readString(DIR.resolve(name)));
  }
}
