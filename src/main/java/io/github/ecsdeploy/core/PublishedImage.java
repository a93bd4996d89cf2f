package io.github.ecsdeploy.core;

/**
 * The outcome of {@link ImagePublisher#publish}: the image is in the registry under its tag.
 *
 * @param target where the image is
 * @param digest the manifest digest ({@code sha256:...})
 * @param pushed {@code true} when this run pushed it, {@code false} when the tag already held this exact
 *     image (a re-run of the same build)
 */
public record PublishedImage(ImageTarget target, String digest, boolean pushed) {

  /** {@code <registry>/<repository>:<tag>}. */
  public String image() {
    return target.reference();
  }

  /** {@code <registry>/<repository>@<digest>}. */
  public String imageWithDigest() {
    return target.referenceWithDigest(digest);
  }
}
