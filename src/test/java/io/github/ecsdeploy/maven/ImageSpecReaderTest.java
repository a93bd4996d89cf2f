package io.github.ecsdeploy.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

    assertEquals("public.ecr.aws/docker/library/eclipse-temurin:17-jre", spec.baseImage(),
        "Jib's default for Java 17, from ECR Public");
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
  void noMainClassAnywhereLeavesItToTheClassScan() {
    ImageSpec spec = ImageSpecReader.read(null, ImageSpecReader.Overrides.none(), files(null), log);
    assertNull(spec.mainClass(), "found later among the compiled classes, as Jib does");
    assertEquals(List.of(), warnings);
  }

  @Test
  void anUnresolvedStartClassFromTheJarPluginIsNotAMainClass() {
    // spring-boot-starter-parent sets maven-jar-plugin's manifest mainClass to ${start-class}; a project that
    // does not define start-class leaves the expression unresolved.
    ImageSpec spec = ImageSpecReader.read(null, ImageSpecReader.Overrides.none(), files("${start-class}"), log);
    assertNull(spec.mainClass());
    assertEquals(1, warnings.size(), warnings.toString());
    assertTrue(warnings.get(0).contains("'mainClass' configured in maven-jar-plugin is not a valid Java class: "
        + "${start-class}"), warnings.get(0));
  }

  @Test
  void aConfiguredMainClassThatIsNoClassNameIsAUserError() throws Exception {
    UserInputException e = assertThrows(UserInputException.class, () -> ImageSpecReader.read(
        xml("<container><mainClass>${start-class}</mainClass></container>"), ImageSpecReader.Overrides.none(),
        files(null), log));
    assertTrue(e.getMessage().contains("'${start-class}' is not a valid Java class name"), e.getMessage());
    assertTrue(ImageSpecReader.isJavaClassName("com.example.App"));
    assertTrue(ImageSpecReader.isJavaClassName("App$Inner"));
    assertFalse(ImageSpecReader.isJavaClassName("com.example."));
    assertFalse(ImageSpecReader.isJavaClassName("com.class.App"));
  }

  @Test
  void jibPropertiesWinOverThePomAndPushImageParametersOverBoth() throws Exception {
    Xpp3Dom jib = xml("""
        <from><image>eclipse-temurin:21-jre</image></from>
        <container>
          <mainClass>com.example.Pom</mainClass>
          <jvmFlags><jvmFlag>-Xmx256m</jvmFlag></jvmFlags>
          <environment><MODE>pom</MODE></environment>
          <ports><port>8080</port></ports>
        </container>""");
    Map<String, String> properties = Map.of(
        "jib.from.image", "scratch",
        "jib.container.mainClass", "com.example.Property",
        "jib.container.jvmFlags", "-Xms64m,-Dlist=a\\,b",
        "jib.container.environment", "MODE=property,EXTRA=1",
        "jib.from.platforms", "linux/arm64",
        "jib.containerizingMode", "exploded");
    ImageSpec spec = ImageSpecReader.read(jib, properties::get, ImageSpecReader.Overrides.none(), files(null), log);
    assertEquals("scratch", spec.baseImage());
    assertEquals("com.example.Property", spec.mainClass());
    assertEquals(List.of("-Xms64m", "-Dlist=a,b"), spec.jvmFlags(), "an escaped comma stays in the item");
    assertEquals(Map.of("MODE", "property", "EXTRA", "1"), spec.environment());
    assertEquals(new ImageSpec.Platform("linux", "arm64"), spec.platform());
    assertEquals(List.of(new ImageSpec.Port(8080, false)), spec.ports(), "no property: the POM's value");

    ImageSpec overridden = ImageSpecReader.read(jib, properties::get,
        new ImageSpecReader.Overrides("base:1", "com.example.Ecs", List.of(), List.of(), null), files(null), log);
    assertEquals("base:1", overridden.baseImage());
    assertEquals("com.example.Ecs", overridden.mainClass());
  }

  @Test
  void theDefaultBaseImageFollowsTheJavaVersionAsJibChoosesIt() {
    assertEquals("public.ecr.aws/docker/library/eclipse-temurin:8-jre", ImageSpecReader.defaultBaseImage(6));
    assertEquals("public.ecr.aws/docker/library/eclipse-temurin:11-jre", ImageSpecReader.defaultBaseImage(11));
    assertEquals("public.ecr.aws/docker/library/eclipse-temurin:17-jre", ImageSpecReader.defaultBaseImage(16));
    assertEquals("public.ecr.aws/docker/library/eclipse-temurin:21-jre", ImageSpecReader.defaultBaseImage(21));
    assertEquals("public.ecr.aws/docker/library/eclipse-temurin:25-jre", ImageSpecReader.defaultBaseImage(25));
  }

  @Test
  void warPackagingIsRefusedNamingTheAlternative() {
    ImageSpecReader.ProjectFiles war = new ImageSpecReader.ProjectFiles(dir, dir.resolve("target/classes"),
        List.of(), List.of(), List.of(), null, "war", null, 17);
    UserInputException e = assertThrows(UserInputException.class,
        () -> ImageSpecReader.read(null, ImageSpecReader.Overrides.none(), war, log));
    assertTrue(e.getMessage().contains("packaging 'war'"), e.getMessage());
    assertTrue(e.getMessage().contains("mvn jib:build"), e.getMessage());
  }

  @Test
  void packagedModeUsesTheProjectsJar() throws Exception {
    Path jar = Files.writeString(dir.resolve("app-1.0.jar"), "jar");
    ImageSpecReader.ProjectFiles packaged = new ImageSpecReader.ProjectFiles(dir, dir.resolve("target/classes"),
        List.of(), List.of(), List.of(), "a.B", "jar", jar, 17);
    ImageSpec spec = ImageSpecReader.read(xml("<containerizingMode>packaged</containerizingMode>"),
        ImageSpecReader.Overrides.none(), packaged, log);
    assertEquals(ImageSpec.ContainerizingMode.PACKAGED, spec.containerizingMode());
    assertEquals(jar, spec.jar());

    UserInputException noJar = assertThrows(UserInputException.class, () -> ImageSpecReader.read(
        xml("<containerizingMode>packaged</containerizingMode>"), ImageSpecReader.Overrides.none(), files("a.B"),
        log));
    assertTrue(noJar.getMessage().contains("after package"), noJar.getMessage());
    UserInputException bad = assertThrows(UserInputException.class, () -> ImageSpecReader.read(
        xml("<containerizingMode>zipped</containerizingMode>"), ImageSpecReader.Overrides.none(), files("a.B"),
        log));
    assertTrue(bad.getMessage().contains("'zipped' is not a containerizing mode"), bad.getMessage());
  }

  @Test
  void extraDirectoryPermissionsAreRead() throws Exception {
    ImageSpec spec = ImageSpecReader.read(xml("""
        <extraDirectories><permissions>
          <permission><file>/app/bin/*</file><mode>755</mode></permission>
          <permission><file>/etc/app.conf</file><mode>600</mode></permission>
        </permissions></extraDirectories>"""), ImageSpecReader.Overrides.none(), files("a.B"), log);
    assertEquals(Map.of("/app/bin/*", "755", "/etc/app.conf", "600"), spec.extraPermissions());
    assertEquals(List.of(), warnings);
    UserInputException bad = assertThrows(UserInputException.class, () -> ImageSpecReader.read(xml(
        "<extraDirectories><permissions><permission><file>/x</file><mode>rwx</mode></permission></permissions>"
            + "</extraDirectories>"), ImageSpecReader.Overrides.none(), files("a.B"), log));
    assertTrue(bad.getMessage().contains("'rwx'"), bad.getMessage());
  }

  @Test
  void everyElementPushImageDoesNotHonourGetsOneWarningNamingIt() throws Exception {
    ImageSpecReader.read(xml("""
        <pluginExtensions><pluginExtension><implementation>x.Y</implementation></pluginExtension></pluginExtensions>
        <skaffold><watch><buildIncludes/></watch></skaffold>
        <dockerClient><executable>/usr/bin/docker</executable></dockerClient>
        <outputPaths><digest>target/d</digest></outputPaths>
        <container><mainClass>a.B</mainClass><expandClasspathDependencies>true</expandClasspathDependencies></container>
        """), ImageSpecReader.Overrides.none(), files(null), log);
    assertEquals(List.of(
        "jib-maven-plugin <pluginExtensions> is not supported by push-image and is ignored.",
        "jib-maven-plugin <skaffold> is not supported by push-image and is ignored.",
        "jib-maven-plugin <dockerClient> is not supported by push-image and is ignored.",
        "jib-maven-plugin <container><expandClasspathDependencies> is not supported by push-image and is ignored."),
        warnings, "<outputPaths> is jib:build's output, ignored without a word");
  }

  @Test
  void theProjectsJarIsWhereJibLooksForIt() throws Exception {
    assertEquals(dir.resolve("target/shop-1.0.jar"), ImageSpecReader.jarArtifact(built(), dir));

    MavenProject classified = built();
    Plugin jar = plugin("org.apache.maven.plugins", "maven-jar-plugin", null);
    PluginExecution defaultJar = new PluginExecution();
    defaultJar.setId("default-jar");
    defaultJar.setConfiguration(xml("<classifier>app</classifier>"));
    jar.addExecution(defaultJar);
    classified.getBuild().addPlugin(jar);
    assertEquals(dir.resolve("target/shop-1.0-app.jar"), ImageSpecReader.jarArtifact(classified, dir));

    MavenProject repackaged = built();
    Plugin boot = plugin("org.springframework.boot", "spring-boot-maven-plugin", null);
    boot.addExecution(execution("repackage", null));
    repackaged.getBuild().addPlugin(boot);
    assertEquals(dir.resolve("target/shop-1.0.jar.original"), ImageSpecReader.jarArtifact(repackaged, dir),
        "Spring Boot replaced the jar with the fat jar and kept the original");
  }

  private MavenProject built() {
    MavenProject project = project();
    project.getBuild().setDirectory(dir.resolve("target").toString());
    project.getBuild().setFinalName("shop-1.0");
    return project;
  }

  @Test
  void theJavaVersionIsReadAsJibReadsIt() {
    MavenProject project = project();
    assertEquals(6, ImageSpecReader.javaVersion(project), "maven-compiler-plugin's old default");
    project.getProperties().setProperty("maven.compiler.release", "21");
    assertEquals(21, ImageSpecReader.javaVersion(project));
    project.getProperties().setProperty("maven.compiler.target", "1.8");
    assertEquals(8, ImageSpecReader.javaVersion(project), "target before release, as Jib reads them");
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
          <expandClasspathDependencies>true</expandClasspathDependencies>
        </container>""");
    ImageSpec spec = ImageSpecReader.read(jib, ImageSpecReader.Overrides.none(), files(null), log);

    assertEquals("a.B", spec.mainClass());
    assertEquals(3, warnings.size(), warnings.toString());
    assertTrue(warnings.get(0).contains("<to><image> and <to><tags> are ignored"), warnings.get(0));
    assertTrue(warnings.get(0).contains("<repository> / -Decs.repository"), warnings.get(0));
    assertTrue(warnings.get(1).contains("<creationTime>USE_CURRENT_TIMESTAMP</creationTime> is ignored"),
        warnings.get(1));
    assertTrue(warnings.get(2).contains("<container><expandClasspathDependencies> is not supported"),
        warnings.get(2));
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
