package io.github.ecsdeploy.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The rules of an image spec, as jib-maven-plugin applies them to its configuration: ports as Docker writes them,
 * {@code os/architecture} platforms, absolute Unix paths inside the image, Jib's defaults, and a spec that cannot
 * change after it was built. The image's Env and labels keep the order the configuration gives them: the order
 * is part of the image config, so another order is another digest than {@code mvn jib:build}'s.
 */
class ImageSpecTest {

  private static ImageSpec.Builder minimal() {
    return ImageSpec.builder().baseImage("scratch").mainClass("com.example.App");
  }

  @Test
  void environmentAndLabelsKeepTheirConfiguredOrder() {
    Map<String, String> given = new LinkedHashMap<>();
    for (int i = 20; i > 0; i--) {
      given.put("VAR_" + (char) ('A' + i), "v" + i);
    }
    ImageSpec spec = minimal().environment(given).labels(given).build();

    List<String> expected = new ArrayList<>(given.keySet());
    assertEquals(expected, new ArrayList<>(spec.environment().keySet()));
    assertEquals(expected, new ArrayList<>(spec.labels().keySet()));
  }

  @Test
  void theBuilderStartsFromJibsDefaults() {
    ImageSpec spec = ImageSpec.builder().build();
    assertEquals(ImageSpec.Format.DOCKER, spec.format());
    assertEquals("/app", spec.appRoot());
    assertEquals(17, spec.javaVersion());
    assertEquals(ImageSpec.ContainerizingMode.EXPLODED, spec.containerizingMode());
    assertEquals(ImageSpec.BaseImageAuth.none(), spec.baseImageAuth());
    assertEquals(null, spec.baseImage());
    assertEquals(null, spec.platform());
    assertTrue(spec.entrypoint().isEmpty() && spec.jvmFlags().isEmpty() && spec.ports().isEmpty()
        && spec.volumes().isEmpty() && spec.extraClasspath().isEmpty() && spec.extraPermissions().isEmpty());
  }

  @Test
  void everyBuilderSettingReachesTheSpec() {
    Path jar = Path.of("target/app.jar");
    ImageSpec.BaseImageAuth auth = new ImageSpec.BaseImageAuth(null, null, "ecr-login", null, null);
    ImageSpec spec = ImageSpec.builder().baseImage("eclipse-temurin:21-jre")
        .platform(ImageSpec.Platform.parse("linux/arm64")).format(ImageSpec.Format.OCI).appRoot("/srv")
        .mainClass("com.example.Main").entrypoint(List.of("/bin/run")).programArguments(List.of("--serve"))
        .jvmFlags(List.of("-Xmx1g")).dependencies(List.of(Path.of("a.jar")))
        .snapshotDependencies(List.of(Path.of("b-SNAPSHOT.jar"))).resourcesDirectory(Path.of("res"))
        .classesDirectory(Path.of("classes")).extraDirectory(Path.of("extra"), "/opt")
        .ports(ImageSpec.Port.parse("53/udp")).environment(Map.of("MODE", "prod")).labels(Map.of("team", "a"))
        .user("1000").workingDirectory("/work").extraClasspath(List.of("/opt/extra/*")).volumes(List.of("/data"))
        .projectDependencies(List.of(Path.of("lib.jar"))).containerizingMode(ImageSpec.ContainerizingMode.PACKAGED)
        .jar(jar).extraPermissions(Map.of("/opt/run", "755")).javaVersion(21).baseImageAuth(auth).build();

    assertEquals("eclipse-temurin:21-jre", spec.baseImage());
    assertEquals(new ImageSpec.Platform("linux", "arm64"), spec.platform());
    assertEquals(ImageSpec.Format.OCI, spec.format());
    assertEquals("/srv", spec.appRoot());
    assertEquals("com.example.Main", spec.mainClass());
    assertEquals(List.of("/bin/run"), spec.entrypoint());
    assertEquals(List.of("--serve"), spec.programArguments());
    assertEquals(List.of("-Xmx1g"), spec.jvmFlags());
    assertEquals(List.of(Path.of("a.jar")), spec.dependencies());
    assertEquals(List.of(Path.of("b-SNAPSHOT.jar")), spec.snapshotDependencies());
    assertEquals(Path.of("res"), spec.resourcesDirectory());
    assertEquals(Path.of("classes"), spec.classesDirectory());
    assertEquals(List.of(new ImageSpec.ExtraDirectory(Path.of("extra"), "/opt")), spec.extraDirectories());
    assertEquals(List.of(new ImageSpec.Port(53, true)), spec.ports());
    assertEquals(Map.of("MODE", "prod"), spec.environment());
    assertEquals(Map.of("team", "a"), spec.labels());
    assertEquals("1000", spec.user());
    assertEquals("/work", spec.workingDirectory());
    assertEquals(List.of("/opt/extra/*"), spec.extraClasspath());
    assertEquals(List.of("/data"), spec.volumes());
    assertEquals(List.of(Path.of("lib.jar")), spec.projectDependencies());
    assertEquals(ImageSpec.ContainerizingMode.PACKAGED, spec.containerizingMode());
    assertEquals(jar, spec.jar());
    assertEquals(Map.of("/opt/run", "755"), spec.extraPermissions());
    assertEquals(21, spec.javaVersion());
    assertSame(auth, spec.baseImageAuth());
  }

  @Test
  void aBuiltSpecCannotBeChangedThroughTheCollectionsItWasGiven() {
    List<String> flags = new ArrayList<>(List.of("-Xmx1g"));
    Map<String, String> env = new LinkedHashMap<>(Map.of("A", "1"));
    ImageSpec spec = minimal().jvmFlags(flags).environment(env).build();
    flags.add("-Xss1m");
    env.put("B", "2");

    assertEquals(List.of("-Xmx1g"), spec.jvmFlags());
    assertEquals(Map.of("A", "1"), spec.environment());
    assertThrows(UnsupportedOperationException.class, () -> spec.jvmFlags().add("-X"));
    assertThrows(UnsupportedOperationException.class, () -> spec.environment().put("C", "3"));
    assertThrows(UnsupportedOperationException.class, () -> spec.labels().put("C", "3"));
    assertThrows(UnsupportedOperationException.class, () -> spec.extraPermissions().put("/x", "700"));
  }

  @Test
  void withMainClassAndWithBaseImageAuthChangeThatOneSettingOnly() {
    ImageSpec spec = minimal().platform(ImageSpec.Platform.parse("linux/arm64")).format(ImageSpec.Format.OCI)
        .appRoot("/srv").jvmFlags(List.of("-Xmx1g")).ports(ImageSpec.Port.parse("8080"))
        .environment(Map.of("A", "1")).user("app").workingDirectory("/srv").volumes(List.of("/data"))
        .javaVersion(21).build();
    ImageSpec.BaseImageAuth auth = new ImageSpec.BaseImageAuth(null, null, "ecr-login", null, null);

    ImageSpec other = spec.withMainClass("com.example.Other");
    assertEquals("com.example.Other", other.mainClass());
    assertEquals(spec, other.withMainClass("com.example.App"), "every other setting is kept");

    ImageSpec authed = spec.withBaseImageAuth(auth);
    assertSame(auth, authed.baseImageAuth());
    assertEquals(spec, authed.withBaseImageAuth(ImageSpec.BaseImageAuth.none()), "every other setting is kept");
  }

  @Test
  void noBaseImageAuthMeansDockersConfigurationOnly() {
    ImageSpec spec = minimal().baseImageAuth(null).build();
    assertEquals(ImageSpec.BaseImageAuth.none(), spec.baseImageAuth());
    assertEquals(new ImageSpec.BaseImageAuth(null, null, null, null, null), ImageSpec.BaseImageAuth.none());
  }

  @Test
  void pathsInTheImageMustBeAbsoluteUnixPaths() {
    assertTrue(ImageSpec.isAbsoluteUnixPath("/app"));
    assertFalse(ImageSpec.isAbsoluteUnixPath("app"));
    assertFalse(ImageSpec.isAbsoluteUnixPath("/app\\lib"));
    assertFalse(ImageSpec.isAbsoluteUnixPath("C:\\app"));
    assertFalse(ImageSpec.isAbsoluteUnixPath(null));

    assertEquals("appRoot 'app' is not an absolute Unix path",
        assertThrows(IllegalArgumentException.class, () -> minimal().appRoot("app").build()).getMessage());
    assertEquals("workingDirectory 'work' is not an absolute Unix path",
        assertThrows(IllegalArgumentException.class, () -> minimal().workingDirectory("work").build()).getMessage());
    assertEquals("extraDirectories 'opt' is not an absolute Unix path", assertThrows(IllegalArgumentException.class,
        () -> minimal().extraDirectory(Path.of("extra"), "opt").build()).getMessage());
    assertEquals("volumes 'data' is not an absolute Unix path", assertThrows(IllegalArgumentException.class,
        () -> minimal().volumes(List.of("/logs", "data")).build()).getMessage());
    assertEquals(null, minimal().workingDirectory(null).build().workingDirectory(), "no working directory is fine");
  }

  @Test
  void thePackagedModeNeedsTheProjectsJar() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> minimal().containerizingMode(ImageSpec.ContainerizingMode.PACKAGED).build());
    assertEquals("the packaged containerizing mode needs the project's jar", e.getMessage());
    assertEquals(null, minimal().containerizingMode(ImageSpec.ContainerizingMode.EXPLODED).build().jar());
  }

  @Test
  void portsAreReadAsDockerWritesThem() {
    assertEquals(List.of(new ImageSpec.Port(8080, false)), ImageSpec.Port.parse("8080"));
    assertEquals(List.of(new ImageSpec.Port(8080, false)), ImageSpec.Port.parse(" 8080/tcp "));
    assertEquals(List.of(new ImageSpec.Port(53, true)), ImageSpec.Port.parse("53/udp"));
    assertEquals(List.of(new ImageSpec.Port(9000, false), new ImageSpec.Port(9001, false),
        new ImageSpec.Port(9002, false)), ImageSpec.Port.parse("9000-9002"));
    assertEquals(List.of(new ImageSpec.Port(7000, true), new ImageSpec.Port(7001, true)),
        ImageSpec.Port.parse("7000-7001/udp"));
    assertEquals(List.of(new ImageSpec.Port(1, false)), ImageSpec.Port.parse("1"));
    assertEquals(List.of(new ImageSpec.Port(65535, false)), ImageSpec.Port.parse("65535"));
    assertEquals(List.of(new ImageSpec.Port(5, false)), ImageSpec.Port.parse("5-5"));
    assertEquals("8080/tcp", new ImageSpec.Port(8080, false).toString());
    assertEquals("53/udp", new ImageSpec.Port(53, true).toString());
  }

  @Test
  void portsOutsideOneTo65535OrNotWrittenAsDockerDoesAreRefused() {
    for (String bad : new String[] {"0", "65536", "0-2", "65535-65536", "9002-9000", "0/udp"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ImageSpec.Port.parse(bad));
      assertEquals("'" + bad + "' is out of range 1-65535", e.getMessage());
    }
    for (String bad : new String[] {"http", "8080/sctp", "-1", "80,443", "", "8080-"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ImageSpec.Port.parse(bad));
      assertEquals("'" + bad + "' is not a number, a range like 9000-9002, or either with /tcp or /udp",
          e.getMessage());
    }
    assertThrows(IllegalArgumentException.class, () -> ImageSpec.Port.parse(null));
    assertEquals("port 0 is out of range 1-65535",
        assertThrows(IllegalArgumentException.class, () -> new ImageSpec.Port(0, false)).getMessage());
    assertEquals("port 65536 is out of range 1-65535",
        assertThrows(IllegalArgumentException.class, () -> new ImageSpec.Port(65536, true)).getMessage());
  }

  @Test
  void aPlatformIsAnOsAndAnArchitecture() {
    assertEquals(new ImageSpec.Platform("linux", "arm64"), ImageSpec.Platform.parse(" linux/arm64 "));
    assertEquals("linux/amd64", ImageSpec.Platform.parse("linux/amd64").toString());
    for (String bad : new String[] {"linux", "linux/", "/arm64", " /arm64", "linux/ ", "linux/arm64/v8", ""}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> ImageSpec.Platform.parse(bad));
      assertEquals("'" + bad + "' is not os/architecture (e.g. linux/arm64)", e.getMessage());
    }
    assertThrows(IllegalArgumentException.class, () -> ImageSpec.Platform.parse(null));
    for (String[] parts : new String[][] {{null, "arm64"}, {" ", "arm64"}, {"linux", null}, {"linux", ""}}) {
      assertEquals("a platform needs an os and an architecture", assertThrows(IllegalArgumentException.class,
          () -> new ImageSpec.Platform(parts[0], parts[1])).getMessage());
    }
  }
}
