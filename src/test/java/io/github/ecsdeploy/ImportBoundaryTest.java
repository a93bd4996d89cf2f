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
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The package boundary: only {@code io.github.ecsdeploy.maven} (and below) may use Maven types. Any mention
 * of {@code org.apache.maven} counts: imports, static imports, fully qualified names, even in comments, so
 * the rule needs no parser to be exact.
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

  private static String read(Path p) {
    try {
      return Files.readString(p, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
