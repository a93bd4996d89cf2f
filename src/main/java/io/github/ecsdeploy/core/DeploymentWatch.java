package io.github.ecsdeploy.core;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceDeployment;
import software.amazon.awssdk.services.ecs.model.ServiceEvent;

/**
 * What the user sees while we wait: one progress line when our deployment's counts, state or lifecycle stage
 * change, and each new service event once, oldest first. Holds no client: it is fed what the poller reads.
 */
final class DeploymentWatch {

  private final String serviceName;
  private final DeployLog log;
  private final Set<String> seenEvents = new HashSet<>();
  private String lastProgress;

  DeploymentWatch(String serviceName, DeployLog log) {
    this.serviceName = serviceName;
    this.log = log;
  }

  /** Marks every event in {@code before} (the service before our call) as seen, so only newer ones print. */
  void ignoreEventsOf(Service before) {
    for (ServiceEvent event : before.events()) {
      seenEvents.add(key(event));
    }
  }

  /** Prints the new events of {@code service}, then our deployment's counts if they changed. */
  void report(Service service, Deployment ours) {
    report(service, ours, null);
  }

  /**
   * Prints the new events of {@code service}, then our deployment's progress if it changed: the counts of
   * {@code ours} and, when known, the status and lifecycle stage of our service deployment {@code sd}.
   */
  void report(Service service, Deployment ours, ServiceDeployment sd) {
    List<ServiceEvent> newestFirst = service.events();
    List<ServiceEvent> fresh = new ArrayList<>();
    for (int i = newestFirst.size() - 1; i >= 0; i--) {
      ServiceEvent event = newestFirst.get(i);
      if (seenEvents.add(key(event))) {
        fresh.add(event);
      }
    }
    for (ServiceEvent event : fresh) {
      log.info(serviceName + " event " + event.createdAt() + ": " + event.message());
    }
    if (ours != null) {
      String progress = progressLine(ours, sd);
      if (!progress.equals(lastProgress)) {
        lastProgress = progress;
        log.info(progress);
      }
    }
  }

  /** {@code hello-svc: 2/3 running, 1 pending, 0 failed — IN_PROGRESS}. */
  String progressLine(Deployment ours) {
    return progressLine(ours, null);
  }

  /**
   * {@code hello-svc: 2/3 running, 1 pending, 0 failed — IN_PROGRESS}, and with a service deployment
   * {@code hello-svc: 3/3 running, 0 pending, 0 failed — IN_PROGRESS, stage BAKE_TIME}.
   */
  String progressLine(Deployment ours, ServiceDeployment sd) {
    String state = ours.rolloutState() != null ? ours.rolloutStateAsString() : ours.status();
    if (sd != null && sd.lifecycleStage() != null) {
      state += ", stage " + sd.lifecycleStageAsString();
    }
    return serviceName + ": " + DeploymentVerdict.counts(ours) + " \u2014 " + state;
  }

  private static String key(ServiceEvent event) {
    return event.id() != null ? event.id() : Objects.toString(event.createdAt()) + "|" + event.message();
  }
}
