package io.github.ecsdeploy.standin.ecs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ecsdeploy.standin.AwsStandIn;
import io.github.ecsdeploy.standin.StandInExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The HTTP test controls of the ECS simulator's new knobs, for a stand-in in another process (the ITs). */
class EcsControlTest {

  @RegisterExtension static final StandInExtension STAND_IN = new StandInExtension();

  private HttpResponse<String> post(String control, String body) throws Exception {
    URI uri = STAND_IN.get().endpoint().resolve(AwsStandIn.CONTROL_PATH + control);
    return HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void settingsChangeOnlyWhatTheBodyNames() throws Exception {
    EcsService ecs = STAND_IN.get().ecs();
    Duration start = ecs.settings().taskStartDelay();

    HttpResponse<String> answer = post("ecs/settings",
        "{\"rollbackLagMillis\":30000,\"staleReadsAfterUpdate\":2,\"serviceDeploymentsDenied\":true,"
            + "\"bakeTimeMillis\":5000}");

    assertEquals(204, answer.statusCode(), answer.body());
    assertEquals(Duration.ofSeconds(30), ecs.settings().rollbackLag());
    assertEquals(2, ecs.settings().staleReadsAfterUpdate());
    assertTrue(ecs.settings().serviceDeploymentsDenied());
    assertEquals(Duration.ofSeconds(5), ecs.settings().bakeTime());
    assertEquals(start, ecs.settings().taskStartDelay());

    assertEquals(400, post("ecs/settings", "{\"staleReadsAfterUpdate\":-1}").statusCode());
  }

  @Test
  void anAlarmWithoutADeploymentWatchingItIsRefused() throws Exception {
    STAND_IN.get().ecs().handle("CreateCluster", "{\"clusterName\":\"alarms\"}");

    HttpResponse<String> noService = post("ecs/trigger-alarm",
        "{\"cluster\":\"alarms\",\"service\":\"none\",\"alarm\":\"a\"}");
    HttpResponse<String> badBody = post("ecs/trigger-alarm", "{}");

    assertEquals(400, noService.statusCode());
    assertTrue(noService.body().contains("ServiceNotFoundException"), noService.body());
    assertEquals(400, badBody.statusCode());
  }
}
