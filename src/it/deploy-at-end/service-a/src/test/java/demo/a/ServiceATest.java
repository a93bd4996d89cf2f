package demo.a;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ServiceATest {
  @Test
  void namesItself() {
    assertEquals("service a", ServiceA.name());
  }
}
