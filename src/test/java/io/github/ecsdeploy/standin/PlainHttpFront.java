package io.github.ecsdeploy.standin;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The stand-in's public port: a plain-HTTP server that refuses a TLS handshake at once, in front of the JDK's
 * {@code HttpServer}, which listens on a second loopback port and never sees a TLS byte.
 *
 * <p>Why: Jib (like the Docker client) tries HTTPS first on a registry port and falls back to plain HTTP only
 * after the TLS handshake fails with an {@code SSLException}, twice per registry and Jib run (secure, then
 * insecure HTTPS; jib-core's {@code FailoverHttpClient}), and once more for every request already under way
 * when the first fallback is recorded. The JDK's {@code HttpServer} reads a ClientHello as the start of a
 * request line and waits for its end, which never comes, so each attempt used to wait until a timeout
 * ({@code sun.net.httpserver.maxReqTime}, 1 s at least) closed the connection.
 *
 * <p>Each connection's first byte decides: {@code 0x16} is a TLS handshake record (RFC 8446 §5.1,
 * {@code ContentType handshake(22)}), which no HTTP request line starts with (RFC 9112 §3: a method is a
 * token). The front reads that record to its end, answers {@code 400 Bad Request} as an HTTP server answers
 * an invalid request line (RFC 9112 §3: "SHOULD respond with ... a 400 (Bad Request) error") and closes; the
 * TLS client reads an HTTP answer where it expects a ServerHello and fails the handshake with an
 * {@code SSLException} right away, which is what Jib's fallback waits for. Any other first byte is passed on,
 * with everything after it, to the HTTP server, and its answers back, until either side closes.
 *
 * <p>Reading the record before answering matters: closing a socket with unread bytes makes the kernel send a
 * reset, and a client may then see "connection reset" instead of the answer (not an {@code SSLException}, so
 * no fallback).
 */
final class PlainHttpFront implements AutoCloseable {

  /** TLS record content type of a handshake message (a ClientHello starts with it). */
  static final int TLS_HANDSHAKE = 0x16;

  private static final byte[] BAD_REQUEST = ("HTTP/1.1 400 Bad Request\r\n"
      + "Content-Type: text/plain; charset=utf-8\r\n"
      + "Connection: close\r\n"
      + "Content-Length: 47\r\n"
      + "\r\n"
      + "This port speaks plain HTTP, not TLS (HTTPS).\r\n").getBytes(StandardCharsets.US_ASCII);

  private final ServerSocket server;
  private final InetSocketAddress backend;
  private final ExecutorService threads;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final AtomicLong refusedTls = new AtomicLong();
  private volatile boolean closed;

  /**
   * Listens on {@code bind} and passes plain HTTP on to {@code backend}.
   *
   * @param bind the public address (port 0 for any free one)
   * @param backend where the HTTP server listens
   */
  PlainHttpFront(InetSocketAddress bind, InetSocketAddress backend) throws IOException {
    this.server = new ServerSocket();
    server.setReuseAddress(true);
    server.bind(bind, 128);
    this.backend = backend;
    this.threads = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "aws-stand-in-front");
      t.setDaemon(true);
      return t;
    });
    threads.execute(this::acceptLoop);
  }

  /** The bound port. */
  int port() {
    return server.getLocalPort();
  }

  /** How many TLS handshakes the front refused (each one a probe that used to wait for a timeout). */
  long refusedTlsHandshakes() {
    return refusedTls.get();
  }

  @Override
  public void close() {
    closed = true;
    closeQuietly(server);
    open.forEach(PlainHttpFront::closeQuietly);
    threads.shutdownNow();
  }

  private void acceptLoop() {
    while (!closed) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        if (closed) {
          return;
        }
        continue;
      }
      open.add(client);
      try {
        threads.execute(() -> serve(client));
      } catch (RuntimeException e) { // rejected: closing
        forget(client);
      }
    }
  }

  private void serve(Socket client) {
    Socket upstream = null;
    try {
      client.setTcpNoDelay(true);
      InputStream in = client.getInputStream();
      int first = in.read();
      if (first < 0) {
        return;
      }
      if (first == TLS_HANDSHAKE) {
        refuseTls(client, in);
        return;
      }
      upstream = new Socket();
      upstream.setTcpNoDelay(true);
      open.add(upstream);
      upstream.connect(backend);
      upstream.getOutputStream().write(first);
      Socket up = upstream;
      AtomicInteger running = new AtomicInteger(2);
      threads.execute(() -> pump(up, client, running));
      pump(client, upstream, running);
    } catch (IOException | RuntimeException e) {
      forget(client);
      if (upstream != null) {
        forget(upstream);
      }
    } finally {
      if (upstream == null) {
        forget(client);
      }
    }
  }

  /**
   * Reads the rest of the TLS record (5-byte header, then as many bytes as its length says), answers 400 and
   * closes.
   */
  private void refuseTls(Socket client, InputStream in) throws IOException {
    refusedTls.incrementAndGet();
    byte[] header = in.readNBytes(4); // version (2), length (2)
    if (header.length == 4) {
      int length = ((header[2] & 0xff) << 8) | (header[3] & 0xff);
      in.readNBytes(length);
    }
    OutputStream out = client.getOutputStream();
    out.write(BAD_REQUEST);
    out.flush();
    client.shutdownOutput();
    // The client fails its handshake on the answer and closes; wait for that (briefly) so that nothing it
    // sent later is left unread when this side closes.
    client.setSoTimeout(1000);
    while (in.read() >= 0) {
      // discard
    }
  }

  /**
   * Copies {@code from}'s input to {@code to}'s output until the end of input, then half-closes {@code to}, so
   * its reader sees the end too. The last of the two directions to end closes both sockets; an error in one
   * closes both at once (which ends the other).
   */
  private void pump(Socket from, Socket to, AtomicInteger running) {
    byte[] buffer = new byte[64 * 1024];
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      int n;
      while ((n = in.read(buffer)) >= 0) {
        out.write(buffer, 0, n);
      }
      to.shutdownOutput();
      if (running.decrementAndGet() == 0) {
        forget(from);
        forget(to);
      }
    } catch (IOException e) {
      forget(from);
      forget(to);
    }
  }

  private void forget(Socket socket) {
    open.remove(socket);
    closeQuietly(socket);
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (SocketException ignored) {
      // already closed
    } catch (Exception ignored) {
      // closing anyway
    }
  }
}
