package io.github.ecsdeploy.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ecsdeploy.standin.StandInExtension;
import io.github.ecsdeploy.testing.RecordingDeployLog;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;

/**
 * {@link TagChecker} with the real SDK v2 clients against the local AWS stand-in, over HTTP: the ECR checks
 * (tag absent, present, repository missing, mutable repository) and the service check (older, newer, equal
 * version; the newest deployment; a sidecar; missing service and cluster).
 */
class TagCheckerStandInTest {

  @RegisterExtension static final StandInExtension STAND_IN = new StandInExtension();

  private final EcrClient ecr = STAND_IN.ecr();
  private final EcsClient ecs = STAND_IN.ecs();
  private final RecordingDeployLog log = new RecordingDeployLog();

  @BeforeEach
  void clearRequestLog() {
    STAND_IN.get().requestLog().clear();
  }

  @Test
  void tagAbsentFromAnImmutableRepositoryPasses() {
    STAND_IN.get().ecr().createRepository("absent-app", true);

    TagVersion v = checker().validate(request("v1.4.0", "absent-app"));

    assertEquals("v1.4.0", v.tag());
    assertTrue(log.infoContains("ECR repository absent-app has no v1.4.0 yet"), log.toString());
    assertTrue(log.warns().isEmpty(), log.toString());
    assertEquals(1, STAND_IN.get().requestLog().count("DescribeImages"));
  }

  @Test
  void tagPresentPassesAsARerunOfTheSameImage() {
    STAND_IN.get().ecr().createRepository("present-app", true);
    String digest = "sha256:" + "ab".repeat(32);
    STAND_IN.get().ecr().putImage("present-app", digest, "v1.4.0", 1234, "application/vnd.oci.image.manifest.v1+json");

    checker().validate(request("v1.4.0", "present-app"));

    assertTrue(log.infoContains("ECR already has present-app:v1.4.0 (" + digest), log.toString());
    assertTrue(log.infoContains("push-image will accept only an identical image"), log.toString());
  }

  @Test
  void missingRepositoryIsReportedWithTheCommandToCreateIt() {
    UserInputException e = assertThrows(UserInputException.class,
        () -> checker().validate(request("v1.4.0", "missing-app")));

    assertTrue(e.getMessage().contains("The ECR repository 'missing-app' does not exist. Create it with tags"
        + " that cannot move: aws ecr create-repository --repository-name missing-app --image-tag-mutability"
        + " IMMUTABLE"), e.getMessage());
    assertEquals(0, STAND_IN.get().requestLog().count("DescribeImages"));
  }

  @Test
  void mutableRepositoryWarnsHowToMakeItImmutable() {
    STAND_IN.get().ecr().createRepository("mutable-app", false);

    checker().validate(request("v1.4.0", "mutable-app"));

    assertTrue(log.warnContains("ECR repository mutable-app allows tags to be overwritten (MUTABLE)"), log.toString());
    assertTrue(log.warnContains("aws ecr put-image-tag-mutability --repository-name mutable-app"
        + " --image-tag-mutability IMMUTABLE"), log.toString());
  }

  @Test
  void policyAndRegistryViolationsComeTogether() {
    UserInputException e = assertThrows(UserInputException.class,
        () -> checker().validate(request("v01.4.0", "nowhere-app")));

    assertTrue(e.getMessage().startsWith("The tag 'v01.4.0' may not deploy (3 problems):"), e.getMessage());
    assertTrue(e.getMessage().contains("MAJOR '01' with a leading zero"), e.getMessage());
    assertTrue(e.getMessage().contains("The ECR repository 'nowhere-app' does not exist"), e.getMessage());
  }

  @Test
  void offlineMakesNoRequest() {
    TagChecker checker = new TagChecker(() -> ecr, () -> {
      throw new AssertionError("no ECS client offline");
    }, log);

    checker.validate(new TagChecker.Request("v1.4.0", TagPolicy.Options.strict("1.4.0"), true, true,
        "any-app", "prod", "web", null, false));

    assertEquals(List.of(), STAND_IN.get().requestLog().entries());
    assertTrue(log.warnContains("Offline"), log.toString());
  }

  @Test
  void aRegistryThatKeepsFailingPassesTheSdkExceptionOn() {
    STAND_IN.get().ecr().createRepository("flaky-app", true);
    STAND_IN.get().faults().serverErrors(1.0);

    SdkException e = assertThrows(SdkException.class, () -> checker().validate(request("v1.4.0", "flaky-app")));

    assertTrue(STAND_IN.get().requestLog().count("DescribeRepositories") > 1, "retried before giving up");
  }

  // ---- the service: the version in the image tag of the running task definition

  @Test
  void serviceRunningAnOlderVersionPasses() {
    service("older", "v1.3.0");

    checker().validate(serviceRequest("v1.4.0", "older", false));

    assertTrue(log.infoContains("service 'web' in cluster 'older' (task definition older:1, container 'app')"
        + " runs v1.3.0; v1.4.0 is newer"), log.toString());
    assertEquals(1, STAND_IN.get().requestLog().count("DescribeTaskDefinition"));
  }

  @Test
  void serviceRunningANewerVersionRefusesTheDowngradeAndPointsToRollback() {
    service("newer", "v1.10.0");

    UserInputException e = assertThrows(UserInputException.class,
        () -> checker().validate(serviceRequest("v1.9.0", "newer", false)));

    assertTrue(e.getMessage().contains("The tag v1.9.0 is older than v1.10.0, which service 'web' in cluster"
        + " 'newer' (task definition newer:1, container 'app') runs now. Going back to an older version is a"
        + " rollback"), e.getMessage());
    assertTrue(e.getMessage().contains("<allowDowngrade> / -Decs.validateTag.allowDowngrade=true"),
        e.getMessage());
  }

  @Test
  void allowDowngradeLetsTheOlderVersionThroughWithAWarning() {
    service("allowed", "v2.0.0");

    checker().validate(serviceRequest("v1.9.0", "allowed", true));

    assertTrue(log.warnContains("v1.9.0 is older than v2.0.0"), log.toString());
  }

  @Test
  void serviceRunningTheSameVersionIsARerun() {
    service("same", "v1.9.0");

    checker().validate(serviceRequest("v1.9.0", "same", false));

    assertTrue(log.infoContains("runs v1.9.0 already: deploying it again is a re-run"), log.toString());
  }

  @Test
  void theNewestDeploymentOfTheServiceIsWhatRuns() {
    String cluster = service("updated", "v1.3.0");
    String newer = register(cluster, "v1.5.0", "app");
    ecs.updateService(r -> r.cluster(cluster).service("web").taskDefinition(newer));

    UserInputException e = assertThrows(UserInputException.class,
        () -> checker().validate(serviceRequest("v1.4.0", cluster, false)));

    assertTrue(e.getMessage().contains("is older than v1.5.0, which service 'web' in cluster 'updated'"
        + " (task definition updated:2"), e.getMessage());
  }

  @Test
  void theContainerWithOurRepositoryIsFoundBesideASidecar() {
    ecs.createCluster(r -> r.clusterName("sidecar"));
    String td = ecs.registerTaskDefinition(r -> r.family("sidecar").containerDefinitions(
            ContainerDefinition.builder().name("envoy").image("public.ecr.aws/appmesh/envoy:v9.0.0").memory(128)
                .build(),
            ContainerDefinition.builder().name("app").image(image("sidecar-app", "v1.3.0")).memory(256).build()))
        .taskDefinition().taskDefinitionArn();
    ecs.createService(r -> r.cluster("sidecar").serviceName("web").taskDefinition(td).desiredCount(1));

    checker().validate(new TagChecker.Request("v1.9.0", TagPolicy.Options.strict("1.9.0"), false, false,
        "sidecar-app", "sidecar", "web", null, false));

    assertTrue(log.infoContains("container 'app') runs v1.3.0; v1.9.0 is newer"), log.toString());
  }

  @Test
  void aServiceThatDoesNotExistIsReported() {
    ecs.createCluster(r -> r.clusterName("empty"));

    UserInputException e = assertThrows(UserInputException.class,
        () -> checker().validate(serviceRequest("v1.9.0", "empty", false)));

    assertTrue(e.getMessage().contains("  - Service 'web' was not found in cluster 'empty' (region us-east-1) (MISSING)"),
        e.getMessage());
  }

  @Test
  void aClusterThatDoesNotExistIsReported() {
    UserInputException e = assertThrows(UserInputException.class,
        () -> checker().validate(serviceRequest("v1.9.0", "no-such-cluster", false)));

    assertTrue(e.getMessage().contains("  - Cluster 'no-such-cluster' was not found (region us-east-1; looking up service"
        + " 'web')"), e.getMessage());
  }

  /** A cluster named {@code name} whose service {@code web} runs {@code <registry>/<name>-app:<tag>}. */
  private static String service(String name, String tag) {
    STAND_IN.ecs().createCluster(r -> r.clusterName(name));
    String td = register(name, tag, "app");
    STAND_IN.ecs().createService(r -> r.cluster(name).serviceName("web").taskDefinition(td).desiredCount(1));
    return name;
  }

  private static String register(String family, String tag, String container) {
    return STAND_IN.ecs().registerTaskDefinition(r -> r.family(family).containerDefinitions(ContainerDefinition.builder()
        .name(container).image(image(family + "-app", tag)).memory(256).build())).taskDefinition()
        .taskDefinitionArn();
  }

  private static String image(String repository, String tag) {
    return STAND_IN.get().ecr().registryHost() + "/" + repository + ":" + tag;
  }

  private static TagChecker.Request serviceRequest(String tag, String cluster, boolean allowDowngrade) {
    return new TagChecker.Request(tag, TagPolicy.Options.strict(tag.substring(1)), false, false,
        cluster + "-app", cluster, "web", null, allowDowngrade);
  }

  private TagChecker checker() {
    return new TagChecker(() -> ecr, () -> ecs, log);
  }

  private static TagChecker.Request request(String tag, String repository) {
    return new TagChecker.Request(tag, TagPolicy.Options.strict("1.4.0"), false, true, repository, null, null,
        null, false);
  }
}
