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

  /** Switches all faults off. */
  public FaultInjection reset() {
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
