package io.github.ecsdeploy.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ecsdeploy.testing.RecordingDeployLog;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.DescribeImagesRequest;
import software.amazon.awssdk.services.ecr.model.DescribeImagesResponse;
import software.amazon.awssdk.services.ecr.model.ImageDetail;
import software.amazon.awssdk.services.ecr.model.ImageNotFoundException;
import software.amazon.awssdk.services.ecr.model.RepositoryNotFoundException;

/**
 * The never-overwrite rule of push-image, without Jib: what the publisher decides from ECR's DescribeImages and
 * from the digest a build gives (an {@link ImageBuilder} that answers as scripted and records what it was asked
 * to do). {@code ImagePublisherTest} runs the same rules with Jib pushing to the stand-in's registry.
 */
class ImagePublisherRulesTest {

  private static final RegistryHost REGISTRY = RegistryHost.parse("123456789012.dkr.ecr.eu-west-1.amazonaws.com");
  private static final ImageTarget TARGET = new ImageTarget(REGISTRY, "team/hello", "v1.4.0");
  private static final String OURS = "sha256:" + "a".repeat(64);
  private static final String THEIRS = "sha256:" + "b".repeat(64);
  private static final ImageSpec SPEC = ImageSpec.builder().baseImage("eclipse-temurin:21-jre")
      .mainClass("com.example.App").build();

  private final RecordingDeployLog log = new RecordingDeployLog();
  private final Ecr ecr = new Ecr();
  private final Builder builder = new Builder();

  /** DescribeImages answers one scripted answer per call: a digest, no such image, or an exception. */
  private static final class Ecr implements EcrClient {
    final Deque<Object> answers = new ArrayDeque<>();
    final List<DescribeImagesRequest> requests = new ArrayList<>();

    Ecr answers(Object... values) {
      answers.addAll(List.of(values));
      return this;
    }

    @Override
    public DescribeImagesResponse describeImages(DescribeImagesRequest request) {
      requests.add(request);
      Object answer = answers.isEmpty() ? "none" : answers.poll();
      if (answer instanceof RuntimeException e) {
        throw e;
      }
      if ("none".equals(answer)) {
        throw ImageNotFoundException.builder().message("The image with imageId {imageTag:'v1.4.0'} does not exist")
            .build();
      }
      return DescribeImagesResponse.builder()
          .imageDetails(ImageDetail.builder().imageDigest((String) answer).imageTags(request.imageIds().get(0)
              .imageTag()).build())
          .build();
    }

    @Override
    public String serviceName() {
      return "ecr";
    }

    @Override
    public void close() {}
  }

  /** Builds the image with digest {@link #OURS}; a push can be refused. */
  private static final class Builder implements ImageBuilder {
    final List<String> calls = new ArrayList<>();
    Refusal refusal;

    @Override
    public String push(ImageTarget target, ImageSpec spec) {
      calls.add("push " + target.reference());
      if (refusal != null) {
        throw new Refused(refusal, new RuntimeException("the registry said no"));
      }
      return OURS;
    }

    @Override
    public String digest(ImageTarget target, ImageSpec spec) {
      calls.add("digest " + target.reference());
      return OURS;
    }
  }

  private PublishedImage publish(boolean rollback) {
    return new ImagePublisher(ecr, builder, log).publish(TARGET, SPEC, rollback);
  }

  @Test
  void aNewTagIsBuiltAndPushed() {
    PublishedImage image = new ImagePublisher(ecr, builder, log).publish(TARGET, SPEC);

    assertEquals(new PublishedImage(TARGET, OURS, true), image);
    assertEquals(List.of("push " + TARGET.reference()), builder.calls);
    assertTrue(log.infoContains("Building and pushing " + TARGET.reference() + " with Jib (only layers the registry"
        + " lacks)"), "said before the build starts: " + log.joined());
    assertTrue(log.infoContains("Pushed " + TARGET.reference() + " with digest " + OURS), log.joined());
  }

  @Test
  void ecrIsAskedForTheTagInTheTargetsAccountAndRepository() {
    publish(false);

    DescribeImagesRequest request = ecr.requests.get(0);
    assertEquals("123456789012", request.registryId());
    assertEquals("team/hello", request.repositoryName());
    assertEquals("v1.4.0", request.imageIds().get(0).imageTag());

    new ImagePublisher(ecr, builder, log).publish(
        new ImageTarget(RegistryHost.parse("127.0.0.1:5000"), "hello", "v1"), SPEC, false);
    assertEquals(null, ecr.requests.get(1).registryId(), "a registry that is no ECR host names no account");
  }

  @Test
  void theSameImageUnderAnExistingTagIsAReRunAndNothingIsPushed() {
    ecr.answers(OURS);

    PublishedImage image = publish(false);

    assertEquals(new PublishedImage(TARGET, OURS, false), image);
    assertEquals(List.of("digest " + TARGET.reference()), builder.calls, "built locally, never pushed");
    assertTrue(log.infoContains("Tag v1.4.0 already exists in team/hello; building locally to compare digests before"
        + " any upload"), "said before the build starts: " + log.joined());
    assertTrue(log.infoContains("already present with digest " + OURS + " (a re-run of the same build)"),
        log.joined());
  }

  @Test
  void anotherImageUnderAnExistingTagIsRefusedBeforeAnyUpload() {
    ecr.answers(THEIRS);

    UserInputException e = assertThrows(UserInputException.class, () -> publish(false));

    assertEquals(Optional.of(Param.TAG), e.param());
    assertEquals("Tag v1.4.0 already exists in team/hello with digest " + THEIRS + "; this build produced " + OURS
        + ". A pushed tag is never overwritten: bump the version (a new git tag and project version) and release"
        + " again. Nothing was uploaded. (If the code did not change, the base image eclipse-temurin:21-jre may"
        + " have: pin it by digest, name@sha256:..., for repeatable builds.)", e.getMessage());
    assertEquals(List.of("digest " + TARGET.reference()), builder.calls);
  }

  @Test
  void theBaseImageHintIsGivenOnlyForABaseImageThatCanMove() {
    for (String fixed : new String[] {null, "", "scratch", "eclipse-temurin@sha256:" + "c".repeat(64)}) {
      ecr.answers(THEIRS);
      ImageSpec spec = ImageSpec.builder().baseImage(fixed).mainClass("com.example.App").build();
      UserInputException e = assertThrows(UserInputException.class,
          () -> new ImagePublisher(ecr, builder, log).publish(TARGET, spec, false));
      assertTrue(e.getMessage().endsWith("Nothing was uploaded."), fixed + ": " + e.getMessage());
    }
  }

  @Test
  void aRollbackDeploysTheImageEcrHoldsWithoutBuildingAnything() {
    ecr.answers(THEIRS);

    PublishedImage image = publish(true);

    assertEquals(new PublishedImage(TARGET, THEIRS, false), image);
    assertEquals(List.of(), builder.calls);
    assertTrue(log.infoContains("is a rollback to a released version"), log.joined());
  }

  @Test
  void aRollbackToATagEcrDoesNotHoldIsBuiltAndPushedLikeAnyNewTag() {
    assertEquals(new PublishedImage(TARGET, OURS, true), publish(true));
    assertEquals(List.of("push " + TARGET.reference()), builder.calls);
  }

  @Test
  void aMissingRepositoryNamesTheCommandThatCreatesIt() {
    ecr.answers(RepositoryNotFoundException.builder().message("The repository does not exist").build());

    UserInputException e = assertThrows(UserInputException.class, () -> publish(false));

    assertEquals(Optional.of(Param.REPOSITORY), e.param());
    assertEquals("The ECR repository 'team/hello' does not exist in the registry " + REGISTRY + ". Create it (tags"
        + " immutable, so no release can be overwritten): aws ecr create-repository --repository-name team/hello"
        + " --image-tag-mutability IMMUTABLE; or fix <repository> / -Decs.repository.", e.getMessage());
    assertEquals(List.of(), builder.calls);
  }

  @Test
  void aRepositoryTheRegistryDoesNotKnowAtPushTimeIsTheSameUserError() {
    builder.refusal = ImageBuilder.Refusal.REPOSITORY_UNKNOWN;

    UserInputException e = assertThrows(UserInputException.class, () -> publish(false));

    assertEquals(Optional.of(Param.REPOSITORY), e.param());
    assertTrue(e.getMessage().startsWith("The ECR repository 'team/hello' does not exist"), e.getMessage());
    assertEquals(1, ecr.requests.size(), "no second look: the repository is missing, not the tag");
  }

  @Test
  void ecrUnreachableReachesTheOneErrorMappingUnwrappedAndNothingIsBuilt() {
    // One error policy (issue 12): the SDK's exception goes on to maven.Failures, which names the operation,
    // the region and the credential source; ImagePublisher adds nothing it could say better.
    SdkClientException refused = SdkClientException.create("Unable to execute HTTP request: Connection refused");
    ecr.answers(refused);

    SdkClientException e = assertThrows(SdkClientException.class, () -> publish(false));

    assertSame(refused, e);
    assertEquals(List.of(), builder.calls);
  }

  @Test
  void aRaceLostToAnotherBuildOfTheSameImageIsAlreadyPresent() {
    builder.refusal = ImageBuilder.Refusal.TAG_IMMUTABLE;
    ecr.answers("none", OURS);

    PublishedImage image = publish(false);

    assertEquals(new PublishedImage(TARGET, OURS, false), image);
    assertEquals(List.of("push " + TARGET.reference(), "digest " + TARGET.reference()), builder.calls);
    assertTrue(log.infoContains("another build of the same commit pushed it first"), log.joined());
  }

  @Test
  void aRaceWinnerNotYetListedIsAskedForOnceMore() {
    builder.refusal = ImageBuilder.Refusal.TAG_IMMUTABLE;
    ecr.answers("none", "none", OURS);

    assertEquals(new PublishedImage(TARGET, OURS, false), publish(false));
    assertEquals(3, ecr.requests.size(), "ECR's reads are eventually consistent: one more look");
  }

  @Test
  void aRaceWinnerEcrNeverListsIsRefusedSayingWhatHappened() {
    builder.refusal = ImageBuilder.Refusal.TAG_IMMUTABLE;

    UserInputException e = assertThrows(UserInputException.class, () -> publish(false));

    assertEquals(Optional.of(Param.TAG), e.param());
    assertTrue(e.getMessage().startsWith("Tag v1.4.0 already exists in team/hello and the repository is IMMUTABLE:"
        + " ECR refused to overwrite it"), e.getMessage());
    assertEquals(3, ecr.requests.size());
    assertEquals(List.of("push " + TARGET.reference()), builder.calls);
  }

  @Test
  void aRaceLostToAnotherImageIsTheUsualBumpTheVersion() {
    builder.refusal = ImageBuilder.Refusal.TAG_IMMUTABLE;
    ecr.answers("none", THEIRS);

    UserInputException e = assertThrows(UserInputException.class, () -> publish(false));

    assertEquals(Optional.of(Param.TAG), e.param());
    assertTrue(e.getMessage().contains("with digest " + THEIRS + "; this build produced " + OURS + ". A pushed tag"
        + " is never overwritten: bump the version (a new git tag and project version) and release again. Another"
        + " build pushed it while this one ran."), e.getMessage());
  }

  @Test
  void aDryRunSaysWhatPushImageWouldDoAndBuildsNothing() {
    ImagePublisher publisher = new ImagePublisher(ecr, builder, log);
    ecr.answers("none", THEIRS, THEIRS);

    assertEquals(Optional.empty(), publisher.preview(TARGET, false));
    assertEquals(Optional.of(THEIRS), publisher.preview(TARGET, false));
    assertEquals(Optional.of(THEIRS), publisher.preview(TARGET, true));

    assertEquals(List.of(
        "Dry run (<dryRun> / -Decs.dryRun): push-image would build " + TARGET.reference() + " with Jib and push it"
            + " (ECR has no such tag); nothing is built or pushed.",
        "Dry run (<dryRun> / -Decs.dryRun): push-image would build " + TARGET.reference() + " locally and compare"
            + " it with the digest ECR holds (" + THEIRS + "): the same is a re-run, another fails; nothing is"
            + " built or pushed.",
        "Dry run (<dryRun> / -Decs.dryRun): push-image would deploy " + TARGET.reference() + " as released"
            + " (digest " + THEIRS + "; a rollback); nothing is built or pushed."), log.infos());
    assertEquals(List.of(), builder.calls);
  }

  @Test
  void aPublishedImageNamesItselfByTagAndPinnedByDigest() {
    PublishedImage image = new PublishedImage(TARGET, OURS, true);
    assertEquals("123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/hello:v1.4.0", image.image());
    assertEquals("123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/hello@" + OURS, image.imageWithDigest());
    assertEquals(image.image(), TARGET.toString());
  }

  @Test
  void anImageTargetChecksEveryPartNamingItsParameter() {
    for (String bad : new String[] {"Team/hello", "team//hello", "-hello", "hello-", "hello.", "a".repeat(257)}) {
      UserInputException e = assertThrows(UserInputException.class, () -> new ImageTarget(REGISTRY, bad, "v1"));
      assertEquals(Optional.of(Param.REPOSITORY), e.param(), bad);
      assertTrue(e.getMessage().startsWith("'" + bad + "' is not a valid repository name"), e.getMessage());
    }
    for (String none : new String[] {null, " "}) {
      UserInputException e = assertThrows(UserInputException.class, () -> new ImageTarget(REGISTRY, none, "v1"));
      assertEquals("No ECR repository given: set <repository> / -Decs.repository to the repository name (e.g."
          + " team/hello-app).", e.getMessage());
    }
    assertEquals("a".repeat(256), new ImageTarget(REGISTRY, "a".repeat(256), "v1").repository());
    assertEquals("a__b/c-d--e.f_g", new ImageTarget(REGISTRY, "a__b/c-d--e.f_g", "v1").repository());
    for (String bad : new String[] {null, "", ".v1", "-v1", "v1/2", "v1:2", "v" + "1".repeat(128)}) {
      UserInputException e = assertThrows(UserInputException.class, () -> new ImageTarget(REGISTRY, "hello", bad));
      assertEquals(Optional.of(Param.TAG), e.param());
      assertEquals("'" + bad + "' is not a valid image tag (letters, digits, _ . -, at most 128): fix <tag> /"
          + " -Decs.tag.", e.getMessage());
    }
    assertEquals("_v" + "1".repeat(126), new ImageTarget(REGISTRY, "hello", "_v" + "1".repeat(126)).tag());
    assertThrows(NullPointerException.class, () -> new ImageTarget(null, "hello", "v1"));
  }

  @Test
  void registryCredentialsNeverShowThePassword() {
    RegistryCredentials credentials = new RegistryCredentials("AWS", "eyJwYXlsb2FkIjoi-secret");
    assertEquals("RegistryCredentials[username=AWS, password=****]", credentials.toString());
    assertFalse(credentials.toString().contains("secret"));
    assertThrows(NullPointerException.class, () -> new RegistryCredentials(null, "p"));
    assertThrows(NullPointerException.class, () -> new RegistryCredentials("AWS", null));
  }
}
