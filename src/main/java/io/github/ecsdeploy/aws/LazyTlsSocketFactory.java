package io.github.ecsdeploy.aws;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.NoSuchAlgorithmException;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import org.apache.http.HttpHost;
import org.apache.http.conn.socket.LayeredConnectionSocketFactory;
import org.apache.http.conn.ssl.SSLConnectionSocketFactory;
import org.apache.http.protocol.HttpContext;

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

  private final Supplier<SSLConnectionSocketFactory> factory;
  private volatile SSLConnectionSocketFactory delegate;

  /** TLS from the JVM's default context, set up on first use. */
  LazyTlsSocketFactory() {
    this(LazyTlsSocketFactory::jvmDefault);
  }

  /** TLS from {@code factory}, called once, on first use. */
  LazyTlsSocketFactory(Supplier<SSLConnectionSocketFactory> factory) {
    this.factory = factory;
  }

  private static SSLConnectionSocketFactory jvmDefault() {
    try {
      return new SSLConnectionSocketFactory(
          SSLContext.getDefault(), SSLConnectionSocketFactory.getDefaultHostnameVerifier());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("This JVM has no default TLS context: " + e.getMessage(), e);
    }
  }

  /** Whether TLS has been set up (an https connection was opened). */
  boolean initialized() {
    return delegate != null;
  }

  private SSLConnectionSocketFactory delegate() throws SSLException {
    SSLConnectionSocketFactory d = delegate;
    if (d == null) {
      synchronized (this) {
        d = delegate;
        if (d == null) {
          try {
            d = factory.get();
          } catch (RuntimeException e) {
            // an I/O failure of this request to the SDK (reported with the operation), not a crash of the goal
            throw new SSLException("Could not set up TLS: " + e.getMessage(), e);
          }
          delegate = d;
        }
      }
    }
    return d;
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
