package io.github.ecsdeploy.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ecsdeploy.core.ExternalFailureException;
import io.github.ecsdeploy.core.Param;
import io.github.ecsdeploy.core.UserInputException;
import io.github.ecsdeploy.standin.StandInClients;
import io.github.ecsdeploy.standin.StandInExtension;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ecr.EcrClient;

/** GetAuthorizationToken (real SDK, stand-in) turned into a registry host and redacted credentials. */
class EcrRegistryLoginTest {

  @RegisterExtension static final StandInExtension STAND_IN = new StandInExtension();

  @Test
  void proxyEndpointBecomesTheHostAndTheTokenTheCredentials() {
    try (EcrClient ecr = StandInClients.ecr(STAND_IN.get())) {
      EcrRegistryLogin.Login login = EcrRegistryLogin.login(ecr, null);
      assertEquals("127.0.0.1:" + STAND_IN.get().port(), login.registry().host());
      assertEquals("AWS", login.credentials().username());
      assertEquals(STAND_IN.get().ecr().registryPassword(), login.credentials().password());
      assertTrue(login.expiresAt().isAfter(java.time.Instant.now()));
      assertFalse(login.toString().contains(login.credentials().password()), login.toString());
    }
  }

  @Test
  void theRegistryOverrideWinsInAnySpelling() {
    try (EcrClient ecr = StandInClients.ecr(STAND_IN.get())) {
      assertEquals("123456789012.dkr.ecr.eu-west-1.amazonaws.com",
          EcrRegistryLogin.login(ecr, "https://123456789012.dkr.ecr.eu-west-1.amazonaws.com/").registry().host());
      assertEquals("123456789012.dkr.ecr.eu-west-1.amazonaws.com",
          EcrRegistryLogin.login(ecr, " 123456789012.dkr.ecr.eu-west-1.amazonaws.com ").registry().host());
      assertEquals("localhost:5000", EcrRegistryLogin.login(ecr, "http://localhost:5000").registry().host());
      UserInputException bad = assertThrows(UserInputException.class,
          () -> EcrRegistryLogin.login(ecr, "host/with/path"));
      assertEquals(Param.REGISTRY, bad.param().orElseThrow());
      assertTrue(bad.getMessage().contains("<registry> / -Decs.registry"), bad.getMessage());
    }
  }

  @Test
  void endpointsAsEcrSendsThem() {
    assertEquals("123456789012.dkr.ecr.us-east-1.amazonaws.com",
        EcrRegistryLogin.host("https://123456789012.dkr.ecr.us-east-1.amazonaws.com", false).host());
    assertEquals("123456789012.dkr.ecr.us-east-1.amazonaws.com",
        EcrRegistryLogin.host("https://123456789012.dkr.ecr.us-east-1.amazonaws.com:443", false).host());
    assertEquals("127.0.0.1:4566", EcrRegistryLogin.host("http://127.0.0.1:4566", false).host());
  }

  @Test
  void malformedTokensFailWithoutShowingTheToken() {
    String notBase64 = "secret-token-!!";
    ExternalFailureException e1 = assertThrows(ExternalFailureException.class,
        () -> EcrRegistryLogin.decode(notBase64));
    assertFalse(e1.getMessage().contains(notBase64), e1.getMessage());

    String noColon = Base64.getEncoder().encodeToString("AWSsecretpassword".getBytes(StandardCharsets.UTF_8));
    ExternalFailureException e2 = assertThrows(ExternalFailureException.class,
        () -> EcrRegistryLogin.decode(noColon));
    assertFalse(e2.getMessage().contains("secretpassword"), e2.getMessage());
    assertFalse(e2.getMessage().contains(noColon), e2.getMessage());

    assertEquals("pa:ss", EcrRegistryLogin.decode(
        Base64.getEncoder().encodeToString("AWS:pa:ss".getBytes(StandardCharsets.UTF_8))).password());
  }
}
