package io.github.ecsdeploy.standin;

import java.time.Duration;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Faults the stand-in can inject into AWS API answers, for reliability tests: a share of requests answered
 * with {@code ThrottlingException}, a share with HTTP 500 or 503, and latency added to every answer. All off
 * by default. Decisions come from a seeded random source so a test run is repeatable. The JSON APIs (ECS, ECR)
 * and STS (Query protocol, with STS's own error codes, see {@link StsService}) draw from the same source.
 *
 * <p>Besides the random faults, named operations can be denied as IAM denies an action the role's policy lacks
 * ({@link #deny}): every call of the operation is answered {@code AccessDeniedException}, not at random.
 */
public final class FaultInjection {

  /** What to do with one request. */
  public enum Fault {
    NONE,
    THROTTLE,
    SERVER_ERROR,
    UNAVAILABLE
  }

  private final Random random;
  private volatile double throttleShare;
  private volatile double serverErrorShare;
  private volatile double unavailableShare;
  private volatile Duration latency = Duration.ZERO;
  private final Set<String> denied = ConcurrentHashMap.newKeySet();
  private volatile RateLimit rateLimit;
  private final java.util.Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();

  public FaultInjection(long seed) {
    this.random = new Random(seed);
  }

  /** Answers this share (0..1) of requests with HTTP 400 {@code ThrottlingException}. */
  public FaultInjection throttle(double share) {
    this.throttleShare = checkShare(share);
    return this;
  }

  /** Answers this share (0..1) of requests with HTTP 500. */
  public FaultInjection serverErrors(double share) {
    this.serverErrorShare = checkShare(share);
    return this;
  }

  /** Answers this share (0..1) of requests with HTTP 503. */
  public FaultInjection unavailable(double share) {
    this.unavailableShare = checkShare(share);
    return this;
  }

  /** Delays every answer by this much. */
  public FaultInjection latency(Duration latency) {
    this.latency = latency;
    return this;
  }

  /**
   * Answers every call of these operations with IAM's refusal, as for a role whose policy lacks the action: ECS
   * and ECR operations by name ({@code DescribeServices}, {@code GetAuthorizationToken}); the registry's upload
   * requests as {@code ecr:InitiateLayerUpload} (see {@link RegistryHandler}). The JSON APIs answer HTTP 400
   * {@code AccessDeniedException} "User: ... is not authorized to perform: ecs:X" as in the ECS and ECR API
   * references' common errors (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/CommonErrors.html).
   */
  public FaultInjection deny(String... operations) {
    denied.addAll(java.util.List.of(operations));
    return this;
  }

  /** Whether {@link #deny} named this operation. */
  public boolean denies(String operation) {
    return denied.contains(operation);
  }

  /**
   * ECS's request throttling, as the ECS API reference describes it ("Request throttling for the Amazon ECS API",
   * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/request-throttling.html): a token bucket per account
   * and Region for each API action (the stand-in has one account and one Region, so one bucket per action); each
   * request takes a token; the bucket's capacity is the burst rate and its refill the sustained rate; a request
   * that finds the bucket empty is answered {@code ThrottlingException} "Rate exceeded", HTTP 400 (the page's own
   * example, and the API reference's Common Errors,
   * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/CommonErrors.html). Real quotas differ per action
   * (the page gives 50 tokens for cluster reads such as DescribeClusters) and are not all published; tests and
   * benchmarks choose small buckets to make throttling happen. Not random: unlike {@link #throttle(double)}, a
   * client that slows down is no longer throttled. Off by default.
   *
   * @param burst the bucket's capacity (requests in one burst)
   * @param perSecond the refill (sustained requests per second)
   */
  public FaultInjection rateLimit(int burst, double perSecond) {
    return rateLimit(burst, perSecond, System::nanoTime);
  }

  /** {@link #rateLimit(int, double)} on a test's clock (nanoseconds), read once per request. */
  public FaultInjection rateLimit(int burst, double perSecond, java.util.function.LongSupplier nanoTime) {
    if (burst < 1 || !(perSecond > 0)) {
      throw new IllegalArgumentException("burst must be at least 1 and the refill positive: " + burst + ", "
          + perSecond);
    }
    buckets.clear();
    this.rateLimit = new RateLimit(burst, perSecond, nanoTime);
    return this;
  }

  /**
   * Whether the request of this action may pass {@link #rateLimit}: takes a token from the action's bucket; false
   * when the bucket is empty (answer {@code ThrottlingException}). Always true when no rate limit is set.
   *
   * @param action the API action with its service, e.g. {@code AmazonEC2ContainerServiceV20141113.DescribeServices}
   */
  public boolean admit(String action) {
    RateLimit limit = rateLimit;
    if (limit == null) {
      return true;
    }
    return buckets.computeIfAbsent(action, a -> new TokenBucket(limit)).take(limit.nanoTime().getAsLong());
  }

  private record RateLimit(int burst, double perSecond, java.util.function.LongSupplier nanoTime) {}

  /** One action's bucket: starts full, refills continuously at the sustained rate, never above the burst. */
  private static final class TokenBucket {
    private final RateLimit limit;
    private double tokens;
    private long last;
    private boolean started;

    TokenBucket(RateLimit limit) {
      this.limit = limit;
      this.tokens = limit.burst();
    }

    synchronized boolean take(long now) {
      if (!started) {
        started = true;
        last = now;
      }
      tokens = Math.min(limit.burst(), tokens + (now - last) / 1e9 * limit.perSecond());
      last = now;
      if (tokens < 1) {
        return false;
      }
      tokens -= 1;
      return true;
    }
  }

  /** Switches all faults off. */
  public FaultInjection reset() {
    rateLimit = null;
    buckets.clear();
    denied.clear();
    throttleShare = 0;
    serverErrorShare = 0;
    unavailableShare = 0;
    latency = Duration.ZERO;
    return this;
  }

  public Duration latency() {
    return latency;
  }

  /** Sleeps the added latency before an answer (none when it is zero); an interrupt ends the sleep early. */
  public void sleepLatency() {
    long millis = latency.toMillis();
    if (millis > 0) {
      try {
        Thread.sleep(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Draws the fault for the next request. */
  public Fault next() {
    double t = throttleShare;
    double s = serverErrorShare;
    double u = unavailableShare;
    if (t == 0 && s == 0 && u == 0) {
      return Fault.NONE;
    }
    double draw;
    synchronized (random) {
      draw = random.nextDouble();
    }
    if (draw < t) {
      return Fault.THROTTLE;
    }
    if (draw < t + s) {
      return Fault.SERVER_ERROR;
    }
    if (draw < t + s + u) {
      return Fault.UNAVAILABLE;
    }
    return Fault.NONE;
  }

  private static double checkShare(double share) {
    if (share < 0 || share > 1) {
      throw new IllegalArgumentException("share must be within 0..1: " + share);
    }
    return share;
  }
}
