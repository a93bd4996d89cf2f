package io.github.ecsdeploy.standin;

import io.github.ecsdeploy.testing.TestCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import java.time.Duration;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.sts.StsClient;

/** Real SDK v2 clients pointed at a stand-in, with dummy credentials, for protocol tests. */
public final class StandInClients {

  private StandInClients() {}

  public static EcsClient ecs(AwsStandIn standIn) {
    return EcsClient.builder()
        .endpointOverride(standIn.endpoint())
        .region(Region.of(standIn.region()))
        .credentialsProvider(credentials())
        .overrideConfiguration(retries())
        .build();
  }

  public static EcrClient ecr(AwsStandIn standIn) {
    return EcrClient.builder()
        .endpointOverride(standIn.endpoint())
        .region(Region.of(standIn.region()))
        .credentialsProvider(credentials())
        .overrideConfiguration(retries())
        .build();
  }

  public static StsClient sts(AwsStandIn standIn) {
    return StsClient.builder()
        .endpointOverride(standIn.endpoint())
        .region(Region.of(standIn.region()))
        .credentialsProvider(credentials())
        .overrideConfiguration(retries())
        .build();
  }

  public static CloudWatchLogsClient logs(AwsStandIn standIn) {
    return CloudWatchLogsClient.builder()
        .endpointOverride(standIn.endpoint())
        .region(Region.of(standIn.region()))
        .credentialsProvider(credentials())
        .overrideConfiguration(retries())
        .build();
  }

  private static StaticCredentialsProvider credentials() {
    return TestCredentials.provider();
  }

  /**
   * AWS's standard retry conditions with 8 attempts and short back-off, so fault-injection tests are quick
   * and do not fail by a run of bad luck (a 50% fault share fails a call with probability 1/256).
   */
  private static ClientOverrideConfiguration retries() {
    BackoffStrategy quick = BackoffStrategy.exponentialDelay(Duration.ofMillis(5), Duration.ofMillis(50));
    return ClientOverrideConfiguration.builder()
        .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
            .maxAttempts(8)
            .backoffStrategy(quick)
            .throttlingBackoffStrategy(quick)
            .build())
        .build();
  }
}
