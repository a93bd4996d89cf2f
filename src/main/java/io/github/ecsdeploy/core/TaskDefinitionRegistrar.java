package io.github.ecsdeploy.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.ecsdeploy.taskdef.SdkJson;
import io.github.ecsdeploy.taskdef.SdkJsonException;
import io.github.ecsdeploy.taskdef.TaskDefinitionDocument;
import io.github.ecsdeploy.taskdef.TaskDefinitionTransformer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ClientException;
import software.amazon.awssdk.services.ecs.model.DescribeTaskDefinitionResponse;
import software.amazon.awssdk.services.ecs.model.Failure;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionField;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionStatus;

/**
 * Registers the task definition revision a deployment runs: takes the current definition (the revision the
 * service runs now, a revision the user names, or a file), sets this build's image in one container, and
 * registers it, unless the newest ACTIVE revision of the family already equals that request (same content
 * and tags), which is then reused so a re-run does not pile up identical revisions.
 */
public final class TaskDefinitionRegistrar {

  private final EcsClient ecs;
  private final DeployLog log;

  public TaskDefinitionRegistrar(EcsClient ecs, DeployLog log) {
    this.ecs = ecs;
    this.log = log;
  }

  /**
   * What to register. Exactly one source is used: {@code taskDefinitionFile}, else {@code taskDefinition},
   * else the service's current revision ({@code cluster} + {@code service}).
   *
   * @param region the AWS region, for messages
   * @param cluster the cluster; {@code null} means ECS's {@code default} cluster
   * @param service the service whose current task definition is the template
   * @param taskDefinition a family, {@code family:revision} or ARN to use as the template instead
   * @param taskDefinitionFile a JSON file to use as the template instead
   * @param container the container to update; {@code null} to choose by {@link ContainerSelector}'s rules
   * @param image an explicit image reference; wins over {@code pushedImage}
   * @param pushedImage what push-image wrote to {@code image.json}, or {@code null}
   * @param registry our registry host, for choosing the container; may be {@code null}
   * @param repository our repository name, for choosing the container; may be {@code null}
   * @param dryRun print the unified diff between the template and the request, register nothing
   * @param showValues in that diff, show environment values and secrets' {@code valueFrom} instead of masking
   */
  public record Request(
      String region,
      String cluster,
      String service,
      String taskDefinition,
      Path taskDefinitionFile,
      String container,
      String image,
      PushedImage pushedImage,
      String registry,
      String repository,
      boolean dryRun,
      boolean showValues) {

    /** A request that registers (no dry run). */
    public Request(String region, String cluster, String service, String taskDefinition, Path taskDefinitionFile,
        String container, String image, PushedImage pushedImage, String registry, String repository) {
      this(region, cluster, service, taskDefinition, taskDefinitionFile, container, image, pushedImage, registry,
          repository, false, false);
    }
  }

  /** Where push-image writes what it pushed (state.StateFiles and state.ImageState), for messages. */
  static final String PUSHED_IMAGE_FILE = "target/ecs-deploy/image.json";

  /** How many of the newest ACTIVE revisions are searched for one that already runs a released image. */
  static final int REUSE_SEARCH_DEPTH = 20;

  /**
   * Registers (or reuses) the revision.
   *
   * @return what update-service needs, ready to be written as {@code task-definition.json}
   * @throws UserInputException when the source cannot be found or read, the container cannot be chosen, or no
   *     image is given
   * @throws ExternalFailureException when the template file cannot be read; an AWS failure that means nothing
   *     more here passes unchanged (an SdkException) to the one mapping that names operation, region and credentials
   */
  public RegisteredTaskDefinition register(Request request) {
    String image = resolveImage(request);
    TaskDefinitionDocument source = loadSource(request);
    TaskDefinition template = source.taskDefinition();

    RegisterTaskDefinitionRequest registration = source.toRegisterRequest();
    String container = ContainerSelector.select(template.family(), registration.containerDefinitions(),
        request.container(), request.registry(), request.repository());
    registration = TaskDefinitionTransformer.withImage(registration, container, image);
    log.debug("RegisterTaskDefinition request (environment values and secrets' valueFrom redacted):\n" + redacted(registration));

    Optional<TaskDefinition> same = newestActiveIfEqual(registration, request.region());
    if (same.isPresent()) {
      TaskDefinition existing = same.get();
      log.info("Reusing task definition " + existing.family() + ":" + existing.revision() + " (container "
          + container + ", image " + image + "): it already has this image, content and tags");
      return state(existing, container, image, true);
    }
    if (releasedBefore(request)) {
      Optional<TaskDefinition> running = newestActiveRunning(template.family(), container, image);
      if (running.isPresent()) {
        TaskDefinition existing = running.get();
        String runningImage = RollbackPlanner.imageOf(existing, container);
        log.info("Reusing task definition " + label(existing) + ": its container " + container + " already runs "
            + runningImage + ", the image ECR already held for this tag; deploying a released image again is a"
            + " rollback to the revision that ran it");
        return state(existing, container, runningImage, true);
      }
    }
    if (request.dryRun()) {
      RegisterTaskDefinitionRequest before = source.toRegisterRequest();
      log.info("Dry run (" + DryRun.PARAM.both() + "): would register the next revision of " + registration.family()
          + " (container " + container + ", image " + image + "); nothing was registered. Changes against "
          + label(template) + (request.showValues() ? "" : " (environment values and secrets masked; "
              + DryRun.SHOW_VALUES.both() + "=true shows them)") + ":");
      String diff = TaskDefinitionDiff.unified(label(template), "request", before, registration,
          request.showValues());
      diff.lines().forEach(log::info);
      return new RegisteredTaskDefinition(null, registration.family(), 0, container, image, false);
    }
    TaskDefinition registered = registerNew(registration, request);
    log.info("Registered task definition " + registered.family() + ":" + registered.revision() + " (container "
        + container + ", image " + image + ")");
    return state(registered, container, image, false);
  }

  /**
   * Whether the image was already in ECR before this build (push-image found the tag with the same digest),
   * and the template is the service's current revision: then a revision that already runs it is a release
   * being deployed again, and is reused rather than registered anew.
   */
  private static boolean releasedBefore(Request request) {
    return request.pushedImage() != null && request.pushedImage().alreadyInRegistry()
        && request.taskDefinitionFile() == null
        && (request.taskDefinition() == null || request.taskDefinition().isBlank());
  }

  /** The newest of the {@value #REUSE_SEARCH_DEPTH} newest ACTIVE revisions whose container runs this digest. */
  private Optional<TaskDefinition> newestActiveRunning(String family, String container, String image) {
    String digest = ImageRef.parse(image).digest();
    if (digest == null) {
      return Optional.empty();
    }
    List<String> arns;
    try {
      arns = ecs.listTaskDefinitions(b -> b.familyPrefix(family)
              .status(TaskDefinitionStatus.ACTIVE).sort(software.amazon.awssdk.services.ecs.model.SortOrder.DESC))
          .taskDefinitionArns();
    } catch (SdkException e) {
      log.debug("Cannot list the revisions of " + family + " to reuse one: " + e.getMessage());
      return Optional.empty();
    }
    int looked = 0;
    for (String arn : arns) {
      if (!arn.contains(":task-definition/" + family + ":")) {
        continue;
      }
      if (++looked > REUSE_SEARCH_DEPTH) {
        break;
      }
      TaskDefinition candidate;
      try {
        candidate = ecs.describeTaskDefinition(b -> b.taskDefinition(arn)).taskDefinition();
      } catch (ClientException e) {
        continue;
      }
      String running = RollbackPlanner.imageOf(candidate, container);
      if (running != null && digest.equals(ImageRef.parse(running).digest())) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  private static RegisteredTaskDefinition state(TaskDefinition definition, String container, String image,
      boolean reused) {
    return new RegisteredTaskDefinition(definition.taskDefinitionArn(), definition.family(), definition.revision(),
        container, image, reused);
  }

  private String resolveImage(Request request) {
    String image = null;
    if (request.image() != null && !request.image().isBlank()) {
      image = request.image().trim();
      if (!IMAGE.matcher(image).matches()) {
        throw new UserInputException(Param.IMAGE, "'" + image + "' is not an image reference: set "
            + Param.IMAGE.both() + " to <registry>/<repository>:<tag>@sha256:<digest> (at most 255 letters, digits"
            + " and - _ . : / @ #, as ECS takes a container's image). Nothing was changed.");
      }
    } else if (request.pushedImage() != null && request.pushedImage().reference() != null) {
      image = request.pushedImage().reference();
      checkSameRepository(image, request);
    }
    if (image != null) {
      if (!image.contains("@")) {
        log.warn("Image " + image + " is not pinned to a digest: tasks started later run whatever the tag points"
            + " to then. Give " + Param.IMAGE.both() + " as name:tag@sha256:<digest> to pin it.");
      }
      return image;
    }
    throw new UserInputException(Param.IMAGE, "No image to deploy: run the push-image goal first (it writes "
        + PUSHED_IMAGE_FILE + "), or set " + Param.IMAGE.both()
        + " to the image reference, e.g. <registry>/<repository>:<tag>@sha256:<digest>.");
  }

  /**
   * image.json of an earlier build may come from another project (a reused workspace, an artifact of another
   * job): an image of another repository than {@code <repository>} is refused before anything is registered.
   */
  private static void checkSameRepository(String image, Request request) {
    if (request.repository() == null || request.repository().isBlank()) {
      return;
    }
    String wanted = ImageRef.parse(request.repository().trim()).repository();
    String pushed = ImageRef.parse(image).repository();
    if (!pushed.equals(wanted)) {
      throw new UserInputException(Param.REPOSITORY, PUSHED_IMAGE_FILE
          + " holds " + image + " of repository '" + pushed + "', but " + Param.REPOSITORY.both() + " is '"
          + wanted + "': the file comes from another project's build. Run push-image again (mvn clean deploy), set "
          + Param.REPOSITORY.both() + " as push-image has it, or give the image as " + Param.IMAGE.both()
          + ". Nothing was changed.");
    }
  }

  /** A container image as ECS takes it (API reference, ContainerDefinition image), '@' of a digest included. */
  private static final java.util.regex.Pattern IMAGE = java.util.regex.Pattern.compile("[A-Za-z0-9_.:/#@-]{1,255}");

  /** Larger files are not task definitions: ECS takes at most 64 KiB (ECS service quotas, task definition size). */
  static final long MAX_FILE_BYTES = 1024 * 1024;

  private TaskDefinitionDocument loadSource(Request request) {
    boolean hasFile = request.taskDefinitionFile() != null;
    boolean hasName = request.taskDefinition() != null && !request.taskDefinition().isBlank();
    if (hasFile && hasName) {
      throw new UserInputException(Param.TASK_DEFINITION_FILE, "Both " + Param.TASK_DEFINITION_FILE.both()
          + " and " + Param.TASK_DEFINITION.both() + " are set; set only one of them.");
    }
    if (hasFile) {
      TaskDefinitionDocument document = readFile(request.taskDefinitionFile());
      log.info("Using task definition " + document.taskDefinition().family() + " from "
          + request.taskDefinitionFile() + " as the template");
      return document;
    }
    if (hasName) {
      TaskDefinitionDocument document = describe(request.taskDefinition().trim(), Param.TASK_DEFINITION,
          request.region());
      log.info("Using task definition " + label(document.taskDefinition()) + " as the template");
      return document;
    }
    return currentOfService(request);
  }

  private TaskDefinitionDocument readFile(Path file) {
    String json;
    try {
      if (Files.isDirectory(file)) {
        throw new UserInputException(Param.TASK_DEFINITION_FILE, "Task definition file " + file + " is a directory;"
            + " set " + Param.TASK_DEFINITION_FILE.both() + " to the JSON file in it. Nothing was changed.");
      }
      if (Files.size(file) > MAX_FILE_BYTES) {
        throw new UserInputException(Param.TASK_DEFINITION_FILE, "Task definition file " + file + " has "
            + Files.size(file) + " bytes; ECS takes a task definition of at most 64 KiB, so this is not one. Set "
            + Param.TASK_DEFINITION_FILE.both() + " to the output of aws ecs describe-task-definition. Nothing was"
            + " changed.");
      }
      json = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new UserInputException(Param.TASK_DEFINITION_FILE, "Task definition file " + file
          + " does not exist; check " + Param.TASK_DEFINITION_FILE.both() + ".");
    } catch (IOException e) {
      throw new ExternalFailureException("Cannot read task definition file " + file + ": " + e.getMessage(), e);
    }
    try {
      return TaskDefinitionDocument.parse(json);
    } catch (SdkJsonException e) {
      throw new UserInputException(Param.TASK_DEFINITION_FILE, "Task definition file " + file + " ("
          + Param.TASK_DEFINITION_FILE.both() + "): " + e.getMessage()
          + ". It must hold describe-task-definition output or register-task-definition input.", e);
    }
  }

  private TaskDefinitionDocument currentOfService(Request request) {
    if (request.service() == null || request.service().isBlank()) {
      throw new UserInputException(Param.SERVICE, "No task definition to start from: set " + Param.SERVICE.both()
          + " (and " + Param.CLUSTER.both() + ") to use the revision the service runs now, or set "
          + Param.TASK_DEFINITION.both() + " or " + Param.TASK_DEFINITION_FILE.both() + ".");
    }
    String cluster = request.cluster() == null || request.cluster().isBlank() ? null : request.cluster();
    String clusterName = cluster == null ? "default" : cluster;
    // Only an ACTIVE service runs a task definition that is worth starting from (ServiceLookup says why not).
    Service service = ServiceLookup.active(ecs, cluster, request.service());
    TaskDefinitionDocument document = describe(service.taskDefinition(), null, request.region());
    log.info("Using task definition " + label(document.taskDefinition()) + " that service " + service.serviceName()
        + " runs now" + " in cluster " + clusterName + " as the template");
    return document;
  }

  private TaskDefinitionDocument describe(String taskDefinition, Param param, String region) {
    DescribeTaskDefinitionResponse response;
    try {
      response = ecs.describeTaskDefinition(r -> r.taskDefinition(taskDefinition).include(TaskDefinitionField.TAGS));
    } catch (ClientException e) {
      String hint = param == null ? "" : " Check " + param.both() + ": a family, family:revision or ARN.";
      throw new UserInputException(param, "Task definition " + taskDefinition + " not found (region "
          + region(region) + "): " + AwsErrors.message(e) + "." + hint, e);
    }
    return new TaskDefinitionDocument(response.taskDefinition(), response.hasTags() ? response.tags() : null);
  }

  private Optional<TaskDefinition> newestActiveIfEqual(RegisterTaskDefinitionRequest registration,
      String region) {
    DescribeTaskDefinitionResponse newest;
    try {
      newest = ecs.describeTaskDefinition(r -> r.taskDefinition(registration.family())
          .include(TaskDefinitionField.TAGS));
    } catch (ClientException e) {
      log.debug("No ACTIVE revision of " + registration.family() + " to reuse: " + AwsErrors.message(e));
      return Optional.empty();
    }
    TaskDefinition candidate = newest.taskDefinition();
    if (candidate == null || candidate.status() != TaskDefinitionStatus.ACTIVE) {
      return Optional.empty();
    }
    RegisterTaskDefinitionRequest candidateRequest = TaskDefinitionTransformer.toRegisterRequest(candidate,
        newest.hasTags() ? newest.tags() : null);
    if (comparable(candidateRequest).equals(comparable(registration))) {
      return Optional.of(candidate);
    }
    log.debug("The newest ACTIVE revision " + label(candidate) + " differs from the request; registering a new one");
    return Optional.empty();
  }

  private TaskDefinition registerNew(RegisterTaskDefinitionRequest registration, Request request) {
    try {
      return ecs.registerTaskDefinition(registration).taskDefinition();
    } catch (ClientException e) {
      Param param = request.taskDefinitionFile() != null ? Param.TASK_DEFINITION_FILE : null;
      String fix = param == null ? "" : " Fix " + param.both() + ".";
      throw new UserInputException(param, "ECS refused to register task definition " + registration.family()
          + " (region " + region(request.region()) + "): " + AwsErrors.message(e) + "." + fix, e);
    }
  }

  /**
   * The request as JSON for the debug log, with every container environment value replaced: people do put
   * passwords there, and build logs are read more widely than task definitions.
   */
  static String redacted(RegisterTaskDefinitionRequest request) {
    ObjectNode json = SdkJson.write(request);
    for (JsonNode container : json.path("containerDefinitions")) {
      for (JsonNode variable : container.path("environment")) {
        if (variable.has("value")) {
          ((ObjectNode) variable).put("value", "(redacted)");
        }
      }
      for (JsonNode secret : container.path("secrets")) {
        if (secret.has("valueFrom")) {
          ((ObjectNode) secret).put("valueFrom", "(redacted)");
        }
      }
    }
    return json.toPrettyString();
  }

  /**
   * The request as JSON in a form where two requests that register the same thing are equal: tags sorted by
   * key (their order carries no meaning); ECS's documented container defaults filled in ({@code essential}
   * true, {@code cpu} 0, port mapping {@code protocol} tcp and, in awsvpc mode, {@code hostPort} =
   * {@code containerPort}); and empty lists and objects removed, since ECS answers {@code "environment": []} for
   * a member never sent. This only decides whether an existing revision is reused; a miss registers a new,
   * equivalent revision, never a wrong one. The request sent is never changed.
   */
  static JsonNode comparable(RegisterTaskDefinitionRequest request) {
    ObjectNode json = SdkJson.write(request);
    boolean awsvpc = "awsvpc".equals(json.path("networkMode").asText());
    for (JsonNode node : json.path("containerDefinitions")) {
      ObjectNode container = (ObjectNode) node;
      if (!container.has("essential")) {
        container.put("essential", true);
      }
      if (!container.has("cpu")) {
        container.put("cpu", 0);
      }
      for (JsonNode mapping : container.path("portMappings")) {
        ObjectNode port = (ObjectNode) mapping;
        if (!port.has("protocol")) {
          port.put("protocol", "tcp");
        }
        if (awsvpc && port.has("containerPort") && !port.has("hostPort")) {
          port.set("hostPort", port.get("containerPort"));
        }
      }
    }
    JsonNode tags = json.get("tags");
    if (tags instanceof ArrayNode array) {
      List<JsonNode> sorted = new ArrayList<>();
      array.forEach(sorted::add);
      sorted.sort(Comparator.comparing((JsonNode t) -> t.path("key").asText()));
      json.set("tags", JsonNodeFactory.instance.arrayNode().addAll(sorted));
    }
    return withoutEmpty(json);
  }

  private static JsonNode withoutEmpty(JsonNode node) {
    if (node.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        JsonNode value = withoutEmpty(field.getValue());
        if (value.isContainerNode() && value.isEmpty()) {
          fields.remove();
        }
      }
    } else if (node.isArray()) {
      node.forEach(TaskDefinitionRegistrar::withoutEmpty);
    }
    return node;
  }

  private String region(String region) {
    if (region != null && !region.isBlank()) {
      return region;
    }
    try {
      return String.valueOf(ecs.serviceClientConfiguration().region());
    } catch (RuntimeException e) {
      return "not known";
    }
  }

  private static String label(TaskDefinition definition) {
    return definition.family() + ":" + definition.revision();
  }

}
