package io.github.ecsdeploy.core;

import com.google.cloud.tools.jib.api.CacheDirectoryCreationException;
import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.InsecureRegistryException;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.JavaContainerBuilder;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.api.MainClassFinder;
import com.google.cloud.tools.jib.api.RegistryException;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.RegistryUnauthorizedException;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import com.google.cloud.tools.jib.api.buildplan.ModificationTimeProvider;
import com.google.cloud.tools.jib.api.buildplan.Port;
import com.google.cloud.tools.jib.global.JibSystemProperties;
import com.google.cloud.tools.jib.http.ResponseException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.DescribeImagesResponse;
import software.amazon.awssdk.services.ecr.model.ImageDetail;
import software.amazon.awssdk.services.ecr.model.ImageIdentifier;
import software.amazon.awssdk.services.ecr.model.ImageNotFoundException;
import software.amazon.awssdk.services.ecr.model.RepositoryNotFoundException;

/**
 * Builds the image of a Java service with Jib (no Docker daemon) and pushes it to
 * {@code <registry>/<repository>:<tag>}, never replacing a tag:
 *
 * <ol>
 *   <li>Ask ECR (DescribeImages) whether the tag exists.
 *   <li>If it does, build the image locally only (Jib builds are reproducible: fixed creation time and file
 *       timestamps) and compare digests: the same digest is a re-run of the same build and succeeds as
 *       "already present" with nothing uploaded; another digest fails before any upload, saying to bump the
 *       version.
 *   <li>Otherwise push; Jib uploads only the layers the registry lacks. An IMMUTABLE repository that refuses
 *       the tag anyway (another push won the race) gives the same "bump the version" message.
 * </ol>
 *
 * <p>Credentials are passed to Jib in memory and never logged. Plain HTTP is allowed only for a loopback
 * registry (the local stand-in).
 */
public final class ImagePublisher {

  /**
   * The image creation time and the time of every file: fixed (Jib's defaults, so {@code mvn jib:build}
   * gives the same layers), so the same inputs give the same digest on any machine and any checkout.
   */
  static final Instant CREATION_TIME = Instant.EPOCH;

  static final Instant FILE_TIME = FileEntriesLayer.DEFAULT_MODIFICATION_TIME;

  private static final String TOOL_NAME = "ecs-deploy-maven-plugin";
  private static final Pattern ECR_HOST =
      Pattern.compile("(\\d{12})\\.dkr\\.ecr(?:-fips)?\\.[a-z0-9-]+\\.amazonaws\\.com(?:\\.cn)?");
  private static final Pattern PORT = Pattern.compile("(\\d+)(?:-(\\d+))?(?:/(tcp|udp))?");
  private static final Object SYSTEM_PROPERTY_LOCK = new Object();

  /**
   * The java.util.logging logger under which google-http-client (Jib's HTTP client) prints every request
   * with its headers; held here so the level set on it is not lost with a collected logger.
   */
  private static final Logger HTTP_TRANSPORT_LOG = Logger.getLogger("com.google.api.client.http.HttpTransport");

  private final EcrClient ecr;
  private final DeployLog log;
  private final Path workDirectory;
  private final Path baseImageCache;

  /**
   * A publisher.
   *
   * @param ecr the ECR client (DescribeImages of the target repository)
   * @param log where progress goes; Jib's lifecycle messages go to info, its details to debug
   * @param workDirectory where Jib keeps the application-layer cache and the local build used for the
   *     digest check ({@code target/ecs-deploy/jib})
   * @param baseImageCache where Jib caches base image layers, or {@code null} for Jib's default
   *     ({@code ~/.cache/google-cloud-tools-java/jib})
   */
  public ImagePublisher(EcrClient ecr, DeployLog log, Path workDirectory, Path baseImageCache) {
    this.ecr = ecr;
    this.log = log;
    this.workDirectory = workDirectory;
    this.baseImageCache = baseImageCache;
  }

  /**
   * Publishes the image under the target's tag, or confirms that exactly this image is already there.
   *
   * @throws UserInputException the tag holds another image, the repository is missing, the registry refused
   *     the credentials, or the spec is unusable
   * @throws ExternalFailureException ECR or the registry could not be reached, or Jib failed otherwise
   */
  public PublishedImage publish(ImageTarget target, ImageSpec spec, RegistryCredentials credentials) {
    validate(target);
    boolean loopback = isLoopback(target.registry());
    Optional<String> existing = existingDigest(target);
    if (existing.isPresent()) {
      String built = buildLocally(target, spec, credentials, loopback);
      if (!built.equals(existing.get())) {
        throw tagTaken(target, spec, existing.get(), built);
      }
      log.info("Image " + target.reference() + " is already present with digest " + built
          + " (a re-run of the same build); nothing pushed.");
      return new PublishedImage(target, built, false);
    }
    log.info("Building and pushing " + target.reference() + " with Jib (only layers the registry lacks)");
    RegistryImage to = RegistryImage.named(imageReference(target))
        .addCredential(credentials.username(), credentials.password());
    JibContainer container = run(target, spec, credentials, loopback, Containerizer.to(to));
    String digest = container.getDigest().toString();
    log.info("Pushed " + target.reference() + " with digest " + digest);
    return new PublishedImage(target, digest, true);
  }

  // ---- the steps ----

  private static void validate(ImageTarget target) {
    if (target.repository() == null || target.repository().isBlank()) {
      throw new UserInputException(Param.REPOSITORY,
          "No ECR repository given: set " + Param.REPOSITORY.both() + " to the repository name (e.g. team/hello-app).");
    }
    if (!ImageReference.isValidRepository(target.repository())) {
      throw new UserInputException(Param.REPOSITORY, "'" + target.repository()
          + "' is not a valid repository name: use lower-case letters, digits and . _ - / in "
          + Param.REPOSITORY.both() + ".");
    }
    if (target.tag() == null || !ImageReference.isValidTag(target.tag())) {
      throw new UserInputException(Param.TAG, "'" + target.tag()
          + "' is not a valid image tag (letters, digits, _ . -, at most 128): fix " + Param.TAG.both() + ".");
    }
    if (target.registry() == null || !ImageReference.isValidRegistry(target.registry())) {
      throw new UserInputException(Param.REGISTRY, "'" + target.registry()
          + "' is not a registry host: set " + Param.REGISTRY.both()
          + " to host[:port], e.g. 123456789012.dkr.ecr.eu-west-1.amazonaws.com, or leave it unset to use "
          + "the proxyEndpoint of ECR GetAuthorizationToken.");
    }
  }

  private Optional<String> existingDigest(ImageTarget target) {
    try {
      DescribeImagesResponse response = ecr.describeImages(b -> b.registryId(registryId(target.registry()))
          .repositoryName(target.repository())
          .imageIds(ImageIdentifier.builder().imageTag(target.tag()).build()));
      return response.imageDetails().stream().map(ImageDetail::imageDigest).findFirst();
    } catch (ImageNotFoundException e) {
      return Optional.empty();
    } catch (RepositoryNotFoundException e) {
      throw repositoryMissing(target);
    } catch (SdkException e) {
      throw new ExternalFailureException("Could not ask ECR whether " + target.reference() + " exists: "
          + e.getMessage(), e);
    }
  }

  /** Builds the image into a local tarball, uploading nothing, and returns its manifest digest. */
  private String buildLocally(ImageTarget target, ImageSpec spec, RegistryCredentials credentials,
      boolean loopback) {
    log.info("Tag " + target.tag() + " already exists in " + target.repository()
        + "; building locally to compare digests before any upload");
    Path tar;
    try {
      Files.createDirectories(workDirectory);
      tar = Files.createTempFile(workDirectory, "digest-check-", ".tar");
    } catch (IOException e) {
      throw new ExternalFailureException("Could not create a file in " + workDirectory + ": " + e.getMessage(), e);
    }
    try {
      JibContainer container = run(target, spec, credentials, loopback,
          Containerizer.to(TarImage.at(tar).named(imageReference(target))));
      return container.getDigest().toString();
    } finally {
      try {
        Files.deleteIfExists(tar);
      } catch (IOException e) {
        log.debug("Could not delete " + tar + ": " + e.getMessage());
      }
    }
  }

  private JibContainer run(ImageTarget target, ImageSpec spec, RegistryCredentials credentials,
      boolean loopback, Containerizer containerizer) {
    containerizer
        .setToolName(TOOL_NAME)
        .setAllowInsecureRegistries(loopback)
        .setApplicationLayersCache(workDirectory.resolve("application-cache"))
        .addEventHandler(LogEvent.class, event -> onJibLog(event, loopback));
    if (baseImageCache != null) {
      containerizer.setBaseImageLayersCache(baseImageCache);
    }
    try {
      JibContainerBuilder builder = containerBuilder(target, spec, credentials);
      return containerize(builder, containerizer, loopback);
    } catch (ExecutionException | RegistryException | IOException e) {
      throw translate(target, e);
    } catch (CacheDirectoryCreationException e) {
      throw new ExternalFailureException("Jib could not create its cache directory: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ExternalFailureException("Interrupted while building " + target.reference(), e);
    }
  }

  /**
   * Jib sends credentials over plain HTTP only with this system property set; set it only around a build
   * whose registry is a loopback address, and put it back after.
   */
  private static JibContainer containerize(JibContainerBuilder builder, Containerizer containerizer,
      boolean loopback) throws InterruptedException, RegistryException, IOException,
      CacheDirectoryCreationException, ExecutionException {
    neverLogAuthorizationHeaders();
    if (!loopback) {
      return builder.containerize(containerizer);
    }
    synchronized (SYSTEM_PROPERTY_LOCK) {
      String key = JibSystemProperties.SEND_CREDENTIALS_OVER_HTTP;
      String previous = System.getProperty(key);
      System.setProperty(key, "true");
      try {
        return builder.containerize(containerizer);
      } finally {
        if (previous == null) {
          System.clearProperty(key);
        } else {
          System.setProperty(key, previous);
        }
      }
    }
  }

  /**
   * google-http-client replaces the {@code Authorization} header with {@code <Not Logged>} unless its logger
   * is at {@link Level#ALL}; then it prints the registry password (base64) with each request. Whoever turned
   * logging up that far (a logging configuration, a build tool's debug mode), the request dump keeps every
   * other line at {@link Level#FINEST} but never the credentials.
   */
  static void neverLogAuthorizationHeaders() {
    synchronized (HTTP_TRANSPORT_LOG) {
      if (HTTP_TRANSPORT_LOG.isLoggable(Level.ALL)) {
        HTTP_TRANSPORT_LOG.setLevel(Level.FINEST);
      }
    }
  }

  // ---- the image ----

  private JibContainerBuilder containerBuilder(ImageTarget target, ImageSpec spec, RegistryCredentials credentials)
      throws IOException {
    RegistryImage base = baseImage(target, spec, credentials);
    boolean javaFiles = !spec.dependencies().isEmpty() || !spec.snapshotDependencies().isEmpty()
        || isDirectory(spec.resourcesDirectory()) || isDirectory(spec.classesDirectory());
    JibContainerBuilder builder;
    if (javaFiles) {
      JavaContainerBuilder java = JavaContainerBuilder.from(base)
          .setAppRoot(absolute(spec.appRoot(), "appRoot"))
          .setModificationTimeProvider(fixedTime());
      if (!spec.dependencies().isEmpty()) {
        java.addDependencies(spec.dependencies());
      }
      if (!spec.snapshotDependencies().isEmpty()) {
        java.addSnapshotDependencies(spec.snapshotDependencies());
      }
      if (isDirectory(spec.resourcesDirectory())) {
        java.addResources(spec.resourcesDirectory(), path -> !path.toString().endsWith(".class"));
      }
      if (isDirectory(spec.classesDirectory())) {
        java.addClasses(spec.classesDirectory(), path -> path.toString().endsWith(".class"));
      }
      if (spec.entrypoint().isEmpty()) {
        java.setMainClass(mainClass(spec));
        java.addJvmFlags(spec.jvmFlags());
      } else if (!spec.jvmFlags().isEmpty() || spec.mainClass() != null) {
        log.warn("The image has an explicit entrypoint, so the JVM flags and main class are not used.");
      }
      builder = java.toContainerBuilder();
    } else if (!spec.entrypoint().isEmpty() || !spec.extraDirectories().isEmpty()) {
      builder = Jib.from(base);
    } else {
      throw new UserInputException("Nothing to put in the image: no classes, resources, dependencies or extra "
          + "directories. Build the project first (mvn package), or check the jib-maven-plugin configuration.");
    }
    if (!spec.entrypoint().isEmpty()) {
      builder.setEntrypoint(spec.entrypoint());
    }
    if (!spec.programArguments().isEmpty()) {
      builder.setProgramArguments(spec.programArguments());
    }
    for (ImageSpec.ExtraDirectory extra : spec.extraDirectories()) {
      if (!isDirectory(extra.from())) {
        log.debug("Extra directory " + extra.from() + " does not exist; skipped");
        continue;
      }
      builder.addFileEntriesLayer(extraFilesLayer(extra.from(), absolute(extra.into(), "extraDirectories")));
    }
    builder.setExposedPorts(ports(spec.ports()));
    builder.setEnvironment(spec.environment());
    builder.setLabels(spec.labels());
    if (spec.user() != null && !spec.user().isBlank()) {
      builder.setUser(spec.user());
    }
    if (spec.workingDirectory() != null && !spec.workingDirectory().isBlank()) {
      builder.setWorkingDirectory(absolute(spec.workingDirectory(), "workingDirectory"));
    }
    if (spec.platform() != null && !spec.platform().isBlank()) {
      String[] parts = spec.platform().split("/");
      if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
        throw new UserInputException("Platform '" + spec.platform()
            + "' is not os/architecture: use e.g. linux/amd64 or linux/arm64 (<from><platforms> of jib-maven-plugin).");
      }
      builder.setPlatforms(Set.of(new com.google.cloud.tools.jib.api.buildplan.Platform(parts[1], parts[0])));
    }
    builder.setFormat(spec.format() == ImageSpec.Format.OCI ? ImageFormat.OCI : ImageFormat.Docker);
    builder.setCreationTime(CREATION_TIME);
    return builder;
  }

  /** The files under a directory (not the directory itself, which may map to {@code /}), at a fixed time. */
  private static FileEntriesLayer extraFilesLayer(Path from, AbsoluteUnixPath into) throws IOException {
    FileEntriesLayer.Builder layer = FileEntriesLayer.builder().setName("extra files");
    List<Path> paths;
    try (Stream<Path> walk = Files.walk(from)) {
      paths = walk.filter(p -> !p.equals(from)).sorted().toList();
    }
    for (Path path : paths) {
      AbsoluteUnixPath target = into;
      for (Path part : from.relativize(path)) {
        target = target.resolve(part.toString());
      }
      FilePermissions permissions = Files.isDirectory(path)
          ? FilePermissions.DEFAULT_FOLDER_PERMISSIONS
          : FilePermissions.DEFAULT_FILE_PERMISSIONS;
      layer.addEntry(path, target, permissions, FILE_TIME);
    }
    return layer.build();
  }

  private static RegistryImage baseImage(ImageTarget target, ImageSpec spec, RegistryCredentials credentials) {
    if (spec.baseImage() == null || spec.baseImage().isBlank()) {
      throw new UserInputException("No base image given: set <from><image> of jib-maven-plugin "
          + "(e.g. eclipse-temurin:21-jre), or scratch for an image with the application only.");
    }
    ImageReference reference;
    try {
      reference = ImageReference.parse(spec.baseImage());
    } catch (InvalidImageReferenceException e) {
      throw new UserInputException(null, "Base image '" + spec.baseImage()
          + "' is not an image reference: fix <from><image> of jib-maven-plugin.", e);
    }
    RegistryImage base = RegistryImage.named(reference);
    if (reference.getRegistry().equals(target.registry())) {
      base.addCredential(credentials.username(), credentials.password());
    }
    return base;
  }

  private String mainClass(ImageSpec spec) throws IOException {
    if (spec.mainClass() != null && !spec.mainClass().isBlank()) {
      return spec.mainClass();
    }
    if (!isDirectory(spec.classesDirectory())) {
      throw new UserInputException("No main class given and no classes to find it in: set <container><mainClass>"
          + " of jib-maven-plugin (or -Djib.container.mainClass).");
    }
    List<Path> classFiles;
    try (Stream<Path> files = Files.walk(spec.classesDirectory())) {
      classFiles = files.filter(p -> p.toString().endsWith(".class")).sorted().toList();
    }
    MainClassFinder.Result result = MainClassFinder.find(classFiles, this::onJibLog);
    return switch (result.getType()) {
      case MAIN_CLASS_FOUND -> {
        log.debug("Main class: " + result.getFoundMainClass());
        yield result.getFoundMainClass();
      }
      case MULTIPLE_MAIN_CLASSES -> throw new UserInputException("Several classes have a main method ("
          + String.join(", ", result.getFoundMainClasses()) + "): choose one with <container><mainClass> of "
          + "jib-maven-plugin (or -Djib.container.mainClass).");
      case MAIN_CLASS_NOT_FOUND -> throw new UserInputException("No class with a main method in "
          + spec.classesDirectory()
          + ": set <container><mainClass> of jib-maven-plugin (or -Djib.container.mainClass).");
    };
  }

  private static Set<Port> ports(List<String> specs) {
    Set<Port> ports = new HashSet<>();
    for (String spec : specs) {
      Matcher m = PORT.matcher(spec.trim());
      if (!m.matches()) {
        throw new UserInputException("Port '" + spec + "' is not a number, a range like 9000-9002, or either with"
            + " /tcp or /udp: fix <container><ports> of jib-maven-plugin.");
      }
      int from = Integer.parseInt(m.group(1));
      int to = m.group(2) == null ? from : Integer.parseInt(m.group(2));
      String protocol = m.group(3) == null ? "tcp" : m.group(3);
      if (from < 1 || to > 65535 || to < from) {
        throw new UserInputException("Port '" + spec + "' is out of range 1-65535: fix <container><ports> of "
            + "jib-maven-plugin.");
      }
      for (int port = from; port <= to; port++) {
        ports.add(Port.parseProtocol(port, protocol));
      }
    }
    return ports;
  }

  private static AbsoluteUnixPath absolute(String path, String element) {
    try {
      return AbsoluteUnixPath.get(path);
    } catch (IllegalArgumentException e) {
      throw new UserInputException("'" + path + "' is not an absolute Unix path: fix <container><" + element
          + "> of jib-maven-plugin.");
    }
  }

  private static ModificationTimeProvider fixedTime() {
    return (source, inContainer) -> FILE_TIME;
  }

  private static boolean isDirectory(Path path) {
    return path != null && Files.isDirectory(path);
  }

  // ---- errors ----

  private RuntimeException translate(ImageTarget target, Exception e) {
    RegistryUnauthorizedException unauthorized = find(e, RegistryUnauthorizedException.class);
    if (unauthorized != null) {
      ResponseException cause = find(unauthorized, ResponseException.class);
      int status = cause == null ? 401 : cause.getStatusCode();
      String image = String.valueOf(unauthorized.getImageReference());
      if (!image.startsWith(target.registry() + "/")) {
        return new UserInputException(null, "The registry of the base image " + image + " refused access (HTTP "
            + status + "). Use a public base image, or one in " + target.registry()
            + " (pulled with the same ECR credentials): fix <from><image> of jib-maven-plugin.", null);
      }
      if (status == 403) {
        return new UserInputException(Param.REPOSITORY, "The registry " + target.registry() + " denied the push to "
            + target.repository() + " (HTTP 403): the AWS identity lacks ECR push permissions on this repository "
            + "(ecr:BatchCheckLayerAvailability, ecr:InitiateLayerUpload, ecr:UploadLayerPart, "
            + "ecr:CompleteLayerUpload, ecr:PutImage). Grant them, or check " + Param.REPOSITORY.both() + ".");
      }
      return new UserInputException(Param.REGISTRY, "The registry " + target.registry()
          + " refused the ECR credentials (HTTP " + status + ") for " + target.repository()
          + ": the token from GetAuthorizationToken is wrong or expired, or belongs to another account or region. "
          + "Check the AWS region and " + Param.REGISTRY.both()
          + " (leave it unset to use the registry the token is for).");
    }
    InsecureRegistryException insecure = find(e, InsecureRegistryException.class);
    if (insecure != null) {
      return new UserInputException(Param.REGISTRY, "The registry " + target.registry()
          + " does not speak HTTPS, and plain HTTP is allowed only for a loopback registry: fix "
          + Param.REGISTRY.both() + ".");
    }
    ResponseException response = find(e, ResponseException.class);
    String content = response == null || response.getContent() == null ? "" : response.getContent();
    if (content.contains("TAG_INVALID") && content.toLowerCase(Locale.ROOT).contains("immutable")) {
      return new UserInputException(Param.TAG, "Tag " + target.tag() + " already exists in " + target.repository()
          + " and the repository is IMMUTABLE: ECR refused to overwrite it (the tag was pushed after this build "
          + "checked for it). A pushed tag is never replaced: bump the version and release again.");
    }
    if (content.contains("NAME_UNKNOWN")) {
      return repositoryMissing(target);
    }
    if (find(e, UnknownHostException.class) != null || find(e, ConnectException.class) != null) {
      return new ExternalFailureException("Could not reach the registry " + target.registry() + " ("
          + rootMessage(e) + "); check the network, the region and " + Param.REGISTRY.both() + ".", e);
    }
    return new ExternalFailureException("Jib could not build or push " + target.reference() + ": " + rootMessage(e)
        + (response == null ? "" : " (HTTP " + response.getStatusCode() + ")"), e);
  }

  private static UserInputException repositoryMissing(ImageTarget target) {
    return new UserInputException(Param.REPOSITORY, "The ECR repository '" + target.repository()
        + "' does not exist in the registry " + target.registry() + ". Create it (tags immutable, so no release "
        + "can be overwritten): aws ecr create-repository --repository-name " + target.repository()
        + " --image-tag-mutability IMMUTABLE; or fix " + Param.REPOSITORY.both() + ".");
  }

  private static UserInputException tagTaken(ImageTarget target, ImageSpec spec, String existing, String built) {
    String hint = "scratch".equals(spec.baseImage()) || spec.baseImage().contains("@sha256:")
        ? ""
        : " (If the code did not change, the base image " + spec.baseImage()
            + " may have: pin it by digest, name@sha256:..., for repeatable builds.)";
    return new UserInputException(Param.TAG, "Tag " + target.tag() + " already exists in " + target.repository()
        + " with digest " + existing + "; this build produced " + built
        + ". A pushed tag is never overwritten: bump the version (a new git tag and project version) and release "
        + "again. Nothing was uploaded." + hint);
  }

  private static <T extends Throwable> T find(Throwable e, Class<T> type) {
    Set<Throwable> seen = new HashSet<>();
    for (Throwable t = e; t != null && seen.add(t); t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }

  private static String rootMessage(Throwable e) {
    List<Throwable> chain = new ArrayList<>();
    Set<Throwable> seen = new HashSet<>();
    for (Throwable t = e; t != null && seen.add(t); t = t.getCause()) {
      chain.add(t);
    }
    return chain.stream()
        .map(Throwable::getMessage)
        .filter(m -> m != null && !m.isBlank())
        .reduce((first, last) -> last)
        .orElse(e.getClass().getSimpleName());
  }

  // ---- helpers ----

  private void onJibLog(LogEvent event) {
    onJibLog(event, false);
  }

  /**
   * Jib's errors and warnings to warn, its lifecycle lines to info, the rest to debug. For a loopback
   * registry, Jib's notes that it falls back from HTTPS to HTTP are expected and go to debug.
   */
  private void onJibLog(LogEvent event, boolean loopback) {
    String message = event.getMessage();
    if (message == null || message.isBlank()) {
      return;
    }
    boolean expectedFailover = loopback && (message.startsWith("Failed to connect to https://")
        || message.startsWith("Cannot verify server at https://"));
    switch (event.getLevel()) {
      case ERROR, WARN -> {
        if (expectedFailover) {
          log.debug(message);
        } else {
          log.warn(message);
        }
      }
      case LIFECYCLE -> log.info(message);
      default -> log.debug(message);
    }
  }

  private static ImageReference imageReference(ImageTarget target) {
    return ImageReference.of(target.registry(), target.repository(), target.tag());
  }

  /** The account id of an ECR registry host, or {@code null} (the caller's own registry). */
  static String registryId(String registryHost) {
    Matcher m = ECR_HOST.matcher(registryHost);
    return m.matches() ? m.group(1) : null;
  }

  /**
   * Whether a registry host ({@code host[:port]}) is a loopback address, given literally: {@code localhost},
   * {@code 127.x.x.x} or {@code [::1]}. No name is looked up.
   */
  public static boolean isLoopback(String registryHost) {
    String host = registryHost;
    if (host.startsWith("[")) {
      int end = host.indexOf(']');
      host = end < 0 ? host : host.substring(1, end);
    } else if (host.indexOf(':') >= 0) {
      host = host.substring(0, host.lastIndexOf(':'));
    }
    if (host.equalsIgnoreCase("localhost")) {
      return true;
    }
    if (!host.matches("[0-9.]+") && !host.contains(":")) {
      return false;
    }
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
