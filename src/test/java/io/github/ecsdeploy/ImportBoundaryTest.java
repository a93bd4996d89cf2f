package io.github.ecsdeploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The package boundaries: only {@code io.github.ecsdeploy.maven} (and below) may use Maven types; only
 * {@code io.github.ecsdeploy.jib} may use Jib; and each of our packages uses only the packages of ours that
 * {@link #MAY_USE} lists ({@code taskdef} and {@code state} are leaves, {@code core} never reads or writes state
 * files). Any mention counts: imports, static imports, fully qualified names, even in comments, so the rules need
 * no parser to be exact.
 */
class ImportBoundaryTest {

  private static final Path MAIN =
      Path.of(System.getProperty("basedir", ".")).resolve(Path.of("src", "main", "java"));
  private static final String ALLOWED = "io.github.ecsdeploy.maven";
  /** {@code org.apache.maven} as Java allows it to be written, with spaces or line breaks around dots. */
  private static final Pattern MAVEN = Pattern.compile("\\borg\\s*\\.\\s*apache\\s*\\.\\s*maven\\b");
  private static final Pattern PACKAGE = Pattern.compile("(?m)^\\s*package\\s+([\\w.]+)\\s*;");

  /** The package a source declares, or empty for the default package. */
  static Optional<String> packageOf(String source) {
    Matcher m = PACKAGE.matcher(source);
    return m.find() ? Optional.of(m.group(1)) : Optional.empty();
  }

  /** Whether a source in this package breaks the boundary. */
  static boolean violates(String source) {
    String pkg = packageOf(source).orElse("");
    boolean allowed = pkg.equals(ALLOWED) || pkg.startsWith(ALLOWED + ".");
    return !allowed && MAVEN.matcher(source).find();
  }

  @Test
  void onlyTheMavenPackageUsesMaven() throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(MAIN)) {
      files = walk.filter(p -> p.toString().endsWith(".java")).sorted().toList();
    }
    assertTrue(files.size() > 5, "scanned too few files under " + MAIN.toAbsolutePath() + ": " + files);
    List<String> offenders =
        files.stream().filter(p -> violates(read(p))).map(p -> MAIN.relativize(p).toString()).toList();
    assertEquals(
        List.of(), offenders, "These files outside " + ALLOWED + " use org.apache.maven: " + offenders);
  }

  // ---- Jib: only the adapter package uses it; the adapter depends on core, never on maven or aws ----

  private static final String JIB_ADAPTER = "io.github.ecsdeploy.jib";
  /** {@code com.google.cloud.tools.jib} written any way Java allows. */
  private static final Pattern JIB = Pattern.compile("\\bcom\\s*\\.\\s*google\\s*\\.\\s*cloud\\s*\\.\\s*tools\\s*\\.\\s*jib\\b");
  /** A mention of one of our packages other than core and the adapter itself. */
  private static final Pattern OUR_OTHER_PACKAGES =
      Pattern.compile("\\bio\\s*\\.\\s*github\\s*\\.\\s*ecsdeploy\\s*\\.\\s*(maven|aws|state|taskdef)\\b");

  /** Whether a source breaks the Jib boundary: Jib outside the adapter, or the adapter using maven/aws/state/taskdef. */
  static boolean violatesJibBoundary(String source) {
    String pkg = packageOf(source).orElse("");
    boolean adapter = pkg.equals(JIB_ADAPTER) || pkg.startsWith(JIB_ADAPTER + ".");
    if (!adapter) {
      return JIB.matcher(source).find();
    }
    return OUR_OTHER_PACKAGES.matcher(source).find() || MAVEN.matcher(source).find();
  }

  @Test
  void onlyTheJibAdapterUsesJibAndItDependsOnCoreOnly() throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(MAIN)) {
      files = walk.filter(p -> p.toString().endsWith(".java")).sorted().toList();
    }
    List<String> offenders =
        files.stream().filter(p -> violatesJibBoundary(read(p))).map(p -> MAIN.relativize(p).toString()).toList();
    assertEquals(List.of(), offenders, "Jib outside " + JIB_ADAPTER + ", or the adapter importing more than core: "
        + offenders);
    String adapter = read(MAIN.resolve("io/github/ecsdeploy/jib/JibImageBuilder.java"));
    assertTrue(JIB.matcher(adapter).find(), "the scan sees the adapter using Jib");
  }

  @Test
  void theJibDetectorFindsEveryWayOfSayingIt() {
    assertTrue(violatesJibBoundary("package io.github.ecsdeploy.core;\nimport com.google.cloud.tools.jib.api.Jib;\n"));
    assertTrue(violatesJibBoundary("package io.github.ecsdeploy.core;\nclass A { Object o = com.google\n .cloud.tools.jib.api.Jib.X; }"));
    assertTrue(violatesJibBoundary("package io.github.ecsdeploy.maven;\nimport com.google.cloud.tools.jib.api.Jib;\n"));
    assertTrue(violatesJibBoundary("package io.github.ecsdeploy.jib;\nimport io.github.ecsdeploy.aws.AwsClients;\n"));
    assertTrue(violatesJibBoundary("package io.github.ecsdeploy.jib;\nimport io.github.ecsdeploy.maven.X;\n"));
    assertTrue(violatesJibBoundary("package io.github.ecsdeploy.jib;\nimport org.apache.maven.Foo;\n"));
    assertFalse(violatesJibBoundary("package io.github.ecsdeploy.jib;\nimport com.google.cloud.tools.jib.api.Jib;\n"
        + "import io.github.ecsdeploy.core.ImageSpec;\n"));
    assertFalse(violatesJibBoundary("package io.github.ecsdeploy.core;\nimport com.google.cloud.tools.jibber.X;\n"));
  }

  @Test
  void theScanSeesTheMavenPackageUsingMaven() throws IOException {
    // Proof the detector works on the real tree: the base Mojo uses Maven, and it is allowed to.
    String base = read(MAIN.resolve("io/github/ecsdeploy/maven/AbstractEcsMojo.java"));
    assertTrue(MAVEN.matcher(base).find());
    assertFalse(violates(base));
  }

  @Test
  void theDetectorFindsEveryWayOfSayingIt() {
    assertTrue(violates("package io.github.ecsdeploy.core;\nimport org.apache.maven.plugin.logging.Log;\n"));
    assertTrue(violates("package io.github.ecsdeploy.aws;\nimport static org.apache.maven.X.y;\n"));
    assertTrue(
        violates("package io.github.ecsdeploy.state;\nclass A { org.apache.maven.project.MavenProject p; }"));
    assertTrue(violates("package io.github.ecsdeploy.taskdef;\nclass A { Object o = org .apache\n .maven.Foo.BAR; }"));
    assertTrue(violates("package io.github.ecsdeploy.mavenish;\nimport org.apache.maven.Foo;"));
    assertTrue(violates("import org.apache.maven.Foo; class InDefaultPackage {}"));
    assertFalse(violates("package io.github.ecsdeploy.core;\nimport org.apache.mavenfoo.Bar;\n"));
    assertFalse(violates("package io.github.ecsdeploy.core;\nimport io.github.ecsdeploy.maven.X;\n"));
    assertFalse(violates("package io.github.ecsdeploy.maven;\nimport org.apache.maven.plugin.Mojo;\n"));
    assertFalse(violates("package io.github.ecsdeploy.maven.internal;\nimport org.apache.maven.plugin.Mojo;\n"));
  }

  // ---- Our packages: who may use whom (the package map in CONTRIBUTING / the README) ----

  /**
   * For each of our packages, the other packages of ours it may mention. {@code maven} is not listed: it is the
   * composition root and may use them all. A package not listed here fails the test until it is given a rule.
   */
  static final Map<String, Set<String>> MAY_USE = Map.of(
      "maven", Set.of("core", "taskdef", "aws", "jib", "state"),
      "core", Set.of("taskdef"),
      "aws", Set.of("core"),
      "jib", Set.of("core"),
      "taskdef", Set.of(),
      "state", Set.of());

  /** A mention of one of our packages, written any way Java allows; group 1 is its first segment. */
  private static final Pattern OUR_PACKAGE =
      Pattern.compile("\\bio\\s*\\.\\s*github\\s*\\.\\s*ecsdeploy\\s*\\.\\s*(\\w+)");

  /** The packages of ours a source in one of our packages mentions but may not; empty when it keeps the rules. */
  static Set<String> forbiddenMentions(String source) {
    String pkg = packageOf(source).orElse("");
    Matcher own = OUR_PACKAGE.matcher(pkg);
    if (!own.find()) {
      return Set.of();
    }
    String self = own.group(1);
    Set<String> allowed = MAY_USE.get(self);
    Set<String> forbidden = new TreeSet<>();
    if (allowed == null) {
      forbidden.add("<no rule for package " + self + " in ImportBoundaryTest.MAY_USE>");
      return forbidden;
    }
    Matcher m = OUR_PACKAGE.matcher(source);
    while (m.find()) {
      String used = m.group(1);
      if (!used.equals(self) && !allowed.contains(used)) {
        forbidden.add(used);
      }
    }
    return forbidden;
  }

  @Test
  void eachPackageUsesOnlyThePackagesItMay() throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(MAIN)) {
      files = walk.filter(p -> p.toString().endsWith(".java")).sorted().toList();
    }
    List<String> offenders = files.stream()
        .filter(p -> !forbiddenMentions(read(p)).isEmpty())
        .map(p -> MAIN.relativize(p) + " uses " + forbiddenMentions(read(p)))
        .toList();
    assertEquals(List.of(), offenders, "Package rules (" + MAY_USE + ") broken: " + offenders);
    // proof the scan sees real uses: core uses taskdef (allowed), the Mojos use state
    assertTrue(OUR_PACKAGE.matcher(read(MAIN.resolve("io/github/ecsdeploy/core/TaskDefinitionRegistrar.java")))
        .results().anyMatch(r -> r.group(1).equals("taskdef")));
    assertTrue(OUR_PACKAGE.matcher(read(MAIN.resolve("io/github/ecsdeploy/maven/RegisterTaskDefMojo.java")))
        .results().anyMatch(r -> r.group(1).equals("state")));
  }

  @Test
  void thePackageRuleDetectorFindsEveryWayOfSayingIt() {
    assertEquals(Set.of("state"),
        forbiddenMentions("package io.github.ecsdeploy.core;\nimport io.github.ecsdeploy.state.StateFiles;\n"));
    assertEquals(Set.of("core"),
        forbiddenMentions("package io.github.ecsdeploy.taskdef;\nimport io.github.ecsdeploy.core.Param;\n"));
    assertEquals(Set.of("core"), forbiddenMentions(
        "package io.github.ecsdeploy.state;\nclass A { Object o = io.github\n .ecsdeploy.core.X.Y; }"));
    assertEquals(Set.of("maven"),
        forbiddenMentions("package io.github.ecsdeploy.aws;\n/** see {@link io.github.ecsdeploy.maven.X} */"));
    assertEquals(Set.of("aws", "jib"), forbiddenMentions("package io.github.ecsdeploy.core;\n"
        + "import io.github.ecsdeploy.aws.A;\nimport io.github.ecsdeploy.jib.J;\n"));
    assertEquals(Set.of("<no rule for package newpkg in ImportBoundaryTest.MAY_USE>"),
        forbiddenMentions("package io.github.ecsdeploy.newpkg;\n"));
    assertEquals(Set.of(),
        forbiddenMentions("package io.github.ecsdeploy.core;\nimport io.github.ecsdeploy.taskdef.SdkJson;\n"));
    assertEquals(Set.of(),
        forbiddenMentions("package io.github.ecsdeploy.aws;\nimport io.github.ecsdeploy.core.Param;\n"));
    assertEquals(Set.of(), forbiddenMentions("package io.github.ecsdeploy.maven;\n"
        + "import io.github.ecsdeploy.state.StateFiles;\nimport io.github.ecsdeploy.core.Param;\n"));
  }

  private static String read(Path p) {
    try {
      return Files.readString(p, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
