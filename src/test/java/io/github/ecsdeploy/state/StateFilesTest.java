package io.github.ecsdeploy.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateFilesTest {

  @TempDir Path dir;

  @Test
  void imageStateRoundTripsWithReadableResultNames() throws IOException {
    StateFiles files = new StateFiles(dir.resolve("target/ecs-deploy"));
    ImageState image = new ImageState("r.example/hello-app:v1.4.0", "sha256:ab", List.of("v1.4.0"),
        ImageState.Result.ALREADY_PRESENT);

    Path written = files.write(ImageState.FILE, image);

    assertEquals(dir.resolve("target/ecs-deploy/image.json"), written);
    JsonNode json = new ObjectMapper().readTree(written.toFile());
    assertEquals("alreadyPresent", json.get("result").asText());
    assertEquals("sha256:ab", json.get("digest").asText());
    assertTrue(json.path("pinnedReference").isMissingNode(), "derived values are not written");
    assertEquals(Optional.of(image), files.read(ImageState.FILE, ImageState.class));
  }

  @Test
  void missingFileReadsAsEmptyAndUnknownMembersAreIgnored() throws IOException {
    StateFiles files = new StateFiles(dir);
    assertEquals(Optional.empty(), files.read(ImageState.FILE, ImageState.class));
    Files.writeString(dir.resolve(ImageState.FILE),
        "{\"image\": \"i:1\", \"digest\": null, \"result\": \"pushed\", \"writtenBy\": \"0.2.0\"}");
    ImageState read = files.read(ImageState.FILE, ImageState.class).orElseThrow();
    assertEquals(ImageState.Result.PUSHED, read.result());
    assertEquals(List.of(), read.tags());
    assertEquals("i:1", read.pinnedReference(), "no digest: the reference as pushed");
  }

  @Test
  void pinnedReferenceAddsTheDigestOnce() {
    assertEquals("r/a:1@sha256:ab", new ImageState("r/a:1", "sha256:ab", null, null).pinnedReference());
    assertEquals("r/a:1@sha256:ab", new ImageState("r/a:1@sha256:ab", "sha256:ab", null, null).pinnedReference());
  }

  @Test
  void writeReplacesTheOldFileAndLeavesNoTemporaryFile() throws IOException {
    StateFiles files = new StateFiles(dir);
    files.write(TaskDefinitionState.FILE, new TaskDefinitionState("arn:1", "f", 1, "app", "i:1", false));
    TaskDefinitionState second = new TaskDefinitionState("arn:2", "f", 2, "app", "i:2", true);
    files.write(TaskDefinitionState.FILE, second);

    assertEquals(Optional.of(second), files.read(TaskDefinitionState.FILE, TaskDefinitionState.class));
    try (var listing = Files.list(dir)) {
      assertEquals(List.of(TaskDefinitionState.FILE), listing.map(p -> p.getFileName().toString()).toList());
    }
  }

  @Test
  void writeTextSaysWhereTheFileIs() throws IOException {
    // Goals print this path ("wrote target/ecs-deploy/deploy.env") and CI jobs pick the file up from there.
    StateFiles files = new StateFiles(dir.resolve("nested"));

    java.nio.file.Path written = files.writeText("deploy.env", "A=1\n");

    assertEquals(dir.resolve("nested").resolve("deploy.env"), written);
    assertEquals(dir.resolve("nested"), files.directory());
    assertEquals("A=1\n", Files.readString(written));
  }

  @Test
  void everyFailureIsOneStateFileExceptionCarryingThePath() throws IOException {
    StateFiles files = new StateFiles(dir);
    Files.writeString(dir.resolve(ImageState.FILE), "{\"image\": ");
    Files.writeString(dir.resolve("blocker"), "a file where a directory should be");

    StateFileException unreadable = org.junit.jupiter.api.Assertions.assertThrows(StateFileException.class,
        () -> files.read(ImageState.FILE, ImageState.class));
    StateFileException missing = org.junit.jupiter.api.Assertions.assertThrows(StateFileException.class,
        () -> files.require(TaskDefinitionState.FILE, TaskDefinitionState.class, "No revision"));
    StateFiles blocked = new StateFiles(dir.resolve("blocker"));
    StateFileException unwritable = org.junit.jupiter.api.Assertions.assertThrows(StateFileException.class,
        () -> blocked.write(ImageState.FILE, new ImageState("i:1", null, null, null)));

    assertEquals(StateFileException.Problem.UNREADABLE, unreadable.problem());
    assertEquals(dir.resolve(ImageState.FILE), unreadable.file());
    assertTrue(unreadable.getMessage().startsWith("Cannot read " + dir.resolve(ImageState.FILE) + ": "),
        unreadable.getMessage());
    assertEquals(StateFileException.Problem.MISSING, missing.problem());
    assertEquals(dir.resolve(TaskDefinitionState.FILE), missing.file());
    assertTrue(missing.getMessage().startsWith("No revision: " + dir.resolve(TaskDefinitionState.FILE)),
        missing.getMessage());
    assertEquals(StateFileException.Problem.UNWRITABLE, unwritable.problem());
    assertEquals(dir.resolve("blocker").resolve(ImageState.FILE), unwritable.file());
  }
}
