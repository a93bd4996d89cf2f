package io.github.ecsdeploy.maven;

import io.github.ecsdeploy.core.DryRun;
import io.github.ecsdeploy.state.ReleaseState;
import io.github.ecsdeploy.state.StateFiles;
import io.github.ecsdeploy.core.TagChecker;
import io.github.ecsdeploy.core.TagPolicy;
import io.github.ecsdeploy.core.TagSource;
import javax.inject.Inject;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Checks, before anything is compiled, that the release tag may deploy: {@code v} + a strict semantic version
 * equal to the project version, not a mutable name; not yet in ECR with another image (a re-run is fine); not
 * older than what the service runs now. Every violation is reported together in one failure.
 *
 * <p>The tag comes from {@code <tag> / -Decs.tag}, else from {@code CI_COMMIT_TAG} (GitLab tag pipelines).
 * Offline ({@code -o}), only the tag policy is checked, and no AWS client is built.
 */
@Mojo(name = "validate-tag", defaultPhase = LifecyclePhase.VALIDATE, threadSafe = true)
public class ValidateTagMojo extends AbstractServiceMojo {

  /**
   * The goal.
   *
   * @param environment environment variables, clock, sleeper, standard output, AWS client factory
   */
  @Inject
  public ValidateTagMojo(GoalEnvironment environment) {
    super(environment);
  }

  /**
   * The release tag to validate, e.g. {@code v1.4.0}. When unset, the environment variable
   * {@code CI_COMMIT_TAG} is used (GitLab sets it in tag pipelines); with neither, the goal fails.
   *
   * @since 0.1.0
   */
  @Parameter(property = "ecs.tag")
  String tag;

  /**
   * Whether a pre-release tag such as {@code v1.2.0-rc.1} may deploy. A SNAPSHOT never may.
   *
   * @since 0.1.0
   */
  @Parameter(property = "ecs.validateTag.allowPrerelease", defaultValue = "false")
  boolean allowPrerelease;

  /**
   * Whether the tag must be {@code v} + {@code ${project.version}}, and the project version must not be a
   * SNAPSHOT. Turn off only when the project version is not the release version.
   *
   * @since 0.1.0
   */
  @Parameter(property = "ecs.validateTag.requireProjectVersion", defaultValue = "true")
  boolean requireProjectVersion;

  /**
   * Whether to check the tag against ECR: the repository exists, whether the tag is already there (only an
   * identical image may then be pushed again), whether tags are IMMUTABLE. Skipped offline.
   *
   * @since 0.1.0
   */
  @Parameter(property = "ecs.validateTag.checkRegistry", defaultValue = "true")
  boolean checkRegistry;

  /**
   * Whether a tag older (in semver order) than the version the service runs now may deploy. Prefer a rollback
   * to the task definition revision that ran the older version.
   *
   * @since 0.1.0
   */
  @Parameter(property = "ecs.validateTag.allowDowngrade", defaultValue = "false")
  boolean allowDowngrade;

  /**
   * Whether a tag older than the running version may deploy when ECR already holds its image: it was released
   * before, so deploying it again (GitLab's "Rollback" / "Re-deploy" of the old tag's pipeline) is a rollback,
   * logged as one. An older tag that was never released is refused either way, unless {@code allowDowngrade}.
   *
   * @since 0.2.0
   */
  @Parameter(property = "ecs.validateTag.allowRollback", defaultValue = "true")
  boolean allowRollback = true;

  /**
   * Says what this goal would check and that it changes nothing; validate-tag only reads in any case, so the
   * checks run as usual.
   *
   * @since 0.2.0
   */
  @Parameter(property = "ecs.dryRun", defaultValue = "false")
  boolean dryRun;

  /**
   * The ECR repository of the image, e.g. {@code team/app} (or its URI
   * {@code 123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/app}). Needed by the registry check. Defaults to
   * the artifactId, as in push-image and register-task-def.
   *
   * @since 0.1.0
   */
  @Parameter(property = "ecs.repository", defaultValue = "${project.artifactId}")
  String repository;

  /**
   * The container of the task definition that runs this project's image. When unset: the only container,
   * else the one whose image is in {@code <repository>}.
   *
   * @since 0.1.0
   */
  @Parameter(property = "ecs.container")
  String container;

  /**
   * Skips this goal.
   *
   * @since 0.1.0
   */
  @Parameter(property = "ecs.validateTag.skip", defaultValue = "false")
  boolean skipValidateTag;

  @Override
  protected String goal() {
    return "validate-tag";
  }

  @Override
  protected boolean skipGoal() {
    return skipValidateTag;
  }

  /** AWS only when a registry or service check will run: the policy alone needs no region or credentials. */
  @Override
  protected boolean needsAws() {
    return !isOffline() && (checkRegistry || isSet(cluster) && isSet(service));
  }

  @Override
  protected void run(GoalContext ctx) {
    TagSource.Resolved resolved = TagSource.resolve(tag, environment::env);
    ctx.log().info("Validating release tag " + TagPolicy.show(resolved.tag()) + " (from " + resolved.origin()
        + ")");
    if (dryRun) {
      ctx.log().info("Dry run (" + DryRun.PARAM.both() + "): validate-tag only reads (ECR DescribeRepositories"
          + " and DescribeImages, ECS DescribeServices and DescribeTaskDefinition); it changes nothing.");
    }
    String projectVersion = project == null ? null : project.getVersion();
    TagChecker checker = new TagChecker(() -> ctx.aws().ecr(), () -> ctx.aws().ecs(), ctx.log());
    TagChecker.Decision decision = checker.decide(new TagChecker.Request(
        resolved.tag(),
        new TagPolicy.Options(allowPrerelease, requireProjectVersion, projectVersion),
        ctx.offline(),
        checkRegistry,
        repository,
        cluster,
        service,
        container,
        allowDowngrade,
        allowRollback));
    StateFiles state = new StateFiles(ctx.stateDir());
    state.write(ReleaseState.FILE, new ReleaseState(decision.version().tag(), decision.rollback()));
  }

  private boolean isOffline() {
    return session != null && session.isOffline();
  }

  private static boolean isSet(String value) {
    return value != null && !value.isBlank();
  }
}
