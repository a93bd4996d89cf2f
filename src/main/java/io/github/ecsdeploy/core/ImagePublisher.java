package io.github.ecsdeploy.core;

import java.util.Optional;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.DescribeImagesResponse;
import software.amazon.awssdk.services.ecr.model.ImageDetail;
import software.amazon.awssdk.services.ecr.model.ImageIdentifier;
import software.amazon.awssdk.services.ecr.model.ImageNotFoundException;
import software.amazon.awssdk.services.ecr.model.RepositoryNotFoundException;

/**
 * Publishes the image of a Java service to {@code <registry>/<repository>:<tag>}, never replacing a tag:
 *
 * <ol>
 *   <li>Ask ECR (DescribeImages) whether the tag exists.
 *   <li>If it does, have the image built locally only (builds are reproducible: fixed creation time and file
 *       timestamps) and compare digests: the same digest is a re-run of the same build and succeeds as
 *       "already present" with nothing uploaded; another digest fails before any upload, saying to bump the
 *       version.
 *   <li>Otherwise push; only the layers the registry lacks are uploaded. An IMMUTABLE repository that refuses
 *       the tag anyway (another build pushed it between the check and the push; ECR refuses even the same
 *       digest, containers-roadmap #2179) is judged like step 2: the tag is read again, and the same digest
 *       succeeds as "already present", another fails saying to bump the version.
 * </ol>
 *
 * <p>A rollback to a released version (validate-tag found the tag in ECR and older than what runs) builds
 * nothing: the image ECR holds under the tag is the release, and a rebuild of an old tag can give another
 * digest once its base image moved.
 *
 * <p>The image is built through the {@link ImageBuilder} port (Jib, in the {@code jib} package).
 */
public final class ImagePublisher {

  private final EcrClient ecr;
  private final ImageBuilder builder;
  private final DeployLog log;

  /**
   * A publisher.
   *
   * @param ecr the ECR client (DescribeImages of the target repository)
   * @param builder builds and pushes the image
   * @param log where progress goes
   */
  public ImagePublisher(EcrClient ecr, ImageBuilder builder, DeployLog log) {
    this.ecr = ecr;
    this.builder = builder;
    this.log = log;
  }

  /**
   * Publishes the image under the target's tag, or confirms that exactly this image is already there.
   *
   * @throws UserInputException the tag holds another image, the repository is missing, the registry refused
   *     the credentials, or the spec is unusable
   * @throws ExternalFailureException the registry could not be reached, or the build failed otherwise (an ECR
   *     SDK failure passes unchanged to the one mapping of AWS errors)
   */
  public PublishedImage publish(ImageTarget target, ImageSpec spec) {
    return publish(target, spec, false);
  }

  /**
   * As {@link #publish(ImageTarget, ImageSpec)}; with {@code rollback} set and the tag in ECR, hands on the image
   * ECR holds without building anything.
   *
   * @param rollback validate-tag found the tag released before and older than what the service runs
   */
  public PublishedImage publish(ImageTarget target, ImageSpec spec, boolean rollback) {
    Optional<String> existing = existingDigest(target);
    if (existing.isPresent() && rollback) {
      log.info("Tag " + target.tag() + " is a rollback to a released version (validate-tag): ECR holds "
          + target.reference() + " with digest " + existing.get() + "; that image is deployed as released,"
          + " nothing is built or pushed.");
      return new PublishedImage(target, existing.get(), false);
    }
    if (existing.isPresent()) {
      log.info("Tag " + target.tag() + " already exists in " + target.repository()
          + "; building locally to compare digests before any upload");
      String built = builder.digest(target, spec);
      if (!built.equals(existing.get())) {
        throw tagTaken(target, spec, existing.get(), built, "Nothing was uploaded.");
      }
      log.info("Image " + target.reference() + " is already present with digest " + built
          + " (a re-run of the same build); nothing pushed.");
      return new PublishedImage(target, built, false);
    }
    log.info("Building and pushing " + target.reference() + " with Jib (only layers the registry lacks)");
    String digest;
    try {
      digest = builder.push(target, spec);
    } catch (ImageBuilder.Refused e) {
      if (e.refusal() == ImageBuilder.Refusal.REPOSITORY_UNKNOWN) {
        throw repositoryMissing(target);
      }
      return lostRace(target, spec);
    }
    log.info("Pushed " + target.reference() + " with digest " + digest);
    return new PublishedImage(target, digest, true);
  }

  /**
   * The dry run of {@link #publish(ImageTarget, ImageSpec, boolean)}: says what it would do, builds and pushes
   * nothing (DescribeImages only).
   *
   * @return the digest ECR holds under the tag, when it does
   */
  public Optional<String> preview(ImageTarget target, boolean rollback) {
    Optional<String> existing = existingDigest(target);
    String what = existing.isEmpty()
        ? "would build " + target.reference() + " with Jib and push it (ECR has no such tag)"
        : rollback
            ? "would deploy " + target.reference() + " as released (digest " + existing.get() + "; a rollback)"
            : "would build " + target.reference() + " locally and compare it with the digest ECR holds ("
                + existing.get() + "): the same is a re-run, another fails";
    log.info("Dry run (" + DryRun.PARAM.both() + "): push-image " + what + "; nothing is built or pushed.");
    return existing;
  }

  /**
   * ECR refused the tag as IMMUTABLE after this build found it free: another build pushed it in between. The
   * same image (two runs of one pipeline) is a success; another image is the usual "bump the version".
   */
  private PublishedImage lostRace(ImageTarget target, ImageSpec spec) {
    Optional<String> winner = existingDigest(target);
    if (winner.isEmpty()) {
      // ECR's reads are eventually consistent: the winner's tag may not be listed yet.
      winner = existingDigest(target);
    }
    if (winner.isEmpty()) {
      throw new UserInputException(Param.TAG, "Tag " + target.tag() + " already exists in " + target.repository()
          + " and the repository is IMMUTABLE: ECR refused to overwrite it (the tag was pushed after this build"
          + " checked for it), and DescribeImages does not show it yet. A pushed tag is never replaced: run the"
          + " build again to compare digests, or bump the version and release again.");
    }
    String built = builder.digest(target, spec);
    if (!built.equals(winner.get())) {
      throw tagTaken(target, spec, winner.get(), built, "Another build pushed it while this one ran.");
    }
    log.info("Image " + target.reference() + " is already present with digest " + built + ": another build of"
        + " the same commit pushed it first (ECR refused the same digest again, as IMMUTABLE repositories do).");
    return new PublishedImage(target, built, false);
  }

  private Optional<String> existingDigest(ImageTarget target) {
    try {
      DescribeImagesResponse response = ecr.describeImages(b -> b.registryId(target.registry().ecrAccount().orElse(null))
          .repositoryName(target.repository())
          .imageIds(ImageIdentifier.builder().imageTag(target.tag()).build()));
      return response.imageDetails().stream().map(ImageDetail::imageDigest).findFirst();
    } catch (ImageNotFoundException e) {
      return Optional.empty();
    } catch (RepositoryNotFoundException e) {
      throw repositoryMissing(target);
    }
  }

  private static UserInputException repositoryMissing(ImageTarget target) {
    return new UserInputException(Param.REPOSITORY, "The ECR repository '" + target.repository()
        + "' does not exist in the registry " + target.registry() + ". Create it (tags immutable, so no release "
        + "can be overwritten): aws ecr create-repository --repository-name " + target.repository()
        + " --image-tag-mutability IMMUTABLE; or fix " + Param.REPOSITORY.both() + ".");
  }

  private static UserInputException tagTaken(
      ImageTarget target, ImageSpec spec, String existing, String built, String uploaded) {
    String base = spec.baseImage() == null ? "" : spec.baseImage();
    String hint = base.isEmpty() || "scratch".equals(base) || base.contains("@sha256:")
        ? ""
        : " (If the code did not change, the base image " + base
            + " may have: pin it by digest, name@sha256:..., for repeatable builds.)";
    return new UserInputException(Param.TAG, "Tag " + target.tag() + " already exists in " + target.repository()
        + " with digest " + existing + "; this build produced " + built
        + ". A pushed tag is never overwritten: bump the version (a new git tag and project version) and release "
        + "again. " + uploaded + hint);
  }
}
