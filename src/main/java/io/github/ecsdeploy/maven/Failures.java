package io.github.ecsdeploy.maven;

import io.github.ecsdeploy.aws.AwsClients;
import io.github.ecsdeploy.aws.AwsSettings;
import io.github.ecsdeploy.core.DeploymentFailedException;
import io.github.ecsdeploy.core.ExternalFailureException;
import io.github.ecsdeploy.core.Param;
import io.github.ecsdeploy.core.DryRun;
import io.github.ecsdeploy.core.MultiServiceDeployer;
import io.github.ecsdeploy.core.UserInputException;
import io.github.ecsdeploy.state.ImageState;
import io.github.ecsdeploy.state.ReleaseState;
import io.github.ecsdeploy.state.ServiceRevisions;
import io.github.ecsdeploy.state.StateFileException;
import io.github.ecsdeploy.state.TaskDefinitionState;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The one place where exceptions become Maven's: the user must act ({@link UserInputException},
 * {@link DeploymentFailedException}) is a {@link MojoFailureException}; the world failed
 * ({@link ExternalFailureException}, an AWS SDK exception the core did not handle) is a
 * {@link MojoExecutionException} with the cause attached. A state file that is missing or cannot be read
 * ({@link StateFileException}) is the user's to fix, one that cannot be written the world's; both are worded here
 * once, naming the file, the goal that writes it and the fix. Anything else is a bug and passes unchanged.
 */
final class Failures {

  private Failures() {}

  /**
   * Maps an exception from a goal.
   *
   * @param e what {@code run} threw
   * @param aws the clients of this execution (for the failed operation and settings), or null
   * @return a {@link MojoFailureException}, a {@link MojoExecutionException}, or {@code e} itself
   */
  static Exception toMojo(RuntimeException e, AwsClients aws) {
    if (e instanceof UserInputException || e instanceof DeploymentFailedException) {
      return e.getCause() == null
          ? new MojoFailureException(e.getMessage())
          : new MojoFailureException(e.getMessage(), e.getCause());
    }
    if (e instanceof StateFileException file) {
      return file.problem() == StateFileException.Problem.UNWRITABLE
          ? new MojoExecutionException(describe(file), file)
          : new MojoFailureException(describe(file), file);
    }
    if ((e instanceof SdkException || e instanceof ExternalFailureException) && isNoCredentials(e)) {
      // Nothing to sign with: the environment of the build lacks its AWS setup, which the user must add. The SDK's
      // account of each provider it tried stays in the cause (mvn -e).
      return new MojoFailureException("No AWS credentials found: the AWS SDK's default credential chain (system"
          + " properties, environment, web identity token file, the default profile, container and instance"
          + " credentials) has none. Give the build credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, a"
          + " profile (" + Param.PROFILE.both() + " or AWS_PROFILE), or, in GitLab CI, the job's ID token with "
          + io.github.ecsdeploy.aws.WebIdentityRole.ROLE_ARN.both() + ". Nothing was changed.", e);
    }
    if (e instanceof ExternalFailureException) {
      return new MojoExecutionException(withAuthHint(e.getMessage(), e.getCause(), aws), e.getCause());
    }
    if (e instanceof SdkException sdk) {
      Optional<String> operation = aws == null ? Optional.empty() : aws.failedOperation(sdk);
      return new MojoExecutionException(
          describe(sdk, operation, aws == null ? null : aws.settings()), sdk);
    }
    return e;
  }

  /**
   * Who writes a state file, how to run it, and what to give instead of the file (or null).
   *
   * @param goal the goal that writes it
   * @param run how to run that goal to get the file
   * @param instead what to set instead of running it, or null
   */
  private record Writer(String goal, String run, String instead) {}

  private static final String TASK_DEFINITION_ARN = "give the revision as " + Param.TASK_DEFINITION_ARN.both()
      + "=arn:aws:ecs:<region>:<account>:task-definition/<family>:<revision>";
  private static final String DRY_RUN = " with -D" + DryRun.PARAM.property() + "=true";

  private static final Map<String, Writer> WRITERS = Map.of(
      ReleaseState.FILE, new Writer("validate-tag", "ecs:validate-tag", null),
      ImageState.FILE, new Writer("push-image", "ecs:push-image", "give the image as " + Param.IMAGE.both()),
      ImageState.DRY_RUN_FILE, new Writer("push-image", "ecs:push-image" + DRY_RUN, "give the image as "
          + Param.IMAGE.both()),
      TaskDefinitionState.FILE, new Writer("register-task-def", "ecs:register-task-def", TASK_DEFINITION_ARN),
      TaskDefinitionState.DRY_RUN_FILE, new Writer("register-task-def", "ecs:register-task-def" + DRY_RUN,
          TASK_DEFINITION_ARN),
      ServiceRevisions.FILE, new Writer("register-task-def", "ecs:register-task-def with the same "
          + MultiServiceDeployer.SERVICES.both(), null),
      DeploymentOutputs.DEPLOYMENT_JSON, new Writer("update-service", "ecs:update-service", null),
      DeploymentOutputs.DEPLOY_ENV, new Writer("update-service", "ecs:update-service", null),
      ServicesOutputs.DEPLOYMENTS_JSON, new Writer("update-service", "ecs:update-service", null));

  /**
   * The one wording of a state-file problem, for every goal: the file, what was wrong, the goal that writes it and
   * the fix (run that goal, or give the value directly); a read problem adds that nothing was changed (every goal
   * reads its input before it changes anything).
   */
  static String describe(StateFileException e) {
    String name = e.file().getFileName() == null ? e.file().toString() : e.file().getFileName().toString();
    Writer writer = WRITERS.getOrDefault(name, new Writer("the goal before this one", "that goal", null));
    String or = writer.instead() == null ? "" : ", or " + writer.instead();
    return e.getMessage() + switch (e.problem()) {
      case MISSING -> ". Run " + writer.run() + " first: it writes that file (in the same build, or keep the"
          + " directory as an artifact of the job that ran it)" + or + ". Nothing was changed.";
      case UNREADABLE -> ". ecs:" + writer.goal() + " writes it: run " + writer.run() + " again" + or
          + ". Nothing was changed.";
      case UNWRITABLE -> ". It is the output of ecs:" + writer.goal() + " that later goals and CI jobs read: check"
          + " that " + e.file().getParent() + " is a writable directory with free space.";
    };
  }

  /**
   * A goal's own words for a failed AWS call, plus what to check when AWS refused the credentials or the call
   * (AccessDenied and the like) and the words do not say it yet: a denied DescribeServices needs the same fix
   * wherever it happens.
   */
  private static String withAuthHint(String message, Throwable cause, AwsClients aws) {
    if (!(cause instanceof AwsServiceException service) || message == null
        || message.contains("allowed to make this call") || message.contains(" needs ")) {
      return message;
    }
    AwsErrorDetails details = service.awsErrorDetails();
    boolean auth = service.statusCode() == 401 || service.statusCode() == 403
        || isAuthCode(details == null ? null : details.errorCode());
    return auth ? message + (message.endsWith(".") ? " " : ". ") + hint(true, aws == null ? null : aws.settings())
        : message;
  }

  /** A message for an SDK exception: what failed, the AWS error code, and what to check. */
  static String describe(SdkException e, Optional<String> operation, AwsSettings settings) {
    String call = "AWS call " + operation.orElse("(operation unknown)");
    StringBuilder m = new StringBuilder(call);
    boolean auth = false;
    if (e instanceof AwsServiceException service) {
      AwsErrorDetails details = service.awsErrorDetails();
      String code = details == null ? null : details.errorCode();
      String text = details == null ? null : details.errorMessage();
      m.append(" failed: ").append(code == null ? "HTTP " + service.statusCode() : code);
      if (text != null && !text.isBlank()) {
        m.append(": ").append(text.strip());
      }
      m.append(" (HTTP ").append(service.statusCode());
      if (service.requestId() != null) {
        m.append(", request id ").append(service.requestId());
      }
      m.append(").");
      auth = service.statusCode() == 401 || service.statusCode() == 403 || isAuthCode(code);
    } else {
      String text = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip();
      m.append(" failed before AWS answered: ").append(text);
      if (!text.endsWith(".")) {
        m.append('.');
      }
    }
    m.append(' ').append(hint(auth, settings));
    return m.toString();
  }

  /** The SDK's default credential chain found nothing (its message since SDK 2.0). */
  private static boolean isNoCredentials(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null && t.getMessage().startsWith("Unable to load credentials from any of the providers")) {
        return true;
      }
    }
    return false;
  }

  private static boolean isAuthCode(String code) {
    if (code == null) {
      return false;
    }
    String c = code.toLowerCase(Locale.ROOT);
    return c.contains("accessdenied")
        || c.contains("unauthorized")
        || c.contains("unrecognizedclient")
        || c.contains("invalidclienttokenid")
        || c.contains("expiredtoken")
        || c.contains("signature")
        || c.contains("authfailure");
  }

  private static String hint(boolean auth, AwsSettings s) {
    String region =
        s == null ? Param.REGION.both() : "region " + s.region() + " (from " + s.regionSource() + ")";
    String endpoint =
        s == null || s.endpoint().isEmpty()
            ? Param.ENDPOINT.both() + " (unset: the AWS default endpoint)"
            : "endpoint " + s.endpoint().get() + " (from " + s.endpointSource().orElse("?") + ")";
    String credentials =
        "the credentials (" + Param.PROFILE.both() + ", AWS_PROFILE, or the default credential chain)";
    if (auth) {
      return "Check "
          + credentials
          + ": are they valid, not expired, and allowed to make this call? Also check the "
          + region
          + ".";
    }
    return "Check the " + region + ", the " + endpoint + " and " + credentials + ".";
  }
}
