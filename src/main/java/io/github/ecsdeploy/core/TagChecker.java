package io.github.ecsdeploy.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.DescribeImagesResponse;
import software.amazon.awssdk.services.ecr.model.ImageDetail;
import software.amazon.awssdk.services.ecr.model.ImageIdentifier;
import software.amazon.awssdk.services.ecr.model.ImageNotFoundException;
import software.amazon.awssdk.services.ecr.model.ImageTagMutability;
import software.amazon.awssdk.services.ecr.model.ImageTagMutabilityExclusionFilter;
import software.amazon.awssdk.services.ecr.model.Repository;
import software.amazon.awssdk.services.ecr.model.RepositoryNotFoundException;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;

/**
 * The {@code validate-tag} check: the {@link TagPolicy}, then what AWS knows about the tag. Against ECR (unless
 * offline or turned off): the repository exists, whether the tag is already there, whether the repository lets
 * tags move. Against the service, when cluster and service are set: the tag is not older than the version the
 * service runs now. Every violation of all three is reported together in one {@link UserInputException}.
 *
 * <p>Clients come from suppliers and are asked for only when a check that needs them runs, so the policy
 * alone never touches AWS.
 */
public final class TagChecker {

  /** {@code <checkRegistry> / -Decs.validateTag.checkRegistry}. */
  public static final Param CHECK_REGISTRY = new Param("checkRegistry", "ecs.validateTag.checkRegistry");

  /** {@code <allowRollback> / -Decs.validateTag.allowRollback}. */
  public static final Param ALLOW_ROLLBACK = new Param("allowRollback", "ecs.validateTag.allowRollback");

  /** {@code <allowDowngrade> / -Decs.validateTag.allowDowngrade}. */
  public static final Param ALLOW_DOWNGRADE = new Param("allowDowngrade", "ecs.validateTag.allowDowngrade");

  private final Supplier<EcrClient> ecr;
  private final Supplier<EcsClient> ecs;
  private final DeployLog log;

  /**
   * What to check.
   *
   * @param tag the tag exactly as given
   * @param policy the options of the {@link TagPolicy}
   * @param offline Maven's offline mode: no AWS call at all
   * @param checkRegistry whether to look at the ECR repository
   * @param repository the ECR repository name (or {@code registry/name}); needed when {@code checkRegistry}
   * @param cluster the ECS cluster, or null
   * @param service the ECS service, or null; the service check runs when both are set
   * @param container the container that runs our image, or null to find it (the only one, else the one whose
   *     image is in {@code repository})
   * @param allowDowngrade whether a tag older than the running version may deploy
   * @param allowRollback whether a tag older than the running version may deploy when ECR already holds its
   *     image (it was released before, so deploying it again is a rollback)
   */
  public record Request(
      String tag,
      TagPolicy.Options policy,
      boolean offline,
      boolean checkRegistry,
      String repository,
      String cluster,
      String service,
      String container,
      boolean allowDowngrade,
      boolean allowRollback) {

    /** A request with {@code allowRollback} on, its default. */
    public Request(String tag, TagPolicy.Options policy, boolean offline, boolean checkRegistry, String repository,
        String cluster, String service, String container, boolean allowDowngrade) {
      this(tag, policy, offline, checkRegistry, repository, cluster, service, container, allowDowngrade, true);
    }
  }

  /**
   * @param ecr gives the ECR client; called at most once, and only when the registry check runs
   * @param ecs gives the ECS client; called at most once, and only when the service check runs
   * @param log where progress and warnings go
   */
  public TagChecker(Supplier<EcrClient> ecr, Supplier<EcsClient> ecs, DeployLog log) {
    this.ecr = Objects.requireNonNull(ecr);
    this.ecs = Objects.requireNonNull(ecs);
    this.log = Objects.requireNonNull(log);
  }

  /**
   * Runs every check.
   *
   * @return the version the tag names
   * @throws UserInputException listing every reason the tag may not deploy
   * @throws SdkException when AWS cannot be asked (network, permissions, throttling after retries); passed
   *     unchanged, so the Maven adapter names the failed operation and what to check
   */
  public TagVersion validate(Request request) {
    return decide(request).version();
  }

  /**
   * What validate-tag decided: the version, and whether deploying it is a rollback to a version ECR already
   * holds (older than what the service runs), so push-image hands that image on instead of building it again.
   *
   * @param version the version the tag names
   * @param rollback whether the tag was released before and is older than what runs now
   */
  public record Decision(TagVersion version, boolean rollback) {}

  /**
   * Runs every check, as {@link #validate}, and says whether the tag is a rollback.
   *
   * @throws UserInputException listing every reason the tag may not deploy
   */
  public Decision decide(Request request) {
    boolean rollback = false;
    TagPolicy.Verdict verdict = TagPolicy.check(request.tag(), request.policy());
    List<String> reasons = new ArrayList<>(verdict.violations());
    boolean serviceSet = isSet(request.cluster()) && isSet(request.service());

    if (request.offline()) {
      if (request.checkRegistry() || serviceSet) {
        log.warn("Offline: the ECR" + (serviceSet ? " and service checks are" : " check is")
            + " skipped; only the tag policy was checked. Run without -o to check against AWS.");
      }
    } else {
      if (!request.checkRegistry()) {
        log.warn("The ECR check is skipped (" + CHECK_REGISTRY.both() + "=false): nothing tells whether "
            + "the repository exists or the tag is already taken.");
      } else {
        checkRegistry(request, verdict, reasons);
      }
      if (serviceSet) {
        rollback = checkService(request, verdict, reasons);
      } else if (isSet(request.cluster()) || isSet(request.service())) {
        log.warn("The service check is skipped: it needs both " + Param.CLUSTER.both() + " and "
            + Param.SERVICE.both() + ", and only " + (isSet(request.cluster()) ? "the cluster" : "the service")
            + " is set.");
      }
    }

    if (!reasons.isEmpty()) {
      String shown = request.tag() == null ? "''" : TagPolicy.show(request.tag());
      StringBuilder m = new StringBuilder("The tag ").append(shown).append(" may not deploy (")
          .append(reasons.size()).append(reasons.size() == 1 ? " problem" : " problems").append("):");
      reasons.forEach(r -> m.append("\n  - ").append(r));
      throw new UserInputException(Param.TAG, m.toString());
    }
    TagVersion version = verdict.version().orElseThrow();
    log.info("Tag " + version.tag() + " may deploy.");
    return new Decision(version, rollback);
  }

  // ---- ECR

  private void checkRegistry(Request request, TagPolicy.Verdict verdict, List<String> reasons) {
    if (!isSet(request.repository())) {
      reasons.add("The ECR check needs the repository: set " + Param.REPOSITORY.both() + ", or skip the check"
          + " with " + CHECK_REGISTRY.both() + "=false.");
      return;
    }
    ImageRef ref = ImageRef.parse(request.repository());
    String name = ref.repository();
    String registryId = ref.ecrRegistryId().orElse(null);
    EcrClient client = ecr.get();

    Repository repository;
    try {
      repository = client.describeRepositories(b -> b.repositoryNames(name).registryId(registryId))
          .repositories().stream().findFirst().orElse(null);
    } catch (RepositoryNotFoundException e) {
      repository = null;
    }
    if (repository == null) {
      reasons.add("The ECR repository '" + name + "' does not exist" + (registryId == null ? ""
          : " in registry " + registryId) + ". Create it with tags that cannot move: aws ecr create-repository"
          + " --repository-name " + name + " --image-tag-mutability IMMUTABLE; or fix "
          + Param.REPOSITORY.both() + ".");
      return;
    }
    checkMutability(repository, request.tag());

    // Only a tag the policy accepts as a version is a valid image tag worth asking about.
    boolean askable = verdict.version().isPresent() && request.tag().length() <= TagPolicy.MAX_LENGTH;
    if (!askable) {
      return;
    }
    String tag = request.tag();
    Optional<ImageDetail> existing;
    try {
      DescribeImagesResponse images = client.describeImages(b -> b.repositoryName(name).registryId(registryId)
          .imageIds(ImageIdentifier.builder().imageTag(tag).build()));
      existing = images.imageDetails().stream().findFirst();
    } catch (ImageNotFoundException e) {
      existing = Optional.empty();
    }
    if (existing.isPresent()) {
      ImageDetail image = existing.get();
      log.info("ECR already has " + name + ":" + tag + " (" + image.imageDigest()
          + (image.imagePushedAt() == null ? "" : ", pushed " + image.imagePushedAt()) + "). push-image will"
          + " accept only an identical image, a re-run of this release, never a different one.");
    } else {
      log.info("ECR repository " + name + " has no " + tag + " yet: push-image will create it.");
    }
  }

  private void checkMutability(Repository repository, String tag) {
    ImageTagMutability mutability = repository.imageTagMutability();
    String name = repository.repositoryName();
    String fix = " Make it IMMUTABLE: aws ecr put-image-tag-mutability --repository-name " + name
        + " --image-tag-mutability IMMUTABLE";
    boolean excluded = repository.imageTagMutabilityExclusionFilters().stream()
        .anyMatch(f -> matches(f, tag));
    if (mutability == ImageTagMutability.IMMUTABLE) {
      log.debug("ECR repository " + name + " has IMMUTABLE tags.");
    } else if (mutability == ImageTagMutability.MUTABLE
        || mutability == ImageTagMutability.MUTABLE_WITH_EXCLUSION && !excluded) {
      log.warn("ECR repository " + name + " allows tags to be overwritten (" + repository.imageTagMutabilityAsString()
          + "): " + tag + " could later name a different image, and rolling back to it would not bring back"
          + " what ran." + fix + ".");
    } else if (mutability == ImageTagMutability.IMMUTABLE_WITH_EXCLUSION && excluded) {
      log.warn("ECR repository " + name + " is IMMUTABLE, but " + tag + " matches one of its exclusion filters,"
          + " so it can be overwritten." + fix + " without exclusions.");
    } else if (mutability != ImageTagMutability.MUTABLE_WITH_EXCLUSION
        && mutability != ImageTagMutability.IMMUTABLE_WITH_EXCLUSION) {
      log.warn("ECR repository " + name + " reports tag mutability '" + repository.imageTagMutabilityAsString()
          + "', which this plugin does not know; make sure tags cannot be overwritten." + fix + ".");
    }
  }

  private static boolean matches(ImageTagMutabilityExclusionFilter filter, String tag) {
    if (filter.filter() == null || tag == null) {
      return false;
    }
    String regex = java.util.Arrays.stream(filter.filter().split("\\*", -1)).map(Pattern::quote)
        .collect(Collectors.joining(".*"));
    return tag.matches(regex);
  }

  // ---- ECS service

  /** Checks the tag against what the service runs; returns whether deploying it is a rollback to a release. */
  private boolean checkService(Request request, TagPolicy.Verdict verdict, List<String> reasons) {
    String cluster = request.cluster();
    String serviceName = request.service();
    EcsClient client = ecs.get();

    ServiceLookup.Result found = ServiceLookup.find(client, cluster, serviceName);
    if (!found.found()) {
      reasons.add(found.problem());
      return false;
    }
    Service service = found.service();
    String taskDefinitionArn = service.deployments().stream().filter(d -> "PRIMARY".equals(d.status()))
        .map(Deployment::taskDefinition).filter(Objects::nonNull).findFirst().orElse(service.taskDefinition());
    if (taskDefinitionArn == null) {
      log.warn("Service " + serviceName + " has no task definition yet: nothing to compare " + request.tag()
          + " with.");
      return false;
    }
    TaskDefinition taskDefinition =
        client.describeTaskDefinition(b -> b.taskDefinition(taskDefinitionArn)).taskDefinition();
    String revision = taskDefinition.family() + ":" + taskDefinition.revision();
    ContainerDefinition container = pickContainer(taskDefinition, revision, request, reasons);
    if (container == null) {
      return false;
    }
    String where = "service '" + serviceName + "' in cluster '" + cluster + "' (task definition " + revision
        + ", container '" + container.name() + "')";
    ImageRef running = ImageRef.parse(container.image());
    if (running.tag() == null) {
      log.warn("Cannot tell which version " + where + " runs: its image " + container.image()
          + " has no tag. The downgrade check is skipped.");
      return false;
    }
    Optional<TagVersion> runningVersion = TagVersion.parse(running.tag());
    if (runningVersion.isEmpty()) {
      log.warn("The image " + container.image() + " of " + where + " is not tagged with a version, so the"
          + " downgrade check is skipped; this deploy replaces it with a version tag.");
      return false;
    }
    if (verdict.version().isEmpty()) {
      log.debug(where + " runs " + runningVersion.get() + "; the tag is not a version, nothing to compare.");
      return false;
    }
    TagVersion ours = verdict.version().get();
    TagVersion now = runningVersion.get();
    int order = ours.compareTo(now);
    if (order == 0) {
      log.info(where + " runs " + now + " already: deploying it again is a re-run.");
    } else if (order > 0) {
      log.info(where + " runs " + now + "; " + ours + " is newer.");
    } else if (request.allowDowngrade()) {
      log.warn(ours + " is older than " + now + ", which " + where + " runs now; deploying it anyway because "
          + ALLOW_DOWNGRADE.both() + "=true.");
    } else {
      Optional<ImageDetail> released = request.allowRollback() ? released(request) : Optional.empty();
      if (released.isPresent()) {
        log.info("This is a rollback: " + ours + " is older than " + now + ", which " + where + " runs now, and"
            + " ECR already holds " + request.tag() + " (" + released.get().imageDigest() + "), so it was"
            + " released before. The deploy goals put that image back (push-image builds nothing); register-task-def reuses the revision"
            + " that runs it. " + ALLOW_ROLLBACK.both() + "=false refuses this.");
        return true;
      }
      String why = !request.allowRollback() ? " (" + ALLOW_ROLLBACK.both() + "=false refuses rollbacks.)"
          : isSet(request.repository()) ? " (ECR has no image tagged " + request.tag() + " in "
              + ImageRef.parse(request.repository()).repository() + ": it was never released, so deploying it is"
              + " not a rollback.)"
          : "";
      reasons.add("The tag " + ours + " is older than " + now + ", which " + where + " runs now. Going back"
          + " to an older version is a rollback: mvn ecs:rollback -Decs.cluster=" + cluster + " -Decs.service="
          + serviceName + " -Decs.rollback.to=<tag>, or redeploy the task definition revision that ran " + ours
          + " (aws ecs update-service --cluster " + cluster + " --service " + serviceName
          + " --task-definition " + taskDefinition.family() + ":<revision>), or, to build and deploy "
          + ours + " anyway, set " + ALLOW_DOWNGRADE.both() + "=true." + why);
    }
    return false;
  }


  /** The image ECR holds for the tag in {@code repository}, if any: a tag that was released before. */
  private Optional<ImageDetail> released(Request request) {
    if (!isSet(request.repository())) {
      return Optional.empty();
    }
    ImageRef ref = ImageRef.parse(request.repository());
    try {
      return ecr.get().describeImages(b -> b.repositoryName(ref.repository())
              .registryId(ref.ecrRegistryId().orElse(null))
              .imageIds(ImageIdentifier.builder().imageTag(request.tag()).build()))
          .imageDetails().stream().findFirst();
    } catch (ImageNotFoundException | RepositoryNotFoundException e) {
      return Optional.empty();
    }
  }

  /** The container that runs this project's image, chosen by the same rule as register-task-def. */
  private static ContainerDefinition pickContainer(
      TaskDefinition taskDefinition, String revision, Request request, List<String> reasons) {
    List<ContainerDefinition> containers = taskDefinition.containerDefinitions();
    ImageRef ours = isSet(request.repository()) ? ImageRef.parse(request.repository()) : null;
    try {
      String name = ContainerSelector.select(revision, containers, request.container(),
          ours == null ? null : ours.registry(), ours == null ? null : ours.repository());
      return containers.stream().filter(c -> name.equals(c.name())).findFirst().orElseThrow();
    } catch (UserInputException e) {
      reasons.add(e.getMessage());
      return null;
    }
  }

  private static boolean isSet(String value) {
    return value != null && !value.isBlank();
  }
}
