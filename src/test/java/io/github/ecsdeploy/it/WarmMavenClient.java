package io.github.ecsdeploy.it;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code mvn} that invoker starts for each IT run ({@code src/test/warm-maven/mvn}): hands the run to a free
 * {@link WarmMaven} slot and relays its output and exit code, or runs {@code $IT_MAVEN_HOME/bin/mvn} itself when the
 * run needs a JVM of its own, when no slot was started ({@code -Dit.warmMaven.slots=0}) or when none answers.
 * Every run is written to {@code runs.log} in the slots' directory: warm or not, and why not.
 *
 * <pre>
 * WarmMavenClient SLOT_DIR mvn-arguments...
 * </pre>
 */
public final class WarmMavenClient {

  /**
   * How long to wait for the build's slots to start: the launcher, started in the background before {@code package},
   * writes its "slots" file at once, and each slot its port after three short warm-up runs; the first IT starts
   * some 10 s after the launcher.
   */
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

  private WarmMavenClient() {}

  public static void main(String[] argv) throws Exception {
    Path dir = Path.of(argv[0]);
    List<String> args = List.of(Arrays.copyOfRange(argv, 1, argv.length));
    String mavenHome = System.getenv("IT_MAVEN_HOME");
    if (mavenHome == null) {
      System.err.println("IT_MAVEN_HOME is not set: set it to the Maven home the ITs run, in maven-invoker-plugin's"
          + " <environmentVariables> (pom.xml, property it.mavenHome)");
      System.exit(2);
    }
    String workingDirectory = Path.of("").toAbsolutePath().toString();
    WarmMaven.Request request = new WarmMaven.Request(workingDirectory, args, System.getenv());
    Instant start = Instant.now();
    String note;
    int exitCode;
    String unavailable = unavailable(dir);
    try (Slot slot = unavailable == null ? takeSlot(dir) : null) {
      if (slot == null) {
        note = "cold: " + (unavailable == null ? "no warm Maven slot" : unavailable);
        exitCode = cold(mavenHome, args);
      } else {
        int number = slot.number();
        Outcome outcome = warm(dir, number, request);
        if (outcome.coldReason() != null) {
          note = "cold (slot " + number + "): " + outcome.coldReason();
          exitCode = cold(mavenHome, args);
        } else {
          note = "warm (slot " + number + ")";
          exitCode = outcome.exitCode();
        }
      }
    }
    String line = String.format("%s %6.2f s  rc=%d  %s  %s  %s%n", start, Duration.between(start, Instant.now())
        .toMillis() / 1000.0, exitCode, note, Path.of(workingDirectory).getFileName(), String.join(" ", args));
    Files.writeString(dir.resolve("runs.log"), line, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
    System.exit(exitCode);
  }

  /** A slot this client holds the lock of. */
  private record Slot(int number, FileLock lock) implements AutoCloseable {
    @Override
    public void close() throws IOException {
      lock.channel().close();
    }
  }

  /** A free slot, locked, or {@code null} when there are no slots (or they never started). */
  private static Slot takeSlot(Path dir) throws IOException, InterruptedException {
    Integer slots = null;
    Instant deadline = Instant.now().plus(START_TIMEOUT);
    while (true) {
      if (slots == null) {
        String written = ofThisBuild(dir.resolve("slots"));
        if (written != null) {
          slots = Integer.parseInt(written);
        } else if (Instant.now().isAfter(deadline)) {
          giveUp(dir, "the warm Maven JVMs did not start in " + START_TIMEOUT.toSeconds() + " s (see the build's log)");
          return null;
        }
      }
      if (slots != null) {
        if (slots == 0) {
          return null;
        }
        for (int i = 0; i < slots; i++) {
          FileChannel channel = FileChannel.open(dir.resolve("slot-" + i + ".lock"), StandardOpenOption.CREATE,
              StandardOpenOption.WRITE);
          FileLock lock = channel.tryLock();
          if (lock != null) {
            return new Slot(i, lock);
          }
          channel.close();
        }
      }
      // every slot busy (more invoker threads than slots) or not started yet
      Thread.sleep(50);
    }
  }

  private record Outcome(String coldReason, int exitCode) {}

  private static Outcome warm(Path dir, int slot, WarmMaven.Request request)
      throws IOException, InterruptedException {
    Integer port = null;
    Instant deadline = Instant.now().plus(START_TIMEOUT);
    while (port == null) {
      String written = ofThisBuild(WarmMaven.portFile(dir, slot));
      port = written == null ? null : Integer.valueOf(written);
      if (port == null) {
        if (Instant.now().isAfter(deadline)) {
          String reason = "slot " + slot + " did not start in " + START_TIMEOUT.toSeconds() + " s (see "
              + dir.resolve("slot-" + slot + ".out") + " or the build's log)";
          giveUp(dir, reason);
          return new Outcome(reason, 0);
        }
        Thread.sleep(50);
      }
    }
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      DataOutputStream out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
      request.write(out);
      DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
      PrintStream stdout = System.out;
      byte[] buffer = new byte[8192];
      while (true) {
        byte type = in.readByte();
        switch (type) {
          case WarmMaven.OUTPUT -> {
            int length = in.readInt();
            if (length > buffer.length) {
              buffer = new byte[length];
            }
            in.readFully(buffer, 0, length);
            stdout.write(buffer, 0, length);
          }
          case WarmMaven.EXIT -> {
            stdout.flush();
            return new Outcome(null, in.readInt());
          }
          case WarmMaven.COLD -> {
            return new Outcome(in.readUTF(), 0);
          }
          default -> throw new IOException("warm Maven slot " + slot + " sent frame type " + type);
        }
      }
    } catch (EOFException e) {
      // the slot's JVM ended during the run: its output so far is in the log, the run is not repeated
      System.out.flush();
      System.err.println("[ERROR] The warm Maven JVM of slot " + slot + " ended during this run (see "
          + dir.resolve("slot-" + slot + ".out") + ")");
      return new Outcome(null, 1);
    }
  }

  /**
   * The value in a "<value> <owner pid>" file of the launcher, if this client runs under that owner (the build
   * that started the slots); {@code null} for no file, or a stale one of an earlier build.
   */
  private static String ofThisBuild(Path file) throws IOException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8).trim();
    } catch (NoSuchFileException e) {
      return null;
    }
    int space = text.lastIndexOf(' ');
    long owner = Long.parseLong(text.substring(space + 1));
    for (ProcessHandle p = ProcessHandle.current(); p != null; p = p.parent().orElse(null)) {
      if (p.pid() == owner) {
        return text.substring(0, space);
      }
    }
    return null;
  }

  /**
   * Every later run of this build goes to a JVM of its own at once, instead of waiting for slots that did not start
   * (a launcher whose JVM would not start, a slot that died).
   */
  private static void giveUp(Path dir, String reason) throws IOException {
    Files.writeString(dir.resolve(WarmMaven.UNAVAILABLE), reason, StandardCharsets.UTF_8);
  }

  /** Why the slots of this build are not there, if a client gave up on them; {@code null} if none did. */
  private static String unavailable(Path dir) throws IOException {
    try {
      return Files.readString(dir.resolve(WarmMaven.UNAVAILABLE), StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  private static int cold(String mavenHome, List<String> args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(mavenHome, "bin", "mvn").toString());
    command.addAll(args);
    return new ProcessBuilder(command).inheritIO().start().waitFor();
  }
}
