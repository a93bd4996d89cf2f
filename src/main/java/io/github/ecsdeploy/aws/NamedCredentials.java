package io.github.ecsdeploy.aws;

import io.github.ecsdeploy.core.DeployLog;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.useragent.BusinessMetricFeatureId;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * The credentials provider the clients share: passes every call through to the provider of the
 * {@link CredentialsSource}, and the first time credentials arrive logs one info line naming the SDK provider
 * that supplied them. The SDK names it in {@link AwsCredentials#providerName()} as its credential feature ids
 * ({@code g} = environment variables, {@code k} = STS web identity, ...), the same ids it sends in the user
 * agent; this class spells them out. A provider that names nothing gets no line. Never logs or holds a key;
 * {@link #toString()} names the source only.
 */
final class NamedCredentials implements AwsCredentialsProvider, SdkAutoCloseable {

  /** What the user should read for the SDK's credential feature ids (the rest are spelled from their names). */
  private static final Map<String, String> READABLE =
      Map.ofEntries(
          Map.entry("CREDENTIALS_JVM_SYSTEM_PROPERTIES", "JVM system properties aws.accessKeyId / aws.secretAccessKey"),
          Map.entry("CREDENTIALS_ENV_VARS", "environment variables AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY"),
          Map.entry(
              "CREDENTIALS_ENV_VARS_STS_WEB_ID_TOKEN",
              "web identity from AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE"),
          Map.entry("CREDENTIALS_STS_ASSUME_ROLE_WEB_ID", "STS AssumeRoleWithWebIdentity"),
          Map.entry("CREDENTIALS_STS_ASSUME_ROLE", "STS AssumeRole"),
          Map.entry("CREDENTIALS_PROFILE", "a profile in ~/.aws/credentials or ~/.aws/config"),
          Map.entry("CREDENTIALS_PROFILE_SOURCE_PROFILE", "a profile's source_profile"),
          Map.entry("CREDENTIALS_PROFILE_STS_WEB_ID_TOKEN", "a profile's web_identity_token_file"),
          Map.entry("CREDENTIALS_PROFILE_SSO", "a profile's IAM Identity Center (SSO) session"),
          Map.entry("CREDENTIALS_PROFILE_PROCESS", "a profile's credential_process"),
          Map.entry("CREDENTIALS_HTTP", "the container credentials endpoint (ECS task role)"),
          Map.entry("CREDENTIALS_IMDS", "EC2 instance metadata (instance role)"));

  private final AwsCredentialsProvider delegate;
  private final CredentialsSource source;
  private final DeployLog log;
  private final AtomicBoolean named = new AtomicBoolean();

  NamedCredentials(AwsCredentialsProvider delegate, CredentialsSource source, DeployLog log) {
    this.delegate = delegate;
    this.source = source;
    this.log = log;
  }

  @Override
  public AwsCredentials resolveCredentials() {
    AwsCredentials credentials = delegate.resolveCredentials();
    // A provider that does not name itself (a fixed test key) adds nothing to the region/source line.
    if (credentials.providerName().filter(n -> !n.isBlank()).isPresent() && named.compareAndSet(false, true)) {
      log.info("AWS credentials supplied by " + describe(credentials.providerName()) + ", found through "
          + source.describe());
    }
    return credentials;
  }

  /**
   * The SDK's provider name in words, e.g. {@code environment variables AWS_ACCESS_KEY_ID /
   * AWS_SECRET_ACCESS_KEY [SDK: CREDENTIALS_ENV_VARS]}.
   */
  static String describe(Optional<String> providerName) {
    if (providerName.isEmpty() || providerName.get().isBlank()) {
      return "a provider that does not name itself";
    }
    List<String> words = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (String code : providerName.get().split(",")) {
      String c = code.trim();
      Optional<BusinessMetricFeatureId> id = feature(c);
      String name = id.map(Enum::name).orElse(c);
      ids.add(name);
      words.add(READABLE.getOrDefault(name, id.isPresent() ? spell(name) : "provider " + c));
    }
    return String.join(" via ", words) + " [SDK: " + String.join(",", ids) + "]";
  }

  private static Optional<BusinessMetricFeatureId> feature(String code) {
    try {
      for (BusinessMetricFeatureId id : BusinessMetricFeatureId.values()) {
        if (id.value().equals(code)) {
          return Optional.of(id);
        }
      }
    } catch (RuntimeException | LinkageError e) {
      // An SDK without this enum: the code itself is all we can show.
    }
    return Optional.empty();
  }

  private static String spell(String name) {
    return name.replaceFirst("^CREDENTIALS_", "").toLowerCase(Locale.ROOT).replace('_', ' ');
  }

  @Override
  public void close() {
    if (delegate instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException("Could not close the credentials provider", e);
      }
    }
  }

  @Override
  public String toString() {
    return "credentials from " + source.describe();
  }
}
