package io.github.ecsdeploy.jib;

import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.api.MainClassFinder;
import io.github.ecsdeploy.core.DeployLog;
import io.github.ecsdeploy.core.Param;
import io.github.ecsdeploy.core.UserInputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The main class when none is configured, found as jib-maven-plugin finds it: the one class among the compiled
 * classes with a {@code public static void main(String[])} (Jib's {@link MainClassFinder} reads the class
 * files), with Jib's errors when there is none or several.
 */
public final class MainClassSearch {

  private static final Param MAIN_CLASS = new Param("mainClass", "ecs.pushImage.mainClass");

  private MainClassSearch() {}

  /**
   * Finds the one main class under {@code classesDirectory}.
   *
   * @throws UserInputException no class, or several classes, have a main method
   */
  public static String find(Path classesDirectory, DeployLog log) {
    return find(classesDirectory, log, new JibLog(log, false));
  }

  static String find(Path classesDirectory, DeployLog log, Consumer<LogEvent> jibLog) {
    if (classesDirectory == null || !Files.isDirectory(classesDirectory)) {
      throw new UserInputException(MAIN_CLASS, "No main class given and no compiled classes to find it in: set "
          + MAIN_CLASS.both() + " or <container><mainClass> of jib-maven-plugin (-Djib.container.mainClass), or "
          + "compile the project first (mvn package).");
    }
    log.info("Searching for the main class in " + classesDirectory
        + " (set <container><mainClass> of jib-maven-plugin, or " + MAIN_CLASS.both() + ", to skip the search).");
    List<Path> classFiles;
    try (Stream<Path> files = Files.walk(classesDirectory)) {
      classFiles = files.filter(p -> p.toString().endsWith(".class")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("Could not list " + classesDirectory, e);
    }
    MainClassFinder.Result result = MainClassFinder.find(classFiles, jibLog);
    return switch (result.getType()) {
      case MAIN_CLASS_FOUND -> {
        log.info("Main class: " + result.getFoundMainClass());
        yield result.getFoundMainClass();
      }
      case MULTIPLE_MAIN_CLASSES -> throw new UserInputException(MAIN_CLASS, "Multiple valid main classes were "
          + "found: " + String.join(", ", result.getFoundMainClasses()) + ". Choose one with " + MAIN_CLASS.both()
          + " or <container><mainClass> of jib-maven-plugin (-Djib.container.mainClass).");
      case MAIN_CLASS_NOT_FOUND -> throw new UserInputException(MAIN_CLASS, "Main class was not found in "
          + classesDirectory + ": set " + MAIN_CLASS.both()
          + " or <container><mainClass> of jib-maven-plugin (-Djib.container.mainClass).");
    };
  }
}
