/**
 * The JSON state files under {@code target/ecs-deploy/} that one goal writes and the next one reads. A leaf: it
 * imports nothing of ours; the Mojos turn these records into core's plain values and back.
 */
package io.github.ecsdeploy.state;
