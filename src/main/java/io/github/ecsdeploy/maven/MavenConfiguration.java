package io.github.ecsdeploy.maven;

import io.github.ecsdeploy.core.ExternalFailureException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import io.github.ecsdeploy.core.ImageSpec;
import io.github.ecsdeploy.core.RegistryCredentials;
import io.github.ecsdeploy.core.UserInputException;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugin.PluginParameterExpressionEvaluator;
import org.apache.maven.project.MavenProject;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.building.SettingsProblem;
import org.apache.maven.settings.crypto.DefaultSettingsDecryptionRequest;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.apache.maven.settings.crypto.SettingsDecryptionResult;
import org.codehaus.plexus.component.configurator.expression.ExpressionEvaluationException;
import org.codehaus.plexus.util.xml.Xpp3Dom;

/**
 * The project's Jib configuration as jib-maven-plugin would see it: the POM's values with every {@code ${...}}
 * resolved by Maven's own plugin-parameter expression evaluator ({@code ${start-class}},
 * {@code ${project.build.directory}}, profile and {@code -D} properties), and {@code jib.*} properties looked up
 * in jib-maven-plugin's order (user property, then project property, then system property). An expression that
 * Maven cannot resolve stays as written, so a main class {@code ${start-class}} remains visibly not a class name.
 */
final class MavenConfiguration {

  private final MavenProject project;
  private final MavenSession session;
  private final PluginParameterExpressionEvaluator evaluator;

  MavenConfiguration(MavenProject project, MavenSession session, MojoExecution execution) {
    this.project = project;
    this.session = session;
    this.evaluator = session == null || execution == null ? null
        : new PluginParameterExpressionEvaluator(forProject(session, project), execution);
  }

  /**
   * The session with {@code project} as its current project: Maven's evaluator resolves {@code ${project.*}}
   * against the current project, which is another module when deployAtEnd runs a held push-image.
   */
  private static MavenSession forProject(MavenSession session, MavenProject project) {
    if (project == null || session.getCurrentProject() == project) {
      return session;
    }
    MavenSession copy = session.clone();
    copy.setCurrentProject(project);
    return copy;
  }

  /** The merged jib-maven-plugin configuration with its values resolved, or {@code null}. */
  Xpp3Dom jibConfiguration() {
    Xpp3Dom dom = project == null ? null : ImageSpecReader.jibConfiguration(project);
    if (dom != null) {
      resolveIn(dom);
    }
    return dom;
  }

  /** A {@code jib.*} property as jib-maven-plugin reads it, or {@code null}. */
  String jibProperty(String name) {
    if (session != null && session.getUserProperties().containsKey(name)) {
      return session.getUserProperties().getProperty(name);
    }
    if (project != null && project.getProperties().containsKey(name)) {
      return project.getProperties().getProperty(name);
    }
    if (session != null && session.getSystemProperties().containsKey(name)) {
      return session.getSystemProperties().getProperty(name);
    }
    return null;
  }

  /** The project's files, with the jar plugin's main class resolved and the reactor's modules told apart. */
  ImageSpecReader.ProjectFiles files(Path basedir, Collection<Artifact> artifacts, Path work) {
    Set<String> reactor = new HashSet<>();
    if (session != null && session.getProjects() != null) {
      for (MavenProject module : session.getProjects()) {
        reactor.add(module.getGroupId() + ":" + module.getArtifactId() + ":" + module.getVersion());
      }
    }
    ImageSpecReader.ProjectFiles files = ImageSpecReader.files(project, basedir, artifacts, reactor);
    return new ImageSpecReader.ProjectFiles(files.basedir(), files.outputDirectory(), files.dependencies(),
        files.snapshotDependencies(), files.projectDependencies(), resolve(files.jarMainClass()), files.packaging(),
        jarNamedJar(files.jar(), work), files.javaVersion());
  }

  /**
   * Spring Boot's {@code x.jar.original} under a name ending in {@code .jar} ({@code x.original.jar}, as
   * jib-maven-plugin names it), since {@code java -cp dir/*} only takes files ending in {@code .jar}.
   */
  private static Path jarNamedJar(Path jar, Path work) {
    if (jar == null || !jar.getFileName().toString().endsWith(".jar.original") || !Files.isRegularFile(jar)) {
      return jar;
    }
    String name = jar.getFileName().toString();
    Path copy = work.resolve(name.substring(0, name.length() - ".jar.original".length()) + ".original.jar");
    try {
      Files.createDirectories(work);
      Files.copy(jar, copy, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new ExternalFailureException("Could not copy " + jar + " to " + copy + ": " + e.getMessage(), e);
    }
    return copy;
  }

  /**
   * The settings.xml {@code <server>} for a registry as jib-maven-plugin finds it (id {@code host:port}, else
   * {@code host}), its password decrypted by Maven's {@link SettingsDecrypter} (a plain password passes
   * through). {@code null} when there is none or it has no user.
   *
   * @throws UserInputException the server's password cannot be decrypted
   */
  ImageSpec.BaseImageAuth withServer(ImageSpec.BaseImageAuth auth, String registry, SettingsDecrypter decrypter) {
    Settings settings = session == null ? null : session.getSettings();
    if (settings == null || registry == null) {
      return auth;
    }
    Server server = settings.getServer(registry);
    if (server == null && registry.lastIndexOf(':') > 0) {
      server = settings.getServer(registry.substring(0, registry.lastIndexOf(':')));
    }
    if (server == null) {
      return auth;
    }
    if (decrypter != null) {
      SettingsDecryptionResult result = decrypter.decrypt(new DefaultSettingsDecryptionRequest(server));
      for (SettingsProblem problem : result.getProblems()) {
        if (problem.getSeverity() == SettingsProblem.Severity.ERROR
            || problem.getSeverity() == SettingsProblem.Severity.FATAL) {
          throw new UserInputException("The password of settings.xml <server> '" + server.getId()
              + "' (credentials for the base image's registry " + registry + ") cannot be decrypted: "
              + problem.getMessage() + ". Fix it with mvn --encrypt-password and settings-security.xml.");
        }
      }
      server = result.getServer();
    }
    if (server.getUsername() == null || server.getPassword() == null) {
      return auth;
    }
    return new ImageSpec.BaseImageAuth(auth.auth(), auth.authSource(), auth.credHelper(),
        new RegistryCredentials(server.getUsername(), server.getPassword()),
        "Maven settings.xml <server> " + server.getId());
  }

  private void resolveIn(Xpp3Dom node) {
    if (node.getValue() != null) {
      node.setValue(resolve(node.getValue()));
    }
    for (Xpp3Dom child : node.getChildren()) {
      resolveIn(child);
    }
  }

  /** The value with Maven's expressions resolved; as written when it has none or Maven cannot resolve one. */
  String resolve(String value) {
    if (value == null || evaluator == null || !value.contains("${")) {
      return value;
    }
    try {
      Object resolved = evaluator.evaluate(value);
      return resolved == null ? value : resolved.toString();
    } catch (ExpressionEvaluationException e) {
      return value;
    }
  }
}
