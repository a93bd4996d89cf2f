package io.github.ecsdeploy.maven;

import static io.github.ecsdeploy.testing.MessageAssert.assertContainsAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ecsdeploy.aws.AwsClients;
import io.github.ecsdeploy.standin.AwsStandIn;
import io.github.ecsdeploy.standin.StandInClients;
import io.github.ecsdeploy.standin.StandInExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.maven.execution.DefaultMavenExecutionRequest;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.project.MavenProject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;

class ValidateTagMojoTest {

  @RegisterExtension static final StandInExtension STAND_IN = new StandInExtension();

  @TempDir Path dir;

  private MojoFixture fixture;
  private RecordingLog log;
  private List<AwsClients> built;

  @BeforeEach
  void fixture() {
    fixture = new MojoFixture(dir);
    log = fixture.log;
    built = fixture.built;
  }

  /** A mojo for project version 1.4.0, online, no region, no tag anywhere, AWS clients with test keys. */
  private ValidateTagMojo mojo() {
    ValidateTagMojo mojo = fixture.mojo(ValidateTagMojo::new);
    mojo.project.setVersion("1.4.0");
    mojo.session = session(false);
    mojo.requireProjectVersion = true;
    mojo.checkRegistry = true;
    return mojo;
  }

  private static MavenSession session(boolean offline) {
    return new MavenSession(
        null, new DefaultMavenExecutionRequest().setOffline(offline), null, List.<MavenProject>of());
  }

  private ValidateTagMojo onStandIn(ValidateTagMojo mojo) {
    AwsStandIn standIn = STAND_IN.get();
    mojo.region = standIn.region();
    mojo.endpoint = standIn.endpoint().toString();
    return mojo;
  }

  // ---- policy only: no AWS, no region

  @Test
  void offlineChecksThePolicyOnlyWithoutRegionOrClients() throws Exception {
    fixture.env(Map.of("CI_COMMIT_TAG", "v1.4.0"));
    ValidateTagMojo mojo = mojo();
    mojo.session = session(true);
    mojo.repository = "app";
    mojo.cluster = "prod";
    mojo.service = "web";

    mojo.execute();

    assertTrue(built.isEmpty(), "no AWS clients offline");
    assertTrue(log.lines.contains("INFO Validating release tag 'v1.4.0' (from CI_COMMIT_TAG)"), log.lines::toString);
    assertTrue(log.at("WARN").stream().anyMatch(l -> l.contains("Offline: the ECR and service checks are skipped")),
        log.lines::toString);
    assertTrue(log.lines.contains("INFO Tag v1.4.0 may deploy."), log.lines::toString);
  }

  @Test
  void registryCheckOffAndNoServiceNeedsNoAws() throws Exception {
    ValidateTagMojo mojo = mojo();
    mojo.tag = "v1.4.0";
    mojo.checkRegistry = false;

    mojo.execute();

    assertTrue(built.isEmpty(), "no AWS clients when no check needs them");
    assertTrue(log.at("WARN").stream().anyMatch(l -> l.contains("-Decs.validateTag.checkRegistry=false")),
        log.lines::toString);
  }

  @Test
  void everyPolicyViolationFailsTheBuildOnce() {
    ValidateTagMojo mojo = mojo();
    mojo.tag = "V01.4.0";
    mojo.checkRegistry = false;

    MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);

    assertTrue(e.getMessage().startsWith("The tag 'V01.4.0' may not deploy (3 problems):"), e.getMessage());
    assertTrue(log.at("ERROR").isEmpty(), "thrown, not logged: " + log.lines);
  }

  @Test
  void noTagAnywhereSaysHowToGiveOne() {
    ValidateTagMojo mojo = mojo();
    mojo.checkRegistry = false;

    MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);

    assertContainsAll(e.getMessage(), "<tag> / -Decs.tag", "CI_COMMIT_TAG");
  }

  @Test
  void prereleaseAndProjectVersionSwitchesReachThePolicy() throws Exception {
    ValidateTagMojo mojo = mojo();
    mojo.tag = "v2.0.0-rc.1";
    mojo.checkRegistry = false;
    mojo.allowPrerelease = true;
    mojo.requireProjectVersion = false;

    mojo.execute();

    assertTrue(log.lines.contains("INFO Tag v2.0.0-rc.1 may deploy."), log.lines::toString);
  }

  @Test
  void goalSkipLogsItsFlag() throws Exception {
    ValidateTagMojo mojo = mojo();
    mojo.skipValidateTag = true;

    mojo.execute();

    assertEquals(List.of("INFO Skipping ecs:validate-tag because ecs.validateTag.skip=true"), log.lines);
  }

  // ---- against the stand-in, through the real clients

  @Test
  void registryCheckAgainstTheStandIn() throws Exception {
    STAND_IN.get().ecr().createRepository("mojo-app", true);
    ValidateTagMojo mojo = onStandIn(mojo());
    mojo.tag = "v1.4.0";
    mojo.repository = "mojo-app";

    mojo.execute();

    assertEquals(1, built.size());
    assertTrue(log.lines.contains("INFO ECR repository mojo-app has no v1.4.0 yet: push-image will create it."),
        log.lines::toString);
  }

  @Test
  void missingRepositoryFailsTheBuildWithTheFix() {
    ValidateTagMojo mojo = onStandIn(mojo());
    mojo.tag = "v1.4.0";
    mojo.repository = "mojo-missing";

    MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);

    assertTrue(e.getMessage().contains("aws ecr create-repository --repository-name mojo-missing"), e.getMessage());
  }

  @Test
  void serviceCheckAgainstTheStandInRefusesADowngrade() {
    AwsStandIn standIn = STAND_IN.get();
    try (EcsClient ecs = StandInClients.ecs(standIn)) {
      ecs.createCluster(r -> r.clusterName("mojo-prod"));
      String td = ecs.registerTaskDefinition(r -> r.family("mojo-web").containerDefinitions(ContainerDefinition
          .builder().name("app").image(standIn.ecr().registryHost() + "/mojo-web:v1.5.0").memory(256).build()))
          .taskDefinition().taskDefinitionArn();
      ecs.createService(r -> r.cluster("mojo-prod").serviceName("web").taskDefinition(td).desiredCount(1));
    }
    ValidateTagMojo mojo = onStandIn(mojo());
    mojo.tag = "v1.4.0";
    mojo.checkRegistry = false;
    mojo.cluster = "mojo-prod";
    mojo.service = "web";

    MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);

    assertTrue(e.getMessage().contains("The tag v1.4.0 is older than v1.5.0, which service 'web' in cluster"
        + " 'mojo-prod'"), e.getMessage());
    assertEquals(1, built.size());
  }

  // ---- the goal's descriptor, as maven-plugin-plugin generated it from the annotations

  @Test
  void descriptorDeclaresGoalPhaseThreadSafetyAndProperties() throws Exception {
    Path descriptor = Path.of("target/classes/META-INF/maven/plugin.xml");
    String xml = Files.readString(descriptor);
    int start = xml.indexOf("<goal>validate-tag</goal>");
    assertTrue(start > 0, "validate-tag in " + descriptor);
    String mojo = xml.substring(start, xml.indexOf("</mojo>", start));

    assertTrue(mojo.contains("<phase>validate</phase>"), mojo);
    assertTrue(mojo.contains("<threadSafe>true</threadSafe>"), mojo);
    for (String property : List.of("ecs.tag", "ecs.validateTag.allowPrerelease",
        "ecs.validateTag.requireProjectVersion", "ecs.validateTag.checkRegistry", "ecs.validateTag.allowDowngrade",
        "ecs.repository", "ecs.cluster", "ecs.service", "ecs.container", "ecs.validateTag.skip")) {
      assertTrue(mojo.contains("${" + property + "}"), property + " in " + mojo);
    }
  }
}
