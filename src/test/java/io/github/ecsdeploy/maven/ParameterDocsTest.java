package io.github.ecsdeploy.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Keeps the parameter tables of the site page {@code src/site/markdown/goals.md} honest: every goal in the
 * generated plugin descriptor has a section there, every user property of a goal has a row in that section's
 * parameter table (or in the shared table), and every property in a table exists in the descriptor. The README
 * links to that page and holds no parameter table of its own, so a row or a goal section added to the README
 * fails here with where it belongs.
 */
class ParameterDocsTest {

  private static final Path DESCRIPTOR = Path.of("target/classes/META-INF/maven/plugin.xml");
  static final Path PAGE = Path.of("src/site/markdown/goals.md");
  private static final Pattern PROPERTY_CELL = Pattern.compile("`(ecs\\.[A-Za-z0-9.]+)`");

  /** goal -> (property -> parameter name). */
  private static final Map<String, Map<String, String>> GOALS = new LinkedHashMap<>();
  private static String page;

  @BeforeAll
  static void read() throws Exception {
    page = Files.readString(PAGE, StandardCharsets.UTF_8);
    assertTrue(Files.exists(DESCRIPTOR), "plugin descriptor not generated: " + DESCRIPTOR);
    Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(DESCRIPTOR.toFile());
    NodeList mojos = doc.getElementsByTagName("mojo");
    for (int i = 0; i < mojos.getLength(); i++) {
      Element mojo = (Element) mojos.item(i);
      String goal = text(mojo, "goal");
      if (goal.equals("help")) {
        continue;
      }
      Map<String, String> properties = new LinkedHashMap<>();
      Element configuration = (Element) mojo.getElementsByTagName("configuration").item(0);
      if (configuration != null) {
        NodeList entries = configuration.getChildNodes();
        for (int j = 0; j < entries.getLength(); j++) {
          if (entries.item(j) instanceof Element entry) {
            String expression = entry.getTextContent().trim();
            if (expression.startsWith("${ecs.")) {
              properties.put(expression.substring(2, expression.length() - 1), entry.getTagName());
            }
          }
        }
      }
      GOALS.put(goal, properties);
    }
  }

  @Test
  void descriptorHasTheGoals() {
    assertTrue(GOALS.size() >= 3, "goals found: " + GOALS.keySet());
    GOALS.forEach((goal, props) -> assertTrue(props.containsKey("ecs.skip"), goal + " lacks ecs.skip"));
  }

  @Test
  void everyGoalPropertyIsDocumentedInItsSectionOrTheSharedTable() {
    String shared = section("## Shared parameters");
    List<String> missing = new ArrayList<>();
    GOALS.forEach((goal, properties) -> {
      String section = section("## Goal `" + goal + "`");
      if (section.isEmpty()) {
        missing.add("no section '## Goal `" + goal + "`' in " + PAGE);
        return;
      }
      properties.forEach((property, name) -> {
        if (!hasRow(section, name, property) && !hasRow(shared, name, property)) {
          missing.add(goal + ": `" + name + "` / `" + property + "`");
        }
      });
    });
    assertEquals(List.of(), missing, "rows missing in " + PAGE + " (Parameter | Property | Type | Default | Description)");
  }

  @Test
  void everyDocumentedPropertyExists() {
    List<String> stale = new ArrayList<>();
    GOALS.keySet().forEach(goal -> {
      for (String property : tableProperties(section("## Goal `" + goal + "`"))) {
        if (!GOALS.get(goal).containsKey(property)) {
          stale.add(goal + ": " + property);
        }
      }
    });
    TreeSet<String> all = new TreeSet<>();
    GOALS.values().forEach(p -> all.addAll(p.keySet()));
    for (String property : tableProperties(section("## Shared parameters"))) {
      if (!all.contains(property)) {
        stale.add("shared: " + property);
      }
    }
    assertEquals(List.of(), stale, PAGE + " documents properties the plugin does not have");
  }

  @Test
  void readmeLeavesParameterTablesToTheSitePage() throws Exception {
    String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
    List<String> misplaced = new ArrayList<>();
    readme.lines().forEach(l -> {
      if (l.startsWith("## Goal `") || l.startsWith("## Shared parameters")
          || l.startsWith("|") && l.replace(" ", "").startsWith("|Parameter|Property|")) {
        misplaced.add(l);
      }
    });
    assertEquals(List.of(), misplaced, "goal sections and parameter tables belong in " + PAGE
        + " (the section of the same name); the README links there");
  }

  private static boolean hasRow(String section, String name, String property) {
    return section.lines().anyMatch(l -> l.startsWith("|") && l.contains("`" + property + "`")
        && l.contains("`" + name + "`"));
  }

  private static List<String> tableProperties(String section) {
    List<String> found = new ArrayList<>();
    section.lines().filter(l -> l.startsWith("|")).forEach(l -> {
      String[] cells = l.split("\\|");
      if (cells.length > 2) {
        Matcher m = PROPERTY_CELL.matcher(cells[2]);
        while (m.find()) {
          found.add(m.group(1));
        }
      }
    });
    return found;
  }

  private static String section(String heading) {
    int start = page.indexOf(heading);
    if (start < 0) {
      return "";
    }
    int end = page.indexOf("\n## ", start + heading.length());
    return end < 0 ? page.substring(start) : page.substring(start, end);
  }

  private static String text(Element parent, String tag) {
    return parent.getElementsByTagName(tag).item(0).getTextContent().trim();
  }
}
