package io.github.ecsdeploy.aws;

import io.github.ecsdeploy.core.Param;
import io.github.ecsdeploy.core.UserInputException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.profiles.ProfileProperty;
import software.amazon.awssdk.retries.api.RetryStrategy;

/**
 * Where, as whom and how persistently the AWS clients talk: region, optional profile, optional endpoint
 * override, and the retry strategy. Each value comes from the explicit parameter first, else from where the
 * AWS SDK itself looks ({@code AWS_PROFILE}, {@code AWS_ENDPOINT_URL}; for the region the SDK's region chain,
 * see {@link #resolve(Inputs, AwsEnvironment)}). Each value remembers where it came from, so the log and
 * error messages can name the source.
 *
 * @param region the region, e.g. {@code eu-west-1}
 * @param regionSource where the region came from, e.g. {@code <region> / -Decs.region} or {@code AWS_REGION}
 * @param profile the named profile, when one is set
 * @param profileSource where the profile came from, when one is set
 * @param endpoint the endpoint override for every client, when one is set
 * @param endpointSource where the endpoint came from, when one is set
 * @param retries the retry mode and the maximum number of attempts of every AWS call
 */
public record AwsSettings(
    String region,
    String regionSource,
    Optional<String> profile,
    Optional<String> profileSource,
    Optional<URI> endpoint,
    Optional<String> endpointSource,
    Retries retries) {

  /** The environment variable for the region, as the AWS SDK reads it. */
  public static final String ENV_REGION = "AWS_REGION";
  /**
   * The environment variable for the region as the AWS CLI reads it. The Java SDK ignores it, but GitLab's
   * "Deploy to AWS from GitLab CI/CD" page (https://docs.gitlab.com/ci/cloud_deployment/) tells users to set
   * {@code AWS_DEFAULT_REGION}, so it counts here, after {@code AWS_REGION}.
   */
  public static final String ENV_DEFAULT_REGION = "AWS_DEFAULT_REGION";
  /** The system property for the region, as the AWS SDK reads it (before {@code AWS_REGION}). */
  public static final String PROPERTY_REGION = "aws.region";
  /** The environment variable for the profile, as the AWS SDK reads it. */
  public static final String ENV_PROFILE = "AWS_PROFILE";
  /** The environment variable for the endpoint override, as the AWS SDK reads it. */
  public static final String ENV_ENDPOINT = "AWS_ENDPOINT_URL";

  /** {@code <maxAttempts>} / {@code -Decs.maxAttempts}. */
  public static final Param MAX_ATTEMPTS = new Param("maxAttempts", "ecs.maxAttempts");
  /** {@code <retryMode>} / {@code -Decs.retryMode}. */
  public static final Param RETRY_MODE = new Param("retryMode", "ecs.retryMode");
  /** The most attempts {@code <maxAttempts>} allows: with standard backoff (up to 20 s) about six minutes. */
  public static final int MAX_MAX_ATTEMPTS = 20;

  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  /**
   * The parameters behind the settings, as given (null or blank means unset).
   *
   * @param region {@code <region>}
   * @param profile {@code <profile>}
   * @param endpoint {@code <endpoint>}
   * @param maxAttempts {@code <maxAttempts>}: a whole number, 1 means no retries
   * @param retryMode {@code <retryMode>}: {@code standard} or {@code adaptive}
   */
  public record Inputs(String region, String profile, String endpoint, String maxAttempts, String retryMode) {}

  /** The SDK's two current retry strategies (the SDK's {@code legacy} mode is not offered). */
  public enum RetryMode {
    /** The SDK's standard strategy: exponential backoff with jitter, a retry quota. */
    STANDARD,
    /** Standard plus client-side rate limiting that slows down while AWS throttles. */
    ADAPTIVE;

    /** As the parameter spells it. */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * How AWS calls are retried.
   *
   * @param mode the SDK retry strategy
   * @param maxAttempts attempts per call including the first, or empty for the SDK's default (3)
   */
  public record Retries(RetryMode mode, Optional<Integer> maxAttempts) {

    /** The SDK's standard strategy with its default attempts. */
    public static final Retries SDK_DEFAULT = new Retries(RetryMode.STANDARD, Optional.empty());

    /** For the log: {@code standard mode, SDK default attempts (3)} or {@code adaptive mode, 5 attempts}. */
    public String describe() {
      return mode.label()
          + " mode, "
          + maxAttempts.map(n -> n + " attempt" + (n == 1 ? "" : "s")).orElse("SDK default attempts (3)");
    }
  }

  /**
   * Resolves region, profile and endpoint from the parameters and environment variables only (no system
   * properties, no instance metadata), with the SDK's default retries.
   *
   * @param region the {@code <region>} parameter, may be null
   * @param profile the {@code <profile>} parameter, may be null
   * @param endpoint the {@code <endpoint>} parameter, may be null
   * @param env reads an environment variable, returns null if unset
   * @throws UserInputException when no region is set, or the endpoint is not a usable URL
   */
  public static AwsSettings resolve(
      String region, String profile, String endpoint, Function<String, String> env) {
    return resolve(new Inputs(region, profile, endpoint, null, null), AwsEnvironment.of(env));
  }

  /**
   * Resolves the settings: explicit values win, blank counts as unset. The region comes from the first of:
   * {@code <region>}; the system property {@code aws.region}; {@code AWS_REGION}; {@code AWS_DEFAULT_REGION};
   * {@code region} of the profile ({@code <profile>}, {@code AWS_PROFILE}, the system property
   * {@code aws.profile}, else {@code default}) in the credentials or config file ({@code AWS_CONFIG_FILE},
   * {@code AWS_SHARED_CREDENTIALS_FILE}, else under {@code ~/.aws/}); EC2 instance metadata. That is the AWS
   * SDK's region chain (DefaultAwsRegionProviderChain) with {@code AWS_DEFAULT_REGION} added where the AWS CLI
   * reads it. (In ECS tasks the agent sets {@code AWS_REGION} and {@code AWS_DEFAULT_REGION}.)
   *
   * @param inputs the parameters
   * @param environment environment variables, system properties, instance metadata
   * @throws UserInputException when no region is found anywhere, a value is malformed, or a retry parameter
   *     is not one of the accepted values
   */
  public static AwsSettings resolve(Inputs inputs, AwsEnvironment environment) {
    Function<String, String> env = environment.env();
    Retries retries = parseRetries(inputs.maxAttempts(), inputs.retryMode());
    Sourced profileValue = pick(inputs.profile(), Param.PROFILE, env, ENV_PROFILE);
    Sourced regionValue = region(inputs.region(), profileValue, environment);
    if (!regionValue.value.matches("[A-Za-z0-9-]+")) {
      throw new UserInputException(
          Param.REGION,
          regionValue.source
              + " is '"
              + regionValue.value
              + "', which is not an AWS region name. Use a name like eu-west-1.");
    }
    Sourced endpointValue = pick(inputs.endpoint(), Param.ENDPOINT, env, ENV_ENDPOINT);
    Optional<URI> endpointUri =
        endpointValue == null
            ? Optional.empty()
            : Optional.of(parseEndpoint(endpointValue.value, endpointValue.source));
    return new AwsSettings(
        regionValue.value,
        regionValue.source,
        Optional.ofNullable(profileValue).map(s -> s.value),
        Optional.ofNullable(profileValue).map(s -> s.source),
        endpointUri,
        Optional.ofNullable(endpointValue).map(s -> s.source),
        retries);
  }

  /**
   * A new retry strategy for one client, as {@link #retries()} asks: the SDK's standard or adaptive strategy
   * (with the AWS retry conditions: throttling, 5xx, I/O errors, clock skew), limited to the attempts set.
   */
  public RetryStrategy retryStrategy() {
    return retryStrategy(null);
  }

  /**
   * Like {@link #retryStrategy()}, and also retrying what {@code alsoRetry} accepts (e.g. STS's transient
   * web-identity errors).
   */
  public RetryStrategy retryStrategy(Predicate<Throwable> alsoRetry) {
    RetryStrategy base =
        retries.mode() == RetryMode.ADAPTIVE
            ? AwsRetryStrategy.adaptiveRetryStrategy()
            : AwsRetryStrategy.standardRetryStrategy();
    if (alsoRetry == null && retries.maxAttempts().isEmpty()) {
      return base;
    }
    RetryStrategy.Builder<?, ?> builder = base.toBuilder();
    if (alsoRetry != null) {
      builder.retryOnException(alsoRetry);
    }
    retries.maxAttempts().ifPresent(builder::maxAttempts);
    return builder.build();
  }

  static Retries parseRetries(String maxAttempts, String retryMode) {
    RetryMode mode = RetryMode.STANDARD;
    if (retryMode != null && !retryMode.isBlank()) {
      String m = retryMode.trim().toLowerCase(Locale.ROOT);
      if (m.equals("standard")) {
        mode = RetryMode.STANDARD;
      } else if (m.equals("adaptive")) {
        mode = RetryMode.ADAPTIVE;
      } else {
        throw new UserInputException(
            RETRY_MODE,
            RETRY_MODE.both()
                + " is '"
                + retryMode.trim()
                + "', which is not a retry mode. Use standard (the default: the AWS SDK's standard retries)"
                + " or adaptive (standard plus client-side rate limiting while AWS throttles), e.g."
                + " -Decs.retryMode=adaptive.");
      }
    }
    Optional<Integer> attempts = Optional.empty();
    if (maxAttempts != null && !maxAttempts.isBlank()) {
      String t = maxAttempts.trim();
      Integer n = null;
      try {
        n = Integer.valueOf(t);
      } catch (NumberFormatException e) {
        // answered below
      }
      if (n == null || n < 1 || n > MAX_MAX_ATTEMPTS) {
        throw new UserInputException(
            MAX_ATTEMPTS,
            MAX_ATTEMPTS.both()
                + " is '"
                + t
                + "': use a whole number of attempts per AWS call from 1 (no retries) to "
                + MAX_MAX_ATTEMPTS
                + ", e.g. -Decs.maxAttempts=5, or leave it unset for the AWS SDK's default (3).");
      }
      attempts = Optional.of(n);
    }
    return new Retries(mode, attempts);
  }

  /** True when the profile was set through {@code <profile>} / {@code -Decs.profile}, not the environment. */
  public boolean explicitProfile() {
    return profileSource.map(s -> s.equals(Param.PROFILE.both())).orElse(false);
  }

  /** True when there is an endpoint override and its host is a loopback address. */
  public boolean loopbackEndpoint() {
    return endpoint.map(uri -> isLoopback(uri.getHost())).orElse(false);
  }

  private record Sourced(String value, String source) {}

  private static Sourced pick(
      String explicit, Param param, Function<String, String> env, String envName) {
    if (explicit != null && !explicit.isBlank()) {
      return new Sourced(explicit.trim(), param.both());
    }
    String fromEnv = env.apply(envName);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return new Sourced(fromEnv.trim(), envName);
    }
    return null;
  }

  /** The region and its source, in the order of {@link #resolve(Inputs, AwsEnvironment)}. */
  private static Sourced region(String explicit, Sourced profile, AwsEnvironment environment) {
    if (explicit != null && !explicit.isBlank()) {
      return new Sourced(explicit.trim(), Param.REGION.both());
    }
    Function<String, String> env = environment.env();
    String property = environment.systemProperties().apply(PROPERTY_REGION);
    if (property != null && !property.isBlank()) {
      return new Sourced(property.trim(), "system property " + PROPERTY_REGION);
    }
    for (String name : new String[] {ENV_REGION, ENV_DEFAULT_REGION}) {
      String value = env.apply(name);
      if (value != null && !value.isBlank()) {
        return new Sourced(value.trim(), name);
      }
    }
    String profileName = profile != null ? profile.value : firstSet(environment.systemProperties(), "aws.profile");
    if (profileName == null) {
      profileName = "default";
    }
    List<Path> files = profileFiles(environment);
    for (Path file : files) {
      Optional<String> fromProfile = profileRegion(file, profileName);
      if (fromProfile.isPresent()) {
        return new Sourced(fromProfile.get(), "region of profile '" + profileName + "' in " + file);
      }
    }
    Optional<String> imds = environment.instanceMetadataRegion().get();
    if (imds.isPresent() && !imds.get().isBlank()) {
      return new Sourced(imds.get().trim(), "EC2 instance metadata");
    }
    throw new UserInputException(
        Param.REGION,
        "No AWS region is set. Set "
            + Param.REGION.both()
            + " (e.g. -Decs.region=eu-west-1), or the environment variable "
            + ENV_REGION
            + " or "
            + ENV_DEFAULT_REGION
            + ". Also looked in vain at the system property "
            + PROPERTY_REGION
            + ", region of profile '"
            + profileName
            + "' in "
            + (files.isEmpty() ? "~/.aws/credentials and ~/.aws/config (absent)" : files.toString())
            + ", and EC2 instance metadata.");
  }

  /** The credentials file, then the config file, as the SDK locates them; only those that exist. */
  private static List<Path> profileFiles(AwsEnvironment environment) {
    Function<String, String> env = environment.env();
    Function<String, String> props = environment.systemProperties();
    String home = firstSet(env, "HOME");
    if (home == null) {
      home = firstSet(props, "user.home");
    }
    List<Path> files = new ArrayList<>();
    for (String[] file : new String[][] {
      {"aws.sharedCredentialsFile", "AWS_SHARED_CREDENTIALS_FILE", "credentials"},
      {"aws.configFile", "AWS_CONFIG_FILE", "config"}
    }) {
      String explicit = firstSet(props, file[0]);
      if (explicit == null) {
        explicit = firstSet(env, file[1]);
      }
      Path path = explicit != null ? Path.of(explicit) : home == null ? null : Path.of(home, ".aws", file[2]);
      if (path != null && Files.isRegularFile(path)) {
        files.add(path);
      }
    }
    return files;
  }

  /** The {@code region} of a profile in one file, parsed by the SDK; empty when absent or unreadable. */
  private static Optional<String> profileRegion(Path file, String profileName) {
    try {
      ProfileFile.Type type =
          file.getFileName().toString().equals("credentials")
              ? ProfileFile.Type.CREDENTIALS
              : ProfileFile.Type.CONFIGURATION;
      return ProfileFile.builder()
          .content(file)
          .type(type)
          .build()
          .profile(profileName)
          .flatMap(p -> p.property(ProfileProperty.REGION))
          .filter(r -> !r.isBlank())
          .map(String::trim);
    } catch (RuntimeException e) {
      // A file the SDK cannot parse gives no region here; the SDK reports it when it reads credentials.
      return Optional.empty();
    }
  }

  private static String firstSet(Function<String, String> source, String name) {
    String v = source.apply(name);
    return v == null || v.isBlank() ? null : v.trim();
  }

  private static URI parseEndpoint(String value, String source) {
    String named =
        source.equals(ENV_ENDPOINT)
            ? ENV_ENDPOINT + " (used because " + Param.ENDPOINT.both() + " is not set)"
            : source;
    String how =
        " Use an absolute URL such as https://ecs.eu-west-1.amazonaws.com, or http://localhost:4566 for a"
            + " local stand-in.";
    URI uri;
    try {
      uri = new URI(value);
    } catch (URISyntaxException e) {
      throw new UserInputException(
          Param.ENDPOINT, named + " is not a valid URL: '" + value + "'." + how, e);
    }
    if (uri.getRawUserInfo() != null) {
      // Never echo the value: the user part may hold a secret.
      throw new UserInputException(
          Param.ENDPOINT,
          named + " must not contain a user or password (user@host); credentials come from the AWS"
              + " credential chain or " + Param.PROFILE.both() + "." + how);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!uri.isAbsolute()
        || uri.getHost() == null
        || !(scheme.equals("http") || scheme.equals("https"))
        || uri.getRawQuery() != null
        || uri.getRawFragment() != null) {
      throw new UserInputException(
          Param.ENDPOINT,
          named + " is not a valid endpoint URL: '" + value + "' (need http(s)://host[:port])." + how);
    }
    if (scheme.equals("http") && !isLoopback(uri.getHost())) {
      throw new UserInputException(
          Param.ENDPOINT,
          named
              + " is '"
              + value
              + "': plain http is only allowed for a loopback host (localhost, 127.0.0.1, [::1]),"
              + " because requests carry signed credentials. Use https://.");
    }
    return uri;
  }

  /** Loopback by its literal name only: never a DNS lookup. */
  static boolean isLoopback(String host) {
    if (host == null) {
      return false;
    }
    String h = host.toLowerCase(Locale.ROOT);
    if (h.equals("localhost")) {
      return true;
    }
    boolean ipLiteral = IPV4.matcher(h).matches() || (h.startsWith("[") && h.endsWith("]"));
    if (!ipLiteral) {
      return false;
    }
    try {
      // An IP literal is parsed, not looked up.
      return InetAddress.getByName(h).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
