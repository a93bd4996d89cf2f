package io.github.ecsdeploy.maven;

import io.github.ecsdeploy.core.Param;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugin.PluginParameterExpressionEvaluator;
import org.apache.maven.plugin.descriptor.MojoDescriptor;
import org.apache.maven.plugin.descriptor.Parameter;
import org.codehaus.plexus.component.configurator.expression.ExpressionEvaluationException;
import org.codehaus.plexus.util.xml.Xpp3Dom;

/**
 * Refuses a boolean parameter whose value is neither {@code true} nor {@code false}. Maven reads any other text
 * as {@code false} ({@code Boolean.valueOf}), so {@code -Decs.dryRun=ture} would deploy for real and
 * {@code -Decs.pushImage.skip=yes} would push: a typo in a safety switch must stop the build instead. The value is
 * the one the goal would get, from {@code -D}, the POM's {@code <properties>} or the plugin's
 * {@code <configuration>}, evaluated as Maven evaluates it. {@code true} and {@code false} may be in any case;
 * an empty value, or one with spaces around it, is refused too (it would be {@code false}, even for a parameter
 * whose default is {@code true}).
 */
final class BooleanParameters {

  private BooleanParameters() {}

  /**
   * What is wrong with the goal's boolean parameters, naming each and its fix; empty when nothing is.
   *
   * @param session the build (its properties)
   * @param execution the goal's execution (its configuration and descriptor); {@code null} outside Maven
   */
  static Optional<String> problems(MavenSession session, MojoExecution execution) {
    MojoDescriptor descriptor = execution == null ? null : execution.getMojoDescriptor();
    Xpp3Dom configuration = execution == null ? null : execution.getConfiguration();
    if (session == null || descriptor == null || descriptor.getParameters() == null || configuration == null) {
      return Optional.empty();
    }
    PluginParameterExpressionEvaluator evaluator = new PluginParameterExpressionEvaluator(session, execution);
    List<String> problems = new ArrayList<>();
    for (Parameter parameter : descriptor.getParameters()) {
      if (!"boolean".equals(parameter.getType()) && !"java.lang.Boolean".equals(parameter.getType())) {
        continue;
      }
      Xpp3Dom element = configuration.getChild(parameter.getName());
      if (element == null || element.getValue() == null) {
        continue;
      }
      Object value;
      try {
        value = evaluator.evaluate(element.getValue());
      } catch (ExpressionEvaluationException e) {
        continue; // Maven reports it when it configures the goal
      }
      if (value == null || value instanceof Boolean) {
        continue;
      }
      String text = value.toString(); // not trimmed: Boolean.valueOf(" true") is false
      if (!text.equalsIgnoreCase("true") && !text.equalsIgnoreCase("false")) {
        problems.add(name(parameter) + " is '" + value + "', which is neither true nor false (Maven would read it as"
            + " false)");
      }
    }
    if (problems.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(String.join("; ", problems) + ". Set it to true or false, or leave it out for its default."
        + " Nothing was done.");
  }

  /** {@code <dryRun> / -Decs.dryRun} ({@link Param#both()}), or {@code <dryRun>} when it has no property. */
  private static String name(Parameter parameter) {
    String expression = parameter.getExpression();
    return expression != null && expression.startsWith("${") && expression.endsWith("}")
        ? new Param(parameter.getName(), expression.substring(2, expression.length() - 1)).both()
        : "<" + parameter.getName() + ">";
  }
}
