package io.github.ecsdeploy.core;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import software.amazon.awssdk.services.ecs.EcsClient;

/**
 * The {@code ecs:rollback} logic: {@link RollbackPlanner} decides the target, this prints from -> to before
 * anything changes, registers a pinned revision when the target tag runs in none, and deploys the target with
 * {@link ServiceDeployer}, the watcher update-service uses, so the outcome, the outputs and the failure
 * reporting are the same. A dry run stops after printing the plan.
 */
public final class ServiceRollback {

  private final ServiceView view;
  private final EcsClient ecs;
  private final DeployLog log;
  private final Clock clock;
  private final Sleeper sleeper;
  private final String region;

  /**
   * @param view reads the service, revisions, history and ECR
   * @param ecs the client the registrar and the deployer use
   * @param log where the plan and the progress go
   * @param clock time of the deployer
   * @param sleeper waits of the deployer
   * @param region the region, for messages
   */
  public ServiceRollback(ServiceView view, EcsClient ecs, DeployLog log, Clock clock, Sleeper sleeper,
      String region) {
    this.view = Objects.requireNonNull(view, "view");
    this.ecs = Objects.requireNonNull(ecs, "ecs");
    this.log = Objects.requireNonNull(log, "log");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    this.region = region;
  }

  /**
   * What to roll back and how to wait.
   *
   * @param target what to go back to
   * @param dryRun print the plan and change nothing
   * @param waitForCompletion watch the deployment until it finishes
   * @param pollInterval time between two looks while waiting
   * @param timeout how long to wait
   */
  public record Request(
      RollbackPlanner.Request target, boolean dryRun, boolean waitForCompletion, Duration pollInterval,
      Duration timeout) {}

  /**
   * Plans and, unless a dry run, deploys.
   *
   * @param recorders the recorder of the deployment, given the ARN rolled back from
   * @return the deployment's result; empty for a dry run
   * @throws UserInputException nothing to roll back to, unknown tag or revision; nothing was changed
   * @throws DeploymentFailedException the rollback deployment failed (the outputs say how)
   */
  public Optional<DeploymentResult> rollback(Request request, Function<String, DeploymentRecorder> recorders) {
    RollbackPlanner.Plan plan = new RollbackPlanner(view, log).plan(request.target());
    log.info("Rollback of service " + plan.service() + " in cluster " + plan.cluster() + " (container "
        + plan.container() + "): " + plan.reason() + ".");
    log.info("  from " + plan.from().describe());
    log.info("  to   " + plan.to().describe());
    if (request.dryRun()) {
      log.info("Dry run (" + DryRun.PARAM.both() + "): " + switch (plan.action()) {
        case DEPLOY -> "would deploy " + plan.to().label() + " and wait for it";
        case REGISTER_AND_DEPLOY -> "would register a revision from " + plan.from().label() + " with image "
            + plan.to().image() + " in container " + plan.container() + ", then deploy it";
        case ALREADY_RUNNING -> "the service already runs it; nothing would be deployed";
      } + ". Nothing was changed.");
      return Optional.empty();
    }
    String arn = plan.to().taskDefinitionArn();
    if (plan.action() == RollbackPlanner.Action.REGISTER_AND_DEPLOY) {
      RegisteredTaskDefinition registered = new TaskDefinitionRegistrar(ecs, log).register(
          new TaskDefinitionRegistrar.Request(region, plan.cluster(), plan.service(),
              plan.from().taskDefinitionArn(), null, plan.container(), plan.to().image(), null, null, null));
      arn = registered.taskDefinitionArn();
    }
    UpdateServiceRequest deploy = new UpdateServiceRequest(plan.cluster(), plan.service(), arn, plan.to().image(),
        false, request.waitForCompletion(), request.pollInterval(), request.timeout());
    return Optional.of(new ServiceDeployer(ecs, log, clock, sleeper)
        .deploy(deploy, recorders.apply(plan.from().taskDefinitionArn())));
  }
}
