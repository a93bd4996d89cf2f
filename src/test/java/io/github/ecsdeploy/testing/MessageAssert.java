package io.github.ecsdeploy.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Assertions on the text of a message: each failure shows the whole message. */
public final class MessageAssert {

  private MessageAssert() {}

  /** {@code message} contains every one of {@code fragments}. */
  public static void assertContainsAll(String message, String... fragments) {
    for (String fragment : fragments) {
      assertTrue(message != null && message.contains(fragment), () -> "lacks '" + fragment + "': " + message);
    }
  }
}
