package io.github.ecsdeploy.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Releases several services from one build ({@code <services>} / {@code -Decs.services=web,worker}): a loop
 * around the single-service {@link ServiceDeployer}, all deployments started and watched in parallel (at most
 * {@link #MAX_PARALLEL} at once; give the deployers a {@link #sharedReads} client so that their polls share one
 * DescribeServices per ten services), each service's lines prefixed with its name, then one verdict per service.
 *
 * <p>A failure in one service leaves the others as ECS decided: nothing rolls them back automatically. The
 * failure message says which services deployed and gives the {@code ecs:rollback} command for each.
 */
public final class MultiServiceDeployer {

  /** The services parameter, in both spellings. */
  public static final Param SERVICES = new Param("services", "ecs.services");

  /** The order parameter, in both spellings. */
  public static final Param ORDER = new Param("servicesOrder", "ecs.updateService.servicesOrder");

  /** How the services are released. */
  public enum Order {
    /** All deployments start at once and are watched in parallel. */
    PARALLEL,
    /** In the listed order, each waiting for the previous one; a failure leaves the rest unstarted. */
    SEQUENTIAL;

    /** {@code parallel} or {@code sequential}, any case. */
    public static Order parse(String text) {
      for (Order o : values()) {
        if (o.name().equalsIgnoreCase(text == null ? "" : text.strip())) {
          return o;
        }
      }
      throw new UserInputException(ORDER, ORDER.both() + " must be parallel or sequential, but was '" + text
          + "'. Nothing was changed.");
    }
  }

  /**
   * Deployments watched at once at most: as many as one DescribeServices describes ({@link BatchedServiceReads}),
   * so 20 services do not poll ECS twenty-fold.
   */
  static final int MAX_PARALLEL = BatchedServiceReads.MAX_SERVICES_PER_CALL;

  private final Function<DeployLog, ServiceDeployer> deployers;
  private final DeployLog log;

  /**
   * @param deployers a single-service deployer writing to the given (service-prefixed) log
   * @param log where the verdicts go
   */
  public MultiServiceDeployer(Function<DeployLog, ServiceDeployer> deployers, DeployLog log) {
    this.deployers = Objects.requireNonNull(deployers, "deployers");
    this.log = Objects.requireNonNull(log, "log");
  }

  /**
   * An ECS client for the watchers of these requests: the DescribeServices of each poll is one call for up to ten
   * services of a cluster, shared by their watchers ({@link BatchedServiceReads}); every other call goes to
   * {@code ecs} unchanged.
   */
  public static software.amazon.awssdk.services.ecs.EcsClient sharedReads(
      software.amazon.awssdk.services.ecs.EcsClient ecs, List<UpdateServiceRequest> requests) {
    return BatchedServiceReads.wrap(ecs, requests);
  }

  /** One service's end: its result, or what it threw; neither when it was never started. */
  public record Verdict(String service, DeploymentResult result, RuntimeException failure) {

    boolean succeeded() {
      return failure == null && result != null;
    }

    boolean notStarted() {
      return failure == null && result == null;
    }

    /** Whether this run changed the service (a new deployment was started, whatever came of it). */
    boolean deployed() {
      return result != null && result.outcome() != DeploymentOutcome.UNCHANGED;
    }
  }

  /**
   * Deploys every request, each to its own service, in parallel.
   *
   * @param requests one per service
   * @param recorders the outputs of each service, by service name
   * @return the verdicts, in the order of {@code requests}, when every service succeeded
   * @throws DeploymentFailedException when any service failed, naming each service's verdict
   */
  public List<Verdict> deployAll(List<UpdateServiceRequest> requests,
      Function<String, DeploymentRecorder> recorders) {
    return deployAll(requests, recorders, Order.PARALLEL);
  }

  /**
   * Deploys every request, each to its own service, in parallel or in the listed order.
   *
   * @param order {@link Order#SEQUENTIAL}: each service waits for the previous one, and after a failure the rest
   *     are not started
   * @return the verdicts, in the order of {@code requests}, when every service succeeded
   * @throws DeploymentFailedException when any service failed, naming each service's verdict
   */
  public List<Verdict> deployAll(List<UpdateServiceRequest> requests,
      Function<String, DeploymentRecorder> recorders, Order order) {
    if (requests.isEmpty()) {
      throw new UserInputException(SERVICES, SERVICES.both() + " lists no service. Nothing was changed.");
    }
    if (order == Order.SEQUENTIAL) {
      log.info("Deploying " + requests.size() + " services in the listed order, each after the previous one"
          + " succeeded: " + requests.stream().map(UpdateServiceRequest::service).toList());
      List<Verdict> verdicts = new ArrayList<>();
      boolean failed = false;
      for (UpdateServiceRequest request : requests) {
        Verdict v = failed ? new Verdict(request.service(), null, null) : deployOne(request, recorders);
        failed |= v.failure() != null;
        verdicts.add(v);
      }
      report(verdicts);
      return verdicts;
    }
    log.info("Deploying " + requests.size() + " services in parallel: " + requests.stream()
        .map(UpdateServiceRequest::service).toList());
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(MAX_PARALLEL, requests.size()), r -> {
      Thread t = new Thread(r, "ecs-deploy-service");
      t.setDaemon(true);
      return t;
    });
    List<Verdict> verdicts = new ArrayList<>();
    try {
      List<Future<Verdict>> running = new ArrayList<>();
      for (UpdateServiceRequest request : requests) {
        running.add(pool.submit(() -> deployOne(request, recorders)));
      }
      for (int i = 0; i < running.size(); i++) {
        try {
          verdicts.add(running.get(i).get());
        } catch (ExecutionException e) {
          RuntimeException cause = e.getCause() instanceof RuntimeException r ? r
              : new ExternalFailureException(String.valueOf(e.getCause()), e.getCause());
          verdicts.add(new Verdict(requests.get(i).service(), null, cause));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ExternalFailureException("Interrupted while watching " + requests.size() + " deployments; ECS keeps"
          + " working on them.", e);
    } finally {
      pool.shutdownNow();
    }
    report(verdicts);
    return verdicts;
  }

  /**
   * What the dry run of one service shows.
   *
   * @param service the service
   * @param taskDefinitionArn the revision register-task-def registered for it, {@code null} when it would register
   *     one (its dry run registers nothing)
   * @param image the image of that revision, when known
   */
  public record Planned(String service, String taskDefinitionArn, String image) {}

  /**
   * The dry run of update-service with several services ({@code -Decs.dryRun=true} with {@code <services>}): one
   * preview per service, each line prefixed with the service, read only. Every service is previewed; the services
   * update-service would refuse (missing, not ACTIVE, another deployment controller) are named together at the end.
   *
   * @param log where the previews go, each line prefixed with its service
   * @param previews a preview writing to the given (service-prefixed) log
   * @throws UserInputException when update-service would refuse any of the services; nothing was changed
   */
  public static void previewAll(DeployLog log, String cluster, List<Planned> planned, Function<DeployLog, DeploymentPreview> previews,
      java.time.Duration timeout) {
    if (planned.isEmpty()) {
      throw new UserInputException(SERVICES, SERVICES.both() + " lists no service. Nothing was changed.");
    }
    log.info("Dry run (" + DryRun.PARAM.both() + "): " + planned.size() + " services, " + (planned.size() == 1
        ? "" : "none of them changed: ") + planned.stream().map(Planned::service).toList());
    List<String> refused = new ArrayList<>();
    for (Planned p : planned) {
      try {
        previews.apply(prefixed(log, p.service())).preview(cluster, p.service(), p.taskDefinitionArn(), p.image(),
            timeout);
      } catch (UserInputException e) {
        refused.add(p.service() + ": " + e.getMessage());
      }
    }
    if (!refused.isEmpty()) {
      throw new UserInputException(SERVICES, "Dry run: update-service would refuse " + refused.size() + " of "
          + planned.size() + " services of " + SERVICES.both() + ":\n  " + String.join("\n  ", refused));
    }
  }

  private Verdict deployOne(UpdateServiceRequest request, Function<String, DeploymentRecorder> recorders) {
    DeployLog prefixed = prefixed(log, request.service());
    try {
      DeploymentResult result = deployers.apply(prefixed).deploy(request, recorders.apply(request.service()));
      return new Verdict(request.service(), result, null);
    } catch (RuntimeException e) {
      return new Verdict(request.service(), null, e);
    }
  }

  private void report(List<Verdict> verdicts) {
    log.info("Verdict per service:");
    for (Verdict v : verdicts) {
      log.info("  " + v.service() + ": " + (v.succeeded() ? v.result().outcome() + " (" + v.result().message()
          + ")" : v.notStarted() ? "NOT STARTED (an earlier service failed; it still runs what it ran)"
          : "FAILED: " + v.failure().getMessage()));
    }
    List<Verdict> failed = verdicts.stream().filter(v -> v.failure() != null).toList();
    if (failed.isEmpty()) {
      return;
    }
    List<Verdict> succeeded = verdicts.stream().filter(Verdict::succeeded).toList();
    StringBuilder m = new StringBuilder();
    m.append(failed.size()).append(" of ").append(verdicts.size()).append(" services failed: ")
        .append(failed.stream().map(Verdict::service).toList()).append(". ");
    List<Verdict> notStarted = verdicts.stream().filter(Verdict::notStarted).toList();
    if (!notStarted.isEmpty()) {
      m.append("Not started: ").append(notStarted.stream().map(Verdict::service).toList())
          .append(" (they still run what they ran). ");
    }
    if (succeeded.isEmpty()) {
      m.append("No service succeeded.");
    } else {
      m.append("Succeeded: ").append(succeeded.stream().map(v -> v.service() + " (" + v.result().outcome() + ")")
          .toList()).append(". Those were left as ECS finished them: nothing rolls them back automatically.");
      List<Verdict> deployed = succeeded.stream().filter(Verdict::deployed).toList();
      if (!deployed.isEmpty()) {
        m.append(" To put them back on their previous revision:");
        for (Verdict v : deployed) {
          m.append("\n  mvn ecs:rollback -Decs.cluster=").append(v.result().cluster()).append(" -Decs.service=")
              .append(v.service());
        }
      }
    }
    for (Verdict v : failed) {
      m.append("\n").append(v.service()).append(": ").append(v.failure().getMessage());
    }
    boolean allUserInput = failed.stream().allMatch(v -> v.failure() instanceof UserInputException);
    if (allUserInput && succeeded.stream().noneMatch(Verdict::deployed)) {
      throw new UserInputException(SERVICES, m.toString());
    }
    throw new DeploymentFailedException(m.toString());
  }

  /** A log whose every line starts with {@code [service] }. */
  static DeployLog prefixed(DeployLog log, String service) {
    String prefix = "[" + service + "] ";
    return DeployLog.forwarding(() -> log, prefix::concat);
  }
}
