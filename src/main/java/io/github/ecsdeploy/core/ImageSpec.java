package io.github.ecsdeploy.core;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What goes into the image of a Java service, in the terms of {@code jib-maven-plugin}'s configuration: the
 * base image, the classpath split into layers (dependencies, snapshot dependencies, resources, classes, each a
 * layer of its own so a release that changes only classes uploads only that layer), how the container starts,
 * and extra directories copied into the image. Build one with {@link #builder()}.
 *
 * @param baseImage {@code scratch} or an image reference ({@code eclipse-temurin:21-jre},
 *     {@code 123456789012.dkr.ecr.eu-west-1.amazonaws.com/base:1}); a base in the target registry is pulled
 *     with the target's credentials
 * @param platform the platform of the image ({@code linux/arm64}); {@code null} for Jib's default
 *     {@code linux/amd64}
 * @param format the manifest format
 * @param appRoot where the application goes in the image ({@code /app}), an absolute Unix path
 * @param mainClass the class to run; {@code null} to find the one class with a {@code main} method in
 *     {@link #classesDirectory}, unless {@link #entrypoint} is set
 * @param entrypoint a full entrypoint that replaces {@code java <jvmFlags> -cp ... <mainClass>}; empty for
 *     the Java entrypoint
 * @param programArguments arguments after the entrypoint
 * @param jvmFlags flags of the {@code java} command (ignored with an explicit {@link #entrypoint})
 * @param dependencies release dependency jars (one layer)
 * @param snapshotDependencies {@code -SNAPSHOT} dependency jars (a layer of their own: they change often)
 * @param resourcesDirectory compiled resources ({@code target/classes} without the class files works too),
 *     or {@code null}
 * @param classesDirectory compiled classes ({@code target/classes}), or {@code null}
 * @param extraDirectories directories copied into the image as they are
 * @param ports exposed ports ({@link Port#parse} reads {@code 8080}, {@code 53/udp}, {@code 9000-9002})
 * @param environment environment variables
 * @param labels image labels
 * @param user the user the container runs as, or {@code null}
 * @param workingDirectory the working directory (an absolute Unix path), or {@code null}
 * @param extraClasspath entries put before the application's on the classpath ({@code /opt/extra/*})
 * @param volumes volume mount points (absolute Unix paths)
 * @param projectDependencies jars of other modules of the same build (a layer of their own)
 * @param containerizingMode classes and resources as directories, or the project's jar
 * @param jar the project's jar, for {@link ContainerizingMode#PACKAGED}; else {@code null}
 * @param extraPermissions permissions of extra-directory files: a path or glob in the image to an octal mode
 *     ({@code /app/bin/*} to {@code 755}); others get 644, directories 755
 * @param javaVersion the major Java version the project compiles for; from 9 on, the classpath is passed in
 *     an argument file ({@code java -cp @/app/jib-classpath-file}), as jib-maven-plugin does
 * @param baseImageAuth how to log in to the base image's registry, beyond the target registry's own
 *     credentials and Docker's configuration
 */
public record ImageSpec(
    String baseImage,
    Platform platform,
    Format format,
    String appRoot,
    String mainClass,
    List<String> entrypoint,
    List<String> programArguments,
    List<String> jvmFlags,
    List<Path> dependencies,
    List<Path> snapshotDependencies,
    Path resourcesDirectory,
    Path classesDirectory,
    List<ExtraDirectory> extraDirectories,
    List<Port> ports,
    Map<String, String> environment,
    Map<String, String> labels,
    String user,
    String workingDirectory,
    List<String> extraClasspath,
    List<String> volumes,
    List<Path> projectDependencies,
    ContainerizingMode containerizingMode,
    Path jar,
    Map<String, String> extraPermissions,
    int javaVersion,
    BaseImageAuth baseImageAuth) {

  /**
   * Credentials for the base image's registry, as jib-maven-plugin finds them (first that answers wins): a known
   * user and password ({@code <from><auth>}, {@code jib.from.auth.*}), a Docker credential helper
   * ({@code <from><credHelper>}), the settings.xml {@code <server>} whose id is the registry; then Docker's
   * configuration files and the well-known credential helpers.
   *
   * @param auth the user and password of {@code <from><auth>}, or {@code null}
   * @param authSource where {@link #auth} came from, for the log ({@code <from><auth>})
   * @param credHelper a Docker credential helper (a suffix like {@code ecr-login} or a path), or {@code null}
   * @param server the settings.xml server credentials for the registry, or {@code null}
   * @param serverSource where {@link #server} came from, for the log
   */
  public record BaseImageAuth(RegistryCredentials auth, String authSource, String credHelper,
      RegistryCredentials server, String serverSource) {

    /** Nothing configured: Docker's configuration and the well-known helpers only. */
    public static BaseImageAuth none() {
      return new BaseImageAuth(null, null, null, null, null);
    }
  }

  /** How the application's own code goes into the image, as jib-maven-plugin's {@code containerizingMode}. */
  public enum ContainerizingMode {
    /** Resources and classes as directories ({@code /app/resources}, {@code /app/classes}); Jib's default. */
    EXPLODED,
    /** The project's jar ({@code /app/classpath/<artifact>.jar}). */
    PACKAGED
  }

  /** The manifest format of the pushed image. */
  public enum Format {
    /** Docker image manifest v2, schema 2 (Jib's default; what ECR shows as Docker). */
    DOCKER,
    /** OCI image manifest. */
    OCI
  }

  /**
   * The platform of an image.
   *
   * @param os {@code linux}
   * @param architecture {@code amd64}, {@code arm64}
   */
  public record Platform(String os, String architecture) {

    /** Both parts present. */
    public Platform {
      if (os == null || os.isBlank() || architecture == null || architecture.isBlank()) {
        throw new IllegalArgumentException("a platform needs an os and an architecture");
      }
    }

    /**
     * {@code os/architecture}, e.g. {@code linux/arm64}.
     *
     * @throws IllegalArgumentException when it is not two non-blank parts
     */
    public static Platform parse(String value) {
      String[] parts = value == null ? new String[0] : value.trim().split("/");
      if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
        throw new IllegalArgumentException("'" + value + "' is not os/architecture (e.g. linux/arm64)");
      }
      return new Platform(parts[0], parts[1]);
    }

    @Override
    public String toString() {
      return os + "/" + architecture;
    }
  }

  /**
   * One exposed port.
   *
   * @param number 1 to 65535
   * @param udp {@code true} for UDP, {@code false} for TCP
   */
  public record Port(int number, boolean udp) {

    private static final Pattern SPEC = Pattern.compile("(\\d+)(?:-(\\d+))?(?:/(tcp|udp))?");

    /** In range. */
    public Port {
      if (number < 1 || number > 65535) {
        throw new IllegalArgumentException("port " + number + " is out of range 1-65535");
      }
    }

    /**
     * The ports of one entry as Docker and Jib write them: {@code 8080}, {@code 8080/tcp}, {@code 53/udp}, a
     * range {@code 9000-9002} (with or without a protocol).
     *
     * @throws IllegalArgumentException when it is none of these, or out of range
     */
    public static List<Port> parse(String value) {
      Matcher m = SPEC.matcher(value == null ? "" : value.trim());
      if (!m.matches()) {
        throw new IllegalArgumentException("'" + value
            + "' is not a number, a range like 9000-9002, or either with /tcp or /udp");
      }
      int from = Integer.parseInt(m.group(1));
      int to = m.group(2) == null ? from : Integer.parseInt(m.group(2));
      if (from < 1 || to > 65535 || to < from) {
        throw new IllegalArgumentException("'" + value + "' is out of range 1-65535");
      }
      boolean udp = "udp".equals(m.group(3));
      List<Port> ports = new ArrayList<>();
      for (int port = from; port <= to; port++) {
        ports.add(new Port(port, udp));
      }
      return ports;
    }

    /** {@code 8080/tcp}. */
    @Override
    public String toString() {
      return number + (udp ? "/udp" : "/tcp");
    }
  }

  /**
   * A directory whose files are copied into the image.
   *
   * @param from the directory on disk
   * @param into the absolute path in the image ({@code /})
   */
  public record ExtraDirectory(Path from, String into) {}

  /** Copies the collections, so the spec cannot change after it was built; checks the paths in the image. */
  public ImageSpec {
    requireAbsolute(appRoot, "appRoot");
    if (workingDirectory != null) {
      requireAbsolute(workingDirectory, "workingDirectory");
    }
    for (ExtraDirectory extra : extraDirectories) {
      requireAbsolute(extra.into(), "extraDirectories");
    }
    entrypoint = List.copyOf(entrypoint);
    programArguments = List.copyOf(programArguments);
    jvmFlags = List.copyOf(jvmFlags);
    dependencies = List.copyOf(dependencies);
    snapshotDependencies = List.copyOf(snapshotDependencies);
    extraDirectories = List.copyOf(extraDirectories);
    ports = List.copyOf(ports);
    // Insertion order, as the POM and jib.* give them: Map.copyOf iterates in an order that changes from one JVM
    // to the next, which put the image's Env in another order (and gave it another digest) on some runs.
    environment = ordered(environment);
    labels = ordered(labels);
    extraClasspath = List.copyOf(extraClasspath);
    volumes = List.copyOf(volumes);
    for (String volume : volumes) {
      requireAbsolute(volume, "volumes");
    }
    projectDependencies = List.copyOf(projectDependencies);
    extraPermissions = ordered(extraPermissions);
    baseImageAuth = baseImageAuth == null ? BaseImageAuth.none() : baseImageAuth;
    if (containerizingMode == ContainerizingMode.PACKAGED && jar == null) {
      throw new IllegalArgumentException("the packaged containerizing mode needs the project's jar");
    }
  }

  /** This spec with the given main class. */
  public ImageSpec withMainClass(String value) {
    return new ImageSpec(baseImage, platform, format, appRoot, value, entrypoint, programArguments, jvmFlags,
        dependencies, snapshotDependencies, resourcesDirectory, classesDirectory, extraDirectories, ports,
        environment, labels, user, workingDirectory, extraClasspath, volumes, projectDependencies,
        containerizingMode, jar, extraPermissions, javaVersion, baseImageAuth);
  }

  /** This spec with the given base-image credentials. */
  public ImageSpec withBaseImageAuth(BaseImageAuth value) {
    return new ImageSpec(baseImage, platform, format, appRoot, mainClass, entrypoint, programArguments, jvmFlags,
        dependencies, snapshotDependencies, resourcesDirectory, classesDirectory, extraDirectories, ports,
        environment, labels, user, workingDirectory, extraClasspath, volumes, projectDependencies,
        containerizingMode, jar, extraPermissions, javaVersion, value);
  }

  /** Whether {@code path} is an absolute Unix path, as the paths in an image must be. */
  public static boolean isAbsoluteUnixPath(String path) {
    return path != null && path.startsWith("/") && !path.contains("\\");
  }

  private static void requireAbsolute(String path, String what) {
    if (!isAbsoluteUnixPath(path)) {
      throw new IllegalArgumentException(what + " '" + path + "' is not an absolute Unix path");
    }
  }

  private static <V> Map<String, V> ordered(Map<String, V> map) {
    return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(map));
  }

  /** A builder with Jib's defaults: Docker format, app root {@code /app}, no base image yet. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds an {@link ImageSpec}; every setter returns the builder. */
  public static final class Builder {
    private String baseImage;
    private Platform platform;
    private Format format = Format.DOCKER;
    private String appRoot = "/app";
    private String mainClass;
    private List<String> entrypoint = List.of();
    private List<String> programArguments = List.of();
    private final List<String> jvmFlags = new ArrayList<>();
    private final List<Path> dependencies = new ArrayList<>();
    private final List<Path> snapshotDependencies = new ArrayList<>();
    private Path resourcesDirectory;
    private Path classesDirectory;
    private final List<ExtraDirectory> extraDirectories = new ArrayList<>();
    private final List<Port> ports = new ArrayList<>();
    private final Map<String, String> environment = new LinkedHashMap<>();
    private final Map<String, String> labels = new LinkedHashMap<>();
    private String user;
    private String workingDirectory;
    private List<String> extraClasspath = List.of();
    private List<String> volumes = List.of();
    private final List<Path> projectDependencies = new ArrayList<>();
    private ContainerizingMode containerizingMode = ContainerizingMode.EXPLODED;
    private Path jar;
    private final Map<String, String> extraPermissions = new LinkedHashMap<>();
    private int javaVersion = 17;
    private BaseImageAuth baseImageAuth = BaseImageAuth.none();

    private Builder() {}

    public Builder baseImageAuth(BaseImageAuth value) {
      this.baseImageAuth = value;
      return this;
    }

    public Builder extraClasspath(List<String> value) {
      this.extraClasspath = List.copyOf(value);
      return this;
    }

    public Builder volumes(List<String> value) {
      this.volumes = List.copyOf(value);
      return this;
    }

    public Builder projectDependencies(List<Path> value) {
      this.projectDependencies.addAll(value);
      return this;
    }

    public Builder containerizingMode(ContainerizingMode value) {
      this.containerizingMode = value;
      return this;
    }

    public Builder jar(Path value) {
      this.jar = value;
      return this;
    }

    public Builder extraPermissions(Map<String, String> value) {
      this.extraPermissions.putAll(value);
      return this;
    }

    public Builder javaVersion(int value) {
      this.javaVersion = value;
      return this;
    }

    public Builder baseImage(String value) {
      this.baseImage = value;
      return this;
    }

    public Builder platform(Platform value) {
      this.platform = value;
      return this;
    }

    public Builder format(Format value) {
      this.format = value;
      return this;
    }

    public Builder appRoot(String value) {
      this.appRoot = value;
      return this;
    }

    public Builder mainClass(String value) {
      this.mainClass = value;
      return this;
    }

    public Builder entrypoint(List<String> value) {
      this.entrypoint = List.copyOf(value);
      return this;
    }

    public Builder programArguments(List<String> value) {
      this.programArguments = List.copyOf(value);
      return this;
    }

    public Builder jvmFlags(List<String> value) {
      this.jvmFlags.addAll(value);
      return this;
    }

    public Builder dependencies(List<Path> value) {
      this.dependencies.addAll(value);
      return this;
    }

    public Builder snapshotDependencies(List<Path> value) {
      this.snapshotDependencies.addAll(value);
      return this;
    }

    public Builder resourcesDirectory(Path value) {
      this.resourcesDirectory = value;
      return this;
    }

    public Builder classesDirectory(Path value) {
      this.classesDirectory = value;
      return this;
    }

    public Builder extraDirectory(Path from, String into) {
      this.extraDirectories.add(new ExtraDirectory(from, into));
      return this;
    }

    public Builder ports(List<Port> value) {
      this.ports.addAll(value);
      return this;
    }

    public Builder environment(Map<String, String> value) {
      this.environment.putAll(value);
      return this;
    }

    public Builder labels(Map<String, String> value) {
      this.labels.putAll(value);
      return this;
    }

    public Builder user(String value) {
      this.user = value;
      return this;
    }

    public Builder workingDirectory(String value) {
      this.workingDirectory = value;
      return this;
    }

    public ImageSpec build() {
      return new ImageSpec(baseImage, platform, format, appRoot, mainClass, entrypoint, programArguments,
          jvmFlags, dependencies, snapshotDependencies, resourcesDirectory, classesDirectory, extraDirectories,
          ports, environment, labels, user, workingDirectory, extraClasspath, volumes, projectDependencies,
          containerizingMode, jar, extraPermissions, javaVersion, baseImageAuth);
    }
  }
}
