package io.github.ecsdeploy.core;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A container registry host as image names spell it, {@code host[:port]}: what the ECR login returns, where
 * push-image pushes, and what a base image is pulled from. It knows what the host says about itself: the AWS
 * account and region of an ECR registry (also FIPS, China and dual-stack hosts), and whether it is a loopback
 * address (the local stand-in), given literally; no name is ever looked up.
 *
 * <p>ECR registry hosts, from the Amazon ECR endpoints page
 * (https://docs.aws.amazon.com/general/latest/gr/ecr.html) and the ECR user guide, "Amazon ECR private
 * registry" (https://docs.aws.amazon.com/AmazonECR/latest/userguide/Registries.html):
 * {@code <account>.dkr.ecr.<region>.amazonaws.com}, {@code <account>.dkr.ecr-fips.<region>.amazonaws.com},
 * {@code <account>.dkr.ecr.<region>.amazonaws.com.cn} and the dual-stack {@code <account>.dkr-ecr.<region>.on.aws}.
 *
 * @param host {@code host[:port]}, without scheme or path
 */
public record RegistryHost(String host) {

  private static final Pattern ECR = Pattern.compile(
      "(\\d{12})\\.(?:dkr\\.ecr(-fips)?\\.([a-z0-9-]+)\\.amazonaws\\.com(?:\\.cn)?|dkr-ecr(-fips)?\\.([a-z0-9-]+)\\.on\\.aws)");

  /** {@code host[:port]} as the distribution spec allows it: a DNS name or IPv4 or [IPv6], optional port. */
  private static final Pattern HOST = Pattern.compile(
      "(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\\[[0-9a-fA-F:.]+\\])"
          + "(?::[0-9]{1,5})?");

  /** Checks the form. */
  public RegistryHost {
    if (host == null || !HOST.matcher(host).matches()) {
      throw new IllegalArgumentException("not a registry host[:port]: '" + host + "'");
    }
  }

  /**
   * A registry host from what a user or ECR wrote: {@code host[:port]}, or a URL
   * ({@code https://123456789012.dkr.ecr.eu-west-1.amazonaws.com}, {@code http://127.0.0.1:4566/}) whose
   * default port for its scheme is dropped.
   *
   * @throws IllegalArgumentException when it is neither
   */
  public static RegistryHost parse(String value) {
    String text = value == null ? "" : value.trim();
    if (text.contains("://")) {
      URI uri;
      try {
        uri = URI.create(text);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("not a registry URL: '" + value + "'", e);
      }
      if (uri.getHost() == null || (uri.getPath() != null && !uri.getPath().isEmpty() && !uri.getPath().equals("/"))) {
        throw new IllegalArgumentException("not a registry URL: '" + value + "'");
      }
      boolean defaultPort = uri.getPort() == -1
          || (uri.getPort() == 443 && "https".equalsIgnoreCase(uri.getScheme()))
          || (uri.getPort() == 80 && "http".equalsIgnoreCase(uri.getScheme()));
      return new RegistryHost(defaultPort ? uri.getHost() : uri.getHost() + ":" + uri.getPort());
    }
    while (text.endsWith("/")) {
      text = text.substring(0, text.length() - 1);
    }
    return new RegistryHost(text);
  }

  /** Whether {@code value} is a registry host ({@link #parse} would accept it). */
  public static boolean isValid(String value) {
    try {
      parse(value);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** The AWS account of an ECR registry host ({@code 123456789012.dkr.ecr...}), when this is one. */
  public Optional<String> ecrAccount() {
    Matcher m = ECR.matcher(hostName());
    return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
  }

  /** The AWS region of an ECR registry host, when this is one. */
  public Optional<String> ecrRegion() {
    Matcher m = ECR.matcher(hostName());
    if (!m.matches()) {
      return Optional.empty();
    }
    return Optional.of(m.group(3) != null ? m.group(3) : m.group(5));
  }

  /** Whether this is an ECR FIPS endpoint ({@code dkr.ecr-fips}). */
  public boolean fips() {
    Matcher m = ECR.matcher(hostName());
    return m.matches() && (m.group(2) != null || m.group(4) != null);
  }

  /** The host without the port (and without the brackets of an IPv6 address). */
  public String hostName() {
    if (host.startsWith("[")) {
      return host.substring(1, host.indexOf(']'));
    }
    int colon = host.lastIndexOf(':');
    return colon < 0 ? host : host.substring(0, colon);
  }

  /**
   * Whether the host is a loopback address, given literally: {@code localhost}, {@code 127.x.x.x} or
   * {@code [::1]}. No name is looked up. Only a loopback registry may be spoken to over plain HTTP.
   */
  public boolean loopback() {
    String name = hostName();
    if (name.equalsIgnoreCase("localhost")) {
      return true;
    }
    if (!name.matches("[0-9.]+") && !name.contains(":")) {
      return false;
    }
    try {
      return InetAddress.getByName(name).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /** {@code host[:port]}. */
  @Override
  public String toString() {
    return host;
  }
}
