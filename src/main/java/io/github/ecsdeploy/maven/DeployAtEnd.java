package io.github.ecsdeploy.maven;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.inject.Inject;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.lifecycle.LifecycleExecutor;
import org.apache.maven.lifecycle.MavenExecutionPlan;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.descriptor.PluginDescriptor;
import org.apache.maven.project.MavenProject;

/**
 * {@code -Decs.deployAtEnd=true}: push-image, register-task-def and update-service of every module wait until the
 * last of these executions in the reactor has been reached, then all run in reactor order (and within a module in
 * lifecycle order). A module whose tests fail stops the build before its executions are reached, so nothing is
 * deployed.
 *
 * <p>Learnt from maven-deploy-plugin 3.x's {@code deployAtEnd}: every execution marks itself in the session's
 * plugin context, and the one that finds every expected execution marked runs the held work. maven-deploy-plugin
 * expects an execution in every module whose model binds the plugin; we ask Maven's own {@link LifecycleExecutor}
 * for each module's execution plan with the goals of this build ({@code mvn deploy}, {@code mvn verify
 * ecs:push-image}, profiles, executions bound to phases the build does not reach), so "last" is exact: the
 * executions of our deploying goals that this build runs, in any module. Skipped executions count as reached.
 * With {@code -T}, the bookkeeping is synchronized and exactly one thread runs the held goals.
 */
public class DeployAtEnd {

  /** The goals that deployAtEnd holds. */
  static final Set<String> GOALS = Set.of("push-image", "register-task-def", "run-task", "update-service");

  /** The parameter, in both spellings. */
  static final String PARAM = "<deployAtEnd> / -Decs.deployAtEnd";

  /** The key of the reactor's bookkeeping in the plugin context of the top-level project. */
  private static final String KEY = DeployAtEnd.class.getName();

  /** A held goal: runs later, in the thread of the last execution. */
  interface HeldGoal {
    /** {@code ecs:push-image of service-a}. */
    String describe();

    /** Runs the goal as its own execution would have. */
    void run() throws MojoExecutionException, MojoFailureException;
  }

  /** Tells which executions a build will run; {@link LifecycleExecutor} in Maven, a list in unit tests. */
  interface Plans {
    /** The executions (plugin key {@code groupId:artifactId}, goal, execution id) the build runs in the module. */
    List<MojoExecution> of(MavenSession session, MavenProject module) throws Exception;
  }

  private final Plans plans;

  /**
   * The component, with Maven's lifecycle executor.
   *
   * @param lifecycle computes each module's execution plan for the goals of this build
   */
  @Inject
  public DeployAtEnd(LifecycleExecutor lifecycle) {
    this((session, module) -> {
      MavenSession forModule = session.clone();
      forModule.setCurrentProject(module);
      MavenExecutionPlan plan =
          lifecycle.calculateExecutionPlan(forModule, false, session.getGoals().toArray(new String[0]));
      return plan.getMojoExecutions();
    });
  }

  DeployAtEnd(Plans plans) {
    this.plans = plans;
  }

  /** The reactor's bookkeeping, shared by every execution of the build. */
  private static final class Reactor {
    final Set<String> reached = new HashSet<>();
    final Map<String, List<HeldGoal>> held = new LinkedHashMap<>();
    Set<String> expected;
    boolean done;
  }

  /**
   * One execution of a deploying goal was reached: remembers it, holds {@code goal} (when not null), and when it
   * was the last one expected, returns every held goal in reactor order, for the caller to run now.
   *
   * @param goal the work to hold, or {@code null} when the execution is skipped or runs at once
   * @return the held goals to run now (empty while executions remain)
   */
  List<HeldGoal> reached(MavenSession session, MavenProject project, MojoExecution execution, HeldGoal goal)
      throws MojoExecutionException {
    Map<String, Object> context = session.getPluginContext(plugin(execution), top(session));
    Reactor reactor;
    synchronized (context) {
      reactor = (Reactor) context.computeIfAbsent(KEY, k -> new Reactor());
    }
    synchronized (reactor) {
      reactor.reached.add(key(project, execution.getGoal(), execution.getExecutionId()));
      if (reactor.done) {
        // Reached after the held goals ran (an execution the plans did not show): it cannot wait any longer.
        return goal == null ? List.of() : List.of(goal);
      }
      if (goal != null) {
        reactor.held.computeIfAbsent(project.getId(), k -> new ArrayList<>()).add(goal);
      }
      if (reactor.held.isEmpty()) {
        return List.of();
      }
      if (reactor.expected == null) {
        reactor.expected = expected(session, execution);
      }
      if (!reactor.reached.containsAll(reactor.expected)) {
        return List.of();
      }
      reactor.done = true;
      List<HeldGoal> all = new ArrayList<>();
      for (MavenProject module : session.getProjects()) {
        all.addAll(reactor.held.getOrDefault(module.getId(), List.of()));
      }
      return all;
    }
  }

  /** How many deploying executions the build runs, and how many of them were reached; for the log. */
  String progress(MavenSession session, MojoExecution execution) {
    Map<String, Object> context = session.getPluginContext(plugin(execution), top(session));
    Object found;
    synchronized (context) {
      found = context.get(KEY);
    }
    if (!(found instanceof Reactor reactor)) {
      return "";
    }
    synchronized (reactor) {
      if (reactor.expected == null) {
        return "";
      }
      long reached = reactor.expected.stream().filter(reactor.reached::contains).count();
      return reached + " of " + reactor.expected.size() + " executions reached";
    }
  }

  /** Every execution of a deploying goal of this plugin that the build runs, in every module. */
  private Set<String> expected(MavenSession session, MojoExecution current) throws MojoExecutionException {
    PluginDescriptor ours = plugin(current);
    Set<String> expected = new HashSet<>();
    for (MavenProject module : session.getProjects()) {
      List<MojoExecution> plan;
      try {
        plan = plans.of(session, module);
      } catch (Exception e) {
        throw new MojoExecutionException("Cannot tell which modules run ecs:push-image, ecs:register-task-def and "
            + "ecs:update-service, so " + PARAM + " cannot wait for the last one: the execution "
            + "plan of " + module.getId() + " failed (" + e.getMessage() + "). Nothing was deployed. Run without "
            + PARAM + ".", e);
      }
      for (MojoExecution execution : plan) {
        if (ours.getGroupId().equals(execution.getGroupId())
            && ours.getArtifactId().equals(execution.getArtifactId())
            && GOALS.contains(execution.getGoal())) {
          expected.add(key(module, execution.getGoal(), execution.getExecutionId()));
        }
      }
    }
    return expected;
  }

  private static PluginDescriptor plugin(MojoExecution execution) {
    return execution.getMojoDescriptor().getPluginDescriptor();
  }

  private static MavenProject top(MavenSession session) {
    MavenProject top = session.getTopLevelProject();
    return top != null ? top : session.getProjects().get(0);
  }

  private static String key(MavenProject module, String goal, String executionId) {
    return module.getId() + " " + goal + " @" + executionId;
  }
}
