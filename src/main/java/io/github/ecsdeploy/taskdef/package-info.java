/**
 * The typed TaskDefinition transformer: live revision (or file) to RegisterTaskDefinitionRequest. Pure: no
 * clients, no Maven, nothing else of ours (choosing the container is core's {@code ContainerSelector}).
 */
package io.github.ecsdeploy.taskdef;
