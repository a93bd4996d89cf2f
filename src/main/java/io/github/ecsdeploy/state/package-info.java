/** The JSON state files under {@code target/ecs-deploy/} that one goal writes and the next one reads. */
package io.github.ecsdeploy.state;
