package demo.b;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

class ServiceBTest {
  @Test
  void namesItself() {
    assertEquals("service b", ServiceB.name());
  }

  /** The release blocker of the first run: -Dits.broken=true (the POM's default) makes this test fail. */
  @Test
  void isNotBroken() {
    assertFalse(Boolean.getBoolean("its.broken"), "service b is broken in this run (its.broken=true)");
  }
}
