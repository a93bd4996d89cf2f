package io.github.ecsdeploy.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TagPolicyTest {

  private static final TagPolicy.Options GRAMMAR_ONLY = new TagPolicy.Options(false, false, null);
  private static final TagPolicy.Options PRERELEASE = new TagPolicy.Options(true, false, null);

  private static final String LONG_SUFFIX_121 = "a".repeat(121);

  /** tag, options, allowed, a fragment every refusal must contain in one of its reasons. */
  static Stream<Arguments> tags() {
    return Stream.of(
        // allowed
        ok("v1.0.0", GRAMMAR_ONLY),
        ok("v0.0.1", GRAMMAR_ONLY),
        ok("v10.20.30", GRAMMAR_ONLY),
        ok("v0.0.0", GRAMMAR_ONLY),
        ok("v1.2.3", GRAMMAR_ONLY),
        ok("v999999.999999.999999", GRAMMAR_ONLY),
        ok("v1.0.0-rc.1", PRERELEASE),
        ok("v1.0.0-alpha", PRERELEASE),
        ok("v1.0.0-0.3.7", PRERELEASE),
        ok("v1.0.0-x.7.z.92", PRERELEASE),
        ok("v1.0.0-alpha-beta.1", PRERELEASE),
        ok("v1.0.0-" + LONG_SUFFIX_121, PRERELEASE), // exactly 128 characters
        ok("v1.4.0", TagPolicy.Options.strict("1.4.0")),
        ok("v1.4.0-rc.1", new TagPolicy.Options(true, true, "1.4.0-rc.1")),
        // the 'v' and the shape of the version
        no("1.0.0", GRAMMAR_ONLY, "has no 'v' in front; release tags are 'v' + the version: v1.0.0"),
        no("V1.0.0", GRAMMAR_ONLY, "upper-case 'V'; release tags use a lower-case 'v': v1.0.0"),
        no("v1.0", GRAMMAR_ONLY, "has 2 numbers in '1.0'; a semantic version has exactly three"),
        no("v1", GRAMMAR_ONLY, "has 1 number in '1'"),
        no("v1.0.0.0", GRAMMAR_ONLY, "has 4 numbers in '1.0.0.0'"),
        no("1.0", GRAMMAR_ONLY, "has 2 numbers"),
        no("v1..0", GRAMMAR_ONLY, "has an empty MINOR number"),
        no("v-1.0.0", GRAMMAR_ONLY, "has an empty MAJOR number"),
        no("v1.x.0", GRAMMAR_ONLY, "has MINOR 'x', which is not a number"),
        no("vv1.0.0", GRAMMAR_ONLY, "has MAJOR 'v1', which is not a number"),
        no("release1", GRAMMAR_ONLY, "is not 'v' followed by a semantic version MAJOR.MINOR.PATCH"),
        no("v99999999999999999999.0.0", GRAMMAR_ONLY, "is not a semantic version (semver.org 2.0.0)"),
        // leading zeros
        no("v01.0.0", GRAMMAR_ONLY, "MAJOR '01' with a leading zero, which semver forbids: write 1"),
        no("v1.00.0", GRAMMAR_ONLY, "MINOR '00' with a leading zero, which semver forbids: write 0"),
        no("v1.0.07", GRAMMAR_ONLY, "PATCH '07' with a leading zero"),
        no("v1.0.0-rc.01", PRERELEASE, "numeric pre-release identifier '01' with a leading zero"),
        // pre-release and build metadata
        no("v1.0.0-rc.1", GRAMMAR_ONLY,
            "is a pre-release ('-rc.1'); pre-releases deploy only with <allowPrerelease> / "
                + "-Decs.validateTag.allowPrerelease=true"),
        no("v1.0.0-", PRERELEASE, "has no pre-release after it"),
        no("v1.0.0-rc..1", PRERELEASE, "empty pre-release identifier"),
        no("v1.0.0-rc_1", PRERELEASE, "'rc_1' with characters other than ASCII letters, digits and '-'"),
        no("v1.0.0+build.5", GRAMMAR_ONLY, "build metadata ('+build.5'): '+' is not allowed in image tags"),
        no("v1.0.0-rc.1+build.5", PRERELEASE, "Drop it: v1.0.0-rc.1."),
        no("v1.2.3-SNAPSHOT", GRAMMAR_ONLY, "is a SNAPSHOT, and a SNAPSHOT never deploys"),
        no("v1.2.3-SNAPSHOT", PRERELEASE, "is a SNAPSHOT, and a SNAPSHOT never deploys"),
        // mutable names
        no("latest", GRAMMAR_ONLY, "is a mutable name: a tag that moves cannot be rolled back to"),
        no("stable", GRAMMAR_ONLY, "is a mutable name"),
        no("test", GRAMMAR_ONLY, "is a mutable name"),
        no("dev", GRAMMAR_ONLY, "is a mutable name"),
        no("prod", GRAMMAR_ONLY, "is a mutable name"),
        no("main", GRAMMAR_ONLY, "is a mutable name"),
        no("master", GRAMMAR_ONLY, "is a mutable name"),
        no("LATEST", GRAMMAR_ONLY, "is a mutable name"),
        no("feature/x", GRAMMAR_ONLY,
            "looks like a branch name, a mutable name: a tag that moves cannot be rolled back to ('/' is not"),
        no("release/1.2.0", GRAMMAR_ONLY, "looks like a branch name"),
        no("hotfix-login", GRAMMAR_ONLY, "looks like a branch name"),
        no("/v1.0.0", GRAMMAR_ONLY, "looks like a branch name, a mutable name: a tag that moves cannot be rolled"
            + " back to ('/' is not allowed in an image tag either)"),
        // shapes at the edges of the grammar
        no("v+1", GRAMMAR_ONLY, "carries build metadata ('+1')"),
        no("v-rc.1", GRAMMAR_ONLY, "is a pre-release ('-rc.1')"),
        no("v1.0.0.x", GRAMMAR_ONLY, "has part 4 'x', which is not a number"),
        no("latest", TagPolicy.Options.strict("1.4.0"), "Tag each release with its own version instead, e.g. v1.4.0"),
        // empty, whitespace, line breaks
        no("", GRAMMAR_ONLY, "The tag is empty"),
        no("latest", TagPolicy.Options.strict("1.4.0"),
            "Tag each release with its own version instead, e.g. v1.4.0"),
        no("v1.0.0\n", GRAMMAR_ONLY, "'v1.0.0\\n' contains a line break"),
        no("v1.0.0\r\n", GRAMMAR_ONLY, "contains a line break"),
        no("v1.0 .0", GRAMMAR_ONLY, "contains whitespace, which no image tag allows."),
        no("\t", GRAMMAR_ONLY, "'\\t' contains whitespace"),
        no("v1.0.0\u00A0", GRAMMAR_ONLY, "'v1.0.0\\u00A0' contains whitespace"),
        // digits that are not ASCII
        no("v\u0661.\u0660.\u0660", GRAMMAR_ONLY, "non-ASCII digits '\u0661' (U+0661 ARABIC-INDIC DIGIT ONE)"),
        no("v\uFF11.0.0", GRAMMAR_ONLY, "(U+FF11 FULLWIDTH DIGIT ONE); only the ASCII digits 0-9 are allowed"),
        no("v1.0.0-rc.\u0967", PRERELEASE, "U+0967 DEVANAGARI DIGIT ONE"),
        // length
        no("v1.0.0-" + LONG_SUFFIX_121 + "b", PRERELEASE, "is 129 characters long; an image tag has at most 128"),
        // the tag names the artifact being built
        no("v1.4.1", TagPolicy.Options.strict("1.4.0"),
            "does not name the artifact being built: the project version is 1.4.0, so the tag must be v1.4.0"),
        no("v1.4.1", TagPolicy.Options.strict("1.4.0"), "<requireProjectVersion> / "
            + "-Decs.validateTag.requireProjectVersion=false"),
        no("v1.4.0", TagPolicy.Options.strict("1.4.0-SNAPSHOT"),
            "The project version 1.4.0-SNAPSHOT is a SNAPSHOT, and a SNAPSHOT never deploys: set the release"
                + " version (mvn versions:set -DnewVersion=1.4.0)"),
        no("1.4.0", TagPolicy.Options.strict("1.4.0"), "the tag must be v1.4.0"),
        no(" v1.4.0", TagPolicy.Options.strict("1.4.1"), "the tag must be v1.4.1"),
        no("v1.4.0", new TagPolicy.Options(false, true, null), "The project version is unknown"));
  }

  private static Arguments ok(String tag, TagPolicy.Options options) {
    return Arguments.of(tag, options, true, null);
  }

  private static Arguments no(String tag, TagPolicy.Options options, String fragment) {
    return Arguments.of(tag, options, false, fragment);
  }

  @ParameterizedTest(name = "[{index}] {0} {1} -> allowed={2}")
  @MethodSource("tags")
  void verdictAndReason(String tag, TagPolicy.Options options, boolean allowed, String fragment) {
    TagPolicy.Verdict verdict = TagPolicy.check(tag, options);

    assertEquals(allowed, verdict.allowed(), () -> "violations: " + verdict.violations());
    if (allowed) {
      assertEquals(tag, verdict.version().orElseThrow().tag());
    } else {
      assertTrue(verdict.violations().stream().anyMatch(r -> r.contains(fragment)),
          () -> "no reason contains [" + fragment + "]: " + verdict.violations());
      verdict.violations().forEach(r -> assertTrue(r.endsWith(".") , () -> "not a sentence: " + r));
    }
  }

  @Test
  void everyViolationIsReportedTogether() {
    TagPolicy.Verdict verdict = TagPolicy.check("V01.0.0+b.1", TagPolicy.Options.strict("2.0.0"));

    List<String> reasons = verdict.violations();
    assertEquals(4, reasons.size(), reasons::toString);
    assertTrue(reasons.get(0).contains("upper-case 'V'"), reasons::toString);
    assertTrue(reasons.get(1).contains("build metadata"), reasons::toString);
    assertTrue(reasons.get(2).contains("MAJOR '01' with a leading zero"), reasons::toString);
    assertTrue(reasons.get(3).contains("the tag must be v2.0.0"), reasons::toString);
  }

  @Test
  void mutableNameIsNotAlsoReportedAsBadGrammar() {
    List<String> reasons = TagPolicy.check("latest", GRAMMAR_ONLY).violations();

    assertEquals(1, reasons.size(), reasons::toString);
  }

  @Test
  void versionIsKnownWhenOnlyTheProjectVersionRuleFails() {
    TagPolicy.Verdict verdict = TagPolicy.check("v1.5.0", TagPolicy.Options.strict("1.4.0"));

    assertFalse(verdict.allowed());
    assertEquals("v1.5.0", verdict.version().orElseThrow().tag());
    assertTrue(verdict.violations().get(0).contains("mvn versions:set -DnewVersion=1.5.0"),
        verdict.violations()::toString);
  }

  @Test
  void versionIsKnownForARefusedPreReleaseButNotForBadGrammar() {
    assertEquals("v1.0.0-rc.1", TagPolicy.check("v1.0.0-rc.1", GRAMMAR_ONLY).version().orElseThrow().tag());
    assertEquals("v1.0.0-SNAPSHOT", TagPolicy.check("v1.0.0-SNAPSHOT", GRAMMAR_ONLY).version().orElseThrow().tag());
    assertTrue(TagPolicy.check("v01.0.0", GRAMMAR_ONLY).version().isEmpty());
    assertTrue(TagPolicy.check("v1.0.0+b", GRAMMAR_ONLY).version().isEmpty());
    assertTrue(TagPolicy.check("V1.0.0", GRAMMAR_ONLY).version().isEmpty());
  }

  @Test
  void snapshotProjectVersionIsIgnoredWhenTheRuleIsOff() {
    assertTrue(TagPolicy.check("v1.0.0", new TagPolicy.Options(false, false, "1.0.0-SNAPSHOT")).allowed());
  }

  @Test
  void theExampleTagInAMessageIsOneThePolicyWouldTake() {
    // A refusal suggests a tag to use instead; a SNAPSHOT example would be refused in turn.
    assertEquals(List.of("The tag 'latest' is a mutable name: a tag that moves cannot be rolled back to. Tag each"
        + " release with its own version instead, e.g. v1.0.0."), TagPolicy.check("latest", GRAMMAR_ONLY).violations());
    String snapshot = TagPolicy.check("latest", TagPolicy.Options.strict("1.4.0-SNAPSHOT")).violations().get(0);
    assertTrue(snapshot.endsWith("e.g. v1.0.0."), snapshot);
    String empty = TagPolicy.check("", TagPolicy.Options.strict("2.0.0")).violations().get(0);
    assertEquals("The tag is empty: give the release tag, e.g. v2.0.0.", empty);
    String snapshotTag = TagPolicy.check("v1.2.3-SNAPSHOT", GRAMMAR_ONLY).violations().get(0);
    assertTrue(snapshotTag.endsWith("release the version and tag the release, e.g. v1.2.3."), snapshotTag);
  }

  @Test
  void whitespaceAloneSuggestsNoTagWithoutIt() {
    String reason = TagPolicy.check("  ", GRAMMAR_ONLY).violations().get(0);
    assertEquals("The tag '  ' contains whitespace, which no image tag allows. Check how the tag is passed (quoting,"
        + " a trailing newline in a CI variable).", reason);
    String trailing = TagPolicy.check("v1.0.0 ", GRAMMAR_ONLY).violations().get(0);
    assertTrue(trailing.contains("; without it the tag would be 'v1.0.0'."), trailing);
  }

  @Test
  void aTagOf64CharactersIsShownWholeAnd65AreShortened() {
    String at64 = "x".repeat(64);
    String at65 = "x".repeat(65);
    assertEquals("'" + at64 + "'", TagPolicy.show(at64));
    assertEquals("'" + "x".repeat(40) + "…(65 characters)'", TagPolicy.show(at65));
  }

  @Test
  void longTagIsShortenedInMessages() {
    String tag = "v1.0.0-" + "a".repeat(200);
    String reason = TagPolicy.check(tag, PRERELEASE).violations().get(0);

    assertTrue(reason.contains("(207 characters)"), reason);
    assertFalse(reason.contains("a".repeat(100)), reason);
  }

  // ---- ordering for the downgrade rule

  static Stream<Arguments> olderNewer() {
    return Stream.of(
        Arguments.of("v1.9.0", "v1.10.0"),
        Arguments.of("v1.0.0-rc.1", "v1.0.0"),
        Arguments.of("v1.0.0-rc.2", "v1.0.0-rc.10"),
        Arguments.of("v1.0.0-alpha", "v1.0.0-alpha.1"),
        Arguments.of("v1.0.0-alpha.1", "v1.0.0-alpha.beta"),
        Arguments.of("v1.0.0-beta.11", "v1.0.0-rc.1"),
        Arguments.of("v0.9.9", "v1.0.0"),
        Arguments.of("v1.0.0", "v2.0.0"),
        Arguments.of("v2.0.0", "v2.1.0"),
        Arguments.of("v2.1.0", "v2.1.1"),
        Arguments.of("v1.2.3", "v1.2.10"),
        Arguments.of("v1.99.99", "v2.0.0-rc.1"));
  }

  @ParameterizedTest(name = "{0} < {1}")
  @MethodSource("olderNewer")
  void semverOrder(String older, String newer) {
    TagVersion a = TagVersion.parse(older).orElseThrow();
    TagVersion b = TagVersion.parse(newer).orElseThrow();

    assertTrue(a.isOlderThan(b));
    assertFalse(b.isOlderThan(a));
    assertTrue(a.compareTo(b) < 0 && b.compareTo(a) > 0);
  }

  @Test
  void equalVersionsAreEqual() {
    TagVersion a = TagVersion.parse("v1.2.3").orElseThrow();
    TagVersion b = TagVersion.parse("v1.2.3").orElseThrow();

    assertEquals(0, a.compareTo(b));
    assertEquals(a, b);
    assertEquals(a.hashCode(), b.hashCode());
    assertFalse(a.isOlderThan(b));
  }

  @Test
  void differentVersionsAreNotEqual() {
    // equals decides whether two tags name the same release; "always equal" would make every re-run check pass.
    TagVersion v123 = TagVersion.parse("v1.2.3").orElseThrow();
    for (String other : List.of("v1.2.4", "v1.3.3", "v2.2.3", "v1.2.3-rc.1")) {
      assertFalse(v123.equals(TagVersion.parse(other).orElseThrow()), other);
    }
    assertFalse(v123.equals("v1.2.3"), "a String is not a TagVersion");
    assertFalse(v123.equals(null));
    assertEquals(v123, v123);
  }

  @Test
  void aReleaseIsNoPreRelease() {
    assertFalse(TagVersion.parse("v1.0.0").orElseThrow().isPreRelease());
  }

  @Test
  void tagVersionParsesOnlyWellFormedTags() {
    for (String bad : List.of("V1.0.0", "1.0.0", "v1.0.0+b.1", "v01.0.0", " v1.0.0", "latest", "v", "")) {
      assertTrue(TagVersion.parse(bad).isEmpty(), bad);
    }
    assertTrue(TagVersion.parse("v1.0.0-rc.1").orElseThrow().isPreRelease());
  }

  // ---- where the tag comes from

  @Test
  void explicitTagWinsOverTheEnvironment() {
    TagSource.Resolved r = TagSource.resolve("v1.0.0", Map.of("CI_COMMIT_TAG", "v2.0.0")::get);

    assertEquals("v1.0.0", r.tag());
    assertEquals("<tag> / -Decs.tag", r.origin());
  }

  @Test
  void gitlabTagPipelineGivesTheTag() {
    TagSource.Resolved r = TagSource.resolve(null, Map.of("CI_COMMIT_TAG", "v2.0.0")::get);

    assertEquals("v2.0.0", r.tag());
    assertEquals("CI_COMMIT_TAG", r.origin());
  }

  @Test
  void explicitEmptyTagIsKeptForThePolicyToRefuse() {
    assertEquals("", TagSource.resolve("", name -> "v2.0.0").tag());
  }

  @Test
  void noTagAnywhereSaysHowToGiveOne() {
    UserInputException e = assertThrows(UserInputException.class,
        () -> TagSource.resolve(null, Map.of("CI_COMMIT_TAG", "")::get));

    assertTrue(e.getMessage().contains("<tag> / -Decs.tag"), e.getMessage());
    assertTrue(e.getMessage().contains("GitLab tag pipeline"), e.getMessage());
    assertEquals(Param.TAG, e.param().orElseThrow());
  }
}
