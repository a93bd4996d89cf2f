package io.github.ecsdeploy.aws;

import io.github.ecsdeploy.core.DeployLog;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.retries.StandardRetryStrategy;
import software.amazon.awssdk.retries.api.AcquireInitialTokenRequest;
import software.amazon.awssdk.retries.api.AcquireInitialTokenResponse;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RecordSuccessRequest;
import software.amazon.awssdk.retries.api.RecordSuccessResponse;
import software.amazon.awssdk.retries.api.RefreshRetryTokenRequest;
import software.amazon.awssdk.retries.api.RefreshRetryTokenResponse;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.retries.api.RetryToken;
import software.amazon.awssdk.retries.api.TokenAcquisitionFailedException;

/**
 * The SDK retry strategy of the settings, with more patience for throttling: a call that AWS throttles is tried up
 * to {@link #THROTTLED_ATTEMPTS} times (the strategy's throttling backoff between attempts, up to 20 s each), every
 * other retryable failure only {@code <maxAttempts>} times as before. A throttled request was not carried out
 * ("Rate exceeded", HTTP 400, ECS API reference "Common Errors"), so trying it again is safe, also for
 * UpdateService; and twenty services released at once must not fail a healthy deploy because the account's token
 * bucket ran dry for a few seconds (issue 18). The first throttled retry of a while prints one progress line.
 */
final class ThrottlingPatience implements RetryStrategy {

  /** Attempts of a call that AWS keeps throttling (with the SDK's throttling backoff, about two minutes). */
  static final int THROTTLED_ATTEMPTS = 10;

  /** At most one progress line per this long. */
  static final Duration QUIET = Duration.ofSeconds(30);

  private final RetryStrategy patient;
  private final int otherAttempts;
  private final DeployLog log;
  private final LongSupplier nanoTime;
  private final AtomicLong lastLine;

  private ThrottlingPatience(RetryStrategy patient, int otherAttempts, DeployLog log, LongSupplier nanoTime,
      AtomicLong lastLine) {
    this.patient = patient;
    this.otherAttempts = otherAttempts;
    this.log = log;
    this.nanoTime = nanoTime;
    this.lastLine = lastLine;
  }

  /**
   * @param strategy the settings' strategy ({@link AwsSettings#retryStrategy()}); its attempts stay the limit for
   *     everything but throttling
   */
  static RetryStrategy wrap(RetryStrategy strategy, DeployLog log) {
    return wrap(strategy, log, System::nanoTime);
  }

  static RetryStrategy wrap(RetryStrategy strategy, DeployLog log, LongSupplier nanoTime) {
    int others = strategy.maxAttempts();
    RetryStrategy.Builder<?, ?> builder = strategy.toBuilder().maxAttempts(Math.max(others, THROTTLED_ATTEMPTS));
    if (builder instanceof StandardRetryStrategy.Builder standard) {
      // The standard strategy's retry quota ("circuit breaker": each retry takes tokens from one bucket per client)
      // stops all retries once spent. The clients serve a whole build now (SharedAwsClients): one burst of
      // throttling among 20 services spent it in the benchmark, and every later throttled call of the build failed
      // at its first attempt. The attempts stay bounded and backed off without it.
      standard.circuitBreakerEnabled(false);
    }
    RetryStrategy patient = builder.build();
    return new ThrottlingPatience(patient, others, log, nanoTime, new AtomicLong(nanoTime.getAsLong()
        - QUIET.toNanos() - 1));
  }

  /** One call's token: the SDK strategy's, and how many attempts the call has made. */
  private record Token(RetryToken inner, int attempts) implements RetryToken {}

  @Override
  public AcquireInitialTokenResponse acquireInitialToken(AcquireInitialTokenRequest request) {
    AcquireInitialTokenResponse response = patient.acquireInitialToken(request);
    return AcquireInitialTokenResponse.create(new Token(response.token(), 1), response.delay());
  }

  @Override
  public RefreshRetryTokenResponse refreshRetryToken(RefreshRetryTokenRequest request) {
    Token token = (Token) request.token();
    Throwable failure = request.failure();
    boolean throttled = failure instanceof AwsServiceException e && e.isThrottlingException();
    if (!throttled && token.attempts() >= otherAttempts) {
      throw new TokenAcquisitionFailedException("Request attempt " + token.attempts() + " failure: no more retries"
          + " for failures other than throttling (max attempts " + otherAttempts + ")", token, failure);
    }
    RefreshRetryTokenRequest.Builder inner = RefreshRetryTokenRequest.builder().token(token.inner()).failure(failure);
    request.suggestedDelay().ifPresent(inner::suggestedDelay);
    RefreshRetryTokenResponse response;
    try {
      response = patient.refreshRetryToken(inner.build());
    } catch (TokenAcquisitionFailedException e) {
      throw new TokenAcquisitionFailedException(e.getMessage(), token, failure);
    }
    if (throttled) {
      long now = nanoTime.getAsLong();
      long last = lastLine.get();
      if (now - last > QUIET.toNanos() && lastLine.compareAndSet(last, now)) {
        log.info("AWS throttles this build's calls (ThrottlingException): the AWS SDK waits and tries again, a"
            + " throttled call up to " + patient.maxAttempts() + " times.");
      }
    }
    return RefreshRetryTokenResponse.create(new Token(response.token(), token.attempts() + 1), response.delay());
  }

  @Override
  public RecordSuccessResponse recordSuccess(RecordSuccessRequest request) {
    Token token = (Token) request.token();
    RecordSuccessResponse response = patient.recordSuccess(RecordSuccessRequest.create(token.inner()));
    return RecordSuccessResponse.create(new Token(response.token(), token.attempts()));
  }

  @Override
  public int maxAttempts() {
    return patient.maxAttempts();
  }

  @Override
  public boolean useClientDefaults() {
    return patient.useClientDefaults();
  }

  @Override
  public Builder toBuilder() {
    return new Builder(patient.toBuilder(), otherAttempts);
  }

  @Override
  public void close() {
    patient.close();
  }

  /** Changes the SDK strategy underneath and wraps it again (the SDK may adjust a configured strategy). */
  final class Builder implements RetryStrategy.Builder<Builder, ThrottlingPatience> {
    private final RetryStrategy.Builder<?, ?> inner;
    private int others;

    Builder(RetryStrategy.Builder<?, ?> inner, int others) {
      this.inner = inner;
      this.others = others;
    }

    @Override
    public Builder retryOnException(Predicate<Throwable> shouldRetry) {
      inner.retryOnException(shouldRetry);
      return this;
    }

    @Override
    public Builder maxAttempts(int maxAttempts) {
      others = maxAttempts;
      inner.maxAttempts(Math.max(maxAttempts, THROTTLED_ATTEMPTS));
      return this;
    }

    @Override
    public Builder backoffStrategy(BackoffStrategy backoffStrategy) {
      inner.backoffStrategy(backoffStrategy);
      return this;
    }

    @Override
    public Builder throttlingBackoffStrategy(BackoffStrategy backoffStrategy) {
      inner.throttlingBackoffStrategy(backoffStrategy);
      return this;
    }

    @Override
    public Builder treatAsThrottling(Predicate<Throwable> treatAsThrottling) {
      inner.treatAsThrottling(treatAsThrottling);
      return this;
    }

    @Override
    public Builder useClientDefaults(boolean useClientDefaults) {
      inner.useClientDefaults(useClientDefaults);
      return this;
    }

    @Override
    public ThrottlingPatience build() {
      return new ThrottlingPatience(inner.build(), others, log, nanoTime, lastLine);
    }
  }
}
