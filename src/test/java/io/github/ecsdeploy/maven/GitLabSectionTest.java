package io.github.ecsdeploy.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ecsdeploy.core.DeploymentFailedException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GitLab-native logs: each goal's output in a collapsible section under GitLab CI, plain elsewhere. */
class GitLabSectionTest {

  private static final String ESC = "\u001b";
  private static final long TS = 1_750_000_000L;
  /** GitLab's own marker grammar (lib/gitlab/regex.rb), as a raw line of its own ("MARK " is the recorder's). */
  private static final Pattern MARKER = Pattern.compile(
      "MARK \u001b\\[0Ksection_(start|end):(\\d+):([a-zA-Z0-9_.-]+)(\\[(?:\\w+=\\w+)(?:, ?(?:\\w+=\\w+))*\\])?"
          + "\r\u001b\\[0K(.*)", Pattern.DOTALL);

  @TempDir Path dir;

  private record Marker(String kind, long time, String id, String options, String header, int index) {}

  private TestGoalMojo mojo(Map<String, String> env) {
    TestGoalMojo[] made = new TestGoalMojo[1];
    MojoFixture fixture = new MojoFixture(dir).env(env)
        .time(Clock.fixed(Instant.ofEpochSecond(TS), ZoneOffset.UTC), duration -> {});
    // The markers go into the goal's log, so a test sees them in order with the lines they frame.
    TestGoalMojo mojo = fixture.mojo(environment ->
        made[0] = new TestGoalMojo(environment.withOutput(text -> made[0].log.lines.add("MARK " + text),
            environment.stdout())));
    mojo.project.setArtifactId("hello-service");
    mojo.needsAws = false;
    mojo.body = ctx -> {
      ctx.log().info("Registered task definition hello:7");
      ctx.log().warn("The service has no deployment circuit breaker");
      ctx.log().info("Deployment COMPLETED");
    };
    return mojo;
  }

  private static List<Marker> markers(List<String> lines) {
    List<Marker> found = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (!line.contains("section_")) {
        continue;
      }
      Matcher m = MARKER.matcher(line);
      assertTrue(m.matches(), "not a GitLab section marker: " + line.replace(ESC, "\\e").replace("\r", "\\r"));
      found.add(new Marker(m.group(1), Long.parseLong(m.group(2)), m.group(3), m.group(4), m.group(5), i));
    }
    return found;
  }

  /** Every start is ended, in order, with ids GitLab keeps as they are (lower case, [a-z0-9_.-]). */
  private static void assertPaired(List<Marker> markers) {
    Deque<String> open = new ArrayDeque<>();
    for (Marker m : markers) {
      assertTrue(m.id().matches("[a-z0-9_.-]+"), m.id());
      assertEquals(TS, m.time());
      if (m.kind().equals("start")) {
        open.push(m.id());
      } else {
        assertEquals(open.pop(), m.id(), "section_end closes the innermost open section");
        assertEquals("", m.header());
      }
    }
    assertTrue(open.isEmpty(), "unclosed sections: " + open);
  }

  @Test
  void outsideGitLabTheOutputIsPlain() throws Exception {
    for (Map<String, String> env :
        List.of(Map.<String, String>of(), Map.of("GITLAB_CI", "false"), Map.of("CI", "true"))) {
      TestGoalMojo mojo = mojo(env);
      mojo.execute();
      assertEquals(List.of("INFO Registered task definition hello:7",
          "WARN The service has no deployment circuit breaker", "INFO Deployment COMPLETED"), mojo.log.lines);
    }
  }

  @Test
  void outsideGitLabAFailureIsPlainToo() {
    TestGoalMojo mojo = mojo(Map.of());
    mojo.body = ctx -> {
      ctx.log().info("Waiting");
      throw new DeploymentFailedException("Rolled back.");
    };
    assertThrows(MojoFailureException.class, mojo::execute);
    assertEquals(List.of("INFO Waiting"), mojo.log.lines);
  }

  @Test
  void underGitLabASuccessfulGoalIsACollapsedSectionWithWarningsRepeatedBelow() throws Exception {
    TestGoalMojo mojo = mojo(Map.of("GITLAB_CI", "true"));
    mojo.execute();
    List<String> lines = mojo.log.lines;
    List<Marker> markers = markers(lines);
    assertPaired(markers);
    assertEquals(2, markers.size(), lines.toString());
    Marker start = markers.get(0);
    assertEquals(0, start.index(), "the section starts before any detail");
    assertEquals("[collapsed=true]", start.options());
    assertEquals("ecs:test-goal (hello-service)", start.header());
    assertTrue(start.id().startsWith("ecs-test-goal-"), start.id());
    assertEquals(List.of("INFO Registered task definition hello:7",
        "WARN The service has no deployment circuit breaker", "INFO Deployment COMPLETED"),
        lines.subList(1, markers.get(1).index()));
    assertEquals(List.of("WARN The service has no deployment circuit breaker"),
        lines.subList(markers.get(1).index() + 1, lines.size()), "warnings stay visible");
  }

  @Test
  void underGitLabAFailureIsShownInAnOpenSection() {
    TestGoalMojo mojo = mojo(Map.of("GITLAB_CI", "true"));
    mojo.body = ctx -> {
      ctx.log().info("Deployment IN_PROGRESS: 0/2 running");
      ctx.log().warn("Task stopped: Essential container in task exited (exit code 1)");
      throw new DeploymentFailedException("The deployment was rolled back to hello:6.");
    };
    MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);
    assertEquals("The deployment was rolled back to hello:6.", e.getMessage());
    List<String> lines = mojo.log.lines;
    List<Marker> markers = markers(lines);
    assertPaired(markers);
    assertEquals(4, markers.size(), lines.toString());
    assertEquals("[collapsed=true]", markers.get(0).options());
    Marker open = markers.get(2);
    assertEquals(null, open.options(), "the failure section is not collapsed");
    assertEquals(markers.get(0).id() + "-failed", open.id());
    assertEquals("ecs:test-goal (hello-service) failed; its output:", open.header());
    List<String> detail = List.of("INFO Deployment IN_PROGRESS: 0/2 running",
        "WARN Task stopped: Essential container in task exited (exit code 1)");
    assertEquals(detail, lines.subList(markers.get(0).index() + 1, markers.get(1).index()));
    assertEquals(detail, lines.subList(open.index() + 1, markers.get(3).index()), "repeated where it is seen");
    assertEquals(markers.get(3).index(), lines.size() - 1, "nothing after: Maven prints the error next");
    assertTrue(mojo.log.at("ERROR").isEmpty(), "the error is thrown once, not logged");
  }

  @Test
  void aGoalThatWaitsForADeploymentStreamsIntoAnExpandedSectionAndIsNotRepeatedOnFailure() {
    for (String goal : List.of("update-service", "rollback")) {
      TestGoalMojo mojo = mojo(Map.of("GITLAB_CI", "true"));
      mojo.goal = goal;
      mojo.body = ctx -> {
        ctx.log().info("hello-service: 1/2 running, 1 pending, 0 failed \u2014 IN_PROGRESS");
        throw new DeploymentFailedException("The deployment was rolled back to hello:6.");
      };
      assertThrows(MojoFailureException.class, mojo::execute);
      List<String> lines = mojo.log.lines;
      List<Marker> markers = markers(lines);
      assertPaired(markers);
      assertEquals(2, markers.size(), "no second section: the lines are in view already " + lines);
      assertEquals(null, markers.get(0).options(), goal + " starts expanded: the wait is what a user watches");
      assertEquals(List.of("INFO hello-service: 1/2 running, 1 pending, 0 failed \u2014 IN_PROGRESS"),
          lines.subList(markers.get(0).index() + 1, markers.get(1).index()));
    }
  }

  @Test
  void aFailureBeforeTheGoalRunsStillClosesItsSection() {
    TestGoalMojo mojo = mojo(Map.of("GITLAB_CI", "true"));
    mojo.needsAws = true; // no region anywhere
    assertThrows(MojoFailureException.class, mojo::execute);
    assertPaired(markers(mojo.log.lines));
    assertEquals(4, markers(mojo.log.lines).size());
  }

  @Test
  void aBugStillClosesTheSection() {
    TestGoalMojo mojo = mojo(Map.of("GITLAB_CI", "true"));
    mojo.body = ctx -> {
      throw new IllegalStateException("bug");
    };
    assertThrows(IllegalStateException.class, mojo::execute);
    assertPaired(markers(mojo.log.lines));
  }

  @Test
  void skippedGoalsHaveNoSection() throws Exception {
    TestGoalMojo mojo = mojo(Map.of("GITLAB_CI", "true"));
    mojo.skip = true;
    mojo.execute();
    assertEquals(List.of("INFO Skipping ecs:test-goal because ecs.skip=true"), mojo.log.lines);
  }

  @Test
  void eachExecutionHasItsOwnSectionId() throws Exception {
    TestGoalMojo first = mojo(Map.of("GITLAB_CI", "true"));
    TestGoalMojo second = mojo(Map.of("GITLAB_CI", "true"));
    first.execute();
    second.execute();
    assertNotEquals(markers(first.log.lines).get(0).id(), markers(second.log.lines).get(0).id());
  }

  @Test
  void sectionIdsKeepOnlyWhatGitLabAccepts() {
    assertEquals("ecs-update-service-3", GitLabSection.sectionId("update-service", 3));
    assertEquals("ecs-odd-goal-name-1", GitLabSection.sectionId("Odd Goal:Name", 1));
    assertTrue(GitLabSection.sectionId("x/y", 9).matches("[a-z0-9_.-]+"));
  }

  @Test
  void onlyTrueMeansGitLab() {
    assertTrue(GitLabSection.underGitLab(Map.of("GITLAB_CI", "true")::get));
    assertTrue(GitLabSection.underGitLab(Map.of("GITLAB_CI", "TRUE")::get));
    assertFalse(GitLabSection.underGitLab(Map.of("GITLAB_CI", "1")::get));
    assertFalse(GitLabSection.underGitLab(Map.<String, String>of()::get));
  }
}
