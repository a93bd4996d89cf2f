package io.github.ecsdeploy.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImageRefTest {

  @ParameterizedTest
  @CsvSource(nullValues = "-", value = {
      "123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/app:v1.4.0, 123456789012.dkr.ecr.eu-west-1.amazonaws.com,"
          + " team/app, v1.4.0, -",
      "123456789012.dkr.ecr.eu-west-1.amazonaws.com/app@sha256:ab, 123456789012.dkr.ecr.eu-west-1.amazonaws.com,"
          + " app, -, sha256:ab",
      "localhost:5000/app:v1@sha256:ab, localhost:5000, app, v1, sha256:ab",
      "library/nginx:1.27, -, library/nginx, 1.27, -",
      "nginx, -, nginx, -, -",
      "app, -, app, -, -"})
  void splitsAnImageReference(String image, String registry, String repository, String tag, String digest) {
    assertEquals(new ImageRef(registry, repository, tag, digest), ImageRef.parse(image));
  }

  @ParameterizedTest
  @CsvSource(nullValues = "-", value = {
      "123456789012.dkr.ecr.eu-west-1.amazonaws.com/app, 123456789012",
      "public.ecr.aws/app, -",
      "localhost:5000/app, -",
      "app, -"})
  void ecrRegistryIdIsTheAccount(String image, String account) {
    assertEquals(Optional.ofNullable(account), ImageRef.parse(image).ecrRegistryId());
  }
}
