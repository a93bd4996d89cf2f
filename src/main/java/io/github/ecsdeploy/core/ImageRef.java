package io.github.ecsdeploy.core;

import java.util.Optional;

/**
 * The parts of an image reference as it appears in a task definition: {@code
 * 123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/app:v1.4.0}, {@code app@sha256:...}, {@code
 * localhost:5000/app:v1}. Pure string handling, no validation beyond splitting.
 *
 * @param registry the registry host (with port), or null when the reference has none
 * @param repository the repository path without the registry, e.g. {@code team/app}
 * @param tag the tag, or null when the reference has none (e.g. digest only)
 * @param digest the digest after {@code @}, or null
 */
public record ImageRef(String registry, String repository, String tag, String digest) {

  /** Splits {@code image} into its parts. */
  public static ImageRef parse(String image) {
    String ref = image.strip();
    String digest = null;
    int at = ref.indexOf('@');
    if (at >= 0) {
      digest = ref.substring(at + 1);
      ref = ref.substring(0, at);
    }
    String tag = null;
    int colon = ref.lastIndexOf(':');
    if (colon > ref.lastIndexOf('/')) {
      tag = ref.substring(colon + 1);
      ref = ref.substring(0, colon);
    }
    String registry = null;
    int slash = ref.indexOf('/');
    if (slash > 0) {
      String first = ref.substring(0, slash);
      if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
        registry = first;
        ref = ref.substring(slash + 1);
      }
    }
    return new ImageRef(registry, ref, tag, digest);
  }

  /** The reference without tag and digest: {@code registry/repository}, or the repository alone. */
  public String name() {
    return registry == null ? repository : registry + "/" + repository;
  }

  /** The AWS account of an ECR registry host ({@code 123456789012.dkr.ecr...}), when this is one. */
  public Optional<String> ecrRegistryId() {
    return registry == null || !RegistryHost.isValid(registry) ? Optional.empty()
        : RegistryHost.parse(registry).ecrAccount();
  }
}
