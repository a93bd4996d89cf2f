package io.github.ecsdeploy.maven;

import static io.github.ecsdeploy.testing.MessageAssert.assertContainsAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ecsdeploy.aws.AwsClients;
import io.github.ecsdeploy.standin.AwsStandIn;
import io.github.ecsdeploy.standin.StandInExtension;
import io.github.ecsdeploy.standin.registry.RegistryHandler;
import io.github.ecsdeploy.state.ImageState;
import io.github.ecsdeploy.state.StateFiles;
import io.github.ecsdeploy.testing.TestCredentials;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The goal end to end against the in-process stand-in (ECR API and registry): a tiny project's classes on
 * {@code scratch}, pushed with real Jib; image.json; a re-run; a taken tag; and no registry secret in a
 * debug-level log.
 */
class PushImageMojoTest {

  @RegisterExtension static final StandInExtension STAND_IN = new StandInExtension();

  private static final AtomicInteger TEST_NUMBER = new AtomicInteger();

  @TempDir Path dir;
  MojoFixture fixture;
  PushImageMojo mojo;
  RecordingLog log;
  String repository;

  @BeforeEach
  void tinyProject() throws IOException {
    AwsStandIn standIn = STAND_IN.get();
    repository = "tiny-app-" + TEST_NUMBER.incrementAndGet();
    standIn.ecr().createRepository(repository, true);
    compile("hello");

    fixture = new MojoFixture(dir).standIn(standIn);
    log = fixture.log;
    mojo = newMojo();
  }

  private PushImageMojo newMojo() {
    PushImageMojo mojo = fixture.mojo(PushImageMojo::new);
    mojo.repository = repository;
    mojo.tag = "v1.0.0";
    mojo.baseImage = "scratch";
    mojo.mainClass = "demo.Hello";
    return mojo;
  }

  @Test
  void pushesTheClassesOnScratchAndWritesImageJson() throws Exception {
    mojo.execute();

    String registry = STAND_IN.get().ecr().registryHost();
    String digest = STAND_IN.get().ecr().findImage(repository, "v1.0.0").orElseThrow().digest();
    ImageState state = state().orElseThrow();
    assertEquals(new ImageState(registry + "/" + repository + ":v1.0.0", digest, List.of("v1.0.0"),
        ImageState.Result.PUSHED), state);
    assertTrue(log.lines.contains("INFO Image " + registry + "/" + repository + ":v1.0.0@" + digest
        + " (pushed) -> target/ecs-deploy/image.json"), log.lines.toString());
  }

  @Test
  void aReRunFindsTheSameImageAlreadyPresent() throws Exception {
    mojo.execute();
    String digest = state().orElseThrow().digest();
    STAND_IN.get().requestLog().clear();

    mojo.execute();

    ImageState state = state().orElseThrow();
    assertEquals(ImageState.Result.ALREADY_PRESENT, state.result());
    assertEquals(digest, state.digest());
    assertTrue(log.lines.stream().anyMatch(l -> l.endsWith("(already present) -> target/ecs-deploy/image.json")),
        log.lines.toString());
  }

  @Test
  void aTagHoldingAnotherImageFailsBeforeUploadSayingToBumpTheVersion() throws Exception {
    String other = "sha256:" + "ab".repeat(32);
    STAND_IN.get().ecr().putImage(repository, other, "v1.0.0", 100, RegistryHandler.DOCKER_MANIFEST);

    MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);

    assertTrue(e.getMessage().contains("Tag v1.0.0 already exists in " + repository + " with digest " + other),
        e.getMessage());
    assertTrue(e.getMessage().contains("bump the version"), e.getMessage());
    assertFalse(Files.exists(dir.resolve("target/ecs-deploy/image.json")));
    assertEquals(1, STAND_IN.get().ecr().images(repository).size());
  }

  @Test
  void withoutAMainClassTheOneClassWithMainIsFound() throws Exception {
    mojo.mainClass = null;
    mojo.execute();
    assertTrue(log.lines.contains("INFO Main class: demo.Hello"), log.lines.toString());
    assertTrue(state().isPresent());
  }

  @Test
  void severalMainClassesFailBeforeAnyAwsCallNamingThem() throws IOException {
    mojo.mainClass = null;
    compile("demo", "Other", "other");
    STAND_IN.get().requestLog().clear();

    MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);

    assertTrue(e.getMessage().contains("Multiple valid main classes were found: "), e.getMessage());
    assertTrue(e.getMessage().contains("demo.Hello") && e.getMessage().contains("demo.Other"), e.getMessage());
    assertTrue(e.getMessage().contains("<mainClass> / -Decs.pushImage.mainClass"), e.getMessage());
    assertEquals(List.of(), STAND_IN.get().requestLog().entries());
  }

  @Test
  void aPomModuleSkipsWithOneLine() throws Exception {
    mojo.project.setPackaging("pom");
    mojo.project.getModel().setArtifactId("parent");
    STAND_IN.get().requestLog().clear();
    mojo.execute();
    assertEquals(List.of("INFO Skipping ecs:push-image: packaging pom (parent) has no image: no classes, and no "
        + "Jib <entrypoint> or src/main/jib."), log.lines);
    assertEquals(List.of(), STAND_IN.get().requestLog().entries());
  }

  @Test
  void aPomModuleWithAnImageOfFilesIsPushed() throws Exception {
    mojo.project.setPackaging("pom");
    Files.createDirectories(dir.resolve("src/main/jib/etc"));
    Files.writeString(dir.resolve("src/main/jib/etc/app.conf"), "x=1\n");
    mojo.execute();
    assertTrue(state().isPresent(), log.lines.toString());
  }

  @Test
  void noTagFailsNamingTheParameterAndCiCommitTag() {
    mojo.tag = null;
    MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);
    assertContainsAll(e.getMessage(), "<tag> / -Decs.tag", "CI_COMMIT_TAG");
  }

  @Test
  void theTagComesFromCiCommitTag() throws Exception {
    fixture.env(name -> name.equals("CI_COMMIT_TAG") ? "v2.0.0" : null);
    mojo = newMojo();
    mojo.tag = null;
    mojo.execute();
    assertEquals(List.of("v2.0.0"), state().orElseThrow().tags());
  }

  @Test
  void theRegistrySecretIsInNoDebugLogLineAndNoMessage() throws Exception {
    String password = STAND_IN.get().ecr().registryPassword();
    String token = Base64.getEncoder().encodeToString(("AWS:" + password).getBytes(StandardCharsets.UTF_8));
    List<String> julLines = new ArrayList<>();
    Logger root = Logger.getLogger("");
    Level rootLevel = root.getLevel();
    Handler capture = new Handler() {
      @Override
      public void publish(LogRecord record) {
        julLines.add(record.getLoggerName() + " " + record.getMessage() + " " + java.util.Arrays.toString(
            record.getParameters()));
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    capture.setLevel(Level.ALL);
    root.addHandler(capture);
    root.setLevel(Level.ALL);
    List<String> messages = new ArrayList<>();
    try {
      mojo.execute();
      mojo.execute();
      compile("changed");
      MojoFailureException taken = assertThrows(MojoFailureException.class, mojo::execute);
      messages.add(String.valueOf(taken));
      for (Throwable c = taken.getCause(); c != null; c = c.getCause()) {
        messages.add(String.valueOf(c));
      }
    } finally {
      root.removeHandler(capture);
      root.setLevel(rootLevel);
    }

    assertTrue(log.at("DEBUG").size() > 5, "debug was captured: " + log.lines);
    assertTrue(julLines.stream().anyMatch(l -> l.contains("Authorization: <Not Logged>")),
        "Jib's HTTP client logged its requests, with the header redacted: " + julLines.size() + " lines");
    for (String line : concat(log.lines, julLines, messages)) {
      assertFalse(line.contains(password), "password in: " + line);
      assertFalse(line.contains(token), "token in: " + line);
    }
    String imageJson = Files.readString(dir.resolve("target/ecs-deploy/image.json"));
    assertFalse(imageJson.contains(password), imageJson);
  }

  @Test
  void goalSkipLogsOneLine() throws Exception {
    mojo.skipPushImage = true;
    mojo.execute();
    assertEquals(List.of("INFO Skipping ecs:push-image because ecs.pushImage.skip=true"), log.lines);
    assertFalse(Files.exists(dir.resolve("target/ecs-deploy")));
  }

  // ---- helpers ----

  private java.util.Optional<ImageState> state() throws IOException {
    return new StateFiles(dir.resolve("target/ecs-deploy")).read(ImageState.FILE, ImageState.class);
  }

  private void compile(String greeting) throws IOException {
    compile("demo", "Hello", greeting);
  }

  private void compile(String pkg, String name, String greeting) throws IOException {
    Path source = dir.resolve("src/main/java/" + pkg + "/" + name + ".java");
    Files.createDirectories(source.getParent());
    Files.writeString(source, "package " + pkg + ";\npublic class " + name
        + " {\n  public static void main(String[] a) {\n"
        + "    System.out.println(\"" + greeting + "\");\n  }\n}\n");
    Path classes = dir.resolve("target/classes");
    Files.createDirectories(classes);
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    assertEquals(0, compiler.run(null, null, null, "-d", classes.toString(), source.toString()));
  }

  @SafeVarargs
  private static List<String> concat(List<String>... lists) {
    List<String> all = new ArrayList<>();
    for (List<String> list : lists) {
      all.addAll(list);
    }
    return all;
  }

}
