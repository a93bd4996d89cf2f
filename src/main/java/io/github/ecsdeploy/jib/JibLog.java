package io.github.ecsdeploy.jib;

import com.google.cloud.tools.jib.api.LogEvent;
import io.github.ecsdeploy.core.DeployLog;
import java.util.function.Consumer;

/**
 * Jib's log events on the {@link DeployLog}: errors and warnings to warn, lifecycle lines to info, the rest to
 * debug. For a loopback registry, Jib's notes that it falls back from HTTPS to HTTP are expected and go to
 * debug.
 */
final class JibLog implements Consumer<LogEvent> {

  private final DeployLog log;
  private final boolean loopback;

  JibLog(DeployLog log, boolean loopback) {
    this.log = log;
    this.loopback = loopback;
  }

  @Override
  public void accept(LogEvent event) {
    String message = event.getMessage();
    if (message == null || message.isBlank()) {
      return;
    }
    boolean expectedFailover = loopback && (message.startsWith("Failed to connect to https://")
        || message.startsWith("Cannot verify server at https://"));
    switch (event.getLevel()) {
      case ERROR, WARN -> {
        if (expectedFailover) {
          log.debug(message);
        } else {
          log.warn(message);
        }
      }
      case LIFECYCLE -> log.info(message);
      default -> log.debug(message);
    }
  }
}
