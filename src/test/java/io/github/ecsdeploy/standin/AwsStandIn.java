package io.github.ecsdeploy.standin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.github.ecsdeploy.standin.FaultInjection.Fault;
import io.github.ecsdeploy.standin.ecr.EcrService;
import io.github.ecsdeploy.standin.ecs.EcsService;
import io.github.ecsdeploy.standin.ecs.EcsSimulationSettings;
import io.github.ecsdeploy.standin.ecs.StandaloneTaskControl;
import io.github.ecsdeploy.standin.logs.LogsService;
import io.github.ecsdeploy.standin.registry.RegistryHandler;
import io.github.ecsdeploy.standin.sts.StsService;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The local stand-in of the AWS APIs the plugin uses, on one loopback port: ECS (with its deployment
 * simulator) and ECR in the AWS JSON 1.1 protocol (dispatched by {@code X-Amz-Target}), STS in the Query
 * protocol (form-encoded POSTs without {@code X-Amz-Target}), and further handlers by path (the registry API under
 * {@code /v2/}). Signatures are not checked; an {@code Authorization} header is required as AWS requires
 * one. Every answer goes to the {@link RequestLog}; {@link FaultInjection} can disturb the JSON APIs.
 *
 * <p>Start it with {@link #start(Options)}, in-process (see {@link StandInExtension}) or as a process
 * ({@link StandInMain}); the production code never knows: it only gets an endpoint override.
 *
 * <p>Test controls for a stand-in in another process (the {@code src/it} builds) are served under
 * {@value #CONTROL_PATH}, see {@link #handleControl}.
 */
public final class AwsStandIn implements AutoCloseable {

  /** The account id of every ARN the stand-in makes. */
  public static final String ACCOUNT_ID = "123456789012";

  /** The path prefix of the HTTP test controls; no AWS API uses it. */
  public static final String CONTROL_PATH = "/__standin/";

  private static final String JSON_11 = "application/x-amz-json-1.1";
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * How to start the stand-in.
   *
   * @param port the loopback port, 0 for any free one
   * @param region the one region the stand-in answers for (ARNs carry it)
   * @param clock the time source of the deployment simulator and of timestamps
   * @param faultSeed seed of the fault-injection random source
   * @param ecsSettings the deployment simulator's delays (how fast tasks start and stop)
   */
  public record Options(int port, String region, Clock clock, long faultSeed, EcsSimulationSettings ecsSettings) {

    /** Any free port, {@code us-east-1}, the system clock, ECS delays of 1 s. */
    public static Options defaults() {
      return new Options(0, "us-east-1", Clock.systemUTC(), 42, EcsSimulationSettings.defaults());
    }

    public Options withPort(int newPort) {
      return new Options(newPort, region, clock, faultSeed, ecsSettings);
    }

    public Options withRegion(String newRegion) {
      return new Options(port, newRegion, clock, faultSeed, ecsSettings);
    }

    public Options withClock(Clock newClock) {
      return new Options(port, region, newClock, faultSeed, ecsSettings);
    }

    /** Scales the simulator's delays: 0.05 makes a 1 s task start take 50 ms. */
    public Options withTimeScale(double factor) {
      return new Options(port, region, clock, faultSeed, EcsSimulationSettings.timeScale(factor));
    }
  }

  private final Options options;
  private final HttpServer server;
  private final PlainHttpFront front;
  private final ExecutorService executor;
  private final URI endpoint;
  private final Map<String, JsonProtocolService> jsonServices = new LinkedHashMap<>();
  private final RequestLog requestLog = new RequestLog();
  private final FaultInjection faults;
  private final EcrService ecr;
  private final EcsService ecs;
  private final LogsService logs;
  private final StsService sts;
  private final RegistryHandler registry;

  static {
    // Not an AWS behaviour: a property of our own transport, so that the stand-in's latency is zero unless a test
    // asks for it (FaultInjection.latency). The JDK's HTTP server writes a response's headers and body in separate writes on a socket without
    // TCP_NODELAY: Nagle's algorithm holds the body until the front's delayed ACK (40 ms on Linux), so most calls
    // took 40 ms more than their work. The server reads this property once, when its configuration class loads:
    // in a JVM where another HTTP server started first, setting it here is too late (the surefire forks set it
    // on their command line, pom.xml).
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private AwsStandIn(Options options) throws IOException {
    this.options = options;
    this.faults = new FaultInjection(options.faultSeed());
    // The HTTP server listens on a port of its own; the public port is a front that refuses TLS at once (Jib
    // probes every registry port with TLS first) and passes plain HTTP on to it. See PlainHttpFront.
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    try {
      this.front = new PlainHttpFront(new InetSocketAddress(InetAddress.getLoopbackAddress(), options.port()),
          new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getAddress().getPort()));
    } catch (IOException e) {
      server.stop(0);
      throw e;
    }
    this.endpoint = URI.create("http://127.0.0.1:" + front.port());
    this.ecr = new EcrService(options.region(), ACCOUNT_ID, options.clock(), this::endpoint);
    addJsonService(ecr);
    this.ecs = new EcsService(options.region(), ACCOUNT_ID, options.clock(), options.ecsSettings());
    addJsonService(ecs);
    this.logs = new LogsService(options.clock());
    addJsonService(logs);
    ecs.standaloneTasks().logTo(logs);
    this.sts = new StsService(ACCOUNT_ID, options.clock(), faults);
    this.registry = new RegistryHandler(ecr, requestLog, faults);
    server.createContext("/v2/", registry);
    server.createContext("/", this::handleRoot);
    server.createContext(CONTROL_PATH, this::handleControl);
    this.executor = Executors.newFixedThreadPool(8, r -> daemon(r, "aws-stand-in"));
    server.setExecutor(executor);
  }

  /** Starts a stand-in; close it to stop. */
  public static AwsStandIn start(Options options) {
    try {
      AwsStandIn standIn = new AwsStandIn(options);
      standIn.server.start();
      return standIn;
    } catch (IOException e) {
      throw new IllegalStateException("Cannot start the AWS stand-in on port " + options.port(), e);
    }
  }

  /** Starts a stand-in with {@link Options#defaults()}. */
  public static AwsStandIn start() {
    return start(Options.defaults());
  }

  /**
   * Adds a JSON 1.1 service, built with access to this stand-in (for its clock, region, endpoint). Returns
   * the service so callers can keep its test controls.
   */
  public <T extends JsonProtocolService> T addJsonService(Function<AwsStandIn, T> factory) {
    T service = factory.apply(this);
    addJsonService(service);
    return service;
  }

  private void addJsonService(JsonProtocolService service) {
    synchronized (jsonServices) {
      jsonServices.put(service.targetPrefix(), service);
    }
  }

  /**
   * Serves a path prefix with a handler of its own (the registry API under {@code /v2/}). The handler logs
   * its own requests through {@link #requestLog()}.
   */
  public void addContext(String pathPrefix, HttpHandler handler) {
    server.createContext(pathPrefix, handler);
  }

  /** {@code http://127.0.0.1:<port>}: the one endpoint for every service. */
  public URI endpoint() {
    return endpoint;
  }

  public int port() {
    return front.port();
  }

  /**
   * How many TLS handshakes the public port refused (Jib's HTTPS-first probes of the registry, see {@link
   * PlainHttpFront}).
   */
  public long refusedTlsHandshakes() {
    return front.refusedTlsHandshakes();
  }

  public String region() {
    return options.region();
  }

  public Clock clock() {
    return options.clock();
  }

  /** ECS and its deployment simulator, with its test controls (failing images, delays). */
  public EcsService ecs() {
    return ecs;
  }

  /** CloudWatch Logs (the awslogs output of RunTask's tasks), with its test controls. */
  public LogsService logs() {
    return logs;
  }

  /** The ECR control plane, with its test controls. */
  public EcrService ecr() {
    return ecr;
  }

  /** STS (Query protocol): AssumeRoleWithWebIdentity and GetCallerIdentity, with its test controls. */
  public StsService sts() {
    return sts;
  }

  /** The registry API under {@code /v2/}, with its test controls. */
  public RegistryHandler registry() {
    return registry;
  }

  public RequestLog requestLog() {
    return requestLog;
  }

  public FaultInjection faults() {
    return faults;
  }

  @Override
  public void close() {
    front.close();
    server.stop(0);
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void handleRoot(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = readAll(exchange.getRequestBody());
      String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
      if (StsService.accepts(exchange.getRequestMethod(), target,
          exchange.getRequestHeaders().getFirst("Content-Type"))) {
        StsService.Answer answer = sts.handle(body, exchange.getRequestHeaders().getFirst("Authorization"),
            exchange.getRequestHeaders().getFirst("X-Amz-Security-Token"));
        byte[] out = answer.xml().getBytes(StandardCharsets.UTF_8);
        requestLog.add(entry("sts", answer.action(), answer.status(), answer.errorCode(), body.length,
            out.length, answer.injected()));
        send(exchange, answer.status(), "text/xml", out, null);
        return;
      }
      if (target == null || !"POST".equals(exchange.getRequestMethod())) {
        requestLog.add(entry("http", exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath(),
            404, null, body.length, 0, false));
        sendPlain(exchange, 404, "Not found: " + exchange.getRequestMethod() + " " + exchange.getRequestURI());
        return;
      }
      int dot = target.indexOf('.');
      String prefix = dot < 0 ? target : target.substring(0, dot);
      String operation = dot < 0 ? "" : target.substring(dot + 1);
      JsonProtocolService service;
      synchronized (jsonServices) {
        service = jsonServices.get(prefix);
      }
      if (service == null) {
        sendJsonError(exchange, prefix, operation, body.length, false,
            AwsErrorException.client("UnknownOperationException", null));
        return;
      }
      if (exchange.getRequestHeaders().getFirst("Authorization") == null) {
        sendJsonError(exchange, prefix, operation, body.length, false,
            new AwsErrorException(400, "MissingAuthenticationTokenException",
                "Missing Authentication Token"));
        return;
      }
      if (faults.denies(operation)) {
        sendJsonError(exchange, prefix, operation, body.length, true, accessDenied(service, operation));
        return;
      }
      if (!faults.admit(target)) {
        sendJsonError(exchange, prefix, operation, body.length, true,
            AwsErrorException.client("ThrottlingException", "Rate exceeded"));
        return;
      }
      faults.sleepLatency();
      Fault fault = faults.next();
      switch (fault) {
        case THROTTLE -> {
          sendJsonError(exchange, prefix, operation, body.length, true,
              AwsErrorException.client("ThrottlingException", "Rate exceeded"));
          return;
        }
        case SERVER_ERROR -> {
          sendJsonError(exchange, prefix, operation, body.length, true,
              new AwsErrorException(500, "ServerException", "Service encountered an internal error."));
          return;
        }
        case UNAVAILABLE -> {
          sendJsonError(exchange, prefix, operation, body.length, true,
              new AwsErrorException(503, "ServiceUnavailableException", "Service Unavailable"));
          return;
        }
        case NONE -> {
          // answer normally
        }
      }
      JsonNode request;
      try {
        request = body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
        if (request == null || !request.isObject()) {
          throw new IOException("body is not a JSON object");
        }
      } catch (IOException e) {
        sendJsonError(exchange, prefix, operation, body.length, false,
            AwsErrorException.client("SerializationException", "Start of structure or map found where not expected."));
        return;
      }
      JsonNode answer;
      try {
        answer = service.handle(operation, request);
      } catch (AwsErrorException e) {
        sendJsonError(exchange, prefix, operation, body.length, false, e);
        return;
      } catch (RuntimeException e) {
        e.printStackTrace();
        sendJsonError(exchange, prefix, operation, body.length, false,
            new AwsErrorException(500, "ServerException", "Stand-in failure: " + e));
        return;
      }
      byte[] out = JSON.writeValueAsBytes(answer == null ? JSON.createObjectNode() : answer);
      requestLog.add(entry(prefix, operation, 200, null, body.length, out.length, false));
      send(exchange, 200, JSON_11, out, null);
    } catch (RuntimeException e) {
      e.printStackTrace();
      throw e;
    }
  }

  /**
   * The test controls over HTTP, for tests that run the stand-in in another process: {@code POST
   * /__standin/ecs/fail-image} with {@code {"image": "<exact image>"}} calls {@link EcsService#failImage(String)}
   * on the current ECS service; {@code POST /__standin/ecs/clear-failures} calls
   * {@link EcsService#clearFailures()}; {@code POST /__standin/ecr/put-image} with {@code {"repository": ...,
   * "digest": "sha256:...", "tag": ...}} records an image as if pushed ({@link EcrService#putImage});
   * {@code POST /__standin/sts/issued-secrets} answers 200 {@code {"secrets": [...]}}, the secret keys and
   * session tokens STS issued ({@link StsService#issuedSecrets()}). Answers 204, or 400/404/405 with a
   * plain-text reason.
   */
  private void handleControl(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = readAll(exchange.getRequestBody());
      String path = exchange.getRequestURI().getPath();
      String control = path.substring(CONTROL_PATH.length());
      String error = null;
      int status = 204;
      EcsService current;
      synchronized (jsonServices) {
        current = (EcsService) jsonServices.get(EcsService.TARGET_PREFIX);
      }
      if (!"POST".equals(exchange.getRequestMethod())) {
        status = 405;
        error = "Test controls take POST";
      } else if (control.equals("ecs/fail-image")) {
        JsonNode image = null;
        try {
          image = body.length == 0 ? null : JSON.readTree(body).get("image");
        } catch (IOException e) {
          // answered below
        }
        if (image == null || !image.isTextual() || image.asText().isBlank()) {
          status = 400;
          error = "Body must be {\"image\": \"<exact image of a container>\"}";
        } else {
          current.failImage(image.asText());
        }
      } else if (control.equals("ecs/fail-task-definition")) {
        // {"taskDefinitionArn": "<full revision ARN>"}: EcsService#failTaskDefinition (the revision may come later)
        JsonNode arn = null;
        try {
          arn = body.length == 0 ? null : JSON.readTree(body).get("taskDefinitionArn");
        } catch (IOException e) {
          // answered below
        }
        if (arn == null || !arn.isTextual() || !arn.asText().contains(":task-definition/")) {
          status = 400;
          error = "Body must be {\"taskDefinitionArn\": \"arn:aws:ecs:...:task-definition/<family>:<revision>\"}";
        } else {
          current.failTaskDefinition(arn.asText());
        }
      } else if (control.equals("ecs/clear-failures")) {
        current.clearFailures();
      } else if (control.equals("ecs/settings") || control.equals("ecs/trigger-alarm")) {
        error = ecsControl(current, control, body);
        status = error == null ? 204 : 400;
      } else if (control.equals("ecs/run-task-outcome")) {
        error = StandaloneTaskControl.apply(current.standaloneTasks(), body);
        status = error == null ? 204 : 400;
      } else if (control.equals("ecr/put-image")) {
        error = putImage(body);
        status = error == null ? 204 : 400;
      } else if (control.equals("sts/issued-secrets")) {
        // The STS session secrets issued so far, for ITs that scan a build for them (see StsService).
        ObjectNode answer = JSON.createObjectNode();
        sts.issuedSecrets().forEach(answer.putArray("secrets")::add);
        byte[] out = JSON.writeValueAsBytes(answer);
        send(exchange, 200, "application/json", out, null);
        requestLog.add(entry("control", control, 200, null, body.length, out.length, false));
        return;
      } else {
        status = 404;
        error = "No test control " + path + "; known: ecs/fail-image, ecs/fail-task-definition, ecs/clear-failures, ecs/settings,"
            + " ecs/trigger-alarm, ecs/run-task-outcome, ecr/put-image, sts/issued-secrets";
      }
      if (error == null) {
        send(exchange, status, JSON_11, new byte[0], null);
      } else {
        sendPlain(exchange, status, error);
      }
      requestLog.add(entry("control", control, status, null, body.length, 0, false));
    }
  }

  /**
   * {@code ecs/settings} with any of {@code {"rollbackLagMillis": 30000, "staleReadsAfterUpdate": 2,
   * "serviceDeploymentsDenied": true, "bakeTimeMillis": 5000}} changes those {@link EcsSimulationSettings};
   * {@code ecs/trigger-alarm} with {@code {"cluster": ..., "service": ..., "alarm": ...}} calls
   * {@link EcsService#triggerAlarm}. Returns the reason for a 400, or {@code null}.
   */
  private static String ecsControl(EcsService ecs, String control, byte[] body) {
    JsonNode request;
    try {
      request = body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
    } catch (IOException e) {
      return "Body must be a JSON object";
    }
    if (control.equals("ecs/trigger-alarm")) {
      if (!request.path("cluster").isTextual() || !request.path("service").isTextual()
          || !request.path("alarm").isTextual()) {
        return "Body must be {\"cluster\": \"...\", \"service\": \"...\", \"alarm\": \"...\"}";
      }
      try {
        return ecs.triggerAlarm(request.get("cluster").asText(), request.get("service").asText(),
            request.get("alarm").asText()) ? null : "No deployment in progress watches alarm " + request.get("alarm");
      } catch (AwsErrorException e) {
        return e.errorType() + ": " + e.getMessage();
      }
    }
    try {
      EcsSimulationSettings settings = ecs.settings();
      if (request.has("rollbackLagMillis")) {
        settings = settings.withRollbackLag(java.time.Duration.ofMillis(request.get("rollbackLagMillis").asLong()));
      }
      if (request.has("staleReadsAfterUpdate")) {
        settings = settings.withStaleReadsAfterUpdate(request.get("staleReadsAfterUpdate").asInt());
      }
      if (request.has("serviceDeploymentsDenied")) {
        settings = settings.withServiceDeploymentsDenied(request.get("serviceDeploymentsDenied").asBoolean());
      }
      if (request.has("bakeTimeMillis")) {
        settings = settings.withBakeTime(java.time.Duration.ofMillis(request.get("bakeTimeMillis").asLong()));
      }
      ecs.setSettings(settings);
      return null;
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }

  /**
   * {@code ecr/put-image}: records an image under a tag as if it had been pushed, via
   * {@link EcrService#putImage}. Returns the reason for a 400, or {@code null}.
   */
  private String putImage(byte[] body) {
    JsonNode request;
    try {
      request = body.length == 0 ? null : JSON.readTree(body);
    } catch (IOException e) {
      request = null;
    }
    if (request == null || !request.path("repository").isTextual() || !request.path("digest").isTextual()
        || !request.path("digest").asText().matches("sha256:[0-9a-f]{64}")) {
      return "Body must be {\"repository\": \"name\", \"digest\": \"sha256:<64 hex>\", \"tag\": \"v1.0.0\","
          + " \"size\": 1234, \"mediaType\": \"...\"} (tag, size and mediaType optional)";
    }
    try {
      ecr.putImage(request.path("repository").asText(), request.path("digest").asText(),
          request.path("tag").isTextual() ? request.path("tag").asText() : null,
          request.path("size").asLong(1024),
          request.path("mediaType").asText(RegistryHandler.DOCKER_MANIFEST));
      return null;
    } catch (AwsErrorException e) {
      return e.errorType() + ": " + e.getMessage();
    }
  }

  private void sendJsonError(HttpExchange exchange, String prefix, String operation, long bytesIn,
      boolean injected, AwsErrorException error) throws IOException {
    ObjectNode node = JSON.createObjectNode();
    node.put("__type", error.errorType());
    if (error.getMessage() != null) {
      node.put("message", error.getMessage());
    }
    byte[] out = JSON.writeValueAsBytes(node);
    requestLog.add(entry(prefix, operation, error.status(), error.errorType(), bytesIn, out.length, injected));
    send(exchange, error.status(), JSON_11, out, error.errorType());
  }

  /**
   * What ECS and ECR answer a role whose IAM policy lacks the action: HTTP 400 {@code AccessDeniedException}
   * with IAM's sentence (the form of the IAM User Guide's "Troubleshoot access denied error messages":
   * "User: ... is not authorized to perform: ... because no identity-based policy allows the ... action").
   */
  private static AwsErrorException accessDenied(JsonProtocolService service, String operation) {
    String action = (service instanceof EcrService ? "ecr:" : "ecs:") + operation;
    return AwsErrorException.client("AccessDeniedException", "User: arn:aws:sts::" + ACCOUNT_ID
        + ":assumed-role/deployer/session is not authorized to perform: " + action
        + " because no identity-based policy allows the " + action + " action");
  }

  private static void sendPlain(HttpExchange exchange, int status, String text) throws IOException {
    send(exchange, status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8), null);
  }

  private static void send(HttpExchange exchange, int status, String contentType, byte[] body, String errorType)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
    if (errorType != null) {
      exchange.getResponseHeaders().set("x-amzn-ErrorType", errorType);
    }
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream os = exchange.getResponseBody()) {
        os.write(body);
      }
    }
  }

  private RequestLog.Entry entry(String service, String operation, int status, String errorType,
      long in, long out, boolean injected) {
    return new RequestLog.Entry(Instant.now(), service, operation, status, errorType, in, out, injected);
  }

  /** Reads the stream to its end and closes it. */
  public static byte[] readAll(InputStream in) throws IOException {
    try (in) {
      return in.readAllBytes();
    }
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }
}
