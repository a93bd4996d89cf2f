package io.github.ecsdeploy.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ecsdeploy.core.Param;
import io.github.ecsdeploy.core.UserInputException;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AwsSettingsTest {

  private static final Function<String, String> NO_ENV = name -> null;

  private static Function<String, String> env(Map<String, String> vars) {
    return vars::get;
  }

  @Test
  void explicitValuesWinOverTheEnvironment() {
    AwsSettings s =
        AwsSettings.resolve(
            "eu-west-1",
            "deploy",
            "https://ecs.example.test",
            env(
                Map.of(
                    "AWS_REGION", "us-east-1",
                    "AWS_PROFILE", "other",
                    "AWS_ENDPOINT_URL", "https://env.example.test")));
    assertEquals("eu-west-1", s.region());
    assertEquals("<region> / -Decs.region", s.regionSource());
    assertEquals(Optional.of("deploy"), s.profile());
    assertTrue(s.explicitProfile());
    assertEquals(Optional.of(URI.create("https://ecs.example.test")), s.endpoint());
    assertEquals(Optional.of("<endpoint> / -Decs.endpoint"), s.endpointSource());
  }

  @Test
  void theEnvironmentFillsWhatIsNotSetExplicitly() {
    AwsSettings s =
        AwsSettings.resolve(
            null,
            "  ",
            "",
            env(
                Map.of(
                    "AWS_REGION", "us-east-1",
                    "AWS_PROFILE", "ci",
                    "AWS_ENDPOINT_URL", "http://localhost:4566")));
    assertEquals("us-east-1", s.region());
    assertEquals("AWS_REGION", s.regionSource());
    assertEquals(Optional.of("ci"), s.profile());
    assertEquals(Optional.of("AWS_PROFILE"), s.profileSource());
    assertFalse(s.explicitProfile());
    assertEquals(Optional.of(URI.create("http://localhost:4566")), s.endpoint());
    assertEquals(Optional.of("AWS_ENDPOINT_URL"), s.endpointSource());
    assertTrue(s.loopbackEndpoint());
  }

  @Test
  void nothingOptionalSetMeansEmpty() {
    AwsSettings s = AwsSettings.resolve("eu-central-1", null, null, NO_ENV);
    assertEquals(Optional.empty(), s.profile());
    assertEquals(Optional.empty(), s.endpoint());
    assertFalse(s.loopbackEndpoint());
  }

  @Test
  void aMissingRegionNamesBothSpellingsAndTheEnvironmentVariable() {
    UserInputException e =
        assertThrows(UserInputException.class, () -> AwsSettings.resolve(null, null, null, NO_ENV));
    assertTrue(e.getMessage().contains("<region> / -Decs.region"), e.getMessage());
    assertTrue(e.getMessage().contains("AWS_REGION"), e.getMessage());
    assertEquals(Optional.of(Param.REGION), e.param());
  }

  @Test
  void aRegionWithSpacesIsRefused() {
    UserInputException e =
        assertThrows(
            UserInputException.class, () -> AwsSettings.resolve("eu west 1", null, null, NO_ENV));
    assertTrue(e.getMessage().contains("<region> / -Decs.region"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"not a url", "ecs.example.test", "ftp://ecs.example.test", "https://", "https://h/?a=b"})
  void aMalformedEndpointNamesTheParameter(String endpoint) {
    UserInputException e =
        assertThrows(
            UserInputException.class, () -> AwsSettings.resolve("eu-west-1", null, endpoint, NO_ENV));
    assertTrue(e.getMessage().contains("<endpoint> / -Decs.endpoint"), e.getMessage());
    assertEquals(Optional.of(Param.ENDPOINT), e.param());
  }

  @Test
  void aMalformedEndpointFromTheEnvironmentNamesTheVariable() {
    UserInputException e =
        assertThrows(
            UserInputException.class,
            () -> AwsSettings.resolve("eu-west-1", null, null, env(Map.of("AWS_ENDPOINT_URL", "::bad"))));
    assertTrue(e.getMessage().startsWith("AWS_ENDPOINT_URL"), e.getMessage());
    assertTrue(e.getMessage().contains("<endpoint> / -Decs.endpoint"), e.getMessage());
  }

  @Test
  void anEndpointWithUserInfoIsRefusedWithoutEchoingIt() {
    UserInputException e =
        assertThrows(
            UserInputException.class,
            () -> AwsSettings.resolve("eu-west-1", null, "https://me:s3cret@ecs.example.test", NO_ENV));
    assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
    assertTrue(e.getMessage().contains("<endpoint> / -Decs.endpoint"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"http://localhost:4566", "http://LOCALHOST", "http://127.0.0.1:9000", "http://127.1.2.3", "http://[::1]:8080/"})
  void plainHttpIsFineForLoopback(String endpoint) {
    AwsSettings s = AwsSettings.resolve("eu-west-1", null, endpoint, NO_ENV);
    assertEquals(URI.create(endpoint), s.endpoint().orElseThrow());
    assertTrue(s.loopbackEndpoint());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"http://ecs.example.test", "http://10.0.0.1:4566", "http://localhost.example.test", "http://[::2]"})
  void plainHttpIsRefusedForOtherHosts(String endpoint) {
    UserInputException e =
        assertThrows(
            UserInputException.class, () -> AwsSettings.resolve("eu-west-1", null, endpoint, NO_ENV));
    assertTrue(e.getMessage().contains("<endpoint> / -Decs.endpoint"), e.getMessage());
    assertTrue(e.getMessage().contains("https://"), e.getMessage());
  }

  @Test
  void httpsIsFineForAnyHost() {
    AwsSettings s = AwsSettings.resolve("eu-west-1", null, "https://10.0.0.1:4566", NO_ENV);
    assertFalse(s.loopbackEndpoint());
  }

  // --- the region chain ---

  @TempDir java.nio.file.Path home;

  private static AwsSettings.Inputs noParameters() {
    return new AwsSettings.Inputs(null, null, null, null, null);
  }

  private static AwsEnvironment environment(
      Map<String, String> env, Map<String, String> properties, String imdsRegion) {
    return new AwsEnvironment(env::get, properties::get, () -> Optional.ofNullable(imdsRegion));
  }

  @Test
  void theRegionChainInTheSdksOrderWithAwsDefaultRegionAfterAwsRegion() throws Exception {
    java.nio.file.Files.createDirectories(home.resolve(".aws"));
    java.nio.file.Files.writeString(home.resolve(".aws/config"), "[default]\nregion = ca-central-1\n");
    Map<String, String> all = new java.util.HashMap<>(Map.of(
        "HOME", home.toString(), "AWS_REGION", "us-east-2", "AWS_DEFAULT_REGION", "eu-north-1"));
    Map<String, String> props = new java.util.HashMap<>(Map.of("aws.region", "sa-east-1"));

    AwsSettings s = AwsSettings.resolve(
        new AwsSettings.Inputs("eu-west-1", null, null, null, null), environment(all, props, "us-west-2"));
    assertEquals("<region> / -Decs.region", s.regionSource());

    s = AwsSettings.resolve(noParameters(), environment(all, props, "us-west-2"));
    assertEquals("sa-east-1", s.region());
    assertEquals("system property aws.region", s.regionSource());

    props.clear();
    s = AwsSettings.resolve(noParameters(), environment(all, props, "us-west-2"));
    assertEquals("us-east-2", s.region());
    assertEquals("AWS_REGION", s.regionSource());

    all.remove("AWS_REGION");
    s = AwsSettings.resolve(noParameters(), environment(all, props, "us-west-2"));
    assertEquals("eu-north-1", s.region());
    assertEquals("AWS_DEFAULT_REGION", s.regionSource());

    all.remove("AWS_DEFAULT_REGION");
    s = AwsSettings.resolve(noParameters(), environment(all, props, "us-west-2"));
    assertEquals("ca-central-1", s.region());
    assertEquals("region of profile 'default' in " + home.resolve(".aws/config"), s.regionSource());

    java.nio.file.Files.delete(home.resolve(".aws/config"));
    s = AwsSettings.resolve(noParameters(), environment(all, props, "us-west-2"));
    assertEquals("us-west-2", s.region());
    assertEquals("EC2 instance metadata", s.regionSource());
  }

  @Test
  void theProfileOfTheRegionIsTheProfileInUseAndAwsConfigFileIsHonoured() throws Exception {
    java.nio.file.Path config = home.resolve("elsewhere.ini");
    java.nio.file.Files.writeString(config,
        "[default]\nregion = us-east-1\n\n[profile ci]\nregion = ap-northeast-1\n");
    AwsSettings s = AwsSettings.resolve(noParameters(),
        environment(Map.of("AWS_CONFIG_FILE", config.toString(), "AWS_PROFILE", "ci"), Map.of(), null));
    assertEquals("ap-northeast-1", s.region());
    assertEquals("region of profile 'ci' in " + config, s.regionSource());
  }

  @Test
  void noRegionAnywhereSaysEveryPlaceItLooked() {
    UserInputException e = assertThrows(UserInputException.class,
        () -> AwsSettings.resolve(noParameters(), environment(Map.of(), Map.of(), null)));
    String m = e.getMessage();
    assertTrue(m.contains("<region> / -Decs.region"), m);
    assertTrue(m.contains("AWS_REGION") && m.contains("AWS_DEFAULT_REGION"), m);
    assertTrue(m.contains("aws.region") && m.contains("profile 'default'") && m.contains("instance metadata"), m);
  }

  // --- retries ---

  @Test
  void retriesDefaultToTheSdksStandardStrategyWithItsAttempts() {
    AwsSettings s = AwsSettings.resolve("eu-west-1", null, null, NO_ENV);
    assertEquals(AwsSettings.Retries.SDK_DEFAULT, s.retries());
    assertTrue(s.retryStrategy() instanceof software.amazon.awssdk.retries.StandardRetryStrategy);
    assertEquals(3, s.retryStrategy().maxAttempts());
  }

  @ParameterizedTest
  @ValueSource(strings = {"adaptive", "ADAPTIVE", " Adaptive "})
  void adaptiveModeIsTheSdksAdaptiveStrategy(String mode) {
    AwsSettings s = AwsSettings.resolve(
        new AwsSettings.Inputs("eu-west-1", null, null, "7", mode), AwsEnvironment.of(NO_ENV));
    assertTrue(s.retryStrategy() instanceof software.amazon.awssdk.retries.AdaptiveRetryStrategy);
    assertEquals(7, s.retryStrategy().maxAttempts());
    assertEquals("adaptive mode, 7 attempts", s.retries().describe());
  }

  @ParameterizedTest
  @ValueSource(strings = {"legacy", "fast", "standard,adaptive"})
  void aBadRetryModeIsAUserErrorNamingBothSpellings(String mode) {
    UserInputException e = assertThrows(UserInputException.class, () -> AwsSettings.resolve(
        new AwsSettings.Inputs("eu-west-1", null, null, null, mode), AwsEnvironment.of(NO_ENV)));
    assertTrue(e.getMessage().startsWith("<retryMode> / -Decs.retryMode is '" + mode + "'"), e.getMessage());
    assertEquals(AwsSettings.RETRY_MODE, e.param().orElseThrow());
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "21", "x", "1e3", "-3"})
  void aBadMaxAttemptsIsAUserErrorNamingBothSpellings(String attempts) {
    UserInputException e = assertThrows(UserInputException.class, () -> AwsSettings.resolve(
        new AwsSettings.Inputs("eu-west-1", null, null, attempts, null), AwsEnvironment.of(NO_ENV)));
    assertTrue(e.getMessage().startsWith("<maxAttempts> / -Decs.maxAttempts is '" + attempts + "'"),
        e.getMessage());
  }

  @Test
  void oneAttemptMeansNoRetries() {
    AwsSettings s = AwsSettings.resolve(
        new AwsSettings.Inputs("eu-west-1", null, null, "1", "standard"), AwsEnvironment.of(NO_ENV));
    assertEquals(1, s.retryStrategy().maxAttempts());
    assertEquals("standard mode, 1 attempt", s.retries().describe());
  }
}
