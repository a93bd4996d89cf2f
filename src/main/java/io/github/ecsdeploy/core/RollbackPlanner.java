package io.github.ecsdeploy.core;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionStatus;

/**
 * Decides what {@code ecs:rollback} deploys, reading only (it changes nothing):
 *
 * <ol>
 *   <li>No target given: the revision of the service's previous successful deployment (ECS's Service
 *       Deployments history, when these credentials may read it), else the newest older ACTIVE revision of the
 *       family whose image (in the chosen container) differs from the current one.
 *   <li>A tag ({@code v1.3.0}): the digest ECR holds for it in the current image's repository, then the newest
 *       ACTIVE revision whose container runs that tag or that digest; when none does, a revision registered from
 *       the current one with the image pinned by digest.
 *   <li>A revision ({@code family:revision} or an ARN): exactly that one, if it is ACTIVE.
 * </ol>
 *
 * The container is chosen in the current revision with {@link ContainerSelector}, the rule register-task-def
 * uses. Nothing to go back to, an unknown tag or revision: {@link UserInputException} saying nothing changed.
 */
public final class RollbackPlanner {

  /** {@code <rollbackTo> / -Decs.rollback.to}. */
  public static final Param TO = new Param("rollbackTo", "ecs.rollback.to");

  private static final Pattern FAMILY_REVISION = Pattern.compile("[A-Za-z0-9_-]{1,255}:[0-9]+");

  private final ServiceView view;
  private final DeployLog log;

  public RollbackPlanner(ServiceView view, DeployLog log) {
    this.view = Objects.requireNonNull(view, "view");
    this.log = Objects.requireNonNull(log, "log");
  }

  /**
   * What to roll back.
   *
   * @param cluster the cluster
   * @param service the service
   * @param container the container whose image tells the versions apart; {@code null} to choose it as
   *     register-task-def does
   * @param repository the ECR repository (name or URI) that chooses the container among several; may be null
   * @param to a tag, {@code family:revision} or ARN; {@code null} for the previous successful deployment
   */
  public record Request(String cluster, String service, String container, String repository, String to) {}

  /**
   * A revision and the image its chosen container runs.
   *
   * @param taskDefinitionArn the revision; {@code null} for one still to be registered
   * @param image the image of the chosen container, or {@code null} when it has no such container
   */
  public record Revision(String taskDefinitionArn, String image) {

    /** The image tag, or {@code null}. */
    public String tag() {
      return image == null ? null : ImageRef.parse(image).tag();
    }

    /** The image digest, when the reference is pinned; else {@code null}. */
    public String digest() {
      return image == null ? null : ImageRef.parse(image).digest();
    }

    /** {@code hello-app:7}, or {@code a new revision} when not registered yet. */
    public String label() {
      return taskDefinitionArn == null ? "a new revision" : TaskDefinitionNames.shortName(taskDefinitionArn);
    }

    /** {@code hello-app:7 (image ..., tag v1.3.0)}. */
    public String describe() {
      return label() + " (image " + (image == null ? "unknown" : image) + ", tag "
          + (tag() == null ? "none" : tag()) + ")";
    }
  }

  /** What the rollback does. */
  public enum Action {
    /** Deploy an existing revision. */
    DEPLOY,
    /** Register a revision from the current one with the target image pinned by digest, then deploy it. */
    REGISTER_AND_DEPLOY,
    /** The target is what the service runs now: nothing to deploy. */
    ALREADY_RUNNING
  }

  /**
   * The decision.
   *
   * @param cluster the cluster
   * @param service the service name as ECS reports it
   * @param container the chosen container
   * @param from what runs now
   * @param to what will run
   * @param action what happens
   * @param reason why this target, in words
   */
  public record Plan(
      String cluster, String service, String container, Revision from, Revision to, Action action, String reason) {

    /** {@code from hello-app:3 (...) -> to hello-app:2 (...)}. */
    public String fromTo() {
      return from.describe() + " -> " + to.describe();
    }
  }

  /** Reads the service and decides. */
  public Plan plan(Request request) {
    Service service = view.service(request.cluster(), request.service());
    return plan(request, service);
  }

  /**
   * Decides for a service already described.
   *
   * @throws UserInputException nothing to go back to, the tag is not in ECR, the revision does not exist or
   *     is INACTIVE, or the container cannot be chosen; nothing was changed
   */
  public Plan plan(Request request, Service service) {
    String name = service.serviceName() != null ? service.serviceName() : request.service();
    String currentArn = service.taskDefinition();
    if (currentArn == null) {
      throw new UserInputException(Param.SERVICE, "Service " + name + " runs no task definition yet, so there is"
          + " nothing to roll back. Nothing was changed.");
    }
    TaskDefinition current = view.taskDefinition(currentArn).orElseThrow(() -> new ExternalFailureException(
        "DescribeTaskDefinition does not know " + currentArn + ", which service " + name + " runs.", null));
    String label = current.family() + ":" + current.revision();
    ImageRef ours = isSet(request.repository()) ? ImageRef.parse(request.repository()) : null;
    String container = ContainerSelector.select(label, current.containerDefinitions(), request.container(),
        ours == null ? null : ours.registry(), ours == null ? null : ours.repository());
    Revision from = new Revision(currentArn, imageOf(current, container));
    Context context = new Context(request.cluster(), name, container, current, from);

    String to = request.to() == null ? "" : request.to().strip();
    if (to.isEmpty()) {
      return previous(context, service);
    }
    if (to.startsWith("arn:") || FAMILY_REVISION.matcher(to).matches()) {
      return exactly(context, to);
    }
    return byTag(context, to);
  }

  private record Context(String cluster, String service, String container, TaskDefinition current, Revision from) {
    String family() {
      return current.family();
    }
  }

  // ---- no target: the previous successful deployment

  private Plan previous(Context c, Service service) {
    Optional<List<PastDeployment>> history = view.history(service);
    if (history.isPresent()) {
      for (PastDeployment deployment : history.get()) {
        String arn = deployment.taskDefinitionArn();
        if (!deployment.successful() || arn == null || arn.equals(c.from().taskDefinitionArn())) {
          continue;
        }
        Optional<TaskDefinition> target = view.taskDefinition(arn);
        if (target.isEmpty() || target.get().status() != TaskDefinitionStatus.ACTIVE) {
          log.info("Skipping " + TaskDefinitionNames.shortName(arn) + " of deployment " + deployment.id()
              + ": the revision is " + target.map(t -> t.statusAsString()).orElse("unknown")
              + ", and ECS does not deploy an INACTIVE revision.");
          continue;
        }
        Revision to = new Revision(arn, imageOf(target.get(), c.container()));
        return new Plan(c.cluster(), c.service(), c.container(), c.from(), to, Action.DEPLOY,
            "the previous successful deployment (" + deployment.id()
                + (deployment.finishedAt() != null ? ", finished " + deployment.finishedAt() : "") + ")");
      }
      log.info("The Service Deployments history of " + c.service() + " has no earlier successful deployment of"
          + " an ACTIVE revision; looking at the revisions of " + c.family() + ".");
    }
    int currentRevision = c.current().revision();
    for (String arn : view.activeRevisions(c.family())) {
      if (EcsServiceView.revisionOf(arn) >= currentRevision) {
        continue;
      }
      Optional<TaskDefinition> candidate = view.taskDefinition(arn);
      if (candidate.isEmpty() || candidate.get().status() != TaskDefinitionStatus.ACTIVE) {
        continue;
      }
      String image = imageOf(candidate.get(), c.container());
      if (image == null) {
        log.debug(TaskDefinitionNames.shortName(arn) + " has no container " + c.container() + "; skipped.");
        continue;
      }
      if (!sameImage(image, c.from().image())) {
        return new Plan(c.cluster(), c.service(), c.container(), c.from(), new Revision(arn, image), Action.DEPLOY,
            "the newest older ACTIVE revision of " + c.family() + " whose image differs from the current one");
      }
    }
    throw new UserInputException(TO, "Service " + c.service() + " has nothing to roll back to: "
        + (history.isPresent() ? "its Service Deployments history shows no earlier successful deployment of an"
            + " ACTIVE revision, and " : "")
        + "no ACTIVE revision of " + c.family() + " older than " + c.from().label() + " runs another image in"
        + " container " + c.container() + " than " + c.from().image() + ". Name the target with "
        + TO.both() + "=<tag> (an image in ECR) or =<family:revision>. Nothing was changed.");
  }

  // ---- a revision

  private Plan exactly(Context c, String to) {
    TaskDefinition target = view.taskDefinition(to).orElseThrow(() -> new UserInputException(TO,
        "Task definition " + to + " (" + TO.both() + ") was not found; 'aws ecs list-task-definitions"
            + " --family-prefix " + c.family() + "' lists the revisions. Nothing was changed."));
    String arn = target.taskDefinitionArn();
    if (target.status() != TaskDefinitionStatus.ACTIVE) {
      throw new UserInputException(TO, "Task definition " + TaskDefinitionNames.shortName(arn) + " ("
          + TO.both() + ") is " + target.statusAsString() + ": ECS does not update a service to an INACTIVE"
          + " revision. Roll back by tag instead (" + TO.both() + "=<tag>), which registers a new revision with"
          + " that image. Nothing was changed.");
    }
    Revision revision = new Revision(arn, imageOf(target, c.container()));
    if (arn.equals(c.from().taskDefinitionArn())) {
      return new Plan(c.cluster(), c.service(), c.container(), c.from(), revision, Action.ALREADY_RUNNING,
          TaskDefinitionNames.shortName(arn) + " is what the service runs now");
    }
    return new Plan(c.cluster(), c.service(), c.container(), c.from(), revision, Action.DEPLOY,
        "the revision named by " + TO.property());
  }

  // ---- a tag

  private Plan byTag(Context c, String tag) {
    if (c.from().image() == null) {
      throw new UserInputException(TO, "Container " + c.container() + " of " + c.from().label() + " has no image,"
          + " so the ECR repository of tag " + tag + " is unknown. Nothing was changed.");
    }
    ImageRef current = ImageRef.parse(c.from().image());
    String digest = view.ecrDigest(current, tag).orElseThrow(() -> new UserInputException(TO, "The tag " + tag
        + " (" + TO.both() + ") is not in the ECR repository " + current.repository()
        + (current.registry() == null ? "" : " of " + current.registry()) + ", which container " + c.container()
        + " runs images from: there is no such release to go back to. 'aws ecr describe-images"
        + " --repository-name " + current.repository() + "' lists the tags. Nothing was changed."));
    log.info("ECR holds " + current.repository() + ":" + tag + " as " + digest + ".");
    if (runs(c.from().image(), tag, digest)) {
      return new Plan(c.cluster(), c.service(), c.container(), c.from(), c.from(), Action.ALREADY_RUNNING,
          c.from().label() + " already runs " + tag);
    }
    for (String arn : view.activeRevisions(c.family())) {
      Optional<TaskDefinition> candidate = view.taskDefinition(arn);
      if (candidate.isEmpty() || candidate.get().status() != TaskDefinitionStatus.ACTIVE) {
        continue;
      }
      String image = imageOf(candidate.get(), c.container());
      if (image != null && runs(image, tag, digest)) {
        return new Plan(c.cluster(), c.service(), c.container(), c.from(), new Revision(arn, image), Action.DEPLOY,
            "the newest ACTIVE revision of " + c.family() + " that runs " + tag);
      }
    }
    String pinned = current.name() + ":" + tag + "@" + digest;
    return new Plan(c.cluster(), c.service(), c.container(), c.from(), new Revision(null, pinned),
        Action.REGISTER_AND_DEPLOY, "no ACTIVE revision of " + c.family() + " runs " + tag + "; one is registered"
            + " from " + c.from().label() + " with the image pinned by digest");
  }

  private static boolean runs(String image, String tag, String digest) {
    ImageRef ref = ImageRef.parse(image);
    return digest.equals(ref.digest()) || ref.digest() == null && tag.equals(ref.tag());
  }

  // ---- helpers

  /** The image of container {@code name} in {@code definition}, or {@code null}. */
  static String imageOf(TaskDefinition definition, String name) {
    return definition.containerDefinitions().stream().filter(d -> name.equals(d.name()))
        .map(ContainerDefinition::image).findFirst().orElse(null);
  }

  /** The same image: equal digests when both are pinned, else equal references. */
  static boolean sameImage(String a, String b) {
    if (a == null || b == null) {
      return Objects.equals(a, b);
    }
    String da = ImageRef.parse(a).digest();
    String db = ImageRef.parse(b).digest();
    return da != null && db != null ? da.equals(db) : a.strip().equals(b.strip());
  }

  private static boolean isSet(String value) {
    return value != null && !value.isBlank();
  }
}
