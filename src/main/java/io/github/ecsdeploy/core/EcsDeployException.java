package io.github.ecsdeploy.core;

/**
 * Base of every exception the core throws on purpose. The Maven adapter maps {@link UserInputException} and
 * {@link DeploymentFailedException} to {@code MojoFailureException} (the user must act) and
 * {@link ExternalFailureException} to {@code MojoExecutionException} (the world failed; cause attached).
 * Messages are complete sentences that say what was wrong and how to fix it; they never hold secrets.
 */
public abstract class EcsDeployException extends RuntimeException {

  protected EcsDeployException(String message, Throwable cause) {
    super(message, cause);
  }
}
