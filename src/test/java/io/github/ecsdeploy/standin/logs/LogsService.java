package io.github.ecsdeploy.standin.logs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.ecsdeploy.standin.AwsErrorException;
import io.github.ecsdeploy.standin.JsonProtocolService;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The CloudWatch Logs part of the stand-in (AWS JSON 1.1, {@code X-Amz-Target: Logs_20140328.*}): log groups, log
 * streams and their events, enough for a client that follows a container's {@code awslogs} output with
 * GetLogEvents. Operations: CreateLogGroup and GetLogEvents.
 *
 * <p>Events are written ahead with the instant they happen (the ECS stand-in schedules a task's output when the
 * task is launched, see {@link #scheduleStream}); a stream and its events become visible only once
 * {@code clock.instant()} reaches them, so a client polling GetLogEvents sees the output grow as the task runs.
 *
 * <p>Modelled on the API reference of GetLogEvents,
 * https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_GetLogEvents.html : events in
 * ascending timestamp order; {@code startFromHead} false (the default) answers the latest events; the answer
 * always carries {@code nextForwardToken} and {@code nextBackwardToken}, and "if you have reached the end of the
 * stream, it returns the same token you passed in"; {@code startTime} inclusive, {@code endTime} exclusive (both
 * milliseconds since the epoch); at most 10,000 events per answer; a missing group or stream is
 * {@code ResourceNotFoundException} ("The specified log group does not exist." / "The specified log stream does
 * not exist."). Ingestion delay is not modelled: an event is readable at its own timestamp.
 */
public final class LogsService implements JsonProtocolService {

  /** The {@code X-Amz-Target} prefix of CloudWatch Logs. */
  public static final String TARGET_PREFIX = "Logs_20140328";

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final int MAX_EVENTS = 10_000;
  // The tokens AWS hands out look like "f/3876...s/"; ours carry the index of the next event to read.
  private static final Pattern TOKEN = Pattern.compile("([fb])/(\\d{56})");
  // https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html
  private static final Pattern GROUP_NAME = Pattern.compile("[.\\-_/#A-Za-z0-9]{1,512}");

  private final Clock clock;
  private final Map<String, Map<String, Stream>> groups = new LinkedHashMap<>();

  /** One event as written: when it happened and its text. */
  public record Event(Instant timestamp, String message) {
    public Event {
      Objects.requireNonNull(timestamp, "timestamp");
      Objects.requireNonNull(message, "message");
    }
  }

  public LogsService(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public String targetPrefix() {
    return TARGET_PREFIX;
  }

  @Override
  public synchronized JsonNode handle(String operation, JsonNode request) {
    return switch (operation) {
      case "CreateLogGroup" -> createLogGroup(request);
      case "GetLogEvents" -> getLogEvents(request);
      default -> throw new AwsErrorException(400, "UnknownOperationException", null);
    };
  }

  // ---------------------------------------------------------------------------------------------------------
  // Test controls and the ECS stand-in's writer

  /** Creates a log group (idempotent here; the API answers ResourceAlreadyExistsException). */
  public synchronized void createGroup(String group) {
    groups.computeIfAbsent(group, g -> new LinkedHashMap<>());
  }

  /** Whether the group exists. */
  public synchronized boolean hasGroup(String group) {
    return groups.containsKey(group);
  }

  /**
   * Creates (or extends) a stream that appears at {@code createdAt} and holds {@code events}, each readable from
   * its own timestamp on. The group must exist.
   */
  public synchronized void scheduleStream(String group, String stream, Instant createdAt, List<Event> events) {
    Map<String, Stream> streams = groups.get(group);
    if (streams == null) {
      throw new IllegalStateException("No log group " + group);
    }
    Stream s = streams.computeIfAbsent(stream, name -> new Stream(createdAt));
    s.events.addAll(events);
    s.events.sort((a, b) -> a.timestamp().compareTo(b.timestamp()));
  }

  /** Every message of a stream written so far and to come (for assertions). */
  public synchronized List<String> messages(String group, String stream) {
    Map<String, Stream> streams = groups.get(group);
    Stream s = streams == null ? null : streams.get(stream);
    return s == null ? List.of() : s.events.stream().map(Event::message).toList();
  }

  // ---------------------------------------------------------------------------------------------------------
  // Operations

  private JsonNode createLogGroup(JsonNode req) {
    String name = text(req, "logGroupName");
    if (name == null || !GROUP_NAME.matcher(name).matches()) {
      throw AwsErrorException.client("InvalidParameterException", "1 validation error detected: Value '" + name
          + "' at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern:"
          + " [\\.\\-_/#A-Za-z0-9]+");
    }
    if (groups.containsKey(name)) {
      throw AwsErrorException.client("ResourceAlreadyExistsException", "The specified log group already exists");
    }
    groups.put(name, new LinkedHashMap<>());
    return NODES.objectNode();
  }

  private JsonNode getLogEvents(JsonNode req) {
    String group = text(req, "logGroupName");
    String identifier = text(req, "logGroupIdentifier");
    if (group != null && identifier != null) {
      throw AwsErrorException.client("InvalidParameterException",
          "LogGroup name and LogGroup ARN are mutually exclusive parameters.");
    }
    if (group == null && identifier != null) {
      // logGroupIdentifier: the name or the ARN arn:aws:logs:<region>:<account>:log-group:<name>
      int at = identifier.indexOf(":log-group:");
      group = at < 0 ? identifier : identifier.substring(at + ":log-group:".length()).replaceFirst(":\\*$", "");
    }
    String streamName = text(req, "logStreamName");
    if (group == null || streamName == null) {
      throw AwsErrorException.client("InvalidParameterException",
          "Either logGroupName or logGroupIdentifier, and logStreamName are required.");
    }
    Instant now = clock.instant();
    Map<String, Stream> streams = groups.get(group);
    if (streams == null) {
      throw AwsErrorException.client("ResourceNotFoundException", "The specified log group does not exist.");
    }
    Stream stream = streams.get(streamName);
    if (stream == null || stream.createdAt.isAfter(now)) {
      throw AwsErrorException.client("ResourceNotFoundException", "The specified log stream does not exist.");
    }
    Long startTime = req.hasNonNull("startTime") ? req.get("startTime").asLong() : null;
    Long endTime = req.hasNonNull("endTime") ? req.get("endTime").asLong() : null;
    int limit = req.hasNonNull("limit") ? req.get("limit").asInt() : MAX_EVENTS;
    if (limit < 1 || limit > MAX_EVENTS) {
      throw AwsErrorException.client("InvalidParameterException",
          "1 validation error detected: Value '" + limit + "' at 'limit' failed to satisfy constraint: Member must"
              + " have value between 1 and 10000");
    }
    List<Event> visible = new ArrayList<>();
    for (Event e : stream.events) {
      long ms = e.timestamp().toEpochMilli();
      if (!e.timestamp().isAfter(now) && (startTime == null || ms >= startTime) && (endTime == null || ms < endTime)) {
        visible.add(e);
      }
    }
    String token = text(req, "nextToken");
    boolean fromHead = req.path("startFromHead").asBoolean(false);
    int from;
    int to;
    if (token != null) {
      Matcher m = TOKEN.matcher(token);
      if (!m.matches()) {
        throw AwsErrorException.client("InvalidParameterException", "The specified nextToken is invalid.");
      }
      int position = Math.min(Integer.parseInt(m.group(2).replaceFirst("^0+(?=.)", "")), visible.size());
      if (m.group(1).equals("f")) {
        from = position;
        to = Math.min(visible.size(), from + limit);
      } else {
        to = position;
        from = Math.max(0, to - limit);
      }
    } else if (fromHead) {
      from = 0;
      to = Math.min(visible.size(), limit);
    } else {
      to = visible.size();
      from = Math.max(0, to - limit);
    }
    ObjectNode out = NODES.objectNode();
    ArrayNode events = out.putArray("events");
    for (Event e : visible.subList(from, to)) {
      events.addObject()
          .put("timestamp", e.timestamp().toEpochMilli())
          .put("message", e.message())
          .put("ingestionTime", e.timestamp().toEpochMilli());
    }
    // "If you have reached the end of the stream, it returns the same token you passed in."
    boolean forwardAtEnd = token != null && token.startsWith("f/") && from == to;
    boolean backwardAtEnd = token != null && token.startsWith("b/") && from == to;
    out.put("nextForwardToken", forwardAtEnd ? token : token("f", to));
    out.put("nextBackwardToken", backwardAtEnd ? token : token("b", from));
    return out;
  }

  private static String token(String direction, int position) {
    return direction + "/" + String.format("%056d", position);
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n == null ? null : n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static final class Stream {
    final Instant createdAt;
    final List<Event> events = new ArrayList<>();

    Stream(Instant createdAt) {
      this.createdAt = createdAt;
    }
  }
}
