package io.github.ecsdeploy.core;

/**
 * The port through which {@link ImagePublisher} has an image built: an adapter (Jib, in
 * the {@code jib} package) assembles the image from an {@link ImageSpec} and either pushes it or only
 * computes its digest. The adapter holds the registry credentials; the publisher never sees them.
 */
public interface ImageBuilder {

  /**
   * Builds the image and pushes it under the target's tag; only layers the registry lacks are uploaded.
   *
   * @return the manifest digest ({@code sha256:...})
   * @throws Refused the registry refused the tag or does not know the repository
   * @throws UserInputException the spec or the credentials are unusable
   * @throws ExternalFailureException the registry could not be reached, or the build failed otherwise
   */
  String push(ImageTarget target, ImageSpec spec);

  /**
   * Builds the image without uploading anything and returns the digest a push would give.
   *
   * @throws UserInputException the spec is unusable
   * @throws ExternalFailureException the build failed
   */
  String digest(ImageTarget target, ImageSpec spec);

  /** Why the registry refused a push, in terms of the never-overwrite rule. */
  enum Refusal {
    /** The tag exists and the repository is IMMUTABLE (another push won the race). */
    TAG_IMMUTABLE,
    /** The repository does not exist. */
    REPOSITORY_UNKNOWN
  }

  /** The registry refused the push for a reason the publisher explains. */
  final class Refused extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final Refusal refusal;

    /**
     * A refusal.
     *
     * @param refusal why
     * @param cause what the registry answered
     */
    public Refused(Refusal refusal, Throwable cause) {
      super(refusal.name(), cause);
      this.refusal = refusal;
    }

    /** Why. */
    public Refusal refusal() {
      return refusal;
    }
  }
}
