package io.github.ecsdeploy.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ecsdeploy.testing.RecordingDeployLog;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.DescribeImagesRequest;
import software.amazon.awssdk.services.ecr.model.DescribeImagesResponse;
import software.amazon.awssdk.services.ecr.model.DescribeRepositoriesRequest;
import software.amazon.awssdk.services.ecr.model.DescribeRepositoriesResponse;
import software.amazon.awssdk.services.ecr.model.EcrException;
import software.amazon.awssdk.services.ecr.model.ImageDetail;
import software.amazon.awssdk.services.ecr.model.ImageNotFoundException;
import software.amazon.awssdk.services.ecr.model.ImageTagMutability;
import software.amazon.awssdk.services.ecr.model.ImageTagMutabilityExclusionFilter;
import software.amazon.awssdk.services.ecr.model.Repository;
import software.amazon.awssdk.services.ecr.model.RepositoryNotFoundException;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ClusterNotFoundException;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.DescribeServicesRequest;
import software.amazon.awssdk.services.ecs.model.DescribeServicesResponse;
import software.amazon.awssdk.services.ecs.model.DescribeTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.DescribeTaskDefinitionResponse;
import software.amazon.awssdk.services.ecs.model.Failure;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;

class TagCheckerTest {

  private static final String REGISTRY = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";

  private final RecordingDeployLog log = new RecordingDeployLog();
  private final FakeEcr ecr = new FakeEcr();
  private final FakeEcs ecs = new FakeEcs();

  // ---- no AWS at all

  @Test
  void offlineChecksThePolicyOnlyAndBuildsNoClient() {
    TagChecker checker = new TagChecker(never(), never(), log);

    TagVersion v = checker.validate(request("v1.4.0").offline(true).service("app").build());

    assertEquals("v1.4.0", v.tag());
    assertTrue(log.warnContains("Offline: the ECR and service checks are skipped"), log.toString());
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
    assertEquals("v1.4.0", ecr.lastDescribeImages.imageIds().get(0).imageTag());
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
    assertEquals(0, ecr.describeImagesCalls, "no image lookup in a repository that does not exist");
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

    assertEquals("123456789012", ecr.lastDescribeRepositories.registryId());
    assertEquals(List.of("team/app"), ecr.lastDescribeRepositories.repositoryNames());
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
    ecs.service("web", "app:7", container("app", REGISTRY + "/app:v1.5.0"));

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
    ecs.service("web", "app:7", container("app", REGISTRY + "/app:v1.10.0"));

    checker().validate(request("v1.9.0").projectVersion("1.9.0").service("web").allowDowngrade(true).build());

    assertTrue(log.warnContains("v1.9.0 is older than v1.10.0"), log.toString());
  }

  @Test
  void equalVersionIsARerunAndPasses() {
    ecr.repository("app", ImageTagMutability.IMMUTABLE);
    ecs.service("web", "app:7", container("app", REGISTRY + "/app:v1.4.0"));

    checker().validate(request("v1.4.0").service("web").build());

    assertTrue(log.infoContains("runs v1.4.0 already: deploying it again is a re-run"), log.toString());
  }

  @Test
  void newerVersionPasses() {
    ecr.repository("app", ImageTagMutability.IMMUTABLE);
    ecs.service("web", "app:7", container("app", REGISTRY + "/app:v1.4.0-rc.2"));

    checker().validate(request("v1.4.0").service("web").build());

    assertTrue(log.infoContains("runs v1.4.0-rc.2; v1.4.0 is newer"), log.toString());
  }

  @Test
  void thePrimaryDeploymentsTaskDefinitionIsTheOneRunning() {
    ecs.service("web", "app:6", container("app", REGISTRY + "/app:v1.3.0"));
    ecs.taskDefinitions.put("app:7", taskDefinition("app", 7, container("app", REGISTRY + "/app:v1.5.0")));
    ecs.deployments = List.of(
        Deployment.builder().status("ACTIVE").taskDefinition("app:6").build(),
        Deployment.builder().status("PRIMARY").taskDefinition("app:7").build());

    assertThrows(UserInputException.class,
        () -> checker().validate(request("v1.4.0").checkRegistry(false).service("web").build()));
    assertEquals("app:7", ecs.lastDescribeTaskDefinition.taskDefinition());
  }

  @Test
  void theContainerWithOurRepositoryIsCompared() {
    ecs.service("web", "app:7",
        container("envoy", "public.ecr.aws/appmesh/aws-appmesh-envoy:v1.99.0"),
        container("app", REGISTRY + "/app:v1.3.0"));

    checker().validate(request("v1.4.0").checkRegistry(false).service("web").build());

    assertTrue(log.infoContains("container 'app') runs v1.3.0; v1.4.0 is newer"), log.toString());
  }

  @Test
  void aNamedContainerThatDoesNotExistIsReported() {
    ecs.service("web", "app:7", container("app", REGISTRY + "/app:v1.3.0"));

    UserInputException e = assertThrows(UserInputException.class, () -> checker()
        .validate(request("v1.4.0").checkRegistry(false).service("web").container("api").build()));

    // the same rule and message as register-task-def (ContainerSelector)
    assertTrue(e.getMessage().contains("Task definition app:7 has no container named 'api'; its containers are: app."
        + " Set <container> / -Decs.container to one of them."), e.getMessage());
  }

  @Test
  void ambiguousContainersAskForTheContainerParameter() {
    ecs.service("web", "app:7", container("a", "nginx:1.27"), container("b", "busybox:1"));

    UserInputException e = assertThrows(UserInputException.class,
        () -> checker().validate(request("v1.4.0").checkRegistry(false).service("web").build()));

    assertTrue(e.getMessage().contains("Task definition app:7 has 2 containers (a, b) and none runs an image from"
        + " app; set <container> / -Decs.container to the one that runs this project's image."), e.getMessage());
  }

  @Test
  void aRunningImageWithoutVersionTagSkipsTheDowngradeCheck() {
    ecs.service("web", "app:7", container("app", REGISTRY + "/app@sha256:0123"));

    checker().validate(request("v1.4.0").checkRegistry(false).service("web").build());

    assertTrue(log.warnContains("has no tag. The downgrade check is skipped"), log.toString());
  }

  @Test
  void missingClusterIsReported() {
    ecs.clusterMissing = true;

    UserInputException e = assertThrows(UserInputException.class,
        () -> checker().validate(request("v1.4.0").checkRegistry(false).service("web").build()));

    assertTrue(e.getMessage().contains("The ECS cluster 'prod' does not exist"), e.getMessage());
    assertTrue(e.getMessage().contains("<cluster> / -Decs.cluster"), e.getMessage());
  }

  @Test
  void missingServiceIsReported() {
    UserInputException e = assertThrows(UserInputException.class,
        () -> checker().validate(request("v1.4.0").checkRegistry(false).service("web").build()));

    assertTrue(e.getMessage().contains("The ECS service 'web' is not active in cluster 'prod' (MISSING)"),
        e.getMessage());
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
    ecs.service("web", "app:7", container("app", REGISTRY + "/app:v2.0.0"));

    UserInputException e = assertThrows(UserInputException.class, () -> checker()
        .validate(request("v1.4.0-rc.1").service("web").build()));

    String m = e.getMessage();
    assertTrue(m.startsWith("The tag 'v1.4.0-rc.1' may not deploy (4 problems):"), m);
    assertTrue(m.contains("\n  - The tag 'v1.4.0-rc.1' is a pre-release"), m);
    assertTrue(m.contains("\n  - The tag 'v1.4.0-rc.1' does not name the artifact being built"), m);
    assertTrue(m.contains("\n  - The ECR repository 'app' does not exist"), m);
    assertTrue(m.contains("\n  - The tag v1.4.0-rc.1 is older than v2.0.0"), m);
    assertEquals(Param.TAG, e.param().orElseThrow());
  }

  @Test
  void aTagThatIsNoVersionIsNotLookedUpInEcr() {
    ecr.repository("app", ImageTagMutability.IMMUTABLE);

    assertThrows(UserInputException.class, () -> checker().validate(request("v1.4.0+b.1").build()));

    assertEquals(1, ecr.describeRepositoriesCalls);
    assertEquals(0, ecr.describeImagesCalls);
  }

  // ---- helpers

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

  private static TaskDefinition taskDefinition(String family, int revision, ContainerDefinition... containers) {
    return TaskDefinition.builder().family(family).revision(revision)
        .taskDefinitionArn("arn:aws:ecs:eu-west-1:123456789012:task-definition/" + family + ":" + revision)
        .containerDefinitions(containers).build();
  }

  private static final class FakeEcr implements EcrClient {
    final Map<String, Repository> repositories = new HashMap<>();
    final Map<String, ImageDetail> images = new HashMap<>();
    RuntimeException failWith;
    DescribeRepositoriesRequest lastDescribeRepositories;
    DescribeImagesRequest lastDescribeImages;
    int describeRepositoriesCalls;
    int describeImagesCalls;

    void repository(String name, ImageTagMutability mutability, String... exclusions) {
      List<ImageTagMutabilityExclusionFilter> filters = new ArrayList<>();
      for (String f : exclusions) {
        filters.add(ImageTagMutabilityExclusionFilter.builder().filterType("WILDCARD").filter(f).build());
      }
      repositories.put(name, Repository.builder().repositoryName(name).imageTagMutability(mutability)
          .imageTagMutabilityExclusionFilters(filters).build());
    }

    void image(String repository, String tag, String digest) {
      images.put(repository + ":" + tag, ImageDetail.builder().repositoryName(repository).imageTags(tag)
          .imageDigest(digest).imagePushedAt(Instant.parse("2026-11-20T10:00:00Z")).build());
    }

    @Override
    public DescribeRepositoriesResponse describeRepositories(DescribeRepositoriesRequest request) {
      describeRepositoriesCalls++;
      lastDescribeRepositories = request;
      if (failWith != null) {
        throw failWith;
      }
      Repository r = repositories.get(request.repositoryNames().get(0));
      if (r == null) {
        throw RepositoryNotFoundException.builder().message("The repository does not exist").build();
      }
      return DescribeRepositoriesResponse.builder().repositories(r).build();
    }

    @Override
    public DescribeImagesResponse describeImages(DescribeImagesRequest request) {
      describeImagesCalls++;
      lastDescribeImages = request;
      ImageDetail d = images.get(request.repositoryName() + ":" + request.imageIds().get(0).imageTag());
      if (d == null) {
        throw ImageNotFoundException.builder().message("The image does not exist").build();
      }
      return DescribeImagesResponse.builder().imageDetails(d).build();
    }

    @Override
    public String serviceName() {
      return "ecr";
    }

    @Override
    public void close() {}
  }

  private static final class FakeEcs implements EcsClient {
    final Map<String, Service> services = new HashMap<>();
    final Map<String, TaskDefinition> taskDefinitions = new HashMap<>();
    List<Deployment> deployments;
    boolean clusterMissing;
    DescribeTaskDefinitionRequest lastDescribeTaskDefinition;

    void service(String name, String taskDefinition, ContainerDefinition... containers) {
      String[] fr = taskDefinition.split(":");
      taskDefinitions.put(taskDefinition, taskDefinition(fr[0], Integer.parseInt(fr[1]), containers));
      services.put(name, Service.builder().serviceName(name).status("ACTIVE").taskDefinition(taskDefinition)
          .build());
    }

    @Override
    public DescribeServicesResponse describeServices(DescribeServicesRequest request) {
      if (clusterMissing) {
        throw ClusterNotFoundException.builder().message("Cluster not found.").build();
      }
      String name = request.services().get(0);
      Service s = services.get(name);
      if (s == null) {
        return DescribeServicesResponse.builder().failures(Failure.builder().arn(name).reason("MISSING").build())
            .build();
      }
      if (deployments != null) {
        s = s.toBuilder().deployments(deployments).build();
      } else {
        s = s.toBuilder().deployments(Deployment.builder().status("PRIMARY").taskDefinition(s.taskDefinition())
            .build()).build();
      }
      return DescribeServicesResponse.builder().services(s).build();
    }

    @Override
    public DescribeTaskDefinitionResponse describeTaskDefinition(DescribeTaskDefinitionRequest request) {
      lastDescribeTaskDefinition = request;
      return DescribeTaskDefinitionResponse.builder()
          .taskDefinition(taskDefinitions.get(request.taskDefinition())).build();
    }

    @Override
    public String serviceName() {
      return "ecs";
    }

    @Override
    public void close() {}
  }
}
