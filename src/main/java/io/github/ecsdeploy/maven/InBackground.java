package io.github.ecsdeploy.maven;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/**
 * A task on a thread of its own, started at once, whose result the goal takes later: the goal's thread does other
 * work meanwhile. The thread inherits the goal's context class loader (the plugin's realm, which the AWS SDK looks
 * up services through) and never keeps the JVM alive.
 *
 * <p>{@link #join()} gives the task's exception itself, not a wrapper, so the goal's one mapping of failures
 * (which knows the AWS operation an SDK exception came from) sees what it would have seen had the task run on the
 * goal's thread.
 *
 * @param <T> the result
 */
final class InBackground<T> {

  private final CompletableFuture<T> result = new CompletableFuture<>();
  private final Thread thread;

  /**
   * Starts {@code task} on a daemon thread named {@code name}.
   *
   * @param name the thread's name (it shows in a thread dump)
   * @param task what to run
   */
  InBackground(String name, Supplier<T> task) {
    thread = new Thread(() -> {
      try {
        result.complete(task.get());
      } catch (Throwable t) {
        result.completeExceptionally(t);
      }
    }, name);
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Waits for the task and returns its result.
   *
   * @throws RuntimeException the task's own, unwrapped
   * @throws Error the task's own, unwrapped
   */
  T join() {
    try {
      return result.get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for " + thread.getName(), e);
    }
  }

  /**
   * Waits for the task to end and ignores how it ended: for a goal that fails before it needs the result, so
   * that nothing of the task runs (or logs) after the goal has failed.
   */
  void awaitQuietly() {
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
