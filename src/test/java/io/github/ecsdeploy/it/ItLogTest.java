package io.github.ecsdeploy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The build.log reader of the src/it verify scripts. */
class ItLogTest {

  @TempDir Path dir;

  @Test
  void splitsTheLogIntoOneRunPerInvocation() throws Exception {
    Files.writeString(dir.resolve("build.log"), """
        Running pre-build script: setup.groovy
        [INFO] Scanning for projects...
        [INFO] Building app 1.0.0
        [INFO] BUILD SUCCESS
        [INFO] Scanning for projects...
        [INFO] Building app 1.0.1
        [INFO] BUILD FAILURE
        """);

    ItLog log = ItLog.read(dir.toFile());

    assertEquals(2, log.runs().size());
    assertTrue(log.run(1).contains("1.0.0") && !log.run(1).contains("1.0.1"), log.run(1));
    assertTrue(log.run(2).contains("BUILD FAILURE"), log.run(2));
    assertThrows(AssertionError.class, () -> log.run(3));
  }

  @Test
  void checksOrderAndCounts() {
    String text = "validate-tag compile register-task-def update-service register-task-def";

    ItLog.assertInOrder(text, "validate-tag", "compile", "update-service");
    AssertionError outOfOrder =
        assertThrows(AssertionError.class, () -> ItLog.assertInOrder(text, "compile", "validate-tag"));
    AssertionError missing = assertThrows(AssertionError.class, () -> ItLog.assertInOrder(text, "push-image"));

    assertTrue(outOfOrder.getMessage().contains("only before 'compile'"), outOfOrder.getMessage());
    assertTrue(missing.getMessage().contains("does not occur"), missing.getMessage());
    assertEquals(2, ItLog.count(text, "register-task-def"));
    assertEquals(0, ItLog.count(text, "push-image"));
  }
}
