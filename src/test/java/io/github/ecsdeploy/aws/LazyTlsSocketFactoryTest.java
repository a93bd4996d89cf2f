package io.github.ecsdeploy.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyManagementException;
import java.security.KeyStore;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.apache.http.conn.ssl.SSLConnectionSocketFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.apache.ApacheHttpClient;

/**
 * The SDK's Apache client with TLS set up on first use: nothing for plain HTTP, once for https, a real handshake
 * with certificate checks, a failure to set up TLS as an I/O error of the request that the next request retries, and
 * a message that names the system properties to check.
 */
class LazyTlsSocketFactoryTest {

  @TempDir static Path dir;

  private static KeyStore serverKeys;
  private HttpServer server;

  /** A self-signed certificate for 127.0.0.1 (keytool of the JDK that runs the tests), trusted by no JVM. */
  @BeforeAll
  static void certificate() throws Exception {
    Path store = dir.resolve("server.p12");
    Process keytool =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", "changeit",
                "-keypass", "changeit")
            .redirectErrorStream(true)
            .start();
    String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, keytool.waitFor(), output);
    serverKeys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      serverKeys.load(in, "changeit".toCharArray());
    }
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  private URI start(boolean tls) throws Exception {
    InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    if (tls) {
      KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(serverKeys, "changeit".toCharArray());
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys.getKeyManagers(), null, null);
      HttpsServer https = HttpsServer.create(address, 0);
      https.setHttpsConfigurator(new HttpsConfigurator(context));
      server = https;
    } else {
      server = HttpServer.create(address, 0);
    }
    server.createContext(
        "/",
        exchange -> {
          byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    return URI.create((tls ? "https" : "http") + "://127.0.0.1:" + server.getAddress().getPort() + "/");
  }

  /** A TLS factory that trusts the test certificate, counting how often it is built. */
  private static SSLConnectionSocketFactory trustingTestCertificate(AtomicInteger built) {
    built.incrementAndGet();
    try {
      TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(serverKeys);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return new SSLConnectionSocketFactory(context, SSLConnectionSocketFactory.getDefaultHostnameVerifier());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static int get(SdkHttpClient client, URI uri) throws IOException {
    SdkHttpFullRequest request = SdkHttpFullRequest.builder().uri(uri).method(SdkHttpMethod.GET).build();
    HttpExecuteResponse response =
        client.prepareRequest(HttpExecuteRequest.builder().request(request).build()).call();
    response.responseBody().ifPresent(body -> {
      try {
        body.close();
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    });
    return response.httpResponse().statusCode();
  }

  /** The SDK's Apache client with {@code tls} as its https socket factory, as AwsClients builds it. */
  private static SdkHttpClient clientWith(LazyTlsSocketFactory tls) {
    return ApacheHttpClient.builder().socketFactory(tls).build();
  }

  @Test
  void plainHttpNeverSetsUpTls() throws Exception {
    AtomicInteger built = new AtomicInteger();
    URI uri = start(false);
    try (SdkHttpClient client = clientWith(new LazyTlsSocketFactory(() -> trustingTestCertificate(built)))) {
      assertEquals(200, get(client, uri));
      assertEquals(200, get(client, uri));
    }
    assertEquals(0, built.get());
  }

  @Test
  void httpsSetsUpTlsOnceOnFirstUse() throws Exception {
    AtomicInteger built = new AtomicInteger();
    URI uri = start(true);
    try (SdkHttpClient client = clientWith(new LazyTlsSocketFactory(() -> trustingTestCertificate(built)))) {
      assertEquals(0, built.get(), "building the client sets up no TLS");
      assertEquals(200, get(client, uri));
      assertEquals(200, get(client, uri.resolve("/again")));
    }
    assertEquals(1, built.get());
  }

  @Test
  void theDefaultChecksCertificatesAgainstTheJvmTrustStore() throws Exception {
    URI uri = start(true);
    try (SdkHttpClient client = AwsClients.apacheHttpClient()) {
      // a certificate no JVM trusts: refused in the handshake, so TLS is on and verification too
      assertThrows(SSLHandshakeException.class, () -> get(client, uri));
    }
  }

  @Test
  void aFailureToSetUpTlsIsAnIoErrorOfTheRequestAndTheNextRequestTriesAgain() throws Exception {
    AtomicInteger built = new AtomicInteger();
    LazyTlsSocketFactory tls = new LazyTlsSocketFactory(() -> {
      if (built.get() == 0) {
        built.incrementAndGet();
        throw new IllegalStateException("no TLS provider");
      }
      return trustingTestCertificate(built);
    });
    URI uri = start(true);
    try (SdkHttpClient client = clientWith(tls)) {
      IOException e = assertThrows(IOException.class, () -> get(client, uri));
      assertInstanceOf(SSLException.class, e);
      assertEquals("Could not set up TLS: no TLS provider", e.getMessage());
      assertEquals(200, get(client, uri));
    }
    assertEquals(2, built.get());
  }

  @Test
  void aDefaultContextThatCannotBeCreatedNamesThePropertiesToCheck() {
    // what SSLContext.getDefault() throws when javax.net.ssl.trustStorePassword does not open the trust store
    NoSuchAlgorithmException unreadable = new NoSuchAlgorithmException(
        "Error constructing implementation (algorithm: Default, provider: SunJSSE)",
        new KeyManagementException("problem accessing trust store"));
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> LazyTlsSocketFactory.fromContext(() -> {
          throw unreadable;
        }));
    assertSame(unreadable, e.getCause());
    assertTrue(e.getMessage().contains("(Error constructing implementation (algorithm: Default, provider: SunJSSE):"
        + " problem accessing trust store)"), e.getMessage());
    assertTrue(e.getMessage().contains("javax.net.ssl.trustStore, javax.net.ssl.trustStorePassword"), e.getMessage());
    assertTrue(e.getMessage().contains("MAVEN_OPTS or .mvn/jvm.config"), e.getMessage());
  }
}
