package io.github.ecsdeploy.maven;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.maven.execution.DefaultMavenExecutionRequest;
import org.apache.maven.execution.DefaultMavenExecutionResult;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.model.Model;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.descriptor.MojoDescriptor;
import org.apache.maven.plugin.descriptor.PluginDescriptor;
import org.apache.maven.project.MavenProject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bookkeeping of {@code -Decs.deployAtEnd}, with the execution plans given as lists: what counts as the last
 * execution, the order the held goals run in, and what happens when the plans cannot be computed.
 */
class DeployAtEndTest {

  private static final PluginDescriptor OURS = plugin("io.github.ecsdeploy", "ecs-deploy-maven-plugin");
  private static final PluginDescriptor OTHER = plugin("org.apache.maven.plugins", "maven-deploy-plugin");

  private final MavenProject a = project("a");
  private final MavenProject b = project("b");
  private final MavenSession session = session(a, b);
  private final List<String> ran = new ArrayList<>();

  /** Both modules run push-image and update-service; a also runs rollback and maven-deploy-plugin's deploy. */
  private final Map<String, List<MojoExecution>> plans = Map.of(
      a.getId(), List.of(execution(OURS, "push-image"), execution(OTHER, "deploy"), execution(OURS, "rollback"),
          execution(OURS, "update-service")),
      b.getId(), List.of(execution(OURS, "push-image"), execution(OURS, "update-service")));
  private final DeployAtEnd atEnd = new DeployAtEnd((s, module) -> plans.get(module.getId()));

  @Test
  void theGoalsWaitForTheLastExecutionAndRunInReactorOrder() throws Exception {
    // With -T, b may get there first; the held goals still run in reactor order, a before b.
    assertEquals(List.of(), reach(b, "push-image", true));
    assertEquals(List.of(), reach(a, "push-image", true));
    assertEquals(List.of(), reach(a, "update-service", true));
    assertEquals("3 of 4 executions reached", atEnd.progress(session, execution(OURS, "push-image")));

    List<DeployAtEnd.HeldGoal> now = reach(b, "update-service", true);

    for (DeployAtEnd.HeldGoal goal : now) {
      goal.run();
    }
    assertEquals(List.of("a push-image", "a update-service", "b push-image", "b update-service"), ran);
  }

  @Test
  void aSkippedExecutionCountsAsReachedAndMayBeTheLast() throws Exception {
    reach(a, "push-image", true);
    reach(a, "update-service", true);
    reach(b, "push-image", false);

    List<DeployAtEnd.HeldGoal> now = reach(b, "update-service", false);

    assertEquals(List.of("ecs:push-image of a", "ecs:update-service of a"),
        now.stream().map(DeployAtEnd.HeldGoal::describe).toList());
  }

  @Test
  void whileAModuleIsMissingNothingRuns() throws Exception {
    reach(a, "push-image", true);
    reach(a, "update-service", true);
    assertEquals(List.of(), reach(b, "push-image", true), "b's update-service is still to come");
    assertEquals(List.of(), ran);
  }

  @Test
  void withNothingHeldNoPlanIsComputed() throws Exception {
    DeployAtEnd noPlans = new DeployAtEnd((s, module) -> {
      throw new AssertionError("no plan may be computed when nothing is held");
    });
    assertEquals(List.of(), noPlans.reached(session, a, execution(OURS, "push-image"), null));
  }

  @Test
  void aPlanThatCannotBeComputedFailsNamingTheParameter() {
    DeployAtEnd broken = new DeployAtEnd((s, module) -> {
      throw new IllegalStateException("no such lifecycle phase: deplyo");
    });
    MojoExecutionException e = assertThrows(MojoExecutionException.class,
        () -> broken.reached(session, a, execution(OURS, "push-image"), held("a push-image")));
    assertTrue(e.getMessage().contains("no such lifecycle phase: deplyo"), e.getMessage());
    assertTrue(e.getMessage().contains("Nothing was deployed. Run without <deployAtEnd> / -Decs.deployAtEnd."),
        e.getMessage());
  }

  @Test
  void aHeldGoalThatFailsFailsTheLastExecutionNamingItsModuleAndWhatDidNotRun(@TempDir Path dir) {
    DeployAtEnd updates = new DeployAtEnd((s, module) -> List.of(execution(OURS, "update-service")));
    UpdateServiceMojo first = updateService(new MojoFixture(dir.resolve("a")), updates, a);
    UpdateServiceMojo last = updateService(new MojoFixture(dir.resolve("b")), updates, b);

    assertDoesNotThrow(first::execute);
    assertTrue(((RecordingLog) first.getLog()).lines.get(0).startsWith("INFO Holding ecs:update-service until"),
        ((RecordingLog) first.getLog()).lines.toString());
    // a has no task-definition.json: its held update-service fails when b's execution runs it, and b's is not run.
    MojoFailureException e = assertThrows(MojoFailureException.class, last::execute);

    assertTrue(e.getMessage().startsWith("ecs:update-service of a (held by <deployAtEnd> / -Decs.deployAtEnd)"
        + " failed: No task definition revision to deploy"), e.getMessage());
    assertTrue(e.getMessage().endsWith(" Not run: ecs:update-service of b."), e.getMessage());
  }

  private UpdateServiceMojo updateService(MojoFixture fixture, DeployAtEnd atEnd, MavenProject module) {
    UpdateServiceMojo mojo = fixture.mojo(environment -> new UpdateServiceMojo(environment, atEnd));
    module.setFile(mojo.project.getFile());
    module.getModel().setBuild(mojo.project.getBuild());
    mojo.project = module;
    mojo.session = session;
    mojo.mojoExecution = execution(OURS, "update-service");
    mojo.region = "eu-west-1";
    mojo.deployAtEnd = true;
    return mojo;
  }

  private List<DeployAtEnd.HeldGoal> reach(MavenProject module, String goal, boolean hold) throws Exception {
    return atEnd.reached(session, module, execution(OURS, goal),
        hold ? held(module.getArtifactId() + " " + goal) : null);
  }

  private DeployAtEnd.HeldGoal held(String name) {
    return new DeployAtEnd.HeldGoal() {
      @Override
      public String describe() {
        String[] parts = name.split(" ");
        return "ecs:" + parts[1] + " of " + parts[0];
      }

      @Override
      public void run() {
        ran.add(name);
      }
    };
  }

  private static PluginDescriptor plugin(String groupId, String artifactId) {
    PluginDescriptor plugin = new PluginDescriptor();
    plugin.setGroupId(groupId);
    plugin.setArtifactId(artifactId);
    plugin.setVersion("1");
    return plugin;
  }

  private static MojoExecution execution(PluginDescriptor plugin, String goal) {
    MojoDescriptor mojo = new MojoDescriptor();
    mojo.setGoal(goal);
    mojo.setPluginDescriptor(plugin);
    return new MojoExecution(mojo, "default");
  }

  private static MavenProject project(String artifactId) {
    Model model = new Model();
    model.setGroupId("io.github.ecsdeploy.test");
    model.setArtifactId(artifactId);
    model.setVersion("1.0.0");
    return new MavenProject(model);
  }

  @SuppressWarnings("deprecation")
  private static MavenSession session(MavenProject... projects) {
    MavenSession session = new MavenSession(null, null, new DefaultMavenExecutionRequest(),
        new DefaultMavenExecutionResult());
    session.setProjects(List.of(projects));
    return session;
  }
}
