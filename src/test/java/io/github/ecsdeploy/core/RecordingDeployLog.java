package io.github.ecsdeploy.core;

import java.util.ArrayList;
import java.util.List;

/** A {@link DeployLog} that keeps the lines, prefixed with their level. */
final class RecordingDeployLog implements DeployLog {

  final List<String> lines = new ArrayList<>();

  @Override
  public void info(String message) {
    lines.add("INFO " + message);
  }

  @Override
  public void warn(String message) {
    lines.add("WARN " + message);
  }

  @Override
  public void debug(String message) {
    lines.add("DEBUG " + message);
  }

  List<String> infos() {
    return lines.stream().filter(l -> l.startsWith("INFO ")).map(l -> l.substring(5)).toList();
  }
}
