package io.github.ecsdeploy.jib;

import com.google.cloud.tools.jib.api.CacheDirectoryCreationException;
import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.api.RegistryException;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.event.events.ProgressEvent;
import io.github.ecsdeploy.core.DeployLog;
import io.github.ecsdeploy.core.ExternalFailureException;
import io.github.ecsdeploy.core.ImageBuilder;
import io.github.ecsdeploy.core.ImageSpec;
import io.github.ecsdeploy.core.ImageTarget;
import io.github.ecsdeploy.core.RegistryCredentials;
import io.github.ecsdeploy.core.RegistryHost;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;

/**
 * The {@link ImageBuilder} of push-image: Jib (jib-core, no Docker daemon) assembles the image
 * ({@link ContainerAssembly}), pushes it to the target registry with the given credentials, or builds it into a
 * local tarball to learn its digest. Jib's log events go to the {@link DeployLog} ({@link JibLog}), its
 * exceptions become the core's ({@link JibFailures}), and plain HTTP is allowed only for a loopback registry
 * ({@link PlainHttp}). Credentials stay in memory and are never logged.
 */
public final class JibImageBuilder implements ImageBuilder {

  static final String TOOL_NAME = "ecs-deploy-maven-plugin";

  /** Where, under the work directory, the JVM argument files of the image's extra layer are written. */
  private static final String ARG_FILES = "jvm-arg-files";

  private final DeployLog log;
  private final Path workDirectory;
  private final Path baseImageCache;
  private final Path applicationCache;
  private final RegistryCredentials credentials;

  /**
   * A builder.
   *
   * @param log where progress goes; Jib's lifecycle messages go to info, its details to debug
   * @param workDirectory where Jib keeps the application-layer cache and the local build used for the digest
   *     check ({@code target/ecs-deploy/jib})
   * @param baseImageCache where Jib caches base image layers, or {@code null} for Jib's default
   *     ({@code ~/.cache/google-cloud-tools-java/jib})
   * @param credentials the target registry's credentials (ECR's token), also used for a base image in the
   *     same registry
   */
  public JibImageBuilder(DeployLog log, Path workDirectory, Path baseImageCache, RegistryCredentials credentials) {
    this(log, workDirectory, baseImageCache, workDirectory.resolve("application-cache"), credentials);
  }

  /**
   * A builder with its application-layer cache in a place of its own (a CI cache directory).
   *
   * @param applicationCache where Jib caches the application layers it built
   */
  public JibImageBuilder(DeployLog log, Path workDirectory, Path baseImageCache, Path applicationCache,
      RegistryCredentials credentials) {
    this.log = log;
    this.workDirectory = workDirectory;
    this.baseImageCache = baseImageCache;
    this.applicationCache = applicationCache;
    this.credentials = credentials;
  }

  @Override
  public String push(ImageTarget target, ImageSpec spec) {
    RegistryImage to = RegistryImage.named(imageReference(target))
        .addCredential(credentials.username(), credentials.password());
    long start = System.nanoTime();
    JibProgress[] progress = new JibProgress[1];
    String digest = run(target, spec, Containerizer.to(to), p -> progress[0] = p).getDigest().toString();
    log.info(String.format(java.util.Locale.ROOT, "Jib pushed in %.1f s: %s.",
        (System.nanoTime() - start) / 1e9, progress[0].summary()));
    return digest;
  }

  @Override
  public String digest(ImageTarget target, ImageSpec spec) {
    Path tar;
    try {
      Files.createDirectories(workDirectory);
      tar = Files.createTempFile(workDirectory, "digest-check-", ".tar");
    } catch (IOException e) {
      throw new ExternalFailureException("Could not create a file in " + workDirectory + ": " + e.getMessage(), e);
    }
    try {
      return run(target, spec, Containerizer.to(TarImage.at(tar).named(imageReference(target))), p -> { })
          .getDigest().toString();
    } finally {
      try {
        Files.deleteIfExists(tar);
      } catch (IOException e) {
        log.debug("Could not delete " + tar + ": " + e.getMessage());
      }
    }
  }

  private JibContainer run(ImageTarget target, ImageSpec spec, Containerizer containerizer,
      java.util.function.Consumer<JibProgress> onProgress) {
    boolean loopback = target.registry().loopback();
    JibLog jibLog = new JibLog(log, loopback);
    containerizer
        .setToolName(TOOL_NAME)
        .setAllowInsecureRegistries(loopback)
        .setApplicationLayersCache(applicationCache)
        .addEventHandler(LogEvent.class, jibLog);
    if (baseImageCache != null) {
      containerizer.setBaseImageLayersCache(baseImageCache);
    }
    try (JibProgress progress = new JibProgress(log)) {
      onProgress.accept(progress);
      containerizer.addEventHandler(ProgressEvent.class, progress);
      containerizer.addEventHandler(LogEvent.class, progress::onLog);
      JibContainerBuilder builder = new ContainerAssembly(jibLog, log, workDirectory.resolve(ARG_FILES))
          .assemble(target, spec, credentials);
      return PlainHttp.containerize(builder, containerizer, loopback);
    } catch (ExecutionException | RegistryException | IOException e) {
      throw JibFailures.translate(target, e);
    } catch (CacheDirectoryCreationException e) {
      throw new ExternalFailureException("Jib could not create its cache directory: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ExternalFailureException("Interrupted while building " + target.reference(), e);
    }
  }

  /**
   * Has Jib assemble the container for {@code spec} once, silently, and throws it away: in a new JVM that loads
   * Jib's classes, which push-image does on its own thread while another waits for ECR (starting the AWS SDK and
   * the login take about as long), so the push after the login starts with Jib loaded. Nothing is built, pulled or
   * pushed; the JVM argument files are written to {@code workDirectory} as the push itself writes them. Anything
   * wrong with the spec is left for the push to report.
   *
   * @param workDirectory as for the push ({@code target/ecs-deploy/jib})
   * @param spec the image the push will build
   */
  public static void warmUp(Path workDirectory, ImageSpec spec) {
    ImageTarget placeholder = new ImageTarget(RegistryHost.parse("localhost"), "warm-up", "warm-up");
    try {
      new ContainerAssembly(new JibLog(DeployLog.silent(), true), DeployLog.silent(), workDirectory.resolve(ARG_FILES))
          .assemble(placeholder, spec, new RegistryCredentials("warm-up", "warm-up"));
    } catch (IOException | RuntimeException e) {
      // the push assembles the same container and reports this failure there
    }
  }

  private static ImageReference imageReference(ImageTarget target) {
    return ImageReference.of(target.registry().host(), target.repository(), target.tag());
  }
}
