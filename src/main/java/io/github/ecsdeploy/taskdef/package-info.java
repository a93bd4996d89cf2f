/**
 * The typed TaskDefinition transformer: live revision (or file) to RegisterTaskDefinitionRequest. Pure: no
 * clients, no Maven.
 */
package io.github.ecsdeploy.taskdef;
