package io.github.ecsdeploy.standin.ecr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.ecsdeploy.standin.AwsErrorException;
import io.github.ecsdeploy.standin.JsonProtocolService;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The ECR control plane of the stand-in ({@code AmazonEC2ContainerRegistry_V20150921}): repositories with tag
 * mutability, an authorization token whose {@code proxyEndpoint} is the stand-in itself, and the images that
 * were pushed (by the registry API, or recorded by a test).
 *
 * <p>Tag immutability as ECR has it. The ECR user guide, "Preventing image tags from being overwritten"
 * (https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-tag-mutability.html): "After tag immutability is
 * turned on, the ImageTagAlreadyExistsException error is returned if you push an image with a tag that is
 * already in the repository." That holds even for the very image the tag already points at: containers-roadmap
 * #2179 ("when pushing an image to an IMMUTABLE registry, even when the digest has not changed, it fails with
 * ImageTagAlreadyExistsException"; likewise aws/aws-sdk#750 and aws/containers-roadmap#2380 for {@code put-image}
 * of the same image and tag). So in an IMMUTABLE repository {@link #putImage} refuses every tag that exists, and
 * two identical builds racing to push one tag leave one winner and one refused loser. The stand-in's earlier,
 * lenient reading (the same digest again was accepted) stays available through
 * {@link #acceptSameDigestRetag(boolean)}, off by default.
 */
public final class EcrService implements JsonProtocolService {

  /** Repository names as ECR accepts them. */
  static final Pattern REPOSITORY_NAME =
      Pattern.compile("(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*");

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One image in a repository. */
  public static final class Image {
    final String digest;
    final Set<String> tags = new LinkedHashSet<>();
    final long size;
    final String mediaType;
    final Instant pushedAt;

    Image(String digest, long size, String mediaType, Instant pushedAt) {
      this.digest = digest;
      this.size = size;
      this.mediaType = mediaType;
      this.pushedAt = pushedAt;
    }

    public String digest() {
      return digest;
    }

    public Set<String> tags() {
      return Set.copyOf(tags);
    }
  }

  static final class Repository {
    final String name;
    volatile String mutability;
    final Instant createdAt;
    final Map<String, Image> images = new LinkedHashMap<>();

    Repository(String name, String mutability, Instant createdAt) {
      this.name = name;
      this.mutability = mutability;
      this.createdAt = createdAt;
    }
  }

  private final String region;
  private final String accountId;
  private final Clock clock;
  private final Supplier<URI> endpoint;
  private final String password;
  private final Map<String, Repository> repositories = new LinkedHashMap<>();
  private volatile boolean acceptSameDigestRetag;

  public EcrService(String region, String accountId, Clock clock, Supplier<URI> endpoint) {
    this.region = region;
    this.accountId = accountId;
    this.clock = clock;
    this.endpoint = endpoint;
    byte[] secret = new byte[24];
    new SecureRandom().nextBytes(secret);
    this.password = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
  }

  /** The region of the repositories' ARNs. */
  public String region() {
    return region;
  }

  @Override
  public String targetPrefix() {
    return "AmazonEC2ContainerRegistry_V20150921";
  }

  @Override
  public synchronized JsonNode handle(String operation, JsonNode request) {
    return switch (operation) {
      case "CreateRepository" -> createRepository(request);
      case "DescribeRepositories" -> describeRepositories(request);
      case "GetAuthorizationToken" -> getAuthorizationToken();
      case "DescribeImages" -> describeImages(request);
      case "PutImageTagMutability" -> putImageTagMutability(request);
      case "PutImage" -> putImageOperation(request);
      default -> throw AwsErrorException.client("UnknownOperationException", null);
    };
  }

  // ---- test controls and registry back end ----

  /** The password the registry accepts for user {@code AWS} (what GetAuthorizationToken hands out). */
  public String registryPassword() {
    return password;
  }

  /** The registry host as image names spell it: {@code 127.0.0.1:<port>}. */
  public String registryHost() {
    URI uri = endpoint.get();
    return uri.getHost() + ":" + uri.getPort();
  }

  /** Creates a repository directly (test set-up). */
  public synchronized void createRepository(String name, boolean immutable) {
    ObjectNode request = JSON.createObjectNode();
    request.put("repositoryName", name);
    request.put("imageTagMutability", immutable ? "IMMUTABLE" : "MUTABLE");
    createRepository(request);
  }

  /** Whether the repository exists. */
  public synchronized boolean hasRepository(String name) {
    return repositories.containsKey(name);
  }

  /** Whether tags in the repository are immutable. */
  public synchronized boolean isImmutable(String repository) {
    return "IMMUTABLE".equals(repo(repository).mutability);
  }

  /**
   * Not what ECR does: lets an IMMUTABLE repository accept a tag again for the digest it already points at (the
   * stand-in's behaviour before it followed containers-roadmap #2179). Off by default; for tests that need the
   * old picture.
   */
  public void acceptSameDigestRetag(boolean accept) {
    this.acceptSameDigestRetag = accept;
  }

  /**
   * Records an image under a tag, as a completed manifest push does; enforces ECR's tag immutability (see the
   * class comment). In a MUTABLE repository the tag moves to this digest; the same digest again is a no-op.
   *
   * @throws AwsErrorException {@code ImageTagAlreadyExistsException} when the repository is IMMUTABLE and
   *     the tag exists, whatever digest it points at; {@code RepositoryNotFoundException}
   */
  public synchronized Image putImage(String repository, String digest, String tag, long size, String mediaType) {
    Repository repo = repo(repository);
    if (tag != null) {
      Optional<Image> holder = repo.images.values().stream().filter(i -> i.tags.contains(tag)).findFirst();
      if (holder.isPresent()) {
        boolean sameDigest = holder.get().digest.equals(digest);
        if ("IMMUTABLE".equals(repo.mutability) && !(sameDigest && acceptSameDigestRetag)) {
          throw tagAlreadyExists(tag, repository);
        }
        if (!sameDigest) {
          holder.get().tags.remove(tag);
        }
      }
    }
    Image image = repo.images.computeIfAbsent(digest, d -> new Image(d, size, mediaType, clock.instant()));
    if (tag != null) {
      image.tags.add(tag);
    }
    return image;
  }

  /** The image a tag or digest points at, if any. */
  public synchronized Optional<Image> findImage(String repository, String reference) {
    Repository repo = repositories.get(repository);
    if (repo == null) {
      return Optional.empty();
    }
    if (reference.startsWith("sha256:")) {
      return Optional.ofNullable(repo.images.get(reference));
    }
    return repo.images.values().stream().filter(i -> i.tags.contains(reference)).findFirst();
  }

  /** All images of a repository, oldest first. */
  public synchronized List<Image> images(String repository) {
    return List.copyOf(repo(repository).images.values());
  }

  // ---- operations ----

  private JsonNode createRepository(JsonNode request) {
    String name = requiredString(request, "repositoryName");
    if (name.length() < 2 || name.length() > 256 || !REPOSITORY_NAME.matcher(name).matches()) {
      throw AwsErrorException.client("InvalidParameterException",
          "Invalid parameter at 'repositoryName' failed to satisfy constraint: 'must satisfy regular expression '"
              + REPOSITORY_NAME.pattern() + "''");
    }
    String mutability = request.path("imageTagMutability").asText("MUTABLE");
    if (!mutability.equals("MUTABLE") && !mutability.equals("IMMUTABLE")) {
      throw AwsErrorException.client("InvalidParameterException",
          "Invalid parameter at 'imageTagMutability' failed to satisfy constraint: "
              + "'Member must satisfy enum value set: [MUTABLE, IMMUTABLE]'");
    }
    if (repositories.containsKey(name)) {
      throw AwsErrorException.client("RepositoryAlreadyExistsException",
          "The repository with name '" + name + "' already exists in the registry with id '" + accountId + "'");
    }
    Repository repo = new Repository(name, mutability, clock.instant());
    repositories.put(name, repo);
    ObjectNode answer = JSON.createObjectNode();
    answer.set("repository", repositoryJson(repo));
    return answer;
  }

  private JsonNode describeRepositories(JsonNode request) {
    List<Repository> found = new ArrayList<>();
    JsonNode names = request.path("repositoryNames");
    if (names.isArray() && names.size() > 0) {
      for (JsonNode n : names) {
        Repository repo = repositories.get(n.asText());
        if (repo == null) {
          throw repositoryNotFound(n.asText());
        }
        found.add(repo);
      }
    } else {
      found.addAll(repositories.values());
    }
    ObjectNode answer = JSON.createObjectNode();
    ArrayNode list = answer.putArray("repositories");
    found.forEach(r -> list.add(repositoryJson(r)));
    return answer;
  }

  private JsonNode getAuthorizationToken() {
    ObjectNode answer = JSON.createObjectNode();
    ObjectNode data = answer.putArray("authorizationData").addObject();
    data.put("authorizationToken",
        Base64.getEncoder().encodeToString(("AWS:" + password).getBytes(StandardCharsets.UTF_8)));
    data.put("expiresAt", epochSeconds(clock.instant().plus(Duration.ofHours(12))));
    data.put("proxyEndpoint", endpoint.get().toString());
    return answer;
  }

  private JsonNode describeImages(JsonNode request) {
    String name = requiredString(request, "repositoryName");
    Repository repo = repositories.get(name);
    if (repo == null) {
      throw repositoryNotFound(name);
    }
    List<Image> found = new ArrayList<>();
    JsonNode ids = request.path("imageIds");
    if (ids.isArray() && ids.size() > 0) {
      for (JsonNode id : ids) {
        String tag = id.hasNonNull("imageTag") ? id.get("imageTag").asText() : null;
        String digest = id.hasNonNull("imageDigest") ? id.get("imageDigest").asText() : null;
        Optional<Image> image = repo.images.values().stream()
            .filter(i -> (digest == null || i.digest.equals(digest)) && (tag == null || i.tags.contains(tag)))
            .findFirst();
        if (image.isEmpty()) {
          throw AwsErrorException.client("ImageNotFoundException",
              "The image with imageId {imageDigest:'" + digest + "', imageTag:'" + tag
                  + "'} does not exist within the repository with name '" + name
                  + "' in the registry with id '" + accountId + "'");
        }
        found.add(image.get());
      }
    } else {
      String tagStatus = request.path("filter").path("tagStatus").asText("ANY");
      for (Image image : repo.images.values()) {
        boolean tagged = !image.tags.isEmpty();
        if (tagStatus.equals("ANY") || tagStatus.equals("TAGGED") == tagged) {
          found.add(image);
        }
      }
    }
    ObjectNode answer = JSON.createObjectNode();
    ArrayNode details = answer.putArray("imageDetails");
    for (Image image : found) {
      ObjectNode d = details.addObject();
      d.put("registryId", accountId);
      d.put("repositoryName", name);
      d.put("imageDigest", image.digest);
      if (!image.tags.isEmpty()) {
        ArrayNode tags = d.putArray("imageTags");
        image.tags.forEach(tags::add);
      }
      d.put("imageSizeInBytes", image.size);
      d.put("imagePushedAt", epochSeconds(image.pushedAt));
      if (image.mediaType != null) {
        d.put("imageManifestMediaType", image.mediaType);
        d.put("artifactMediaType", image.mediaType.contains("oci")
            ? "application/vnd.oci.image.config.v1+json"
            : "application/vnd.docker.container.image.v1+json");
      }
    }
    return answer;
  }

  private JsonNode putImageTagMutability(JsonNode request) {
    String name = requiredString(request, "repositoryName");
    String mutability = requiredString(request, "imageTagMutability");
    Repository repo = repositories.get(name);
    if (repo == null) {
      throw repositoryNotFound(name);
    }
    repo.mutability = mutability;
    ObjectNode answer = JSON.createObjectNode();
    answer.put("registryId", accountId);
    answer.put("repositoryName", name);
    answer.put("imageTagMutability", mutability);
    return answer;
  }

  /**
   * {@code PutImage} (https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_PutImage.html) as used to
   * re-tag an image without pulling it ("Retagging an image", ECR user guide: {@code aws ecr put-image
   * --image-manifest "$MANIFEST" --image-tag NEW}): the manifest's digest is the SHA-256 of the manifest as
   * sent. Errors from the API reference: {@code ImageTagAlreadyExistsException} (IMMUTABLE repository, tag
   * exists, even for the same image: containers-roadmap #2179), {@code ImageAlreadyExistsException} ("The
   * specified image has already been pushed, and there were no changes to the manifest or image tag after the
   * last push"), {@code ImageDigestDoesNotMatchException}. The stand-in keeps manifests in its registry, so it
   * models PutImage only for a manifest already in the repository (the re-tag); another manifest is answered
   * with an InvalidParameterException that says so, never silently accepted.
   */
  private JsonNode putImageOperation(JsonNode request) {
    String name = requiredString(request, "repositoryName");
    String manifest = requiredString(request, "imageManifest");
    Repository repo = repo(name);
    String digest = "sha256:" + java.util.HexFormat.of().formatHex(sha256(manifest.getBytes(StandardCharsets.UTF_8)));
    if (request.hasNonNull("imageDigest") && !request.get("imageDigest").asText().equals(digest)) {
      throw AwsErrorException.client("ImageDigestDoesNotMatchException",
          "Invalid parameter at 'imageDigest' failed to satisfy constraint: 'The specified image digest does not"
              + " match the digest that Amazon ECR calculated for the image.'");
    }
    Image image = repo.images.get(digest);
    if (image == null) {
      throw AwsErrorException.client("InvalidParameterException",
          "The AWS stand-in models PutImage only to re-tag a manifest already pushed to '" + name
              + "' through its registry API; " + digest + " is not there.");
    }
    String tag = request.hasNonNull("imageTag") ? request.get("imageTag").asText() : null;
    if (tag == null || (image.tags.contains(tag) && !"IMMUTABLE".equals(repo.mutability))) {
      throw AwsErrorException.client("ImageAlreadyExistsException",
          "Image with digest '" + digest + "' and tag '" + tag + "' already exists in the repository with name '"
              + name + "' in registry with id '" + accountId + "'");
    }
    putImage(name, digest, tag, image.size, image.mediaType);
    ObjectNode answer = JSON.createObjectNode();
    ObjectNode out = answer.putObject("image");
    out.put("registryId", accountId);
    out.put("repositoryName", name);
    ObjectNode id = out.putObject("imageId");
    id.put("imageDigest", digest);
    if (tag != null) {
      id.put("imageTag", tag);
    }
    out.put("imageManifest", manifest);
    out.put("imageManifestMediaType", request.path("imageManifestMediaType").asText(image.mediaType));
    return answer;
  }

  // ---- helpers ----

  private static AwsErrorException tagAlreadyExists(String tag, String repository) {
    return AwsErrorException.client("ImageTagAlreadyExistsException",
        "The image tag '" + tag + "' already exists in the '" + repository
            + "' repository and cannot be overwritten because the repository is immutable.");
  }

  private static byte[] sha256(byte[] data) {
    try {
      return java.security.MessageDigest.getInstance("SHA-256").digest(data);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private Repository repo(String name) {
    Repository repo = repositories.get(name);
    if (repo == null) {
      throw repositoryNotFound(name);
    }
    return repo;
  }

  private AwsErrorException repositoryNotFound(String name) {
    return AwsErrorException.client("RepositoryNotFoundException",
        "The repository with name '" + name + "' does not exist in the registry with id '" + accountId + "'");
  }

  private ObjectNode repositoryJson(Repository repo) {
    ObjectNode r = JSON.createObjectNode();
    r.put("repositoryArn", "arn:aws:ecr:" + region + ":" + accountId + ":repository/" + repo.name);
    r.put("registryId", accountId);
    r.put("repositoryName", repo.name);
    r.put("repositoryUri", registryHost() + "/" + repo.name);
    r.put("createdAt", epochSeconds(repo.createdAt));
    r.put("imageTagMutability", repo.mutability);
    r.putObject("imageScanningConfiguration").put("scanOnPush", false);
    r.putObject("encryptionConfiguration").put("encryptionType", "AES256");
    return r;
  }

  private static String requiredString(JsonNode request, String member) {
    JsonNode value = request.get(member);
    if (value == null || value.isNull() || !value.isTextual()) {
      throw AwsErrorException.client("InvalidParameterException",
          "1 validation error detected: Value null at '" + member
              + "' failed to satisfy constraint: Member must not be null");
    }
    return value.asText();
  }

  /** A timestamp as the AWS JSON protocols send it: epoch seconds with milliseconds, never in E notation. */
  static java.math.BigDecimal epochSeconds(Instant instant) {
    return java.math.BigDecimal.valueOf(instant.toEpochMilli(), 3);
  }
}
