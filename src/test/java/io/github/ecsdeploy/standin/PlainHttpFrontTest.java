package io.github.ecsdeploy.standin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.http.FailoverHttpClient;
import com.google.cloud.tools.jib.http.Authorization;
import com.google.cloud.tools.jib.http.Request;
import com.google.cloud.tools.jib.http.Response;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The stand-in's public port speaks plain HTTP and refuses a TLS handshake at once, so that Jib's
 * HTTPS-first probe of the registry falls back to HTTP without waiting for a timeout (see {@link
 * PlainHttpFront}); plain HTTP, large bodies and keep-alive pass through unchanged.
 */
class PlainHttpFrontTest {

  @RegisterExtension static final StandInExtension STAND_IN = new StandInExtension();

  /** Guards the reads against a hang (the old behaviour); no assertion is about time. */
  private static final int HANG_GUARD_MILLIS = 30_000;

  @Test
  void aTlsRecordIsAnsweredWithAnHttp400AndTheConnectionClosed() throws Exception {
    long before = STAND_IN.get().refusedTlsHandshakes();
    try (Socket socket = new Socket("127.0.0.1", STAND_IN.get().port())) {
      socket.setSoTimeout(HANG_GUARD_MILLIS);
      OutputStream out = socket.getOutputStream();
      // A TLS record header (handshake, TLS 1.0 record version, 6 bytes) and 6 bytes of a ClientHello.
      out.write(new byte[] {0x16, 0x03, 0x01, 0x00, 0x06, 0x01, 0x00, 0x00, 0x02, 0x03, 0x03});
      out.flush();
      String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
      assertTrue(answer.startsWith("HTTP/1.1 400 Bad Request\r\n"), answer);
      assertTrue(answer.endsWith("This port speaks plain HTTP, not TLS (HTTPS).\r\n"), answer);
    }
    assertEquals(before + 1, STAND_IN.get().refusedTlsHandshakes());
  }

  @Test
  void aTlsClientFailsItsHandshakeWithAnSslException() throws Exception {
    try (SSLSocket socket = (SSLSocket) SSLSocketFactory.getDefault()
        .createSocket("127.0.0.1", STAND_IN.get().port())) {
      socket.setSoTimeout(HANG_GUARD_MILLIS);
      SSLException e = assertThrows(SSLException.class, socket::startHandshake);
      assertTrue(e.getMessage() != null && !e.getMessage().contains("timed out"), e.toString());
    }
  }

  @Test
  void jibFallsBackFromHttpsToHttpAfterTwoRefusedHandshakesAndRemembersIt() throws Exception {
    long before = STAND_IN.get().refusedTlsHandshakes();
    List<String> warnings = new ArrayList<>();
    // As push-image configures Jib for a loopback registry: failover allowed, credentials sent over HTTP.
    FailoverHttpClient jib = new FailoverHttpClient(true, true, event -> {
      if (event.getLevel() == LogEvent.Level.WARN) {
        warnings.add(event.getMessage());
      }
    });
    Request authorized = Request.builder()
        .setAuthorization(Authorization.fromBasicCredentials("AWS", STAND_IN.get().ecr().registryPassword()))
        .build();
    try {
      URL registry = new URL("https://127.0.0.1:" + STAND_IN.get().port() + "/v2/");
      try (Response first = jib.get(registry, authorized)) {
        assertEquals(200, first.getStatusCode());
      }
      assertEquals(List.of(
          "Cannot verify server at " + registry + ". Attempting again with no TLS verification.",
          "Failed to connect to " + registry + " over HTTPS. Attempting again with HTTP."), warnings);
      assertEquals(before + 2, STAND_IN.get().refusedTlsHandshakes());

      try (Response second = jib.get(registry, authorized)) {
        assertEquals(200, second.getStatusCode());
      }
      assertEquals(before + 2, STAND_IN.get().refusedTlsHandshakes(), "Jib remembers the fallback");
      assertEquals(2, warnings.size());
    } finally {
      jib.shutDown();
    }
  }

  @Test
  void plainHttpBodiesOfMegabytesPassThroughBothWaysOnOneKeptAliveConnection() throws Exception {
    AwsStandIn standIn = STAND_IN.get();
    standIn.ecr().createRepository("front-app", false);
    byte[] blob = new byte[5 * 1024 * 1024 + 17];
    new Random(7).nextBytes(blob);
    String digest = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(blob));
    String auth = "Basic " + Base64.getEncoder().encodeToString(
        ("AWS:" + standIn.ecr().registryPassword()).getBytes(StandardCharsets.UTF_8));
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    URI base = standIn.endpoint();

    HttpResponse<String> put = http.send(HttpRequest.newBuilder(
            base.resolve("/v2/front-app/blobs/uploads/?digest=" + digest))
        .header("Authorization", auth)
        .POST(HttpRequest.BodyPublishers.ofByteArray(blob)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(201, put.statusCode(), put.body());
    for (int i = 0; i < 3; i++) {
      HttpResponse<InputStream> get = http.send(HttpRequest.newBuilder(
              base.resolve("/v2/front-app/blobs/" + digest))
          .header("Authorization", auth).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
      assertEquals(200, get.statusCode());
      try (InputStream body = get.body()) {
        assertArrayEquals(blob, body.readAllBytes());
      }
    }
  }
}
