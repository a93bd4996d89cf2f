package io.github.ecsdeploy.maven;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.maven.plugin.logging.Log;

/**
 * A Maven {@link Log} that records every line as {@code LEVEL message}; debug enabled. Safe to write from several
 * threads: push-image logs from Jib's worker threads, and an unsynchronised list lost lines or threw
 * {@code ArrayIndexOutOfBoundsException} when two of them appended at once.
 */
final class RecordingLog implements Log {

  final List<String> lines = new CopyOnWriteArrayList<>();

  private void add(String level, CharSequence content, Throwable error) {
    lines.add(level + " " + (content == null ? "" : content) + (error == null ? "" : " [" + error + "]"));
  }

  List<String> at(String level) {
    return lines.stream().filter(l -> l.startsWith(level + " ")).toList();
  }

  @Override
  public boolean isDebugEnabled() {
    return true;
  }

  @Override
  public void debug(CharSequence content) {
    add("DEBUG", content, null);
  }

  @Override
  public void debug(CharSequence content, Throwable error) {
    add("DEBUG", content, error);
  }

  @Override
  public void debug(Throwable error) {
    add("DEBUG", null, error);
  }

  @Override
  public boolean isInfoEnabled() {
    return true;
  }

  @Override
  public void info(CharSequence content) {
    add("INFO", content, null);
  }

  @Override
  public void info(CharSequence content, Throwable error) {
    add("INFO", content, error);
  }

  @Override
  public void info(Throwable error) {
    add("INFO", null, error);
  }

  @Override
  public boolean isWarnEnabled() {
    return true;
  }

  @Override
  public void warn(CharSequence content) {
    add("WARN", content, null);
  }

  @Override
  public void warn(CharSequence content, Throwable error) {
    add("WARN", content, error);
  }

  @Override
  public void warn(Throwable error) {
    add("WARN", null, error);
  }

  @Override
  public boolean isErrorEnabled() {
    return true;
  }

  @Override
  public void error(CharSequence content) {
    add("ERROR", content, null);
  }

  @Override
  public void error(CharSequence content, Throwable error) {
    add("ERROR", content, error);
  }

  @Override
  public void error(Throwable error) {
    add("ERROR", null, error);
  }
}
