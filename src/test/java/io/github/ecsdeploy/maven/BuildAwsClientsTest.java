package io.github.ecsdeploy.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.execution.AbstractExecutionListener;
import org.apache.maven.execution.DefaultMavenExecutionRequest;
import org.apache.maven.execution.ExecutionEvent;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.project.MavenProject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The goals of one Maven build share one set of AWS clients, closed when Maven ends the session. */
class BuildAwsClientsTest {

  @TempDir Path dir;

  private final List<String> mavenEvents = new ArrayList<>();

  @SuppressWarnings("deprecation")
  private MavenSession session() {
    DefaultMavenExecutionRequest request = new DefaultMavenExecutionRequest();
    request.setExecutionListener(new AbstractExecutionListener() {
      @Override
      public void projectStarted(ExecutionEvent event) {
        mavenEvents.add("projectStarted");
      }

      @Override
      public void sessionEnded(ExecutionEvent event) {
        mavenEvents.add("sessionEnded");
      }
    });
    return new MavenSession(null, request, null, List.<MavenProject>of());
  }

  private TestGoalMojo mojo(MojoFixture fixture, MavenSession session) {
    TestGoalMojo mojo = fixture.mojo(TestGoalMojo::new);
    mojo.region = "eu-west-1";
    mojo.endpoint = "http://127.0.0.1:1";
    mojo.session = session;
    return mojo;
  }

  private static ExecutionEvent event(ExecutionEvent.Type type, MavenSession session) {
    return new ExecutionEvent() {
      @Override
      public Type getType() {
        return type;
      }

      @Override
      public MavenSession getSession() {
        return session;
      }

      @Override
      public MavenProject getProject() {
        return null;
      }

      @Override
      public MojoExecution getMojoExecution() {
        return null;
      }

      @Override
      public Exception getException() {
        return null;
      }
    };
  }

  @Test
  void twoExecutionsOfOneBuildShareTheClientsUntilMavenEndsTheSession() throws Exception {
    MojoFixture fixture = new MojoFixture(dir);
    MavenSession session = session();
    TestGoalMojo first = mojo(fixture, session);
    TestGoalMojo second = mojo(fixture, session);
    second.goal = "other-goal";
    first.execute();
    second.execute();

    assertEquals(1, fixture.built.size(), "one set of clients for the build");
    assertSame(first.lastContext.aws(), second.lastContext.aws());
    first.lastContext.aws().ecs(); // still open after both executions

    session.getRequest().getExecutionListener().projectStarted(event(ExecutionEvent.Type.ProjectStarted, session));
    session.getRequest().getExecutionListener().sessionEnded(event(ExecutionEvent.Type.SessionEnded, session));

    assertEquals(List.of("projectStarted", "sessionEnded"), mavenEvents, "Maven's own listener sees every event");
    assertThrows(IllegalStateException.class, () -> first.lastContext.aws().ecs(), "closed at the build's end");
    assertTrue(first.log.lines.stream().anyMatch(l -> l.contains("Closed the AWS clients of this build (1 set)")),
        first.log.lines.toString());

    TestGoalMojo next = mojo(fixture, session());
    next.execute();
    assertEquals(2, fixture.built.size(), "another build gets its own clients");
  }

  @Test
  void withoutASessionAGoalBuildsAndClosesItsOwn() throws Exception {
    MojoFixture fixture = new MojoFixture(dir);
    TestGoalMojo mojo = mojo(fixture, null);
    mojo.execute();
    assertEquals(1, fixture.built.size());
    assertThrows(IllegalStateException.class, () -> mojo.lastContext.aws().ecs());
  }
}
