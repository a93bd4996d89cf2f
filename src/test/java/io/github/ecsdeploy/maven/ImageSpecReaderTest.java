package io.github.ecsdeploy.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ecsdeploy.core.DeployLog;
import io.github.ecsdeploy.core.ImageSpec;
import io.github.ecsdeploy.core.UserInputException;
import java.io.File;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.artifact.DefaultArtifact;
import org.apache.maven.artifact.handler.DefaultArtifactHandler;
import org.apache.maven.model.Build;
import org.apache.maven.model.Plugin;
import org.apache.maven.model.PluginExecution;
import org.apache.maven.model.PluginManagement;
import org.apache.maven.project.MavenProject;
import org.codehaus.plexus.util.xml.Xpp3Dom;
import org.codehaus.plexus.util.xml.Xpp3DomBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The jib-maven-plugin configuration, push-image's parameters and the project files, read into an ImageSpec. */
class ImageSpecReaderTest {

  @TempDir Path dir;

  private final List<String> warnings = new ArrayList<>();
  private final DeployLog log = new DeployLog() {
    @Override
    public void info(String message) {}

    @Override
    public void warn(String message) {
      warnings.add(message);
    }

    @Override
    public void debug(String message) {}
  };

  private ImageSpecReader.ProjectFiles files(String jarMainClass) {
    return new ImageSpecReader.ProjectFiles(dir, dir.resolve("target/classes"), List.of(), List.of(), jarMainClass);
  }

  private static Xpp3Dom xml(String configuration) throws Exception {
    return Xpp3DomBuilder.build(new StringReader("<configuration>" + configuration + "</configuration>"));
  }

  @Test
  void noConfigurationGivesTheDefaults() {
    ImageSpec spec = ImageSpecReader.read(null, ImageSpecReader.Overrides.none(), files("com.example.Main"), log);

    assertEquals("eclipse-temurin:17-jre", spec.baseImage());
    assertEquals("com.example.Main", spec.mainClass(), "maven-jar-plugin's manifest main class");
    assertEquals(ImageSpec.Format.DOCKER, spec.format());
    assertEquals("/app", spec.appRoot());
    assertNull(spec.platform());
    assertEquals(dir.resolve("target/classes"), spec.classesDirectory());
    assertEquals(dir.resolve("target/classes"), spec.resourcesDirectory());
    assertEquals(List.of(), spec.extraDirectories(), "src/main/jib does not exist");
    assertEquals(List.of(), warnings);
  }

  @Test
  void noMainClassAnywhereNamesTheParameter() {
    UserInputException e = assertThrows(UserInputException.class,
        () -> ImageSpecReader.read(null, ImageSpecReader.Overrides.none(), files(null), log));
    assertTrue(e.getMessage().contains("<mainClass> / -Decs.pushImage.mainClass"), e.getMessage());
    assertTrue(e.getMessage().contains("jib-maven-plugin"), e.getMessage());
  }

  @Test
  void anEntrypointNeedsNoMainClass() throws Exception {
    ImageSpec spec = ImageSpecReader.read(
        xml("<container><entrypoint><arg>/bin/sh</arg><arg>-c</arg><arg>run</arg></entrypoint></container>"),
        ImageSpecReader.Overrides.none(), files(null), log);
    assertEquals(List.of("/bin/sh", "-c", "run"), spec.entrypoint());
    assertNull(spec.mainClass());
  }

  @Test
  void everyJibElementIsRead() throws Exception {
    Files.createDirectories(dir.resolve("src/main/jib"));
    Xpp3Dom jib = xml("""
        <from>
          <image>eclipse-temurin:21-jre@sha256:abc</image>
          <platforms><platform><architecture>arm64</architecture><os>linux</os></platform></platforms>
        </from>
        <container>
          <mainClass>com.example.App</mainClass>
          <appRoot>/srv</appRoot>
          <jvmFlags><jvmFlag>-Xmx256m</jvmFlag><jvmFlag>-Dfile.encoding=UTF-8</jvmFlag></jvmFlags>
          <args><arg>--server</arg></args>
          <ports><port>8080</port><port>9000-9001/udp</port></ports>
          <environment><APP_MODE>prod</APP_MODE><EMPTY></EMPTY></environment>
          <labels><team>web</team></labels>
          <user>1000:1000</user>
          <workingDirectory>/srv/work</workingDirectory>
          <format>OCI</format>
          <creationTime>EPOCH</creationTime>
        </container>
        <extraDirectories>
          <paths>
            <path>src/main/extra</path>
            <path><from>conf</from><into>/etc/app</into></path>
          </paths>
        </extraDirectories>""");

    ImageSpec spec = ImageSpecReader.read(jib, ImageSpecReader.Overrides.none(), files("com.example.Other"), log);

    assertEquals("eclipse-temurin:21-jre@sha256:abc", spec.baseImage());
    assertEquals(new ImageSpec.Platform("linux", "arm64"), spec.platform());
    assertEquals("com.example.App", spec.mainClass(), "Jib's main class before the jar plugin's");
    assertEquals("/srv", spec.appRoot());
    assertEquals(List.of("-Xmx256m", "-Dfile.encoding=UTF-8"), spec.jvmFlags());
    assertEquals(List.of("--server"), spec.programArguments());
    assertEquals("[8080/tcp, 9000/udp, 9001/udp]", spec.ports().toString(), "parsed where read");
    assertEquals(Map.of("APP_MODE", "prod", "EMPTY", ""), spec.environment());
    assertEquals(Map.of("team", "web"), spec.labels());
    assertEquals("1000:1000", spec.user());
    assertEquals("/srv/work", spec.workingDirectory());
    assertEquals(ImageSpec.Format.OCI, spec.format());
    assertEquals(List.of(new ImageSpec.ExtraDirectory(dir.resolve("src/main/extra"), "/"),
        new ImageSpec.ExtraDirectory(dir.resolve("conf"), "/etc/app")), spec.extraDirectories(),
        "configured paths replace the default src/main/jib");
    assertEquals(List.of(), warnings);
  }

  @Test
  void pushImageParametersOverrideJib() throws Exception {
    Xpp3Dom jib = xml("""
        <from><image>eclipse-temurin:21-jre</image></from>
        <container>
          <mainClass>com.example.App</mainClass>
          <jvmFlags><jvmFlag>-Xmx256m</jvmFlag></jvmFlags>
          <ports><port>8080</port></ports>
          <format>OCI</format>
        </container>""");
    ImageSpec spec = ImageSpecReader.read(jib,
        new ImageSpecReader.Overrides("scratch", "com.example.Other", List.of("-Xmx1g"), List.of("9090"), "docker"),
        files(null), log);

    assertEquals("scratch", spec.baseImage());
    assertEquals("com.example.Other", spec.mainClass());
    assertEquals(List.of("-Xmx1g"), spec.jvmFlags());
    assertEquals(List.of(new ImageSpec.Port(9090, false)), spec.ports());
    assertEquals(ImageSpec.Format.DOCKER, spec.format());
  }

  @Test
  void commaSeparatedListsAreSplit() throws Exception {
    ImageSpec spec = ImageSpecReader.read(xml("<container><mainClass>a.B</mainClass>"
        + "<jvmFlags>-Xms64m, -Xmx256m</jvmFlags><ports>8080,8443</ports></container>"),
        ImageSpecReader.Overrides.none(), files(null), log);
    assertEquals(List.of("-Xms64m", "-Xmx256m"), spec.jvmFlags());
    assertEquals(List.of(new ImageSpec.Port(8080, false), new ImageSpec.Port(8443, false)), spec.ports());
  }

  @Test
  void theDefaultExtraDirectoryIsUsedWhenPresent() throws Exception {
    Files.createDirectories(dir.resolve("src/main/jib/etc"));
    ImageSpec spec = ImageSpecReader.read(null, ImageSpecReader.Overrides.none(), files("a.B"), log);
    assertEquals(List.of(new ImageSpec.ExtraDirectory(dir.resolve("src/main/jib"), "/")), spec.extraDirectories());
  }

  @Test
  void toImageTagsAndAMovingCreationTimeAreIgnoredWithAWarning() throws Exception {
    Xpp3Dom jib = xml("""
        <to><image>docker.io/me/app</image><tags><tag>latest</tag></tags></to>
        <container>
          <mainClass>a.B</mainClass>
          <creationTime>USE_CURRENT_TIMESTAMP</creationTime>
          <extraClasspath><path>/x</path></extraClasspath>
        </container>""");
    ImageSpec spec = ImageSpecReader.read(jib, ImageSpecReader.Overrides.none(), files(null), log);

    assertEquals("a.B", spec.mainClass());
    assertEquals(3, warnings.size(), warnings.toString());
    assertTrue(warnings.get(0).contains("<to><image> and <to><tags> are ignored"), warnings.get(0));
    assertTrue(warnings.get(0).contains("<repository> / -Decs.repository"), warnings.get(0));
    assertTrue(warnings.get(1).contains("<creationTime>USE_CURRENT_TIMESTAMP</creationTime> is ignored"),
        warnings.get(1));
    assertTrue(warnings.get(2).contains("<container><extraClasspath> is not supported"), warnings.get(2));
  }

  @Test
  void aFormatThatIsNeitherDockerNorOciIsAUserError() {
    UserInputException e = assertThrows(UserInputException.class, () -> ImageSpecReader.read(null,
        new ImageSpecReader.Overrides(null, "a.B", null, null, "tar"), files(null), log));
    assertTrue(e.getMessage().contains("<format> / -Decs.pushImage.format"), e.getMessage());
  }

  @Test
  void anExtraDirectoryPathWithoutADirectoryIsAUserError() throws Exception {
    Xpp3Dom jib = xml("<container><mainClass>a.B</mainClass></container>"
        + "<extraDirectories><paths><path><into>/etc</into></path></paths></extraDirectories>");
    UserInputException e = assertThrows(UserInputException.class,
        () -> ImageSpecReader.read(jib, ImageSpecReader.Overrides.none(), files(null), log));
    assertTrue(e.getMessage().contains("<extraDirectories><paths><path> has no directory"), e.getMessage());
  }

  // ---- from the Maven project ----

  @Test
  void executionConfigurationWinsOverPluginConfiguration() throws Exception {
    Plugin jib = plugin("com.google.cloud.tools", "jib-maven-plugin", xml("""
        <from><image>eclipse-temurin:17-jre</image></from>
        <container><mainClass>a.B</mainClass><user>nobody</user></container>"""));
    jib.addExecution(execution("build", xml("<from><image>scratch</image></from>"
        + "<container><user>1000</user></container>")));
    jib.addExecution(execution("dockerBuild", xml("<from><image>ignored:1</image></from>")));
    MavenProject project = project();
    project.getBuild().addPlugin(jib);

    ImageSpec spec = ImageSpecReader.read(ImageSpecReader.jibConfiguration(project),
        ImageSpecReader.Overrides.none(), files(null), log);

    assertEquals("scratch", spec.baseImage(), "the build execution's image");
    assertEquals("1000", spec.user());
    assertEquals("a.B", spec.mainClass(), "plugin level kept where the execution says nothing");
  }

  @Test
  void jibConfigurationInPluginManagementCounts() throws Exception {
    MavenProject project = project();
    project.getBuild().setPluginManagement(new PluginManagement());
    project.getBuild().getPluginManagement().addPlugin(plugin("com.google.cloud.tools", "jib-maven-plugin",
        xml("<from><image>scratch</image></from>")));
    assertEquals("scratch", ImageSpecReader.jibConfiguration(project).getChild("from").getChild("image").getValue());
  }

  @Test
  void noJibPluginMeansNoConfiguration() {
    assertNull(ImageSpecReader.jibConfiguration(project()));
  }

  @Test
  void theJarPluginsManifestMainClassIsFound() throws Exception {
    MavenProject project = project();
    project.getBuild().addPlugin(plugin("org.apache.maven.plugins", "maven-jar-plugin",
        xml("<archive><manifest><mainClass>com.example.Main</mainClass></manifest></archive>")));
    assertEquals("com.example.Main", ImageSpecReader.jarMainClass(project));
  }

  @Test
  void dependenciesAreSplitIntoReleasesAndSnapshots() throws Exception {
    MavenProject project = project();
    Artifact release = artifact("lib", "1.0", "lib-1.0.jar");
    Artifact snapshot = artifact("snap", "2.0-SNAPSHOT", "snap-2.0-SNAPSHOT.jar");
    Artifact unresolved = new DefaultArtifact("g", "none", "1.0", "runtime", "jar", null,
        new DefaultArtifactHandler("jar"));

    ImageSpecReader.ProjectFiles files =
        ImageSpecReader.files(project, dir, Set.of(release, snapshot, unresolved));

    assertEquals(List.of(release.getFile().toPath()), files.dependencies());
    assertEquals(List.of(snapshot.getFile().toPath()), files.snapshotDependencies());
    assertEquals(dir.resolve("target/classes"), files.outputDirectory());
  }

  private Artifact artifact(String id, String version, String file) throws Exception {
    Artifact artifact = new DefaultArtifact("g", id, version, "runtime", "jar", null,
        new DefaultArtifactHandler("jar"));
    File jar = Files.writeString(dir.resolve(file), "jar").toFile();
    artifact.setFile(jar);
    return artifact;
  }

  private MavenProject project() {
    MavenProject project = new MavenProject();
    project.getModel().setBuild(new Build());
    project.getBuild().setOutputDirectory(dir.resolve("target/classes").toString());
    return project;
  }

  private static Plugin plugin(String groupId, String artifactId, Xpp3Dom configuration) {
    Plugin plugin = new Plugin();
    plugin.setGroupId(groupId);
    plugin.setArtifactId(artifactId);
    plugin.setConfiguration(configuration);
    return plugin;
  }

  private static PluginExecution execution(String goal, Xpp3Dom configuration) {
    PluginExecution execution = new PluginExecution();
    execution.setId("jib-" + goal);
    execution.addGoal(goal);
    execution.setConfiguration(configuration);
    return execution;
  }
}
