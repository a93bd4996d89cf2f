package io.github.ecsdeploy.core;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceEvent;

/**
 * What the user sees while we wait: one progress line when our deployment's counts change, and each new
 * service event once, oldest first. Holds no client: it is fed the snapshots the poller gets.
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
      String progress = progressLine(ours);
      if (!progress.equals(lastProgress)) {
        lastProgress = progress;
        log.info(progress);
      }
    }
  }

  /** {@code hello-svc: 2/3 running, 1 pending, 0 failed — IN_PROGRESS}. */
  String progressLine(Deployment ours) {
    String state = ours.rolloutState() != null ? ours.rolloutStateAsString() : ours.status();
    return serviceName + ": " + DeploymentVerdict.counts(ours) + " \u2014 " + state;
  }

  private static String key(ServiceEvent event) {
    return event.id() != null ? event.id() : Objects.toString(event.createdAt()) + "|" + event.message();
  }
}
