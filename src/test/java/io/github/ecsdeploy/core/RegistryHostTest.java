package io.github.ecsdeploy.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What a registry host says about itself: ECR account, region and FIPS, loopback, without lookups. */
class RegistryHostTest {

  @Test
  void loopbackIsDecidedWithoutLookingNamesUp() {
    assertTrue(RegistryHost.parse("127.0.0.1:5000").loopback());
    assertTrue(RegistryHost.parse("localhost:5000").loopback());
    assertTrue(RegistryHost.parse("[::1]:5000").loopback());
    assertFalse(RegistryHost.parse("10.0.0.1:5000").loopback());
    assertFalse(RegistryHost.parse("127.0.0.1.nip.io").loopback());
    assertFalse(RegistryHost.parse("123456789012.dkr.ecr.eu-west-1.amazonaws.com").loopback());
  }

  @Test
  void ecrHostsNameTheirAccountAndRegion() {
    RegistryHost plain = RegistryHost.parse("123456789012.dkr.ecr.eu-west-1.amazonaws.com");
    assertEquals(Optional.of("123456789012"), plain.ecrAccount());
    assertEquals(Optional.of("eu-west-1"), plain.ecrRegion());
    assertFalse(plain.fips());
    RegistryHost fips = RegistryHost.parse("123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com");
    assertEquals(Optional.of("123456789012"), fips.ecrAccount());
    assertEquals(Optional.of("us-gov-west-1"), fips.ecrRegion());
    assertTrue(fips.fips());
    assertEquals(Optional.of("cn-north-1"),
        RegistryHost.parse("123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn").ecrRegion());
    assertEquals(Optional.of("ap-south-2"),
        RegistryHost.parse("123456789012.dkr-ecr.ap-south-2.on.aws").ecrRegion());
    assertEquals(Optional.empty(), RegistryHost.parse("127.0.0.1:5000").ecrAccount());
    assertEquals(Optional.empty(), RegistryHost.parse("public.ecr.aws").ecrAccount());
    assertEquals(Optional.empty(), RegistryHost.parse("12345.dkr.ecr.eu-west-1.amazonaws.com").ecrAccount());
  }

  @Test
  void urlsAndHostsAreReadAsEcrAndUsersWriteThem() {
    assertEquals("123456789012.dkr.ecr.us-east-1.amazonaws.com",
        RegistryHost.parse("https://123456789012.dkr.ecr.us-east-1.amazonaws.com:443/").host());
    assertEquals("127.0.0.1:4566", RegistryHost.parse("http://127.0.0.1:4566").host());
    assertEquals("registry.example.com:5000", RegistryHost.parse(" registry.example.com:5000/ ").host());
    for (String bad : new String[] {"", "host/with/path", "https://host/path", "a b", "host:port"}) {
      assertThrows(IllegalArgumentException.class, () -> RegistryHost.parse(bad), bad);
    }
  }
}
