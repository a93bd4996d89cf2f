package io.github.ecsdeploy.standin.ecr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ecsdeploy.standin.AwsErrorException;
import io.github.ecsdeploy.standin.AwsStandIn;
import io.github.ecsdeploy.standin.StandInClients;
import io.github.ecsdeploy.standin.StandInExtension;
import io.github.ecsdeploy.standin.registry.RegistryHandler;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.AuthorizationData;
import software.amazon.awssdk.services.ecr.model.CreateRepositoryResponse;
import software.amazon.awssdk.services.ecr.model.DescribeImagesResponse;
import software.amazon.awssdk.services.ecr.model.ImageAlreadyExistsException;
import software.amazon.awssdk.services.ecr.model.ImageDetail;
import software.amazon.awssdk.services.ecr.model.ImageDigestDoesNotMatchException;
import software.amazon.awssdk.services.ecr.model.ImageIdentifier;
import software.amazon.awssdk.services.ecr.model.ImageNotFoundException;
import software.amazon.awssdk.services.ecr.model.ImageTagAlreadyExistsException;
import software.amazon.awssdk.services.ecr.model.ImageTagMutability;
import software.amazon.awssdk.services.ecr.model.InvalidParameterException;
import software.amazon.awssdk.services.ecr.model.PutImageResponse;
import software.amazon.awssdk.services.ecr.model.Repository;
import software.amazon.awssdk.services.ecr.model.RepositoryAlreadyExistsException;
import software.amazon.awssdk.services.ecr.model.RepositoryNotFoundException;

/** The real SDK v2 ECR client against the stand-in, over HTTP: every operation and each error. */
class EcrProtocolTest {

  @RegisterExtension static final StandInExtension STAND_IN = new StandInExtension();

  private static EcrClient ecr;

  @BeforeAll
  static void client() {
    ecr = StandInClients.ecr(STAND_IN.get());
  }

  @AfterAll
  static void close() {
    ecr.close();
  }

  @Test
  void createsAndDescribesRepositoryWithUriOnTheStandIn() {
    CreateRepositoryResponse created = ecr.createRepository(r -> r.repositoryName("team/hello-app")
        .imageTagMutability(ImageTagMutability.IMMUTABLE));
    Repository repo = created.repository();
    assertEquals("team/hello-app", repo.repositoryName());
    assertEquals(AwsStandIn.ACCOUNT_ID, repo.registryId());
    assertEquals("arn:aws:ecr:us-east-1:123456789012:repository/team/hello-app", repo.repositoryArn());
    assertEquals("127.0.0.1:" + STAND_IN.get().port() + "/team/hello-app", repo.repositoryUri());
    assertEquals(ImageTagMutability.IMMUTABLE, repo.imageTagMutability());
    assertTrue(Duration.between(repo.createdAt(), Instant.now()).abs().getSeconds() < 60);

    Repository described = ecr.describeRepositories(r -> r.repositoryNames("team/hello-app"))
        .repositories().get(0);
    assertEquals(repo, described);
  }

  @Test
  void refusesDuplicateAndInvalidRepositoryNames() {
    ecr.createRepository(r -> r.repositoryName("dup-app"));
    RepositoryAlreadyExistsException dup = assertThrows(RepositoryAlreadyExistsException.class,
        () -> ecr.createRepository(r -> r.repositoryName("dup-app")));
    assertEquals("RepositoryAlreadyExistsException", dup.awsErrorDetails().errorCode());
    assertTrue(dup.getMessage().contains("'dup-app' already exists"), dup.getMessage());

    InvalidParameterException invalid = assertThrows(InvalidParameterException.class,
        () -> ecr.createRepository(r -> r.repositoryName("Upper_Case")));
    assertEquals(400, invalid.statusCode());
  }

  @Test
  void describingAMissingRepositoryIsRepositoryNotFound() {
    RepositoryNotFoundException e = assertThrows(RepositoryNotFoundException.class,
        () -> ecr.describeRepositories(r -> r.repositoryNames("nope")));
    assertTrue(e.getMessage().contains("The repository with name 'nope' does not exist in the registry with id '123456789012'"),
        e.getMessage());
    assertThrows(RepositoryNotFoundException.class, () -> ecr.describeImages(r -> r.repositoryName("nope")));
  }

  @Test
  void authorizationTokenIsBasicAwsPasswordForTheStandInItself() {
    AuthorizationData data = ecr.getAuthorizationToken().authorizationData().get(0);
    String decoded = new String(Base64.getDecoder().decode(data.authorizationToken()), StandardCharsets.UTF_8);
    assertEquals("AWS:" + STAND_IN.get().ecr().registryPassword(), decoded);
    assertEquals(STAND_IN.get().endpoint().toString(), data.proxyEndpoint());
    assertTrue(data.expiresAt().isAfter(Instant.now().plus(Duration.ofHours(11))));
  }

  @Test
  void describeImagesAnswersFromWhatWasPushed() {
    ecr.createRepository(r -> r.repositoryName("images-app"));
    String digest = "sha256:" + "a".repeat(64);
    STAND_IN.get().ecr().putImage("images-app", digest, "v1.0.0", 1234,
        "application/vnd.oci.image.manifest.v1+json");

    DescribeImagesResponse all = ecr.describeImages(r -> r.repositoryName("images-app"));
    assertEquals(1, all.imageDetails().size());
    ImageDetail detail = all.imageDetails().get(0);
    assertEquals(digest, detail.imageDigest());
    assertEquals(java.util.List.of("v1.0.0"), detail.imageTags());
    assertEquals(1234L, detail.imageSizeInBytes());
    assertEquals("application/vnd.oci.image.manifest.v1+json", detail.imageManifestMediaType());

    ImageDetail byTag = ecr.describeImages(r -> r.repositoryName("images-app")
        .imageIds(ImageIdentifier.builder().imageTag("v1.0.0").build())).imageDetails().get(0);
    assertEquals(digest, byTag.imageDigest());

    ImageNotFoundException missing = assertThrows(ImageNotFoundException.class,
        () -> ecr.describeImages(r -> r.repositoryName("images-app")
            .imageIds(ImageIdentifier.builder().imageTag("v9.9.9").build())));
    assertTrue(missing.getMessage().contains("imageTag:'v9.9.9'"), missing.getMessage());
  }

  @Test
  void immutableRepositoryRefusesToMoveATag() {
    STAND_IN.get().ecr().createRepository("immutable-app", true);
    STAND_IN.get().ecr().putImage("immutable-app", "sha256:" + "1".repeat(64), "v1.0.0", 10, null);
    AwsErrorException refused = assertThrows(AwsErrorException.class, () -> STAND_IN.get().ecr()
        .putImage("immutable-app", "sha256:" + "2".repeat(64), "v1.0.0", 10, null));
    assertEquals("ImageTagAlreadyExistsException", refused.errorType());
    // ECR refuses even the same digest again (containers-roadmap #2179)
    AwsErrorException sameDigest = assertThrows(AwsErrorException.class, () -> STAND_IN.get().ecr()
        .putImage("immutable-app", "sha256:" + "1".repeat(64), "v1.0.0", 10, null));
    assertEquals("ImageTagAlreadyExistsException", sameDigest.errorType());
    assertEquals("The image tag 'v1.0.0' already exists in the 'immutable-app' repository and cannot be"
        + " overwritten because the repository is immutable.", sameDigest.getMessage());
    // the earlier, lenient picture stays available on request
    STAND_IN.get().ecr().acceptSameDigestRetag(true);
    try {
      STAND_IN.get().ecr().putImage("immutable-app", "sha256:" + "1".repeat(64), "v1.0.0", 10, null);
      assertThrows(AwsErrorException.class, () -> STAND_IN.get().ecr()
          .putImage("immutable-app", "sha256:" + "2".repeat(64), "v1.0.0", 10, null));
    } finally {
      STAND_IN.get().ecr().acceptSameDigestRetag(false);
    }

    STAND_IN.get().ecr().createRepository("mutable-app", false);
    STAND_IN.get().ecr().putImage("mutable-app", "sha256:" + "1".repeat(64), "latest", 10, null);
    STAND_IN.get().ecr().putImage("mutable-app", "sha256:" + "2".repeat(64), "latest", 10, null);
    assertFalse(STAND_IN.get().ecr().findImage("mutable-app", "sha256:" + "1".repeat(64)).orElseThrow()
        .tags().contains("latest"));
  }

  @Test
  void putImageTagMutabilityChangesTheRepository() {
    ecr.createRepository(r -> r.repositoryName("flip-app"));
    ecr.putImageTagMutability(r -> r.repositoryName("flip-app").imageTagMutability(ImageTagMutability.IMMUTABLE));
    assertTrue(STAND_IN.get().ecr().isImmutable("flip-app"));
  }

  // ---- PutImage (the re-tag flow) ----

  private static final String MANIFEST = "{\"schemaVersion\":2,\"mediaType\":\"" + RegistryHandler.DOCKER_MANIFEST
      + "\",\"config\":{},\"layers\":[]}";

  private static String recordManifest(String repository, boolean immutable, String tag) {
    STAND_IN.get().ecr().createRepository(repository, immutable);
    String digest = RegistryHandler.sha256(MANIFEST.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    STAND_IN.get().ecr().putImage(repository, digest, tag, 100, RegistryHandler.DOCKER_MANIFEST);
    return digest;
  }

  @Test
  void putImageReTagsAnImageAndRefusesAnImmutableTagEvenForTheSameImage() {
    String digest = recordManifest("retag-immutable", true, "v1.0.0");
    PutImageResponse added = ecr.putImage(r -> r.repositoryName("retag-immutable").imageManifest(MANIFEST)
        .imageTag("release-2025"));
    assertEquals(digest, added.image().imageId().imageDigest());
    assertEquals(java.util.Set.of("v1.0.0", "release-2025"),
        STAND_IN.get().ecr().findImage("retag-immutable", digest).orElseThrow().tags());

    ImageTagAlreadyExistsException same = assertThrows(ImageTagAlreadyExistsException.class,
        () -> ecr.putImage(r -> r.repositoryName("retag-immutable").imageManifest(MANIFEST).imageTag("v1.0.0")));
    assertEquals(400, same.statusCode());
    assertTrue(same.getMessage().contains("cannot be overwritten because the repository is immutable"),
        same.getMessage());
  }

  @Test
  void putImageOfTheSameImageAndTagInAMutableRepositoryIsImageAlreadyExists() {
    String digest = recordManifest("retag-mutable", false, "latest");
    ImageAlreadyExistsException e = assertThrows(ImageAlreadyExistsException.class,
        () -> ecr.putImage(r -> r.repositoryName("retag-mutable").imageManifest(MANIFEST).imageTag("latest")));
    assertTrue(e.getMessage().contains(digest), e.getMessage());
    assertThrows(ImageDigestDoesNotMatchException.class, () -> ecr.putImage(r -> r.repositoryName("retag-mutable")
        .imageManifest(MANIFEST).imageTag("other").imageDigest("sha256:" + "0".repeat(64))));
  }
}
