package io.github.ecsdeploy.core;

import static io.github.ecsdeploy.testing.MessageAssert.assertContainsAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ecsdeploy.testing.InMemoryEcr;
import io.github.ecsdeploy.testing.InMemoryEcs;
import io.github.ecsdeploy.testing.RecordingDeployLog;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.ParameterizedTest;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.ecr.model.EcrException;
import software.amazon.awssdk.services.ecr.model.ImageDetail;
import software.amazon.awssdk.services.ecr.model.ImageTagMutability;
import software.amazon.awssdk.services.ecr.model.Repository;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.Service;

class TagCheckerTest {

  private static final String REGISTRY = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";

  private final RecordingDeployLog log = new RecordingDeployLog();
  private final InMemoryEcr ecr = new InMemoryEcr();
  private final InMemoryEcs ecs = new InMemoryEcs();

  // ---- no AWS at all

  @Test
  void offlineChecksThePolicyOnlyAndBuildsNoClient() {
    TagChecker checker = new TagChecker(never(), never(), log);

    TagVersion v = checker.validate(request("v1.4.0").offline(true).service("app").build());

    assertEquals("v1.4.0", v.tag());
    assertTrue(log.warnContains("Offline: the ECR and service checks are skipped"), log.toString());
    assertEquals(List.of("Tag v1.4.0 may deploy."), log.infos());
  }

  @Test
  void registryCheckTurnedOffWithoutServiceBuildsNoClient() {
    TagChecker checker = new TagChecker(never(), never(), log);

    checker.validate(request("v1.4.0").checkRegistry(false).build());

    assertTrue(log.warnContains("(<checkRegistry> / -Decs.validateTag.checkRegistry=false)"), log.toString());
  }

  @Test
  void offlinePolicyViolationsStillFail() {
    TagChecker checker = new TagChecker(never(), never(), log);

    UserInputException e = assertThrows(UserInputException.class,
        () -> checker.validate(request("latest").offline(true).build()));

    assertTrue(e.getMessage().startsWith("The tag 'latest' may not deploy (2 problems):"), e.getMessage());
    assertTrue(e.getMessage().contains("\n  - The tag 'latest' is a mutable name"), e.getMessage());
    assertTrue(e.getMessage().contains("\n  - The tag 'latest' does not name the artifact"), e.getMessage());
  }

  // ---- ECR

  @Test
  void tagAbsentFromAnImmutableRepositoryPasses() {
    ecr.repository("app", ImageTagMutability.IMMUTABLE);

    checker().validate(request("v1.4.0").build());

    assertTrue(log.infoContains("ECR repository app has no v1.4.0 yet"), log.toString());
    assertTrue(log.warns().isEmpty(), log.toString());
    assertEquals("v1.4.0", lastOf(ecr.describeImages).imageIds().get(0).imageTag());
  }

  @Test
  void tagAlreadyPresentPassesAsARerun() {
    ecr.repository("app", ImageTagMutability.IMMUTABLE);
    ecr.image("app", "v1.4.0", "sha256:abc");

    checker().validate(request("v1.4.0").build());

    assertTrue(log.infoContains("ECR already has app:v1.4.0 (sha256:abc"), log.toString());
    assertTrue(log.infoContains("push-image will accept only an identical image"), log.toString());
  }

  @Test
  void missingRepositorySaysHowToCreateIt() {
    UserInputException e = assertThrows(UserInputException.class,
        () -> checker().validate(request("v1.4.0").build()));

    assertTrue(e.getMessage().contains("The ECR repository 'app' does not exist. Create it with tags that cannot"
        + " move: aws ecr create-repository --repository-name app --image-tag-mutability IMMUTABLE"),
        e.getMessage());
    assertTrue(e.getMessage().contains("<repository> / -Decs.repository"), e.getMessage());
    assertEquals(0, ecr.describeImages.size(), "no image lookup in a repository that does not exist");
  }

  @Test
  void mutableRepositoryWarnsHowToMakeItImmutable() {
    ecr.repository("app", ImageTagMutability.MUTABLE);

    checker().validate(request("v1.4.0").build());

    assertTrue(log.warnContains("ECR repository app allows tags to be overwritten (MUTABLE)"), log.toString());
    assertTrue(log.warnContains("aws ecr put-image-tag-mutability --repository-name app --image-tag-mutability "
        + "IMMUTABLE"), log.toString());
  }

  @Test
  void mutableWithExclusionIsFineWhenOurTagIsExcluded() {
    ecr.repository("app", ImageTagMutability.MUTABLE_WITH_EXCLUSION, "v*");

    checker().validate(request("v1.4.0").build());

    assertTrue(log.warns().isEmpty(), log.toString());
  }

  @Test
  void mutableWithExclusionWarnsWhenOurTagIsNotExcluded() {
    ecr.repository("app", ImageTagMutability.MUTABLE_WITH_EXCLUSION, "release-*");

    checker().validate(request("v1.4.0").build());

    assertTrue(log.warnContains("allows tags to be overwritten (MUTABLE_WITH_EXCLUSION)"), log.toString());
  }

  @Test
  void immutableWithExclusionWarnsWhenOurTagIsExcluded() {
    ecr.repository("app", ImageTagMutability.IMMUTABLE_WITH_EXCLUSION, "v1.*");

    checker().validate(request("v1.4.0").build());

    assertTrue(log.warnContains("v1.4.0 matches one of its exclusion filters"), log.toString());
  }

  @Test
  void registryIdComesFromARepositoryUri() {
    ecr.repository("team/app", ImageTagMutability.IMMUTABLE);

    checker().validate(request("v1.4.0").repository(REGISTRY + "/team/app").build());

    assertEquals("123456789012", lastOf(ecr.describeRepositories).registryId());
    assertEquals(List.of("team/app"), lastOf(ecr.describeRepositories).repositoryNames());
  }

  @Test
  void registryCheckNeedsTheRepository() {
    UserInputException e = assertThrows(UserInputException.class,
        () -> new TagChecker(never(), never(), log).validate(request("v1.4.0").repository(null).build()));

    assertTrue(e.getMessage().contains("The ECR check needs the repository: set <repository> / -Decs.repository,"
        + " or skip the check with <checkRegistry> / -Decs.validateTag.checkRegistry=false."), e.getMessage());
  }

  @Test
  void awsFailurePassesUnchangedForTheMavenAdapterToDescribe() {
    EcrException denied = (EcrException) EcrException.builder().message("not authorized")
        .awsErrorDetails(AwsErrorDetails.builder().errorCode("AccessDeniedException").build()).build();
    ecr.failWith = denied;

    EcrException e = assertThrows(EcrException.class, () -> checker().validate(request("v1.4.0").build()));

    assertSame(denied, e);
  }

  // ---- service

  @Test
  void olderThanRunningIsRefusedAndPointsToRollback() {
    ecr.repository("app", ImageTagMutability.IMMUTABLE);
    service("web", "app:7", container("app", REGISTRY + "/app:v1.5.0"));

    UserInputException e = assertThrows(UserInputException.class,
        () -> checker().validate(request("v1.4.0").service("web").build()));

    assertTrue(e.getMessage().contains("The tag v1.4.0 is older than v1.5.0, which service 'web' in cluster"
        + " 'prod' (task definition app:7, container 'app') runs now."), e.getMessage());
    assertTrue(e.getMessage().contains("Going back to an older version is a rollback"), e.getMessage());
    assertTrue(e.getMessage().contains("aws ecs update-service --cluster prod --service web"), e.getMessage());
    assertTrue(e.getMessage().contains("<allowDowngrade> / -Decs.validateTag.allowDowngrade=true"),
        e.getMessage());
  }

  @Test
  void downgradeAllowedPassesWithAWarning() {
    ecr.repository("app", ImageTagMutability.IMMUTABLE);
    service("web", "app:7", container("app", REGISTRY + "/app:v1.10.0"));

    checker().validate(request("v1.9.0").projectVersion("1.9.0").service("web").allowDowngrade(true).build());

    assertTrue(log.warnContains("v1.9.0 is older than v1.10.0"), log.toString());
  }

  /** The same version is a re-run; a newer one (v1.4.0 after its release candidate) a release. Both pass. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "v1.4.0      | runs v1.4.0 already: deploying it again is a re-run",
      "v1.4.0-rc.2 | runs v1.4.0-rc.2; v1.4.0 is newer"})
  void anEqualOrNewerVersionPassesAndSaysWhich(String running, String said) {
    ecr.repository("app", ImageTagMutability.IMMUTABLE);
    service("web", "app:7", container("app", REGISTRY + "/app:" + running));

    checker().validate(request("v1.4.0").service("web").build());

    assertTrue(log.infoContains(said), log.toString());
  }

  @Test
  void thePrimaryDeploymentsTaskDefinitionIsTheOneRunning() {
    service("web", "app:6", container("app", REGISTRY + "/app:v1.3.0"));
    ecs.put("app", 7, container("app", REGISTRY + "/app:v1.5.0"));
    // ECS does not promise the order of deployments[]: the PRIMARY one is what the service runs from now on,
    // wherever it is listed.
    deployments("web", Deployment.builder().status("ACTIVE").taskDefinition("app:6").build(),
        Deployment.builder().status("PRIMARY").taskDefinition("app:7").build());

    assertThrows(UserInputException.class,
        () -> checker().validate(request("v1.4.0").checkRegistry(false).service("web").build()));
    assertEquals("DescribeTaskDefinition app:7", lastOf(ecs.calls));
  }

  @Test
  void theContainerWithOurRepositoryIsCompared() {
    service("web", "app:7",
        container("envoy", "public.ecr.aws/appmesh/aws-appmesh-envoy:v1.99.0"),
        container("app", REGISTRY + "/app:v1.3.0"));

    checker().validate(request("v1.4.0").checkRegistry(false).service("web").build());

    assertTrue(log.infoContains("container 'app') runs v1.3.0; v1.4.0 is newer"), log.toString());
  }

  @Test
  void aNamedContainerThatDoesNotExistIsReported() {
    service("web", "app:7", container("app", REGISTRY + "/app:v1.3.0"));

    UserInputException e = assertThrows(UserInputException.class, () -> checker()
        .validate(request("v1.4.0").checkRegistry(false).service("web").container("api").build()));

    // the same rule and message as register-task-def (ContainerSelector)
    assertTrue(e.getMessage().contains("Task definition app:7 has no container named 'api'; its containers are: app."
        + " Set <container> / -Decs.container to one of them."), e.getMessage());
  }

  @Test
  void ambiguousContainersAskForTheContainerParameter() {
    service("web", "app:7", container("a", "nginx:1.27"), container("b", "busybox:1"));

    UserInputException e = assertThrows(UserInputException.class,
        () -> checker().validate(request("v1.4.0").checkRegistry(false).service("web").build()));

    assertTrue(e.getMessage().contains("Task definition app:7 has 2 containers (a, b) and none runs an image from"
        + " app; set <container> / -Decs.container to the one that runs this project's image."), e.getMessage());
  }

  @Test
  void aRunningImageWithoutVersionTagSkipsTheDowngradeCheck() {
    service("web", "app:7", container("app", REGISTRY + "/app@sha256:0123"));

    checker().validate(request("v1.4.0").checkRegistry(false).service("web").build());

    assertTrue(log.warnContains("has no tag. The downgrade check is skipped"), log.toString());
  }

  @Test
  void missingClusterIsReported() {

    UserInputException e = assertThrows(UserInputException.class,
        () -> checker().validate(request("v1.4.0").checkRegistry(false).service("web").build()));

    assertTrue(e.getMessage().contains("  - Cluster 'prod' was not found (region not known; looking up service 'web')"),
        e.getMessage());
    assertTrue(e.getMessage().contains("<cluster> / -Decs.cluster"), e.getMessage());
  }

  @Test
  void missingServiceIsReported() {
    ecs.clusters.add("prod");
    UserInputException e = assertThrows(UserInputException.class,
        () -> checker().validate(request("v1.4.0").checkRegistry(false).service("web").build()));

    assertTrue(e.getMessage().contains("  - Service 'web' was not found in cluster 'prod' (region not known) (MISSING)"),
        e.getMessage());
  }

  @Test
  void offlineWithNothingToSkipSaysNothingAndOfflineWithoutServiceNamesOnlyEcr() {
    TagChecker checker = new TagChecker(never(), never(), log);

    checker.validate(request("v1.4.0").offline(true).checkRegistry(false).build());
    assertTrue(log.warns().isEmpty(), log.toString());
    assertEquals(List.of("Tag v1.4.0 may deploy."), log.infos());

    checker.validate(request("v1.4.0").offline(true).build());
    assertEquals(List.of("Offline: the ECR check is skipped; only the tag policy was checked. Run without -o to"
        + " check against AWS."), log.warns());
  }

  @Test
  void anImmutableRepositoryIsNotedAtDebugLevelAndAnUnknownMutabilityIsAWarning() {
    ecr.repository("app", ImageTagMutability.IMMUTABLE);
    checker().validate(request("v1.4.0").build());
    assertTrue(log.debugs().contains("ECR repository app has IMMUTABLE tags."), log.toString());

    // A mutability ECR adds after this plugin was written: the SDK reports UNKNOWN_TO_SDK_VERSION.
    ecr.repositories.put("app", ecr.repositories.get("app").toBuilder().imageTagMutability("SOMETIMES").build());
    checker().validate(request("v1.4.0").build());
    assertTrue(log.warnContains("ECR repository app reports tag mutability 'SOMETIMES', which this plugin does not"
        + " know; make sure tags cannot be overwritten."), log.toString());
  }

  @Test
  void anExclusionFilterWithoutPatternExcludesNothing() {
    ecr.repositories.put("app", Repository.builder().repositoryName("app")
        .imageTagMutability(ImageTagMutability.IMMUTABLE_WITH_EXCLUSION)
        .imageTagMutabilityExclusionFilters(f -> f.filterType("WILDCARD")).build());

    checker().validate(request("v1.4.0").build());

    assertTrue(log.warns().isEmpty(), log.toString());
  }

  @Test
  void anImageWithoutPushTimeIsStillReported() {
    ecr.repository("app", ImageTagMutability.IMMUTABLE);
    ecr.images.put("app:v1.4.0", ImageDetail.builder().repositoryName("app").imageTags("v1.4.0")
        .imageDigest("sha256:abc").build());

    checker().validate(request("v1.4.0").build());

    assertTrue(log.infoContains("ECR already has app:v1.4.0 (sha256:abc). push-image will accept"), log.toString());
  }

  @Test
  void aServiceWithoutTaskDefinitionHasNothingToCompare() {
    ecs.putService("prod", Service.builder().serviceName("web")
        .status("ACTIVE").build());

    checker().validate(request("v1.4.0").checkRegistry(false).service("web").build());

    assertTrue(log.warnContains("Service web has no task definition yet: nothing to compare v1.4.0 with."),
        log.toString());
  }

  @Test
  void aRunningImageTaggedWithoutAVersionSkipsTheDowngradeCheck() {
    service("web", "app:7", container("app", REGISTRY + "/app:latest"));

    checker().validate(request("v1.4.0").checkRegistry(false).service("web").build());

    assertTrue(log.warnContains("The image " + REGISTRY + "/app:latest of service 'web' in cluster 'prod' (task"
        + " definition app:7, container 'app') is not tagged with a version, so the downgrade check is skipped"),
        log.toString());
  }

  @Test
  void aTagThatIsNoVersionIsNotComparedWithTheRunningOne() {
    service("web", "app:7", container("app", REGISTRY + "/app:v1.5.0"));

    UserInputException e = assertThrows(UserInputException.class,
        () -> checker().validate(request("latest").checkRegistry(false).service("web").build()));

    assertFalse(e.getMessage().contains("older than"), e.getMessage());
    assertTrue(log.debugs().stream().anyMatch(d -> d.endsWith("runs v1.5.0; the tag is not a version, nothing to"
        + " compare.")), log.toString());
  }

  @Test
  void aDrainingServiceIsNotTakenForARunningOne() {
    // DRAINING: the service is being deleted (DeleteService); its tasks are stopping. Comparing against it
    // would refuse or allow the tag by a version that is going away.
    service("web", "app:7", container("app", REGISTRY + "/app:v1.5.0"));
    ecs.putService("prod", ecs.service("prod", "web").toBuilder().status("DRAINING").build());

    UserInputException e = assertThrows(UserInputException.class,
        () -> checker().validate(request("v1.4.0").checkRegistry(false).service("web").build()));

    assertTrue(e.getMessage().contains("(1 problem):"), e.getMessage());
    assertTrue(e.getMessage().contains("  - Service 'web' in cluster 'prod' (region not known) is DRAINING: it is"
        + " being deleted, so it cannot be deployed to. Create the service again, or check <service> / -Decs.service"
        + " and <cluster> / -Decs.cluster."), e.getMessage());
    assertFalse(ecs.calls.stream().anyMatch(c -> c.startsWith("DescribeTaskDefinition")), ecs.calls.toString());
  }

  @Test
  void anInactiveServiceIsReportedAsSuch() {
    // ECS keeps describing a deleted service as INACTIVE for a while after DeleteService.
    service("web", "app:7", container("app", REGISTRY + "/app:v1.3.0"));
    ecs.putService("prod", ecs.service("prod", "web").toBuilder().status("INACTIVE").build());

    UserInputException e = assertThrows(UserInputException.class,
        () -> checker().validate(request("v1.4.0").checkRegistry(false).service("web").build()));

    assertTrue(e.getMessage().contains("  - Service 'web' in cluster 'prod' (region not known) is INACTIVE: it was deleted"),
        e.getMessage());
    assertFalse(log.infoContains("v1.4.0 is newer"), log.toString());
  }

  @Test
  void onlyClusterSetSkipsTheServiceCheckWithAWarning() {
    new TagChecker(never(), never(), log).validate(request("v1.4.0").checkRegistry(false).cluster("prod")
        .build());

    assertTrue(log.warnContains("The service check is skipped: it needs both <cluster> / -Decs.cluster and"
        + " <service> / -Decs.service, and only the cluster is set."), log.toString());
  }

  // ---- all together

  @Test
  void policyRegistryAndServiceViolationsAreReportedTogether() {
    service("web", "app:7", container("app", REGISTRY + "/app:v2.0.0"));

    UserInputException e = assertThrows(UserInputException.class, () -> checker()
        .validate(request("v1.4.0-rc.1").service("web").build()));

    String m = e.getMessage();
    assertTrue(m.startsWith("The tag 'v1.4.0-rc.1' may not deploy (4 problems):"), m);
    assertContainsAll(m,
        "\n  - The tag 'v1.4.0-rc.1' is a pre-release",
        "\n  - The tag 'v1.4.0-rc.1' does not name the artifact being built",
        "\n  - The ECR repository 'app' does not exist",
        "\n  - The tag v1.4.0-rc.1 is older than v2.0.0");
    assertEquals(Param.TAG, e.param().orElseThrow());
  }

  @Test
  void aTagThatIsNoVersionIsNotLookedUpInEcr() {
    ecr.repository("app", ImageTagMutability.IMMUTABLE);

    assertThrows(UserInputException.class, () -> checker().validate(request("v1.4.0+b.1").build()));

    assertEquals(1, ecr.describeRepositories.size());
    assertEquals(0, ecr.describeImages.size());
  }

  // ---- helpers

  /** An ACTIVE service in cluster prod running {@code family:revision} with these containers. */
  private void service(String name, String taskDefinition, ContainerDefinition... containers) {
    String[] familyRevision = taskDefinition.split(":");
    ecs.put(familyRevision[0], Integer.parseInt(familyRevision[1]), containers);
    ecs.addService("prod", name, taskDefinition);
  }

  private void deployments(String service, Deployment... deployments) {
    ecs.putService("prod", ecs.service("prod", service).toBuilder().deployments(deployments).build());
  }

  private static <T> T lastOf(List<T> list) {
    return list.get(list.size() - 1);
  }

  private TagChecker checker() {
    return new TagChecker(() -> ecr, () -> ecs, log);
  }

  private static <T> Supplier<T> never() {
    return () -> {
      throw new AssertionError("no AWS client may be built here");
    };
  }

  private static RequestBuilder request(String tag) {
    return new RequestBuilder(tag);
  }

  /**
   * Defaults: online, registry checked, repository app, no cluster or service (setting the service sets cluster
   * prod), project version 1.4.0.
   */
  private static final class RequestBuilder {
    private final String tag;
    private boolean offline;
    private boolean checkRegistry = true;
    private String repository = "app";
    private String cluster;
    private String service;
    private String container;
    private boolean allowDowngrade;
    private String projectVersion = "1.4.0";

    RequestBuilder(String tag) {
      this.tag = tag;
    }

    RequestBuilder offline(boolean v) {
      offline = v;
      return this;
    }

    RequestBuilder checkRegistry(boolean v) {
      checkRegistry = v;
      return this;
    }

    RequestBuilder repository(String v) {
      repository = v;
      return this;
    }

    RequestBuilder service(String v) {
      service = v;
      cluster = cluster == null ? "prod" : cluster;
      return this;
    }

    RequestBuilder cluster(String v) {
      cluster = v;
      return this;
    }

    RequestBuilder container(String v) {
      container = v;
      return this;
    }

    RequestBuilder projectVersion(String v) {
      projectVersion = v;
      return this;
    }

    RequestBuilder allowDowngrade(boolean v) {
      allowDowngrade = v;
      return this;
    }

    TagChecker.Request build() {
      return new TagChecker.Request(tag, TagPolicy.Options.strict(projectVersion), offline, checkRegistry,
          repository, cluster, service, container, allowDowngrade);
    }
  }

  private static ContainerDefinition container(String name, String image) {
    return ContainerDefinition.builder().name(name).image(image).build();
  }
}
