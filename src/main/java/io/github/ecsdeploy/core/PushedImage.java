package io.github.ecsdeploy.core;

/**
 * What push-image handed on for register-task-def, as plain values (the Mojo reads them from {@code image.json}).
 *
 * @param reference the image to run, pinned to its digest when the digest is known, e.g.
 *     {@code <registry>/<repository>:v1.4.0@sha256:...}
 * @param alreadyInRegistry whether the registry already held the tag with the same digest before this build (a
 *     released image deployed again), rather than this build pushing it
 */
public record PushedImage(String reference, boolean alreadyInRegistry) {}
