package io.github.ecsdeploy.aws;

import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.providers.InstanceProfileRegionProvider;

/**
 * What {@link AwsSettings} may read besides the parameters, as three functions so that tests never touch the
 * real environment: environment variables, JVM system properties, and the region of the EC2 instance (from
 * instance metadata). {@link #system()} is the real thing; {@link #of(Function)} reads only the given variables.
 *
 * @param env reads an environment variable, null if unset
 * @param systemProperties reads a JVM system property, null if unset
 * @param instanceMetadataRegion the region from EC2 instance metadata (IMDS), empty when not on EC2
 */
public record AwsEnvironment(
    Function<String, String> env,
    Function<String, String> systemProperties,
    Supplier<Optional<String>> instanceMetadataRegion) {

  /** The process's environment, system properties and (when on EC2) instance metadata. */
  public static AwsEnvironment system() {
    return new AwsEnvironment(System::getenv, System::getProperty, AwsEnvironment::imdsRegion);
  }

  /** Only these environment variables: no system properties, no instance metadata. */
  public static AwsEnvironment of(Function<String, String> env) {
    return new AwsEnvironment(env, name -> null, Optional::empty);
  }

  /**
   * The SDK's own instance-metadata region lookup (the last link of its region chain). It honours
   * {@code AWS_EC2_METADATA_DISABLED}; off EC2 it fails after the SDK's short metadata timeouts.
   */
  static Optional<String> imdsRegion() {
    try {
      return Optional.ofNullable(new InstanceProfileRegionProvider().getRegion()).map(r -> r.id());
    } catch (SdkClientException | IllegalStateException e) {
      return Optional.empty();
    }
  }
}
