package io.github.ecsdeploy.standin.ecs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.ecsdeploy.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The deployment simulator driven through handle() with a manual clock. */
class EcsServiceDeploymentTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T10:00:00.250Z"));
  private final EcsService ecs =
      new EcsService("us-east-1", "123456789012", clock, EcsSimulationSettings.defaults());

  private String td1;
  private String td2;

  @BeforeEach
  void setUp() {
    ecs.handle("CreateCluster", "{\"clusterName\":\"prod\"}");
    td1 = register("app:1.0.0");
    td2 = register("app:1.1.0");
  }

  private String register(String image) {
    return ecs.handle("RegisterTaskDefinition", """
        {"family":"app","containerDefinitions":[{"name":"app","image":"%s","memory":512}]}"""
        .formatted(image)).at("/taskDefinition/taskDefinitionArn").asText();
  }

  private void createService(int desired, String circuitBreaker) {
    ecs.handle("CreateService", """
        {"cluster":"prod","serviceName":"web","taskDefinition":"%s","desiredCount":%d,
         "deploymentConfiguration":{"deploymentCircuitBreaker":%s}}"""
        .formatted(td1, desired, circuitBreaker));
  }

  private JsonNode service() {
    return ecs.handle("DescribeServices", "{\"cluster\":\"prod\",\"services\":[\"web\"]}").at("/services/0");
  }

  private void tick(int seconds) {
    clock.advance(Duration.ofSeconds(seconds));
  }

  private List<String> events() {
    List<String> out = new ArrayList<>();
    service().get("events").forEach(e -> out.add(e.get("message").asText()));
    return out;
  }

  private String update(String taskDefinition) {
    return ecs.handle("UpdateService", """
        {"cluster":"prod","service":"web","taskDefinition":"%s"}""".formatted(taskDefinition))
        .at("/service/deployments/0/id").asText();
  }

  private void steadyOnTd1(int desired, String circuitBreaker) {
    createService(desired, circuitBreaker);
    tick(1);
    JsonNode s = service();
    assertEquals(desired, s.get("runningCount").asInt());
    assertEquals("COMPLETED", s.at("/deployments/0/rolloutState").asText());
  }

  @Test
  void createServiceStartsTasksAndReachesSteadyState() {
    createService(2, "{\"enable\":false,\"rollback\":false}");
    JsonNode s = service();
    assertEquals(1, s.get("deployments").size());
    JsonNode d = s.at("/deployments/0");
    assertTrue(d.get("id").asText().matches("ecs-svc/\\d{19}"), d.get("id").asText());
    assertEquals("PRIMARY", d.get("status").asText());
    assertEquals("IN_PROGRESS", d.get("rolloutState").asText());
    assertEquals(2, d.get("pendingCount").asInt());
    assertEquals(0, s.get("runningCount").asInt());

    clock.advance(Duration.ofMillis(999));
    assertEquals(0, service().get("runningCount").asInt());
    clock.advance(Duration.ofMillis(1));
    s = service();
    assertEquals(2, s.get("runningCount").asInt());
    assertEquals(0, s.get("pendingCount").asInt());
    assertEquals("COMPLETED", s.at("/deployments/0/rolloutState").asText());
    String id = s.at("/deployments/0/id").asText();
    List<String> events = events();
    assertEquals("(service web) has reached a steady state.", events.get(0));
    assertEquals("(service web) (deployment " + id + ") deployment completed.", events.get(1));
    assertTrue(events.get(2).matches("\\(service web\\) has started 2 tasks: \\(task [0-9a-f]{32}\\) \\(task [0-9a-f]{32}\\)\\."),
        events.get(2));
    assertEquals(s.at("/events/0/createdAt").decimalValue(), EcsJson.timestamp(clock.instant()).decimalValue());
  }

  @Test
  void healthyRolloutReplacesOldTasksAfterNewOnesRun() {
    steadyOnTd1(2, "{\"enable\":true,\"rollback\":true}");
    String oldId = service().at("/deployments/0/id").asText();
    List<String> oldTasks = taskArns("RUNNING");

    String newId = update(td2);
    assertNotEquals(oldId, newId);
    JsonNode s = service();
    assertEquals(2, s.get("deployments").size());
    assertEquals("PRIMARY", s.at("/deployments/0/status").asText());
    assertEquals(td2, s.at("/deployments/0/taskDefinition").asText());
    assertEquals("IN_PROGRESS", s.at("/deployments/0/rolloutState").asText());
    assertEquals("ACTIVE", s.at("/deployments/1/status").asText());
    assertEquals(2, s.at("/deployments/1/runningCount").asInt());
    assertEquals(2, s.get("desiredCount").asInt());
    assertEquals(td2, s.get("taskDefinition").asText());

    tick(1); // new tasks run, old ones start draining
    s = service();
    assertEquals(2, s.at("/deployments/0/runningCount").asInt());
    assertEquals(0, s.at("/deployments/1/runningCount").asInt());
    assertTrue(events().get(0).startsWith("(service web) has stopped 2 running tasks: (task "), events().get(0));

    tick(1); // old tasks stopped
    s = service();
    assertEquals(1, s.get("deployments").size());
    assertEquals(newId, s.at("/deployments/0/id").asText());
    assertEquals("COMPLETED", s.at("/deployments/0/rolloutState").asText());
    assertEquals(2, s.get("runningCount").asInt());
    assertEquals("(service web) has reached a steady state.", events().get(0));
    assertEquals("(service web) (deployment " + newId + ") deployment completed.", events().get(1));

    JsonNode stopped = describeTask(oldTasks.get(0));
    assertEquals("STOPPED", stopped.get("lastStatus").asText());
    assertEquals("Scaling activity initiated by (deployment " + newId + ")", stopped.get("stoppedReason").asText());
    assertEquals("ServiceSchedulerInitiated", stopped.get("stopCode").asText());
    assertEquals(oldId, stopped.get("startedBy").asText());
  }

  @Test
  void circuitBreakerFailsTheDeploymentAndRollsBackToTheLastCompletedOne() {
    steadyOnTd1(1, "{\"enable\":true,\"rollback\":true}");
    String oldId = service().at("/deployments/0/id").asText();
    String oldTask = taskArns("RUNNING").get(0);
    ecs.failTaskDefinition(td2);

    String failingId = update(td2);
    tick(1);
    tick(1);
    JsonNode s = service();
    assertEquals(2, s.at("/deployments/0/failedTasks").asInt());
    assertEquals("IN_PROGRESS", s.at("/deployments/0/rolloutState").asText());
    assertEquals("RUNNING", describeTask(oldTask).get("lastStatus").asText(), "old task keeps serving");

    tick(1); // third failure: threshold max(3, ceil(1/2)) reached
    s = service();
    JsonNode primary = s.at("/deployments/0");
    assertNotEquals(failingId, primary.get("id").asText(), "a rollback deployment is primary");
    assertEquals(td1, primary.get("taskDefinition").asText());
    assertEquals("IN_PROGRESS", primary.get("rolloutState").asText());
    JsonNode failed = deployment(s, failingId);
    assertEquals("ACTIVE", failed.get("status").asText());
    assertEquals("FAILED", failed.get("rolloutState").asText());
    assertEquals("ECS deployment circuit breaker: tasks failed to start.", failed.get("rolloutStateReason").asText());
    assertEquals(3, failed.get("failedTasks").asInt());
    List<String> events = events();
    assertTrue(events.contains("(service web) (deployment " + failingId + ") deployment failed: tasks failed to start."));
    assertTrue(events.contains("(service web) rolling back to deployment " + oldId + "."), events.toString());

    tick(1);
    tick(1);
    s = service();
    assertEquals(1, s.get("deployments").size(), s.toString());
    assertEquals(td1, s.at("/deployments/0/taskDefinition").asText());
    assertEquals("COMPLETED", s.at("/deployments/0/rolloutState").asText());
    assertEquals(1, s.get("runningCount").asInt());
    assertEquals(s.get("desiredCount").asInt(), s.get("runningCount").asInt());
    assertEquals(td1, s.get("taskDefinition").asText());
    assertEquals("(service web) has reached a steady state.", events().get(0));

    List<String> failedTasks = stoppedTasksStartedBy(failingId);
    assertEquals(3, failedTasks.size());
    JsonNode t = describeTask(failedTasks.get(0));
    assertEquals("STOPPED", t.get("lastStatus").asText());
    assertEquals("EssentialContainerExited", t.get("stopCode").asText());
    assertEquals("Essential container in task exited", t.get("stoppedReason").asText());
    assertEquals(1, t.at("/containers/0/exitCode").asInt());
    assertEquals("app:1.1.0", t.at("/containers/0/image").asText());
    assertEquals(failingId, t.get("startedBy").asText());
    assertEquals(td2, t.get("taskDefinitionArn").asText());
  }

  @Test
  void circuitBreakerWithoutRollbackLeavesTheFailedDeploymentPrimary() {
    steadyOnTd1(1, "{\"enable\":true,\"rollback\":false}");
    ecs.failImage("app:1.1.0", TaskFailure.cannotPullImage("app:1.1.0"));
    String failingId = update(td2);
    tick(3);
    tick(10);
    JsonNode s = service();
    assertEquals(2, s.get("deployments").size());
    assertEquals(failingId, s.at("/deployments/0/id").asText());
    assertEquals("PRIMARY", s.at("/deployments/0/status").asText());
    assertEquals("FAILED", s.at("/deployments/0/rolloutState").asText());
    assertEquals(3, s.at("/deployments/0/failedTasks").asInt(), "no launches after the breaker tripped");
    assertEquals(1, s.at("/deployments/1/runningCount").asInt());
    assertEquals(1, s.get("runningCount").asInt());
    JsonNode t = describeTask(stoppedTasksStartedBy(failingId).get(0));
    assertEquals("TaskFailedToStart", t.get("stopCode").asText());
    assertTrue(t.get("stoppedReason").asText().startsWith("CannotPullContainerError"));
    assertFalse(t.has("startedAt"));
  }

  @Test
  void withoutCircuitBreakerFailingTasksAreReplacedForever() {
    steadyOnTd1(1, "{\"enable\":false,\"rollback\":false}");
    ecs.failTaskDefinition(td2);
    update(td2);
    tick(20);
    JsonNode s = service();
    assertEquals(2, s.get("deployments").size());
    assertEquals("IN_PROGRESS", s.at("/deployments/0/rolloutState").asText());
    assertEquals(20, s.at("/deployments/0/failedTasks").asInt());
    assertEquals(1, s.at("/deployments/0/pendingCount").asInt(), "a replacement is always starting");
    assertEquals(1, s.at("/deployments/1/runningCount").asInt());
  }

  @Test
  void firstDeploymentThatFailsHasNothingToRollBackTo() {
    ecs.failTaskDefinition(td1);
    createService(1, "{\"enable\":true,\"rollback\":true}");
    tick(5);
    JsonNode s = service();
    assertEquals(1, s.get("deployments").size());
    assertEquals("FAILED", s.at("/deployments/0/rolloutState").asText());
    assertEquals(0, s.get("runningCount").asInt());
  }

  @Test
  void clearFailuresLetsNewTasksStart() {
    steadyOnTd1(1, "{\"enable\":false,\"rollback\":false}");
    ecs.failTaskDefinition(td2);
    update(td2);
    tick(2);
    ecs.clearFailures();
    tick(1);
    tick(1);
    JsonNode s = service();
    assertEquals(1, s.get("deployments").size());
    assertEquals(td2, s.at("/deployments/0/taskDefinition").asText());
    assertEquals("COMPLETED", s.at("/deployments/0/rolloutState").asText());
  }

  @Test
  void desiredCountChangeScalesWithoutANewDeployment() {
    steadyOnTd1(1, "{\"enable\":false,\"rollback\":false}");
    String id = service().at("/deployments/0/id").asText();
    ecs.handle("UpdateService", "{\"cluster\":\"prod\",\"service\":\"web\",\"desiredCount\":3}");
    tick(1);
    JsonNode s = service();
    assertEquals(1, s.get("deployments").size());
    assertEquals(id, s.at("/deployments/0/id").asText());
    assertEquals(3, s.get("runningCount").asInt());
    ecs.handle("UpdateService", "{\"cluster\":\"prod\",\"service\":\"web\",\"desiredCount\":1}");
    tick(1);
    assertEquals(1, service().get("runningCount").asInt());
  }

  @Test
  void forceNewDeploymentReplacesTasksWithTheSameRevision() {
    steadyOnTd1(1, "{\"enable\":false,\"rollback\":false}");
    String before = taskArns("RUNNING").get(0);
    ecs.handle("UpdateService", "{\"cluster\":\"prod\",\"service\":\"web\",\"forceNewDeployment\":true}");
    assertEquals(2, service().get("deployments").size());
    tick(2);
    JsonNode s = service();
    assertEquals(1, s.get("deployments").size());
    assertEquals(td1, s.at("/deployments/0/taskDefinition").asText());
    assertFalse(taskArns("RUNNING").contains(before));
  }

  @Test
  void taskLifecycleIsVisibleInDescribeTasks() {
    ecs.setSettings(EcsSimulationSettings.defaults().withTaskStartDelay(Duration.ofSeconds(4)));
    createService(1, "{\"enable\":false,\"rollback\":false}");
    String arn = taskArns("RUNNING").get(0);
    assertTrue(arn.matches("arn:aws:ecs:us-east-1:123456789012:task/prod/[0-9a-f]{32}"), arn);
    assertEquals("PROVISIONING", describeTask(arn).get("lastStatus").asText());
    tick(2);
    assertEquals("PENDING", describeTask(arn).get("lastStatus").asText());
    tick(2);
    JsonNode t = describeTask(arn);
    assertEquals("RUNNING", t.get("lastStatus").asText());
    assertEquals("RUNNING", t.get("desiredStatus").asText());
    assertEquals("service:web", t.get("group").asText());
    assertEquals(td1, t.get("taskDefinitionArn").asText());
    assertTrue(t.has("startedAt"));
    assertEquals(service().at("/deployments/0/id").asText(), t.get("startedBy").asText());
  }

  @Test
  void listTasksFiltersByServiceStatusAndStartedBy() {
    steadyOnTd1(2, "{\"enable\":false,\"rollback\":false}");
    String firstId = service().at("/deployments/0/id").asText();
    update(td2);
    tick(2);
    assertEquals(2, taskArns("RUNNING").size());
    assertEquals(2, taskArns("STOPPED").size());
    JsonNode byStarter = ecs.handle("ListTasks", """
        {"cluster":"prod","serviceName":"web","desiredStatus":"STOPPED","startedBy":"%s"}""".formatted(firstId));
    assertEquals(2, byStarter.get("taskArns").size());
    JsonNode page = ecs.handle("ListTasks", "{\"cluster\":\"prod\",\"desiredStatus\":\"STOPPED\",\"maxResults\":1}");
    assertEquals(1, page.get("taskArns").size());
    JsonNode next = ecs.handle("ListTasks", "{\"cluster\":\"prod\",\"desiredStatus\":\"STOPPED\",\"maxResults\":1,"
        + "\"nextToken\":\"" + page.get("nextToken").asText() + "\"}");
    assertEquals(1, next.get("taskArns").size());
    assertFalse(next.has("nextToken"));
    assertNotEquals(page.at("/taskArns/0"), next.at("/taskArns/0"));
  }

  private List<String> taskArns(String desiredStatus) {
    List<String> out = new ArrayList<>();
    ecs.handle("ListTasks", """
        {"cluster":"prod","serviceName":"web","desiredStatus":"%s"}""".formatted(desiredStatus))
        .get("taskArns").forEach(a -> out.add(a.asText()));
    return out;
  }

  private List<String> stoppedTasksStartedBy(String deploymentId) {
    List<String> out = new ArrayList<>();
    ecs.handle("ListTasks", """
        {"cluster":"prod","desiredStatus":"STOPPED","startedBy":"%s"}""".formatted(deploymentId))
        .get("taskArns").forEach(a -> out.add(a.asText()));
    return out;
  }

  private JsonNode describeTask(String arn) {
    return ecs.handle("DescribeTasks", "{\"cluster\":\"prod\",\"tasks\":[\"" + arn + "\"]}").at("/tasks/0");
  }

  private static JsonNode deployment(JsonNode service, String id) {
    for (JsonNode d : service.get("deployments")) {
      if (d.get("id").asText().equals(id)) {
        return d;
      }
    }
    throw new AssertionError("no deployment " + id + " in " + service.get("deployments"));
  }

  // ---- service deployments, rollback lag, stale reads, denied role, blue/green, alarms -----------------------

  private JsonNode serviceDeployment(String arn) {
    return ecs.handle("DescribeServiceDeployments", "{\"serviceDeploymentArns\":[\"" + arn + "\"]}")
        .at("/serviceDeployments/0");
  }

  private String currentServiceDeployment() {
    return service().get("currentServiceDeployment").asText();
  }

  @Test
  void everyDeploymentStartedByCreateOrUpdateServiceIsAServiceDeploymentThatSucceeds() {
    steadyOnTd1(2, "{\"enable\":true,\"rollback\":true}");
    String first = currentServiceDeployment();
    assertEquals("SUCCESSFUL", serviceDeployment(first).get("status").asText());

    update(td2);
    String second = currentServiceDeployment();
    assertNotEquals(first, second);
    assertTrue(second.startsWith("arn:aws:ecs:us-east-1:123456789012:service-deployment/prod/web/"), second);
    assertEquals("IN_PROGRESS", serviceDeployment(second).get("status").asText());
    assertEquals(serviceDeployment(first).at("/targetServiceRevision/arn"),
        serviceDeployment(second).at("/sourceServiceRevisions/0/arn"));
    tick(3);
    JsonNode done = serviceDeployment(second);
    assertEquals("SUCCESSFUL", done.get("status").asText());
    assertEquals(2, done.at("/targetServiceRevision/runningTaskCount").asInt());
    assertEquals("MONITORING_COMPLETE", done.at("/deploymentCircuitBreaker/status").asText());

    JsonNode listed = ecs.handle("ListServiceDeployments", """
        {"cluster":"prod","service":"web","createdAt":{"after":%s}}"""
        .formatted(EcsJson.timestamp(clock.instant().minusMillis(3500)).toString()));
    assertEquals(1, listed.get("serviceDeployments").size(), listed.toString());
    assertEquals(second, listed.at("/serviceDeployments/0/serviceDeploymentArn").asText());
    assertEquals(done.at("/targetServiceRevision/arn").asText(),
        listed.at("/serviceDeployments/0/targetServiceRevisionArn").asText());
  }

  @Test
  void aCircuitBreakerRollbackKeepsTheServiceDeploymentAndNamesTheRevisionItGoesBackTo() {
    steadyOnTd1(2, "{\"enable\":true,\"rollback\":true}");
    String revision1 = serviceDeployment(currentServiceDeployment()).at("/targetServiceRevision/arn").asText();
    ecs.failTaskDefinition(td2);
    update(td2);
    String ours = currentServiceDeployment();

    tick(2);
    JsonNode rollingBack = serviceDeployment(ours);
    assertEquals(ours, currentServiceDeployment(), "a rollback is no new service deployment");
    assertEquals("ROLLBACK_IN_PROGRESS", rollingBack.get("status").asText());
    assertEquals(revision1, rollingBack.at("/rollback/serviceRevisionArn").asText());
    assertEquals("TRIGGERED", rollingBack.at("/deploymentCircuitBreaker/status").asText());
    tick(3);
    assertEquals("ROLLBACK_SUCCESSFUL", serviceDeployment(ours).get("status").asText());
  }

  @Test
  void aLaggingRollbackShowsOursInProgressWhileThePrimaryNamesItsTarget() {
    ecs.setSettings(ecs.settings().withRollbackLag(Duration.ofSeconds(10)));
    steadyOnTd1(2, "{\"enable\":true,\"rollback\":true}");
    String completed = service().at("/deployments/0/id").asText();
    ecs.failTaskDefinition(td2);
    String ours = update(td2);

    tick(2);
    JsonNode s = service();
    assertEquals("PRIMARY", s.at("/deployments/0/status").asText());
    assertEquals("ECS deployment circuit breaker: rolling back to deploymentId " + completed + ".",
        s.at("/deployments/0/rolloutStateReason").asText());
    JsonNode lagging = s.at("/deployments/1");
    assertEquals(ours, lagging.get("id").asText());
    assertEquals("IN_PROGRESS", lagging.get("rolloutState").asText());

    tick(10);
    assertFalse(service().get("deployments").toString().contains(ours), "gone once the rollback finished");
  }

  @Test
  void staleReadsAnswerWithTheServiceAsItWasBeforeUpdateService() {
    ecs.setSettings(ecs.settings().withStaleReadsAfterUpdate(2));
    steadyOnTd1(2, "{\"enable\":false,\"rollback\":false}");
    String ours = update(td2);

    assertEquals(td1, service().get("taskDefinition").asText());
    assertFalse(service().get("deployments").toString().contains(ours));
    assertTrue(service().get("deployments").toString().contains(ours), "consistent from the third read on");
  }

  @Test
  void aDeniedRoleGetsAccessDeniedFromBothServiceDeploymentsOperations() {
    ecs.setSettings(ecs.settings().withServiceDeploymentsDenied(true));
    steadyOnTd1(1, "{\"enable\":false,\"rollback\":false}");

    for (String call : List.of("ListServiceDeployments:{\"cluster\":\"prod\",\"service\":\"web\"}",
        "DescribeServiceDeployments:{\"serviceDeploymentArns\":[\"x\"]}")) {
      String operation = call.substring(0, call.indexOf(':'));
      io.github.ecsdeploy.standin.AwsErrorException e = org.junit.jupiter.api.Assertions.assertThrows(
          io.github.ecsdeploy.standin.AwsErrorException.class,
          () -> ecs.handle(operation, call.substring(call.indexOf(':') + 1)));
      assertEquals("AccessDeniedException", e.errorType());
      assertTrue(e.getMessage().contains("ecs:" + operation), e.getMessage());
    }
  }

  @Test
  void aBlueGreenDeploymentGoesThroughItsStagesKeepsBlueUntilCleanUpAndSucceedsAfterTheBakeTime() {
    ecs.setSettings(ecs.settings().withBakeTime(Duration.ofSeconds(30)));
    ecs.handle("CreateService", """
        {"cluster":"prod","serviceName":"web","taskDefinition":"%s","desiredCount":2,
         "deploymentConfiguration":{"strategy":"BLUE_GREEN","bakeTimeInMinutes":5}}""".formatted(td1));
    tick(1);
    update(td2);
    String ours = currentServiceDeployment();

    List<String> stages = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      tick(1);
      JsonNode sd = serviceDeployment(ours);
      String stage = sd.path("lifecycleStage").asText("-");
      if (stages.isEmpty() || !stages.get(stages.size() - 1).equals(stage)) {
        stages.add(stage);
      }
      if (stage.equals("BAKE_TIME")) {
        assertEquals(4, service().get("runningCount").asInt(), "blue keeps running beside green in bake time");
      }
    }
    assertEquals(List.of("TEST_TRAFFIC_SHIFT", "PRODUCTION_TRAFFIC_SHIFT", "BAKE_TIME", "CLEAN_UP", "-"), stages);
    assertEquals("SUCCESSFUL", serviceDeployment(ours).get("status").asText());
    assertEquals(2, service().get("runningCount").asInt());
  }

  @Test
  void anAlarmInBakeTimeRollsTheBlueGreenDeploymentBack() {
    ecs.setSettings(ecs.settings().withBakeTime(Duration.ofSeconds(30)));
    ecs.handle("CreateService", """
        {"cluster":"prod","serviceName":"web","taskDefinition":"%s","desiredCount":2,
         "deploymentConfiguration":{"strategy":"BLUE_GREEN","bakeTimeInMinutes":5,
           "alarms":{"alarmNames":["web-5xx"],"enable":true,"rollback":true}}}""".formatted(td1));
    tick(1);
    update(td2);
    String ours = currentServiceDeployment();
    tick(5);
    assertEquals("BAKE_TIME", serviceDeployment(ours).get("lifecycleStage").asText());

    assertFalse(ecs.triggerAlarm("prod", "web", "some-other-alarm"), "an alarm the service does not watch");
    assertTrue(ecs.triggerAlarm("prod", "web", "web-5xx"));

    JsonNode sd = serviceDeployment(ours);
    assertEquals("ROLLBACK_IN_PROGRESS", sd.get("status").asText());
    assertEquals("TRIGGERED", sd.at("/alarms/status").asText());
    assertEquals("web-5xx", sd.at("/alarms/triggeredAlarmNames/0").asText());
    assertEquals(td1, service().at("/deployments/0/taskDefinition").asText());
    assertTrue(service().at("/deployments/0/rolloutStateReason").asText().contains("rolling back to deploymentId"));
  }
}
