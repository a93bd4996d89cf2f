package io.github.ecsdeploy.aws;

import io.github.ecsdeploy.core.ExternalFailureException;
import io.github.ecsdeploy.core.Param;
import io.github.ecsdeploy.core.RegistryCredentials;
import io.github.ecsdeploy.core.RegistryHost;
import io.github.ecsdeploy.core.UserInputException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.AuthorizationData;
import software.amazon.awssdk.services.ecr.model.GetAuthorizationTokenResponse;

/**
 * Logs in to ECR's registry the way {@code aws ecr get-login-password | docker login} does, but in memory:
 * GetAuthorizationToken gives a base64 {@code AWS:<password>} token and the registry's {@code proxyEndpoint};
 * the token becomes {@link RegistryCredentials} (which never print the password) and the endpoint the registry
 * host, unless {@code <registry>} / {@code -Decs.registry} overrides it.
 */
public final class EcrRegistryLogin {

  /**
   * What a push needs to reach the registry.
   *
   * @param registry the registry host, {@code host[:port]} as image names spell it (also its ECR account,
   *     region, FIPS and loopback)
   * @param credentials user and password for the registry's Basic auth
   * @param expiresAt when the token expires, or {@code null} when ECR did not say
   */
  public record Login(RegistryHost registry, RegistryCredentials credentials, Instant expiresAt) {}

  private EcrRegistryLogin() {}

  /**
   * Calls GetAuthorizationToken and turns its answer into a login.
   *
   * @param ecr the ECR client of the account and region to push to
   * @param registryOverride {@code <registry>} / {@code -Decs.registry} ({@code host[:port]} or a URL), or
   *     {@code null} to use the token's {@code proxyEndpoint}
   * @throws UserInputException the override is not a host
   * @throws ExternalFailureException ECR answered without a usable token (an SDK failure passes unchanged to the
   *     one mapping of AWS errors)
   */
  public static Login login(EcrClient ecr, String registryOverride) {
    // An SDK failure is not caught: the Mojo's one mapping names the operation, region and credential source.
    GetAuthorizationTokenResponse response = ecr.getAuthorizationToken();
    if (response.authorizationData().isEmpty()) {
      throw new ExternalFailureException("ECR GetAuthorizationToken answered without authorization data.", null);
    }
    AuthorizationData data = response.authorizationData().get(0);
    RegistryCredentials credentials = decode(data.authorizationToken());
    RegistryHost registry = registryOverride != null && !registryOverride.isBlank()
        ? host(registryOverride.trim(), true)
        : host(data.proxyEndpoint(), false);
    return new Login(registry, credentials, data.expiresAt());
  }

  /** Decodes {@code base64(user:password)}; the message of a failure never holds the token. */
  static RegistryCredentials decode(String token) {
    if (token == null) {
      throw new ExternalFailureException("ECR GetAuthorizationToken answered without a token.", null);
    }
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(token.trim()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new ExternalFailureException("ECR GetAuthorizationToken answered with a token that is not base64.", null);
    }
    int colon = decoded.indexOf(':');
    if (colon <= 0 || colon == decoded.length() - 1) {
      throw new ExternalFailureException(
          "ECR GetAuthorizationToken answered with a token that is not 'user:password'.", null);
    }
    return new RegistryCredentials(decoded.substring(0, colon), decoded.substring(colon + 1));
  }

  /**
   * {@code https://123456789012.dkr.ecr.eu-west-1.amazonaws.com} to
   * {@code 123456789012.dkr.ecr.eu-west-1.amazonaws.com}; {@code http://127.0.0.1:4566} to
   * {@code 127.0.0.1:4566}; a bare {@code host[:port]} stays as it is.
   */
  static RegistryHost host(String endpoint, boolean userInput) {
    try {
      return RegistryHost.parse(endpoint);
    } catch (IllegalArgumentException e) {
      throw notAHost(endpoint, userInput);
    }
  }

  private static RuntimeException notAHost(String value, boolean userInput) {
    if (userInput) {
      return new UserInputException(Param.REGISTRY, "'" + value + "' is not a registry host: set "
          + Param.REGISTRY.both() + " to host[:port] (e.g. 123456789012.dkr.ecr.eu-west-1.amazonaws.com), or "
          + "leave it unset to use the registry ECR names.");
    }
    return new ExternalFailureException("ECR GetAuthorizationToken answered with a proxyEndpoint that is not a "
        + "URL: '" + value + "'.", null);
  }
}
