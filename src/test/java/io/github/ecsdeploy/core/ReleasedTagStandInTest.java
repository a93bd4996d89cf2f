package io.github.ecsdeploy.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ecsdeploy.standin.AwsStandIn;
import io.github.ecsdeploy.standin.StandInExtension;
import io.github.ecsdeploy.testing.RecordingDeployLog;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecs.EcsClient;

/**
 * Deploying a tag that was released before, and dry runs, through the real SDK against the stand-in:
 * validate-tag accepts an older tag that ECR holds as a rollback (and still refuses one it never held),
 * register-task-def reuses the revision that already runs a released digest, a dry run of register-task-def
 * prints a masked unified diff, and a dry run of update-service says what would change; none of the dry runs
 * makes a mutating call.
 */
class ReleasedTagStandInTest {

  @RegisterExtension static final StandInExtension STAND_IN = new StandInExtension();

  static final Set<String> MUTATING = Set.of("RegisterTaskDefinition", "UpdateService", "CreateService",
      "DeregisterTaskDefinition", "TagResource");
  private static final String REGISTRY = AwsStandIn.ACCOUNT_ID + ".dkr.ecr.us-east-1.amazonaws.com";

  private final EcrClient ecr = STAND_IN.ecr();
  private final EcsClient ecs = STAND_IN.ecs();
  private final RecordingDeployLog log = new RecordingDeployLog();
  private String name;

  /** Cluster, repository, family and service named after the test; v1.0.0 (revision 1) then v1.0.1 (2) run. */
  @BeforeEach
  void twoReleases(TestInfo test) {
    name = test.getTestMethod().orElseThrow().getName().toLowerCase();
    name = name.substring(0, Math.min(name.length(), 40));
    STAND_IN.get().ecr().createRepository(name, true);
    ecs.createCluster(b -> b.clusterName(name));
    String first = register(released("v1.0.0"));
    ecs.createService(b -> b.cluster(name).serviceName("web").taskDefinition(first).desiredCount(1));
    String second = register(released("v1.0.1"));
    ecs.updateService(b -> b.cluster(name).service("web").taskDefinition(second));
    STAND_IN.get().requestLog().clear();
  }

  private String released(String tag) {
    String digest = digest(tag);
    STAND_IN.get().ecr().putImage(name, digest, tag, 100, "application/vnd.oci.image.manifest.v1+json");
    return REGISTRY + "/" + name + ":" + tag + "@" + digest;
  }

  private String digest(String tag) {
    return "sha256:" + String.format("%064x", Math.abs((name + tag).hashCode()));
  }

  private String register(String image) {
    return ecs.registerTaskDefinition(b -> b.family(name).containerDefinitions(c -> c.name("app").image(image)
            .memory(512)
            .environment(e -> e.name("DB_PASSWORD").value("hunter2"))
            .secrets(s -> s.name("API_KEY").valueFrom("arn:aws:ssm:us-east-1:" + AwsStandIn.ACCOUNT_ID
                + ":parameter/very-secret-path"))))
        .taskDefinition().taskDefinitionArn();
  }

  private long mutatingCalls() {
    return STAND_IN.get().requestLog().entries(e -> MUTATING.contains(e.operation())).size();
  }

  private TagChecker.Request tagRequest(String tag, boolean allowRollback) {
    return new TagChecker.Request(tag, new TagPolicy.Options(false, false, null), false, true, name, name, "web",
        null, false, allowRollback);
  }

  private TagChecker checker() {
    return new TagChecker(() -> ecr, () -> ecs, log);
  }

  private TaskDefinitionRegistrar.Request fromService(PushedImage pushed, boolean dryRun, boolean showValues) {
    return new TaskDefinitionRegistrar.Request("us-east-1", name, "web", null, null, null, null, pushed, null, name,
        dryRun, showValues);
  }

  @Test
  void anOlderTagThatEcrHoldsIsARollback() {
    TagChecker.Decision decision = checker().decide(tagRequest("v1.0.0", true));

    assertTrue(decision.rollback(), "push-image reads this decision to build nothing");
    assertTrue(!checker().decide(tagRequest("v1.0.2", true)).rollback(), "a newer tag is a release");

    assertTrue(log.infoContains("This is a rollback: v1.0.0 is older than v1.0.1"), log.toString());
    assertTrue(log.infoContains("ECR already holds v1.0.0 (" + digest("v1.0.0") + ")"), log.toString());
  }

  @Test
  void anOlderTagNeverReleasedIsStillRefused() {
    UserInputException e = assertThrows(UserInputException.class,
        () -> checker().validate(tagRequest("v0.9.0", true)));

    assertTrue(e.getMessage().contains("The tag v0.9.0 is older than v1.0.1"), e.getMessage());
    assertTrue(e.getMessage().contains("ECR has no image tagged v0.9.0 in " + name + ": it was never released"),
        e.getMessage());
  }

  @Test
  void allowRollbackFalseRefusesAReleasedOlderTag() {
    UserInputException e = assertThrows(UserInputException.class,
        () -> checker().validate(tagRequest("v1.0.0", false)));

    assertTrue(e.getMessage().contains("<allowRollback> / -Decs.validateTag.allowRollback=false refuses"),
        e.getMessage());
  }

  @Test
  void aReleasedDigestReusesTheRevisionThatRunsIt() {
    PushedImage again = new PushedImage(REGISTRY + "/" + name + ":v1.0.0@" + digest("v1.0.0"), true);

    RegisteredTaskDefinition state = new TaskDefinitionRegistrar(ecs, log).register(fromService(again, false, false));

    assertEquals(1, state.revision());
    assertTrue(state.reused());
    assertEquals(0, STAND_IN.get().requestLog().count("RegisterTaskDefinition"));
    assertTrue(log.infoContains("Reusing task definition " + name + ":1: its container app already runs"),
        log.toString());
  }

  @Test
  void aFreshlyPushedImageIsRegisteredEvenIfAnOldRevisionHadItsDigest() {
    PushedImage pushed = new PushedImage(REGISTRY + "/" + name + ":v1.0.0@" + digest("v1.0.0"), false);

    RegisteredTaskDefinition state = new TaskDefinitionRegistrar(ecs, log).register(fromService(pushed, false, false));

    assertEquals(3, state.revision());
    assertEquals(1, STAND_IN.get().requestLog().count("RegisterTaskDefinition"));
  }

  @Test
  void aDryRunPrintsAMaskedUnifiedDiffAndRegistersNothing() {
    String next = released("v1.1.0");
    PushedImage pushed = new PushedImage(REGISTRY + "/" + name + ":v1.1.0@" + digest("v1.1.0"), false);

    RegisteredTaskDefinition state = new TaskDefinitionRegistrar(ecs, log).register(fromService(pushed, true, false));

    assertNull(state.taskDefinitionArn());
    assertEquals(next, state.image());
    assertEquals(0, mutatingCalls(), STAND_IN.get().requestLog().entries().toString());
    String text = log.toString();
    assertTrue(log.infoContains("would register the next revision of " + name), text);
    assertTrue(log.infoContains("--- " + name + ":2"), text);
    assertTrue(log.infoContains("+++ request"), text);
    assertTrue(log.infoContains("-    \"image\" : \"" + REGISTRY + "/" + name + ":v1.0.1@"), text);
    assertTrue(log.infoContains("+    \"image\" : \"" + next + "\""), text);
    assertTrue(log.infoContains("\"value\" : \"(masked)\""), text);
    assertFalse(text.contains("hunter2"), text);
    assertFalse(text.contains("very-secret-path"), text);
  }

  @Test
  void showValuesShowsThemInTheDiffContext() {
    released("v1.1.0");
    PushedImage pushed = new PushedImage(REGISTRY + "/" + name + ":v1.1.0@" + digest("v1.1.0"), false);

    new TaskDefinitionRegistrar(ecs, log).register(fromService(pushed, true, true));

    assertTrue(log.toString().contains("hunter2"), log.toString());
  }

  @Test
  void aDryRunOfUpdateServiceSaysWhatWouldChangeAndWarnsWithoutCircuitBreaker() {
    String arn1 = ecs.describeTaskDefinition(b -> b.taskDefinition(name + ":1")).taskDefinition()
        .taskDefinitionArn();

    new DeploymentPreview(new EcsServiceView(ecs, () -> ecr, log), log)
        .preview(name, "web", arn1, null, Duration.ofMinutes(15));

    assertEquals(0, mutatingCalls(), STAND_IN.get().requestLog().entries().toString());
    assertTrue(log.infoContains("update-service would deploy " + name + ":1 to service web"), log.toString());
    assertTrue(log.infoContains("  now  " + name + ":2 (app: " + REGISTRY + "/" + name + ":v1.0.1@"),
        log.toString());
    assertTrue(log.warnContains("has neither the deployment circuit breaker nor deployment alarms"),
        log.toString());
    assertTrue(log.warnContains("only time out after 15m"), log.toString());
  }

  @Test
  void withACircuitBreakerThereIsNoWarning() {
    ecs.updateService(b -> b.cluster(name).service("web")
        .deploymentConfiguration(c -> c.deploymentCircuitBreaker(cb -> cb.enable(true).rollback(true))));
    STAND_IN.get().requestLog().clear();

    new DeploymentPreview(new EcsServiceView(ecs, () -> ecr, log), log)
        .preview(name, "web", null, REGISTRY + "/" + name + ":v1.1.0", Duration.ofMinutes(15));

    assertTrue(log.warns().isEmpty(), log.toString());
    assertTrue(log.infoContains("would deploy the revision register-task-def would register"), log.toString());
    assertEquals(0, mutatingCalls());
  }
}
