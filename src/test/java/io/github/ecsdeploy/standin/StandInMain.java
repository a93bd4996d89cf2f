package io.github.ecsdeploy.standin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the AWS stand-in as a process until it is stopped (Ctrl-C, SIGTERM, or end of standard input with
 * {@code --stop-on-eof}). Prints its endpoint on the first line of standard output, unless
 * {@code --endpoint-file} names a file for it.
 *
 * <pre>
 * java -cp target/test-classes:... io.github.ecsdeploy.standin.StandInMain [--port N] [--region R]
 *     [--time-scale F] [--endpoint-file PATH] [--stop-on-eof] [--exit-with-parent]
 * </pre>
 *
 * {@code --time-scale 0.1} makes the deployment simulator ten times faster than its 1 s task starts.
 * {@code --exit-with-parent} stops it when the process that started it ends (the Maven build of the ITs).
 * {@code --endpoint-file} writes the endpoint URL to that file once the port is bound, so scripts can wait for it.
 */
public final class StandInMain {

  private StandInMain() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    AwsStandIn.Options options = AwsStandIn.Options.defaults();
    Path endpointFile = null;
    boolean stopOnEof = false;
    boolean exitWithParent = false;
    String rateLimit = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--port" -> options = options.withPort(Integer.parseInt(args[++i]));
        case "--region" -> options = options.withRegion(args[++i]);
        case "--time-scale" -> options = options.withTimeScale(Double.parseDouble(args[++i]));
        case "--endpoint-file" -> endpointFile = Path.of(args[++i]);
        case "--stop-on-eof" -> stopOnEof = true;
        case "--exit-with-parent" -> exitWithParent = true;
        case "--rate-limit" -> rateLimit = args[++i];
        default -> {
          System.err.println("Unknown argument: " + args[i]
              + "\nUsage: StandInMain [--port N] [--region R] [--time-scale F] [--endpoint-file PATH] [--stop-on-eof] [--exit-with-parent]"
              + " [--rate-limit BURST/PER_SECOND]");
          System.exit(2);
        }
      }
    }
    AwsStandIn standIn = AwsStandIn.start(options);
    if (rateLimit != null) {
      // ECS's token bucket per API action (FaultInjection.rateLimit), e.g. --rate-limit 5/2
      String[] parts = rateLimit.split("/", 2);
      standIn.faults().rateLimit(Integer.parseInt(parts[0]), Double.parseDouble(parts[1]));
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      standIn.close();
      stopped.countDown();
    }, "stand-in-shutdown"));
    if (endpointFile == null) {
      System.out.println(standIn.endpoint());
      System.out.flush();
    } else {
      // a build tool reads the file; a bare URL line in its console (the demo's) would only puzzle the reader
      Path tmp = endpointFile.resolveSibling(endpointFile.getFileName() + ".tmp");
      Files.writeString(tmp, standIn.endpoint().toString(), StandardCharsets.UTF_8);
      Files.move(tmp, endpointFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    if (exitWithParent) {
      // Started by a build tool in the background: never outlive it.
      ProcessHandle.current().parent().ifPresent(p -> p.onExit().thenRun(() -> System.exit(0)));
    }
    if (stopOnEof) {
      while (System.in.read() >= 0) {
        // drain until the parent closes our input
      }
      System.exit(0);
    }
    stopped.await();
  }
}
