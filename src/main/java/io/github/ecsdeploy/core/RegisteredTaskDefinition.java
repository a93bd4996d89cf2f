package io.github.ecsdeploy.core;

/**
 * The task-definition revision register-task-def registered or reused, which update-service deploys.
 *
 * @param taskDefinitionArn the exact revision; {@code null} in a dry run that would register a new one
 * @param family the family
 * @param revision the revision number; 0 in a dry run that would register a new one
 * @param container the container whose image was set
 * @param image the image that container runs
 * @param reused whether an existing revision was reused instead of registering one
 */
public record RegisteredTaskDefinition(
    String taskDefinitionArn, String family, int revision, String container, String image, boolean reused) {}
