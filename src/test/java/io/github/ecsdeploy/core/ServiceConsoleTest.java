package io.github.ecsdeploy.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ServiceConsoleTest {

  @Test
  void aCommercialRegionHasItsOwnConsoleHost() {
    assertEquals("https://eu-west-1.console.aws.amazon.com/ecs/v2/clusters/payments/services/hello-app/health"
        + "?region=eu-west-1", ServiceConsole.url("eu-west-1", "payments", "hello-app"));
  }

  @Test
  void namesAreTakenFromArns() {
    assertEquals("https://us-east-1.console.aws.amazon.com/ecs/v2/clusters/payments/services/hello-app/health"
        + "?region=us-east-1", ServiceConsole.url("us-east-1",
            "arn:aws:ecs:us-east-1:123456789012:cluster/payments",
            "arn:aws:ecs:us-east-1:123456789012:service/payments/hello-app"));
  }

  @Test
  void govCloudAndChinaHaveTheirPartitionsConsoles() {
    assertEquals("https://console.amazonaws-us-gov.com/ecs/v2/clusters/c/services/s/health?region=us-gov-west-1",
        ServiceConsole.url("us-gov-west-1", "c", "s"));
    assertEquals("https://console.amazonaws.cn/ecs/v2/clusters/c/services/s/health?region=cn-north-1",
        ServiceConsole.url("cn-north-1", "c", "s"));
  }
}
