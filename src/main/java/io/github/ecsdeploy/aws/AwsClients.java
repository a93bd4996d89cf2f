package io.github.ecsdeploy.aws;

import io.github.ecsdeploy.core.DeployLog;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The AWS clients of one goal execution. Each client is built on first use, at most once, and all share one
 * Apache HTTP client, the region, the endpoint override, one credentials provider and the SDK retry
 * strategy of the settings ({@code <retryMode>}, {@code <maxAttempts>}). The first time credentials are
 * resolved, one info line names the SDK provider that supplied them (never a value). {@link #close()} closes what was
 * built, and nothing else. In a Maven build one instance serves every execution of every module
 * ({@link SharedAwsClients}) and is closed when the build ends.
 */
public final class AwsClients implements AutoCloseable {

  private final AwsSettings settings;
  private final CredentialsSource credentialsSource;
  private final DeployLog log;
  private final Supplier<SdkHttpClient> httpClientFactory;
  private final Map<Throwable, String> failedOperations =
      Collections.synchronizedMap(new WeakHashMap<>());

  private SdkHttpClient httpClient;
  private NamedCredentials credentials;
  private EcsClient ecs;
  private EcrClient ecr;
  private StsClient sts;
  private CloudWatchLogsClient logs;
  private boolean closed;

  /** Clients for the settings, with the credentials source the settings ask for. */
  public AwsClients(AwsSettings settings, DeployLog log) {
    this(settings, CredentialsSource.forSettings(settings), log);
  }

  /** Clients for the settings, with an explicit credentials source. */
  public AwsClients(AwsSettings settings, CredentialsSource credentialsSource, DeployLog log) {
    this(settings, credentialsSource, log, AwsClients::apacheHttpClient);
  }

  /**
   * The SDK's Apache HTTP client with its defaults (timeouts, connection pool, proxy settings), except that TLS is
   * set up on the first https connection ({@link LazyTlsSocketFactory}).
   */
  static SdkHttpClient apacheHttpClient() {
    return ApacheHttpClient.builder().socketFactory(new LazyTlsSocketFactory()).build();
  }

  AwsClients(
      AwsSettings settings,
      CredentialsSource credentialsSource,
      DeployLog log,
      Supplier<SdkHttpClient> httpClientFactory) {
    this.settings = settings;
    this.credentialsSource = credentialsSource;
    this.log = log;
    this.httpClientFactory = httpClientFactory;
  }

  /** The settings these clients use. */
  public AwsSettings settings() {
    return settings;
  }

  /** The ECS client, built on first call. */
  public synchronized EcsClient ecs() {
    ensureOpen();
    if (ecs == null) {
      ecs = configure(EcsClient.builder(), "ECS").build();
    }
    return ecs;
  }

  /** The ECR client, built on first call. */
  public synchronized EcrClient ecr() {
    ensureOpen();
    if (ecr == null) {
      ecr = configure(EcrClient.builder(), "ECR").build();
    }
    return ecr;
  }

  /** The STS client, built on first call. */
  public synchronized StsClient sts() {
    ensureOpen();
    if (sts == null) {
      sts = configure(StsClient.builder(), "STS").build();
    }
    return sts;
  }

  /** The CloudWatch Logs client (run-task follows a task's awslogs output), built on first call. */
  public synchronized CloudWatchLogsClient logs() {
    ensureOpen();
    if (logs == null) {
      logs = configure(CloudWatchLogsClient.builder(), "CloudWatch Logs").build();
    }
    return logs;
  }

  /**
   * The AWS operation that threw this exception through one of these clients, as {@code Service:Operation}
   * (e.g. {@code ECS:DescribeServices}); empty for exceptions these clients did not throw.
   */
  public Optional<String> failedOperation(Throwable exception) {
    return Optional.ofNullable(failedOperations.get(exception));
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("AwsClients already closed");
    }
  }

  private <B extends AwsClientBuilder<B, ?> & SdkSyncClientBuilder<B, ?>> B configure(
      B builder, String service) {
    shareHttpAndCredentials();
    builder
        .httpClient(httpClient)
        .region(Region.of(settings.region()))
        .credentialsProvider(credentials)
        .overrideConfiguration(
            ClientOverrideConfiguration.builder()
                .retryStrategy(ThrottlingPatience.wrap(settings.retryStrategy(), log))
                .addExecutionInterceptor(new OperationRecorder())
                .build());
    settings.endpoint().ifPresent(builder::endpointOverride);
    log.debug("Built the AWS " + service + " client");
    return builder;
  }

  private void shareHttpAndCredentials() {
    if (httpClient != null) {
      return;
    }
    log.info(
        "AWS region "
            + settings.region()
            + " (from "
            + settings.regionSource()
            + ")"
            + settings
                .endpoint()
                .map(uri -> ", endpoint " + uri + " (from " + settings.endpointSource().orElse("?") + ")")
                .orElse("")
            + ", retries: "
            + settings.retries().describe()
            + ", credentials from "
            + credentialsSource.describe());
    SdkHttpClient http = httpClientFactory.get();
    try {
      credentials = new NamedCredentials(credentialsSource.create(settings, http), credentialsSource, log);
    } catch (RuntimeException e) {
      // Shared by the executions of a build (SharedAwsClients): the next one tries the source again.
      http.close();
      throw e;
    }
    httpClient = http;
  }

  /** Closes the clients built so far, then the credentials provider, then the HTTP client. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    List<AutoCloseable> toClose = new ArrayList<>();
    toClose.add(ecs);
    toClose.add(ecr);
    toClose.add(sts);
    toClose.add(logs);
    toClose.add(credentials);
    toClose.add(httpClient);
    RuntimeException failure = null;
    for (AutoCloseable c : toClose) {
      if (c == null) {
        continue;
      }
      try {
        c.close();
      } catch (Exception e) {
        if (failure == null) {
          failure = new IllegalStateException("Could not close an AWS client", e);
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  /** Remembers which operation threw which exception, for error messages. */
  private final class OperationRecorder implements ExecutionInterceptor {
    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
      String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
      String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
      if (operation != null) {
        failedOperations.put(
            context.exception(), (service == null ? "" : service.toUpperCase(Locale.ROOT) + ":") + operation);
      }
    }
  }
}
