package io.github.ecsdeploy.jib;

import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.JavaContainerBuilder;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.MainClassFinder;
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
import io.github.ecsdeploy.core.UserInputException;
import java.io.IOException;
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

  private final JibLog jibLog;
  private final DeployLog log;

  ContainerAssembly(JibLog jibLog, DeployLog log) {
    this.jibLog = jibLog;
    this.log = log;
  }

  JibContainerBuilder assemble(ImageTarget target, ImageSpec spec, RegistryCredentials credentials)
      throws IOException {
    RegistryImage base = baseImage(target, spec, credentials);
    boolean javaFiles = !spec.dependencies().isEmpty() || !spec.snapshotDependencies().isEmpty()
        || isDirectory(spec.resourcesDirectory()) || isDirectory(spec.classesDirectory());
    JibContainerBuilder builder;
    if (javaFiles) {
      JavaContainerBuilder java = JavaContainerBuilder.from(base)
          .setAppRoot(AbsoluteUnixPath.get(spec.appRoot()))
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
      builder.addFileEntriesLayer(extraFilesLayer(extra.from(), AbsoluteUnixPath.get(extra.into())));
    }
    Set<Port> ports = new LinkedHashSet<>();
    for (ImageSpec.Port port : spec.ports()) {
      ports.add(port.udp() ? Port.udp(port.number()) : Port.tcp(port.number()));
    }
    builder.setExposedPorts(ports);
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
    if (reference.getRegistry().equals(target.registry().host())) {
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
    MainClassFinder.Result result = MainClassFinder.find(classFiles, jibLog);
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

  private static ModificationTimeProvider fixedTime() {
    return (source, inContainer) -> FILE_TIME;
  }

  private static boolean isDirectory(Path path) {
    return path != null && Files.isDirectory(path);
  }
}
