package io.github.ecsdeploy.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ecsdeploy.core.UserInputException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class InBackgroundTest {

  @Test
  void theResultComesFromAnotherThreadThatInheritsTheContextClassLoader() {
    ClassLoader realm = new URLClassLoader(new URL[0], getClass().getClassLoader());
    Thread goal = Thread.currentThread();
    ClassLoader before = goal.getContextClassLoader();
    goal.setContextClassLoader(realm);
    try {
      InBackground<String> task = new InBackground<>("test-task", () -> {
        Thread self = Thread.currentThread();
        return self.getName() + " " + (self != goal) + " " + self.isDaemon() + " "
            + (self.getContextClassLoader() == realm);
      });
      assertEquals("test-task true true true", task.join());
    } finally {
      goal.setContextClassLoader(before);
    }
  }

  @Test
  void theTasksOwnExceptionIsThrownUnwrapped() {
    UserInputException failure = new UserInputException("bad registry");
    InBackground<String> task = new InBackground<>("test-task", () -> {
      throw failure;
    });
    assertSame(failure, assertThrows(UserInputException.class, task::join));
    AssertionError error = new AssertionError("boom");
    InBackground<String> erring = new InBackground<>("test-task", () -> {
      throw error;
    });
    assertSame(error, assertThrows(AssertionError.class, erring::join));
  }

  @Test
  void awaitQuietlyWaitsForTheTaskAndIgnoresItsFailure() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean finished = new AtomicBoolean();
    InBackground<String> task = new InBackground<>("test-task", () -> {
      try {
        assertTrue(release.await(10, TimeUnit.SECONDS));
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
      finished.set(true);
      throw new IllegalStateException("failed after the goal had");
    });
    Thread releaser = new Thread(() -> {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      release.countDown();
    });
    releaser.start();
    task.awaitQuietly();
    assertTrue(finished.get(), "awaitQuietly returned before the task ended");
  }
}
