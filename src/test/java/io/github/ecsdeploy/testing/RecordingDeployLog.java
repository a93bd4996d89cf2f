package io.github.ecsdeploy.testing;

import io.github.ecsdeploy.core.DeployLog;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link DeployLog} for tests that keeps every line in order, prefixed with its level ({@code "INFO "},
 * {@code "WARN "}, {@code "DEBUG "}). Safe to write from several threads (Jib logs from its own).
 */
public final class RecordingDeployLog implements DeployLog {

  private static final String INFO = "INFO ";
  private static final String WARN = "WARN ";
  private static final String DEBUG = "DEBUG ";

  /** Every line at every level, prefixed with its level. */
  public final List<String> lines = new CopyOnWriteArrayList<>();

  @Override
  public void info(String message) {
    lines.add(INFO + message);
  }

  @Override
  public void warn(String message) {
    lines.add(WARN + message);
  }

  @Override
  public void debug(String message) {
    lines.add(DEBUG + message);
  }

  /** The info messages, without the prefix. */
  public List<String> infos() {
    return at(INFO);
  }

  /** The warnings, without the prefix. */
  public List<String> warns() {
    return at(WARN);
  }

  /** The debug messages, without the prefix. */
  public List<String> debugs() {
    return at(DEBUG);
  }

  /** Whether some info message contains {@code fragment}. */
  public boolean infoContains(String fragment) {
    return infos().stream().anyMatch(m -> m.contains(fragment));
  }

  /** Whether some warning contains {@code fragment}. */
  public boolean warnContains(String fragment) {
    return warns().stream().anyMatch(m -> m.contains(fragment));
  }

  /** Every line, prefixed with its level, one per line: for assertion messages and whole-log searches. */
  public String joined() {
    return String.join("\n", lines);
  }

  @Override
  public String toString() {
    return joined();
  }

  private List<String> at(String prefix) {
    return lines.stream().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length())).toList();
  }
}
