package io.github.ecsdeploy.testing;

import io.github.ecsdeploy.aws.AwsSettings;
import io.github.ecsdeploy.aws.CredentialsSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;

/**
 * The one set of fixed dummy keys for everything that talks to the stand-in (in-process clients, the ITs' own
 * clients, the AWS CLI runs; the invoker ITs get the same pair from the POM), independent of the machine's AWS
 * environment. The stand-in accepts any key; these only have to be the same everywhere.
 */
public final class TestCredentials {

  /** The access key id; the stand-in's STS GetCallerIdentity reports it as the user id. */
  public static final String ACCESS_KEY_ID = "AKIDSTANDIN";

  /** The secret key: must never appear in a log. */
  public static final String SECRET_ACCESS_KEY = "stand-in-secret";

  private TestCredentials() {}

  /** An SDK credentials provider of the keys. */
  public static StaticCredentialsProvider provider() {
    return StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY_ID, SECRET_ACCESS_KEY));
  }

  /** A {@link CredentialsSource} of the keys, for goals run against the stand-in, described as "test keys". */
  public static CredentialsSource source() {
    return new CredentialsSource() {
      @Override
      public StaticCredentialsProvider create(AwsSettings settings, SdkHttpClient httpClient) {
        return provider();
      }

      @Override
      public String describe() {
        return "test keys";
      }
    };
  }
}
