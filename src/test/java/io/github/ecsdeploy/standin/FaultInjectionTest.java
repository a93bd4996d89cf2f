package io.github.ecsdeploy.standin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ecr.EcrClient;

/** Fault injection as the real SDK sees it: throttling and 5xx are retried, and the request log tells. */
class FaultInjectionTest {

  @RegisterExtension static final StandInExtension STAND_IN = new StandInExtension();

  @Test
  void throttlingAndServerErrorsAreRetriedBySdk() {
    AwsStandIn standIn = STAND_IN.get();
    standIn.requestLog().clear();
    standIn.faults().throttle(0.25).serverErrors(0.15).unavailable(0.1);
    try (EcrClient ecr = StandInClients.ecr(standIn)) {
      for (int i = 0; i < 20; i++) {
        ecr.describeRepositories();
      }
    }
    List<RequestLog.Entry> injected = standIn.requestLog().entries(RequestLog.Entry::injected);
    long ok = standIn.requestLog().entries(e -> e.status() == 200).size();
    assertEquals(20, ok, "every call eventually succeeded");
    assertTrue(injected.size() >= 3, "faults were injected: " + injected.size());
    assertTrue(injected.stream().anyMatch(e -> "ThrottlingException".equals(e.errorType())));
    assertTrue(injected.stream().anyMatch(e -> e.status() >= 500));
  }

  @Test
  void permanentThrottlingSurfacesAsThrottlingExceptionAfterRetries() {
    AwsStandIn standIn = STAND_IN.get();
    standIn.requestLog().clear();
    standIn.faults().throttle(1.0);
    try (EcrClient ecr = StandInClients.ecr(standIn)) {
      AwsServiceException e = assertThrows(AwsServiceException.class, ecr::describeRepositories);
      assertEquals("ThrottlingException", e.awsErrorDetails().errorCode());
      assertTrue(e.isThrottlingException());
    }
    assertTrue(standIn.requestLog().count("DescribeRepositories") > 1, "the SDK retried");
  }

  @Test
  void theRateLimitIsATokenBucketPerActionThatRefillsAtTheSustainedRate() {
    AwsStandIn standIn = STAND_IN.get();
    standIn.requestLog().clear();
    java.util.concurrent.atomic.AtomicLong nanos = new java.util.concurrent.atomic.AtomicLong();
    standIn.faults().rateLimit(3, 2.0, nanos::get); // burst 3, 2 requests per second sustained
    try (software.amazon.awssdk.services.ecs.EcsClient ecs = software.amazon.awssdk.services.ecs.EcsClient.builder()
        .endpointOverride(standIn.endpoint()).region(software.amazon.awssdk.regions.Region.of(standIn.region()))
        .credentialsProvider(io.github.ecsdeploy.testing.TestCredentials.provider())
        .overrideConfiguration(c -> c.retryStrategy(b -> b.maxAttempts(1))).build()) {
      for (int i = 0; i < 3; i++) {
        ecs.describeClusters();
      }
      AwsServiceException e = assertThrows(AwsServiceException.class, ecs::describeClusters, "the fourth in a burst");
      assertEquals("ThrottlingException", e.awsErrorDetails().errorCode());
      assertEquals(400, e.statusCode());
      assertEquals("Rate exceeded", e.awsErrorDetails().errorMessage());
      ecs.listTaskDefinitions(); // another action has its own bucket
      nanos.addAndGet(600_000_000L); // one token back at 2 per second
      ecs.describeClusters();
    }
    assertEquals(1, standIn.requestLog().entries(en -> "ThrottlingException".equals(en.errorType())).size());
  }

  @Test
  void latencyDelaysEveryAnswer() {
    AwsStandIn standIn = STAND_IN.get();
    standIn.faults().latency(Duration.ofMillis(200));
    try (EcrClient ecr = StandInClients.ecr(standIn)) {
      long start = System.nanoTime();
      ecr.describeRepositories();
      long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
      assertTrue(elapsedMillis >= 200, "answer was delayed: " + elapsedMillis + " ms");
    }
  }

  @Test
  void requestLogRecordsOperationStatusAndBytes() {
    AwsStandIn standIn = STAND_IN.get();
    standIn.requestLog().clear();
    try (EcrClient ecr = StandInClients.ecr(standIn)) {
      ecr.getAuthorizationToken();
    }
    RequestLog.Entry entry = standIn.requestLog().entries().get(0);
    assertEquals("AmazonEC2ContainerRegistry_V20150921", entry.service());
    assertEquals("GetAuthorizationToken", entry.operation());
    assertEquals(200, entry.status());
    assertTrue(entry.bytesOut() > 50, "answer bytes logged: " + entry.bytesOut());
  }
}
