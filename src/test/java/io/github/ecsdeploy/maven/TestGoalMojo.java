package io.github.ecsdeploy.maven;

import io.github.ecsdeploy.testing.TestCredentials;
import io.github.ecsdeploy.aws.AwsClients;
import io.github.ecsdeploy.aws.AwsSettings;
import io.github.ecsdeploy.aws.CredentialsSource;
import io.github.ecsdeploy.core.DeployLog;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A concrete goal for tests of {@link AbstractEcsMojo}: {@code ecs:test-goal} with skip property
 * {@code ecs.testGoal.skip}. Records runs and every {@link AwsClients} the base builds; AWS clients use
 * static test keys, never the machine's credentials, unless a test sets {@code roleArn} (then the GitLab
 * OIDC source the base resolved, with the test's environment).
 */
class TestGoalMojo extends AbstractEcsMojo {

  boolean goalSkip;
  String goal = "test-goal";
  boolean needsAws = true;
  int runs;
  GoalContext lastContext;
  Consumer<GoalContext> body = ctx -> {};
  final List<AwsClients> builtClients = new ArrayList<>();
  final RecordingLog log = new RecordingLog();

  TestGoalMojo() {
    setLog(log);
    env = name -> null;
    // Never the machine's region chain: no system properties, no EC2 instance metadata.
    systemProperties = name -> null;
    instanceMetadataRegion = java.util.Optional::empty;
    awsFactory = this::testClients;
  }

  private AwsClients testClients(AwsSettings settings, DeployLog deployLog) {
    CredentialsSource keys =
        TestCredentials.source();
    // With a role, the real source the base resolved (GitLab OIDC against a stand-in's STS).
    AwsClients clients = new AwsClients(settings, roleArn == null ? keys : credentials, deployLog);
    builtClients.add(clients);
    return clients;
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
