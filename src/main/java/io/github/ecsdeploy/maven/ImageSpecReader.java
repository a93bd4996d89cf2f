package io.github.ecsdeploy.maven;

import io.github.ecsdeploy.core.DeployLog;
import io.github.ecsdeploy.core.ImageSpec;
import io.github.ecsdeploy.core.Param;
import io.github.ecsdeploy.core.UserInputException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.model.Plugin;
import org.apache.maven.model.PluginExecution;
import org.apache.maven.project.MavenProject;
import org.codehaus.plexus.util.xml.Xpp3Dom;

/**
 * Turns a project's {@code jib-maven-plugin} configuration, push-image's own parameters and the project's
 * files into an {@link ImageSpec}, so a project that already builds with Jib gets the same image from
 * push-image. Precedence: push-image's parameters, then the Jib configuration (plugin level merged with the
 * {@code build} execution, execution level winning, as Maven does), then defaults. Jib's {@code <to>} is
 * ignored with a warning (push-image decides registry, repository and tag), and so is a creation time other
 * than the epoch (push-image builds are reproducible, so a re-run finds the same digest).
 */
final class ImageSpecReader {

  /** {@code groupId:artifactId} of the Jib Maven plugin. */
  static final String JIB_PLUGIN = "com.google.cloud.tools:jib-maven-plugin";

  /** {@code groupId:artifactId} of the jar plugin, whose manifest main class is a fallback. */
  static final String JAR_PLUGIN = "org.apache.maven.plugins:maven-jar-plugin";

  /** The base image when neither push-image nor Jib names one. */
  static final String DEFAULT_BASE_IMAGE = "eclipse-temurin:17-jre";

  /** Jib's default extra directory, copied into {@code /} when it exists and no other is configured. */
  static final String DEFAULT_EXTRA_DIRECTORY = "src/main/jib";

  static final Param BASE_IMAGE = new Param("baseImage", "ecs.pushImage.baseImage");
  static final Param MAIN_CLASS = new Param("mainClass", "ecs.pushImage.mainClass");
  static final Param FORMAT = new Param("format", "ecs.pushImage.format");
  static final Param PORTS = new Param("ports", "ecs.pushImage.ports");

  /** The {@code <container>} elements push-image uses; others get a warning. */
  private static final Set<String> CONTAINER_ELEMENTS = Set.of("appRoot", "args", "entrypoint", "environment",
      "format", "jvmFlags", "labels", "mainClass", "ports", "user", "workingDirectory", "creationTime",
      "filesModificationTime");

  /**
   * push-image's own parameters; {@code null} or empty means "not set".
   *
   * @param baseImage {@code <baseImage>} / {@code -Decs.pushImage.baseImage}
   * @param mainClass {@code <mainClass>} / {@code -Decs.pushImage.mainClass}
   * @param jvmFlags {@code <jvmFlags>}: when non-empty, replaces Jib's
   * @param ports {@code <ports>}: when non-empty, replaces Jib's
   * @param format {@code Docker} or {@code OCI}, any case
   */
  record Overrides(String baseImage, String mainClass, List<String> jvmFlags, List<String> ports, String format) {

    Overrides {
      jvmFlags = jvmFlags == null ? List.of() : List.copyOf(jvmFlags);
      ports = ports == null ? List.of() : List.copyOf(ports);
    }

    /** Nothing set. */
    static Overrides none() {
      return new Overrides(null, null, List.of(), List.of(), null);
    }
  }

  /**
   * What the build produced for the image.
   *
   * @param basedir the project base directory (relative extra directories resolve against it)
   * @param outputDirectory {@code target/classes}: classes and resources
   * @param dependencies release dependency jars
   * @param snapshotDependencies {@code -SNAPSHOT} dependency jars
   * @param jarMainClass {@code <archive><manifest><mainClass>} of maven-jar-plugin, or {@code null}
   */
  record ProjectFiles(Path basedir, Path outputDirectory, List<Path> dependencies, List<Path> snapshotDependencies,
      String jarMainClass) {

    ProjectFiles {
      dependencies = List.copyOf(dependencies);
      snapshotDependencies = List.copyOf(snapshotDependencies);
    }
  }

  private ImageSpecReader() {}

  // ---- from the Maven project ----

  /**
   * The project's Jib configuration: the plugin-level {@code <configuration>} merged with that of every
   * execution running Jib's {@code build} goal (execution level wins). From the build plugins, else from
   * plugin management (where {@code mvn jib:build} finds it too). {@code null} when the project has none.
   */
  static Xpp3Dom jibConfiguration(MavenProject project) {
    Plugin plugin = plugin(project, JIB_PLUGIN);
    if (plugin == null) {
      return null;
    }
    Xpp3Dom merged = plugin.getConfiguration() instanceof Xpp3Dom dom ? new Xpp3Dom(dom) : null;
    for (PluginExecution execution : plugin.getExecutions()) {
      if (execution.getGoals().contains("build") && execution.getConfiguration() instanceof Xpp3Dom dom) {
        merged = merged == null ? new Xpp3Dom(dom) : Xpp3Dom.mergeXpp3Dom(new Xpp3Dom(dom), merged);
      }
    }
    return merged;
  }

  /** {@code <archive><manifest><mainClass>} of maven-jar-plugin, or {@code null}. */
  static String jarMainClass(MavenProject project) {
    Plugin plugin = plugin(project, JAR_PLUGIN);
    if (plugin == null) {
      return null;
    }
    List<Xpp3Dom> configurations = new ArrayList<>();
    if (plugin.getConfiguration() instanceof Xpp3Dom dom) {
      configurations.add(dom);
    }
    for (PluginExecution execution : plugin.getExecutions()) {
      if (execution.getConfiguration() instanceof Xpp3Dom dom) {
        configurations.add(dom);
      }
    }
    for (Xpp3Dom configuration : configurations) {
      String value = text(child(configuration, "archive", "manifest", "mainClass"));
      if (value != null) {
        return value;
      }
    }
    return null;
  }

  /**
   * The project's files: the build output directory and its resolved runtime artifacts, release jars apart
   * from snapshot jars (a layer of their own, since they change often).
   */
  static ProjectFiles files(MavenProject project, Path basedir, Collection<Artifact> artifacts) {
    List<Path> releases = new ArrayList<>();
    List<Path> snapshots = new ArrayList<>();
    for (Artifact artifact : artifacts) {
      if (artifact.getFile() == null || !artifact.getFile().isFile()) {
        continue;
      }
      (artifact.isSnapshot() ? snapshots : releases).add(artifact.getFile().toPath());
    }
    String output = project.getBuild() == null ? null : project.getBuild().getOutputDirectory();
    Path outputDirectory = output == null ? basedir.resolve("target/classes") : basedir.resolve(output);
    return new ProjectFiles(basedir, outputDirectory, releases, snapshots, jarMainClass(project));
  }

  private static Plugin plugin(MavenProject project, String key) {
    Plugin plugin = project.getBuild() == null ? null : project.getBuild().getPluginsAsMap().get(key);
    if (plugin == null && project.getPluginManagement() != null) {
      plugin = project.getPluginManagement().getPluginsAsMap().get(key);
    }
    return plugin;
  }

  // ---- the spec ----

  /**
   * Builds the spec.
   *
   * @param jib the merged Jib configuration, or {@code null}
   * @param overrides push-image's own parameters
   * @param files what the build produced
   * @param log where warnings about ignored Jib settings go
   * @throws UserInputException no main class can be found, or a value is unusable
   */
  static ImageSpec read(Xpp3Dom jib, Overrides overrides, ProjectFiles files, DeployLog log) {
    Xpp3Dom from = child(jib, "from");
    Xpp3Dom container = child(jib, "container");
    warnIgnored(jib, container, log);

    ImageSpec.Builder spec = ImageSpec.builder();
    spec.baseImage(first(overrides.baseImage(), text(child(from, "image")), DEFAULT_BASE_IMAGE));
    spec.platform(platform(child(from, "platforms"), log));
    spec.format(format(first(overrides.format(), text(child(container, "format")))));
    String appRoot = text(child(container, "appRoot"));
    if (appRoot != null) {
      spec.appRoot(absolute(appRoot, "<container><appRoot>"));
    }
    List<String> entrypoint = list(child(container, "entrypoint"));
    if (entrypoint.size() == 1 && entrypoint.get(0).equals("INHERIT")) {
      log.warn("jib-maven-plugin <container><entrypoint>INHERIT</entrypoint> is not supported by push-image; "
          + "the Java entrypoint is used instead.");
      entrypoint = List.of();
    }
    spec.entrypoint(entrypoint);
    spec.programArguments(list(child(container, "args")));
    spec.jvmFlags(overrides.jvmFlags().isEmpty() ? list(child(container, "jvmFlags")) : overrides.jvmFlags());
    spec.ports(overrides.ports().isEmpty()
        ? ports(list(child(container, "ports")), "<container><ports> of jib-maven-plugin")
        : ports(overrides.ports(), PORTS.both()));
    spec.environment(map(child(container, "environment")));
    spec.labels(map(child(container, "labels")));
    spec.user(text(child(container, "user")));
    String workingDirectory = text(child(container, "workingDirectory"));
    spec.workingDirectory(workingDirectory == null ? null
        : absolute(workingDirectory, "<container><workingDirectory>"));

    String mainClass = first(overrides.mainClass(), text(child(container, "mainClass")), files.jarMainClass());
    if (mainClass == null && entrypoint.isEmpty()) {
      throw new UserInputException(MAIN_CLASS, "No main class for the image: set " + MAIN_CLASS.both()
          + " (e.g. com.example.Application), or <container><mainClass> of jib-maven-plugin, or "
          + "<archive><manifest><mainClass> of maven-jar-plugin.");
    }
    spec.mainClass(mainClass);

    spec.dependencies(files.dependencies());
    spec.snapshotDependencies(files.snapshotDependencies());
    spec.resourcesDirectory(files.outputDirectory());
    spec.classesDirectory(files.outputDirectory());
    extraDirectories(child(jib, "extraDirectories"), files.basedir(), spec, log);
    return spec.build();
  }

  private static void warnIgnored(Xpp3Dom jib, Xpp3Dom container, DeployLog log) {
    Xpp3Dom to = child(jib, "to");
    if (to != null && (child(to, "image") != null || child(to, "tags") != null)) {
      log.warn("jib-maven-plugin <to><image> and <to><tags> are ignored by push-image: it pushes only "
          + "<registry>/<repository>:<tag> (" + Param.REPOSITORY.both() + ", " + Param.TAG.both() + ").");
    }
    String creationTime = text(child(container, "creationTime"));
    if (creationTime != null && !creationTime.equals("EPOCH")) {
      log.warn("jib-maven-plugin <container><creationTime>" + creationTime + "</creationTime> is ignored: "
          + "push-image always uses the epoch, so a re-run of the same build gives the same digest.");
    }
    String filesTime = text(child(container, "filesModificationTime"));
    if (filesTime != null && !filesTime.equals("EPOCH_PLUS_SECOND")) {
      log.warn("jib-maven-plugin <container><filesModificationTime>" + filesTime + "</filesModificationTime> "
          + "is ignored: push-image always uses Jib's default (epoch + 1 s) for reproducible layers.");
    }
    if (container != null) {
      for (Xpp3Dom element : container.getChildren()) {
        if (!CONTAINER_ELEMENTS.contains(element.getName())) {
          log.warn("jib-maven-plugin <container><" + element.getName() + "> is not supported by push-image "
              + "and is ignored.");
        }
      }
    }
  }

  private static List<ImageSpec.Port> ports(List<String> values, String where) {
    List<ImageSpec.Port> ports = new ArrayList<>();
    for (String value : values) {
      try {
        ports.addAll(ImageSpec.Port.parse(value));
      } catch (IllegalArgumentException e) {
        throw new UserInputException(where.startsWith("<ports>") ? PORTS : null,
            "Port " + e.getMessage() + ": fix " + where + ".");
      }
    }
    return ports;
  }

  private static String absolute(String path, String element) {
    if (!ImageSpec.isAbsoluteUnixPath(path)) {
      throw new UserInputException("'" + path + "' is not an absolute Unix path: fix " + element
          + " of jib-maven-plugin.");
    }
    return path;
  }

  private static ImageSpec.Platform platform(Xpp3Dom platforms, DeployLog log) {
    if (platforms == null || platforms.getChildCount() == 0) {
      return null;
    }
    if (platforms.getChildCount() > 1) {
      log.warn("jib-maven-plugin <from><platforms> lists " + platforms.getChildCount() + " platforms; "
          + "push-image builds one image, for the first.");
    }
    Xpp3Dom platform = platforms.getChild(0);
    String os = first(text(child(platform, "os")), "linux");
    String architecture = first(text(child(platform, "architecture")), "amd64");
    return new ImageSpec.Platform(os, architecture);
  }

  private static ImageSpec.Format format(String value) {
    if (value == null) {
      return ImageSpec.Format.DOCKER;
    }
    return switch (value.toUpperCase(Locale.ROOT)) {
      case "DOCKER" -> ImageSpec.Format.DOCKER;
      case "OCI" -> ImageSpec.Format.OCI;
      default -> throw new UserInputException(FORMAT, "Image format '" + value + "' is neither Docker nor OCI: "
          + "fix " + FORMAT.both() + " (or <container><format> of jib-maven-plugin).");
    };
  }

  private static void extraDirectories(Xpp3Dom extra, Path basedir, ImageSpec.Builder spec, DeployLog log) {
    if (child(extra, "permissions") != null) {
      log.warn("jib-maven-plugin <extraDirectories><permissions> is ignored by push-image: files get Jib's "
          + "default permissions (644, directories 755).");
    }
    Xpp3Dom paths = child(extra, "paths");
    if (paths == null || paths.getChildCount() == 0) {
      Path defaultDirectory = basedir.resolve(DEFAULT_EXTRA_DIRECTORY);
      if (java.nio.file.Files.isDirectory(defaultDirectory)) {
        spec.extraDirectory(defaultDirectory, "/");
      }
      return;
    }
    for (Xpp3Dom path : paths.getChildren()) {
      String from;
      String into;
      if (path.getChildCount() == 0) {
        from = text(path);
        into = "/";
      } else {
        from = text(child(path, "from"));
        into = first(text(child(path, "into")), "/");
      }
      if (from == null) {
        throw new UserInputException("A jib-maven-plugin <extraDirectories><paths><path> has no directory: "
            + "give <path>src/main/jib</path> or <path><from>...</from><into>/...</into></path>.");
      }
      spec.extraDirectory(basedir.resolve(from), absolute(into, "<extraDirectories><paths><path><into>"));
    }
  }

  // ---- Xpp3Dom helpers ----

  private static Xpp3Dom child(Xpp3Dom parent, String... names) {
    Xpp3Dom node = parent;
    for (String name : names) {
      if (node == null) {
        return null;
      }
      node = node.getChild(name);
    }
    return node;
  }

  /** The trimmed text of an element, or {@code null} when missing or blank. */
  private static String text(Xpp3Dom node) {
    if (node == null || node.getValue() == null || node.getValue().isBlank()) {
      return null;
    }
    return node.getValue().trim();
  }

  /** A list as Maven reads one: the child elements (whatever their names), else a comma-separated value. */
  private static List<String> list(Xpp3Dom node) {
    List<String> values = new ArrayList<>();
    if (node == null) {
      return values;
    }
    if (node.getChildCount() > 0) {
      for (Xpp3Dom item : node.getChildren()) {
        String value = text(item);
        if (value != null) {
          values.add(value);
        }
      }
      return values;
    }
    String value = text(node);
    if (value != null) {
      for (String part : value.split(",")) {
        if (!part.isBlank()) {
          values.add(part.trim());
        }
      }
    }
    return values;
  }

  /** A map as Maven reads one: element name to text. */
  private static Map<String, String> map(Xpp3Dom node) {
    Map<String, String> values = new LinkedHashMap<>();
    if (node != null) {
      for (Xpp3Dom entry : node.getChildren()) {
        values.put(entry.getName(), entry.getValue() == null ? "" : entry.getValue());
      }
    }
    return values;
  }

  private static String first(String... values) {
    for (String value : values) {
      if (value != null && !value.isBlank()) {
        return value.trim();
      }
    }
    return null;
  }
}
