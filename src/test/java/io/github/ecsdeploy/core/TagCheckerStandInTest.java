package io.github.ecsdeploy.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ecsdeploy.standin.StandInClients;
import io.github.ecsdeploy.standin.StandInExtension;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ecr.EcrClient;

/** {@link TagChecker} with the real SDK v2 clients against the local AWS stand-in, over HTTP. */
class TagCheckerStandInTest {

  @RegisterExtension static final StandInExtension STAND_IN = new StandInExtension();

  private static EcrClient ecr;

  private final Log log = new Log();

  @BeforeAll
  static void clients() {
    ecr = StandInClients.ecr(STAND_IN.get());
  }

  @AfterAll
  static void close() {
    ecr.close();
  }

  @BeforeEach
  void clearRequestLog() {
    STAND_IN.get().requestLog().clear();
  }

  @Test
  void tagAbsentFromAnImmutableRepositoryPasses() {
    STAND_IN.get().ecr().createRepository("absent-app", true);

    TagVersion v = checker().validate(request("v1.4.0", "absent-app"));

    assertEquals("v1.4.0", v.tag());
    assertTrue(log.has("ECR repository absent-app has no v1.4.0 yet"), log.toString());
    assertTrue(log.warnings.isEmpty(), log.toString());
    assertEquals(1, STAND_IN.get().requestLog().count("DescribeImages"));
  }

  @Test
  void tagPresentPassesAsARerunOfTheSameImage() {
    STAND_IN.get().ecr().createRepository("present-app", true);
    String digest = "sha256:" + "ab".repeat(32);
    STAND_IN.get().ecr().putImage("present-app", digest, "v1.4.0", 1234, "application/vnd.oci.image.manifest.v1+json");

    checker().validate(request("v1.4.0", "present-app"));

    assertTrue(log.has("ECR already has present-app:v1.4.0 (" + digest), log.toString());
    assertTrue(log.has("push-image will accept only an identical image"), log.toString());
  }

  @Test
  void missingRepositoryIsReportedWithTheCommandToCreateIt() {
    UserInputException e = assertThrows(UserInputException.class,
        () -> checker().validate(request("v1.4.0", "missing-app")));

    assertTrue(e.getMessage().contains("The ECR repository 'missing-app' does not exist. Create it with tags"
        + " that cannot move: aws ecr create-repository --repository-name missing-app --image-tag-mutability"
        + " IMMUTABLE"), e.getMessage());
    assertEquals(0, STAND_IN.get().requestLog().count("DescribeImages"));
  }

  @Test
  void mutableRepositoryWarnsHowToMakeItImmutable() {
    STAND_IN.get().ecr().createRepository("mutable-app", false);

    checker().validate(request("v1.4.0", "mutable-app"));

    assertTrue(log.warned("ECR repository mutable-app allows tags to be overwritten (MUTABLE)"), log.toString());
    assertTrue(log.warned("aws ecr put-image-tag-mutability --repository-name mutable-app"
        + " --image-tag-mutability IMMUTABLE"), log.toString());
  }

  @Test
  void policyAndRegistryViolationsComeTogether() {
    UserInputException e = assertThrows(UserInputException.class,
        () -> checker().validate(request("v01.4.0", "nowhere-app")));

    assertTrue(e.getMessage().startsWith("The tag 'v01.4.0' may not deploy (3 problems):"), e.getMessage());
    assertTrue(e.getMessage().contains("MAJOR '01' with a leading zero"), e.getMessage());
    assertTrue(e.getMessage().contains("The ECR repository 'nowhere-app' does not exist"), e.getMessage());
  }

  @Test
  void offlineMakesNoRequest() {
    TagChecker checker = new TagChecker(() -> ecr, () -> {
      throw new AssertionError("no ECS client offline");
    }, log);

    checker.validate(new TagChecker.Request("v1.4.0", TagPolicy.Options.strict("1.4.0"), true, true,
        "any-app", "prod", "web", null, false));

    assertEquals(List.of(), STAND_IN.get().requestLog().entries());
    assertTrue(log.warned("Offline"), log.toString());
  }

  @Test
  void aRegistryThatKeepsFailingPassesTheSdkExceptionOn() {
    STAND_IN.get().ecr().createRepository("flaky-app", true);
    STAND_IN.get().faults().serverErrors(1.0);

    SdkException e = assertThrows(SdkException.class, () -> checker().validate(request("v1.4.0", "flaky-app")));

    assertTrue(STAND_IN.get().requestLog().count("DescribeRepositories") > 1, "retried before giving up");
  }

  private TagChecker checker() {
    return new TagChecker(() -> ecr, () -> {
      throw new AssertionError("no ECS client without a service");
    }, log);
  }

  private static TagChecker.Request request(String tag, String repository) {
    return new TagChecker.Request(tag, TagPolicy.Options.strict("1.4.0"), false, true, repository, null, null,
        null, false);
  }

  private static final class Log implements DeployLog {
    final List<String> infos = new ArrayList<>();
    final List<String> warnings = new ArrayList<>();

    @Override
    public void info(String message) {
      infos.add(message);
    }

    @Override
    public void warn(String message) {
      warnings.add(message);
    }

    @Override
    public void debug(String message) {}

    boolean has(String fragment) {
      return infos.stream().anyMatch(m -> m.contains(fragment));
    }

    boolean warned(String fragment) {
      return warnings.stream().anyMatch(m -> m.contains(fragment));
    }

    @Override
    public String toString() {
      return "infos=" + infos + " warnings=" + warnings;
    }
  }
}
