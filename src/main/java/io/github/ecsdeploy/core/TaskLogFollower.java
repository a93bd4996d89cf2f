package io.github.ecsdeploy.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.GetLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.OutputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.LogDriver;

/**
 * Follows the {@code awslogs} output of one container of a running task with CloudWatch Logs GetLogEvents and
 * prints each new line as {@code [container] line}. The stream is {@code <awslogs-stream-prefix>/<container
 * name>/<task id>} (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/using_awslogs.html); it exists
 * only once the container started, so "does not exist" means "not yet". Reading forward uses
 * {@code startFromHead} with {@code nextForwardToken}, which comes back unchanged at the end of the stream
 * (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_GetLogEvents.html).
 *
 * <p>Following is best effort: when the output cannot be read (no prefix, another region, a role without
 * {@code logs:GetLogEvents}), one line says where the output is and the task is still watched.
 */
final class TaskLogFollower {

  /** How many of the last lines are kept for the failure message. */
  static final int TAIL = 10;
  /** GetLogEvents calls per poll at most, so a chatty task cannot stall the watch. */
  private static final int MAX_PAGES_PER_POLL = 5;

  private final Supplier<CloudWatchLogsClient> logs;
  private final DeployLog log;
  private final String container;
  private final String group;
  private final String stream;
  private final Deque<String> tail = new ArrayDeque<>();
  private String token;
  private boolean disabled;
  private int lines;

  private TaskLogFollower(Supplier<CloudWatchLogsClient> logs, DeployLog log, String container, String group,
      String stream, String why) {
    this.logs = logs;
    this.log = log;
    this.container = container;
    this.group = group;
    this.stream = stream;
    if (why != null) {
      disabled = true;
      log.info("Not following the output of container " + container + ": " + why);
    } else {
      log.info("Following the output of container " + container + " (CloudWatch Logs group " + group + ", stream "
          + stream + ")");
    }
  }

  /**
   * A follower for the container, which says once why it cannot follow when the container does not log with
   * awslogs to this region with a stream prefix.
   */
  static TaskLogFollower forContainer(Supplier<CloudWatchLogsClient> logs, DeployLog log, ContainerDefinition cd,
      String taskId, String region) {
    if (cd.logConfiguration() == null || cd.logConfiguration().logDriver() != LogDriver.AWSLOGS) {
      return new TaskLogFollower(logs, log, cd.name(), null, null, "it does not use the awslogs log driver ("
          + (cd.logConfiguration() == null ? "no logConfiguration" : cd.logConfiguration().logDriverAsString())
          + ")");
    }
    Map<String, String> options = cd.logConfiguration().options();
    String group = options.get("awslogs-group");
    String prefix = options.get("awslogs-stream-prefix");
    String logRegion = options.get("awslogs-region");
    if (group == null || prefix == null) {
      return new TaskLogFollower(logs, log, cd.name(), null, null, "its awslogs options have no "
          + (group == null ? "awslogs-group" : "awslogs-stream-prefix, so the stream is named after the container's"
              + " runtime id") + "; see the task in the ECS console");
    }
    if (logRegion != null && !logRegion.equals(region)) {
      return new TaskLogFollower(logs, log, cd.name(), null, null, "it logs to region " + logRegion + " (group "
          + group + ", stream " + prefix + "/" + cd.name() + "/" + taskId + "), not " + region);
    }
    return new TaskLogFollower(logs, log, cd.name(), group, prefix + "/" + cd.name() + "/" + taskId, null);
  }

  /** Prints the lines written since the last call. */
  void poll() {
    if (disabled) {
      return;
    }
    for (int page = 0; page < MAX_PAGES_PER_POLL; page++) {
      GetLogEventsResponse response;
      try {
        response = logs.get().getLogEvents(b -> b.logGroupName(group).logStreamName(stream).startFromHead(true)
            .nextToken(token));
      } catch (ResourceNotFoundException e) {
        return; // the container has not started yet
      } catch (SdkException e) {
        disabled = true;
        log.warn("Cannot read the output of container " + container + " (CloudWatch Logs group " + group
            + ", stream " + stream + "): " + e.getMessage() + ". Still watching the task.");
        return;
      }
      for (OutputLogEvent event : response.events()) {
        String line = event.message() == null ? "" : event.message().stripTrailing();
        log.info("[" + container + "] " + line);
        lines++;
        tail.addLast(line);
        if (tail.size() > TAIL) {
          tail.removeFirst();
        }
      }
      boolean end = response.events().isEmpty() || response.nextForwardToken() == null
          || response.nextForwardToken().equals(token);
      token = response.nextForwardToken();
      if (end) {
        return;
      }
    }
  }

  /** The last lines printed, oldest first. */
  List<String> tail() {
    return new ArrayList<>(tail);
  }

  int lines() {
    return lines;
  }

  String container() {
    return container;
  }

  boolean following() {
    return !disabled;
  }
}
