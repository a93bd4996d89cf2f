package io.github.ecsdeploy.aws;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import org.apache.http.HttpHost;
import org.apache.http.conn.socket.LayeredConnectionSocketFactory;
import org.apache.http.conn.ssl.SSLConnectionSocketFactory;
import org.apache.http.protocol.HttpContext;
import software.amazon.awssdk.utils.Lazy;

/**
 * The https socket factory of the SDK's Apache HTTP client, set up on the first https connection instead of when
 * the client is built.
 *
 * <p>Left to itself, {@code ApacheHttpClient.builder().build()} creates a TLS context of its own at once: it loads
 * the JVM's trust store and Apache's public-suffix list before the first request, even for an {@code http://}
 * endpoint, and apart from the TLS context that Jib sets up for the registry: building the client took 500 ms in a
 * fresh JVM, 310 ms with this factory (5 runs each). Here nothing happens until an https connection is
 * opened, and then the JVM's default TLS context is used ({@link SSLContext#getDefault()}), which honours the same
 * {@code javax.net.ssl.keyStore} / {@code javax.net.ssl.trustStore} system properties as the SDK's own context, with
 * Apache's default host name verification (public-suffix aware), as the SDK's factory does. The protocols are the
 * JVM's defaults: TLS 1.3 and 1.2 on Java 17 (the SDK's factory also enables older supported versions, which Java 17
 * disables anyway).
 */
final class LazyTlsSocketFactory implements LayeredConnectionSocketFactory {

  /** Where the TLS context comes from; {@link SSLContext#getDefault()} outside tests. */
  @FunctionalInterface
  interface ContextSource {
    SSLContext get() throws GeneralSecurityException;
  }

  // the SDK's own thread-safe lazy value: built by the first caller; a failed build is tried again by the next
  private final Lazy<SSLConnectionSocketFactory> delegate;

  /** TLS from the JVM's default context, set up on first use. */
  LazyTlsSocketFactory() {
    this(() -> fromContext(SSLContext::getDefault));
  }

  /** TLS from {@code factory}, called on first use (and again after a failure). */
  LazyTlsSocketFactory(Supplier<SSLConnectionSocketFactory> factory) {
    this.delegate = new Lazy<>(factory);
  }

  /**
   * The factory for the context {@code source} gives, with Apache's default host name verification. The JVM's
   * default context fails when a {@code javax.net.ssl.*} system property names a store that cannot be read (a wrong
   * password, a wrong type); the message says which properties to check and where they are usually set.
   */
  static SSLConnectionSocketFactory fromContext(ContextSource source) {
    try {
      return new SSLConnectionSocketFactory(source.get(), SSLConnectionSocketFactory.getDefaultHostnameVerifier());
    } catch (GeneralSecurityException e) {
      StringBuilder causes = new StringBuilder(String.valueOf(e.getMessage()));
      for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
        causes.append(": ").append(c.getMessage() != null ? c.getMessage() : c.getClass().getSimpleName());
      }
      throw new IllegalStateException(
          "the JVM's default TLS context could not be created ("
              + causes
              + "). Check the system properties javax.net.ssl.trustStore, javax.net.ssl.trustStorePassword,"
              + " javax.net.ssl.trustStoreType and their javax.net.ssl.keyStore counterparts (usually set in"
              + " MAVEN_OPTS or .mvn/jvm.config): the stores they name must exist and open with those passwords.",
          e);
    }
  }

  private SSLConnectionSocketFactory delegate() throws SSLException {
    try {
      return delegate.getValue();
    } catch (RuntimeException e) {
      // an I/O failure of this request to the SDK (reported with the operation), not a crash of the goal
      throw new SSLException("Could not set up TLS: " + e.getMessage(), e);
    }
  }

  @Override
  public Socket createSocket(HttpContext context) throws IOException {
    return delegate().createSocket(context);
  }

  @Override
  public Socket connectSocket(
      int connectTimeout,
      Socket socket,
      HttpHost host,
      InetSocketAddress remoteAddress,
      InetSocketAddress localAddress,
      HttpContext context)
      throws IOException {
    return delegate().connectSocket(connectTimeout, socket, host, remoteAddress, localAddress, context);
  }

  @Override
  public Socket createLayeredSocket(Socket socket, String target, int port, HttpContext context)
      throws IOException {
    return delegate().createLayeredSocket(socket, target, port, context);
  }
}
