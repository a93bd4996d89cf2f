package io.github.ecsdeploy.maven;

import io.github.ecsdeploy.core.DeployLog;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.maven.plugin.logging.Log;

/**
 * One goal's output as a collapsible section of a GitLab CI job log, when running under GitLab
 * ({@code GITLAB_CI=true}); plain output elsewhere.
 *
 * <p>GitLab decides whether a section is collapsed from its start marker only ({@code section_end} takes no
 * options), and the outcome of a goal is known only at its end. So the goal's detail streams live into a
 * section that starts collapsed; on success the section is closed and stays collapsed, and any warnings are
 * repeated below it so they stay visible. On failure the section is closed and its lines are repeated in a
 * second, open section right above Maven's error, so the reader sees what led to the failure without expanding
 * anything. The goals that wait for a deployment ({@link #EXPANDED_GOALS}) start expanded instead, so a user
 * watching the job sees the rollout's progress without a click; their lines are already in view on failure and
 * are not repeated.
 *
 * <p>Markers do not go through Maven's log: Maven prints through Jansi, which strips escape sequences
 * whenever standard output is not a terminal (always so in CI, and with {@code -B}), and GitLab recognises a
 * marker only with its {@code \e[0K} parts. They are written, each on a line of its own, straight to the
 * process's standard output after Maven's stream is flushed ({@link #RAW_STDOUT}), in GitLab's format:
 * {@code \e[0Ksection_start:<unix seconds>:<id>[collapsed=true]\r\e[0K<header>} and
 * {@code \e[0Ksection_end:<unix seconds>:<id>\r\e[0K}, ids of {@code [a-z0-9_.-]} only.
 */
final class GitLabSection {

  /** Goals whose section starts expanded: they wait for a deployment, and the wait is what a user watches. */
  static final java.util.Set<String> EXPANDED_GOALS = java.util.Set.of("update-service", "rollback");

  /** The variable GitLab's runner sets in every job. */
  static final String ENV_GITLAB_CI = "GITLAB_CI";

  /** The most lines repeated in the open section of a failure; earlier ones stay in the collapsed one. */
  static final int MAX_REPLAYED_LINES = 300;

  private static final String ESC = "\u001b";
  private static final AtomicInteger SEQUENCE = new AtomicInteger();
  private static final OutputStream STDOUT = new FileOutputStream(FileDescriptor.out);

  /**
   * Writes a marker line to the process's standard output, past Jansi (which would strip its escape
   * sequences), after flushing what Maven's log has written so far, so the marker keeps its place.
   */
  static final Consumer<String> RAW_STDOUT = text -> {
    System.out.flush();
    synchronized (STDOUT) {
      try {
        STDOUT.write((text + "\n").getBytes(StandardCharsets.UTF_8));
        STDOUT.flush();
      } catch (IOException e) {
        // a log section marker is cosmetic: losing one must not fail the build
      }
    }
  };

  private final Log log;
  private final Consumer<String> markers;
  private final Clock clock;
  private final String id;
  private final String header;
  private final boolean enabled;
  private final boolean collapsed;
  private final List<Line> lines = new ArrayList<>();
  private final DeployLog deployLog;

  private GitLabSection(
      Log log, Consumer<String> markers, Clock clock, String id, String header, boolean enabled,
      boolean collapsed) {
    this.log = log;
    this.collapsed = collapsed;
    this.markers = markers;
    this.clock = clock;
    this.id = id;
    this.header = header;
    this.enabled = enabled;
    DeployLog maven = new MavenDeployLog(log);
    this.deployLog = enabled ? new Recording(maven) : maven;
  }

  /** Whether the environment is a GitLab CI job. */
  static boolean underGitLab(Function<String, String> env) {
    String value = env.apply(ENV_GITLAB_CI);
    return value != null && value.trim().equalsIgnoreCase("true");
  }

  /**
   * Opens the section of one goal execution (a no-op outside GitLab).
   *
   * @param log Maven's log
   * @param goal the goal name without prefix, e.g. {@code update-service}
   * @param header the section's visible header, e.g. {@code ecs:update-service (my-service)}
   * @param env reads {@code GITLAB_CI}
   * @param clock the marker timestamps
   * @param markers where marker lines go ({@link #RAW_STDOUT}; a recorder in tests)
   */
  static GitLabSection open(Log log, String goal, String header, Function<String, String> env, Clock clock,
      Consumer<String> markers) {
    boolean enabled = underGitLab(env) && log.isInfoEnabled();
    GitLabSection section = new GitLabSection(
        log, markers, clock, sectionId(goal, SEQUENCE.incrementAndGet()), header, enabled,
        !EXPANDED_GOALS.contains(goal));
    if (enabled) {
      section.start(section.id, section.collapsed, header);
    }
    return section;
  }

  /** {@code ecs-<goal>-<n>}, reduced to the characters GitLab accepts in a section name. */
  static String sectionId(String goal, int sequence) {
    String clean = goal.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_.-]+", "-");
    return "ecs-" + clean + "-" + sequence;
  }

  /** The log the goal writes to: Maven's, and recorded for a failure's replay under GitLab. */
  DeployLog log() {
    return deployLog;
  }

  /** The goal succeeded: close the collapsed section, then repeat its warnings where they are seen. */
  void succeeded() {
    if (!enabled) {
      return;
    }
    end(id);
    for (Line line : snapshot()) {
      if (line.level().equals("WARN")) {
        log.warn(line.message());
      }
    }
  }

  /** The goal failed: close its section and, when it was collapsed, repeat its lines in an open one. */
  void failed() {
    if (!enabled) {
      return;
    }
    end(id);
    if (!collapsed) {
      return;
    }
    String failureId = id + "-failed";
    List<Line> shown = snapshot();
    int skipped = Math.max(0, shown.size() - MAX_REPLAYED_LINES);
    start(failureId, false, header + " failed; its output:");
    if (skipped > 0) {
      log.info("(" + skipped + " earlier lines are in the collapsed section above)");
    }
    for (Line line : shown.subList(skipped, shown.size())) {
      switch (line.level()) {
        case "WARN" -> log.warn(line.message());
        case "DEBUG" -> log.debug(line.message());
        default -> log.info(line.message());
      }
    }
    end(failureId);
  }

  private List<Line> snapshot() {
    synchronized (lines) {
      return List.copyOf(lines);
    }
  }

  private void start(String sectionId, boolean collapsed, String text) {
    markers.accept(
        ESC
            + "[0Ksection_start:"
            + now()
            + ":"
            + sectionId
            + (collapsed ? "[collapsed=true]" : "")
            + "\r"
            + ESC
            + "[0K"
            + text);
  }

  private void end(String sectionId) {
    markers.accept(ESC + "[0Ksection_end:" + now() + ":" + sectionId + "\r" + ESC + "[0K");
  }

  private long now() {
    return clock.instant().getEpochSecond();
  }

  private record Line(String level, String message) {}

  /** Forwards to Maven's log and remembers what was shown. */
  private final class Recording implements DeployLog {
    private final DeployLog target;

    Recording(DeployLog target) {
      this.target = target;
    }

    @Override
    public void info(String message) {
      target.info(message);
      remember("INFO", message);
    }

    @Override
    public void warn(String message) {
      target.warn(message);
      remember("WARN", message);
    }

    @Override
    public void debug(String message) {
      target.debug(message);
      if (log.isDebugEnabled()) {
        remember("DEBUG", message);
      }
    }

    private void remember(String level, String message) {
      synchronized (lines) {
        lines.add(new Line(level, message == null ? "" : message));
      }
    }
  }
}
