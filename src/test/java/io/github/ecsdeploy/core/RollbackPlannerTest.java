package io.github.ecsdeploy.core;

import static io.github.ecsdeploy.testing.InMemoryServiceView.arn;
import static io.github.ecsdeploy.testing.InMemoryServiceView.digest;
import static io.github.ecsdeploy.testing.InMemoryServiceView.image;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static software.amazon.awssdk.services.ecs.model.TaskDefinitionStatus.ACTIVE;
import static software.amazon.awssdk.services.ecs.model.TaskDefinitionStatus.INACTIVE;

import io.github.ecsdeploy.testing.InMemoryServiceView;
import io.github.ecsdeploy.testing.RecordingDeployLog;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;

/** What ecs:rollback would deploy, decided on a service in memory: by history, by revisions, by tag, exactly. */
class RollbackPlannerTest {

  private static final Instant T = Instant.parse("2026-11-01T10:00:00Z");

  private final InMemoryServiceView view = new InMemoryServiceView();
  private final RecordingDeployLog log = new RecordingDeployLog();
  private final RollbackPlanner planner = new RollbackPlanner(view, log);

  private RollbackPlanner.Plan plan(String to) {
    return planner.plan(new RollbackPlanner.Request("prod", "hello-svc", null, "hello-app", to));
  }

  @Test
  void withoutHistoryTheNewestOlderRevisionWithAnotherImageIsTheTarget() {
    view.add(1, image("v1.0.0"), ACTIVE);
    view.add(2, image("v1.1.0"), ACTIVE);
    view.add(3, image("v1.2.0"), ACTIVE); // a config change of v1.2.0 ...
    view.runs(view.add(4, image("v1.2.0"), ACTIVE)); // ... runs now
    view.add(5, image("v1.3.0"), ACTIVE); // registered, never deployed: newer, not a way back

    RollbackPlanner.Plan plan = plan(null);

    assertEquals(RollbackPlanner.Action.DEPLOY, plan.action());
    assertEquals("app", plan.container(), "the container in the repository, not the sidecar listed first");
    assertEquals(arn("hello-app", 2), plan.to().taskDefinitionArn());
    assertEquals("v1.1.0", plan.to().tag());
    assertEquals(arn("hello-app", 4), plan.from().taskDefinitionArn());
    assertTrue(plan.reason().contains("newest older ACTIVE revision"), plan.reason());
  }

  @Test
  void anInactiveOlderRevisionIsNotATarget() {
    view.add(1, image("v1.0.0"), ACTIVE);
    view.add(2, image("v1.1.0"), INACTIVE);
    view.runs(view.add(3, image("v1.2.0"), ACTIVE));

    assertEquals(arn("hello-app", 1), plan(null).to().taskDefinitionArn());
  }

  @Test
  void theHistoryWinsOverTheRevisions() {
    view.add(1, image("v1.0.0"), ACTIVE);
    view.add(2, image("v1.1.0"), ACTIVE);
    view.runs(view.add(3, image("v1.2.0"), ACTIVE));
    Instant t = Instant.parse("2026-11-01T10:00:00Z");
    view.history = List.of(
        new PastDeployment("d4", t.plusSeconds(300), null, arn("hello-app", 3), "SUCCESSFUL", null),
        new PastDeployment("d3", t.plusSeconds(200), null, arn("hello-app", 2), "ROLLBACK_SUCCESSFUL", null),
        new PastDeployment("d2", t.plusSeconds(100), t.plusSeconds(150), arn("hello-app", 1), "SUCCESSFUL", null));

    RollbackPlanner.Plan plan = plan(null);

    assertEquals(arn("hello-app", 1), plan.to().taskDefinitionArn(), "revision 2 never deployed successfully");
    assertTrue(plan.reason().contains("previous successful deployment (d2"), plan.reason());
  }

  @Test
  void aHistoryWithoutAnEarlierSuccessFallsBackToTheRevisions() {
    view.add(1, image("v1.0.0"), ACTIVE);
    view.runs(view.add(2, image("v1.1.0"), ACTIVE));
    view.history = List.of(new PastDeployment("d2", null, null, arn("hello-app", 2), "SUCCESSFUL", null));

    assertEquals(arn("hello-app", 1), plan(null).to().taskDefinitionArn());
  }

  @Test
  void nothingToGoBackToIsRefusedNamingTheWayOut() {
    view.add(1, image("v1.0.0"), ACTIVE);
    view.runs(view.add(2, image("v1.0.0"), ACTIVE)); // same image, another configuration

    UserInputException e = assertThrows(UserInputException.class, () -> plan(null));

    assertTrue(e.getMessage().contains("nothing to roll back to"), e.getMessage());
    assertTrue(e.getMessage().contains("<rollbackTo> / -Decs.rollback.to"), e.getMessage());
    assertTrue(e.getMessage().endsWith("Nothing was changed."), e.getMessage());
  }

  @Test
  void aTagPicksTheNewestRevisionRunningItByTagOrDigest() {
    view.ecrTags.put("hello-app:v1.0.0", digest("v1.0.0"));
    view.add(1, image("v1.0.0"), ACTIVE);
    // revision 2 runs the same image by digest only (no tag in the reference)
    view.add(2, InMemoryServiceView.REGISTRY + "/hello-app@" + digest("v1.0.0"), ACTIVE);
    view.runs(view.add(3, image("v1.1.0"), ACTIVE));

    RollbackPlanner.Plan plan = plan("v1.0.0");

    assertEquals(RollbackPlanner.Action.DEPLOY, plan.action());
    assertEquals(arn("hello-app", 2), plan.to().taskDefinitionArn());
  }

  @Test
  void aTagInEcrButInNoRevisionIsRegisteredPinnedByDigest() {
    view.ecrTags.put("hello-app:v0.9.0", digest("v0.9.0"));
    view.runs(view.add(1, image("v1.0.0"), ACTIVE));

    RollbackPlanner.Plan plan = plan("v0.9.0");

    assertEquals(RollbackPlanner.Action.REGISTER_AND_DEPLOY, plan.action());
    assertNull(plan.to().taskDefinitionArn());
    assertEquals(InMemoryServiceView.REGISTRY + "/hello-app:v0.9.0@" + digest("v0.9.0"), plan.to().image());
  }

  @Test
  void aTagNotInEcrIsRefused() {
    view.runs(view.add(1, image("v1.0.0"), ACTIVE));

    UserInputException e = assertThrows(UserInputException.class, () -> plan("v0.1.0"));

    assertTrue(e.getMessage().contains("The tag v0.1.0 (<rollbackTo> / -Decs.rollback.to) is not in the ECR"
        + " repository hello-app"), e.getMessage());
    assertTrue(e.getMessage().endsWith("Nothing was changed."), e.getMessage());
  }

  @Test
  void theTagThatRunsIsAlreadyRunning() {
    view.ecrTags.put("hello-app:v1.0.0", digest("v1.0.0"));
    view.runs(view.add(1, image("v1.0.0"), ACTIVE));

    assertEquals(RollbackPlanner.Action.ALREADY_RUNNING, plan("v1.0.0").action());
  }

  @Test
  void aRevisionIsTakenExactlyAndAnInactiveOneIsRefused() {
    view.add(1, image("v1.0.0"), ACTIVE);
    view.add(2, image("v1.1.0"), INACTIVE);
    view.runs(view.add(3, image("v1.2.0"), ACTIVE));

    assertEquals(arn("hello-app", 1), plan("hello-app:1").to().taskDefinitionArn());
    assertEquals(arn("hello-app", 1), plan(arn("hello-app", 1)).to().taskDefinitionArn());
    assertEquals(RollbackPlanner.Action.ALREADY_RUNNING, plan("hello-app:3").action());
    UserInputException inactive = assertThrows(UserInputException.class, () -> plan("hello-app:2"));
    assertTrue(inactive.getMessage().contains("is INACTIVE"), inactive.getMessage());
    UserInputException missing = assertThrows(UserInputException.class, () -> plan("hello-app:9"));
    assertTrue(missing.getMessage().contains("hello-app:9 (<rollbackTo> / -Decs.rollback.to) was not found"),
        missing.getMessage());
  }

  @Test
  void imagesAreComparedByDigestWhenBothArePinned() {
    assertTrue(RollbackPlanner.sameImage("r/a:v1@sha256:1", "r/a@sha256:1"));
    assertTrue(!RollbackPlanner.sameImage("r/a:v1@sha256:1", "r/a:v1@sha256:2"));
    assertTrue(!RollbackPlanner.sameImage("r/a:v1", "r/a:v2"));
  }

  @Test
  void aRevisionDescribesItselfByNameImageAndTag() {
    RollbackPlanner.Revision two = new RollbackPlanner.Revision(arn("hello-app", 2), image("v1.1.0"));
    assertEquals("hello-app:2", two.label());
    assertEquals("v1.1.0", two.tag());
    assertEquals(digest("v1.1.0"), two.digest());
    assertEquals("hello-app:2 (image " + image("v1.1.0") + ", tag v1.1.0)", two.describe());

    RollbackPlanner.Revision unregistered = new RollbackPlanner.Revision(null, null);
    assertEquals("a new revision", unregistered.label());
    assertNull(unregistered.tag());
    assertNull(unregistered.digest());
    assertEquals("a new revision (image unknown, tag none)", unregistered.describe());
    assertEquals("a new revision (image r/a@sha256:1, tag none)",
        new RollbackPlanner.Revision(null, "r/a@sha256:1").describe());

    RollbackPlanner.Plan plan = new RollbackPlanner.Plan("prod", "hello-svc", "app", two, unregistered,
        RollbackPlanner.Action.REGISTER_AND_DEPLOY, "why");
    assertEquals(two.describe() + " -> " + unregistered.describe(), plan.fromTo());
  }

  @Test
  void aServiceThatRunsNoTaskDefinitionHasNothingToRollBack() {
    view.runs(null);

    UserInputException e = assertThrows(UserInputException.class, () -> plan(null));

    assertEquals(Optional.of(Param.SERVICE), e.param());
    assertEquals("Service hello-svc runs no task definition yet, so there is nothing to roll back. Nothing was"
        + " changed.", e.getMessage());
  }

  @Test
  void aRunningRevisionEcsDoesNotDescribeIsTheWorldsFailure() {
    view.runs(arn("hello-app", 7));

    ExternalFailureException e = assertThrows(ExternalFailureException.class, () -> plan(null));

    assertEquals("DescribeTaskDefinition does not know " + arn("hello-app", 7) + ", which service hello-svc runs.",
        e.getMessage());
  }

  @Test
  void theHistorySkipsWhatEcsWouldNotDeployAndSaysWhy() {
    view.add(1, image("v1.0.0"), ACTIVE);
    view.add(2, image("v1.1.0"), INACTIVE);
    view.runs(view.add(3, image("v1.2.0"), ACTIVE));
    view.history = List.of(
        new PastDeployment("d3", T.plusSeconds(300), null, arn("hello-app", 3), "SUCCESSFUL", null),
        new PastDeployment("d2", T.plusSeconds(200), null, arn("hello-app", 2), "SUCCESSFUL", null),
        new PastDeployment("dx", T.plusSeconds(150), null, null, "SUCCESSFUL", null),
        new PastDeployment("d9", T.plusSeconds(120), null, arn("hello-app", 9), "SUCCESSFUL", null),
        new PastDeployment("d1", T.plusSeconds(100), null, arn("hello-app", 1), "COMPLETED", null));

    RollbackPlanner.Plan plan = plan(null);

    assertEquals(new RollbackPlanner.Revision(arn("hello-app", 1), image("v1.0.0")), plan.to());
    assertEquals(RollbackPlanner.Action.DEPLOY, plan.action());
    assertEquals("the previous successful deployment (d1)", plan.reason(), "no finish time known");
    assertEquals(List.of(
        "Skipping hello-app:2 of deployment d2: the revision is INACTIVE, and ECS does not deploy an INACTIVE"
            + " revision.",
        "Skipping hello-app:9 of deployment d9: the revision is unknown, and ECS does not deploy an INACTIVE"
            + " revision."), log.infos());
  }

  @Test
  void theReasonNamesWhenThePreviousDeploymentFinished() {
    view.add(1, image("v1.0.0"), ACTIVE);
    view.runs(view.add(2, image("v1.1.0"), ACTIVE));
    view.history = List.of(new PastDeployment("d1", T, T.plusSeconds(90), arn("hello-app", 1), "SUCCESSFUL", null));

    assertEquals("the previous successful deployment (d1, finished 2026-11-01T10:01:30Z)", plan(null).reason());
  }

  @Test
  void aHistoryWithoutAnEarlierSuccessSaysSoAndTheRefusalNamesBothSources() {
    view.add(1, image("v1.1.0"), ACTIVE);
    view.runs(view.add(2, image("v1.1.0"), ACTIVE));
    view.history = List.of(new PastDeployment("d1", T, null, arn("hello-app", 1), "FAILED", null));

    UserInputException e = assertThrows(UserInputException.class, () -> plan(null));

    assertEquals(List.of("The Service Deployments history of hello-svc has no earlier successful deployment of an"
        + " ACTIVE revision; looking at the revisions of hello-app."), log.infos());
    assertEquals(Optional.of(RollbackPlanner.TO), e.param());
    assertEquals("Service hello-svc has nothing to roll back to: its Service Deployments history shows no earlier"
        + " successful deployment of an ACTIVE revision, and no ACTIVE revision of hello-app older than hello-app:2"
        + " runs another image in container app than " + image("v1.1.0") + ". Name the target with <rollbackTo> /"
        + " -Decs.rollback.to=<tag> (an image in ECR) or =<family:revision>. Nothing was changed.", e.getMessage());

    view.history = null;
    e = assertThrows(UserInputException.class, () -> plan(null));
    assertTrue(e.getMessage().startsWith("Service hello-svc has nothing to roll back to: no ACTIVE revision of"
        + " hello-app older than hello-app:2"), e.getMessage());
  }

  @Test
  void anOlderRevisionWithoutTheContainerIsSkipped() {
    view.add(1, image("v1.0.0"), ACTIVE);
    view.revisions.put(arn("hello-app", 2), TaskDefinition.builder().family("hello-app").revision(2)
        .taskDefinitionArn(arn("hello-app", 2)).status(ACTIVE)
        .containerDefinitions(ContainerDefinition.builder().name("web").image(image("v1.1.0")).build()).build());
    view.runs(view.add(3, image("v1.2.0"), ACTIVE));

    assertEquals(arn("hello-app", 1), plan(null).to().taskDefinitionArn());
    assertEquals(List.of("hello-app:2 has no container app; skipped."), log.debugs());
  }

  @Test
  void aTargetIsReadWithoutSurroundingBlanks() {
    view.ecrTags.put("hello-app:v1.0.0", digest("v1.0.0"));
    view.add(1, image("v1.0.0"), ACTIVE);
    view.runs(view.add(2, image("v1.1.0"), ACTIVE));

    assertEquals(arn("hello-app", 1), plan(" hello-app:1 ").to().taskDefinitionArn());
    assertEquals(arn("hello-app", 1), plan(" v1.0.0\n").to().taskDefinitionArn());
    assertEquals("the newest older ACTIVE revision of hello-app whose image differs from the current one",
        plan("  ").reason(), "blank: the previous release");
  }

  @Test
  void aRevisionNamedExactlySaysSoAndAnInactiveOneNamesTheWayOut() {
    view.add(1, image("v1.0.0"), ACTIVE);
    view.add(2, image("v1.1.0"), INACTIVE);
    view.runs(view.add(3, image("v1.2.0"), ACTIVE));

    assertEquals("the revision named by ecs.rollback.to", plan("hello-app:1").reason());
    assertEquals(RollbackPlanner.Action.DEPLOY, plan("hello-app:1").action());
    RollbackPlanner.Plan running = plan("hello-app:3");
    assertEquals("hello-app:3 is what the service runs now", running.reason());
    assertEquals(running.from(), running.to());
    assertEquals("Task definition hello-app:2 (<rollbackTo> / -Decs.rollback.to) is INACTIVE: ECS does not update"
        + " a service to an INACTIVE revision. Roll back by tag instead (<rollbackTo> / -Decs.rollback.to=<tag>),"
        + " which registers a new revision with that image. Nothing was changed.",
        assertThrows(UserInputException.class, () -> plan("hello-app:2")).getMessage());
    assertEquals("Task definition hello-app:9 (<rollbackTo> / -Decs.rollback.to) was not found; 'aws ecs"
        + " list-task-definitions --family-prefix hello-app' lists the revisions. Nothing was changed.",
        assertThrows(UserInputException.class, () -> plan("hello-app:9")).getMessage());
  }

  @Test
  void aTagIsFoundInEcrThenInTheNewestActiveRevisionThatRunsIt() {
    view.ecrTags.put("hello-app:v1.0.0", digest("v1.0.0"));
    view.add(1, InMemoryServiceView.REGISTRY + "/hello-app:v1.0.0", ACTIVE); // by tag only
    view.add(2, image("v1.0.0"), INACTIVE); // runs it, but ECS would not deploy it
    view.runs(view.add(3, image("v1.1.0"), ACTIVE));

    RollbackPlanner.Plan plan = plan("v1.0.0");

    assertEquals(arn("hello-app", 1), plan.to().taskDefinitionArn());
    assertEquals("the newest ACTIVE revision of hello-app that runs v1.0.0", plan.reason());
    assertEquals(List.of("ECR holds hello-app:v1.0.0 as " + digest("v1.0.0") + "."), log.infos());
  }

  @Test
  void aRevisionWhoseTagNowPointsAtAnotherDigestDoesNotRunTheRelease() {
    view.ecrTags.put("hello-app:v1.0.0", digest("v1.0.0"));
    view.add(1, InMemoryServiceView.REGISTRY + "/hello-app:v1.0.0@" + digest("v0.0.1"), ACTIVE);
    view.runs(view.add(2, image("v1.1.0"), ACTIVE));

    RollbackPlanner.Plan plan = plan("v1.0.0");

    assertEquals(RollbackPlanner.Action.REGISTER_AND_DEPLOY, plan.action());
    assertEquals("no ACTIVE revision of hello-app runs v1.0.0; one is registered from hello-app:2 with the image"
        + " pinned by digest", plan.reason());
  }

  @Test
  void theTagThatRunsNowIsAlreadyRunningByTagOrByDigest() {
    view.ecrTags.put("hello-app:v1.0.0", digest("v1.0.0"));
    view.runs(view.add(1, InMemoryServiceView.REGISTRY + "/hello-app:v1.0.0", ACTIVE));

    RollbackPlanner.Plan plan = plan("v1.0.0");

    assertEquals(RollbackPlanner.Action.ALREADY_RUNNING, plan.action());
    assertEquals(plan.from(), plan.to());
    assertEquals("hello-app:1 already runs v1.0.0", plan.reason());
  }

  @Test
  void aTagNotInEcrNamesTheRepositoryAndRegistryItWasLookedUpIn() {
    view.runs(view.add(1, image("v1.0.0"), ACTIVE));

    UserInputException e = assertThrows(UserInputException.class, () -> plan("v0.1.0"));

    assertEquals(Optional.of(RollbackPlanner.TO), e.param());
    assertEquals("The tag v0.1.0 (<rollbackTo> / -Decs.rollback.to) is not in the ECR repository hello-app of "
        + InMemoryServiceView.REGISTRY + ", which container app runs images from: there is no such release to go back"
        + " to. 'aws ecr describe-images --repository-name hello-app' lists the tags. Nothing was changed.",
        e.getMessage());
  }

  @Test
  void imagesWithoutBothDigestsAreComparedAsReferences() {
    assertTrue(RollbackPlanner.sameImage(null, null));
    assertFalse(RollbackPlanner.sameImage(null, "r/a:v1"));
    assertFalse(RollbackPlanner.sameImage("r/a:v1", null));
    assertTrue(RollbackPlanner.sameImage(" r/a:v1", "r/a:v1 "));
    assertFalse(RollbackPlanner.sameImage("r/a:v1@sha256:1", "r/a:v1"), "one pinned: the references differ");
  }
}
