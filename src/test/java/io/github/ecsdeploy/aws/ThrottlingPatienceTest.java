package io.github.ecsdeploy.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.ecsdeploy.standin.AwsStandIn;
import io.github.ecsdeploy.standin.StandInExtension;
import io.github.ecsdeploy.testing.RecordingDeployLog;
import io.github.ecsdeploy.testing.TestCredentials;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/** A throttled call is tried up to ten times; every other failure keeps {@code <maxAttempts>}. Real SDK, stand-in. */
class ThrottlingPatienceTest {

  @RegisterExtension static final StandInExtension STAND_IN = new StandInExtension();

  private final RecordingDeployLog log = new RecordingDeployLog();

  private AwsClients clients(String maxAttempts) {
    AwsStandIn standIn = STAND_IN.get();
    AwsSettings settings = AwsSettings.resolve(new AwsSettings.Inputs(standIn.region(), null,
        standIn.endpoint().toString(), maxAttempts, null), AwsEnvironment.of(n -> null));
    return new AwsClients(settings, TestCredentials.source(), log);
  }

  @Test
  void aThrottledCallOutlastsMaxAttemptsUntilTheBucketRefillsWithOneProgressLine() {
    STAND_IN.get().requestLog().clear();
    // One call, then one per second, on a clock that moves 400 ms with each request: the second call is throttled
    // twice and passes at its third attempt; <maxAttempts> 1 would have failed it at the first.
    java.util.concurrent.atomic.AtomicLong nanos = new java.util.concurrent.atomic.AtomicLong();
    STAND_IN.get().faults().rateLimit(1, 1.0, () -> nanos.addAndGet(400_000_000L));
    try (AwsClients aws = clients("1")) {
      aws.ecs().describeClusters();
      aws.ecs().describeClusters(); // throttled at first; <maxAttempts> 1 would have failed it
    }
    assertEquals(2L, STAND_IN.get().requestLog().entries(e -> e.operation().equals("DescribeClusters")
        && e.status() == 200).size());
    assertEquals(2, STAND_IN.get().requestLog().entries(e -> "ThrottlingException".equals(e.errorType())).size());
    assertEquals(1, log.infos().stream().filter(l -> l.startsWith("AWS throttles this build's calls"
        + " (ThrottlingException): the AWS SDK waits and tries again, a throttled call up to 10 times.")).count(),
        log.lines.toString());
  }

  @Test
  void otherFailuresKeepTheConfiguredAttempts() {
    STAND_IN.get().requestLog().clear();
    STAND_IN.get().faults().serverErrors(1.0);
    try (AwsClients aws = clients("2")) {
      AwsServiceException e = assertThrows(AwsServiceException.class, () -> aws.ecs().describeClusters());
      assertEquals(500, e.statusCode());
    }
    assertEquals(2L, STAND_IN.get().requestLog().count("DescribeClusters"));
  }
}
