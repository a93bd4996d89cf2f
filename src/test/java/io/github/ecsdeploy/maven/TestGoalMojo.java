package io.github.ecsdeploy.maven;

import java.util.function.Consumer;

/**
 * A concrete goal for tests of {@link AbstractEcsMojo}: {@code ecs:test-goal} with skip property
 * {@code ecs.testGoal.skip}. Records its runs and the context it got; made by {@link MojoFixture}, whose
 * environment decides the variables, the clock and the AWS clients.
 */
class TestGoalMojo extends AbstractEcsMojo {

  boolean goalSkip;
  String goal = "test-goal";
  boolean needsAws = true;
  int runs;
  GoalContext lastContext;
  Consumer<GoalContext> body = ctx -> {};
  final RecordingLog log = new RecordingLog();

  TestGoalMojo(GoalEnvironment environment) {
    super(environment);
    setLog(log);
  }

  @Override
  protected String goal() {
    return goal;
  }

  @Override
  protected boolean skipGoal() {
    return goalSkip;
  }

  @Override
  protected boolean needsAws() {
    return needsAws;
  }

  @Override
  protected void run(GoalContext ctx) {
    runs++;
    lastContext = ctx;
    body.accept(ctx);
  }
}
