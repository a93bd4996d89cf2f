package io.github.ecsdeploy.gitlab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.github.ecsdeploy.core.TagPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The consumer pipeline a service team copies ({@code src/it/gitlab-consumer/.gitlab-ci.yml}, shown in the
 * README): short, no Docker, and its tag rule accepts exactly the tags validate-tag lets deploy (release
 * versions; pre-releases need {@code allowPrerelease} and a rule of your own). GitLab evaluates the rule with
 * RE2; the pattern uses only syntax that RE2 and {@code java.util.regex} read the same way.
 */
class ConsumerPipelineTest {

  private static final Path PIPELINE = Path.of("src/it/gitlab-consumer/.gitlab-ci.yml");
  private static final Path COMPONENT = Path.of("templates/ecs-deploy.yml");
  private static final TagPolicy.Options DEFAULTS = new TagPolicy.Options(false, false, null);

  private static JsonNode job;
  private static Pattern tagRule;

  @BeforeAll
  static void read() throws IOException {
    JsonNode pipeline = new ObjectMapper(new YAMLFactory()).readTree(PIPELINE.toFile());
    job = pipeline.get("deploy");
    String rule = job.at("/rules/0/if").asText();
    Matcher m = Pattern.compile("^\\$CI_COMMIT_TAG =~ /(.*)/ && \\$CI_COMMIT_REF_PROTECTED == \"true\"$").matcher(rule);
    assertTrue(m.matches(),
        "the rule is '$CI_COMMIT_TAG =~ /regex/ && $CI_COMMIT_REF_PROTECTED == \"true\"': " + rule);
    tagRule = Pattern.compile(m.group(1));
  }

  static Stream<String> tags() {
    return Stream.of(
        "v1.0.0", "v0.0.1", "v10.20.30", "v0.0.0", "v1.2.3", "v999999.999999.999999",
        "v123456789012345678.0.0", "v99999999999999999999.0.0",
        "1.0.0", "V1.0.0", "v1.0", "v1", "v1.0.0.0", "v1..0", "v-1.0.0", "v1.x.0", "vv1.0.0", "release1",
        "v01.0.0", "v1.00.0", "v1.0.00", "v00.0.0",
        "v1.0.0-rc.1", "v1.0.0-alpha", "v1.2.3-SNAPSHOT", "v1.0.0+build.5", "v1.0.0-rc.1+b",
        "latest", "stable", "test", "dev", "prod", "main", "master", "feature/x", "release/1.0", "v1.0.0/x",
        "", " v1.0.0", "v1.0.0 ", "v1.0.0\n", "\tv1.0.0",
        "v١.٠.٠", "v１.0.0", "v1.0.0-" + "a".repeat(122), "v" + "1".repeat(40) + ".0.0");
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("tags")
  void ruleAgreesWithValidateTag(String tag) {
    boolean policy = TagPolicy.check(tag, DEFAULTS).allowed();
    // GitLab matches against the whole variable; $ in RE2 (without m) matches only at the very end
    boolean rule = tagRule.matcher(tag).find() && !tag.endsWith("\n");
    assertEquals(policy, rule, () -> "validate-tag " + (policy ? "accepts" : "refuses") + " '" + tag
        + "' but the pipeline rule " + (rule ? "runs" : "skips") + " the deploy job");
  }

  @Test
  void readmeShowsTheTestedJobVerbatim() throws IOException {
    String readme = Files.readString(Path.of("README.md"));
    String yaml = Files.readString(PIPELINE).strip();
    assertTrue(readme.contains("```yaml\n" + yaml + "\n```"), "README's Quickstart job differs from " + PIPELINE);
  }

  @Test
  void projectReleasesUseTheSameTagRule() throws IOException {
    JsonNode own = new ObjectMapper(new YAMLFactory()).readTree(Path.of(".gitlab-ci.yml").toFile());
    assertEquals("/" + tagRule.pattern() + "/", own.at("/variables/RELEASE_TAG").asText());
    assertTrue(own.at("/release/rules/0/if").asText().contains("$CI_COMMIT_TAG =~ $RELEASE_TAG"));
    assertTrue(own.at("/release/script").toString().contains("validate-tag"),
        "the plugin checks its own release tag");
  }

  @Test
  void componentRunsTheTestedJob() throws IOException {
    String text = Files.readString(COMPONENT);
    String[] parts = text.split("(?m)^---$", 2);
    assertEquals(2, parts.length, "a component is a spec header, '---', then the jobs");
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    JsonNode inputs = yaml.readTree(parts[0]).at("/spec/inputs");
    JsonNode component = yaml.readTree(parts[1]).get("ecs-deploy");

    // every $[[ inputs.x ]] the jobs use is declared, and every declared input is used
    Set<String> used = new TreeSet<>();
    Matcher m = Pattern.compile("\\$\\[\\[ inputs\\.([a-z_]+) \\]\\]").matcher(parts[1]);
    while (m.find()) {
      used.add(m.group(1));
    }
    Set<String> declared = new TreeSet<>();
    inputs.fieldNames().forEachRemaining(declared::add);
    assertEquals(declared, used, "inputs declared in spec:inputs vs used in the job");

    // the component is the tested job, parameterised: the same rule, token, cache, outputs
    for (String path : List.of("/rules", "/id_tokens", "/variables", "/cache", "/artifacts", "/environment/url")) {
      assertEquals(job.at(path), component.at(path), "component and tested job differ at " + path);
    }
    // with the gitlab-consumer IT's role and no extra arguments, its script is the command that IT runs
    String script = component.at("/script").asText()
        .replace("$[[ inputs.role_arn ]]", "arn:aws:iam::123456789012:role/gitlab-deploy")
        .replace(" $[[ inputs.maven_args ]]", "");
    Properties it = new Properties();
    try (var in = Files.newBufferedReader(Path.of("src/it/gitlab-consumer/invoker.properties"))) {
      it.load(in);
    }
    assertEquals("mvn " + it.getProperty("invoker.goals.1"), script);
  }

  @Test
  void jobIsShortAndHasWhatADeployNeeds() throws IOException {
    List<String> lines = Files.readAllLines(PIPELINE);
    assertTrue(lines.size() <= 15, "the job a team copies stays within 15 lines: " + lines.size());
    assertTrue(job.at("/script").asText().contains("mvn -B deploy -Pecs"), job.toString());
    assertEquals("sts.amazonaws.com", job.at("/id_tokens/GITLAB_OIDC_TOKEN/aud").asText());
    assertFalse(job.path("resource_group").asText().isEmpty(), "two releases never deploy at once");
    assertFalse(job.at("/environment/name").asText().isEmpty());
    assertEquals("target/ecs-deploy/deploy.env", job.at("/artifacts/reports/dotenv").asText());
    assertEquals(".m2/repository", job.at("/cache/paths/0").asText());
    assertEquals("$ECS_SERVICE_URL", job.at("/environment/url").asText(), "the environment links to the service");
    assertFalse(job.at("/environment/deployment_tier").asText().isEmpty());
    String text = String.join("\n", lines);
    assertFalse(text.contains("dind") || text.contains("privileged") || text.contains("docker login"),
        "no Docker daemon, no docker login");
  }
}
