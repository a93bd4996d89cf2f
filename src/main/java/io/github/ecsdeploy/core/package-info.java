/**
 * Deployment logic: tag policy, image publishing, task-definition registration, deployment watching.
 * No Maven types: logs through {@link io.github.ecsdeploy.core.DeployLog} and throws
 * {@link io.github.ecsdeploy.core.EcsDeployException} subclasses that carry the bad value.
 */
package io.github.ecsdeploy.core;
