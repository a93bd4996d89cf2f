package io.github.ecsdeploy.core;

import static io.github.ecsdeploy.testing.InMemoryServiceView.arn;
import static io.github.ecsdeploy.testing.InMemoryServiceView.digest;
import static io.github.ecsdeploy.testing.InMemoryServiceView.image;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static software.amazon.awssdk.services.ecs.model.TaskDefinitionStatus.ACTIVE;
import static software.amazon.awssdk.services.ecs.model.TaskDefinitionStatus.INACTIVE;

import io.github.ecsdeploy.testing.InMemoryServiceView;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RollbackPlannerTest {

  private final InMemoryServiceView view = new InMemoryServiceView();
  private final RollbackPlanner planner = new RollbackPlanner(view, DeployLog.silent());

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
}
