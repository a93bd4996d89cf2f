package io.github.ecsdeploy.jib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.github.ecsdeploy.core.ImageSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link JibImageBuilder#warmUp}: assembles, builds and reports nothing. */
class JibImageBuilderWarmUpTest {

  @TempDir Path temp;

  @Test
  void assemblesTheContainerAndLeavesOnlyTheJvmArgumentFiles() throws Exception {
    Path classes = Files.createDirectories(temp.resolve("project/target/classes/com/example"));
    Files.writeString(classes.resolve("App.class"), "not really a class");
    Path work = temp.resolve("work");
    JibImageBuilder.warmUp(work, ImageSpec.builder().baseImage("scratch").mainClass("com.example.App")
        .classesDirectory(temp.resolve("project/target/classes"))
        .resourcesDirectory(temp.resolve("project/target/classes")).build());
    try (Stream<Path> files = Files.walk(work)) {
      List<String> written = files.filter(Files::isRegularFile).map(p -> work.relativize(p).toString()).sorted()
          .toList();
      assertEquals(List.of("jvm-arg-files/jib-classpath-file", "jvm-arg-files/jib-main-class-file"), written);
    }
    assertEquals("com.example.App", Files.readString(work.resolve("jvm-arg-files/jib-main-class-file")).trim());
  }

  @Test
  void aSpecTheBuildWillRefuseIsLeftForTheBuildToReport() {
    Path work = temp.resolve("work");
    JibImageBuilder.warmUp(work, ImageSpec.builder().baseImage("not a reference!").mainClass("App").build());
    JibImageBuilder.warmUp(work, ImageSpec.builder().mainClass("App").build());
    assertFalse(Files.exists(work.resolve("jvm-arg-files/jib-classpath-file")), "assembled a refused spec");
  }
}
