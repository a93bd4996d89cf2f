package io.github.ecsdeploy.core;

import com.github.zafarkhaja.semver.ParseException;
import com.github.zafarkhaja.semver.Version;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules a release tag must satisfy before anything is built from it. Pure: no clients, no I/O. Every rule
 * is checked and every violation is reported, each as a sentence that says what is wrong and how to fix it (the
 * way maven-enforcer reports its rules):
 *
 * <ul>
 *   <li>a lower-case {@code v} followed by a semantic version that satisfies the semver.org 2.0.0 grammar
 *       exactly: MAJOR.MINOR.PATCH, no leading zeros, ASCII digits only;
 *   <li>a pre-release ({@code v1.2.0-rc.1}) only when allowed; a SNAPSHOT never;
 *   <li>no build metadata ({@code +...}): {@code +} is not allowed in image tags;
 *   <li>at most {@value #MAX_LENGTH} characters, no whitespace or line breaks;
 *   <li>not a mutable name ({@code latest}, {@code stable}, {@code test}, branch-like names): a tag that moves
 *       cannot be rolled back to;
 *   <li>the tag names the artifact being built: {@code v} + the project version, which is not a SNAPSHOT
 *       (this one rule can be turned off).
 * </ul>
 *
 * <p>Parsing and ordering use java-semver in strict mode; the checks in front of it exist to give a precise
 * reason for each way a tag can fail, and java-semver has the last word on the grammar.
 */
public final class TagPolicy {

  /** The longest tag an image registry accepts. */
  public static final int MAX_LENGTH = 128;

  /** {@code <allowPrerelease> / -Decs.validateTag.allowPrerelease}. */
  public static final Param ALLOW_PRERELEASE =
      new Param("allowPrerelease", "ecs.validateTag.allowPrerelease");

  /** {@code <requireProjectVersion> / -Decs.validateTag.requireProjectVersion}. */
  public static final Param REQUIRE_PROJECT_VERSION =
      new Param("requireProjectVersion", "ecs.validateTag.requireProjectVersion");

  /** Why a mutable name is refused; part of every such reason. */
  public static final String MUTABLE_REASON = "a tag that moves cannot be rolled back to";

  private static final Set<String> MUTABLE_NAMES = Set.of(
      "latest", "stable", "current", "edge", "next", "nightly", "snapshot", "canary", "preview",
      "test", "testing", "tests", "qa", "uat", "int", "integration", "staging", "stage", "sandbox", "demo",
      "dev", "devel", "develop", "development", "prod", "production", "live", "release", "releases",
      "main", "master", "trunk", "head", "default", "alpha", "beta", "rc", "hotfix", "local");

  /** Names that look like a branch: {@code feature-x}, {@code release_1.2}, {@code renovate-foo}. */
  private static final Pattern BRANCH_LIKE = Pattern.compile(
      "(?i)(feature|features|feat|bugfix|bug|fix|hotfix|release|releases|dev|develop|wip|topic|chore"
          + "|renovate|dependabot|test|tmp|temp|main|master|merge|mr|pr)[-_].*");

  private static final String[] PART_NAMES = {"MAJOR", "MINOR", "PATCH"};

  private TagPolicy() {}

  /**
   * How strict the policy is.
   *
   * @param allowPrerelease whether {@code v1.2.0-rc.1} may deploy (SNAPSHOT never may)
   * @param requireProjectVersion whether the tag must be {@code v} + {@code projectVersion}
   * @param projectVersion the version of the project being built, e.g. {@code 1.4.0}; may be null when
   *     {@code requireProjectVersion} is false
   */
  public record Options(boolean allowPrerelease, boolean requireProjectVersion, String projectVersion) {

    /** The defaults: no pre-release, the tag must match {@code projectVersion}. */
    public static Options strict(String projectVersion) {
      return new Options(false, true, projectVersion);
    }
  }

  /**
   * The outcome of {@link #check}.
   *
   * @param tag the tag as given
   * @param violations every reason the tag is refused, each a sentence; empty when it may deploy
   * @param version the version the tag names, when its grammar is right (even if another rule failed)
   */
  public record Verdict(String tag, List<String> violations, Optional<TagVersion> version) {

    public Verdict {
      violations = List.copyOf(violations);
    }

    /** Whether the tag may deploy. */
    public boolean allowed() {
      return violations.isEmpty();
    }
  }

  /** Checks every rule against {@code tag} and returns all violations. */
  public static Verdict check(String tag, Options options) {
    List<String> reasons = new ArrayList<>();
    String example = example(options);
    if (tag == null || tag.isEmpty()) {
      reasons.add("The tag is empty: give the release tag, e.g. " + example + ".");
      return new Verdict(tag, reasons, Optional.empty());
    }
    String shown = show(tag);
    String t = tag;
    if (tag.codePoints().anyMatch(TagPolicy::isSpace)) {
      String stripped = strip(tag);
      boolean lineBreak = tag.codePoints().anyMatch(c -> c == '\n' || c == '\r' || c == 0x85
          || c == 0x2028 || c == 0x2029);
      boolean inner = stripped.codePoints().anyMatch(TagPolicy::isSpace);
      StringBuilder r = new StringBuilder("The tag ").append(shown).append(" contains ")
          .append(lineBreak ? "a line break" : "whitespace").append(", which no image tag allows");
      if (!stripped.isEmpty() && !inner) {
        r.append("; without it the tag would be '").append(stripped).append("'");
      }
      r.append(". Check how the tag is passed (quoting, a trailing newline in a CI variable).");
      reasons.add(r.toString());
      if (stripped.isEmpty() || inner) {
        return new Verdict(tag, reasons, Optional.empty());
      }
      t = stripped;
    }
    if (t.length() > MAX_LENGTH) {
      reasons.add("The tag " + shown + " is " + t.length() + " characters long; an image tag has at most "
          + MAX_LENGTH + ".");
    }

    Optional<TagVersion> version = Optional.empty();
    String lower = t.toLowerCase(Locale.ROOT);
    if (MUTABLE_NAMES.contains(lower)) {
      reasons.add("The tag " + shown + " is a mutable name: " + MUTABLE_REASON
          + ". Tag each release with its own version instead, e.g. " + example + ".");
    } else if (t.indexOf('/') >= 0 || BRANCH_LIKE.matcher(t).matches()) {
      reasons.add("The tag " + shown + " looks like a branch name, a mutable name: " + MUTABLE_REASON
          + (t.indexOf('/') >= 0 ? " ('/' is not allowed in an image tag either)" : "")
          + ". Deploy from a version tag instead, e.g. " + example + ".");
    } else {
      version = checkGrammar(t, shown, options, reasons);
    }
    checkProjectVersion(t, shown, options, version, reasons);
    return new Verdict(tag, reasons, version);
  }

  private static Optional<TagVersion> checkGrammar(
      String t, String shown, Options options, List<String> reasons) {
    int before = reasons.size();
    int notGrammar = 0; // reasons about what the policy allows, not about the semver grammar
    char first = t.charAt(0);
    String body;
    if (first == 'v') {
      body = t.substring(1);
    } else if (first == 'V') {
      body = t.substring(1);
      reasons.add("The tag " + shown + " starts with an upper-case 'V'; release tags use a lower-case 'v': v"
          + body + ".");
    } else if (Character.isDigit(first)) {
      body = t;
      reasons.add("The tag " + shown + " has no 'v' in front; release tags are 'v' + the version: v" + t + ".");
    } else {
      reasons.add("The tag " + shown + " is not 'v' followed by a semantic version MAJOR.MINOR.PATCH, e.g. "
          + example(options) + ".");
      return Optional.empty();
    }

    Set<String> foreignDigits = new LinkedHashSet<>();
    body.codePoints().filter(c -> Character.isDigit(c) && !isAsciiDigit(c))
        .forEach(c -> foreignDigits.add("'" + Character.toString(c) + "' (U+"
            + String.format(Locale.ROOT, "%04X", c) + " " + Character.getName(c) + ")"));
    if (!foreignDigits.isEmpty()) {
      reasons.add("The tag " + shown + " contains non-ASCII digits " + String.join(", ", foreignDigits)
          + "; only the ASCII digits 0-9 are allowed.");
    }

    int plus = body.indexOf('+');
    if (plus >= 0) {
      reasons.add("The tag " + shown + " carries build metadata ('" + body.substring(plus) + "'): '+' is not"
          + " allowed in image tags, and semver ignores build metadata when ordering versions. Drop it: v"
          + body.substring(0, plus) + ".");
      body = body.substring(0, plus);
    }
    int dash = body.indexOf('-');
    String core = dash >= 0 ? body.substring(0, dash) : body;
    String pre = dash >= 0 ? body.substring(dash + 1) : null;

    String[] parts = core.split("\\.", -1);
    if (parts.length != 3) {
      reasons.add("The tag " + shown + " has " + parts.length + (parts.length == 1 ? " number" : " numbers")
          + " in '" + core + "'; a semantic version has exactly three, MAJOR.MINOR.PATCH, e.g. v1.0.0.");
    }
    for (int i = 0; i < parts.length; i++) {
      String part = parts[i];
      String name = i < PART_NAMES.length ? PART_NAMES[i] : "part " + (i + 1);
      if (part.isEmpty()) {
        reasons.add("The tag " + shown + " has an empty " + name + " number; write e.g. v1.0.0.");
      } else if (part.codePoints().anyMatch(c -> !Character.isDigit(c))) {
        reasons.add("The tag " + shown + " has " + name + " '" + part + "', which is not a number.");
      } else if (part.codePoints().allMatch(TagPolicy::isAsciiDigit) && part.length() > 1
          && part.charAt(0) == '0') {
        reasons.add("The tag " + shown + " has " + name + " '" + part + "' with a leading zero, which semver"
            + " forbids: write " + stripZeros(part) + ".");
      }
    }

    if (pre != null) {
      if (pre.isEmpty()) {
        reasons.add("The tag " + shown + " ends its version with '-' but has no pre-release after it.");
      } else {
        boolean snapshot = false;
        for (String id : pre.split("\\.", -1)) {
          if (id.isEmpty()) {
            reasons.add("The tag " + shown + " has an empty pre-release identifier in '-" + pre
                + "' (two dots in a row, or a dot at an end).");
          } else if (id.codePoints().anyMatch(c -> !isIdentifierChar(c) && !Character.isDigit(c))) {
            // (non-ASCII digits are reported above, once for the whole tag)
            reasons.add("The tag " + shown + " has the pre-release identifier '" + id + "' with characters"
                + " other than ASCII letters, digits and '-'.");
          } else if (id.chars().allMatch(TagPolicy::isAsciiDigit) && id.length() > 1 && id.charAt(0) == '0') {
            reasons.add("The tag " + shown + " has the numeric pre-release identifier '" + id + "' with a"
                + " leading zero, which semver forbids: write " + stripZeros(id) + ".");
          }
          snapshot |= id.equalsIgnoreCase("SNAPSHOT");
        }
        if (snapshot) {
          reasons.add("The tag " + shown + " is a SNAPSHOT, and a SNAPSHOT never deploys: release the version"
              + " and tag the release, e.g. v" + core + ".");
          notGrammar++;
        } else if (!options.allowPrerelease()) {
          reasons.add("The tag " + shown + " is a pre-release ('-" + pre + "'); pre-releases deploy only with "
              + ALLOW_PRERELEASE.both() + "=true.");
          notGrammar++;
        }
      }
    }

    if (reasons.size() - notGrammar > before) {
      return Optional.empty();
    }
    // Our checks found nothing: the library has the last word on the grammar (e.g. numbers too large).
    try {
      Version.parse(body, true);
    } catch (ParseException | IllegalArgumentException e) {
      String why = String.valueOf(e.getMessage()).replaceAll("[.\\s]+$", "");
      reasons.add("The tag " + shown + " is not a semantic version (semver.org 2.0.0): " + why + ".");
      return Optional.empty();
    }
    return TagVersion.parse(t);
  }

  private static void checkProjectVersion(
      String t, String shown, Options options, Optional<TagVersion> version, List<String> reasons) {
    if (!options.requireProjectVersion()) {
      return;
    }
    String pv = options.projectVersion();
    String off = " or turn this rule off with " + REQUIRE_PROJECT_VERSION.both() + "=false.";
    if (pv == null || pv.isBlank()) {
      reasons.add("The project version is unknown, so the tag cannot be matched against it; set the"
          + " project's <version>," + off);
    } else if (pv.toUpperCase(Locale.ROOT).endsWith("SNAPSHOT")) {
      String release = pv.substring(0, pv.length() - "SNAPSHOT".length()).replaceAll("[-.]$", "");
      reasons.add("The project version " + pv + " is a SNAPSHOT, and a SNAPSHOT never deploys: set the"
          + " release version (mvn versions:set -DnewVersion=" + release + ") and tag that commit v" + release
          + "," + off);
    } else if (!t.equals("v" + pv)) {
      String fix = version.map(v -> "set the project version to match (mvn versions:set -DnewVersion="
          + v.tag().substring(1) + "), tag the commit that carries version " + pv + ",")
          .orElse("tag the commit with v" + pv + ",");
      reasons.add("The tag " + shown + " does not name the artifact being built: the project version is " + pv
          + ", so the tag must be v" + pv + ". Either " + fix + off);
    }
  }

  private static String example(Options options) {
    String pv = options.projectVersion();
    if (pv != null && TagVersion.parse("v" + pv).filter(v -> !pv.toUpperCase(Locale.ROOT).contains("SNAPSHOT"))
        .isPresent()) {
      return "v" + pv;
    }
    return "v1.0.0";
  }

  /** The tag quoted for a message or log line: control characters escaped, very long tags shortened. */
  public static String show(String tag) {
    String t = tag.length() > 64 ? tag.substring(0, 40) + "…(" + tag.length() + " characters)" : tag;
    StringBuilder b = new StringBuilder("'");
    t.codePoints().forEach(c -> {
      switch (c) {
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (Character.isISOControl(c) || (isSpace(c) && c != ' ')) {
            b.append(String.format(Locale.ROOT, "\\u%04X", c));
          } else {
            b.appendCodePoint(c);
          }
        }
      }
    });
    return b.append('\'').toString();
  }

  private static boolean isSpace(int c) {
    return Character.isWhitespace(c) || Character.isSpaceChar(c);
  }

  private static String strip(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && isSpace(s.charAt(start))) {
      start++;
    }
    while (end > start && isSpace(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(start, end);
  }

  private static boolean isIdentifierChar(int c) {
    return c < 128 && (Character.isLetterOrDigit(c) || c == '-');
  }

  private static boolean isAsciiDigit(int c) {
    return c >= '0' && c <= '9';
  }

  private static String stripZeros(String digits) {
    String s = digits.replaceFirst("^0+", "");
    return s.isEmpty() ? "0" : s;
  }
}
