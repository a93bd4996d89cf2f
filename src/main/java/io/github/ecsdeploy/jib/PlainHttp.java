package io.github.ecsdeploy.jib;

import com.google.cloud.tools.jib.api.CacheDirectoryCreationException;
import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.RegistryException;
import com.google.cloud.tools.jib.global.JibSystemProperties;
import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The switches around one Jib build that concern the wire: credentials over plain HTTP only for a loopback
 * registry (the local stand-in), and never an {@code Authorization} header in a log.
 */
final class PlainHttp {

  private static final Object SYSTEM_PROPERTY_LOCK = new Object();

  /**
   * The java.util.logging logger under which google-http-client (Jib's HTTP client) prints every request
   * with its headers; held here so the level set on it is not lost with a collected logger.
   */
  private static final Logger HTTP_TRANSPORT_LOG = Logger.getLogger("com.google.api.client.http.HttpTransport");

  private PlainHttp() {}

  /**
   * Jib sends credentials over plain HTTP only with this system property set; set it only around a build
   * whose registry is a loopback address, and put it back after.
   */
  static JibContainer containerize(JibContainerBuilder builder, Containerizer containerizer, boolean loopback)
      throws InterruptedException, RegistryException, IOException, CacheDirectoryCreationException,
          ExecutionException {
    neverLogAuthorizationHeaders();
    if (!loopback) {
      return builder.containerize(containerizer);
    }
    synchronized (SYSTEM_PROPERTY_LOCK) {
      String key = JibSystemProperties.SEND_CREDENTIALS_OVER_HTTP;
      String previous = System.getProperty(key);
      System.setProperty(key, "true");
      try {
        return builder.containerize(containerizer);
      } finally {
        if (previous == null) {
          System.clearProperty(key);
        } else {
          System.setProperty(key, previous);
        }
      }
    }
  }

  /**
   * google-http-client replaces the {@code Authorization} header with {@code <Not Logged>} unless its logger
   * is at {@link Level#ALL}; then it prints the registry password (base64) with each request. Whoever turned
   * logging up that far (a logging configuration, a build tool's debug mode), the request dump keeps every
   * other line at {@link Level#FINEST} but never the credentials.
   */
  static void neverLogAuthorizationHeaders() {
    synchronized (HTTP_TRANSPORT_LOG) {
      if (HTTP_TRANSPORT_LOG.isLoggable(Level.ALL)) {
        HTTP_TRANSPORT_LOG.setLevel(Level.FINEST);
      }
    }
  }
}
