package io.github.ecsdeploy.core;

/**
 * The world failed: an AWS call that could not be completed after retries, I/O on a state file. Mapped to
 * {@code MojoExecutionException} with the cause attached.
 */
public class ExternalFailureException extends EcsDeployException {

  public ExternalFailureException(String message, Throwable cause) {
    super(message, cause);
  }
}
