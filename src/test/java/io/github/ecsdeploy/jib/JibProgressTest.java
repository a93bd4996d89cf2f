package io.github.ecsdeploy.jib;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.event.events.ProgressEvent;
import com.google.cloud.tools.jib.event.progress.Allocation;
import io.github.ecsdeploy.testing.RecordingDeployLog;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Progress lines from Jib's progress events: throttled, with bytes and blobs, never silent for long. */
class JibProgressTest {

  private final RecordingDeployLog log = new RecordingDeployLog();
  private final AtomicLong now = new AtomicLong();

  private void at(long seconds) {
    now.set(seconds * 1_000_000_000L);
  }

  @Test
  void atMostOneLineEveryFewSecondsWithBytesAndBlobs() {
    JibProgress progress = new JibProgress(log, now::get, false);
    Allocation root = Allocation.newRoot("building", 2);
    Allocation pushers = root.newChild("launching layer pushers", 2);
    Allocation big = pushers.newChild("pushing blob sha256:aa", 3 * 1024 * 1024);
    Allocation small = pushers.newChild("pushing blob sha256:bb", 1024);

    at(1);
    progress.accept(new ProgressEvent(root, 1));
    progress.accept(new ProgressEvent(big, 1024 * 1024));
    at(3);
    progress.accept(new ProgressEvent(small, 1024));
    assertEquals(List.of(), log.lines, "nothing before the first interval");

    at(6);
    progress.accept(new ProgressEvent(big, 1024 * 1024));
    at(7);
    progress.accept(new ProgressEvent(big, 1024 * 1024));
    assertEquals(List.of("INFO Jib: 92% done, 2.0 MB of 3.0 MB, 1/2 blobs pushed or found in the registry (6 s)"), log.lines,
        "one line at 6 s, none again before 11 s");

    at(11);
    progress.accept(new ProgressEvent(big, 0));
    assertEquals("INFO Jib: 100% done, 3.0 MB of 3.0 MB, 2/2 blobs pushed or found in the registry (11 s)", log.lines.get(1));
    assertEquals(2, log.lines.size());

    progress.onLog(LogEvent.info("Skipping push; BLOB already exists on target registry : BlobDescriptor{size=3145728, "
        + "digest=sha256:aa}"));
    assertEquals("3.0 MB in 2 of 2 blobs uploaded, 0 already in the registry", progress.summary(),
        "a digest that is no sha256 digest is not matched");
  }

  @Test
  void theSummaryLeavesOutBlobsTheRegistryHad() {
    JibProgress progress = new JibProgress(log, now::get, false);
    Allocation root = Allocation.newRoot("launching layer pushers", 2);
    String had = "sha256:" + "a".repeat(64);
    String pushed = "sha256:" + "b".repeat(64);
    Allocation first = root.newChild("pushing blob " + had, 5 * 1024 * 1024);
    Allocation second = root.newChild("pushing blob " + pushed, 2048);
    progress.accept(new ProgressEvent(first, 0));
    progress.onLog(LogEvent.info("Skipping push; BLOB already exists on target registry : BlobDescriptor{size="
        + (5 * 1024 * 1024) + ", digest=" + had + "}"));
    progress.accept(new ProgressEvent(first, 5 * 1024 * 1024));
    progress.accept(new ProgressEvent(second, 2048));
    assertEquals("2.0 kB in 1 of 2 blobs uploaded, 1 already in the registry", progress.summary());
  }

  @Test
  void aSilenceLongerThanTenSecondsGetsALine() {
    JibProgress progress = new JibProgress(log, now::get, false);
    Allocation root = Allocation.newRoot("pulling base image layer sha256:cc", 1000);
    at(2);
    progress.accept(new ProgressEvent(root, 100));
    at(9);
    progress.tick();
    assertEquals(List.of(), log.lines);
    at(10);
    progress.tick();
    assertEquals(List.of("INFO Jib: 10% done, 0.1 kB of 1.0 kB, 0/1 blobs pulled or pushed (10 s)"),
        log.lines);
    at(20);
    progress.tick();
    assertEquals("INFO Jib: still working (10% done, 0.1 kB of 1.0 kB, 0/1 blobs pulled or pushed, 20 s)",
        log.lines.get(1));
  }
}
