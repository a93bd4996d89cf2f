package io.github.ecsdeploy.aws;

import io.github.ecsdeploy.core.ExternalFailureException;
import io.github.ecsdeploy.core.UserInputException;
import java.util.Locale;
import java.util.function.Function;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.StsClientBuilder;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleWithWebIdentityCredentialsProvider;
import software.amazon.awssdk.services.sts.model.AssumeRoleWithWebIdentityRequest;
import software.amazon.awssdk.services.sts.model.StsException;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * Credentials from a GitLab CI ID token: STS {@code AssumeRoleWithWebIdentity} for {@link WebIdentityRole},
 * through the SDK's {@link StsAssumeRoleWithWebIdentityCredentialsProvider}, which caches the session
 * credentials and assumes the role again before they expire (so a long deployment wait outlives a 15-minute
 * session). The token is read from the environment on each call to STS and passed straight into the
 * request.
 *
 * <p>STS's transient web-identity errors are retried with the settings' retry strategy (same backoff, same
 * {@code <maxAttempts>}): {@code IDPCommunicationError} (the STS API reference: "often a transient error caused
 * by network conditions. Retry the request a limited number of times"; botocore's standard retry mode retries
 * it for STS, {@code botocore/retries/special.py RetryIDPCommunicationError}, as the Go SDK v1 does for all
 * STS calls, {@code service/sts/customizations.go}), and {@code InvalidIdentityToken} whose message says STS
 * "Couldn't retrieve verification key from your identity provider" (STS could not fetch the provider's JWKS;
 * seen intermittently from CI providers, aws/aws-cli#7194, CircleCI-Public/aws-cli-orb#136; the Go SDK v2
 * retries every InvalidIdentityToken of AssumeRoleWithWebIdentity, {@code credentials/stscreds/
 * web_identity_provider.go} "a temporary error that can occur when assuming an Role with a JWT web identity
 * token", as the PHP SDK does since aws/aws-sdk-php#1858; this class narrows it to the keys message, so a
 * token STS judged invalid fails at once).
 * When they persist the build fails as the world's fault ({@link ExternalFailureException}); only a real
 * refusal becomes a {@link UserInputException} saying what to check in {@code id_tokens:} or the OIDC
 * provider, never with the token.
 */
public final class WebIdentityCredentialsSource implements CredentialsSource {

  private final WebIdentityRole role;
  private final Function<String, String> env;

  /**
   * @param role the role to assume
   * @param env reads the token variable ({@code System::getenv} in production)
   */
  public WebIdentityCredentialsSource(WebIdentityRole role, Function<String, String> env) {
    this.role = role;
    this.env = env;
  }

  /** The role this source assumes. */
  public WebIdentityRole role() {
    return role;
  }

  @Override
  public AwsCredentialsProvider create(AwsSettings settings, SdkHttpClient httpClient) {
    StsClientBuilder builder =
        StsClient.builder()
            .httpClient(httpClient)
            .region(Region.of(settings.region()))
            // AssumeRoleWithWebIdentity is unsigned: no other credentials are looked up.
            .credentialsProvider(AnonymousCredentialsProvider.create())
            .overrideConfiguration(
                ClientOverrideConfiguration.builder()
                    .retryStrategy(settings.retryStrategy(WebIdentityCredentialsSource::transientStsError))
                    .build());
    settings.endpoint().ifPresent(builder::endpointOverride);
    StsClient sts = builder.build();
    StsAssumeRoleWithWebIdentityCredentialsProvider provider =
        StsAssumeRoleWithWebIdentityCredentialsProvider.builder()
            .stsClient(sts)
            .asyncCredentialUpdateEnabled(false)
            .refreshRequest(this::request)
            .build();
    return new RoleCredentials(provider, sts, settings);
  }

  private AssumeRoleWithWebIdentityRequest request() {
    return AssumeRoleWithWebIdentityRequest.builder()
        .roleArn(role.roleArn())
        .roleSessionName(role.sessionName())
        .durationSeconds((int) role.sessionDuration().getSeconds())
        .webIdentityToken(role.readToken(env))
        .build();
  }

  @Override
  public String describe() {
    return role.describe();
  }

  /**
   * The role, token variable and session duration; not the session name, which outside GitLab holds the time of
   * the execution: the executions of one build share the first one's role session.
   */
  @Override
  public Object sharingKey() {
    return java.util.List.of(role.roleArn(), role.tokenVariable(), role.sessionDuration());
  }

  @Override
  public String toString() {
    return describe();
  }

  /**
   * STS's transient web-identity errors (see the class comment): {@code IDPCommunicationError}, and
   * {@code InvalidIdentityToken} when STS could not retrieve the identity provider's keys. Everything else
   * (the other InvalidIdentityToken messages, AccessDenied, ExpiredTokenException, IDPRejectedClaim) is a real
   * refusal and is not retried here.
   */
  static boolean transientStsError(Throwable t) {
    if (!(t instanceof AwsServiceException e) || e.awsErrorDetails() == null) {
      return false;
    }
    String code = e.awsErrorDetails().errorCode();
    if ("IDPCommunicationError".equals(code)) {
      return true;
    }
    String message = e.awsErrorDetails().errorMessage();
    return "InvalidIdentityToken".equals(code)
        && message != null
        && message.toLowerCase(Locale.ROOT).contains("retrieve verification key");
  }

  /** The provider handed to the clients: maps STS failures, closes the STS client, redacts itself. */
  private final class RoleCredentials implements AwsCredentialsProvider, SdkAutoCloseable {

    private final StsAssumeRoleWithWebIdentityCredentialsProvider provider;
    private final StsClient sts;
    private final AwsSettings settings;

    RoleCredentials(
        StsAssumeRoleWithWebIdentityCredentialsProvider provider, StsClient sts, AwsSettings settings) {
      this.provider = provider;
      this.sts = sts;
      this.settings = settings;
    }

    @Override
    public AwsCredentials resolveCredentials() {
      try {
        return provider.resolveCredentials();
      } catch (StsException e) {
        throw transientStsError(e) ? unreachable(e) : refused(e);
      } catch (SdkException e) {
        Throwable cause = e.getCause() instanceof StsException ? e.getCause() : null;
        if (cause != null) {
          StsException sts = (StsException) cause;
          throw transientStsError(sts) ? unreachable(sts) : refused(sts);
        }
        throw new ExternalFailureException(
            "Could not get AWS credentials from STS for role "
                + role.roleArn()
                + " ("
                + where()
                + "): "
                + redact(e.getMessage())
                + " Check the network and "
                + AwsSettings.ENV_REGION
                + " / "
                + "<region>.",
            e);
      }
    }

    /**
     * A transient error that outlasted the retries: the world's fault, not the user's. (No "Nothing was
     * changed": a renewal during a long wait fails the same way after changes were made.)
     */
    private ExternalFailureException unreachable(StsException e) {
      int attempts = e.numAttempts() == null ? 1 : e.numAttempts();
      return new ExternalFailureException(
          "STS could not verify the GitLab ID token from $"
              + role.tokenVariable()
              + " for role "
              + role.roleArn()
              + " because it could not reach your GitLab's OIDC keys, "
              + attempts
              + " attempt"
              + (attempts == 1 ? "" : "s")
              + " ("
              + where()
              + "): "
              + stsError(e)
              + ". AWS calls this transient: re-run the job. If it persists, check that your GitLab"
              + " (the token's iss) serves /.well-known/openid-configuration and its jwks_uri publicly over"
              + " HTTPS, or raise "
              + AwsSettings.MAX_ATTEMPTS.both()
              + ".",
          e);
    }

    private UserInputException refused(StsException e) {
      return new UserInputException(
          WebIdentityRole.ROLE_ARN,
          "STS refused the GitLab ID token from $"
              + role.tokenVariable()
              + " for role "
              + role.roleArn()
              + " (session "
              + role.sessionName()
              + "): "
              + stsError(e)
              + ". "
              + hint(code(e)),
          e);
    }

    /** STS's error code, or the HTTP status when it sent none. */
    private static String code(StsException e) {
      AwsErrorDetails details = e.awsErrorDetails();
      return details == null || details.errorCode() == null ? "HTTP " + e.statusCode() : details.errorCode();
    }

    /** {@code Code: message (HTTP 400, request id ...)}, the message redacted. */
    private String stsError(StsException e) {
      AwsErrorDetails details = e.awsErrorDetails();
      String text = details == null || details.errorMessage() == null ? "" : ": " + redact(details.errorMessage());
      return code(e) + text + " (HTTP " + e.statusCode()
          + (e.requestId() == null ? "" : ", request id " + e.requestId()) + ")";
    }

    private String hint(String code) {
      String c = code.toLowerCase(Locale.ROOT);
      if (c.contains("accessdenied") || c.contains("idprejectedclaim")) {
        return "Check the role's trust policy: it must trust the IAM OIDC identity provider of your GitLab"
            + " (token:iss), allow sts:AssumeRoleWithWebIdentity, and its conditions must match this job's"
            + " token: the aud set under id_tokens: and the sub (project_path:GROUP/PROJECT:ref_type:tag:ref:"
            + "TAG). Also check "
            + WebIdentityRole.ROLE_ARN.both()
            + ".";
      }
      if (c.contains("expired")) {
        return "The ID token in $"
            + role.tokenVariable()
            + " has expired: GitLab issues it when the job starts and it lasts the job's timeout; re-run"
            + " the job.";
      }
      if (c.contains("invalididentitytoken")) {
        return "Check that $"
            + role.tokenVariable()
            + " is the job's ID token (id_tokens:, not a CI/CD variable or CI_JOB_JWT) and that the AWS"
            + " account has an IAM OIDC identity provider for your GitLab URL.";
      }
      return "Check "
          + WebIdentityRole.ROLE_ARN.both()
          + " and "
          + WebIdentityRole.SESSION_DURATION.both()
          + " (at most the role's maximum session duration).";
    }

    private String where() {
      return "region "
          + settings.region()
          + settings.endpoint().map(uri -> ", endpoint " + uri).orElse("");
    }

    /** STS does not echo tokens, but a message is never trusted to be free of one. */
    private String redact(String message) {
      if (message == null) {
        return "";
      }
      String token = env.apply(role.tokenVariable());
      return token == null || token.isBlank() ? message : message.replace(token.trim(), "***");
    }

    @Override
    public void close() {
      try {
        provider.close();
      } finally {
        sts.close();
      }
    }

    @Override
    public String toString() {
      return "credentials from " + describe();
    }
  }
}
