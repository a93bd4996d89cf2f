package io.github.ecsdeploy.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.GetLogEventsRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.GetLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.OutputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;

/**
 * A {@link CloudWatchLogsClient} holding one log stream, for unit tests of a reader that follows it with
 * GetLogEvents ({@code startFromHead} and {@code nextForwardToken}). It answers as the API reference says
 * (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_GetLogEvents.html): events oldest first,
 * at most {@code pageSize} per answer, always a {@code nextForwardToken}, and "if you have reached the end of the
 * stream, it returns the same token you passed in"; a stream that does not exist yet is ResourceNotFoundException.
 * The tokens are ours ({@code f/<index of the next event>}), opaque to the reader. Every other operation throws
 * {@link UnsupportedOperationException} (the interface's default).
 */
public final class ScriptedLogs implements CloudWatchLogsClient {

  private final List<String> events = new ArrayList<>();
  private final List<RuntimeException> failures = new ArrayList<>();
  private boolean streamExists;
  private int pageSize = 10_000;

  /** Every GetLogEvents request, in order. */
  public final List<GetLogEventsRequest> requests = new ArrayList<>();

  /** The stream now exists and these lines were written to it (after the ones before). */
  public ScriptedLogs write(String... lines) {
    streamExists = true;
    events.addAll(Arrays.asList(lines)); // a null message is possible in the model
    return this;
  }

  /** At most this many events per answer. */
  public ScriptedLogs pageSize(int size) {
    this.pageSize = size;
    return this;
  }

  /** The next GetLogEvents calls throw these, in order, before answering again. */
  public ScriptedLogs failNext(RuntimeException... errors) {
    failures.addAll(List.of(errors));
    return this;
  }

  @Override
  public GetLogEventsResponse getLogEvents(GetLogEventsRequest request) {
    requests.add(request);
    if (!failures.isEmpty()) {
      throw failures.remove(0);
    }
    if (!streamExists) {
      throw ResourceNotFoundException.builder().statusCode(400).message("The specified log stream does not exist.")
          .build();
    }
    if (!Boolean.TRUE.equals(request.startFromHead())) {
      throw new UnsupportedOperationException("only startFromHead=true is scripted");
    }
    int from = request.nextToken() == null ? 0 : Integer.parseInt(request.nextToken().substring(2));
    int to = Math.min(events.size(), from + pageSize);
    List<OutputLogEvent> page = new ArrayList<>();
    for (int i = from; i < to; i++) {
      page.add(OutputLogEvent.builder().timestamp(1_000L * i).message(events.get(i)).build());
    }
    String token = to == from && request.nextToken() != null ? request.nextToken() : "f/" + to;
    return GetLogEventsResponse.builder().events(page).nextForwardToken(token).nextBackwardToken("b/" + from)
        .build();
  }

  @Override
  public String serviceName() {
    return "logs";
  }

  @Override
  public void close() {}
}
