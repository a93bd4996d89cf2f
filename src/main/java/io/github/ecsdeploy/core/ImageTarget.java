package io.github.ecsdeploy.core;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where an image goes: {@code <registry>/<repository>:<tag>}. Only this one tag is pushed, never
 * {@code latest}. Checked when made, so whoever receives one has a pushable name.
 *
 * @param registry the registry host ({@code 123456789012.dkr.ecr.eu-west-1.amazonaws.com},
 *     {@code 127.0.0.1:4566})
 * @param repository the ECR repository name ({@code team/hello-app})
 * @param tag the tag to push ({@code v1.4.0})
 */
public record ImageTarget(RegistryHost registry, String repository, String tag) {

  /**
   * A repository name as the OCI distribution spec allows it
   * (https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pulling-manifests): path
   * components of lower-case letters and digits, joined by {@code .}, {@code _}, {@code __} or dashes.
   */
  private static final Pattern REPOSITORY =
      Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*");

  /** A tag as the OCI distribution spec allows it: {@code [a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}}. */
  private static final Pattern TAG = Pattern.compile("[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}");

  /**
   * Checks every part, naming the parameter that sets it.
   *
   * @throws UserInputException a part is missing or not valid
   */
  public ImageTarget {
    Objects.requireNonNull(registry, "registry");
    if (repository == null || repository.isBlank()) {
      throw new UserInputException(Param.REPOSITORY,
          "No ECR repository given: set " + Param.REPOSITORY.both() + " to the repository name (e.g. team/hello-app).");
    }
    if (!REPOSITORY.matcher(repository).matches() || repository.length() > 256) {
      throw new UserInputException(Param.REPOSITORY, "'" + repository
          + "' is not a valid repository name: use lower-case letters, digits and . _ - / in "
          + Param.REPOSITORY.both() + ".");
    }
    if (tag == null || !TAG.matcher(tag).matches()) {
      throw new UserInputException(Param.TAG, "'" + tag
          + "' is not a valid image tag (letters, digits, _ . -, at most 128): fix " + Param.TAG.both() + ".");
    }
  }

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
