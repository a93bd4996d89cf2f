package io.github.ecsdeploy.core;

import java.util.Objects;

/**
 * A user name and password for a container registry, held in memory only. {@link #toString()} never shows
 * the password, so the value cannot slip into a log line or an exception message by accident.
 *
 * @param username the registry user ({@code AWS} for ECR)
 * @param password the secret (for ECR: the token from GetAuthorizationToken)
 */
public record RegistryCredentials(String username, String password) {

  /** Checks that both parts are present. */
  public RegistryCredentials {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
  }

  /** {@code RegistryCredentials[username=AWS, password=****]}. */
  @Override
  public String toString() {
    return "RegistryCredentials[username=" + username + ", password=****]";
  }
}
