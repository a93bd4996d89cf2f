package io.github.ecsdeploy.maven;

import io.github.ecsdeploy.core.DeployLog;
import io.github.ecsdeploy.core.ImageSpec;
import io.github.ecsdeploy.core.Param;
import io.github.ecsdeploy.core.RegistryCredentials;
import io.github.ecsdeploy.core.UserInputException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
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

  /**
   * ECR Public's copy of Docker's official images (https://gallery.ecr.aws/docker/library/eclipse-temurin):
   * the default base image comes from here, without Docker Hub's anonymous pull limits.
   */
  static final String DEFAULT_BASE_REGISTRY = "public.ecr.aws/docker/library/";

  /** Jib's default extra directory, copied into {@code /} when it exists and no other is configured. */
  static final String DEFAULT_EXTRA_DIRECTORY = "src/main/jib";

  static final Param BASE_IMAGE = new Param("baseImage", "ecs.pushImage.baseImage");
  static final Param MAIN_CLASS = new Param("mainClass", "ecs.pushImage.mainClass");
  static final Param FORMAT = new Param("format", "ecs.pushImage.format");
  static final Param PORTS = new Param("ports", "ecs.pushImage.ports");

  /** {@code groupId:artifactId} of spring-boot-maven-plugin, whose {@code repackage} replaces the jar. */
  static final String BOOT_PLUGIN = "org.springframework.boot:spring-boot-maven-plugin";

  /** The {@code <container>} elements push-image uses; others get a warning. */
  private static final Set<String> CONTAINER_ELEMENTS = Set.of("appRoot", "args", "entrypoint", "environment",
      "format", "jvmFlags", "labels", "mainClass", "ports", "user", "workingDirectory", "creationTime",
      "filesModificationTime", "volumes", "extraClasspath");

  /** The {@code <from>} elements push-image uses. */
  private static final Set<String> FROM_ELEMENTS = Set.of("image", "platforms", "auth", "credHelper");

  /**
   * The top-level elements push-image reads, or ignores on purpose without a word: {@code <to>} and
   * {@code <container><creationTime>} get their own warning; {@code <outputPaths>} is jib:build's output
   * (push-image writes target/ecs-deploy/image.json); {@code <skip>} skips jib:build, not push-image
   * ({@code -Decs.pushImage.skip}); {@code <allowInsecureRegistries>}: push-image allows plain HTTP for
   * loopback registries only.
   */
  private static final Set<String> TOP_ELEMENTS = Set.of("from", "to", "container", "extraDirectories",
      "containerizingMode", "outputPaths", "skip", "allowInsecureRegistries");

  // jib-maven-plugin's property names (jib-plugins-common PropertyNames)
  static final String PROP_FROM_IMAGE = "jib.from.image";
  static final String PROP_FROM_USERNAME = "jib.from.auth.username";
  static final String PROP_FROM_PASSWORD = "jib.from.auth.password";
  static final String PROP_FROM_CRED_HELPER = "jib.from.credHelper";
  static final String PROP_PLATFORMS = "jib.from.platforms";
  static final String PROP_TO_IMAGE = "jib.to.image";
  static final String PROP_TO_TAGS = "jib.to.tags";
  static final String PROP_APP_ROOT = "jib.container.appRoot";
  static final String PROP_ARGS = "jib.container.args";
  static final String PROP_ENTRYPOINT = "jib.container.entrypoint";
  static final String PROP_ENVIRONMENT = "jib.container.environment";
  static final String PROP_EXTRA_CLASSPATH = "jib.container.extraClasspath";
  static final String PROP_FORMAT = "jib.container.format";
  static final String PROP_JVM_FLAGS = "jib.container.jvmFlags";
  static final String PROP_LABELS = "jib.container.labels";
  static final String PROP_MAIN_CLASS = "jib.container.mainClass";
  static final String PROP_USER = "jib.container.user";
  static final String PROP_WORKING_DIRECTORY = "jib.container.workingDirectory";
  static final String PROP_VOLUMES = "jib.container.volumes";
  static final String PROP_PORTS = "jib.container.ports";
  static final String PROP_CREATION_TIME = "jib.container.creationTime";
  static final String PROP_FILES_TIME = "jib.container.filesModificationTime";
  static final String PROP_EXTRA_PATHS = "jib.extraDirectories.paths";
  static final String PROP_EXTRA_PERMISSIONS = "jib.extraDirectories.permissions";
  static final String PROP_CONTAINERIZING_MODE = "jib.containerizingMode";

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
   * @param projectDependencies jars of other modules in the same reactor
   * @param jarMainClass {@code <archive><manifest><mainClass>} of maven-jar-plugin, or {@code null}
   * @param packaging the project's packaging ({@code jar}, {@code war}, ...)
   * @param jar the project's packaged artifact, or {@code null} when not packaged (yet)
   * @param javaVersion the major Java version the project compiles for, as jib-maven-plugin reads it
   */
  record ProjectFiles(Path basedir, Path outputDirectory, List<Path> dependencies, List<Path> snapshotDependencies,
      List<Path> projectDependencies, String jarMainClass, String packaging, Path jar, int javaVersion) {

    ProjectFiles {
      dependencies = List.copyOf(dependencies);
      snapshotDependencies = List.copyOf(snapshotDependencies);
      projectDependencies = List.copyOf(projectDependencies);
    }

    /** A jar project for Java 17 with no reactor dependencies and no packaged jar. */
    ProjectFiles(Path basedir, Path outputDirectory, List<Path> dependencies, List<Path> snapshotDependencies,
        String jarMainClass) {
      this(basedir, outputDirectory, dependencies, snapshotDependencies, List.of(), jarMainClass, "jar", null, 17);
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
   * from snapshot jars (a layer of their own, since they change often) and from jars of other modules of the
   * same build ({@code reactor}: {@code groupId:artifactId:version} of each).
   */
  static ProjectFiles files(MavenProject project, Path basedir, Collection<Artifact> artifacts) {
    return files(project, basedir, artifacts, Set.of());
  }

  static ProjectFiles files(MavenProject project, Path basedir, Collection<Artifact> artifacts, Set<String> reactor) {
    List<Path> releases = new ArrayList<>();
    List<Path> snapshots = new ArrayList<>();
    List<Path> modules = new ArrayList<>();
    for (Artifact artifact : artifacts) {
      if (artifact.getFile() == null || !artifact.getFile().isFile()) {
        continue;
      }
      String key = artifact.getGroupId() + ":" + artifact.getArtifactId() + ":" + artifact.getBaseVersion();
      (reactor.contains(key) ? modules : artifact.isSnapshot() ? snapshots : releases)
          .add(artifact.getFile().toPath());
    }
    String output = project.getBuild() == null ? null : project.getBuild().getOutputDirectory();
    Path outputDirectory = output == null ? basedir.resolve("target/classes") : basedir.resolve(output);
    Path jar = jarArtifact(project, basedir);
    String packaging = project.getPackaging() == null ? "jar" : project.getPackaging();
    return new ProjectFiles(basedir, outputDirectory, releases, snapshots, modules, jarMainClass(project), packaging,
        jar, javaVersion(project));
  }

  /**
   * The project's jar where jib-maven-plugin looks for it: {@code <build.directory>/<finalName>[-<classifier>].jar}
   * (classifier and output directory from maven-jar-plugin's {@code default-jar} execution), or Spring Boot's
   * {@code .jar.original} when spring-boot-maven-plugin repackaged the jar in place. {@code null} when there is
   * no build directory.
   */
  static Path jarArtifact(MavenProject project, Path basedir) {
    if (project.getBuild() == null || project.getBuild().getDirectory() == null
        || project.getBuild().getFinalName() == null) {
      return null;
    }
    Path buildDirectory = basedir.resolve(project.getBuild().getDirectory());
    Path outputDirectory = buildDirectory;
    String classifier = null;
    Plugin jarPlugin = project.getBuild().getPluginsAsMap().get(JAR_PLUGIN);
    if (jarPlugin != null) {
      for (PluginExecution execution : jarPlugin.getExecutions()) {
        if ("default-jar".equals(execution.getId()) && execution.getConfiguration() instanceof Xpp3Dom dom) {
          classifier = text(child(dom, "classifier"));
          String directory = text(child(dom, "outputDirectory"));
          if (directory != null) {
            outputDirectory = basedir.resolve(directory);
          }
        }
      }
    }
    String name = project.getBuild().getFinalName() + (classifier == null ? "" : "-" + classifier);
    Plugin boot = project.getBuild().getPluginsAsMap().get(BOOT_PLUGIN);
    if (boot != null && outputDirectory.equals(buildDirectory)) {
      for (PluginExecution execution : boot.getExecutions()) {
        if (execution.getGoals().contains("repackage")) {
          Xpp3Dom dom = execution.getConfiguration() instanceof Xpp3Dom d ? d
              : boot.getConfiguration() instanceof Xpp3Dom d2 ? d2 : null;
          String bootName = text(child(dom, "finalName"));
          String bootClassifier = text(child(dom, "classifier"));
          if ((bootName == null || bootName.equals(project.getBuild().getFinalName()))
              && java.util.Objects.equals(bootClassifier, classifier)) {
            return outputDirectory.resolve(name + ".jar.original");
          }
        }
      }
    }
    return outputDirectory.resolve(name + ".jar");
  }

  /**
   * The major Java version as jib-maven-plugin reads it: the {@code maven.compiler.target} property, else
   * {@code maven.compiler.release}, else {@code <target>} or {@code <release>} of maven-compiler-plugin, else 6.
   */
  static int javaVersion(MavenProject project) {
    java.util.Properties properties = project.getProperties();
    for (String key : List.of("maven.compiler.target", "maven.compiler.release")) {
      if (properties != null && properties.getProperty(key) != null) {
        return versionNumber(properties.getProperty(key));
      }
    }
    Plugin compiler = project.getBuild() == null ? null
        : project.getBuild().getPluginsAsMap().get("org.apache.maven.plugins:maven-compiler-plugin");
    if (compiler != null && compiler.getConfiguration() instanceof Xpp3Dom dom) {
      for (String key : List.of("target", "release")) {
        String value = text(child(dom, key));
        if (value != null) {
          return versionNumber(value);
        }
      }
    }
    return 6;
  }

  /** {@code 1.8} is 8, {@code 17} is 17; anything unreadable counts as 6, as jib-maven-plugin counts it. */
  private static int versionNumber(String value) {
    String v = value.trim().startsWith("1.") ? value.trim().substring(2) : value.trim();
    int end = 0;
    while (end < v.length() && Character.isDigit(v.charAt(end))) {
      end++;
    }
    try {
      return end == 0 ? 6 : Integer.parseInt(v.substring(0, end));
    } catch (NumberFormatException e) {
      return 6;
    }
  }

  private static Plugin plugin(MavenProject project, String key) {
    Plugin plugin = project.getBuild() == null ? null : project.getBuild().getPluginsAsMap().get(key);
    if (plugin == null && project.getPluginManagement() != null) {
      plugin = project.getPluginManagement().getPluginsAsMap().get(key);
    }
    return plugin;
  }

  // ---- the spec ----

  /** {@link #read(Xpp3Dom, Function, Overrides, ProjectFiles, DeployLog)} without {@code jib.*} properties. */
  static ImageSpec read(Xpp3Dom jib, Overrides overrides, ProjectFiles files, DeployLog log) {
    return read(jib, name -> null, overrides, files, log);
  }

  /**
   * Builds the spec. Each value comes from push-image's own parameter, else the {@code jib.*} property, else
   * the Jib configuration in the POM (jib-maven-plugin's precedence: property over POM), else Jib's default.
   *
   * @param jib the merged Jib configuration, its values already resolved as Maven resolves plugin
   *     configuration, or {@code null}
   * @param jibProperties a {@code jib.*} property as jib-maven-plugin reads it (user property, then project
   *     property, then system property), or {@code null} when unset
   * @param overrides push-image's own parameters
   * @param files what the build produced
   * @param log where warnings about ignored Jib settings go
   * @throws UserInputException a value is unusable, or the packaging cannot be containerized
   */
  static ImageSpec read(Xpp3Dom jib, Function<String, String> jibProperties, Overrides overrides,
      ProjectFiles files, DeployLog log) {
    JibValues values = new JibValues(jib, jibProperties);
    if ("war".equals(files.packaging()) || "gwt-app".equals(files.packaging())) {
      throw new UserInputException("push-image containerizes jar services; this project has packaging '"
          + files.packaging() + "', which jib-maven-plugin would put on a Jetty base image. Build a WAR image "
          + "with mvn jib:build (jib-maven-plugin), then deploy it with register-task-def and update-service "
          + "(-Decs.image=<the pushed image>), or package the service as an executable jar (e.g. Spring Boot "
          + "with an embedded server).");
    }
    warnIgnored(jib, values, log);

    ImageSpec.Builder spec = ImageSpec.builder();
    spec.baseImage(first(overrides.baseImage(), values.text(PROP_FROM_IMAGE, "from", "image"),
        defaultBaseImage(files.javaVersion())));
    spec.platform(platform(values, log));
    spec.format(format(first(overrides.format(), values.text(PROP_FORMAT, "container", "format"))));
    String appRoot = values.text(PROP_APP_ROOT, "container", "appRoot");
    if (appRoot != null) {
      spec.appRoot(absolute(appRoot, "<container><appRoot>"));
    }
    List<String> entrypoint = values.list(PROP_ENTRYPOINT, "container", "entrypoint");
    if (entrypoint.size() == 1 && entrypoint.get(0).equals("INHERIT")) {
      log.warn("jib-maven-plugin <container><entrypoint>INHERIT</entrypoint> is not supported by push-image; "
          + "the Java entrypoint is used instead.");
      entrypoint = List.of();
    }
    spec.entrypoint(entrypoint);
    spec.programArguments(values.list(PROP_ARGS, "container", "args"));
    spec.jvmFlags(overrides.jvmFlags().isEmpty() ? values.list(PROP_JVM_FLAGS, "container", "jvmFlags")
        : overrides.jvmFlags());
    spec.extraClasspath(values.list(PROP_EXTRA_CLASSPATH, "container", "extraClasspath"));
    spec.ports(overrides.ports().isEmpty()
        ? ports(values.list(PROP_PORTS, "container", "ports"), "<container><ports> of jib-maven-plugin")
        : ports(overrides.ports(), PORTS.both()));
    spec.volumes(values.list(PROP_VOLUMES, "container", "volumes").stream()
        .map(v -> absolute(v, "<container><volumes>")).toList());
    spec.environment(values.map(PROP_ENVIRONMENT, "container", "environment"));
    spec.labels(values.map(PROP_LABELS, "container", "labels"));
    spec.user(values.text(PROP_USER, "container", "user"));
    String workingDirectory = values.text(PROP_WORKING_DIRECTORY, "container", "workingDirectory");
    spec.workingDirectory(workingDirectory == null ? null
        : absolute(workingDirectory, "<container><workingDirectory>"));
    spec.javaVersion(files.javaVersion());
    spec.baseImageAuth(baseImageAuth(values));

    spec.mainClass(mainClass(overrides, values, files, entrypoint, log));

    spec.dependencies(files.dependencies());
    spec.snapshotDependencies(files.snapshotDependencies());
    spec.projectDependencies(files.projectDependencies());
    spec.resourcesDirectory(files.outputDirectory());
    spec.classesDirectory(files.outputDirectory());
    String mode = first(values.text(PROP_CONTAINERIZING_MODE, "containerizingMode"), "exploded");
    switch (mode.toLowerCase(Locale.ROOT)) {
      case "exploded" -> spec.containerizingMode(ImageSpec.ContainerizingMode.EXPLODED);
      case "packaged" -> {
        if (files.jar() == null || !java.nio.file.Files.isRegularFile(files.jar())) {
          throw new UserInputException("<containerizingMode>packaged</containerizingMode> of jib-maven-plugin "
              + "puts the project's jar into the image, but there is none"
              + (files.jar() == null ? "" : " at " + files.jar())
              + ": run push-image after package (mvn package ecs:push-image, or bind it to the deploy phase).");
        }
        spec.containerizingMode(ImageSpec.ContainerizingMode.PACKAGED);
        spec.jar(files.jar());
      }
      default -> throw new UserInputException("'" + mode + "' is not a containerizing mode: set "
          + "<containerizingMode> of jib-maven-plugin (or -D" + PROP_CONTAINERIZING_MODE
          + ") to exploded or packaged.");
    }
    extraDirectories(values, files.basedir(), spec);
    return spec.build();
  }

  /**
   * The default base image, as jib-maven-plugin chooses it by the project's Java version
   * ({@code eclipse-temurin:<8|11|17|21|25>-jre}), but from ECR Public's copy of Docker's official images
   * (the same image, no anonymous pull limits for AWS users).
   */
  static String defaultBaseImage(int javaVersion) {
    int jre = javaVersion <= 8 ? 8 : javaVersion <= 11 ? 11 : javaVersion <= 17 ? 17 : javaVersion <= 21 ? 21 : 25;
    return DEFAULT_BASE_REGISTRY + "eclipse-temurin:" + jre + "-jre";
  }

  /**
   * The main class as jib-maven-plugin resolves it: configured (push-image, {@code jib.container.mainClass},
   * {@code <container><mainClass>}) and then it must be a Java class name; else maven-jar-plugin's manifest
   * main class when it is one (a Spring Boot parent sets it to {@code ${start-class}}, which stays unresolved
   * when the project does not define {@code start-class}); else {@code null}: the builder scans the compiled
   * classes for the one with a {@code main} method.
   */
  private static String mainClass(Overrides overrides, JibValues values, ProjectFiles files, List<String> entrypoint,
      DeployLog log) {
    String configured = first(overrides.mainClass(), values.text(PROP_MAIN_CLASS, "container", "mainClass"));
    if (configured != null) {
      if (!isJavaClassName(configured)) {
        throw new UserInputException(overrides.mainClass() != null ? MAIN_CLASS : null, "The main class '"
            + configured + "' is not a valid Java class name: fix " + MAIN_CLASS.both()
            + " or <container><mainClass> of jib-maven-plugin (-D" + PROP_MAIN_CLASS + ").");
      }
      return configured;
    }
    if (!entrypoint.isEmpty()) {
      return null;
    }
    String fromJar = files.jarMainClass();
    if (fromJar != null && isJavaClassName(fromJar)) {
      return fromJar;
    }
    if (fromJar != null) {
      log.warn("'mainClass' configured in maven-jar-plugin is not a valid Java class: " + fromJar
          + "; looking into all class files to infer the main class (as jib-maven-plugin does).");
    }
    return null;
  }

  /**
   * {@code <from><auth>} ({@code jib.from.auth.username} / {@code jib.from.auth.password} win, each on its own,
   * as in jib-maven-plugin) and {@code <from><credHelper>} ({@code jib.from.credHelper}): either a plain value
   * or jib-maven-plugin 3's {@code <credHelper><helper>}.
   */
  private static ImageSpec.BaseImageAuth baseImageAuth(JibValues values) {
    String username = values.text(PROP_FROM_USERNAME, "from", "auth", "username");
    String password = values.text(PROP_FROM_PASSWORD, "from", "auth", "password");
    if ((username == null) != (password == null)) {
      throw new UserInputException("jib-maven-plugin <from><auth> needs both <username> and <password> "
          + "(or -D" + PROP_FROM_USERNAME + " and -D" + PROP_FROM_PASSWORD + "); only one is set.");
    }
    RegistryCredentials auth = username == null ? null : new RegistryCredentials(username, password);
    String source = values.property(PROP_FROM_USERNAME) != null || values.property(PROP_FROM_PASSWORD) != null
        ? "jib.from.auth properties" : "<from><auth> of jib-maven-plugin";
    String helper = values.property(PROP_FROM_CRED_HELPER);
    if (helper == null) {
      Xpp3Dom node = child(values.dom(), "from", "credHelper");
      helper = node != null && node.getChild("helper") != null ? text(node.getChild("helper")) : text(node);
    }
    return new ImageSpec.BaseImageAuth(auth, auth == null ? null : source, helper, null, null);
  }

  /** Whether every dot-separated part is a Java identifier, as jib-maven-plugin checks a main class. */
  static boolean isJavaClassName(String name) {
    for (String part : name.split("\\.", -1)) {
      if (!javax.lang.model.SourceVersion.isIdentifier(part) || javax.lang.model.SourceVersion.isKeyword(part)) {
        return false;
      }
    }
    return true;
  }

  private static void warnIgnored(Xpp3Dom jib, JibValues values, DeployLog log) {
    if (values.text(PROP_TO_IMAGE, "to", "image") != null || !values.list(PROP_TO_TAGS, "to", "tags").isEmpty()) {
      log.warn("jib-maven-plugin <to><image> and <to><tags> are ignored by push-image: it pushes only "
          + "<registry>/<repository>:<tag> (" + Param.REPOSITORY.both() + ", " + Param.TAG.both() + ").");
    }
    String creationTime = values.text(PROP_CREATION_TIME, "container", "creationTime");
    if (creationTime != null && !creationTime.equals("EPOCH")) {
      log.warn("jib-maven-plugin <container><creationTime>" + creationTime + "</creationTime> is ignored: "
          + "push-image always uses the epoch, so a re-run of the same build gives the same digest.");
    }
    String filesTime = values.text(PROP_FILES_TIME, "container", "filesModificationTime");
    if (filesTime != null && !filesTime.equals("EPOCH_PLUS_SECOND")) {
      log.warn("jib-maven-plugin <container><filesModificationTime>" + filesTime + "</filesModificationTime> "
          + "is ignored: push-image always uses Jib's default (epoch + 1 s) for reproducible layers.");
    }
    if (jib == null) {
      return;
    }
    for (Xpp3Dom element : jib.getChildren()) {
      String name = element.getName();
      if (!TOP_ELEMENTS.contains(name)) {
        log.warn("jib-maven-plugin <" + name + "> is not supported by push-image and is ignored.");
      }
    }
    warnUnknownChildren(child(jib, "from"), "from", FROM_ELEMENTS, log);
    warnUnknownChildren(child(jib, "container"), "container", CONTAINER_ELEMENTS, log);
    warnUnknownChildren(child(jib, "extraDirectories"), "extraDirectories", Set.of("paths", "permissions"), log);
    Xpp3Dom paths = child(jib, "extraDirectories", "paths");
    if (paths != null) {
      for (Xpp3Dom path : paths.getChildren()) {
        warnUnknownChildren(path, "extraDirectories><paths><path", Set.of("from", "into"), log);
      }
    }
  }

  private static void warnUnknownChildren(Xpp3Dom parent, String where, Set<String> known, DeployLog log) {
    if (parent == null) {
      return;
    }
    for (Xpp3Dom element : parent.getChildren()) {
      if (!known.contains(element.getName())) {
        log.warn("jib-maven-plugin <" + where + "><" + element.getName() + "> is not supported by push-image "
            + "and is ignored.");
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

  private static ImageSpec.Platform platform(JibValues values, DeployLog log) {
    List<ImageSpec.Platform> platforms = new ArrayList<>();
    String property = values.property(PROP_PLATFORMS);
    if (property != null) {
      for (String item : splitJibList(property)) {
        try {
          platforms.add(ImageSpec.Platform.parse(item));
        } catch (IllegalArgumentException e) {
          throw new UserInputException("Platform " + e.getMessage() + ": fix -D" + PROP_PLATFORMS + ".");
        }
      }
    } else {
      Xpp3Dom configured = child(values.dom(), "from", "platforms");
      if (configured != null) {
        for (Xpp3Dom platform : configured.getChildren()) {
          platforms.add(new ImageSpec.Platform(first(text(child(platform, "os")), "linux"),
              first(text(child(platform, "architecture")), "amd64")));
        }
      }
    }
    if (platforms.isEmpty()) {
      return null;
    }
    if (platforms.size() > 1) {
      log.warn("jib-maven-plugin <from><platforms> lists " + platforms.size() + " platforms; "
          + "push-image builds one image, for the first (" + platforms.get(0) + ").");
    }
    return platforms.get(0);
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

  private static void extraDirectories(JibValues values, Path basedir, ImageSpec.Builder spec) {
    Map<String, String> permissions = new LinkedHashMap<>();
    String permissionProperty = values.property(PROP_EXTRA_PERMISSIONS);
    if (permissionProperty != null) {
      permissions.putAll(parseJibMap(permissionProperty, PROP_EXTRA_PERMISSIONS));
    } else {
      Xpp3Dom configured = child(values.dom(), "extraDirectories", "permissions");
      if (configured != null) {
        for (Xpp3Dom permission : configured.getChildren()) {
          String file = text(child(permission, "file"));
          String mode = text(child(permission, "mode"));
          if (file == null || mode == null) {
            throw new UserInputException("A jib-maven-plugin <extraDirectories><permissions><permission> needs "
                + "<file> (a path or glob in the image, e.g. /app/bin/*) and <mode> (octal, e.g. 755).");
          }
          permissions.put(file, mode);
        }
      }
    }
    for (Map.Entry<String, String> permission : permissions.entrySet()) {
      if (!permission.getValue().matches("[0-7]{3}")) {
        throw new UserInputException("Permission mode '" + permission.getValue() + "' for "
            + permission.getKey() + " is not three octal digits (e.g. 755): fix "
            + "<extraDirectories><permissions> of jib-maven-plugin.");
      }
    }
    spec.extraPermissions(permissions);

    String pathProperty = values.property(PROP_EXTRA_PATHS);
    if (pathProperty != null) {
      for (String path : splitJibList(pathProperty)) {
        spec.extraDirectory(basedir.resolve(path.trim()), "/");
      }
      return;
    }
    Xpp3Dom paths = child(values.dom(), "extraDirectories", "paths");
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

  // ---- jib.* properties, read as jib-maven-plugin reads them ----

  /**
   * A comma-separated {@code jib.*} list as jib-maven-plugin splits it: on every comma without a backslash
   * before it (a backslash-comma is a comma in the item); items kept as written.
   */
  static List<String> splitJibList(String value) {
    List<String> items = new ArrayList<>();
    StringBuilder item = new StringBuilder();
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == ',') {
        items.add(item.toString());
        item.setLength(0);
      } else if (c == '\\' && i + 1 < value.length() && value.charAt(i + 1) == ',') {
        item.append(',');
        i++;
      } else {
        item.append(c);
      }
    }
    items.add(item.toString());
    return items;
  }

  /** A {@code jib.*} map ({@code key=value,key2=value2}) as jib-maven-plugin reads it. */
  static Map<String, String> parseJibMap(String value, String property) {
    Map<String, String> map = new LinkedHashMap<>();
    for (String entry : splitJibList(value)) {
      int equals = entry.indexOf('=');
      if (equals <= 0) {
        throw new UserInputException("'" + entry + "' is not a key=value pair: fix -D" + property + ".");
      }
      map.put(entry.substring(0, equals), entry.substring(equals + 1));
    }
    return map;
  }

  /** A value from a {@code jib.*} property when set, else from the POM configuration. */
  private record JibValues(Xpp3Dom dom, Function<String, String> properties) {

    String property(String name) {
      return properties.apply(name);
    }

    String text(String property, String... path) {
      String value = property(property);
      return value != null ? first(value) : ImageSpecReader.text(child(dom, path));
    }

    List<String> list(String property, String... path) {
      String value = property(property);
      if (value != null) {
        return splitJibList(value).stream().filter(v -> !v.isEmpty()).toList();
      }
      return ImageSpecReader.list(child(dom, path));
    }

    Map<String, String> map(String property, String... path) {
      String value = property(property);
      return value != null ? parseJibMap(value, property) : ImageSpecReader.map(child(dom, path));
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
