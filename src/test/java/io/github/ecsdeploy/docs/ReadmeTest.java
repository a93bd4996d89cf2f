package io.github.ecsdeploy.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecs.EcsClient;

/**
 * The README is what a reader needs first (what and why, Quickstart, the two commands, the flow, IAM,
 * troubleshooting, migration, FAQ); everything longer lives on the site pages it links to. This keeps it short
 * and keeps its links pointing at files that exist.
 */
class ReadmeTest {

  private static final Path README = Path.of("README.md");
  private static final int MAX_LINES = 250;
  private static final Pattern RELATIVE_LINK = Pattern.compile("\\]\\((?!https?:|#|mailto:)([^)#\\s]+)[^)]*\\)");

  @Test
  void readmeStaysShort() throws IOException {
    int lines = Files.readAllLines(README).size();
    assertTrue(lines <= MAX_LINES, "README.md has " + lines + " lines, at most " + MAX_LINES
        + ": move the reference part to a page under src/site/markdown and link it");
  }

  @Test
  void readmeLinksPointAtFilesThatExist() throws IOException {
    String readme = Files.readString(README);
    List<String> links = new ArrayList<>();
    List<String> broken = new ArrayList<>();
    Matcher m = RELATIVE_LINK.matcher(readme);
    while (m.find()) {
      links.add(m.group(1));
      if (!Files.exists(Path.of(m.group(1)))) {
        broken.add(m.group(1));
      }
    }
    assertTrue(links.contains("src/site/markdown/goals.md"), "the README links the parameter reference: " + links);
    assertEquals(List.of(), broken, "README links to missing files");
  }

  @Test
  void readmeHasTheSectionsAReaderNeedsFirst() throws IOException {
    String readme = Files.readString(README);
    List<String> missing = new ArrayList<>();
    for (String heading : List.of("## How a release flows", "## Quickstart", "## Commands", "## IAM",
        "## Troubleshooting", "## Migrating from the hand-written job", "## FAQ", "## Contributing")) {
      if (!readme.contains("\n" + heading + "\n")) {
        missing.add(heading);
      }
    }
    assertEquals(List.of(), missing, "README sections");
    assertTrue(readme.contains("```mermaid\n"), "the flow picture is Mermaid, which GitLab renders");
    for (String command : List.of("./mvnw -B -Pdemo verify", "./mvnw -B verify")) {
      assertTrue(readme.contains("```\n" + command + "\n```"), "README shows the command " + command);
    }
  }

  /**
   * The site's pages link only to pages the site has: another page of {@code src/site/markdown}, the goals
   * overview or a goal page that maven-plugin-report-plugin writes for each goal of the descriptor.
   */
  @Test
  void sitePagesLinkToPagesTheSiteHas() throws Exception {
    Path markdown = Path.of("src/site/markdown");
    Set<String> pages = new TreeSet<>(List.of("plugin-info.html"));
    try (Stream<Path> files = Files.list(markdown)) {
      files.map(f -> f.getFileName().toString())
          .filter(n -> n.endsWith(".md"))
          .forEach(n -> pages.add(n.replaceAll("\\.md$", ".html")));
    }
    String descriptor = Files.readString(Path.of("target/classes/META-INF/maven/plugin.xml"));
    Matcher goal = Pattern.compile("<goal>([a-z-]+)</goal>").matcher(descriptor);
    while (goal.find()) {
      pages.add(goal.group(1) + "-mojo.html");
    }
    assertTrue(pages.contains("update-service-mojo.html"), pages::toString);
    List<String> broken = new ArrayList<>();
    String siteXml = Files.readString(Path.of("src/site/site.xml"));
    Matcher item = Pattern.compile("href=\"([^\"]+)\"").matcher(siteXml);
    while (item.find()) {
      if (!pages.contains(item.group(1))) {
        broken.add("site.xml -> " + item.group(1));
      }
    }
    try (Stream<Path> files = Files.list(markdown)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".md")).sorted().toList()) {
        Matcher m = RELATIVE_LINK.matcher(Files.readString(file));
        while (m.find()) {
          if (!pages.contains(m.group(1))) {
            broken.add(file.getFileName() + " -> " + m.group(1));
          }
        }
      }
    }
    assertEquals(List.of(), broken, "site links to pages the site does not have");
  }

  /**
   * The README's permissions policy names every ECS and ECR operation the plugin's code calls through the SDK
   * (an operation missing there is an AccessDenied a user meets first in production), and every action it
   * names is an operation of that service, so a typo cannot hide. The registry's layer actions (Jib speaks the
   * registry API, not the SDK) are checked by name only.
   */
  @Test
  void iamPolicyCoversEveryAwsCallThePluginMakes() throws IOException {
    String readme = Files.readString(README);
    List<JsonNode> policies = new ArrayList<>();
    Matcher block = Pattern.compile("```json\n(.*?)\n```", Pattern.DOTALL).matcher(readme);
    while (block.find()) {
      policies.add(new ObjectMapper().readTree(block.group(1)));
    }
    assertEquals(2, policies.size(), "the trust policy and the permissions policy");
    assertEquals("sts:AssumeRoleWithWebIdentity", policies.get(0).at("/Statement/0/Action").asText());
    Set<String> documented = new TreeSet<>();
    for (JsonNode statement : policies.get(1).get("Statement")) {
      JsonNode action = statement.get("Action");
      (action.isArray() ? action.elements() : List.of(action).iterator())
          .forEachRemaining(a -> documented.add(a.asText()));
    }
    Set<String> ecs = operations(EcsClient.class);
    Set<String> ecr = operations(EcrClient.class);
    Set<String> logs = operations(software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient.class);
    Set<String> unknown = new TreeSet<>();
    for (String action : documented) {
      String[] parts = action.split(":", 2);
      boolean known = switch (parts[0]) {
        case "ecs" -> ecs.contains(parts[1]);
        case "ecr" -> ecr.contains(parts[1]) || Set.of("InitiateLayerUpload", "UploadLayerPart",
            "CompleteLayerUpload", "BatchCheckLayerAvailability", "GetDownloadUrlForLayer").contains(parts[1]);
        case "iam" -> parts[1].equals("PassRole");
        case "logs" -> logs.contains(parts[1]);
        default -> false;
      };
      if (!known) {
        unknown.add(action);
      }
    }
    assertEquals(Set.of(), unknown, "actions in the README's policy that are no ECS/ECR/CloudWatch Logs operation");

    Set<String> called = new TreeSet<>();
    Pattern call = Pattern.compile("\\.([a-z][A-Za-z]+?)(?:Paginator)?\\(");
    try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        Matcher m = call.matcher(Files.readString(file));
        while (m.find()) {
          String op = Character.toUpperCase(m.group(1).charAt(0)) + m.group(1).substring(1);
          if (op.equals("GetLogEvents")) {
            called.add("logs:" + op);
          } else if (ecs.contains(op) && !ecr.contains(op)) {
            called.add("ecs:" + op);
          } else if (ecr.contains(op) && !ecs.contains(op)) {
            called.add("ecr:" + op);
          }
        }
      }
    }
    assertTrue(called.contains("ecs:UpdateService") && called.contains("ecr:GetAuthorizationToken"), called::toString);
    called.removeAll(documented);
    assertEquals(Set.of(), called, "operations the plugin calls that the README's permissions policy lacks");
  }

  /** The operation names of an SDK client: its request-taking methods, capitalised as IAM names them. */
  private static Set<String> operations(Class<?> client) {
    Set<String> names = new TreeSet<>();
    for (Method method : client.getMethods()) {
      if (method.getParameterCount() == 1 && method.getParameterTypes()[0].getSimpleName().endsWith("Request")) {
        names.add(Character.toUpperCase(method.getName().charAt(0)) + method.getName().substring(1));
      }
    }
    return names;
  }
}
