package io.github.ecsdeploy.maven;

import io.github.ecsdeploy.core.DeployLog;
import org.apache.maven.plugin.logging.Log;

/** Maps the core's logging port to Maven's {@link Log}: info to info, warn to warn, debug to debug. */
public final class MavenDeployLog implements DeployLog {

  private final Log log;

  /** Wraps Maven's log. */
  public MavenDeployLog(Log log) {
    this.log = log;
  }

  @Override
  public void info(String message) {
    log.info(message);
  }

  @Override
  public void warn(String message) {
    log.warn(message);
  }

  @Override
  public void debug(String message) {
    if (log.isDebugEnabled()) {
      log.debug(message);
    }
  }
}
