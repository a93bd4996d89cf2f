package io.github.ecsdeploy.bench;

import io.github.ecsdeploy.aws.EcrRegistryLogin;
import io.github.ecsdeploy.core.DeployLog;
import io.github.ecsdeploy.core.ImagePublisher;
import io.github.ecsdeploy.core.ImageSpec;
import io.github.ecsdeploy.core.ImageTarget;
import io.github.ecsdeploy.jib.JibImageBuilder;
import io.github.ecsdeploy.core.PublishedImage;
import io.github.ecsdeploy.standin.AwsStandIn;
import io.github.ecsdeploy.standin.RequestLog;
import io.github.ecsdeploy.standin.StandInClients;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import software.amazon.awssdk.services.ecr.EcrClient;

/**
 * Prints what a release costs with push-image against the local stand-in: wall time, bytes uploaded to the
 * registry, registry requests, and heap, for a first release, a second release that changes one class, and a
 * re-run of the second. A figure printer, not a test: run it with
 *
 * <pre>
 * ./mvnw -B -q -o test-compile org.codehaus.mojo:exec-maven-plugin:3.6.2:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.github.ecsdeploy.bench.ReleaseBenchmark [-Dexec.args="JARS MIB_PER_JAR"]
 * </pre>
 */
public final class ReleaseBenchmark {

  private ReleaseBenchmark() {}

  public static void main(String[] args) throws IOException {
    int jars = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    int mibPerJar = args.length > 1 ? Integer.parseInt(args[1]) : 1;
    Path work = Files.createTempDirectory("ecs-bench");
    Path classes = Files.createDirectories(work.resolve("classes/com/example"));
    List<Path> dependencies = new ArrayList<>();
    Random random = new Random(7);
    for (int i = 0; i < jars; i++) {
      byte[] content = new byte[mibPerJar * 1024 * 1024];
      random.nextBytes(content); // incompressible: the upload is the size of the jar
      Path jar = work.resolve("lib/dep-" + i + ".jar");
      Files.createDirectories(jar.getParent());
      Files.write(jar, content);
      dependencies.add(jar);
    }
    for (int i = 0; i < 50; i++) {
      Files.write(classes.resolve("C" + i + ".class"), ("class " + i).getBytes());
    }
    System.out.printf(Locale.ROOT, "dependencies: %d jars x %d MiB, 50 class files%n", jars, mibPerJar);
    System.out.printf(Locale.ROOT, "%-32s %9s %14s %9s %10s%n", "step", "wall ms", "uploaded B", "requests",
        "heap MiB");
    try (AwsStandIn standIn = AwsStandIn.start();
        EcrClient ecr = StandInClients.ecr(standIn)) {
      standIn.ecr().createRepository("bench-app", true);
      EcrRegistryLogin.Login login = EcrRegistryLogin.login(ecr, null);
      run(standIn, ecr, login, work, dependencies, "v1.0.0", "first release");
      Files.write(classes.resolve("C0.class"), "class 0, changed".getBytes());
      run(standIn, ecr, login, work, dependencies, "v1.0.1", "second release, one class changed");
      run(standIn, ecr, login, work, dependencies, "v1.0.1", "re-run of the second release");
    }
  }

  private static void run(AwsStandIn standIn, EcrClient ecr, EcrRegistryLogin.Login login, Path work,
      List<Path> dependencies, String tag, String step) throws IOException {
    standIn.requestLog().clear();
    ImageSpec spec = ImageSpec.builder()
        .baseImage("scratch")
        .mainClass("com.example.C0")
        .dependencies(dependencies)
        .classesDirectory(work.resolve("classes"))
        .build();
    Path jibWork = Files.createTempDirectory(work, "jib");
    ImagePublisher publisher = new ImagePublisher(ecr,
        new JibImageBuilder(DeployLog.silent(), jibWork, work.resolve("base-cache"), login.credentials()),
        DeployLog.silent());
    System.gc();
    long start = System.nanoTime();
    PublishedImage image = publisher.publish(new ImageTarget(login.registry(), "bench-app", tag), spec);
    long millis = (System.nanoTime() - start) / 1_000_000;
    List<RequestLog.Entry> registry = standIn.requestLog().entries(e -> e.service().equals("registry"));
    long uploaded = registry.stream().mapToLong(RequestLog.Entry::bytesIn).sum();
    long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024 * 1024);
    System.out.printf(Locale.ROOT, "%-32s %9d %14d %9d %10d   %s%n", step, millis, uploaded, registry.size(), heap,
        image.digest().substring(0, 19));
  }
}
