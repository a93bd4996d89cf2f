package io.github.ecsdeploy.state;

/**
 * {@code target/ecs-deploy/release.json}, written by validate-tag: which tag this build releases and whether it is
 * a rollback (a version ECR already holds, older than what the service runs), so push-image hands the released
 * image on instead of building it again (a rebuild of an old tag can give another digest once its base image
 * moved).
 *
 * @param tag the release tag, e.g. {@code v1.3.0}
 * @param rollback whether deploying it is a rollback to a released version
 */
public record ReleaseState(String tag, boolean rollback) {

  /** The file name under the state directory. */
  public static final String FILE = "release.json";
}
