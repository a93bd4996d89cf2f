package io.github.ecsdeploy.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.apache.maven.execution.DefaultMavenExecutionRequest;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.descriptor.MojoDescriptor;
import org.apache.maven.plugin.descriptor.Parameter;
import org.apache.maven.plugin.descriptor.PluginDescriptor;
import org.apache.maven.project.MavenProject;
import org.codehaus.plexus.util.xml.Xpp3Dom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BooleanParametersTest {

  @TempDir java.nio.file.Path dir;

  /** A goal with {@code dryRun} (${ecs.dryRun}, default false), {@code wait} (default true) and {@code cluster}. */
  private static MojoExecution execution(String dryRunElement) throws Exception {
    PluginDescriptor plugin = new PluginDescriptor();
    plugin.setGroupId("io.github.ecsdeploy");
    plugin.setArtifactId("ecs-deploy-maven-plugin");
    plugin.setVersion("1");
    MojoDescriptor mojo = new MojoDescriptor();
    mojo.setGoal("update-service");
    mojo.setPluginDescriptor(plugin);
    mojo.addParameter(parameter("dryRun", "boolean", "${ecs.dryRun}"));
    mojo.addParameter(parameter("wait", "boolean", "${ecs.wait}"));
    mojo.addParameter(parameter("cluster", "java.lang.String", "${ecs.cluster}"));
    Xpp3Dom configuration = new Xpp3Dom("configuration");
    configuration.addChild(element("dryRun", dryRunElement, "false"));
    configuration.addChild(element("wait", "${ecs.wait}", "true"));
    configuration.addChild(element("cluster", "${ecs.cluster}", null));
    MojoExecution execution = new MojoExecution(mojo, "default");
    execution.setConfiguration(configuration);
    return execution;
  }

  private static Parameter parameter(String name, String type, String expression) {
    Parameter p = new Parameter();
    p.setName(name);
    p.setType(type);
    p.setExpression(expression);
    return p;
  }

  private static Xpp3Dom element(String name, String value, String defaultValue) {
    Xpp3Dom e = new Xpp3Dom(name);
    e.setValue(value);
    if (defaultValue != null) {
      e.setAttribute("default-value", defaultValue);
    }
    return e;
  }

  private static MavenSession session(String... userProperties) {
    Properties props = new Properties();
    for (int i = 0; i < userProperties.length; i += 2) {
      props.setProperty(userProperties[i], userProperties[i + 1]);
    }
    MavenSession session = new MavenSession(null, new DefaultMavenExecutionRequest().setUserProperties(props), null,
        List.<MavenProject>of());
    return session;
  }

  @Test
  void aMistypedSwitchIsRefusedNamingItsParameterAndProperty() throws Exception {
    Optional<String> problems = BooleanParameters.problems(session("ecs.dryRun", "ture"), execution("${ecs.dryRun}"));
    assertEquals(Optional.of("<dryRun> / -Decs.dryRun is 'ture', which is neither true nor false (Maven would read it"
        + " as false). Set it to true or false, or leave it out for its default. Nothing was done."), problems);
  }

  @Test
  void everyBadSwitchIsNamedAtOnceAndAnEmptyOneToo() throws Exception {
    String problems = BooleanParameters.problems(session("ecs.dryRun", "yes", "ecs.wait", ""),
        execution("${ecs.dryRun}")).orElseThrow();
    assertTrue(problems.contains("<dryRun> / -Decs.dryRun is 'yes'"), problems);
    assertTrue(problems.contains("<wait> / -Decs.wait is ''"), problems);
    String padded = BooleanParameters.problems(session("ecs.dryRun", " true"), execution("${ecs.dryRun}"))
        .orElseThrow();
    assertTrue(padded.startsWith("<dryRun> / -Decs.dryRun is ' true'"), padded);
  }

  @Test
  void aLiteralInTheConfigurationIsCheckedToo() throws Exception {
    String problems = BooleanParameters.problems(session(), execution("on")).orElseThrow();
    assertTrue(problems.startsWith("<dryRun> / -Decs.dryRun is 'on'"), problems);
  }

  @Test
  void trueFalseInAnyCaseDefaultsAndOtherTypesPass() throws Exception {
    assertEquals(Optional.empty(), BooleanParameters.problems(session(), execution("${ecs.dryRun}")));
    assertEquals(Optional.empty(), BooleanParameters.problems(
        session("ecs.dryRun", "TRUE", "ecs.wait", "False", "ecs.cluster", "ture"), execution("${ecs.dryRun}")));
    assertEquals(Optional.empty(), BooleanParameters.problems(session(), execution("true")));
    assertEquals(Optional.empty(), BooleanParameters.problems(null, null));
  }

  @Test
  void theGoalFailsBeforeItDoesAnything() throws Exception {
    TestGoalMojo mojo = new MojoFixture(dir).mojo(TestGoalMojo::new);
    mojo.session = session("ecs.dryRun", "ture");
    mojo.mojoExecution = execution("${ecs.dryRun}");
    MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);
    assertTrue(e.getMessage().startsWith("<dryRun> / -Decs.dryRun is 'ture'"), e.getMessage());
    assertEquals(0, mojo.runs);
  }
}
