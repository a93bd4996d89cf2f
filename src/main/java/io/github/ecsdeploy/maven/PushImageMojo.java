package io.github.ecsdeploy.maven;

import io.github.ecsdeploy.aws.EcrRegistryLogin;
import io.github.ecsdeploy.core.ImagePublisher;
import io.github.ecsdeploy.core.ImageRef;
import io.github.ecsdeploy.core.ImageSpec;
import io.github.ecsdeploy.core.ImageTarget;
import io.github.ecsdeploy.core.PublishedImage;
import io.github.ecsdeploy.core.Param;
import io.github.ecsdeploy.core.TagSource;
import io.github.ecsdeploy.core.UserInputException;
import io.github.ecsdeploy.jib.JibImageBuilder;
import io.github.ecsdeploy.jib.MainClassSearch;
import io.github.ecsdeploy.state.ImageState;
import io.github.ecsdeploy.state.ReleaseState;
import io.github.ecsdeploy.state.StateFileException;
import io.github.ecsdeploy.state.StateFiles;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.inject.Inject;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.apache.maven.plugins.annotations.ResolutionScope;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.codehaus.plexus.util.xml.Xpp3Dom;
import software.amazon.awssdk.services.ecr.EcrClient;

/**
 * Builds the project's image with Jib (no Docker daemon, no {@code docker login}, no credential helper) and
 * pushes it to {@code <registry>/<repository>:<tag>} in ECR, never replacing a tag: a tag that already holds
 * another image fails before any upload; the same image (a re-run of the same build) succeeds as already
 * present. An existing {@code jib-maven-plugin} configuration of the project is honoured; this goal's own
 * parameters override it. Registry credentials come from ECR GetAuthorizationToken and stay in memory. Writes
 * {@code target/ecs-deploy/image.json} for register-task-def.
 */
@Mojo(name = "push-image", defaultPhase = LifecyclePhase.DEPLOY, threadSafe = true,
    requiresDependencyResolution = ResolutionScope.RUNTIME)
public class PushImageMojo extends AbstractEcsMojo {

  /**
   * The ECR repository to push to, e.g. {@code team/hello-app}. It must exist (create it with
   * {@code --image-tag-mutability IMMUTABLE}).
   *
   * @since 0.1.0
   */
  @Parameter(property = "ecs.repository", defaultValue = "${project.artifactId}")
  String repository;

  /**
   * The registry host to push to, {@code host[:port]}, e.g. {@code 123456789012.dkr.ecr.eu-west-1.amazonaws.com}.
   * When unset, the {@code proxyEndpoint} that ECR GetAuthorizationToken returns (the registry of the
   * account and region of the credentials).
   *
   * @since 0.1.0
   */
  @Parameter(property = "ecs.registry")
  String registry;

  /**
   * The image tag, e.g. {@code v1.4.0}: the release tag, as validate-tag checked it. When unset, the environment
   * variable {@code CI_COMMIT_TAG} (GitLab tag pipelines); with neither, the goal fails. Only this tag is
   * pushed, never {@code latest}.
   *
   * @since 0.1.0
   */
  @Parameter(property = "ecs.tag")
  String tag;

  /**
   * The base image, e.g. {@code eclipse-temurin:21-jre}, {@code scratch}, or an image in the target ECR
   * registry (pulled with the same credentials). Pin it by digest ({@code name@sha256:...}) for repeatable
   * builds. When unset: {@code -Djib.from.image}, {@code <from><image>} of jib-maven-plugin, else
   * jib-maven-plugin's default for the project's Java version from ECR Public,
   * {@code public.ecr.aws/docker/library/eclipse-temurin:<8|11|17|21|25>-jre}.
   *
   * @since 0.1.0
   */
  @Parameter(property = "ecs.pushImage.baseImage")
  String baseImage;

  /**
   * The class the container runs, e.g. {@code com.example.Application}. When unset:
   * {@code -Djib.container.mainClass}, {@code <container><mainClass>} of jib-maven-plugin, else the manifest
   * main class of maven-jar-plugin when it is a class name, else the one compiled class with a {@code main}
   * method (several: the goal fails naming them).
   *
   * @since 0.1.0
   */
  @Parameter(property = "ecs.pushImage.mainClass")
  String mainClass;

  /**
   * Flags of the {@code java} command, e.g. {@code -XX:MaxRAMPercentage=75}. When set, they replace
   * {@code <container><jvmFlags>} of jib-maven-plugin.
   *
   * @since 0.1.0
   */
  @Parameter(property = "ecs.pushImage.jvmFlags")
  List<String> jvmFlags;

  /**
   * Ports the image exposes: {@code 8080}, {@code 8080/tcp}, {@code 53/udp}, {@code 9000-9002}. When set, they
   * replace {@code <container><ports>} of jib-maven-plugin.
   *
   * @since 0.1.0
   */
  @Parameter(property = "ecs.pushImage.ports")
  List<String> ports;

  /**
   * The manifest format, {@code Docker} or {@code OCI}. When unset: {@code <container><format>} of
   * jib-maven-plugin, else {@code Docker}.
   *
   * @since 0.1.0
   */
  @Parameter(property = "ecs.pushImage.format")
  String format;

  /**
   * Builds and pushes nothing: says whether the tag is already in ECR (and would be compared or reused) or would
   * be built and pushed, and writes {@code target/ecs-deploy/image.dry-run.json} for register-task-def's dry run.
   *
   * @since 0.1.0
   */
  @Parameter(property = "ecs.dryRun", defaultValue = "false")
  boolean dryRun;

  /**
   * Holds this push until the last push-image, register-task-def, run-task or update-service of the reactor is
   * reached (every module has passed its tests), then runs the held goals of every module in reactor order, as
   * maven-deploy-plugin's {@code deployAtEnd} does; see register-task-def's {@code deployAtEnd} for how "last" is
   * decided.
   *
   * @since 0.2.0
   */
  @Parameter(property = "ecs.deployAtEnd", defaultValue = "false")
  boolean deployAtEnd;

  /**
   * Skips this goal (and logs one line saying so).
   *
   * @since 0.1.0
   */
  @Parameter(property = "ecs.pushImage.skip", defaultValue = "false")
  boolean skipPushImage;

  /**
   * A directory for Jib's caches (base image layers and application layers), e.g. {@code .jib-cache} in the
   * project, so a CI job can cache it between pipelines. Relative paths resolve against the project directory.
   * When unset, base image layers go to Jib's default ({@code ~/.cache/google-cloud-tools-java/jib}) and
   * application layers to {@code target/ecs-deploy/jib}.
   *
   * @since 0.2.0
   */
  @Parameter(property = "ecs.pushImage.cacheDirectory")
  String cacheDirectory;

  /** {@code <cacheDirectory> / -Decs.pushImage.cacheDirectory}. */
  static final Param CACHE_DIRECTORY = new Param("cacheDirectory", "ecs.pushImage.cacheDirectory");

  /** The registry Jib pulls an image without a registry host from (Docker Hub). */
  private static final String DOCKER_HUB_REGISTRY = "registry-1.docker.io";

  /** Decrypts settings.xml server passwords for the base image's registry; {@code null} in unit tests. */
  private final SettingsDecrypter settingsDecrypter;

  /**
   * The goal, with Maven's settings decrypter.
   *
   * @param environment environment variables, standard output, AWS client factory, Jib's base-image cache
   * @param settingsDecrypter decrypts a settings.xml {@code <server>} password
   * @param atEnd holds the goal until the last module with {@code -Decs.deployAtEnd=true}
   */
  @Inject
  public PushImageMojo(GoalEnvironment environment, SettingsDecrypter settingsDecrypter, DeployAtEnd atEnd) {
    super(environment, atEnd);
    this.settingsDecrypter = settingsDecrypter;
  }

  /** The goal without a decrypter (settings.xml passwords are taken as written) or deployAtEnd: for tests. */
  PushImageMojo(GoalEnvironment environment) {
    this(environment, null, null);
  }

  @Override
  protected String goal() {
    return "push-image";
  }

  @Override
  boolean holdsUntilEnd() {
    return deployAtEnd;
  }

  @Override
  protected boolean skipGoal() {
    return skipPushImage;
  }

  /**
   * A module with {@code pom} packaging (a parent, an aggregator) has no image: no classes, no jar. Unless it
   * says it has one: a Jib {@code <container><entrypoint>} ({@code -Djib.container.entrypoint}) or the extra
   * directory {@code src/main/jib}, an image of files only.
   */
  @Override
  protected String notApplicable() {
    return noImage(project, session);
  }

  /**
   * Whether this build gives register-task-def its image directly ({@code -Decs.image} or the property
   * {@code ecs.image}): then the module registers and deploys that image even without one of its own.
   */
  static boolean imageGiven(MavenProject project, MavenSession session) {
    String key = "ecs.image";
    String value = session == null ? null : session.getUserProperties().getProperty(key);
    if (value == null && session != null) {
      value = session.getSystemProperties().getProperty(key);
    }
    if (value == null && project != null) {
      value = project.getProperties().getProperty(key);
    }
    return value != null && !value.isBlank();
  }

  /**
   * Why push-image builds no image in {@code project}: a {@code pom} module without a Jib entrypoint or
   * {@code src/main/jib}; {@code null} when it builds one. The goals after it skip such a module too, unless they
   * are given their input directly.
   */
  static String noImage(MavenProject project, MavenSession session) {
    if (project == null || !"pom".equals(project.getPackaging())) {
      return null;
    }
    MavenConfiguration maven = new MavenConfiguration(project, session, null);
    Xpp3Dom jib = ImageSpecReader.jibConfiguration(project);
    boolean entrypoint = maven.jibProperty(ImageSpecReader.PROP_ENTRYPOINT) != null
        || (jib != null && jib.getChild("container") != null && jib.getChild("container").getChild("entrypoint") != null);
    File basedir = project.getBasedir();
    boolean files = basedir != null && new File(basedir, ImageSpecReader.DEFAULT_EXTRA_DIRECTORY).isDirectory();
    return entrypoint || files ? null
        : "packaging pom (" + project.getArtifactId() + ") has no image: no classes, and no Jib <entrypoint> "
            + "or src/main/jib.";
  }

  private static StateFiles write(GoalContext ctx, String file, ImageState state) {
    StateFiles files = new StateFiles(ctx.stateDir());
    files.write(file, state);
    return files;
  }

  /** validate-tag of this build found {@code tag} to be a rollback to a released version (release.json). */
  private static boolean isRollback(GoalContext ctx, String tag) {
    StateFiles files = new StateFiles(ctx.stateDir());
    try {
      return files.read(ReleaseState.FILE, ReleaseState.class)
          .filter(release -> tag.equals(release.tag()) && release.rollback())
          .isPresent();
    } catch (StateFileException e) {
      ctx.log().warn(e.getMessage() + " (written by validate-tag); treating " + tag + " as a new release.");
      return false;
    }
  }

  @Override
  protected void run(GoalContext ctx) {
    TagSource.Resolved resolved = TagSource.resolve(tag, environment::env);
    if (cacheDirectory != null && !cacheDirectory.isBlank()
        && java.nio.file.Files.exists(ctx.projectDir().resolve(cacheDirectory.trim()))
        && !java.nio.file.Files.isDirectory(ctx.projectDir().resolve(cacheDirectory.trim()))) {
      throw new UserInputException(CACHE_DIRECTORY, CACHE_DIRECTORY.both() + " is '" + cacheDirectory + "', which is"
          + " a file, not a directory: Jib keeps its layer caches in a directory there. Set it to a directory (e.g."
          + " .jib-cache) or remove the file. Nothing was pushed.");
    }
    Path work = ctx.stateDir().resolve("jib");
    MavenConfiguration maven = new MavenConfiguration(project, session, mojoExecution);
    ImageSpec spec = ImageSpecReader.read(
        maven.jibConfiguration(),
        maven::jibProperty,
        new ImageSpecReader.Overrides(baseImage, mainClass, jvmFlags, ports, format),
        maven.files(ctx.projectDir(), artifacts(), work),
        ctx.log());
    String baseRegistry = ImageRef.parse(spec.baseImage()).registry();
    spec = spec.withBaseImageAuth(maven.withServer(spec.baseImageAuth(),
        baseRegistry == null ? DOCKER_HUB_REGISTRY : baseRegistry, settingsDecrypter));
    if (spec.mainClass() == null && spec.entrypoint().isEmpty()) {
      spec = spec.withMainClass(MainClassSearch.find(spec.classesDirectory(), ctx.log()));
    }
    // The spec is sound (a bad one fails before any AWS call). The ECR login (starting the AWS SDK, about 1,400
    // classes in a new JVM, and GetAuthorizationToken) now runs on a thread of its own while this one has Jib
    // assemble the container once, loading Jib: on two cores that saved 0.2 s to 0.4 s of a 5 s to 6 s
    // `mvn compile ecs:push-image` in three A/B series (see src/site/markdown/performance.md).
    InBackground<EcrRegistryLogin.Login> pendingLogin = new InBackground<>("ecs-deploy-ecr-login",
        () -> EcrRegistryLogin.login(ctx.aws().ecr(), registry));
    try {
      publish(ctx, resolved, spec, work, pendingLogin);
    } finally {
      pendingLogin.awaitQuietly(); // nothing of the login runs on after the goal
    }
  }

  private void publish(GoalContext ctx, TagSource.Resolved resolved, ImageSpec spec, Path work,
      InBackground<EcrRegistryLogin.Login> pendingLogin) {
    boolean rollback = isRollback(ctx, resolved.tag());
    if (!dryRun && !rollback) {
      JibImageBuilder.warmUp(work, spec);
    }
    EcrRegistryLogin.Login login = pendingLogin.join();
    EcrClient ecr = ctx.aws().ecr();
    ctx.log().debug("ECR login for registry " + login.registry() + " (token from GetAuthorizationToken, in memory"
        + (login.expiresAt() == null ? "" : ", valid until " + login.expiresAt()) + ")");
    ImageTarget target = new ImageTarget(login.registry(), repository, resolved.tag());
    Path baseCache = environment.baseImageCache();
    Path applicationCache = work.resolve("application-cache");
    if (cacheDirectory != null && !cacheDirectory.isBlank()) {
      Path caches = ctx.projectDir().resolve(cacheDirectory.trim());
      baseCache = caches.resolve("base-image-layers");
      applicationCache = caches.resolve("application-layers");
    }
    if (dryRun) {
      Optional<String> existing = new ImagePublisher(ecr, null, ctx.log())
          .preview(target, rollback);
      write(ctx, ImageState.DRY_RUN_FILE, new ImageState(target.reference(), existing.orElse(null),
          List.of(target.tag()), ImageState.Result.DRY_RUN));
      return;
    }
    JibImageBuilder builder = new JibImageBuilder(ctx.log(), work, baseCache, applicationCache, login.credentials());
    PublishedImage published = new ImagePublisher(ecr, builder, ctx.log()).publish(target, spec, rollback);

    ImageState state = new ImageState(published.image(), published.digest(), List.of(target.tag()),
        published.pushed() ? ImageState.Result.PUSHED : ImageState.Result.ALREADY_PRESENT);
    StateFiles files = write(ctx, ImageState.FILE, state);
    ctx.log().info("Image " + state.pinnedReference() + " (" + (published.pushed() ? "pushed" : "already present")
        + ") -> " + ctx.projectDir().relativize(files.path(ImageState.FILE)));
  }

  private Set<Artifact> artifacts() {
    return project == null || project.getArtifacts() == null ? Set.of() : project.getArtifacts();
  }
}
