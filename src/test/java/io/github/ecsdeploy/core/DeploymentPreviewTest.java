package io.github.ecsdeploy.core;

import static io.github.ecsdeploy.testing.InMemoryServiceView.arn;
import static io.github.ecsdeploy.testing.InMemoryServiceView.image;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.ecsdeploy.testing.RecordingDeployLog;
import io.github.ecsdeploy.testing.InMemoryServiceView;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.DeploymentConfiguration;
import software.amazon.awssdk.services.ecs.model.DeploymentControllerType;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionStatus;

/**
 * The dry run of update-service on a service in memory: what it says UpdateService would change (revision and
 * images, before and after), what it refuses as update-service would, and when it warns that nothing watches
 * the rollout. {@code ReleasedTagStandInTest} runs it through the real SDK against the stand-in.
 */
class DeploymentPreviewTest {

  private static final String NO_WATCH = "Service hello-svc has neither the deployment circuit breaker nor"
      + " deployment alarms: if the new tasks fail, ECS keeps replacing them, never marks the deployment FAILED,"
      + " and update-service can only time out after 15m. Turn the circuit breaker on: aws ecs update-service"
      + " --cluster prod --service hello-svc --deployment-configuration"
      + " 'deploymentCircuitBreaker={enable=true,rollback=true}'.";

  private final InMemoryServiceView view = new InMemoryServiceView();
  private final RecordingDeployLog log = new RecordingDeployLog();
  private String six;
  private String seven;

  @BeforeEach
  void runsSix() {
    six = view.add(6, image("v1.3.0"), TaskDefinitionStatus.ACTIVE);
    seven = view.add(7, image("v1.4.0"), TaskDefinitionStatus.ACTIVE);
    view.runs(six);
  }

  private void preview(String arn, String image) {
    new DeploymentPreview(view, log).preview("prod", "hello-svc", arn, image, Duration.ofMinutes(15));
  }

  private void configure(DeploymentConfiguration configuration) {
    view.service = view.service.toBuilder().deploymentConfiguration(configuration).build();
  }

  @Test
  void saysWhichRevisionAndImagesWouldReplaceWhichAndChangesNothing() {
    preview(seven, null);

    assertEquals(List.of(
        "Dry run (<dryRun> / -Decs.dryRun): update-service would deploy hello-app:7 to service hello-svc in cluster"
            + " prod and wait for that deployment. Nothing was changed.",
        "  now  hello-app:6 (log: fluent-bit:3, app: " + image("v1.3.0") + ")",
        "  then hello-app:7 (log: fluent-bit:3, app: " + image("v1.4.0") + ")"), log.infos());
  }

  @Test
  void theImageRegisterTaskDefWouldUseIsShownForTheRevisionItWouldRegister() {
    preview(null, "hello:v1.5.0");

    assertEquals("Dry run (<dryRun> / -Decs.dryRun): update-service would deploy the revision register-task-def"
        + " would register to service hello-svc in cluster prod and wait for that deployment. Nothing was changed.",
        log.infos().get(0));
    assertEquals("  then the revision register-task-def would register (hello:v1.5.0)", log.infos().get(2));
  }

  @Test
  void revisionsItCannotReadAreUnknownNotAFailure() {
    view.runs(arn("hello-app", 5));

    preview(arn("hello-app", 9), null);

    assertEquals("  now  hello-app:5 (unknown)", log.infos().get(1));
    assertEquals("  then hello-app:9 (image unknown)", log.infos().get(2));

    log.lines.clear();
    preview(null, null);
    assertEquals("  then the revision register-task-def would register (image unknown)", log.infos().get(2));
  }

  @Test
  void aRevisionWithoutContainersSaysSo() {
    view.revisions.put(arn("hello-app", 8), TaskDefinition.builder().family("hello-app").revision(8)
        .taskDefinitionArn(arn("hello-app", 8)).status(TaskDefinitionStatus.ACTIVE).build());

    preview(arn("hello-app", 8), null);

    assertEquals("  then hello-app:8 (no containers)", log.infos().get(2));
  }

  @Test
  void theRevisionTheServiceRunsWouldStartNoDeploymentUnlessForced() {
    preview(six, null);

    assertEquals(List.of("Dry run (<dryRun> / -Decs.dryRun): service hello-svc already runs hello-app:6;"
        + " update-service would start no deployment unless one is still in progress or "
        + UpdateServiceRequest.FORCE_NEW_DEPLOYMENT.both() + "=true. Nothing was changed."), log.infos());
  }

  @Test
  void aServiceWithoutNameInTheAnswerIsCalledAsAsked() {
    view.service = view.service.toBuilder().serviceName(null).build();

    preview(six, null);

    assertEquals(Optional.of(true), log.infos().stream().findFirst().map(l -> l.contains("service hello-svc")));
  }

  @Test
  void servicesThatEcsDoesNotDeployAreRefusedAsUpdateServiceWould() {
    for (DeploymentControllerType type : new DeploymentControllerType[] {
        DeploymentControllerType.CODE_DEPLOY, DeploymentControllerType.EXTERNAL}) {
      view.service = view.service.toBuilder().deploymentController(c -> c.type(type)).build();

      UserInputException e = assertThrows(UserInputException.class, () -> preview(seven, null));

      assertEquals(Optional.of(Param.SERVICE), e.param());
      assertEquals("Service 'hello-svc' uses the " + type + " deployment controller: update-service would refuse"
          + " it, since ECS does not change its task definition through UpdateService. Nothing was changed.",
          e.getMessage());
    }
    assertEquals(List.of(), log.lines);

    view.service = view.service.toBuilder().deploymentController(c -> c.type(DeploymentControllerType.ECS)).build();
    preview(seven, null);
    assertEquals(3, log.infos().size(), "the ECS controller, named or not, is what update-service deploys to");
  }

  @Test
  void warnsWhenNothingWatchesTheRollout() {
    preview(seven, null);
    assertEquals(List.of(NO_WATCH), log.warns());

    for (DeploymentConfiguration off : List.of(
        DeploymentConfiguration.builder().build(),
        DeploymentConfiguration.builder().deploymentCircuitBreaker(b -> b.enable(false).rollback(true))
            .alarms(a -> a.enable(false).alarmNames("high-5xx")).build())) {
      log.lines.clear();
      configure(off);
      preview(seven, null);
      assertEquals(List.of(NO_WATCH), log.warns(), off.toString());
    }
  }

  @Test
  void theCircuitBreakerOrDeploymentAlarmsEachWatchTheRollout() {
    for (DeploymentConfiguration on : List.of(
        DeploymentConfiguration.builder().deploymentCircuitBreaker(b -> b.enable(true).rollback(false)).build(),
        DeploymentConfiguration.builder().alarms(a -> a.enable(true).rollback(true).alarmNames("high-5xx")).build())) {
      log.lines.clear();
      configure(on);
      preview(seven, null);
      assertEquals(List.of(), log.warns(), on.toString());
    }
  }
}
