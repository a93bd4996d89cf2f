package io.github.ecsdeploy.standin;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Every request the stand-in answered, in order: what tests assert on ("was UpdateService called?", "how
 * many bytes did the push upload?") and what benchmarks read. Thread-safe.
 */
public final class RequestLog {

  /**
   * One answered request.
   *
   * @param time when the answer was sent
   * @param service the JSON target prefix ({@code AmazonEC2ContainerServiceV20141113}), {@code registry} or
   *     {@code sts}
   * @param operation the operation ({@code DescribeServices}) or, for the registry, {@code METHOD /path}
   * @param status the HTTP status sent
   * @param errorType the error type sent, or {@code null}
   * @param bytesIn request body bytes read
   * @param bytesOut response body bytes sent
   * @param injected {@code true} when fault injection produced the answer
   */
  public record Entry(
      Instant time,
      String service,
      String operation,
      int status,
      String errorType,
      long bytesIn,
      long bytesOut,
      boolean injected) {}

  private final List<Entry> entries = new ArrayList<>();

  /** Records one answered request. */
  public void add(Entry entry) {
    synchronized (entries) {
      entries.add(entry);
    }
  }

  /** A snapshot of all entries, oldest first. */
  public List<Entry> entries() {
    synchronized (entries) {
      return List.copyOf(entries);
    }
  }

  /** Entries matching a predicate, oldest first. */
  public List<Entry> entries(Predicate<Entry> filter) {
    return entries().stream().filter(filter).toList();
  }

  /** How many times an operation was answered (any status). */
  public long count(String operation) {
    return entries(e -> e.operation().equals(operation)).size();
  }

  /** The total request body bytes of matching entries (e.g. bytes uploaded to the registry). */
  public long bytesIn(Predicate<Entry> filter) {
    return entries(filter).stream().mapToLong(Entry::bytesIn).sum();
  }

  /** Forgets all entries (between steps of one test). */
  public void clear() {
    synchronized (entries) {
      entries.clear();
    }
  }
}
