package io.github.ecsdeploy.jib;

import com.google.cloud.tools.jib.api.Credential;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.JavaContainerBuilder;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import com.google.cloud.tools.jib.api.buildplan.ModificationTimeProvider;
import com.google.cloud.tools.jib.api.buildplan.Platform;
import com.google.cloud.tools.jib.api.buildplan.Port;
import io.github.ecsdeploy.core.DeployLog;
import io.github.ecsdeploy.core.ImageSpec;
import io.github.ecsdeploy.core.ImageTarget;
import io.github.ecsdeploy.core.RegistryCredentials;
import io.github.ecsdeploy.core.RegistryHost;
import com.google.cloud.tools.jib.frontend.CredentialRetrieverFactory;
import io.github.ecsdeploy.core.UserInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.PathMatcher;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * An {@link ImageSpec} as a Jib container: the classpath in layers (dependencies, snapshot dependencies,
 * resources, classes), the Java entrypoint or an explicit one, extra directories, and the container
 * configuration, all at fixed times so the same inputs give the same digest on any machine.
 */
final class ContainerAssembly {

  /**
   * The image creation time and the time of every file: fixed (Jib's defaults, so {@code mvn jib:build}
   * gives the same layers), so the same inputs give the same digest on any machine and any checkout.
   */
  static final Instant CREATION_TIME = Instant.EPOCH;

  static final Instant FILE_TIME = FileEntriesLayer.DEFAULT_MODIFICATION_TIME;

  /** Jib's names of the JVM argument files under the app root. */
  static final String CLASSPATH_FILE = "jib-classpath-file";

  static final String MAIN_CLASS_FILE = "jib-main-class-file";

  private final JibLog jibLog;
  private final DeployLog log;
  private final Path argFilesDirectory;
  private final Map<String, String> environment;

  /**
   * An assembly.
   *
   * @param jibLog where Jib's own events go
   * @param log where our lines go
   * @param argFilesDirectory where the JVM argument files are written before they go into the image
   */
  ContainerAssembly(JibLog jibLog, DeployLog log, Path argFilesDirectory) {
    this.jibLog = jibLog;
    this.log = log;
    this.argFilesDirectory = argFilesDirectory;
    this.environment = System.getenv();
  }

  /**
   * The container as jib-maven-plugin assembles it: base image; the Java layers (dependencies, snapshot
   * dependencies, project dependencies, then resources and classes, or the project's jar); a layer with the
   * JVM argument files ({@code <appRoot>/jib-classpath-file}, {@code <appRoot>/jib-main-class-file}); the extra
   * directories; and the entrypoint {@code java <jvmFlags> -cp @<appRoot>/jib-classpath-file <mainClass>}
   * (from Java 9; before, the classpath itself).
   */
  JibContainerBuilder assemble(ImageTarget target, ImageSpec spec, RegistryCredentials credentials)
      throws IOException {
    RegistryImage base = baseImage(target, spec, credentials);
    boolean packaged = spec.containerizingMode() == ImageSpec.ContainerizingMode.PACKAGED;
    boolean javaFiles = packaged || !spec.dependencies().isEmpty() || !spec.snapshotDependencies().isEmpty()
        || !spec.projectDependencies().isEmpty()
        || isDirectory(spec.resourcesDirectory()) || isDirectory(spec.classesDirectory());
    AbsoluteUnixPath appRoot = AbsoluteUnixPath.get(spec.appRoot());
    JibContainerBuilder builder;
    if (javaFiles) {
      JavaContainerBuilder java = JavaContainerBuilder.from(base)
          .setAppRoot(appRoot)
          .setModificationTimeProvider(fixedTime());
      if (packaged) {
        java.addToClasspath(spec.jar());
      } else {
        if (isDirectory(spec.resourcesDirectory())) {
          java.addResources(spec.resourcesDirectory(), path -> !path.toString().endsWith(".class"));
        }
        if (isDirectory(spec.classesDirectory())) {
          java.addClasses(spec.classesDirectory(), path -> path.toString().endsWith(".class"));
        }
      }
      java.addDependencies(spec.dependencies());
      java.addSnapshotDependencies(spec.snapshotDependencies());
      java.addProjectDependencies(spec.projectDependencies());
      builder = java.toContainerBuilder();

      String classpath = classpath(spec, appRoot);
      String mainClass = spec.entrypoint().isEmpty() ? mainClass(spec) : mainClassOrPlaceholder(spec);
      builder.addFileEntriesLayer(jvmArgFilesLayer(appRoot, classpath, mainClass));
      if (spec.entrypoint().isEmpty()) {
        List<String> entrypoint = new ArrayList<>();
        entrypoint.add("java");
        entrypoint.addAll(spec.jvmFlags());
        entrypoint.add("-cp");
        entrypoint.add(spec.javaVersion() >= 9 ? "@" + appRoot.resolve(CLASSPATH_FILE) : classpath);
        entrypoint.add(mainClass);
        builder.setEntrypoint(entrypoint);
      } else {
        if (!spec.jvmFlags().isEmpty() || spec.mainClass() != null || !spec.extraClasspath().isEmpty()) {
          log.info("mainClass, extraClasspath and jvmFlags are ignored when an entrypoint is given "
              + "(as jib-maven-plugin does).");
        }
        builder.setEntrypoint(spec.entrypoint());
      }
    } else if (!spec.entrypoint().isEmpty() || !spec.extraDirectories().isEmpty()) {
      builder = Jib.from(base);
      if (!spec.entrypoint().isEmpty()) {
        builder.setEntrypoint(spec.entrypoint());
      }
    } else {
      throw new UserInputException("Nothing to put in the image: no classes, resources, dependencies or extra "
          + "directories. Build the project first (mvn package), or check the jib-maven-plugin configuration.");
    }
    if (!spec.programArguments().isEmpty()) {
      builder.setProgramArguments(spec.programArguments());
    }
    for (ImageSpec.ExtraDirectory extra : spec.extraDirectories()) {
      if (!isDirectory(extra.from())) {
        log.debug("Extra directory " + extra.from() + " does not exist; skipped");
        continue;
      }
      builder.addFileEntriesLayer(
          extraFilesLayer(extra.from(), AbsoluteUnixPath.get(extra.into()), spec.extraPermissions()));
    }
    Set<Port> ports = new LinkedHashSet<>();
    for (ImageSpec.Port port : spec.ports()) {
      ports.add(port.udp() ? Port.udp(port.number()) : Port.tcp(port.number()));
    }
    builder.setExposedPorts(ports);
    Set<AbsoluteUnixPath> volumes = new LinkedHashSet<>();
    for (String volume : spec.volumes()) {
      volumes.add(AbsoluteUnixPath.get(volume));
    }
    builder.setVolumes(volumes);
    builder.setEnvironment(spec.environment());
    builder.setLabels(spec.labels());
    if (spec.user() != null && !spec.user().isBlank()) {
      builder.setUser(spec.user());
    }
    if (spec.workingDirectory() != null) {
      builder.setWorkingDirectory(AbsoluteUnixPath.get(spec.workingDirectory()));
    }
    if (spec.platform() != null) {
      builder.setPlatforms(Set.of(new Platform(spec.platform().architecture(), spec.platform().os())));
    }
    builder.setFormat(spec.format() == ImageSpec.Format.OCI ? ImageFormat.OCI : ImageFormat.Docker);
    builder.setCreationTime(CREATION_TIME);
    return builder;
  }

  /**
   * The classpath as jib-maven-plugin writes it: extra classpath, then {@code <appRoot>/resources} and
   * {@code <appRoot>/classes} (or {@code <appRoot>/classpath/*} for the packaged jar), then from Java 9 every
   * dependency jar by name (a name used twice gets its size appended, as Jib names the file), before Java 9
   * {@code <appRoot>/libs/*}.
   */
  static String classpath(ImageSpec spec, AbsoluteUnixPath appRoot) throws IOException {
    List<String> classpath = new ArrayList<>(spec.extraClasspath());
    if (spec.containerizingMode() == ImageSpec.ContainerizingMode.PACKAGED) {
      classpath.add(appRoot.resolve("classpath/*").toString());
    } else {
      classpath.add(appRoot.resolve("resources").toString());
      classpath.add(appRoot.resolve("classes").toString());
    }
    if (spec.javaVersion() >= 9) {
      List<Path> jars = new ArrayList<>(spec.dependencies());
      jars.addAll(spec.snapshotDependencies());
      jars.addAll(spec.projectDependencies());
      Map<String, Long> occurrences = new HashMap<>();
      for (Path jar : jars) {
        occurrences.merge(jar.getFileName().toString(), 1L, Long::sum);
      }
      for (Path jar : jars) {
        String name = jar.getFileName().toString();
        if (occurrences.get(name) > 1) {
          name = name.replaceFirst("\\.jar$", "-" + Files.size(jar)) + ".jar";
        }
        classpath.add(appRoot.resolve("libs").resolve(name).toString());
      }
    } else {
      classpath.add(appRoot.resolve("libs/*").toString());
    }
    return String.join(":", classpath);
  }

  /** The layer jib-maven-plugin adds with the classpath and main class as files, at the fixed time. */
  private FileEntriesLayer jvmArgFilesLayer(AbsoluteUnixPath appRoot, String classpath, String mainClass)
      throws IOException {
    Path directory = argFilesDirectory;
    Files.createDirectories(directory);
    Path classpathFile = writeIfChanged(directory.resolve(CLASSPATH_FILE), classpath);
    Path mainClassFile = writeIfChanged(directory.resolve(MAIN_CLASS_FILE), mainClass);
    return FileEntriesLayer.builder()
        .setName("jvm arg files")
        .addEntry(classpathFile, appRoot.resolve(CLASSPATH_FILE), FilePermissions.DEFAULT_FILE_PERMISSIONS, FILE_TIME)
        .addEntry(mainClassFile, appRoot.resolve(MAIN_CLASS_FILE), FilePermissions.DEFAULT_FILE_PERMISSIONS, FILE_TIME)
        .build();
  }

  private static Path writeIfChanged(Path file, String content) throws IOException {
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    if (!Files.exists(file) || !Arrays.equals(Files.readAllBytes(file), bytes)) {
      Files.write(file, bytes);
    }
    return file;
  }

  /**
   * The files under a directory (not the directory itself, which may map to {@code /}), at a fixed time, with
   * the permissions configured for their path in the image (exact path first, then the globs in order), as
   * jib-maven-plugin applies {@code <extraDirectories><permissions>}.
   */
  static FileEntriesLayer extraFilesLayer(Path from, AbsoluteUnixPath into, Map<String, String> permissions)
      throws IOException {
    Map<PathMatcher, FilePermissions> globs = new LinkedHashMap<>();
    for (Map.Entry<String, String> entry : permissions.entrySet()) {
      globs.put(FileSystems.getDefault().getPathMatcher("glob:" + entry.getKey()),
          FilePermissions.fromOctalString(entry.getValue()));
    }
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
      FilePermissions mode = permissionOf(target, permissions, globs);
      if (mode == null) {
        mode = Files.isDirectory(path) ? FilePermissions.DEFAULT_FOLDER_PERMISSIONS
            : FilePermissions.DEFAULT_FILE_PERMISSIONS;
      }
      layer.addEntry(path, target, mode, FILE_TIME);
    }
    return layer.build();
  }

  private static FilePermissions permissionOf(AbsoluteUnixPath inImage, Map<String, String> exact,
      Map<PathMatcher, FilePermissions> globs) {
    String mode = exact.get(inImage.toString());
    if (mode != null) {
      return FilePermissions.fromOctalString(mode);
    }
    for (Map.Entry<PathMatcher, FilePermissions> glob : globs.entrySet()) {
      if (glob.getKey().matches(Paths.get(inImage.toString()))) {
        return glob.getValue();
      }
    }
    return null;
  }

  private RegistryImage baseImage(ImageTarget target, ImageSpec spec, RegistryCredentials credentials) {
    if (spec.baseImage() == null || spec.baseImage().isBlank()) {
      throw new UserInputException("No base image given: set <from><image> of jib-maven-plugin "
          + "(e.g. eclipse-temurin:21-jre), or scratch for an image with the application only.");
    }
    ImageReference reference;
    try {
      reference = ImageReference.parse(spec.baseImage());
    } catch (InvalidImageReferenceException e) {
      throw new UserInputException(null, "Base image '" + spec.baseImage()
          + "' is not an image reference: fix <baseImage> / -Decs.pushImage.baseImage, or <from><image> of"
          + " jib-maven-plugin (-Djib.from.image), whichever sets it; e.g. eclipse-temurin:21-jre. Nothing was"
          + " pushed.", e);
    }
    RegistryImage base = RegistryImage.named(reference);
    if (reference.isScratch()) {
      return base;
    }
    if (sameEcrRegistry(target.registry(), reference.getRegistry())) {
      base.addCredential(credentials.username(), credentials.password());
      log.debug("Base image " + reference + " is in the target's ECR registry: pulled with the same ECR login");
      return base;
    }
    CredentialRetrieverFactory factory = CredentialRetrieverFactory.forImage(reference, jibLog, environment);
    ImageSpec.BaseImageAuth auth = spec.baseImageAuth();
    if (auth.auth() != null) {
      base.addCredentialRetriever(factory.known(
          Credential.from(auth.auth().username(), auth.auth().password()), auth.authSource()));
    }
    if (auth.credHelper() != null && !auth.credHelper().isBlank()) {
      String helper = auth.credHelper().trim();
      base.addCredentialRetriever(helper.contains("/") || helper.contains("\\")
          ? factory.dockerCredentialHelper(Paths.get(helper))
          : factory.dockerCredentialHelper("docker-credential-" + helper));
    }
    if (auth.server() != null) {
      base.addCredentialRetriever(factory.known(
          Credential.from(auth.server().username(), auth.server().password()), auth.serverSource()));
    }
    String dockerConfig = environment.get("DOCKER_CONFIG");
    if (dockerConfig != null && !dockerConfig.isBlank()) {
      base.addCredentialRetriever(factory.dockerConfig(Paths.get(dockerConfig, "config.json")));
    }
    base.addCredentialRetriever(factory.dockerConfig());
    base.addCredentialRetriever(factory.wellKnownCredentialHelpers());
    return base;
  }

  /**
   * Whether a base image's registry is the target's ECR registry: the same host, or the same account and
   * region under another ECR host name (FIPS, dual-stack). GetAuthorizationToken's token opens the registries
   * of its account and region ("The authorizationToken returned can be used to access any Amazon ECR registry
   * that your IAM principal has access to", ECR API reference, GetAuthorizationToken; the registry is regional,
   * ECR user guide, "Private registry authentication").
   */
  static boolean sameEcrRegistry(RegistryHost target, String baseRegistry) {
    if (target.host().equals(baseRegistry)) {
      return true;
    }
    if (!RegistryHost.isValid(baseRegistry)) {
      return false;
    }
    RegistryHost base = RegistryHost.parse(baseRegistry);
    return target.ecrAccount().isPresent() && target.ecrAccount().equals(base.ecrAccount())
        && target.ecrRegion().equals(base.ecrRegion());
  }

  /** With an explicit entrypoint the main class only fills the main-class file; Jib writes a placeholder. */
  private String mainClassOrPlaceholder(ImageSpec spec) throws IOException {
    try {
      return mainClass(spec);
    } catch (UserInputException e) {
      return "could-not-infer-a-main-class";
    }
  }

  /**
   * The configured main class, else the one class with a {@code main} method among the compiled classes
   * ({@link MainClassSearch}), else Jib's error.
   */
  private String mainClass(ImageSpec spec) throws IOException {
    if (spec.mainClass() != null && !spec.mainClass().isBlank()) {
      return spec.mainClass();
    }
    return MainClassSearch.find(spec.classesDirectory(), log, jibLog);
  }

  private static ModificationTimeProvider fixedTime() {
    return (source, inContainer) -> FILE_TIME;
  }

  private static boolean isDirectory(Path path) {
    return path != null && Files.isDirectory(path);
  }
}
