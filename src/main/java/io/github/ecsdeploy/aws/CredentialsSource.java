package io.github.ecsdeploy.aws;

import io.github.ecsdeploy.core.Param;
import io.github.ecsdeploy.core.UserInputException;
import java.util.Optional;
import java.util.function.Function;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.http.SdkHttpClient;

/**
 * Where the AWS credentials come from. {@link AwsClients} asks for the provider once, shares it between its
 * clients and closes it (when it is closeable) on {@link AwsClients#close()}. A new source (e.g. GitLab OIDC
 * through STS web identity) is one more implementation; it may use the shared HTTP client and the settings
 * to build its own STS client.
 */
public interface CredentialsSource {

  /**
   * Builds the provider. Called at most once per {@link AwsClients}.
   *
   * @param settings region and endpoint, for sources that call AWS themselves
   * @param httpClient the shared HTTP client; not to be closed by the provider
   */
  AwsCredentialsProvider create(AwsSettings settings, SdkHttpClient httpClient);

  /** For the log: where credentials come from, e.g. {@code profile 'ci' (<profile> / -Decs.profile)}. */
  String describe();

  /**
   * What makes two sources of the same class give the same credentials, so that the executions of one build share
   * one set of clients ({@link SharedAwsClients}). Default: {@link #describe()}.
   */
  default Object sharingKey() {
    return describe();
  }

  /** The SDK's default chain: environment, system properties, web identity, profile, container, instance. */
  static CredentialsSource defaultChain() {
    return new CredentialsSource() {
      @Override
      public AwsCredentialsProvider create(AwsSettings settings, SdkHttpClient httpClient) {
        // Our own instance (create() returns a shared one), so closing it affects nobody else.
        return DefaultCredentialsProvider.builder().build();
      }

      @Override
      public String describe() {
        return "the default AWS credential chain";
      }

      @Override
      public String toString() {
        return describe();
      }
    };
  }

  /** A named profile of {@code ~/.aws/credentials} and {@code ~/.aws/config}. */
  static CredentialsSource profile(String name, String source) {
    return new CredentialsSource() {
      @Override
      public AwsCredentialsProvider create(AwsSettings settings, SdkHttpClient httpClient) {
        // A profile named explicitly that the files do not hold is a typo or a missing setup step: say so
        // instead of the SDK's "Profile file contained no credentials" at the first AWS call.
        if (ProfileFile.defaultProfileFile().profile(name).isEmpty()) {
          throw new UserInputException(Param.PROFILE, "The AWS profile '" + name + "' (" + source + ") is in"
              + " neither the shared credentials file nor the config file (~/.aws/credentials, ~/.aws/config, or"
              + " AWS_SHARED_CREDENTIALS_FILE and AWS_CONFIG_FILE). Fix " + Param.PROFILE.both() + ", create the"
              + " profile (aws configure --profile " + name + "), or leave it unset for the default credential"
              + " chain. Nothing was changed.");
        }
        return ProfileCredentialsProvider.builder().profileName(name).build();
      }

      @Override
      public String describe() {
        return "profile '" + name + "' (" + source + ")";
      }

      @Override
      public String toString() {
        return describe();
      }
    };
  }

  /**
   * The source the parameters ask for: with a role ({@code <roleArn>}), the GitLab ID token through STS
   * web identity; otherwise {@link #forSettings(AwsSettings)}.
   *
   * @param settings the resolved settings
   * @param role the role to assume with the ID token, when {@code <roleArn>} is set
   * @param env reads the token variable
   * @throws UserInputException when both a role and an explicit profile are set
   */
  static CredentialsSource forSettings(
      AwsSettings settings, Optional<WebIdentityRole> role, Function<String, String> env) {
    if (role.isEmpty()) {
      return forSettings(settings);
    }
    if (settings.explicitProfile()) {
      throw new UserInputException(
          WebIdentityRole.ROLE_ARN,
          "Both "
              + WebIdentityRole.ROLE_ARN.both()
              + " and "
              + Param.PROFILE.both()
              + " are set, but credentials come from one of them only. Remove "
              + Param.PROFILE.both()
              + " to log in with the GitLab ID token, or remove "
              + WebIdentityRole.ROLE_ARN.both()
              + " to use the profile.");
    }
    return new WebIdentityCredentialsSource(role.get(), env);
  }

  /**
   * The source the settings ask for: a profile set explicitly through {@code <profile>} wins; otherwise the
   * default chain, which honours {@code AWS_PROFILE} itself in the SDK's order (environment keys first, as
   * the AWS CLI does).
   */
  static CredentialsSource forSettings(AwsSettings settings) {
    if (settings.explicitProfile()) {
      return profile(settings.profile().orElseThrow(), settings.profileSource().orElseThrow());
    }
    if (settings.profile().isPresent()) {
      String name = settings.profile().get();
      return new CredentialsSource() {
        private final CredentialsSource chain = defaultChain();

        @Override
        public AwsCredentialsProvider create(AwsSettings s, SdkHttpClient httpClient) {
          return chain.create(s, httpClient);
        }

        @Override
        public String describe() {
          return "the default AWS credential chain (with " + AwsSettings.ENV_PROFILE + "=" + name + ")";
        }

        @Override
        public String toString() {
          return describe();
        }
      };
    }
    return defaultChain();
  }
}
