package io.github.ecsdeploy.bench;

import io.github.ecsdeploy.aws.EcrRegistryLogin;
import io.github.ecsdeploy.core.DeployLog;
import io.github.ecsdeploy.core.ImagePublisher;
import io.github.ecsdeploy.core.ImageSpec;
import io.github.ecsdeploy.core.ImageTarget;
import io.github.ecsdeploy.core.PublishedImage;
import io.github.ecsdeploy.jib.JibImageBuilder;
import io.github.ecsdeploy.standin.AwsStandIn;
import io.github.ecsdeploy.standin.RequestLog;
import io.github.ecsdeploy.standin.StandInClients;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.tools.ToolProvider;
import software.amazon.awssdk.services.ecr.EcrClient;

/**
 * Prints what releasing the Spring Boot IT service costs with push-image against the local stand-in (base image
 * {@code scratch}): wall time and bytes uploaded, for the first release and for a release that changes one
 * class. It takes the service as the IT left it: run the {@code push-image-spring-boot} IT first, then
 *
 * <pre>
 * ./mvnw -B -q -o test-compile org.codehaus.mojo:exec-maven-plugin:3.6.2:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.github.ecsdeploy.bench.SpringBootPushBenchmark \
 *     -Dexec.args="target/it/push-image-spring-boot target/local-repo"
 * </pre>
 */
public final class SpringBootPushBenchmark {

  private SpringBootPushBenchmark() {}

  public static void main(String[] args) throws IOException {
    Path project = Path.of(args.length > 0 ? args[0] : "target/it/push-image-spring-boot").toAbsolutePath();
    Path repository = Path.of(args.length > 1 ? args[1] : "target/local-repo").toAbsolutePath();
    List<Path> jars = runtimeJars(project, repository);
    Path work = Files.createTempDirectory("ecs-boot-bench");
    Path classes = work.resolve("classes");
    copy(project.resolve("target/classes"), classes);
    long total = 0;
    for (Path jar : jars) {
      total += Files.size(jar);
    }
    System.out.printf(Locale.ROOT, "Spring Boot service: %d dependency jars, %.1f MB%n", jars.size(), total / 1e6);
    try (AwsStandIn standIn = AwsStandIn.start();
        EcrClient ecr = StandInClients.ecr(standIn)) {
      standIn.ecr().createRepository("boot-bench", true);
      EcrRegistryLogin.Login login = EcrRegistryLogin.login(ecr, null);
      release(standIn, ecr, login, work, jars, classes, "v1.0.0", "first release");
      recompile(project, classes, jars);
      release(standIn, ecr, login, work, jars, classes, "v1.0.1", "one class changed");
    }
  }

  private static void release(AwsStandIn standIn, EcrClient ecr, EcrRegistryLogin.Login login, Path work,
      List<Path> jars, Path classes, String tag, String step) throws IOException {
    standIn.requestLog().clear();
    ImageSpec spec = ImageSpec.builder().baseImage("scratch").mainClass("demo.shop.ShopApplication")
        .dependencies(jars).resourcesDirectory(classes).classesDirectory(classes).build();
    DeployLog log = DeployLog.silent();
    ImagePublisher publisher = new ImagePublisher(ecr,
        new JibImageBuilder(log, Files.createTempDirectory(work, "jib"), work.resolve("base-cache"),
            login.credentials()), log);
    long start = System.nanoTime();
    PublishedImage image = publisher.publish(new ImageTarget(login.registry(), "boot-bench", tag), spec);
    long millis = (System.nanoTime() - start) / 1_000_000;
    long uploaded = standIn.requestLog().bytesIn(e -> e.service().equals("registry"));
    List<RequestLog.Entry> requests = standIn.requestLog().entries(e -> e.service().equals("registry"));
    System.out.printf(Locale.ROOT, "%-20s %6d ms %12d bytes uploaded %4d registry requests  %s%n", step, millis,
        uploaded, requests.size(), image.digest().substring(0, 19));
  }

  /** The jars named in the image's classpath file, found in the IT's local repository. */
  private static List<Path> runtimeJars(Path project, Path repository) throws IOException {
    String classpath = Files.readString(project.resolve("target/ecs-deploy/jib/jvm-arg-files/jib-classpath-file"));
    List<Path> all;
    try (Stream<Path> files = Files.walk(repository)) {
      all = files.filter(p -> p.toString().endsWith(".jar")).toList();
    }
    List<Path> jars = new ArrayList<>();
    for (String entry : classpath.split(":")) {
      if (entry.startsWith("/app/libs/")) {
        String name = entry.substring("/app/libs/".length());
        jars.add(all.stream().filter(p -> p.getFileName().toString().equals(name)).findFirst()
            .orElseThrow(() -> new IllegalStateException(name + " is not in " + repository)));
      }
    }
    return jars;
  }

  /** PriceController with another answer: a one-class change. */
  private static void recompile(Path project, Path classes, List<Path> jars) throws IOException {
    Path source = project.resolve("src/main/java/demo/shop/PriceController.java");
    Path changed = Files.createTempDirectory("boot-src").resolve("PriceController.java");
    Files.writeString(changed, Files.readString(source).replace("\"42\"", "\"43\""));
    String cp = String.join(java.io.File.pathSeparator, jars.stream().map(Path::toString).toList());
    int status = ToolProvider.getSystemJavaCompiler().run(null, null, null, "--release", "17", "-cp",
        cp + java.io.File.pathSeparator + classes, "-d", classes.toString(), changed.toString());
    if (status != 0) {
      throw new IllegalStateException("javac failed");
    }
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path p : files.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }
}
