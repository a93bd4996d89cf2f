package io.github.ecsdeploy.aws;

import io.github.ecsdeploy.core.Param;
import io.github.ecsdeploy.core.UserInputException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Where and as whom the AWS clients talk: region, optional profile, optional endpoint override. Each value
 * comes from the explicit parameter first, else from the environment variable the AWS SDK itself reads
 * ({@code AWS_REGION}, {@code AWS_PROFILE}, {@code AWS_ENDPOINT_URL}). Each value remembers where it came
 * from, so the log and error messages can name the source.
 *
 * @param region the region, e.g. {@code eu-west-1}
 * @param regionSource where the region came from, e.g. {@code <region> / -Decs.region} or {@code AWS_REGION}
 * @param profile the named profile, when one is set
 * @param profileSource where the profile came from, when one is set
 * @param endpoint the endpoint override for every client, when one is set
 * @param endpointSource where the endpoint came from, when one is set
 */
public record AwsSettings(
    String region,
    String regionSource,
    Optional<String> profile,
    Optional<String> profileSource,
    Optional<URI> endpoint,
    Optional<String> endpointSource) {

  /** The environment variable for the region, as the AWS SDK reads it. */
  public static final String ENV_REGION = "AWS_REGION";
  /** The environment variable for the profile, as the AWS SDK reads it. */
  public static final String ENV_PROFILE = "AWS_PROFILE";
  /** The environment variable for the endpoint override, as the AWS SDK reads it. */
  public static final String ENV_ENDPOINT = "AWS_ENDPOINT_URL";

  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  /**
   * Resolves the settings: explicit values win, blank counts as unset, then the environment.
   *
   * @param region the {@code <region>} parameter, may be null
   * @param profile the {@code <profile>} parameter, may be null
   * @param endpoint the {@code <endpoint>} parameter, may be null
   * @param env reads an environment variable ({@code System::getenv} in production), returns null if unset
   * @throws UserInputException when no region is set, or the endpoint is not a usable URL
   */
  public static AwsSettings resolve(
      String region, String profile, String endpoint, Function<String, String> env) {
    Sourced regionValue = pick(region, Param.REGION, env, ENV_REGION);
    if (regionValue == null) {
      throw new UserInputException(
          Param.REGION,
          "No AWS region is set. Set "
              + Param.REGION.both()
              + " (e.g. -Decs.region=eu-west-1) or the environment variable "
              + ENV_REGION
              + ".");
    }
    if (!regionValue.value.matches("[A-Za-z0-9-]+")) {
      throw new UserInputException(
          Param.REGION,
          regionValue.source
              + " is '"
              + regionValue.value
              + "', which is not an AWS region name. Use a name like eu-west-1.");
    }
    Sourced profileValue = pick(profile, Param.PROFILE, env, ENV_PROFILE);
    Sourced endpointValue = pick(endpoint, Param.ENDPOINT, env, ENV_ENDPOINT);
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
        Optional.ofNullable(endpointValue).map(s -> s.source));
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
