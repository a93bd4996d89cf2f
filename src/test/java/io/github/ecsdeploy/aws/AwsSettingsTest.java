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
}
