package io.github.ecsdeploy.core;

/**
 * Receives the result of a run that reached ECS, before {@link ServiceDeployer} returns or throws, so the
 * outputs exist on failure too. Implemented by the state files writer.
 */
@FunctionalInterface
public interface DeploymentRecorder {

  /** Records {@code result}; may throw {@link ExternalFailureException} when the result cannot be stored. */
  void record(DeploymentResult result);

  /** Records nothing. */
  static DeploymentRecorder none() {
    return result -> {};
  }
}
