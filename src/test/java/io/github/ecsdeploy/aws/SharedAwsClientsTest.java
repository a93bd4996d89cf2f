package io.github.ecsdeploy.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ecsdeploy.testing.RecordingDeployLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.http.SdkHttpClient;

/** One set of clients per build and per settings/credentials, closed once at the build's end. */
class SharedAwsClientsTest {

  private final List<AwsClients> built = new ArrayList<>();
  private final SharedAwsClients.Factory factory = (settings, source, log) -> {
    AwsClients c = new AwsClients(settings, source, log);
    built.add(c);
    return c;
  };

  private static AwsSettings settings(String region) {
    return AwsSettings.resolve(region, null, "http://127.0.0.1:1", name -> null);
  }

  private static CredentialsSource fixedKeys(String name) {
    return new CredentialsSource() {
      @Override
      public AwsCredentialsProvider create(AwsSettings settings, SdkHttpClient httpClient) {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create("AKID", "secret"));
      }

      @Override
      public String describe() {
        return "fixed keys " + name;
      }
    };
  }

  @Test
  void executionsWithTheSameSettingsAndCredentialsShareOneSetAndLeasesNeverCloseIt() {
    SharedAwsClients shared = new SharedAwsClients();
    RecordingDeployLog first = new RecordingDeployLog();
    RecordingDeployLog second = new RecordingDeployLog();
    SharedAwsClients.Lease a = shared.lease(settings("eu-west-1"), fixedKeys("ci"), first, factory);
    a.close();
    SharedAwsClients.Lease b = shared.lease(settings("eu-west-1"), fixedKeys("ci"), second, factory);

    assertSame(a.clients(), b.clients());
    assertFalse(a.reused());
    assertTrue(b.reused());
    assertEquals(1, built.size());
    assertEquals(1, shared.size());
    b.clients().ecs(); // still open after the first lease was closed
    assertTrue(second.lines.stream().anyMatch(l -> l.contains("Reusing the AWS clients of this build")),
        second.lines.toString());
  }

  @Test
  void anotherRegionOrAnotherCredentialsSourceGetsItsOwnSet() {
    SharedAwsClients shared = new SharedAwsClients();
    RecordingDeployLog log = new RecordingDeployLog();
    AwsClients west = shared.lease(settings("eu-west-1"), fixedKeys("ci"), log, factory).clients();
    AwsClients central = shared.lease(settings("eu-central-1"), fixedKeys("ci"), log, factory).clients();
    AwsClients other = shared.lease(settings("eu-west-1"), fixedKeys("prod"), log, factory).clients();

    assertNotSame(west, central);
    assertNotSame(west, other);
    assertEquals(3, shared.size());
  }

  @Test
  void webIdentityExecutionsShareTheRoleSessionWhateverTheirSessionNames() {
    SharedAwsClients shared = new SharedAwsClients();
    RecordingDeployLog log = new RecordingDeployLog();
    WebIdentityRole one = new WebIdentityRole("arn:aws:iam::123456789012:role/deploy", "GITLAB_OIDC_TOKEN",
        "ecs-deploy-1000", Duration.ofHours(1));
    WebIdentityRole two = new WebIdentityRole(one.roleArn(), one.tokenVariable(), "ecs-deploy-1007",
        one.sessionDuration());
    WebIdentityRole longer = new WebIdentityRole(one.roleArn(), one.tokenVariable(), "ecs-deploy-1007",
        Duration.ofHours(2));
    AwsClients a = shared.lease(settings("eu-west-1"), new WebIdentityCredentialsSource(one, n -> "t"), log, factory)
        .clients();
    AwsClients b = shared.lease(settings("eu-west-1"), new WebIdentityCredentialsSource(two, n -> "t"), log, factory)
        .clients();
    AwsClients c = shared.lease(settings("eu-west-1"), new WebIdentityCredentialsSource(longer, n -> "t"), log,
        factory).clients();

    assertSame(a, b);
    assertNotSame(a, c);
  }

  @Test
  void closeClosesEverySetOnceAndRefusesNewLeases() {
    SharedAwsClients shared = new SharedAwsClients();
    RecordingDeployLog log = new RecordingDeployLog();
    AwsClients west = shared.lease(settings("eu-west-1"), fixedKeys("ci"), log, factory).clients();
    AwsClients central = shared.lease(settings("eu-central-1"), fixedKeys("ci"), log, factory).clients();
    west.ecs();

    shared.close();
    shared.close();

    assertThrows(IllegalStateException.class, west::ecs);
    assertThrows(IllegalStateException.class, central::ecr);
    assertThrows(IllegalStateException.class,
        () -> shared.lease(settings("eu-west-1"), fixedKeys("ci"), log, factory));
  }

  @Test
  void theClientsLogThroughTheExecutionThatLeasedThemLast() {
    SharedAwsClients shared = new SharedAwsClients();
    RecordingDeployLog first = new RecordingDeployLog();
    RecordingDeployLog second = new RecordingDeployLog();
    shared.lease(settings("eu-west-1"), fixedKeys("ci"), first, factory);
    AwsClients clients = shared.lease(settings("eu-west-1"), fixedKeys("ci"), second, factory).clients();
    clients.ecs(); // the first client built logs the region line

    assertTrue(second.lines.stream().anyMatch(l -> l.contains("AWS region eu-west-1")), second.lines.toString());
    assertTrue(first.lines.stream().noneMatch(l -> l.contains("AWS region")), first.lines.toString());
  }
}
