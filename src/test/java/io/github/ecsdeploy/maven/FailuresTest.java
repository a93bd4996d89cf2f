package io.github.ecsdeploy.maven;

import static io.github.ecsdeploy.testing.MessageAssert.assertContainsAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ecsdeploy.aws.AwsSettings;
import io.github.ecsdeploy.core.UserInputException;
import io.github.ecsdeploy.state.StateFileException;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.ecs.model.EcsException;

class FailuresTest {

  private static final AwsSettings SETTINGS =
      AwsSettings.resolve("eu-west-1", null, null, name -> null);

  private static EcsException ecsError(int status, String code, String message) {
    return (EcsException)
        EcsException.builder()
            .statusCode(status)
            .requestId("req-1")
            .awsErrorDetails(
                AwsErrorDetails.builder().errorCode(code).errorMessage(message).serviceName("Ecs").build())
            .build();
  }

  @Test
  void aUserInputCauseIsKept() {
    IllegalArgumentException cause = new IllegalArgumentException("x");
    Exception e = Failures.toMojo(new UserInputException(null, "Fix it.", cause), null);
    assertInstanceOf(MojoFailureException.class, e);
    assertEquals("Fix it.", e.getMessage());
    assertSame(cause, e.getCause());
  }

  @Test
  void anAwsServiceErrorBecomesMojoExecutionWithCodeAndHint() {
    EcsException sdk = ecsError(400, "InvalidParameterException", "Bad cluster name.");
    Exception e = Failures.toMojo(sdk, null);
    assertInstanceOf(MojoExecutionException.class, e);
    assertSame(sdk, e.getCause());
    String m = e.getMessage();
    assertContainsAll(m, "failed: InvalidParameterException: Bad cluster name.", "request id req-1",
        "<region> / -Decs.region", "<endpoint> / -Decs.endpoint", "<profile> / -Decs.profile");
  }

  @Test
  void anAccessErrorPointsAtCredentialsFirst() {
    String m =
        Failures.describe(
            ecsError(400, "AccessDeniedException", "User is not authorized."),
            Optional.of("ECS:UpdateService"),
            SETTINGS);
    assertTrue(m.startsWith("AWS call ECS:UpdateService failed: AccessDeniedException"), m);
    assertTrue(m.contains("Check the credentials"), m);
    assertTrue(m.contains("region eu-west-1 (from <region> / -Decs.region)"), m);
  }

  @Test
  void aClientSideErrorSaysAwsDidNotAnswer() {
    SdkClientException sdk = SdkClientException.create("Unable to execute HTTP request: Connection refused");
    Exception e = Failures.toMojo(sdk, null);
    assertInstanceOf(MojoExecutionException.class, e);
    assertSame(sdk, e.getCause());
    assertTrue(e.getMessage().contains("failed before AWS answered: Unable to execute HTTP request"), e.getMessage());
  }

  @Test
  void aClientSideErrorWithoutMessageStillNamesItsType() {
    String m =
        Failures.describe(SdkClientException.builder().build(), Optional.of("STS:GetCallerIdentity"), SETTINGS);
    assertTrue(m.startsWith("AWS call STS:GetCallerIdentity failed before AWS answered: SdkClientException."), m);
  }

  // ---- state files: one wording for every goal ----

  private static final Path DIR = Path.of("/build/target/ecs-deploy");

  @Test
  void aMissingStateFileNamesTheFileTheGoalThatWritesItAndWhatToGiveInstead() {
    StateFileException missing = StateFileException.missing(DIR.resolve("image.json"), "No image to register");

    Exception e = Failures.toMojo(missing, null);

    assertInstanceOf(MojoFailureException.class, e);
    assertEquals("No image to register: /build/target/ecs-deploy/image.json does not exist. Run ecs:push-image first:"
        + " it writes that file (in the same build, or keep the directory as an artifact of the job that ran it), or"
        + " give the image as <image> / -Decs.image. Nothing was changed.", e.getMessage());
  }

  @Test
  void aMissingDryRunFileSaysToRunTheWriterInADryRun() {
    String m = Failures.describe(StateFileException.missing(DIR.resolve("task-definition.dry-run.json"), null));

    assertTrue(m.startsWith("/build/target/ecs-deploy/task-definition.dry-run.json does not exist. Run"
        + " ecs:register-task-def with -Decs.dryRun=true first"), m);
    assertTrue(m.contains("<taskDefinitionArn> / -Decs.taskDefinitionArn=arn:aws:ecs:"), m);
  }

  @Test
  void anUnreadableStateFileIsTheUsersToFixAndKeepsItsCause() {
    java.io.IOException cause = new java.io.IOException("Unexpected end-of-input");
    StateFileException unreadable =
        StateFileException.unreadable(DIR.resolve("task-definitions.json"), cause.getMessage(), cause);

    Exception e = Failures.toMojo(unreadable, null);

    assertInstanceOf(MojoFailureException.class, e);
    assertSame(unreadable, e.getCause());
    assertEquals("Cannot read /build/target/ecs-deploy/task-definitions.json: Unexpected end-of-input."
        + " ecs:register-task-def writes it: run ecs:register-task-def with the same <services> / -Decs.services"
        + " again. Nothing was changed.", e.getMessage());
  }

  @Test
  void anUnwritableStateFileIsTheWorldsFailureAndDoesNotClaimNothingChanged() {
    StateFileException unwritable = StateFileException.unwritable(DIR.resolve("deployment.json"),
        "java.nio.file.AccessDeniedException: /build/target", null);

    Exception e = Failures.toMojo(unwritable, null);

    assertInstanceOf(MojoExecutionException.class, e);
    assertEquals("Cannot write /build/target/ecs-deploy/deployment.json: java.nio.file.AccessDeniedException:"
        + " /build/target. It is the output of ecs:update-service that later goals and CI jobs read: check that"
        + " /build/target/ecs-deploy is a writable directory with free space.", e.getMessage());
  }
}
