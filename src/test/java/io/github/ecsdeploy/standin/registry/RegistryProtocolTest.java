package io.github.ecsdeploy.standin.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ecsdeploy.standin.RequestLog;
import io.github.ecsdeploy.standin.StandInClients;
import io.github.ecsdeploy.standin.StandInExtension;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.ImageDetail;
import software.amazon.awssdk.services.ecr.model.ImageIdentifier;

/**
 * The stand-in's registry API spoken over raw HTTP ({@link HttpClient}), as the OCI distribution spec and ECR
 * define it: auth, blob uploads (monolithic, chunked, mounted), manifests of both media types, immutability.
 */
class RegistryProtocolTest {

  @RegisterExtension static final StandInExtension STAND_IN = new StandInExtension();

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String LAYER = "application/vnd.docker.image.rootfs.diff.tar.gzip";

  // ---- auth ----

  @Test
  void baseEndpointNeedsEcrBasicAuth() throws Exception {
    HttpResponse<String> anonymous = send(request("/v2/").GET().build());
    assertEquals(401, anonymous.statusCode());
    assertEquals("Basic realm=\"https://" + STAND_IN.get().ecr().registryHost() + "/\",service=\"ecr.amazonaws.com\"",
        anonymous.headers().firstValue("WWW-Authenticate").orElseThrow());
    assertEquals("UNAUTHORIZED", errorCode(anonymous));

    HttpResponse<String> wrong = send(request("/v2/").header("Authorization", basic("AWS", "not-the-password"))
        .GET().build());
    assertEquals(401, wrong.statusCode());
    HttpResponse<String> wrongUser = send(request("/v2/")
        .header("Authorization", basic("admin", STAND_IN.get().ecr().registryPassword())).GET().build());
    assertEquals(401, wrongUser.statusCode());

    HttpResponse<String> ok = send(authed("/v2/").GET().build());
    assertEquals(200, ok.statusCode());
    assertEquals("registry/2.0", ok.headers().firstValue("Docker-Distribution-API-Version").orElseThrow());
  }

  @Test
  void everyRepositoryPathNeedsAuthToo() throws Exception {
    STAND_IN.get().ecr().createRepository("auth-app", false);
    HttpResponse<String> anonymous = send(request("/v2/auth-app/blobs/uploads/")
        .POST(BodyPublishers.noBody()).build());
    assertEquals(401, anonymous.statusCode());
    assertTrue(anonymous.headers().firstValue("WWW-Authenticate").isPresent());
  }

  @Test
  void missingRepositoryIsNameUnknownWithEcrsMessage() throws Exception {
    HttpResponse<String> response = send(authed("/v2/no-such-app/blobs/uploads/")
        .POST(BodyPublishers.noBody()).build());
    assertEquals(404, response.statusCode());
    assertEquals("NAME_UNKNOWN", errorCode(response));
    assertEquals("The repository with name 'no-such-app' does not exist in the registry with id '123456789012'",
        JSON.readTree(response.body()).path("errors").get(0).path("message").asText());
  }

  // ---- blobs ----

  @Test
  void monolithicUploadVerifiesDigestAndServesTheBlob() throws Exception {
    STAND_IN.get().ecr().createRepository("mono-app", false);
    byte[] blob = "hello layer".getBytes(StandardCharsets.UTF_8);
    String digest = RegistryHandler.sha256(blob);

    HttpResponse<String> created = send(authed("/v2/mono-app/blobs/uploads/?digest=" + digest)
        .POST(BodyPublishers.ofByteArray(blob)).build());
    assertEquals(201, created.statusCode());
    assertEquals("/v2/mono-app/blobs/" + digest, created.headers().firstValue("Location").orElseThrow());
    assertEquals(digest, created.headers().firstValue("Docker-Content-Digest").orElseThrow());

    HttpResponse<String> head = send(authed("/v2/mono-app/blobs/" + digest)
        .method("HEAD", BodyPublishers.noBody()).build());
    assertEquals(200, head.statusCode());
    assertEquals(String.valueOf(blob.length), head.headers().firstValue("Content-Length").orElseThrow());
    assertEquals(digest, head.headers().firstValue("Docker-Content-Digest").orElseThrow());

    HttpResponse<byte[]> get = HTTP.send(authed("/v2/mono-app/blobs/" + digest).GET().build(),
        BodyHandlers.ofByteArray());
    assertEquals(200, get.statusCode());
    assertArrayEquals(blob, get.body());

    String wrong = RegistryHandler.sha256("other".getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> invalid = send(authed("/v2/mono-app/blobs/uploads/?digest=" + wrong)
        .POST(BodyPublishers.ofByteArray(blob)).build());
    assertEquals(400, invalid.statusCode());
    assertEquals("DIGEST_INVALID", errorCode(invalid));
    assertFalse(STAND_IN.get().registry().hasBlob("mono-app", wrong));

    RequestLog.Entry logged = STAND_IN.get().requestLog().entries(e -> e.service().equals("registry")
        && e.operation().equals("POST /v2/mono-app/blobs/uploads") && e.status() == 201).get(0);
    assertEquals(blob.length, logged.bytesIn());
  }

  @Test
  void chunkedUploadThroughASession() throws Exception {
    STAND_IN.get().ecr().createRepository("chunk-app", false);
    byte[] blob = new byte[10_000];
    Arrays.fill(blob, (byte) 7);
    String digest = RegistryHandler.sha256(blob);

    HttpResponse<String> started = send(authed("/v2/chunk-app/blobs/uploads/").POST(BodyPublishers.noBody())
        .build());
    assertEquals(202, started.statusCode());
    String location = started.headers().firstValue("Location").orElseThrow();
    assertTrue(location.startsWith("/v2/chunk-app/blobs/uploads/"), location);
    assertNotNull(started.headers().firstValue("Docker-Upload-UUID").orElse(null));

    HttpResponse<String> first = send(authed(location).header("Content-Range", "0-5999")
        .method("PATCH", BodyPublishers.ofByteArray(Arrays.copyOfRange(blob, 0, 6000))).build());
    assertEquals(202, first.statusCode());
    assertEquals("0-5999", first.headers().firstValue("Range").orElseThrow());

    HttpResponse<String> outOfOrder = send(authed(location).header("Content-Range", "7000-7999")
        .method("PATCH", BodyPublishers.ofByteArray(new byte[1000])).build());
    assertEquals(416, outOfOrder.statusCode());

    String next = first.headers().firstValue("Location").orElseThrow();
    HttpResponse<String> second = send(authed(next)
        .method("PATCH", BodyPublishers.ofByteArray(Arrays.copyOfRange(blob, 6000, 9000))).build());
    assertEquals(202, second.statusCode());
    assertEquals("0-8999", second.headers().firstValue("Range").orElseThrow());

    HttpResponse<String> done = send(authed(next + "?digest=" + digest)
        .PUT(BodyPublishers.ofByteArray(Arrays.copyOfRange(blob, 9000, 10_000))).build());
    assertEquals(201, done.statusCode());
    assertEquals(digest, done.headers().firstValue("Docker-Content-Digest").orElseThrow());
    assertTrue(STAND_IN.get().registry().hasBlob("chunk-app", digest));

    HttpResponse<String> finished = send(authed(next).method("PATCH", BodyPublishers.ofByteArray(new byte[1]))
        .build());
    assertEquals(404, finished.statusCode());
    assertEquals("BLOB_UPLOAD_UNKNOWN", errorCode(finished));

    long uploaded = STAND_IN.get().requestLog().bytesIn(e -> e.service().equals("registry")
        && e.operation().startsWith("PATCH /v2/chunk-app/") && e.status() == 202)
        + STAND_IN.get().requestLog().bytesIn(e -> e.service().equals("registry")
        && e.operation().equals("PUT /v2/chunk-app/blobs/uploads"));
    assertEquals(blob.length, uploaded);
  }

  @Test
  void finishingWithAWrongDigestIsRefused() throws Exception {
    STAND_IN.get().ecr().createRepository("badput-app", false);
    String location = send(authed("/v2/badput-app/blobs/uploads/").POST(BodyPublishers.noBody()).build())
        .headers().firstValue("Location").orElseThrow();
    send(authed(location).method("PATCH", BodyPublishers.ofByteArray(new byte[] {1, 2, 3})).build());
    String wrong = RegistryHandler.sha256(new byte[] {9});
    HttpResponse<String> done = send(authed(location + "?digest=" + wrong).PUT(BodyPublishers.noBody()).build());
    assertEquals(400, done.statusCode());
    assertEquals("DIGEST_INVALID", errorCode(done));
  }

  @Test
  void blobsAreVisibleOnlyWhereUploadedOrMounted() throws Exception {
    STAND_IN.get().ecr().createRepository("mount-base", false);
    STAND_IN.get().ecr().createRepository("mount-app", false);
    byte[] blob = "base layer".getBytes(StandardCharsets.UTF_8);
    String digest = upload("mount-base", blob);

    HttpResponse<String> notHere = send(authed("/v2/mount-app/blobs/" + digest)
        .method("HEAD", BodyPublishers.noBody()).build());
    assertEquals(404, notHere.statusCode());
    HttpResponse<String> notHereGet = send(authed("/v2/mount-app/blobs/" + digest).GET().build());
    assertEquals("BLOB_UNKNOWN", errorCode(notHereGet));

    HttpResponse<String> mounted = send(authed("/v2/mount-app/blobs/uploads/?mount=" + digest + "&from=mount-base")
        .POST(BodyPublishers.noBody()).build());
    assertEquals(201, mounted.statusCode());
    assertEquals("/v2/mount-app/blobs/" + digest, mounted.headers().firstValue("Location").orElseThrow());
    assertTrue(STAND_IN.get().registry().hasBlob("mount-app", digest));

    String unknown = RegistryHandler.sha256("nowhere".getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> session = send(authed("/v2/mount-app/blobs/uploads/?mount=" + unknown + "&from=mount-base")
        .POST(BodyPublishers.noBody()).build());
    assertEquals(202, session.statusCode());
    assertTrue(session.headers().firstValue("Location").orElseThrow().startsWith("/v2/mount-app/blobs/uploads/"));
  }

  // ---- manifests ----

  @Test
  void dockerManifestByTagAndDigestRecordsTheImageInEcr() throws Exception {
    STAND_IN.get().ecr().createRepository("team/manifest-app", false);
    byte[] config = "{\"architecture\":\"amd64\",\"os\":\"linux\"}".getBytes(StandardCharsets.UTF_8);
    byte[] layer = new byte[4096];
    String configDigest = upload("team/manifest-app", config);
    String layerDigest = upload("team/manifest-app", layer);
    byte[] manifest = imageManifest(RegistryHandler.DOCKER_MANIFEST,
        "application/vnd.docker.container.image.v1+json", config, configDigest,
        "application/vnd.docker.image.rootfs.diff.tar.gzip", layer, layerDigest);
    String digest = RegistryHandler.sha256(manifest);

    HttpResponse<String> put = send(authed("/v2/team/manifest-app/manifests/v1.0.0")
        .header("Content-Type", RegistryHandler.DOCKER_MANIFEST).PUT(BodyPublishers.ofByteArray(manifest)).build());
    assertEquals(201, put.statusCode());
    assertEquals(digest, put.headers().firstValue("Docker-Content-Digest").orElseThrow());

    for (String reference : List.of("v1.0.0", digest)) {
      HttpResponse<byte[]> get = HTTP.send(authed("/v2/team/manifest-app/manifests/" + reference)
          .header("Accept", RegistryHandler.DOCKER_MANIFEST).GET().build(), BodyHandlers.ofByteArray());
      assertEquals(200, get.statusCode());
      assertArrayEquals(manifest, get.body());
      assertEquals(RegistryHandler.DOCKER_MANIFEST, get.headers().firstValue("Content-Type").orElseThrow());
      assertEquals(digest, get.headers().firstValue("Docker-Content-Digest").orElseThrow());

      HttpResponse<String> head = send(authed("/v2/team/manifest-app/manifests/" + reference)
          .method("HEAD", BodyPublishers.noBody()).build());
      assertEquals(200, head.statusCode());
      assertEquals(String.valueOf(manifest.length), head.headers().firstValue("Content-Length").orElseThrow());
      assertEquals(digest, head.headers().firstValue("Docker-Content-Digest").orElseThrow());
    }

    try (EcrClient ecr = StandInClients.ecr(STAND_IN.get())) {
      ImageDetail detail = ecr.describeImages(r -> r.repositoryName("team/manifest-app")
          .imageIds(ImageIdentifier.builder().imageTag("v1.0.0").build())).imageDetails().get(0);
      assertEquals(digest, detail.imageDigest());
      assertEquals(manifest.length + config.length + layer.length, detail.imageSizeInBytes());
      assertEquals(RegistryHandler.DOCKER_MANIFEST, detail.imageManifestMediaType());
      assertNotNull(detail.imagePushedAt());
    }

    HttpResponse<String> tags = send(authed("/v2/team/manifest-app/tags/list").GET().build());
    assertEquals(List.of("v1.0.0"), List.of(JSON.treeToValue(JSON.readTree(tags.body()).path("tags"),
        String[].class)));

    HttpResponse<String> missing = send(authed("/v2/team/manifest-app/manifests/v9.9.9").GET().build());
    assertEquals(404, missing.statusCode());
    assertEquals("MANIFEST_UNKNOWN", errorCode(missing));
  }

  @Test
  void ociManifestAndIndex() throws Exception {
    STAND_IN.get().ecr().createRepository("oci-app", false);
    byte[] config = "{\"os\":\"linux\"}".getBytes(StandardCharsets.UTF_8);
    byte[] layer = "oci layer".getBytes(StandardCharsets.UTF_8);
    String configDigest = upload("oci-app", config);
    String layerDigest = upload("oci-app", layer);
    byte[] manifest = imageManifest(RegistryHandler.OCI_MANIFEST, "application/vnd.oci.image.config.v1+json",
        config, configDigest, "application/vnd.oci.image.layer.v1.tar+gzip", layer, layerDigest);
    String digest = RegistryHandler.sha256(manifest);

    HttpResponse<String> byDigest = send(authed("/v2/oci-app/manifests/" + digest)
        .header("Content-Type", RegistryHandler.OCI_MANIFEST).PUT(BodyPublishers.ofByteArray(manifest)).build());
    assertEquals(201, byDigest.statusCode());
    assertTrue(STAND_IN.get().ecr().findImage("oci-app", digest).orElseThrow().tags().isEmpty());

    byte[] index = ("{\"schemaVersion\":2,\"mediaType\":\"" + RegistryHandler.OCI_INDEX + "\",\"manifests\":[{"
        + "\"mediaType\":\"" + RegistryHandler.OCI_MANIFEST + "\",\"digest\":\"" + digest + "\",\"size\":"
        + manifest.length + ",\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"}}]}")
        .getBytes(StandardCharsets.UTF_8);
    HttpResponse<String> put = send(authed("/v2/oci-app/manifests/v2.0.0")
        .header("Content-Type", RegistryHandler.OCI_INDEX).PUT(BodyPublishers.ofByteArray(index)).build());
    assertEquals(201, put.statusCode());
    HttpResponse<String> get = send(authed("/v2/oci-app/manifests/v2.0.0").GET().build());
    assertEquals(RegistryHandler.OCI_INDEX, get.headers().firstValue("Content-Type").orElseThrow());
    assertEquals(RegistryHandler.sha256(index), get.headers().firstValue("Docker-Content-Digest").orElseThrow());

    HttpResponse<String> wrongDigest = send(authed("/v2/oci-app/manifests/" + configDigest)
        .header("Content-Type", RegistryHandler.OCI_MANIFEST).PUT(BodyPublishers.ofByteArray(manifest)).build());
    assertEquals(400, wrongDigest.statusCode());
    assertEquals("DIGEST_INVALID", errorCode(wrongDigest));

    HttpResponse<String> badTag = send(authed("/v2/oci-app/manifests/-bad")
        .header("Content-Type", RegistryHandler.OCI_MANIFEST).PUT(BodyPublishers.ofByteArray(manifest)).build());
    assertEquals("TAG_INVALID", errorCode(badTag));
  }

  @Test
  void manifestReferringToAMissingBlobIsRefused() throws Exception {
    STAND_IN.get().ecr().createRepository("orphan-app", false);
    byte[] config = "{}".getBytes(StandardCharsets.UTF_8);
    String configDigest = upload("orphan-app", config);
    byte[] layer = "never uploaded".getBytes(StandardCharsets.UTF_8);
    byte[] manifest = imageManifest(RegistryHandler.DOCKER_MANIFEST,
        "application/vnd.docker.container.image.v1+json", config, configDigest,
        "application/vnd.docker.image.rootfs.diff.tar.gzip", layer, RegistryHandler.sha256(layer));
    HttpResponse<String> put = send(authed("/v2/orphan-app/manifests/v1.0.0")
        .header("Content-Type", RegistryHandler.DOCKER_MANIFEST).PUT(BodyPublishers.ofByteArray(manifest)).build());
    assertEquals(400, put.statusCode());
    assertEquals("MANIFEST_BLOB_UNKNOWN", errorCode(put));
    assertTrue(STAND_IN.get().ecr().images("orphan-app").isEmpty());
  }

  @Test
  void immutableRepositoryRefusesAChangedTagAsEcrDoes() throws Exception {
    STAND_IN.get().ecr().createRepository("immutable-x", true);
    byte[] config = "{}".getBytes(StandardCharsets.UTF_8);
    String configDigest = upload("immutable-x", config);
    byte[] layerA = "a".getBytes(StandardCharsets.UTF_8);
    byte[] layerB = "b".getBytes(StandardCharsets.UTF_8);
    byte[] first = imageManifest(RegistryHandler.DOCKER_MANIFEST, "application/vnd.docker.container.image.v1+json",
        config, configDigest, LAYER, layerA, upload("immutable-x", layerA));
    byte[] second = imageManifest(RegistryHandler.DOCKER_MANIFEST, "application/vnd.docker.container.image.v1+json",
        config, configDigest, LAYER, layerB, upload("immutable-x", layerB));

    assertEquals(201, putManifest("immutable-x", "v1.0.0", first).statusCode());
    HttpResponse<String> refused = putManifest("immutable-x", "v1.0.0", second);
    assertEquals(400, refused.statusCode());
    JsonNode error = JSON.readTree(refused.body()).path("errors").get(0);
    assertEquals("TAG_INVALID", error.path("code").asText());
    assertEquals("The image tag 'v1.0.0' already exists in the 'immutable-x' repository and cannot be overwritten "
        + "because the repository is immutable.", error.path("message").asText());
    assertEquals(RegistryHandler.sha256(first),
        STAND_IN.get().ecr().findImage("immutable-x", "v1.0.0").orElseThrow().digest());

    HttpResponse<String> again = putManifest("immutable-x", "v1.0.0", first);
    assertEquals(400, again.statusCode(), "ECR refuses even the same manifest again (containers-roadmap #2179)");
    assertEquals("TAG_INVALID", errorCode(again));
    assertEquals(201, send(authed("/v2/immutable-x/manifests/" + RegistryHandler.sha256(first))
        .header("Content-Type", RegistryHandler.DOCKER_MANIFEST).PUT(BodyPublishers.ofByteArray(first)).build())
        .statusCode(), "a PUT by digest names no tag and is accepted");
  }

  /**
   * Issue 14, point 5: two identical builds push the same tag to an IMMUTABLE repository at once. Exactly one
   * PUT wins; the other is refused as ECR refuses it. The loser then does what push-image must do: re-read
   * the tag's digest (DescribeImages, as push-image asks ECR, and the registry's HEAD) and compare it with
   * the digest it built; equal means "already present", so the loser can succeed without overwriting anything.
   */
  @Test
  void twoIdenticalPushesRaceForAnImmutableTagOneWinsTheLoserFindsItsOwnDigest() throws Exception {
    STAND_IN.get().ecr().createRepository("race-x", true);
    byte[] config = "{\"race\":1}".getBytes(StandardCharsets.UTF_8);
    String configDigest = upload("race-x", config);
    byte[] layer = "same layer".getBytes(StandardCharsets.UTF_8);
    byte[] manifest = imageManifest(RegistryHandler.DOCKER_MANIFEST, "application/vnd.docker.container.image.v1+json",
        config, configDigest, LAYER, layer, upload("race-x", layer));
    String built = RegistryHandler.sha256(manifest);

    int rounds = 20;
    int winners = 0;
    int losersWithTheirOwnDigest = 0;
    for (int round = 0; round < rounds; round++) {
      String tag = "v1.0." + round;
      java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(2);
      java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
      try {
        List<java.util.concurrent.Future<HttpResponse<String>>> pushes = new java.util.ArrayList<>();
        for (int i = 0; i < 2; i++) {
          pushes.add(pool.submit(() -> {
            start.await();
            return putManifest("race-x", tag, manifest);
          }));
        }
        List<Integer> statuses = new java.util.ArrayList<>();
        for (java.util.concurrent.Future<HttpResponse<String>> push : pushes) {
          HttpResponse<String> answer = push.get();
          statuses.add(answer.statusCode());
          if (answer.statusCode() == 201) {
            winners++;
          }
          if (answer.statusCode() == 400) {
            assertEquals("TAG_INVALID", errorCode(answer));
            // the loser re-reads what the tag holds, through the SDK as push-image does
            try (EcrClient ecr = StandInClients.ecr(STAND_IN.get())) {
              String present = ecr.describeImages(r -> r.repositoryName("race-x").imageIds(
                  ImageIdentifier.builder().imageTag(tag).build()))
                  .imageDetails().get(0).imageDigest();
              if (present.equals(built)) {
                losersWithTheirOwnDigest++;
              }
            }
            HttpResponse<String> head = send(authed("/v2/race-x/manifests/" + tag)
                .header("Accept", RegistryHandler.DOCKER_MANIFEST)
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
            assertEquals(built, head.headers().firstValue("Docker-Content-Digest").orElseThrow());
          }
        }
        statuses.sort(null);
        assertEquals(List.of(201, 400), statuses, "round " + round + ": one winner, one refused loser");
      } finally {
        pool.shutdownNow();
      }
    }
    assertEquals(rounds, winners);
    assertEquals(rounds, losersWithTheirOwnDigest);
    assertEquals(1, STAND_IN.get().ecr().images("race-x").size(), "one image, never a second one");
    System.out.println("Immutable-tag race: " + rounds + " rounds of two identical pushes, " + winners
        + " winners, " + losersWithTheirOwnDigest + " losers refused (TAG_INVALID) that found their own digest");
  }

  // ---- helpers ----

  private static HttpResponse<String> putManifest(String repository, String tag, byte[] manifest) throws Exception {
    return send(authed("/v2/" + repository + "/manifests/" + tag)
        .header("Content-Type", RegistryHandler.DOCKER_MANIFEST).PUT(BodyPublishers.ofByteArray(manifest)).build());
  }

  private static String upload(String repository, byte[] blob) throws Exception {
    String digest = RegistryHandler.sha256(blob);
    HttpResponse<String> created = send(authed("/v2/" + repository + "/blobs/uploads/?digest=" + digest)
        .POST(BodyPublishers.ofByteArray(blob)).build());
    assertEquals(201, created.statusCode(), created.body());
    return digest;
  }

  private static byte[] imageManifest(String mediaType, String configType, byte[] config, String configDigest,
      String layerType, byte[] layer, String layerDigest) {
    return ("{\"schemaVersion\":2,\"mediaType\":\"" + mediaType + "\","
        + "\"config\":{\"mediaType\":\"" + configType + "\",\"size\":" + config.length + ",\"digest\":\""
        + configDigest + "\"},"
        + "\"layers\":[{\"mediaType\":\"" + layerType + "\",\"size\":" + layer.length + ",\"digest\":\""
        + layerDigest + "\"}]}").getBytes(StandardCharsets.UTF_8);
  }

  private static HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(STAND_IN.get().endpoint() + path));
  }

  private static HttpRequest.Builder authed(String path) {
    return request(path).header("Authorization", basic("AWS", STAND_IN.get().ecr().registryPassword()));
  }

  private static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  private static HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
    return HTTP.send(request, BodyHandlers.ofString());
  }

  private static String errorCode(HttpResponse<String> response) throws IOException {
    return JSON.readTree(response.body()).path("errors").get(0).path("code").asText();
  }
}
