package io.github.ecsdeploy.jib;

import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.event.events.ProgressEvent;
import com.google.cloud.tools.jib.event.progress.Allocation;
import io.github.ecsdeploy.core.DeployLog;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Progress of one Jib build, from Jib's progress events, as at most one line every few seconds: the share of
 * the work done, bytes and blobs pushed (or base-image layers pulled). A build never stays silent longer than
 * {@link #SILENCE}: when no event arrived, the last state is repeated with how long it has been running.
 *
 * <p>Jib splits its work into a tree of allocations; an event reports units done on one of them, and
 * {@link Allocation#getFractionOfRoot()} says what share of the whole one unit of it is. Allocations named
 * {@code pushing blob <digest>} and {@code pulling base image layer <digest>} count bytes.
 */
final class JibProgress implements Consumer<ProgressEvent>, AutoCloseable {

  /** At most one line this often. */
  static final Duration INTERVAL = Duration.ofSeconds(5);

  /** Never longer than this without a line. */
  static final Duration SILENCE = Duration.ofSeconds(10);

  private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");

  private final DeployLog log;
  private final LongSupplier nanoTime;
  private final long start;
  private final ScheduledExecutorService timer;

  private double done;
  private final Map<Allocation, Long> byteUnits = new HashMap<>();
  private long bytesDone;
  private long bytesTotal;
  private int blobsTotal;
  private int blobsDone;
  private boolean pulling;
  private final Map<String, Long> pushSizes = new HashMap<>();
  private int skipped;
  private long skippedBytes;
  private long lastLine;
  private String lastState = "";

  /**
   * Progress lines to {@code log}, with a timer that breaks silences.
   *
   * @param log where the lines go (info)
   */
  JibProgress(DeployLog log) {
    this(log, System::nanoTime, true);
  }

  /** For tests: a clock, and no timer ({@link #tick()} is called by the test). */
  JibProgress(DeployLog log, LongSupplier nanoTime, boolean timer) {
    this.log = log;
    this.nanoTime = nanoTime;
    this.start = nanoTime.getAsLong();
    this.lastLine = start;
    if (timer) {
      this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "ecs-deploy-jib-progress");
        thread.setDaemon(true);
        return thread;
      });
      this.timer.scheduleAtFixedRate(this::tick, 1, 1, TimeUnit.SECONDS);
    } else {
      this.timer = null;
    }
  }

  @Override
  public synchronized void accept(ProgressEvent event) {
    Allocation allocation = event.getAllocation();
    long units = event.getUnits();
    done += units * allocation.getFractionOfRoot();
    String description = allocation.getDescription();
    boolean push = description.startsWith("pushing blob ");
    boolean pull = description.startsWith("pulling base image layer ");
    if (push || pull) {
      pulling |= pull;
      Long before = byteUnits.get(allocation);
      if (before == null) {
        before = 0L;
        blobsTotal++;
        bytesTotal += allocation.getAllocationUnits();
        if (push) {
          pushSizes.put(description.substring("pushing blob ".length()), allocation.getAllocationUnits());
        }
      }
      long now = before + units;
      byteUnits.put(allocation, now);
      bytesDone += units;
      if (before < allocation.getAllocationUnits() && now >= allocation.getAllocationUnits()) {
        blobsDone++;
      }
    }
    long time = nanoTime.getAsLong();
    if (time - lastLine >= INTERVAL.toNanos()) {
      print(time, false);
    }
  }

  /**
   * Jib's note that a blob is already in the registry ({@code Skipping push; BLOB already exists on target
   * registry : BlobDescriptor{size=..., digest=sha256:...}}): that blob is not uploaded.
   */
  synchronized void onLog(LogEvent event) {
    String message = event.getMessage();
    if (message == null || !message.startsWith("Skipping push; BLOB already exists")) {
      return;
    }
    Matcher m = DIGEST.matcher(message);
    if (m.find()) {
      skipped++;
      skippedBytes += pushSizes.getOrDefault(m.group(), 0L);
    }
  }

  /**
   * The closing line of a push: how much was uploaded (blobs Jib pushed; blobs already in the registry are
   * named apart, and a blob mounted from another repository of the same registry counts as uploaded).
   */
  synchronized String summary() {
    long uploaded = pushSizes.values().stream().mapToLong(Long::longValue).sum() - skippedBytes;
    return String.format(Locale.ROOT, "%s in %d of %d blobs uploaded, %d already in the registry",
        size(uploaded), pushSizes.size() - skipped, pushSizes.size(), skipped);
  }

  /** Called every second: repeats the state when the build has been silent for {@link #SILENCE}. */
  synchronized void tick() {
    long time = nanoTime.getAsLong();
    if (time - lastLine >= SILENCE.toNanos()) {
      print(time, true);
    }
  }

  private void print(long time, boolean silent) {
    String state = String.format(Locale.ROOT, "%d%% done", Math.min(100, Math.round(done * 100)));
    if (blobsTotal > 0) {
      state += String.format(Locale.ROOT, ", %s of %s, %d/%d blobs %s", size(bytesDone), size(bytesTotal),
          blobsDone, blobsTotal, pulling ? "pulled or pushed" : "pushed or found in the registry");
    }
    long seconds = Duration.ofNanos(time - start).toSeconds();
    if (silent && state.equals(lastState)) {
      log.info("Jib: still working (" + state + ", " + seconds + " s)");
    } else {
      log.info("Jib: " + state + " (" + seconds + " s)");
    }
    lastState = state;
    lastLine = time;
  }

  private static String size(long bytes) {
    if (bytes < 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1f kB", bytes / 1024.0);
    }
    return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024.0));
  }

  /** Stops the timer. */
  @Override
  public void close() {
    if (timer != null) {
      timer.shutdownNow();
    }
  }
}
