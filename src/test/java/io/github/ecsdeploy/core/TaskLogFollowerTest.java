package io.github.ecsdeploy.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ecsdeploy.testing.RecordingDeployLog;
import io.github.ecsdeploy.testing.ScriptedLogs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatchlogs.model.CloudWatchLogsException;
import software.amazon.awssdk.services.cloudwatchlogs.model.GetLogEventsRequest;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.LogDriver;

/**
 * Following a container's {@code awslogs} output with GetLogEvents: where the stream is, paging forward with
 * {@code nextForwardToken} (the same token back means the end), every line printed once and in order, a bounded
 * number of pages per poll, a stream that does not exist yet, and a reader that may not read it. CloudWatch Logs
 * is the hand-written {@link ScriptedLogs}, which answers as the API reference of GetLogEvents says.
 */
class TaskLogFollowerTest {

  private final RecordingDeployLog log = new RecordingDeployLog();
  private final ScriptedLogs logs = new ScriptedLogs();

  private static ContainerDefinition awslogs(Map<String, String> options) {
    return ContainerDefinition.builder().name("app").logConfiguration(l -> l.logDriver(LogDriver.AWSLOGS)
        .options(options)).build();
  }

  private TaskLogFollower follower() {
    return TaskLogFollower.forContainer(() -> logs, log, awslogs(Map.of("awslogs-group", "/ecs/web",
        "awslogs-stream-prefix", "ecs", "awslogs-region", "eu-west-1")), "0f9a8b", "eu-west-1");
  }

  private List<String> printed() {
    return log.infos().stream().filter(l -> l.startsWith("[app] ")).map(l -> l.substring(6)).toList();
  }

  private static String[] lines(int from, int to) {
    return IntStream.rangeClosed(from, to).mapToObj(i -> "line " + i).toArray(String[]::new);
  }

  // ---- where the stream is ---------------------------------------------------------------------------------

  @Test
  void theStreamIsPrefixContainerAndTaskIdInTheGroupOfTheContainer() {
    TaskLogFollower follower = follower();
    logs.write("hello");

    follower.poll();

    GetLogEventsRequest first = logs.requests.get(0);
    assertEquals("/ecs/web", first.logGroupName());
    assertEquals("ecs/app/0f9a8b", first.logStreamName());
    assertTrue(first.startFromHead());
    assertNull(first.nextToken(), "the first read starts at the head");
    assertTrue(follower.following());
    assertEquals("app", follower.container());
    assertEquals(List.of("Following the output of container app (CloudWatch Logs group /ecs/web, stream"
        + " ecs/app/0f9a8b)", "[app] hello"), log.infos());
  }

  @Test
  void aContainerWithoutAwslogsIsNotFollowedAndSaysWhy() {
    TaskLogFollower none = TaskLogFollower.forContainer(() -> logs, log,
        ContainerDefinition.builder().name("app").build(), "t1", "eu-west-1");
    TaskLogFollower splunk = TaskLogFollower.forContainer(() -> logs, log, ContainerDefinition.builder().name("app")
        .logConfiguration(l -> l.logDriver(LogDriver.SPLUNK)).build(), "t1", "eu-west-1");
    none.poll();
    splunk.poll();

    assertFalse(none.following());
    assertFalse(splunk.following());
    assertTrue(logs.requests.isEmpty(), "nothing to read");
    assertEquals(List.of(
        "Not following the output of container app: it does not use the awslogs log driver (no logConfiguration)",
        "Not following the output of container app: it does not use the awslogs log driver (splunk)"), log.infos());
  }

  @Test
  void withoutAGroupOrAStreamPrefixTheStreamCannotBeNamed() {
    TaskLogFollower noGroup = TaskLogFollower.forContainer(() -> logs, log,
        awslogs(Map.of("awslogs-stream-prefix", "ecs")), "t1", "eu-west-1");
    TaskLogFollower noPrefix = TaskLogFollower.forContainer(() -> logs, log,
        awslogs(Map.of("awslogs-group", "/ecs/web")), "t1", "eu-west-1");

    assertFalse(noGroup.following());
    assertFalse(noPrefix.following());
    assertEquals(List.of(
        "Not following the output of container app: its awslogs options have no awslogs-group; see the task in the"
            + " ECS console",
        "Not following the output of container app: its awslogs options have no awslogs-stream-prefix, so the"
            + " stream is named after the container's runtime id; see the task in the ECS console"), log.infos());
  }

  @Test
  void aContainerLoggingToAnotherRegionIsNotFollowedButItsStreamIsNamed() {
    TaskLogFollower other = TaskLogFollower.forContainer(() -> logs, log, awslogs(Map.of("awslogs-group",
        "/ecs/web", "awslogs-stream-prefix", "ecs", "awslogs-region", "us-east-1")), "t1", "eu-west-1");
    TaskLogFollower unsaid = TaskLogFollower.forContainer(() -> logs, log, awslogs(Map.of("awslogs-group",
        "/ecs/web", "awslogs-stream-prefix", "ecs")), "t1", "eu-west-1");

    assertFalse(other.following());
    assertTrue(unsaid.following(), "without awslogs-region the task's own region is used");
    assertEquals("Not following the output of container app: it logs to region us-east-1 (group /ecs/web, stream"
        + " ecs/app/t1), not eu-west-1", log.infos().get(0));
  }

  // ---- reading forward -------------------------------------------------------------------------------------

  @Test
  void everyLineIsPrintedOnceInOrderAcrossPagesAndPolls() {
    logs.pageSize(2).write(lines(1, 5));
    TaskLogFollower follower = follower();

    follower.poll();
    logs.write(lines(6, 7));
    follower.poll();
    follower.poll();

    assertEquals(List.of(lines(1, 7)), printed());
    assertEquals(7, follower.lines());
    List<String> tokens = new ArrayList<>();
    logs.requests.forEach(r -> tokens.add(r.nextToken()));
    // pages of 2, 2 and 1, then the end (the same token back); the next poll goes on from there
    assertEquals(java.util.Arrays.asList(null, "f/2", "f/4", "f/5", "f/5", "f/7", "f/7"), tokens);
  }

  @Test
  void aChattyContainerIsReadAtMostFivePagesPerPollSoTheWatchGoesOn() {
    logs.pageSize(1).write(lines(1, 8));
    TaskLogFollower follower = follower();

    follower.poll();
    assertEquals(List.of(lines(1, 5)), printed());
    assertEquals(5, logs.requests.size());

    follower.poll();
    assertEquals(List.of(lines(1, 8)), printed(), "the rest at the next poll, from where the last one stopped");
  }

  @Test
  void theTailKeepsTheLastTenLinesOldestFirst() {
    logs.write(lines(1, 12));
    TaskLogFollower follower = follower();

    assertEquals(List.of(), follower.tail());
    follower.poll();

    assertEquals(List.of(lines(3, 12)), follower.tail());
    assertEquals(12, follower.lines());
  }

  @Test
  void trailingWhitespaceIsDroppedAndAnEventWithoutMessageIsAnEmptyLine() {
    logs.write("  indented\tand trailing  \r\n", null);
    TaskLogFollower follower = follower();

    follower.poll();

    assertEquals(List.of("  indented\tand trailing", ""), printed());
    assertEquals(List.of("  indented\tand trailing", ""), follower.tail());
  }

  @Test
  void aStreamThatDoesNotExistYetIsReadAgainAtTheNextPoll() {
    TaskLogFollower follower = follower();

    follower.poll();
    assertTrue(follower.following(), "the container has not started yet");
    assertTrue(log.warns().isEmpty(), log.warns().toString());

    logs.write("started");
    follower.poll();
    assertEquals(List.of("started"), printed());
  }

  @Test
  void aStreamThatCannotBeReadIsSaidOnceAndTheTaskIsStillWatched() {
    logs.failNext(CloudWatchLogsException.builder().statusCode(400).message("User is not authorized to perform:"
        + " logs:GetLogEvents").build());
    TaskLogFollower follower = follower();

    follower.poll();
    logs.write("never read");
    follower.poll();

    assertFalse(follower.following());
    assertEquals(1, logs.requests.size(), "no further reads");
    assertEquals(List.of("Cannot read the output of container app (CloudWatch Logs group /ecs/web, stream"
        + " ecs/app/0f9a8b): User is not authorized to perform: logs:GetLogEvents. Still watching the task."),
        log.warns());
    assertTrue(printed().isEmpty());
  }
}
