package io.github.ecsdeploy.core;

/**
 * The request was valid and AWS accepted it, but the release did not reach its goal: the deployment failed,
 * was rolled back, replaced, or timed out. Like a failing test, it fails the build as a
 * {@code MojoFailureException}.
 */
public class DeploymentFailedException extends EcsDeployException {

  public DeploymentFailedException(String message) {
    super(message, null);
  }
}
