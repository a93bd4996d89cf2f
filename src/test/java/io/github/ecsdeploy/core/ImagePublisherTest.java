package io.github.ecsdeploy.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ecsdeploy.aws.EcrRegistryLogin;
import io.github.ecsdeploy.jib.JibImageBuilder;
import io.github.ecsdeploy.standin.RequestLog;
import io.github.ecsdeploy.standin.StandInClients;
import io.github.ecsdeploy.standin.StandInExtension;
import io.github.ecsdeploy.standin.registry.RegistryHandler;
import io.github.ecsdeploy.testing.RecordingDeployLog;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.StreamSupport;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.DescribeImagesRequest;
import software.amazon.awssdk.services.ecr.model.ImageDetail;
import software.amazon.awssdk.services.ecr.model.ImageIdentifier;
import software.amazon.awssdk.services.ecr.model.ImageNotFoundException;

/**
 * {@link ImagePublisher} with real Jib against the stand-in's ECR and registry: what is pushed, what is
 * uploaded (bytes from the stand-in's request log), what is refused, and that no secret reaches a log line or
 * an exception message. Base images are {@code scratch} or pushed to the stand-in by the test: no internet.
 */
class ImagePublisherTest {

  @RegisterExtension static final StandInExtension STAND_IN = new StandInExtension();

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path temp;

  private EcrClient ecr;
  private EcrRegistryLogin.Login login;
  private final RecordingDeployLog log = new RecordingDeployLog();
  private final List<Throwable> thrown = new ArrayList<>();
  private Path project;
  private Path dependencyJar;
  private int workDirs;

  @BeforeEach
  void setUp() throws IOException {
    ecr = StandInClients.ecr(STAND_IN.get());
    login = EcrRegistryLogin.login(ecr, null);
    project = temp.resolve("project");
    dependencyJar = project.resolve("libs/big-lib-1.0.jar");
    Files.createDirectories(dependencyJar.getParent());
    byte[] random = new byte[200_000];
    new Random(7).nextBytes(random);
    Files.write(dependencyJar, random);
    Path resources = project.resolve("target/classes");
    Files.createDirectories(resources);
    Files.writeString(resources.resolve("application.properties"), "greeting=hello\n");
    compileApp("1");
  }

  @AfterEach
  void noSecretAnywhere() {
    ecr.close();
    String password = STAND_IN.get().ecr().registryPassword();
    String token = Base64.getEncoder().encodeToString(("AWS:" + password).getBytes(StandardCharsets.UTF_8));
    for (String line : log.lines) {
      assertFalse(line.contains(password), "password in log line: " + line);
      assertFalse(line.contains(token), "token in log line: " + line);
    }
    for (Throwable t : thrown) {
      for (Throwable c = t; c != null; c = c.getCause()) {
        assertFalse(String.valueOf(c.getMessage()).contains(password), "password in " + c);
        assertFalse(c.toString().contains(password), "password in " + c);
        assertFalse(String.valueOf(c.getMessage()).contains("wrong-password-123"), "wrong password in " + c);
      }
    }
  }

  // ---- pushing ----

  @Test
  void firstPushIsWhatDescribeImagesShows() throws Exception {
    repository("first-app", true);
    PublishedImage published = publish("first-app", "v1.0.0", spec().jvmFlags(List.of("-Xmx256m"))
        .ports(ImageSpec.Port.parse("8080")).environment(Map.of("APP_MODE", "prod")).build());

    assertTrue(published.pushed());
    assertEquals(login.registry() + "/first-app:v1.0.0", published.image());
    ImageDetail detail = ecr.describeImages(DescribeImagesRequest.builder().repositoryName("first-app")
        .imageIds(ImageIdentifier.builder().imageTag("v1.0.0").build()).build()).imageDetails().get(0);
    assertEquals(published.digest(), detail.imageDigest());
    assertEquals(List.of("v1.0.0"), detail.imageTags(), "only the release tag, no latest");
    assertEquals(1, STAND_IN.get().ecr().images("first-app").size());

    JsonNode manifest = manifest("first-app", "v1.0.0");
    assertEquals(RegistryHandler.DOCKER_MANIFEST, manifest.path("mediaType").asText());
    assertEquals(4, manifest.path("layers").size(),
        "dependencies, resources, classes, JVM argument files (as jib-maven-plugin): " + manifest);
    long size = manifestBytes("first-app", "v1.0.0").length
        + manifest.path("config").path("size").asLong();
    for (JsonNode layer : manifest.path("layers")) {
      size += layer.path("size").asLong();
    }
    assertEquals(size, detail.imageSizeInBytes());

    JsonNode config = config("first-app", manifest);
    List<String> entrypoint = List.of(JSON.treeToValue(config.path("config").path("Entrypoint"), String[].class));
    assertEquals(List.of("java", "-Xmx256m", "-cp", "@/app/jib-classpath-file", "com.example.App"), entrypoint,
        "jib-maven-plugin's entrypoint for Java 9+");
    String argFiles = manifest.path("layers").get(3).path("digest").asText();
    assertEquals(Map.of("app/jib-classpath-file", "/app/resources:/app/classes:/app/libs/big-lib-1.0.jar",
        "app/jib-main-class-file", "com.example.App"), tarFiles(blob("first-app", argFiles)));
    assertTrue(config.path("config").path("ExposedPorts").has("8080/tcp"), config.toString());
    assertTrue(config.path("config").path("Env").toString().contains("APP_MODE=prod"), config.toString());
    assertTrue(log.joined().contains("Pushed " + published.image() + " with digest " + published.digest()),
        log.joined());
  }

  @Test
  void everyPartOfTheSpecReachesTheImage() throws Exception {
    repository("spec-app", true);
    Path extra = temp.resolve("src/main/jib/etc/app");
    Files.createDirectories(extra);
    Files.writeString(extra.resolve("app.conf"), "mode=prod\n");
    ImageSpec spec = spec()
        .platform(ImageSpec.Platform.parse("linux/arm64"))
        .extraDirectory(temp.resolve("src/main/jib"), "/")
        .ports(ports("8080", "9000-9001/udp"))
        .labels(Map.of("team", "payments"))
        .user("1000")
        .workingDirectory("/srv")
        .programArguments(List.of("--serve"))
        .build();
    publish("spec-app", "v1.0.0", spec);

    JsonNode manifest = manifest("spec-app", "v1.0.0");
    assertEquals(5, manifest.path("layers").size(),
        "dependencies, resources, classes, JVM argument files, extra files");
    String extraLayer = manifest.path("layers").get(4).path("digest").asText();
    assertEquals(List.of("etc/", "etc/app/", "etc/app/app.conf"), tarEntries(blob("spec-app", extraLayer)));
    JsonNode config = config("spec-app", manifest);
    assertEquals("arm64", config.path("architecture").asText());
    assertEquals("linux", config.path("os").asText());
    JsonNode container = config.path("config");
    assertEquals(Set.of("8080/tcp", "9000/udp", "9001/udp"), fieldNames(container.path("ExposedPorts")));
    assertEquals("payments", container.path("Labels").path("team").asText());
    assertEquals("1000", container.path("User").asText());
    assertEquals("/srv", container.path("WorkingDir").asText());
    assertEquals("[\"--serve\"]", container.path("Cmd").toString());
    assertEquals("1970-01-01T00:00:00Z", config.path("created").asText(), "a fixed creation time");
  }

  @Test
  void packagedModePutsTheJarOnTheClasspathAndPermissionsApplyToExtraFiles() throws Exception {
    repository("packaged-app", true);
    Path jar = project.resolve("target/app-1.0.jar");
    Files.write(jar, new byte[] {'P', 'K', 3, 4});
    Path extra = temp.resolve("extra/bin");
    Files.createDirectories(extra);
    Files.writeString(extra.resolve("start.sh"), "#!/bin/sh\n");
    Files.writeString(extra.resolve("notes.txt"), "notes\n");
    publish("packaged-app", "v1.0.0", spec()
        .containerizingMode(ImageSpec.ContainerizingMode.PACKAGED).jar(jar)
        .extraDirectory(temp.resolve("extra"), "/opt")
        .extraPermissions(Map.of("/opt/bin/*.sh", "755"))
        .build());

    JsonNode manifest = manifest("packaged-app", "v1.0.0");
    List<List<String>> layers = new ArrayList<>();
    for (JsonNode layer : manifest.path("layers")) {
      layers.add(tarEntries(blob("packaged-app", layer.path("digest").asText())));
    }
    assertEquals(List.of(List.of("app/", "app/libs/", "app/libs/big-lib-1.0.jar"),
        List.of("app/", "app/classpath/", "app/classpath/app-1.0.jar"),
        List.of("app/", "app/jib-classpath-file", "app/jib-main-class-file"),
        List.of("opt/", "opt/bin/", "opt/bin/notes.txt", "opt/bin/start.sh")), layers,
        "no classes or resources layer: the jar instead");
    String argFiles = manifest.path("layers").get(2).path("digest").asText();
    assertEquals("/app/classpath/*:/app/libs/big-lib-1.0.jar",
        tarFiles(blob("packaged-app", argFiles)).get("app/jib-classpath-file"));
    Map<String, Integer> modes = tarModes(blob("packaged-app", manifest.path("layers").get(3).path("digest").asText()));
    assertEquals(0755, modes.get("opt/bin/start.sh"));
    assertEquals(0644, modes.get("opt/bin/notes.txt"), "no pattern matches: Jib's default");
    assertEquals(0755, modes.get("opt/bin/"));
  }

  @Test
  void secondReleaseThatChangesOnlyClassesUploadsOnlyTheClassesLayer() throws Exception {
    repository("layers-app", true);
    publish("layers-app", "v1.0.0", spec().build());
    JsonNode first = manifest("layers-app", "v1.0.0");

    compileApp("2");
    STAND_IN.get().requestLog().clear();
    PublishedImage second = publish("layers-app", "v1.1.0", spec().build());
    assertTrue(second.pushed());
    JsonNode next = manifest("layers-app", "v1.1.0");

    Set<String> before = layerDigests(first);
    List<JsonNode> changed = new ArrayList<>();
    for (JsonNode layer : next.path("layers")) {
      if (!before.contains(layer.path("digest").asText())) {
        changed.add(layer);
      }
    }
    assertEquals(1, changed.size(), "only the classes layer changes: " + next);
    long expected = changed.get(0).path("size").asLong() + next.path("config").path("size").asLong();
    assertEquals(expected, uploadedBlobBytes(), "bytes uploaded = new classes layer + new config");
    assertTrue(expected < 200_000 / 10, "the 200 kB dependency layer was not uploaded again");
  }

  @Test
  void reRunOfTheSameBuildUploadsNothingAndSaysAlreadyPresent() throws Exception {
    repository("rerun-app", true);
    PublishedImage first = publish("rerun-app", "v1.0.0", spec().build());

    // a fresh checkout of the same commit: other file times, no Jib cache
    try (var files = Files.walk(project)) {
      for (Path p : files.toList()) {
        Files.setLastModifiedTime(p, FileTime.from(Instant.parse("2030-01-01T00:00:00Z")));
      }
    }
    STAND_IN.get().requestLog().clear();
    log.lines.clear();
    PublishedImage again = publish("rerun-app", "v1.0.0", spec().build());

    assertFalse(again.pushed());
    assertEquals(first.digest(), again.digest());
    assertEquals(0, uploadedBlobBytes());
    assertEquals(List.of(), registryWrites(), "no upload and no manifest push");
    assertTrue(log.joined().contains("already present with digest " + first.digest()), log.joined());
  }

  @Test
  void aDifferentImageUnderAnExistingTagIsRefusedBeforeAnyUpload() throws Exception {
    repository("taken-app", false);
    PublishedImage first = publish("taken-app", "v1.0.0", spec().build());

    compileApp("changed");
    STAND_IN.get().requestLog().clear();
    UserInputException e = assertThrows(UserInputException.class,
        () -> publish("taken-app", "v1.0.0", spec().build()));
    thrown.add(e);

    assertTrue(e.getMessage().startsWith("Tag v1.0.0 already exists in taken-app with digest " + first.digest()
        + "; this build produced sha256:"), e.getMessage());
    assertTrue(e.getMessage().contains("bump the version"), e.getMessage());
    assertEquals(Param.TAG, e.param().orElseThrow());
    assertEquals(List.of(), registryWrites(), "refused before any upload, even in a MUTABLE repository");
    assertEquals(first.digest(), STAND_IN.get().ecr().findImage("taken-app", "v1.0.0").orElseThrow().digest());
  }

  @Test
  void anImmutableRefusalByTheRegistryBecomesTheSameClearMessage() throws Exception {
    repository("race-app", true);
    PublishedImage first = publish("race-app", "v1.0.0", spec().build());

    // another pipeline pushed v1.0.0 after our DescribeImages: the check sees nothing, the registry refuses
    compileApp("racing");
    ImagePublisher blind = new ImagePublisher(tagAlwaysMissing(ecr), jib(login.credentials()), log);
    UserInputException e = assertThrows(UserInputException.class, () -> blind.publish(
        new ImageTarget(login.registry(), "race-app", "v1.0.0"), spec().build()));
    thrown.add(e);

    assertTrue(e.getMessage().contains("Tag v1.0.0 already exists in race-app and the repository is IMMUTABLE"),
        e.getMessage());
    assertTrue(e.getMessage().contains("bump the version"), e.getMessage());
    assertEquals(first.digest(), STAND_IN.get().ecr().findImage("race-app", "v1.0.0").orElseThrow().digest());
  }

  @Test
  void losingTheRaceToAnIdenticalBuildIsAlreadyPresent() throws Exception {
    repository("twin-app", true);
    PublishedImage winner = publish("twin-app", "v1.0.0", spec().build());

    // the same commit built by a second pipeline, which checked ECR just before the first one pushed
    ImagePublisher twin = new ImagePublisher(tagMissingAtFirst(ecr), jib(login.credentials()), log);
    PublishedImage loser = twin.publish(new ImageTarget(login.registry(), "twin-app", "v1.0.0"), spec().build());

    assertEquals(winner.digest(), loser.digest());
    assertFalse(loser.pushed(), "ECR refused the re-tag: the loser pushed nothing under the tag");
    assertTrue(log.lines.stream().anyMatch(l -> l.contains("another build of the same commit pushed it first")),
        log.lines.toString());
    assertEquals(1, STAND_IN.get().ecr().images("twin-app").size());
  }

  @Test
  void losingTheRaceToADifferentBuildSaysToBumpTheVersion() throws Exception {
    repository("rival-app", true);
    PublishedImage first = publish("rival-app", "v1.0.0", spec().build());

    compileApp("rival");
    ImagePublisher rival = new ImagePublisher(tagMissingAtFirst(ecr), jib(login.credentials()), log);
    UserInputException e = assertThrows(UserInputException.class, () -> rival.publish(
        new ImageTarget(login.registry(), "rival-app", "v1.0.0"), spec().build()));
    thrown.add(e);

    assertTrue(e.getMessage().startsWith("Tag v1.0.0 already exists in rival-app with digest " + first.digest()),
        e.getMessage());
    assertTrue(e.getMessage().contains("Another build pushed it while this one ran."), e.getMessage());
    assertFalse(e.getMessage().contains("Nothing was uploaded"), "layers were uploaded before the refusal");
    assertEquals(first.digest(), STAND_IN.get().ecr().findImage("rival-app", "v1.0.0").orElseThrow().digest());
  }

  @Test
  void aRollbackHandsOnTheReleasedImageWithoutBuilding() throws Exception {
    repository("old-app", true);
    PublishedImage released = publish("old-app", "v1.0.0", spec().build());

    // the code moved on (as a moved base image would): a rebuild would not give the released digest
    compileApp("moved-on");
    STAND_IN.get().requestLog().clear();
    log.lines.clear();
    PublishedImage again = publisher().publish(
        new ImageTarget(login.registry(), "old-app", "v1.0.0"), spec().build(), true);

    assertEquals(released.digest(), again.digest());
    assertFalse(again.pushed());
    assertEquals(List.of(), registryWrites(), "nothing pushed");
    assertTrue(log.lines.stream().noneMatch(l -> l.contains("building locally")), log.lines.toString());
    assertTrue(log.lines.stream().anyMatch(l -> l.contains("is a rollback to a released version")),
        log.lines.toString());
  }

  @Test
  void ociFormatIsPushedAsOci() throws Exception {
    repository("oci-app", true);
    PublishedImage published = publish("oci-app", "v1.0.0", spec().format(ImageSpec.Format.OCI).build());
    ImageDetail detail = ecr.describeImages(b -> b.repositoryName("oci-app")).imageDetails().get(0);
    assertEquals(published.digest(), detail.imageDigest());
    assertEquals(RegistryHandler.OCI_MANIFEST, detail.imageManifestMediaType());
  }

  @Test
  void aBaseImageInTheSameRegistryIsPulledAndItsLayersMountedNotUploaded() throws Exception {
    repository("base-images", true);
    Path baseFiles = temp.resolve("base-files/opt/base");
    Files.createDirectories(baseFiles);
    byte[] baseBlob = new byte[100_000];
    new Random(11).nextBytes(baseBlob);
    Files.write(baseFiles.resolve("runtime.bin"), baseBlob);
    ImageSpec base = ImageSpec.builder().baseImage("scratch").entrypoint(List.of("/opt/base/run"))
        .extraDirectory(temp.resolve("base-files"), "/").build();
    PublishedImage baseImage = publish("base-images", "java-1", base);
    String baseLayer = manifest("base-images", "java-1").path("layers").get(0).path("digest").asText();

    repository("on-base-app", true);
    STAND_IN.get().requestLog().clear();
    PublishedImage app = publish("on-base-app", "v1.0.0", spec().baseImage(baseImage.image()).build());

    JsonNode manifest = manifest("on-base-app", "v1.0.0");
    assertEquals(baseLayer, manifest.path("layers").get(0).path("digest").asText(), "the base layer comes first");
    assertTrue(STAND_IN.get().registry().hasBlob("on-base-app", baseLayer));
    assertTrue(registryWrites().stream().anyMatch(e -> e.operation().equals("POST /v2/on-base-app/blobs/uploads")
        && e.status() == 201), "the base layer was mounted: " + registryWrites());
    long ownBytes = manifest.path("config").path("size").asLong();
    for (JsonNode layer : manifest.path("layers")) {
      if (!layer.path("digest").asText().equals(baseLayer)) {
        ownBytes += layer.path("size").asLong();
      }
    }
    assertEquals(ownBytes, uploadedBlobBytes(), "only the application's layers and config were uploaded");
    assertTrue(app.pushed());
  }

  @Test
  void aBaseImageInAnotherRegistryNeedsItsOwnCredentialsAndGetsThemFromTheSpec() throws Exception {
    // The stand-in under another name (localhost instead of 127.0.0.1) is, for Jib, another registry: the ECR
    // login of the target is not sent there, so its base image needs credentials of its own.
    repository("private-base", true);
    PublishedImage baseImage = publish("private-base", "java-1", ImageSpec.builder().baseImage("scratch")
        .entrypoint(List.of("/bin/true")).extraDirectory(project.resolve("target/classes"), "/base").build());
    String otherName = "localhost:" + STAND_IN.get().port() + "/private-base:java-1";
    repository("needs-auth-app", true);

    UserInputException refused = assertThrows(UserInputException.class,
        () -> publish("needs-auth-app", "v1.0.0", spec().baseImage(otherName).build()));
    assertTrue(refused.getMessage().startsWith("The registry of the base image localhost:" + STAND_IN.get().port()
        + "/private-base refused access (HTTP 401)"), refused.getMessage());
    assertTrue(refused.getMessage().contains("a settings.xml <server> whose id is the registry host"),
        refused.getMessage());

    log.lines.clear();
    ImageSpec.BaseImageAuth server = new ImageSpec.BaseImageAuth(null, null, null, login.credentials(),
        "Maven settings.xml <server> localhost");
    PublishedImage app = publish("needs-auth-app", "v1.0.0", spec().baseImage(otherName).baseImageAuth(server)
        .build());
    assertTrue(app.pushed());
    String baseLayer = manifest("private-base", "java-1").path("layers").get(0).path("digest").asText();
    assertEquals(baseLayer, manifest("needs-auth-app", "v1.0.0").path("layers").get(0).path("digest").asText());
    assertTrue(log.joined().contains("Maven settings.xml <server> localhost"),
        "Jib names where the credential came from: " + log.joined());
    assertFalse(baseImage.digest().isEmpty());
  }

  // ---- refusals ----

  @Test
  void aWrongOrMissingPasswordIsRefusedWithAClearMessage() throws Exception {
    repository("auth-app", true);
    for (String password : List.of("wrong-password-123", "")) {
      UserInputException e = assertThrows(UserInputException.class,
          () -> new ImagePublisher(ecr, jib(new RegistryCredentials("AWS", password)), log).publish(
              new ImageTarget(login.registry(), "auth-app", "v1.0.0"), spec().build()));
      thrown.add(e);
      assertTrue(e.getMessage().startsWith("The registry " + login.registry()
          + " refused the ECR credentials (HTTP 401) for auth-app"), e.getMessage());
      assertTrue(e.getMessage().contains(Param.REGISTRY.both()), e.getMessage());
    }
    assertTrue(STAND_IN.get().ecr().images("auth-app").isEmpty());
  }

  @Test
  void aMissingRepositorySaysHowToCreateIt() {
    UserInputException e = assertThrows(UserInputException.class,
        () -> publish("no-such-app", "v1.0.0", spec().build()));
    thrown.add(e);
    assertEquals(Param.REPOSITORY, e.param().orElseThrow());
    assertTrue(e.getMessage().contains("The ECR repository 'no-such-app' does not exist"), e.getMessage());
    assertTrue(e.getMessage().contains("aws ecr create-repository --repository-name no-such-app "
        + "--image-tag-mutability IMMUTABLE"), e.getMessage());
    assertTrue(e.getMessage().contains("<repository> / -Decs.repository"), e.getMessage());
  }

  @Test
  void theMainClassIsFoundWhenNotGiven() throws Exception {
    repository("find-main-app", true);
    publish("find-main-app", "v1.0.0", spec().mainClass(null).build());
    JsonNode config = config("find-main-app", manifest("find-main-app", "v1.0.0"));
    JsonNode entrypoint = config.path("config").path("Entrypoint");
    assertEquals("com.example.App", entrypoint.get(entrypoint.size() - 1).asText());
  }

  @Test
  void anInvalidTagNamesTheParameter() {
    repository("bad-spec-app", true);
    UserInputException tag = assertThrows(UserInputException.class,
        () -> publish("bad-spec-app", "v1.0.0+build", spec().build()));
    assertEquals(Param.TAG, tag.param().orElseThrow());
  }

  @Test
  void credentialsNeverPrintThePassword() {
    RegistryCredentials credentials = login.credentials();
    assertEquals("AWS", credentials.username());
    assertEquals(STAND_IN.get().ecr().registryPassword(), credentials.password());
    assertFalse(credentials.toString().contains(credentials.password()), credentials.toString());
    assertFalse(login.toString().contains(credentials.password()), login.toString());
  }

  // ---- helpers ----

  private ImageSpec.Builder spec() {
    return ImageSpec.builder()
        .baseImage("scratch")
        .mainClass("com.example.App")
        .dependencies(List.of(dependencyJar))
        .resourcesDirectory(project.resolve("target/classes"))
        .classesDirectory(project.resolve("target/classes"));
  }

  private PublishedImage publish(String repository, String tag, ImageSpec spec) {
    try {
      return publisher().publish(new ImageTarget(login.registry(), repository, tag), spec);
    } catch (RuntimeException e) {
      thrown.add(e);
      throw e;
    }
  }

  private ImagePublisher publisher() {
    return new ImagePublisher(ecr, jib(login.credentials()), log);
  }

  private JibImageBuilder jib(RegistryCredentials credentials) {
    return new JibImageBuilder(log, workDir(), temp.resolve("base-cache"), credentials);
  }

  private static List<ImageSpec.Port> ports(String... specs) {
    List<ImageSpec.Port> ports = new ArrayList<>();
    for (String spec : specs) {
      ports.addAll(ImageSpec.Port.parse(spec));
    }
    return ports;
  }

  /** A new Jib work directory for each publish, as separate CI jobs would have. */
  private Path workDir() {
    return temp.resolve("work-" + (workDirs++));
  }

  private static void repository(String name, boolean immutable) {
    STAND_IN.get().ecr().createRepository(name, immutable);
  }

  private void compileApp(String version) throws IOException {
    Path source = temp.resolve("src/com/example/App.java");
    Files.createDirectories(source.getParent());
    Files.writeString(source, "package com.example;\n"
        + "public class App {\n"
        + "  public static void main(String[] args) {\n"
        + "    System.out.println(\"hello " + version + "\");\n"
        + "  }\n"
        + "}\n");
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    int status = compiler.run(null, null, null, "--release", "17", "-d",
        project.resolve("target/classes").toString(), source.toString());
    assertEquals(0, status, "compiling the sample application");
  }

  private static byte[] manifestBytes(String repository, String reference) {
    return STAND_IN.get().registry().manifest(repository, reference).orElseThrow();
  }

  private static JsonNode manifest(String repository, String reference) throws IOException {
    return JSON.readTree(manifestBytes(repository, reference));
  }

  private JsonNode config(String repository, JsonNode manifest) throws Exception {
    return JSON.readTree(blob(repository, manifest.path("config").path("digest").asText()));
  }

  /** The entry names of a gzipped tar layer, in order, without PAX extended headers. */
  private static List<String> tarEntries(byte[] gzippedTar) throws IOException {
    byte[] tar = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(gzippedTar)).readAllBytes();
    List<String> names = new ArrayList<>();
    for (int offset = 0; offset + 512 <= tar.length && tar[offset] != 0; ) {
      String name = new String(tar, offset, 100, StandardCharsets.UTF_8).replace("\0", "");
      String octalSize = new String(tar, offset + 124, 12, StandardCharsets.UTF_8).replace("\0", "").trim();
      long size = octalSize.isEmpty() ? 0 : Long.parseLong(octalSize, 8);
      if (tar[offset + 156] != 'x' && tar[offset + 156] != 'g') { // not a PAX extended header
        names.add(name);
      }
      offset += 512 + (int) ((size + 511) / 512 * 512);
    }
    return names;
  }

  /** The regular files of a gzipped tar layer with their text content. */
  private static Map<String, String> tarFiles(byte[] gzippedTar) throws IOException {
    Map<String, String> files = new java.util.TreeMap<>();
    readTar(gzippedTar, (name, header, content) -> {
      if (header[156] == '0' || header[156] == 0) {
        files.put(name, new String(content, StandardCharsets.UTF_8));
      }
    });
    return files;
  }

  /** The permission bits of each entry of a gzipped tar layer. */
  private static Map<String, Integer> tarModes(byte[] gzippedTar) throws IOException {
    Map<String, Integer> modes = new java.util.TreeMap<>();
    readTar(gzippedTar, (name, header, content) -> modes.put(name,
        Integer.parseInt(new String(header, 100, 8, StandardCharsets.UTF_8).replace("\0", "").trim(), 8) & 0777));
    return modes;
  }

  private interface TarEntry {
    void accept(String name, byte[] header, byte[] content);
  }

  private static void readTar(byte[] gzippedTar, TarEntry entries) throws IOException {
    byte[] tar = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(gzippedTar)).readAllBytes();
    for (int offset = 0; offset + 512 <= tar.length && tar[offset] != 0; ) {
      byte[] header = java.util.Arrays.copyOfRange(tar, offset, offset + 512);
      String name = new String(header, 0, 100, StandardCharsets.UTF_8).replace("\0", "");
      String octalSize = new String(header, 124, 12, StandardCharsets.UTF_8).replace("\0", "").trim();
      int size = octalSize.isEmpty() ? 0 : (int) Long.parseLong(octalSize, 8);
      if (header[156] != 'x' && header[156] != 'g') {
        entries.accept(name, header, java.util.Arrays.copyOfRange(tar, offset + 512, offset + 512 + size));
      }
      offset += 512 + (size + 511) / 512 * 512;
    }
  }

  private byte[] blob(String repository, String digest) throws Exception {
    var response = java.net.http.HttpClient.newHttpClient().send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                STAND_IN.get().endpoint() + "/v2/" + repository + "/blobs/" + digest))
            .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                ("AWS:" + login.credentials().password()).getBytes(StandardCharsets.UTF_8)))
            .GET().build(),
        java.net.http.HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, response.statusCode());
    return response.body();
  }

  private static Set<String> layerDigests(JsonNode manifest) {
    Set<String> digests = new HashSet<>();
    StreamSupport.stream(manifest.path("layers").spliterator(), false)
        .forEach(l -> digests.add(l.path("digest").asText()));
    return digests;
  }

  private static Set<String> fieldNames(JsonNode node) {
    Set<String> names = new HashSet<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  /** Request body bytes of blob uploads (POST, PATCH, PUT under {@code blobs/uploads}). */
  private static long uploadedBlobBytes() {
    return STAND_IN.get().requestLog().bytesIn(e -> e.service().equals("registry")
        && e.operation().endsWith("/blobs/uploads"));
  }

  /** Registry requests that write: uploads and manifest pushes. */
  private static List<RequestLog.Entry> registryWrites() {
    return STAND_IN.get().requestLog().entries(e -> e.service().equals("registry")
        && (e.operation().startsWith("POST ") || e.operation().startsWith("PATCH ")
            || e.operation().startsWith("PUT ")));
  }

  /**
   * An ECR client whose first DescribeImages finds no tag and whose later ones see the real registry: another
   * build pushed the tag right after our check.
   */
  private static EcrClient tagMissingAtFirst(EcrClient real) {
    java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
    return (EcrClient) Proxy.newProxyInstance(EcrClient.class.getClassLoader(), new Class<?>[] {EcrClient.class},
        (proxy, method, args) -> {
          if (method.getName().equals("describeImages") && calls.getAndIncrement() == 0) {
            throw ImageNotFoundException.builder().message("not found (test)").build();
          }
          try {
            return method.invoke(real, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  /** An ECR client that never finds a tag (as if another push happened right after our check). */
  private static EcrClient tagAlwaysMissing(EcrClient real) {
    return (EcrClient) Proxy.newProxyInstance(EcrClient.class.getClassLoader(), new Class<?>[] {EcrClient.class},
        (proxy, method, args) -> {
          if (method.getName().equals("describeImages")) {
            throw ImageNotFoundException.builder().message("not found (test)").build();
          }
          try {
            return method.invoke(real, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }
}
