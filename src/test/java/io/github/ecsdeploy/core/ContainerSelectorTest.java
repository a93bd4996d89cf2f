package io.github.ecsdeploy.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;

class ContainerSelectorTest {

  private static final String REGISTRY = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";
  private static final String OURS = REGISTRY + "/hello-app:v1.3.0";

  private static ContainerDefinition c(String name, String image) {
    return ContainerDefinition.builder().name(name).image(image).build();
  }

  private static String select(List<ContainerDefinition> containers, String container, String repository) {
    return ContainerSelector.select("hello-app", containers, container, REGISTRY, repository);
  }

  @Test
  void explicitContainerWinsEvenOverTheRepositoryMatch() {
    List<ContainerDefinition> containers = List.of(c("agent", "datadog/agent:7"), c("app", OURS));
    assertEquals("agent", select(containers, "agent", "hello-app"));
  }

  @Test
  void explicitContainerThatDoesNotExistListsTheNames() {
    List<ContainerDefinition> containers = List.of(c("agent", "datadog/agent:7"), c("app", OURS));
    UserInputException e = assertThrows(UserInputException.class, () -> select(containers, "ap", "hello-app"));
    assertEquals(Param.CONTAINER, e.param().orElseThrow());
    assertTrue(e.getMessage().contains("'ap'"), e.getMessage());
    assertTrue(e.getMessage().contains("agent, app"), e.getMessage());
    assertTrue(e.getMessage().contains("<container> / -Decs.container"), e.getMessage());
  }

  @Test
  void theOnlyContainerIsChosenWhateverItsImage() {
    assertEquals("worker", select(List.of(c("worker", "somewhere/else:1")), null, "hello-app"));
    assertEquals("worker", select(List.of(c("worker", "somewhere/else:1")), null, null));
  }

  @Test
  void sidecarFirstPicksTheContainerRunningOurRepository() {
    List<ContainerDefinition> containers =
        List.of(c("log_router", "public.ecr.aws/aws-observability/aws-for-fluent-bit:stable"), c("app", OURS));
    assertEquals("app", select(containers, null, "hello-app"));
  }

  @Test
  void ourImageWithDigestOrWithoutTagStillMatches() {
    List<ContainerDefinition> containers = List.of(c("a", "busybox"), c("app", REGISTRY + "/hello-app@sha256:ab"));
    assertEquals("app", select(containers, null, "hello-app"));
    List<ContainerDefinition> untagged = List.of(c("a", "busybox"), c("app", REGISTRY + "/hello-app"));
    assertEquals("app", select(untagged, null, "hello-app"));
  }

  @Test
  void aRepositoryWhoseNameOnlyStartsLikeOursDoesNotMatch() {
    List<ContainerDefinition> containers =
        List.of(c("migrations", REGISTRY + "/hello-app-migrations:3"), c("app", REGISTRY + "/hello-app:1"));
    assertEquals("app", select(containers, null, "hello-app"));
    assertFalse(ContainerSelector.isInRepository("other.registry/hello-app:1", REGISTRY, "hello-app"));
  }

  @Test
  void noContainerFromOurRepositoryIsAnErrorListingTheNames() {
    List<ContainerDefinition> containers = List.of(c("nginx", "nginx:1.27"), c("php", "php:8"));
    UserInputException e = assertThrows(UserInputException.class, () -> select(containers, null, "hello-app"));
    assertTrue(e.getMessage().contains("nginx, php"), e.getMessage());
    assertTrue(e.getMessage().contains(REGISTRY + "/hello-app"), e.getMessage());
    assertTrue(e.getMessage().contains("-Decs.container"), e.getMessage());
  }

  @Test
  void twoContainersFromOurRepositoryAreAmbiguous() {
    List<ContainerDefinition> containers = List.of(c("web", OURS), c("worker", OURS), c("agent", "agent:1"));
    UserInputException e = assertThrows(UserInputException.class, () -> select(containers, null, "hello-app"));
    assertTrue(e.getMessage().contains("web, worker"), e.getMessage());
    assertFalse(e.getMessage().contains("agent"), e.getMessage());
    assertTrue(e.getMessage().contains("<container> / -Decs.container"), e.getMessage());
  }

  @Test
  void severalContainersAndNoRepositoryAsksForTheContainer() {
    List<ContainerDefinition> containers = List.of(c("agent", "agent:1"), c("app", OURS));
    UserInputException e = assertThrows(UserInputException.class, () -> select(containers, null, null));
    assertTrue(e.getMessage().contains("agent, app"), e.getMessage());
    assertTrue(e.getMessage().contains("-Decs.repository"), e.getMessage());
  }

  @Test
  void withoutRegistryTheRepositoryPathDecides() {
    assertTrue(ContainerSelector.isInRepository("localhost:5000/team/hello-app:1", null, "team/hello-app"));
    assertFalse(ContainerSelector.isInRepository("localhost:5000/team/hello-app-x:1", null, "team/hello-app"));
    assertEquals("localhost:5000/team/app", ContainerSelector.imageName("localhost:5000/team/app:1@sha256:ab"));
  }
}
