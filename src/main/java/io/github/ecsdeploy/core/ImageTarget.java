package io.github.ecsdeploy.core;

/**
 * Where an image goes: {@code <registry>/<repository>:<tag>}. Only this one tag is pushed, never
 * {@code latest}.
 *
 * @param registry the registry host, with a port when it is not 443
 *     ({@code 123456789012.dkr.ecr.eu-west-1.amazonaws.com}, {@code 127.0.0.1:4566})
 * @param repository the ECR repository name ({@code team/hello-app})
 * @param tag the tag to push ({@code v1.4.0})
 */
public record ImageTarget(String registry, String repository, String tag) {

  /** {@code <registry>/<repository>:<tag>}. */
  public String reference() {
    return registry + "/" + repository + ":" + tag;
  }

  /** {@code <registry>/<repository>@<digest>}: the reference that pins the image for a task definition. */
  public String referenceWithDigest(String digest) {
    return registry + "/" + repository + "@" + digest;
  }

  @Override
  public String toString() {
    return reference();
  }
}
