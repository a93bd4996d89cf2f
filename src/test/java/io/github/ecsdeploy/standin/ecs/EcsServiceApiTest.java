package io.github.ecsdeploy.standin.ecs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ecsdeploy.standin.AwsErrorException;
import io.github.ecsdeploy.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Request and response shapes, validation and errors of the ECS stand-in. */
class EcsServiceApiTest {

  private static final String ACCOUNT = "123456789012";
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T10:00:00.125Z"));
  private final EcsService ecs = new EcsService("us-east-1", ACCOUNT, clock, EcsSimulationSettings.defaults());

  @BeforeEach
  void setUp() {
    ecs.handle("CreateCluster", "{\"clusterName\":\"prod\"}");
  }

  private JsonNode register(String json) {
    return ecs.handle("RegisterTaskDefinition", json);
  }

  private String registerSimple(String family, String image) {
    return register("""
        {"family":"%s","containerDefinitions":[{"name":"app","image":"%s","memory":256}]}"""
        .formatted(family, image)).at("/taskDefinition/taskDefinitionArn").asText();
  }

  private AwsErrorException error(String operation, String json) {
    return assertThrows(AwsErrorException.class, () -> ecs.handle(operation, json));
  }

  private static void assertError(AwsErrorException e, String type, String message) {
    assertEquals(400, e.status());
    assertEquals(type, e.errorType());
    assertEquals(message, e.getMessage());
  }

  // --- task definitions --------------------------------------------------------------------------------------

  @Test
  void registerAndDescribeRoundTripKeepsEveryWritableMember() throws Exception {
    String request = """
        {"family":"web","taskRoleArn":"arn:aws:iam::123456789012:role/task",
         "executionRoleArn":"arn:aws:iam::123456789012:role/exec","networkMode":"awsvpc",
         "requiresCompatibilities":["FARGATE"],"cpu":"1 vCPU","memory":"2 GB","pidMode":"task",
         "ephemeralStorage":{"sizeInGiB":30},
         "runtimePlatform":{"cpuArchitecture":"ARM64","operatingSystemFamily":"LINUX"},
         "someFutureMember":{"nested":[1,2,3]},
         "containerDefinitions":[{"name":"app","image":"123456789012.dkr.ecr.us-east-1.amazonaws.com/web:v1.0.0",
           "essential":true,"portMappings":[{"containerPort":8080}],
           "environment":[{"name":"A","value":"b"}],"futureContainerMember":"kept",
           "logConfiguration":{"logDriver":"awslogs","options":{"awslogs-group":"/ecs/web"}}}],
         "tags":[{"key":"team","value":"payments"}]}""";
    JsonNode registered = register(request);
    JsonNode td = registered.get("taskDefinition");
    assertEquals("arn:aws:ecs:us-east-1:123456789012:task-definition/web:1", td.get("taskDefinitionArn").asText());
    assertEquals(1, td.get("revision").asInt());
    assertEquals("ACTIVE", td.get("status").asText());
    assertEquals("1024", td.get("cpu").asText());
    assertEquals("2048", td.get("memory").asText());
    assertEquals("task", td.get("pidMode").asText());
    assertEquals(30, td.at("/ephemeralStorage/sizeInGiB").asInt());
    assertEquals("ARM64", td.at("/runtimePlatform/cpuArchitecture").asText());
    assertEquals(new ObjectMapper().readTree("{\"nested\":[1,2,3]}"), td.get("someFutureMember"));
    assertEquals("kept", td.at("/containerDefinitions/0/futureContainerMember").asText());
    assertEquals(8080, td.at("/containerDefinitions/0/portMappings/0/hostPort").asInt());
    assertEquals("tcp", td.at("/containerDefinitions/0/portMappings/0/protocol").asText());
    assertEquals("[\"EC2\",\"FARGATE\"]", td.get("compatibilities").toString());
    assertEquals("[\"FARGATE\"]", td.get("requiresCompatibilities").toString());
    assertEquals("arn:aws:iam::123456789012:root", td.get("registeredBy").asText());
    assertEquals("1795687200.125", td.get("registeredAt").decimalValue().toPlainString());
    assertFalse(td.has("tags"), "tags are not part of the task definition");
    assertEquals("payments", registered.at("/tags/0/value").asText());
    List<String> attributes = new ArrayList<>();
    td.get("requiresAttributes").forEach(a -> attributes.add(a.get("name").asText()));
    assertTrue(attributes.contains("com.amazonaws.ecs.capability.docker-remote-api.1.18"), attributes.toString());
    assertTrue(attributes.contains("ecs.capability.execution-role-awslogs"), attributes.toString());
    assertTrue(attributes.contains("ecs.capability.execution-role-ecr-pull"), attributes.toString());
    assertTrue(attributes.contains("com.amazonaws.ecs.capability.task-iam-role"), attributes.toString());
    assertTrue(attributes.contains("ecs.capability.task-eni"), attributes.toString());

    JsonNode described = ecs.handle("DescribeTaskDefinition", "{\"taskDefinition\":\"web:1\"}");
    assertEquals(td, described.get("taskDefinition"));
    assertFalse(described.has("tags"));
    assertEquals(td, ecs.handle("DescribeTaskDefinition", "{\"taskDefinition\":\"web\"}").get("taskDefinition"));
    assertEquals(td, ecs.handle("DescribeTaskDefinition",
        "{\"taskDefinition\":\"" + td.get("taskDefinitionArn").asText() + "\"}").get("taskDefinition"));
  }

  @Test
  void describeWithIncludeTagsReturnsTags() {
    register("""
        {"family":"web","containerDefinitions":[{"name":"app","image":"a","memory":256}],
         "tags":[{"key":"team","value":"payments"},{"key":"env","value":"prod"}]}""");
    JsonNode d = ecs.handle("DescribeTaskDefinition", "{\"taskDefinition\":\"web\",\"include\":[\"TAGS\"]}");
    assertEquals("[{\"key\":\"team\",\"value\":\"payments\"},{\"key\":\"env\",\"value\":\"prod\"}]",
        d.get("tags").toString());
    String noTags = registerSimple("bare", "a");
    JsonNode bare = ecs.handle("DescribeTaskDefinition", "{\"taskDefinition\":\"" + noTags
        + "\",\"include\":[\"TAGS\"]}");
    assertEquals("[]", bare.get("tags").toString());
  }

  @Test
  void revisionsCountPerFamilyAndDeregisterMakesInactive() {
    registerSimple("web", "a:1");
    registerSimple("api", "b:1");
    String web2 = registerSimple("web", "a:2");
    assertTrue(web2.endsWith("task-definition/web:2"));
    clock.advance(Duration.ofSeconds(5));
    JsonNode dereg = ecs.handle("DeregisterTaskDefinition", "{\"taskDefinition\":\"web:2\"}").get("taskDefinition");
    assertEquals("INACTIVE", dereg.get("status").asText());
    assertEquals("1795687205.125", dereg.get("deregisteredAt").decimalValue().toPlainString());
    // the bare family now resolves to the latest ACTIVE revision
    assertEquals(1, ecs.handle("DescribeTaskDefinition", "{\"taskDefinition\":\"web\"}")
        .at("/taskDefinition/revision").asInt());
    // an inactive revision is still describable by number
    assertEquals("INACTIVE", ecs.handle("DescribeTaskDefinition", "{\"taskDefinition\":\"web:2\"}")
        .at("/taskDefinition/status").asText());
    AwsErrorException e = error("CreateService", """
        {"cluster":"prod","serviceName":"s","taskDefinition":"web:2","desiredCount":1}""");
    assertEquals("ClientException", e.errorType());
  }

  @Test
  void listTaskDefinitionsFiltersByFamilyAndStatusAndSorts() {
    registerSimple("web", "a:1");
    registerSimple("api", "b:1");
    registerSimple("web", "a:2");
    registerSimple("web", "a:3");
    ecs.handle("DeregisterTaskDefinition", "{\"taskDefinition\":\"web:1\"}");
    String p = "arn:aws:ecs:us-east-1:123456789012:task-definition/";
    assertEquals(List.of(p + "api:1", p + "web:2", p + "web:3"), arns(ecs.handle("ListTaskDefinitions", "{}")));
    assertEquals(List.of(p + "web:3", p + "web:2"),
        arns(ecs.handle("ListTaskDefinitions", "{\"familyPrefix\":\"web\",\"sort\":\"DESC\"}")));
    assertEquals(List.of(p + "web:1"),
        arns(ecs.handle("ListTaskDefinitions", "{\"status\":\"INACTIVE\"}")));
    JsonNode page = ecs.handle("ListTaskDefinitions", "{\"maxResults\":2}");
    assertEquals(List.of(p + "api:1", p + "web:2"), arns(page));
    assertEquals(List.of(p + "web:3"), arns(ecs.handle("ListTaskDefinitions",
        "{\"maxResults\":2,\"nextToken\":\"" + page.get("nextToken").asText() + "\"}")));
  }

  private static List<String> arns(JsonNode listed) {
    List<String> out = new ArrayList<>();
    listed.get("taskDefinitionArns").forEach(a -> out.add(a.asText()));
    return out;
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      {"containerDefinitions":[{"name":"a","image":"i","memory":1}]}                  | Family can not be blank.
      {"family":"bad name","containerDefinitions":[{"name":"a","image":"i","memory":1}]} | Family contains invalid characters.
      {"family":"f"}                                                                  | Container list cannot be empty.
      {"family":"f","containerDefinitions":[]}                                        | Container list cannot be empty.
      {"family":"f","containerDefinitions":[{"image":"i","memory":1}]}                | Container.name should not be null or empty.
      {"family":"f","containerDefinitions":[{"name":"a b","image":"i","memory":1}]}   | Container.name contains invalid characters.
      {"family":"f","containerDefinitions":[{"name":"a","memory":1}]}                 | Container.image should not be null or empty.
      {"family":"f","containerDefinitions":[{"name":"a","image":"i"}]}                | Invalid setting for container 'a'. At least one of 'memory' or 'memoryReservation' must be specified.
      {"family":"f","requiresCompatibilities":["FARGATE"],"cpu":"256","memory":"512","containerDefinitions":[{"name":"a","image":"i"}]} | Fargate only supports network mode ‘awsvpc’.
      {"family":"f","requiresCompatibilities":["FARGATE"],"networkMode":"awsvpc","memory":"512","containerDefinitions":[{"name":"a","image":"i"}]} | Fargate requires that 'cpu' be defined at the task level.
      {"family":"f","requiresCompatibilities":["FARGATE"],"networkMode":"awsvpc","cpu":"512","memory":"512","containerDefinitions":[{"name":"a","image":"i"}]} | No Fargate configuration exists for given values: 512 CPU, 512 memory. See the Amazon ECS documentation for the valid values.
      """)
  void registerValidationAsEcsWritesIt(String request, String message) {
    assertError(error("RegisterTaskDefinition", request), "ClientException", message);
  }

  @Test
  void familyLongerThan255IsRefused() {
    String family = "f".repeat(256);
    assertError(error("RegisterTaskDefinition", """
        {"family":"%s","containerDefinitions":[{"name":"a","image":"i","memory":1}]}""".formatted(family)),
        "ClientException", "Family contains invalid characters.");
    registerSimple("f".repeat(255), "i");
  }

  @Test
  void fargateCompatibilityOnlyForValidSizes() {
    JsonNode ok = register("""
        {"family":"f","networkMode":"awsvpc","cpu":"256","memory":"2048",
         "containerDefinitions":[{"name":"a","image":"i"}]}""");
    assertEquals("[\"EC2\",\"FARGATE\"]", ok.at("/taskDefinition/compatibilities").toString());
    JsonNode ec2Only = register("""
        {"family":"f","networkMode":"awsvpc","cpu":"256","memory":"4096",
         "containerDefinitions":[{"name":"a","image":"i"}]}""");
    assertEquals("[\"EC2\"]", ec2Only.at("/taskDefinition/compatibilities").toString());
    assertTrue(TaskDefinitionApi.validFargate("16384", "122880"));
    assertFalse(TaskDefinitionApi.validFargate("8192", "18000"));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      [{"key":"aws:thing","value":"x"}]        | Tag key must not start with aws:
      [{"key":"AWS:thing","value":"x"}]        | Tag key must not start with aws:
      [{"key":"","value":"x"}]                 | Tag keys must be between 1 and 128 characters.
      [{"key":"a","value":"x"},{"key":"a","value":"y"}] | Duplicate tag keys are not allowed: a
      [{"key":"a#b","value":"x"}]              | Tags may only contain letters, numbers, spaces and the characters + - = . _ : / @.
      """)
  void tagRules(String tags, String message) {
    assertError(error("RegisterTaskDefinition", """
        {"family":"f","containerDefinitions":[{"name":"a","image":"i","memory":1}],"tags":%s}""".formatted(tags)),
        "InvalidParameterException", message);
  }

  @Test
  void tooManyTagsAndTooLongValuesAreRefused() {
    StringBuilder many = new StringBuilder("[");
    for (int i = 0; i < 51; i++) {
      many.append(i == 0 ? "" : ",").append("{\"key\":\"k").append(i).append("\",\"value\":\"v\"}");
    }
    many.append(']');
    assertEquals("InvalidParameterException", error("RegisterTaskDefinition", """
        {"family":"f","containerDefinitions":[{"name":"a","image":"i","memory":1}],"tags":%s}"""
        .formatted(many)).errorType());
    assertEquals("InvalidParameterException", error("RegisterTaskDefinition", """
        {"family":"f","containerDefinitions":[{"name":"a","image":"i","memory":1}],
         "tags":[{"key":"k","value":"%s"}]}""".formatted("v".repeat(257))).errorType());
  }

  @Test
  void describeMissingTaskDefinitionIsClientException() {
    assertError(error("DescribeTaskDefinition", "{\"taskDefinition\":\"nope\"}"), "ClientException",
        "Unable to describe task definition.");
    registerSimple("web", "i");
    assertError(error("DescribeTaskDefinition", "{\"taskDefinition\":\"web:7\"}"), "ClientException",
        "Unable to describe task definition.");
  }

  // --- clusters ----------------------------------------------------------------------------------------------

  @Test
  void describeClustersReportsMissingOnesAsFailures() {
    JsonNode d = ecs.handle("DescribeClusters", "{\"clusters\":[\"prod\",\"nope\"],\"include\":[\"TAGS\"]}");
    assertEquals(1, d.get("clusters").size());
    assertEquals("arn:aws:ecs:us-east-1:123456789012:cluster/prod", d.at("/clusters/0/clusterArn").asText());
    assertEquals("ACTIVE", d.at("/clusters/0/status").asText());
    assertEquals("arn:aws:ecs:us-east-1:123456789012:cluster/nope", d.at("/failures/0/arn").asText());
    assertEquals("MISSING", d.at("/failures/0/reason").asText());
    JsonNode byArn = ecs.handle("DescribeClusters",
        "{\"clusters\":[\"arn:aws:ecs:us-east-1:123456789012:cluster/prod\"]}");
    assertEquals("prod", byArn.at("/clusters/0/clusterName").asText());
  }

  @Test
  void createClusterIsIdempotent() {
    JsonNode again = ecs.handle("CreateCluster", "{\"clusterName\":\"prod\"}");
    assertEquals("arn:aws:ecs:us-east-1:123456789012:cluster/prod", again.at("/cluster/clusterArn").asText());
    assertEquals(1, ecs.handle("DescribeClusters", "{\"clusters\":[\"prod\"]}").get("clusters").size());
  }

  // --- services ----------------------------------------------------------------------------------------------

  @Test
  void serviceErrorsAsEcsSendsThem() {
    String td = registerSimple("web", "i");
    assertError(error("CreateService", """
        {"cluster":"nope","serviceName":"s","taskDefinition":"%s","desiredCount":1}""".formatted(td)),
        "ClusterNotFoundException", "Cluster not found.");
    assertError(error("DescribeServices", "{\"cluster\":\"nope\",\"services\":[\"s\"]}"),
        "ClusterNotFoundException", "Cluster not found.");
    assertError(error("UpdateService", "{\"cluster\":\"prod\",\"service\":\"nope\",\"desiredCount\":1}"),
        "ServiceNotFoundException", "Service not found.");
    assertError(error("CreateService", """
        {"cluster":"prod","serviceName":"s","taskDefinition":"missing:1","desiredCount":1}"""),
        "ClientException", "TaskDefinition not found.");
    ecs.handle("CreateService", """
        {"cluster":"prod","serviceName":"s","taskDefinition":"%s","desiredCount":1}""".formatted(td));
    assertError(error("CreateService", """
        {"cluster":"prod","serviceName":"s","taskDefinition":"%s","desiredCount":1}""".formatted(td)),
        "InvalidParameterException", "Creation of service was not idempotent.");
    AwsErrorException unknown = error("DeleteEverything", "{}");
    assertEquals("UnknownOperationException", unknown.errorType());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      "serviceName":"bad name","desiredCount":1 | Service name can contain up to 255 letters (uppercase and lowercase), numbers, underscores, and hyphens.
      "serviceName":"s","desiredCount":-1       | Desired count must be greater than or equal to 0.
      "serviceName":"s","desiredCount":1,"launchType":"MOON" | Invalid launch type: MOON. Valid values are EC2, FARGATE, EXTERNAL and MANAGED_INSTANCES.
      "serviceName":"s","desiredCount":1,"launchType":"FARGATE" | Task definition does not support launch_type FARGATE.
      "serviceName":"s","desiredCount":1,"deploymentController":{"type":"BLUE"} | Invalid deployment controller type: BLUE. Valid values are ECS, CODE_DEPLOY and EXTERNAL.
      """)
  void createServiceValidation(String members, String message) {
    String td = registerSimple("web", "i");
    assertError(error("CreateService", "{\"cluster\":\"prod\",\"taskDefinition\":\"" + td + "\"," + members + "}"),
        "InvalidParameterException", message);
  }

  @Test
  void awsvpcServiceNeedsNetworkConfiguration() {
    register("""
        {"family":"f","networkMode":"awsvpc","requiresCompatibilities":["FARGATE"],"cpu":"256","memory":"512",
         "containerDefinitions":[{"name":"a","image":"i"}]}""");
    assertError(error("CreateService", """
        {"cluster":"prod","serviceName":"s","taskDefinition":"f","desiredCount":1,"launchType":"FARGATE"}"""),
        "InvalidParameterException", "Network Configuration must be provided when networkMode 'awsvpc' is specified.");
    JsonNode s = ecs.handle("CreateService", """
        {"cluster":"prod","serviceName":"s","taskDefinition":"f","desiredCount":1,"launchType":"FARGATE",
         "networkConfiguration":{"awsvpcConfiguration":{"subnets":["subnet-1"],"assignPublicIp":"ENABLED"}}}""")
        .get("service");
    assertEquals("FARGATE", s.get("launchType").asText());
    assertEquals("subnet-1", s.at("/networkConfiguration/awsvpcConfiguration/subnets/0").asText());
    assertEquals("subnet-1", s.at("/deployments/0/networkConfiguration/awsvpcConfiguration/subnets/0").asText());
  }

  @Test
  void codeDeployServiceRefusesTaskDefinitionUpdate() {
    String td = registerSimple("web", "i");
    String td2 = registerSimple("web", "j");
    JsonNode created = ecs.handle("CreateService", """
        {"cluster":"prod","serviceName":"bg","taskDefinition":"%s","desiredCount":1,
         "deploymentController":{"type":"CODE_DEPLOY"}}""".formatted(td)).get("service");
    assertEquals("CODE_DEPLOY", created.at("/deploymentController/type").asText());
    assertError(error("UpdateService", """
        {"cluster":"prod","service":"bg","taskDefinition":"%s"}""".formatted(td2)), "InvalidParameterException",
        "Unable to update task definition on services with a CODE_DEPLOY deployment controller. Use AWS CodeDeploy"
            + " to trigger a new deployment.");
    // desiredCount may still change
    JsonNode updated = ecs.handle("UpdateService", "{\"cluster\":\"prod\",\"service\":\"bg\",\"desiredCount\":2}");
    assertEquals(2, updated.at("/service/desiredCount").asInt());
  }

  @Test
  void describeServicesShapeAndMissingFailures() {
    String td = registerSimple("web", "i");
    ecs.handle("CreateService", """
        {"cluster":"prod","serviceName":"s","taskDefinition":"%s","desiredCount":1,
         "tags":[{"key":"team","value":"x"}]}""".formatted(td));
    JsonNode d = ecs.handle("DescribeServices",
        "{\"cluster\":\"arn:aws:ecs:us-east-1:123456789012:cluster/prod\",\"services\":[\"s\",\"gone\"],"
            + "\"include\":[\"TAGS\"]}");
    JsonNode s = d.at("/services/0");
    assertEquals("arn:aws:ecs:us-east-1:123456789012:service/prod/s", s.get("serviceArn").asText());
    assertEquals("arn:aws:ecs:us-east-1:123456789012:cluster/prod", s.get("clusterArn").asText());
    assertEquals("ACTIVE", s.get("status").asText());
    assertEquals("ECS", s.at("/deploymentController/type").asText());
    assertEquals(200, s.at("/deploymentConfiguration/maximumPercent").asInt());
    assertEquals(100, s.at("/deploymentConfiguration/minimumHealthyPercent").asInt());
    assertFalse(s.at("/deploymentConfiguration/deploymentCircuitBreaker/enable").asBoolean());
    assertEquals("REPLICA", s.get("schedulingStrategy").asText());
    assertEquals("x", s.at("/tags/0/value").asText());
    assertEquals("arn:aws:ecs:us-east-1:123456789012:service/prod/gone", d.at("/failures/0/arn").asText());
    assertEquals("MISSING", d.at("/failures/0/reason").asText());
    JsonNode byArn = ecs.handle("DescribeServices", "{\"cluster\":\"prod\",\"services\":[\""
        + s.get("serviceArn").asText() + "\"]}");
    assertEquals("s", byArn.at("/services/0/serviceName").asText());
    assertFalse(byArn.at("/services/0").has("tags"));
  }

  // --- tags on resources -------------------------------------------------------------------------------------

  @Test
  void tagResourceAndListTagsForEveryResourceType() {
    String td = registerSimple("web", "i");
    ecs.handle("CreateService", """
        {"cluster":"prod","serviceName":"s","taskDefinition":"%s","desiredCount":1}""".formatted(td));
    String task = ecs.handle("ListTasks", "{\"cluster\":\"prod\"}").at("/taskArns/0").asText();
    for (String arn : List.of(td, "arn:aws:ecs:us-east-1:123456789012:cluster/prod",
        "arn:aws:ecs:us-east-1:123456789012:service/prod/s", task)) {
      ecs.handle("TagResource", "{\"resourceArn\":\"" + arn + "\",\"tags\":[{\"key\":\"a\",\"value\":\"1\"}]}");
      ecs.handle("TagResource", "{\"resourceArn\":\"" + arn + "\",\"tags\":[{\"key\":\"a\",\"value\":\"2\"},"
          + "{\"key\":\"b\",\"value\":\"3\"}]}");
      JsonNode tags = ecs.handle("ListTagsForResource", "{\"resourceArn\":\"" + arn + "\"}").get("tags");
      assertEquals("[{\"key\":\"a\",\"value\":\"2\"},{\"key\":\"b\",\"value\":\"3\"}]", tags.toString(), arn);
    }
    assertEquals("2", ecs.handle("DescribeTaskDefinition", "{\"taskDefinition\":\"web:1\",\"include\":[\"TAGS\"]}")
        .at("/tags/0/value").asText());
    assertError(error("ListTagsForResource",
        "{\"resourceArn\":\"arn:aws:ecs:us-east-1:123456789012:service/prod/none\"}"),
        "ServiceNotFoundException", "Service not found.");
    assertError(error("TagResource", "{\"resourceArn\":\"" + td + "\",\"tags\":[{\"key\":\"aws:x\",\"value\":\"1\"}]}"),
        "InvalidParameterException", "Tag key must not start with aws:");
  }
}
