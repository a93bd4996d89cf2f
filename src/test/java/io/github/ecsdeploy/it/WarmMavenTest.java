package io.github.ecsdeploy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When an IT's Maven run may share a warm JVM, and when it needs one of its own (WarmMaven.coldReason). */
class WarmMavenTest {

  @TempDir Path dir;

  private static final Map<String, String> DAEMON_ENV = Map.of(
      "PATH", "/usr/bin", "AWS_ACCESS_KEY_ID", "AKIDSTANDIN", "GITLAB_CI", "false", "SHLVL", "1");

  private WarmMaven.Request request(List<String> args, Map<String, String> changes) {
    Map<String, String> env = new HashMap<>(DAEMON_ENV);
    env.put("MAVEN_OPTS", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xms32m");
    env.putAll(changes);
    env.values().removeIf(v -> v == null);
    return new WarmMaven.Request(dir.toString(), args, env);
  }

  private String coldReason(List<String> args, Map<String, String> changes) {
    return WarmMaven.coldReason(request(args, changes), DAEMON_ENV);
  }

  @Test
  void anOrdinaryRunOfAnItIsWarm() {
    assertNull(coldReason(List.of("-B", "-e", "-D", "maven.repo.local=/r", "-s", "/tmp/s.xml", "deploy", "-Pecs",
        "-Decs.tag=v1.0.0"), Map.of()));
  }

  @Test
  void variablesOnlyTheShellOrMvnSetDoNotCount() {
    assertNull(coldReason(List.of("validate"), Map.of("SHLVL", "3", "PWD", "/elsewhere", "_", "/usr/bin/java",
        "MAVEN_PROJECTBASEDIR", "/x", "MAVEN_CMD_LINE_ARGS", "validate")));
  }

  @Test
  void anEnvironmentOfItsOwnNeedsAJvmOfItsOwn() {
    // gitlab-consumer: GitLab's variables and no AWS keys
    assertEquals("its environment differs in AWS_ACCESS_KEY_ID",
        coldReason(List.of("deploy"), Map.of("AWS_ACCESS_KEY_ID", "")));
    assertEquals("its environment differs in CI_COMMIT_TAG",
        coldReason(List.of("deploy"), Map.of("CI_COMMIT_TAG", "v1.0.0")));
    Map<String, String> without = new HashMap<>();
    without.put("GITLAB_CI", null);
    assertEquals("its environment differs in GITLAB_CI", coldReason(List.of("deploy"), without));
    assertEquals("MAVEN_ARGS is set", coldReason(List.of("deploy"), Map.of("MAVEN_ARGS", "-X")));
  }

  @Test
  void jvmOptionsBeyondSpeedNeedAJvmOfTheirOwn() {
    assertNull(coldReason(List.of("deploy"),
        Map.of("MAVEN_OPTS", "-Xms32m -XX:SharedArchiveFile=/a.jsa -Xlog:cds=off -Xshare:auto")));
    assertEquals("its JVM options hold -XX:ArchiveClassesAtExit=/a.jsa",
        coldReason(List.of("deploy"), Map.of("MAVEN_OPTS", "-Xms32m -XX:ArchiveClassesAtExit=/a.jsa")));
    assertEquals("its JVM options hold -Dhttps.proxyHost=proxy",
        coldReason(List.of("deploy"), Map.of("MAVEN_OPTS", "-Dhttps.proxyHost=proxy")));
    assertEquals("its JVM options hold -Xmx64m", coldReason(List.of("deploy"), Map.of("MAVEN_OPTS", "-Xmx64m")));
  }

  @Test
  void theJvmConfigThatMvnWouldReadCountsToo() throws Exception {
    // mvn reads .mvn/jvm.config of the nearest directory up that has .mvn (here: a parent of the IT's directory)
    Path it = Files.createDirectories(dir.resolve("target/it/one"));
    Files.createDirectories(dir.resolve(".mvn"));
    WarmMaven.Request run = new WarmMaven.Request(it.toString(), List.of("deploy"),
        request(List.of(), Map.of()).environment());
    assertEquals(dir.toAbsolutePath(), WarmMaven.projectBaseDir(run));
    Files.writeString(dir.resolve(".mvn/jvm.config"), "-XX:TieredStopAtLevel=1\n");
    assertNull(WarmMaven.coldReason(run, DAEMON_ENV));
    Files.writeString(dir.resolve(".mvn/jvm.config"), "-XX:TieredStopAtLevel=1\n-Duser.language=de\n");
    assertEquals("its JVM options hold -Duser.language=de", WarmMaven.coldReason(run, DAEMON_ENV));
  }

  @Test
  void withoutAMvnDirectoryTheProjectBaseDirIsTheWorkingDirectory() {
    Path alone = dir.resolve("no-mvn-anywhere");
    assertEquals(alone.toAbsolutePath(),
        WarmMaven.projectBaseDir(new WarmMaven.Request(alone.toString(), List.of(), Map.of())));
  }

  @Test
  void aLogLevelOrLogFileOrAPomOfItsOwnNeedsAJvmOfItsOwn() {
    // Maven's loggers keep the level of the run that made them; -f changes where mvn looks for .mvn
    for (String option : List.of("-X", "--debug", "-q", "--quiet", "-l", "--log-file")) {
      assertEquals("sets the log level or file (" + option + ")", coldReason(List.of(option, "deploy"), Map.of()));
    }
    assertEquals("names its POM (-f)", coldReason(List.of("-f", "other/pom.xml", "deploy"), Map.of()));
    // -e only adds stack traces to this run's errors
    assertNull(coldReason(List.of("-e", "deploy"), Map.of()));
  }

  @Test
  void slotsAsInvokersParallelThreads() {
    int cores = Runtime.getRuntime().availableProcessors();
    assertEquals(3, WarmMaven.slots("3"));
    assertEquals(cores, WarmMaven.slots("1C"));
    assertEquals(Math.round(1.5 * cores), WarmMaven.slots("1.5C"));
    assertEquals(0, WarmMaven.slots("0"));
  }

  @Test
  void aRequestReadsBackAsWritten() throws Exception {
    WarmMaven.Request sent = new WarmMaven.Request("/work/it", List.of("-B", "deploy", "-Decs.tag=v1.0.0", "ü"),
        Map.of("A", "1", "EMPTY", ""));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    sent.write(new DataOutputStream(bytes));
    WarmMaven.Request read = WarmMaven.Request.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
    assertEquals(sent.workingDirectory(), read.workingDirectory());
    assertEquals(sent.args(), read.args());
    assertEquals(sent.environment(), read.environment());
  }
}
