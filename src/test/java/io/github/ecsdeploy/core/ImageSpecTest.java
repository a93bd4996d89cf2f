package io.github.ecsdeploy.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The image's Env and labels keep the order the configuration gives them, as jib-maven-plugin does: the order is
 * part of the image config, so another order is another digest than {@code mvn jib:build}'s.
 */
class ImageSpecTest {

  @Test
  void environmentAndLabelsKeepTheirConfiguredOrder() {
    Map<String, String> given = new LinkedHashMap<>();
    for (int i = 20; i > 0; i--) {
      given.put("VAR_" + (char) ('A' + i), "v" + i);
    }
    ImageSpec spec = ImageSpec.builder().baseImage("scratch").mainClass("com.example.App")
        .environment(given).labels(given).build();

    List<String> expected = new ArrayList<>(given.keySet());
    assertEquals(expected, new ArrayList<>(spec.environment().keySet()));
    assertEquals(expected, new ArrayList<>(spec.labels().keySet()));
  }
}
