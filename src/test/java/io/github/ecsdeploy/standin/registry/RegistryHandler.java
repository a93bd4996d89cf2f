package io.github.ecsdeploy.standin.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.github.ecsdeploy.standin.AwsErrorException;
import io.github.ecsdeploy.standin.AwsStandIn;
import io.github.ecsdeploy.standin.FaultInjection;
import io.github.ecsdeploy.standin.RequestLog;
import io.github.ecsdeploy.standin.ecr.EcrService;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The registry API of the stand-in (OCI distribution, as ECR serves it under {@code /v2/}), what Jib pushes
 * to and pulls from:
 *
 * <ul>
 *   <li>{@code GET /v2/}: the auth check. Every request needs HTTP Basic auth with user {@code AWS} and the
 *       password from GetAuthorizationToken, else 401 with ECR's {@code WWW-Authenticate: Basic ...}.
 *   <li>Blobs: {@code HEAD}/{@code GET /v2/<name>/blobs/<digest>}; uploads by {@code POST
 *       /v2/<name>/blobs/uploads/} (monolithic with {@code ?digest=}, cross-repository mount with {@code
 *       ?mount=&from=}, or a session), {@code PATCH} chunks and a {@code PUT ?digest=} that verifies the
 *       digest. Blob bytes are stored once, by digest, but a repository sees only what was uploaded or
 *       mounted into it.
 *   <li>Manifests: {@code PUT}/{@code GET}/{@code HEAD /v2/<name>/manifests/<tag or digest>} for Docker v2.2
 *       and OCI manifests and indexes. A push records the image in {@link EcrService} (so DescribeImages
 *       answers from it) and meets ECR's tag immutability: in an IMMUTABLE repository a PUT to a tag that
 *       exists is refused with 400 {@code TAG_INVALID} and ECR's message, also when it is the same manifest
 *       (ECR user guide, "Preventing image tags from being overwritten"; containers-roadmap #2179; the message
 *       as docker/buildx print it, moby/buildkit#3776: "tag invalid: The image tag '...' already exists in the
 *       '...' repository and cannot be overwritten because the repository is immutable."). A PUT by digest is
 *       always accepted.
 *   <li>{@code GET /v2/<name>/tags/list}.
 * </ul>
 *
 * <p>Errors are the distribution API's {@code {"errors":[{"code":...,"message":...}]}}. Every request goes to
 * the {@link RequestLog} as service {@code registry}, operation {@code METHOD /v2/<name>/<kind>} (kind:
 * {@code blobs}, {@code blobs/uploads}, {@code manifests}, {@code tags/list}) with the request body bytes, so
 * tests sum what a push uploaded.
 */
public final class RegistryHandler implements HttpHandler {

  /** Docker image manifest v2, schema 2. */
  public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
  /** Docker manifest list. */
  public static final String DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
  /** OCI image manifest. */
  public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  /** OCI image index. */
  public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";

  private static final Set<String> IMAGE_MANIFESTS = Set.of(DOCKER_MANIFEST, OCI_MANIFEST);
  private static final Set<String> INDEXES = Set.of(DOCKER_MANIFEST_LIST, OCI_INDEX);

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern PATH = Pattern.compile(
      "^/v2/(.+?)/(?:(blobs/uploads)/([^/]*)|(blobs)/([^/]+)|(manifests)/([^/]+)|(tags/list))$");
  private static final Pattern DIGEST = Pattern.compile("sha256:[a-f0-9]{64}");
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");

  private record Manifest(byte[] bytes, String mediaType) {}

  private static final class Upload {
    final String repository;
    final ByteArrayOutputStream data = new ByteArrayOutputStream();

    Upload(String repository) {
      this.repository = repository;
    }
  }

  /** An error answer of the distribution API. */
  private static final class RegistryError extends Exception {
    final int status;
    final String code;

    RegistryError(int status, String code, String message) {
      super(message, null, false, false);
      this.status = status;
      this.code = code;
    }
  }

  private final EcrService ecr;
  private final RequestLog requestLog;
  private final FaultInjection faults;
  private final Map<String, byte[]> blobs = new HashMap<>();
  private final Map<String, Set<String>> blobsByRepository = new HashMap<>();
  private final Map<String, Map<String, Manifest>> manifestsByRepository = new HashMap<>();
  private final Map<String, Upload> uploads = new HashMap<>();

  /**
   * A registry backed by the given ECR control plane (repositories, tags, the password).
   *
   * @param ecr where repositories live and pushed images are recorded
   * @param requestLog where every request is logged
   */
  public RegistryHandler(EcrService ecr, RequestLog requestLog) {
    this(ecr, requestLog, new FaultInjection(0));
  }

  /**
   * A registry whose uploads can be denied: when {@code faults} denies {@code ecr:InitiateLayerUpload}, every
   * POST, PUT and PATCH is answered 403 {@code DENIED} with IAM's sentence, as ECR's registry answers a push by
   * a role without that permission (ECR User Guide, "Troubleshooting Amazon ECR error messages": "denied: User:
   * ... is not authorized to perform: ecr:InitiateLayerUpload on resource: ...").
   *
   * @param ecr where repositories live and pushed images are recorded
   * @param requestLog where every request is logged
   * @param faults the stand-in's fault injection
   */
  public RegistryHandler(EcrService ecr, RequestLog requestLog, FaultInjection faults) {
    this.ecr = ecr;
    this.requestLog = requestLog;
    this.faults = faults;
  }

  // ---- test controls ----

  /** Whether the repository holds the blob (uploaded or mounted into it). */
  public synchronized boolean hasBlob(String repository, String digest) {
    return blobsByRepository.getOrDefault(repository, Set.of()).contains(digest);
  }

  /** How many distinct blobs the registry stores, over all repositories. */
  public synchronized int blobCount() {
    return blobs.size();
  }

  /** The manifest bytes a tag or digest points at in a repository, if any. */
  public synchronized Optional<byte[]> manifest(String repository, String reference) {
    return resolveManifest(repository, reference).map(m -> m.bytes().clone());
  }

  // ---- HTTP ----

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      String path = exchange.getRequestURI().getRawPath();
      byte[] body = AwsStandIn.readAll(exchange.getRequestBody());
      String operation = method + " " + operationPath(path);
      Answer answer;
      try {
        if (!authorized(exchange.getRequestHeaders())) {
          exchange.getResponseHeaders().set("WWW-Authenticate",
              "Basic realm=\"https://" + ecr.registryHost() + "/\",service=\"ecr.amazonaws.com\"");
          throw new RegistryError(401, "UNAUTHORIZED", "Not Authorized");
        }
        if (!"GET".equals(method) && !"HEAD".equals(method) && faults.denies("ecr:InitiateLayerUpload")) {
          Matcher m = PATH.matcher(path);
          String repository = m.matches() ? m.group(1) : path;
          throw new RegistryError(403, "DENIED", "User: arn:aws:sts::" + AwsStandIn.ACCOUNT_ID
              + ":assumed-role/deployer/session is not authorized to perform: ecr:InitiateLayerUpload on resource:"
              + " arn:aws:ecr:" + ecr.region() + ":" + AwsStandIn.ACCOUNT_ID + ":repository/" + repository
              + " because no identity-based policy allows the ecr:InitiateLayerUpload action");
        }
        answer = route(exchange, method, path, body);
      } catch (RegistryError e) {
        answer = errorAnswer(e, "HEAD".equals(method));
      } catch (RuntimeException e) {
        e.printStackTrace();
        answer = errorAnswer(new RegistryError(500, "UNKNOWN", "Stand-in failure: " + e), "HEAD".equals(method));
      }
      // logged before the answer goes out, so a client that has its answer finds the entry
      requestLog.add(new RequestLog.Entry(Instant.now(), "registry", operation, answer.status(),
          answer.errorCode(), body.length, answer.headOnly() ? 0 : answer.body().length, false));
      send(exchange, answer);
    }
  }

  /** {@code /v2/}, or {@code /v2/<name>/<kind>} without the digest, tag or upload id. */
  private static String operationPath(String path) {
    Matcher m = PATH.matcher(path);
    if (!m.matches()) {
      return path;
    }
    String kind = m.group(2) != null ? m.group(2)
        : m.group(4) != null ? m.group(4)
        : m.group(6) != null ? m.group(6)
        : m.group(8);
    return "/v2/" + m.group(1) + "/" + kind;
  }

  private boolean authorized(Headers headers) {
    String header = headers.getFirst("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
      return false;
    }
    try {
      String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
      byte[] expected = ("AWS:" + ecr.registryPassword()).getBytes(StandardCharsets.UTF_8);
      return MessageDigest.isEqual(expected, decoded.getBytes(StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private record Answer(int status, Map<String, String> headers, byte[] body, String contentType,
      boolean headOnly, String errorCode) {
    Answer(int status, Map<String, String> headers, byte[] body, String contentType, boolean headOnly) {
      this(status, headers, body, contentType, headOnly, null);
    }

    static Answer empty(int status, Map<String, String> headers) {
      return new Answer(status, headers, new byte[0], null, false);
    }
  }

  private Answer route(HttpExchange exchange, String method, String path, byte[] body)
      throws RegistryError {
    if (path.equals("/v2/") || path.equals("/v2")) {
      return new Answer(200, Map.of(), "{}".getBytes(StandardCharsets.UTF_8), "application/json", false);
    }
    Matcher m = PATH.matcher(path);
    if (!m.matches()) {
      throw new RegistryError(404, "NAME_INVALID", "invalid repository name or path: " + path);
    }
    String name = m.group(1);
    Map<String, String> query = query(exchange.getRequestURI());
    synchronized (this) {
      if (!ecr.hasRepository(name)) {
        throw new RegistryError(404, "NAME_UNKNOWN", "The repository with name '" + name
            + "' does not exist in the registry with id '" + AwsStandIn.ACCOUNT_ID + "'");
      }
      if (m.group(2) != null) {
        String id = m.group(3);
        return switch (method) {
          case "POST" -> startUpload(name, id, query, body);
          case "PATCH" -> patchUpload(name, id, exchange.getRequestHeaders(), body);
          case "PUT" -> finishUpload(name, id, query, body);
          case "DELETE" -> cancelUpload(name, id);
          case "GET" -> uploadStatus(name, id);
          default -> throw unsupported(method, path);
        };
      }
      if (m.group(4) != null) {
        return switch (method) {
          case "HEAD" -> getBlob(name, m.group(5), true);
          case "GET" -> getBlob(name, m.group(5), false);
          default -> throw unsupported(method, path);
        };
      }
      if (m.group(6) != null) {
        String reference = URLDecoder.decode(m.group(7), StandardCharsets.UTF_8);
        return switch (method) {
          case "PUT" -> putManifest(name, reference, exchange.getRequestHeaders().getFirst("Content-Type"), body);
          case "HEAD" -> getManifest(name, reference, true);
          case "GET" -> getManifest(name, reference, false);
          default -> throw unsupported(method, path);
        };
      }
      if ("GET".equals(method)) {
        return tagsList(name);
      }
      throw unsupported(method, path);
    }
  }

  // ---- blobs ----

  private Answer getBlob(String name, String digest, boolean headOnly) throws RegistryError {
    if (!DIGEST.matcher(digest).matches()) {
      throw new RegistryError(400, "DIGEST_INVALID", "invalid digest: " + digest);
    }
    byte[] blob = hasBlob(name, digest) ? blobs.get(digest) : null;
    if (blob == null) {
      throw new RegistryError(404, "BLOB_UNKNOWN", "blob unknown to registry: " + digest);
    }
    return new Answer(200, Map.of("Docker-Content-Digest", digest), blob, "application/octet-stream", headOnly);
  }

  private Answer startUpload(String name, String id, Map<String, String> query, byte[] body)
      throws RegistryError {
    if (!id.isEmpty()) {
      throw new RegistryError(404, "BLOB_UPLOAD_INVALID", "POST goes to /v2/" + name + "/blobs/uploads/");
    }
    String mount = query.get("mount");
    if (mount != null) {
      String from = query.get("from");
      if (from != null && DIGEST.matcher(mount).matches() && blobs.containsKey(mount) && hasBlob(from, mount)) {
        blobsByRepository.computeIfAbsent(name, k -> new HashSet<>()).add(mount);
        return blobCreated(name, mount);
      }
      return newSession(name);
    }
    String digest = query.get("digest");
    if (digest != null) {
      store(name, digest, body);
      return blobCreated(name, digest);
    }
    return newSession(name);
  }

  private Answer newSession(String name) {
    String id = UUID.randomUUID().toString();
    uploads.put(id, new Upload(name));
    return Answer.empty(202, sessionHeaders(name, id, 0));
  }

  private Answer patchUpload(String name, String id, Headers headers, byte[] body) throws RegistryError {
    Upload upload = upload(name, id);
    String range = headers.getFirst("Content-Range");
    if (range != null) {
      Matcher r = Pattern.compile("(?:bytes )?(\\d+)-(\\d+)").matcher(range.trim());
      if (!r.matches() || Long.parseLong(r.group(1)) != upload.data.size()) {
        throw new RegistryError(416, "BLOB_UPLOAD_INVALID",
            "chunk range " + range + " does not continue the upload at " + upload.data.size());
      }
    }
    upload.data.writeBytes(body);
    return Answer.empty(202, sessionHeaders(name, id, upload.data.size()));
  }

  private Answer finishUpload(String name, String id, Map<String, String> query, byte[] body)
      throws RegistryError {
    Upload upload = upload(name, id);
    String digest = query.get("digest");
    if (digest == null) {
      throw new RegistryError(400, "DIGEST_INVALID", "the digest query parameter is required to finish an upload");
    }
    upload.data.writeBytes(body);
    uploads.remove(id);
    store(name, digest, upload.data.toByteArray());
    return blobCreated(name, digest);
  }

  private Answer cancelUpload(String name, String id) throws RegistryError {
    upload(name, id);
    uploads.remove(id);
    return Answer.empty(204, Map.of());
  }

  private Answer uploadStatus(String name, String id) throws RegistryError {
    Upload upload = upload(name, id);
    return Answer.empty(204, sessionHeaders(name, id, upload.data.size()));
  }

  private Upload upload(String name, String id) throws RegistryError {
    Upload upload = uploads.get(id);
    if (upload == null || !upload.repository.equals(name)) {
      throw new RegistryError(404, "BLOB_UPLOAD_UNKNOWN", "blob upload unknown to registry");
    }
    return upload;
  }

  private void store(String name, String digest, byte[] data) throws RegistryError {
    if (!DIGEST.matcher(digest).matches()) {
      throw new RegistryError(400, "DIGEST_INVALID", "unsupported digest: " + digest);
    }
    String actual = sha256(data);
    if (!actual.equals(digest)) {
      throw new RegistryError(400, "DIGEST_INVALID",
          "provided digest " + digest + " did not match uploaded content " + actual);
    }
    blobs.putIfAbsent(digest, data);
    blobsByRepository.computeIfAbsent(name, k -> new HashSet<>()).add(digest);
  }

  private static Map<String, String> sessionHeaders(String name, String id, long size) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Location", "/v2/" + name + "/blobs/uploads/" + id);
    headers.put("Docker-Upload-UUID", id);
    headers.put("Range", "0-" + Math.max(0, size - 1));
    return headers;
  }

  private static Answer blobCreated(String name, String digest) {
    return Answer.empty(201, Map.of("Location", "/v2/" + name + "/blobs/" + digest,
        "Docker-Content-Digest", digest));
  }

  // ---- manifests ----

  private Answer putManifest(String name, String reference, String contentType, byte[] body)
      throws RegistryError {
    JsonNode manifest;
    try {
      manifest = JSON.readTree(body);
    } catch (IOException e) {
      manifest = null;
    }
    if (manifest == null || !manifest.isObject()) {
      throw new RegistryError(400, "MANIFEST_INVALID", "manifest invalid: not a JSON object");
    }
    String mediaType = contentType != null ? contentType.split(";")[0].trim()
        : manifest.path("mediaType").asText(null);
    if (mediaType == null || !(IMAGE_MANIFESTS.contains(mediaType) || INDEXES.contains(mediaType))) {
      throw new RegistryError(400, "MANIFEST_INVALID", "unsupported manifest media type: " + mediaType);
    }
    String digest = sha256(body);
    String tag = null;
    if (reference.startsWith("sha256:")) {
      if (!reference.equals(digest)) {
        throw new RegistryError(400, "DIGEST_INVALID",
            "manifest digest " + digest + " does not match " + reference);
      }
    } else if (TAG.matcher(reference).matches()) {
      tag = reference;
    } else {
      throw new RegistryError(400, "TAG_INVALID", "invalid tag: " + reference);
    }
    long size = body.length;
    if (IMAGE_MANIFESTS.contains(mediaType)) {
      JsonNode config = manifest.path("config");
      size += requireBlob(name, config);
      for (JsonNode layer : manifest.path("layers")) {
        size += requireBlob(name, layer);
      }
    } else {
      for (JsonNode child : manifest.path("manifests")) {
        String childDigest = child.path("digest").asText("");
        if (resolveManifest(name, childDigest).isEmpty()) {
          throw new RegistryError(400, "MANIFEST_UNKNOWN", "manifest unknown: " + childDigest);
        }
        size += child.path("size").asLong(0);
      }
    }
    try {
      ecr.putImage(name, digest, tag, size, mediaType);
    } catch (AwsErrorException e) {
      if (e.errorType().equals("ImageTagAlreadyExistsException")) {
        throw new RegistryError(400, "TAG_INVALID", e.getMessage());
      }
      throw e;
    }
    manifestsByRepository.computeIfAbsent(name, k -> new HashMap<>()).put(digest, new Manifest(body, mediaType));
    return Answer.empty(201, Map.of("Location", "/v2/" + name + "/manifests/" + digest,
        "Docker-Content-Digest", digest));
  }

  private long requireBlob(String name, JsonNode descriptor) throws RegistryError {
    String digest = descriptor.path("digest").asText("");
    if (!hasBlob(name, digest)) {
      throw new RegistryError(400, "MANIFEST_BLOB_UNKNOWN", "blob unknown to registry: " + digest);
    }
    return blobs.get(digest).length;
  }

  private Answer getManifest(String name, String reference, boolean headOnly) throws RegistryError {
    Manifest manifest = resolveManifest(name, reference).orElseThrow(() -> new RegistryError(404,
        "MANIFEST_UNKNOWN", "Requested image not found"));
    return new Answer(200, Map.of("Docker-Content-Digest", sha256(manifest.bytes())), manifest.bytes(),
        manifest.mediaType(), headOnly);
  }

  private Optional<Manifest> resolveManifest(String name, String reference) {
    return ecr.findImage(name, reference)
        .map(image -> manifestsByRepository.getOrDefault(name, Map.of()).get(image.digest()));
  }

  private Answer tagsList(String name) {
    ObjectNode answer = JSON.createObjectNode();
    answer.put("name", name);
    ArrayNode tags = answer.putArray("tags");
    ecr.images(name).stream().flatMap(i -> i.tags().stream()).sorted().forEach(tags::add);
    return new Answer(200, Map.of(), answer.toString().getBytes(StandardCharsets.UTF_8), "application/json",
        false);
  }

  // ---- plumbing ----

  private static RegistryError unsupported(String method, String path) {
    return new RegistryError(405, "UNSUPPORTED", "The operation is unsupported: " + method + " " + path);
  }

  private static Answer errorAnswer(RegistryError error, boolean headOnly) {
    ObjectNode node = JSON.createObjectNode();
    ObjectNode entry = node.putArray("errors").addObject();
    entry.put("code", error.code);
    entry.put("message", error.getMessage());
    entry.putNull("detail");
    return new Answer(error.status, Map.of(), node.toString().getBytes(StandardCharsets.UTF_8),
        "application/json; charset=utf-8", headOnly, error.code);
  }

  private static void send(HttpExchange exchange, Answer answer) throws IOException {
    Headers headers = exchange.getResponseHeaders();
    headers.set("Docker-Distribution-API-Version", "registry/2.0");
    answer.headers().forEach(headers::set);
    if (answer.contentType() != null) {
      headers.set("Content-Type", answer.contentType());
    }
    byte[] body = answer.body();
    if (answer.headOnly()) {
      if (answer.errorCode() == null) {
        headers.set("Content-Length", Long.toString(body.length));
      }
      exchange.sendResponseHeaders(answer.status(), -1);
      return;
    }
    exchange.sendResponseHeaders(answer.status(), body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream os = exchange.getResponseBody()) {
        os.write(body);
      }
    }
  }

  private static Map<String, String> query(URI uri) {
    Map<String, String> query = new HashMap<>();
    String raw = uri.getRawQuery();
    if (raw == null || raw.isEmpty()) {
      return query;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      query.putIfAbsent(key, value);
    }
    return query;
  }

  /** {@code sha256:<hex>} of the bytes. */
  public static String sha256(byte[] data) {
    try {
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
