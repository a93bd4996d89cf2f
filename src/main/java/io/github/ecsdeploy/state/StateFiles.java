package io.github.ecsdeploy.state;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * Reads and writes the JSON state files one goal hands to the next, in one directory (by default
 * {@code target/ecs-deploy}). Records are mapped with Jackson; unknown members are ignored on read so a file
 * written by a newer plugin version still reads. Writes are atomic: a temporary file in the same directory is
 * moved over the target, so a reader never sees half a file. Every failure is one {@link StateFileException}
 * carrying the file and what was wrong, for every goal alike.
 */
public final class StateFiles {

  /** The default directory, relative to the project base directory. */
  public static final String DEFAULT_DIRECTORY = "target/ecs-deploy";

  private static final ObjectMapper MAPPER = new ObjectMapper()
      .registerModule(new JavaTimeModule())
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .setSerializationInclusion(JsonInclude.Include.NON_NULL);

  private final Path directory;

  public StateFiles(Path directory) {
    this.directory = directory;
  }

  /** The directory the files live in. */
  public Path directory() {
    return directory;
  }

  /** The path of state file {@code name}, e.g. {@code image.json}. */
  public Path path(String name) {
    return directory.resolve(name);
  }

  /**
   * Reads state file {@code name} as {@code type}.
   *
   * @return empty when the file does not exist
   * @throws StateFileException ({@code UNREADABLE}) when it exists but cannot be read or is not the expected JSON
   */
  public <T> Optional<T> read(String name, Class<T> type) {
    Path file = path(name);
    try {
      return Optional.of(MAPPER.readValue(Files.readAllBytes(file), type));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw StateFileException.unreadable(file, e.getMessage(), e);
    }
  }

  /**
   * Reads state file {@code name}, which the goal cannot do without.
   *
   * @param need what the goal looks for in it, e.g. "No revisions to deploy"; said when it is missing
   * @throws StateFileException ({@code MISSING}) when it does not exist, ({@code UNREADABLE}) as {@link #read}
   */
  public <T> T require(String name, Class<T> type, String need) {
    return read(name, type).orElseThrow(() -> StateFileException.missing(path(name), need));
  }

  /**
   * Writes {@code value} to state file {@code name}, creating the directory, atomically replacing any old file.
   *
   * @return the path written
   * @throws StateFileException ({@code UNWRITABLE}) when it cannot be written
   */
  public Path write(String name, Object value) {
    byte[] content;
    try {
      content = MAPPER.writeValueAsBytes(value);
    } catch (IOException e) {
      throw StateFileException.unwritable(path(name), e.getMessage(), e);
    }
    return writeBytes(name, content);
  }

  /**
   * Writes {@code content} (UTF-8) to file {@code name} the same way: for non-JSON outputs such as
   * {@code deploy.env}.
   *
   * @return the path written
   * @throws StateFileException ({@code UNWRITABLE}) when it cannot be written
   */
  public Path writeText(String name, String content) {
    return writeBytes(name, content.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * {@code value} as the indented JSON the state files hold (ISO-8601 times, null members left out): for
   * output that scripts read, such as {@code ecs:status -Decs.status.json=true}.
   */
  public static String json(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("Not serializable as JSON: " + value.getClass().getName(), e);
    }
  }

  private Path writeBytes(String name, byte[] content) {
    Path target = path(name);
    try {
      Files.createDirectories(directory);
      Path temporary = Files.createTempFile(directory, "." + name, ".tmp");
      try {
        Files.write(temporary, content);
        try {
          Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
        }
      } finally {
        Files.deleteIfExists(temporary);
      }
    } catch (IOException e) {
      throw StateFileException.unwritable(target, e.toString(), e);
    }
    return target;
  }
}
