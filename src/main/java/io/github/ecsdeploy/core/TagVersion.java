package io.github.ecsdeploy.core;

import com.github.zafarkhaja.semver.Version;
import java.util.Objects;
import java.util.Optional;

/**
 * The semantic version a release tag names: {@code v1.4.0} names 1.4.0. Parsing and ordering follow
 * semver.org 2.0.0 exactly (java-semver in strict mode): {@code v1.10.0} is newer than {@code v1.9.0},
 * {@code v1.0.0} is newer than {@code v1.0.0-rc.1}, and {@code rc.2} precedes {@code rc.10}.
 */
public final class TagVersion implements Comparable<TagVersion> {

  private final String tag;
  private final Version version;

  private TagVersion(String tag, Version version) {
    this.tag = tag;
    this.version = version;
  }

  /**
   * The version named by {@code tag}, when it is a lower-case {@code v} followed by a strict semantic version
   * (pre-release allowed, build metadata and surrounding whitespace not); empty otherwise. This says nothing
   * about the other rules of {@link TagPolicy}.
   */
  public static Optional<TagVersion> parse(String tag) {
    if (tag == null || tag.length() < 2 || tag.charAt(0) != 'v' || tag.indexOf('+') >= 0) {
      return Optional.empty();
    }
    return Version.tryParse(tag.substring(1), true).map(v -> new TagVersion(tag, v));
  }

  /** The tag this version was read from, e.g. {@code v1.4.0}. */
  public String tag() {
    return tag;
  }

  /** Whether this is a pre-release, e.g. {@code v1.4.0-rc.1}. */
  public boolean isPreRelease() {
    return version.isPreRelease();
  }

  /**
   * Orders by semver.org precedence, oldest first (java-semver's INCREMENT_ORDER; its PRECEDENCE_ORDER sorts
   * newest first).
   */
  @Override
  public int compareTo(TagVersion other) {
    return Version.INCREMENT_ORDER.compare(version, other.version);
  }

  /** Whether this version precedes {@code other} in semver.org order. */
  public boolean isOlderThan(TagVersion other) {
    return compareTo(other) < 0;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TagVersion other && compareTo(other) == 0;
  }

  @Override
  public int hashCode() {
    return Objects.hash(version.majorVersion(), version.minorVersion(), version.patchVersion(),
        version.preReleaseVersion().orElse(""));
  }

  @Override
  public String toString() {
    return tag;
  }
}
