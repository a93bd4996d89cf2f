package io.github.ecsdeploy.testing;

import io.github.ecsdeploy.aws.AwsSettings;
import io.github.ecsdeploy.aws.CredentialsSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;

/** Fixed dummy keys for goals run against the stand-in, independent of the machine's AWS environment. */
public final class TestCredentials {

  private TestCredentials() {}

  /** A {@link CredentialsSource} of the keys {@code AKIDTEST} / {@code SECRETTEST}, described as "test keys". */
  public static CredentialsSource source() {
    return new CredentialsSource() {
      @Override
      public AwsCredentialsProvider create(AwsSettings settings, SdkHttpClient httpClient) {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "SECRETTEST"));
      }

      @Override
      public String describe() {
        return "test keys";
      }
    };
  }
}
