package io.github.ecsdeploy.maven;

import io.github.ecsdeploy.aws.AwsClients;
import io.github.ecsdeploy.aws.AwsSettings;
import io.github.ecsdeploy.aws.CredentialsSource;
import io.github.ecsdeploy.aws.SharedAwsClients;
import io.github.ecsdeploy.aws.WebIdentityRole;
import io.github.ecsdeploy.core.DeployLog;
import io.github.ecsdeploy.core.Param;
import io.github.ecsdeploy.core.UserInputException;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/**
 * The shared base of every {@code ecs:} goal. {@link #execute()} checks the skip flags, resolves the AWS
 * settings, builds the clients lazily, calls {@link #run(GoalContext)}, closes the clients, and maps
 * exceptions in one place: {@code UserInputException} and {@code DeploymentFailedException} fail the build
 * ({@link MojoFailureException}); {@code ExternalFailureException} and AWS SDK exceptions are errors
 * ({@link MojoExecutionException}, cause attached). A goal never catches to log and rethrow.
 *
 * <p>A goal declares its own skip parameter ({@code @Parameter(property = "ecs.<goalCamel>.skip")}) and
 * returns it from {@link #skipGoal()}.
 */
public abstract class AbstractEcsMojo extends AbstractMojo {

  /** SDK loggers that print secrets at DEBUG: the SigV4 signers' canonical request holds the session token. */
  static final List<String> SECRET_LOGGERS = List.of(
      "software.amazon.awssdk.http.auth.aws.internal.signer", "software.amazon.awssdk.auth.signer");

  static {
    // With temporary credentials (the GitLab ID-token role) the canonical request that the SDK's signers log
    // at DEBUG contains x-amz-security-token, so `mvn -X` would print the session token. Maven's console
    // logger (slf4j simple) reads a logger's level from system properties when the logger is created, which
    // for the signers happens at the first AWS call, after this. Keep them at INFO unless the user chose.
    // Maven 3.9 reads org.slf4j.simpleLogger.log.<logger>; Maven 4 reads maven.logger.log.<logger> and falls back
    // to the old key with a "deprecated property" warning on every logger it creates: set both.
    for (String logger : SECRET_LOGGERS) {
      List<String> keys = List.of("org.slf4j.simpleLogger.log." + logger, "maven.logger.log." + logger);
      if (keys.stream().allMatch(key -> System.getProperty(key) == null)) {
        keys.forEach(key -> System.setProperty(key, "info"));
      }
    }
  }

  /**
   * The AWS region, e.g. {@code eu-west-1}. When unset, the AWS SDK's region chain is used: the system property
   * {@code aws.region}, the environment variable {@code AWS_REGION}, then {@code AWS_DEFAULT_REGION} (which
   * GitLab's AWS documentation sets), the profile's {@code region}, EC2 instance metadata. The log names where
   * the region came from.
   *
   * @since 0.1.0
   */
  @Parameter(property = "ecs.region")
  protected String region;

  /**
   * A named AWS profile from {@code ~/.aws/credentials} / {@code ~/.aws/config} to take credentials from.
   * When unset, the default AWS credential chain is used (environment keys, {@code AWS_PROFILE}, web
   * identity, container and instance credentials).
   *
   * @since 0.1.0
   */
  @Parameter(property = "ecs.profile")
  protected String profile;

  /**
   * Endpoint override for every AWS client (ECS, ECR, STS), e.g. {@code http://localhost:4566} for a local
   * stand-in. Plain {@code http} is accepted for loopback hosts only. When unset, the environment variable
   * {@code AWS_ENDPOINT_URL} is used, else the AWS default endpoints.
   *
   * @since 0.1.0
   */
  @Parameter(property = "ecs.endpoint")
  protected String endpoint;

  /**
   * ARN of the IAM role to assume with the GitLab CI ID token (OpenID Connect), e.g.
   * {@code arn:aws:iam::123456789012:role/gitlab-deploy}. When set, AWS credentials come from STS
   * {@code AssumeRoleWithWebIdentity} with the token in the environment variable named by
   * {@code webIdentityTokenVariable}, and are renewed before they expire. When unset, the default AWS
   * credential chain is used (which also covers {@code AWS_ROLE_ARN} + {@code AWS_WEB_IDENTITY_TOKEN_FILE}).
   * Not a secret.
   *
   * @since 0.1.0
   */
  @Parameter(property = "ecs.roleArn")
  protected String roleArn;

  /**
   * Name of the environment variable that holds the GitLab CI ID token (the key under {@code id_tokens:} in
   * {@code .gitlab-ci.yml}). Used only with {@code roleArn}. The token itself is never a parameter.
   *
   * @since 0.1.0
   */
  @Parameter(property = "ecs.webIdentityTokenVariable", defaultValue = "GITLAB_OIDC_TOKEN")
  protected String webIdentityTokenVariable;

  /**
   * How long each set of role credentials lasts: seconds ({@code 3600}), minutes or hours ({@code 60m},
   * {@code 1h}) or ISO-8601 ({@code PT1H}); 900 seconds to 12 hours, and at most the role's maximum session
   * duration. Used only with {@code roleArn}; credentials are renewed before they expire, so a long wait
   * needs no longer session.
   *
   * @since 0.1.0
   */
  @Parameter(property = "ecs.roleSessionDuration", defaultValue = "3600")
  protected String roleSessionDuration;

  /**
   * Attempts per AWS call (ECS, ECR, STS), the first included: a whole number from 1 (no retries) to 20. When
   * unset, the AWS SDK's default (3). Throttling, 5xx answers, I/O errors and STS's transient web-identity
   * errors are retried with backoff.
   *
   * @since 0.1.0
   */
  @Parameter(property = "ecs.maxAttempts")
  protected String maxAttempts;

  /**
   * The AWS SDK retry strategy of every AWS client: {@code standard} (exponential backoff with jitter) or
   * {@code adaptive} (standard plus client-side rate limiting while AWS throttles).
   *
   * @since 0.1.0
   */
  @Parameter(property = "ecs.retryMode", defaultValue = "standard")
  protected String retryMode;

  /**
   * Skips every {@code ecs:} goal.
   *
   * @since 0.1.0
   */
  @Parameter(property = "ecs.skip", defaultValue = "false")
  protected boolean skip;

  /** The current project. */
  @Parameter(defaultValue = "${project}", readonly = true, required = true)
  protected MavenProject project;

  /** The current session, for offline mode. */
  @Parameter(defaultValue = "${session}", readonly = true, required = true)
  protected MavenSession session;

  /** This execution of the goal. */
  @Parameter(defaultValue = "${mojoExecution}", readonly = true)
  protected MojoExecution mojoExecution;

  /** The world outside the parameters: environment, clock, standard output, AWS clients. */
  final GoalEnvironment environment;

  /** The reactor's bookkeeping of deployAtEnd; {@code null} for goals that are never held, and in unit tests. */
  private final DeployAtEnd atEnd;

  /**
   * The goal, with what it takes from the world besides its parameters.
   *
   * @param environment environment variables, clock, sleeper, standard output, AWS client factory
   */
  protected AbstractEcsMojo(GoalEnvironment environment) {
    this(environment, null);
  }

  /**
   * A goal that {@code -Decs.deployAtEnd=true} may hold until the last module ({@link #holdsUntilEnd()}).
   *
   * @param environment environment variables, clock, sleeper, standard output, AWS client factory
   * @param atEnd what holds the goal until the last module, or {@code null} to run at once always
   */
  protected AbstractEcsMojo(GoalEnvironment environment, DeployAtEnd atEnd) {
    this.environment = java.util.Objects.requireNonNull(environment, "environment");
    this.atEnd = atEnd;
  }

  /** The goal name without prefix, e.g. {@code update-service}. */
  protected abstract String goal();

  /** The goal's own skip flag, i.e. the value of its {@code ecs.<goalCamel>.skip} parameter. */
  protected abstract boolean skipGoal();

  /**
   * The property of the goal's own skip flag, named in the skip log line. Default: {@code ecs.} + the goal
   * name in camel case + {@code .skip}, e.g. {@code ecs.updateService.skip}.
   */
  protected String goalSkipProperty() {
    StringBuilder camel = new StringBuilder();
    boolean upper = false;
    for (char c : goal().toCharArray()) {
      if (c == '-') {
        upper = true;
      } else {
        camel.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      }
    }
    return "ecs." + camel + ".skip";
  }

  /**
   * Why the goal has nothing to do in this project (e.g. a module with {@code pom} packaging has no image),
   * logged as the one line of a skip; {@code null} (the default) when it applies.
   */
  protected String notApplicable() {
    return null;
  }

  /**
   * Whether the goal calls AWS. When false, no settings are resolved (no region is required) and
   * {@link GoalContext#aws()} throws. Default: true.
   */
  protected boolean needsAws() {
    return true;
  }

  /**
   * The goal's work: read parameters, call one core service, write one state file. Throw the core's
   * exceptions ({@code UserInputException}, {@code DeploymentFailedException},
   * {@code ExternalFailureException}) or let AWS SDK exceptions pass; do not catch to log them.
   *
   * @param ctx the log, the AWS clients (closed by the caller), and the paths
   */
  protected abstract void run(GoalContext ctx);

  /**
   * Boolean parameters that are neither true nor false ({@link BooleanParameters}), skip check, clients,
   * {@link #run(GoalContext)}, exception mapping; under GitLab CI the goal's output is
   * a collapsible log section ({@link GitLabSection}). Goals do not override this.
   */
  @Override
  public final void execute() throws MojoExecutionException, MojoFailureException {
    String name = "ecs:" + goal();
    Optional<String> badSwitches = BooleanParameters.problems(session, mojoExecution);
    if (badSwitches.isPresent()) {
      throw new MojoFailureException(badSwitches.get()); // Maven's error line names the goal
    }
    String skipped = skipLine(name);
    DeployAtEnd atEnd = atEnd();
    if (atEnd == null) {
      if (skipped != null) {
        getLog().info(skipped);
      } else {
        runGoal(name);
      }
      return;
    }
    boolean hold = skipped == null && holdsUntilEnd();
    if (skipped == null && !hold) {
      runGoal(name);
    }
    DeployAtEnd.HeldGoal held = !hold ? null : new DeployAtEnd.HeldGoal() {
      @Override
      public String describe() {
        return name + " of " + artifactId();
      }

      @Override
      public void run() throws MojoExecutionException, MojoFailureException {
        runGoal(name);
      }
    };
    List<DeployAtEnd.HeldGoal> now = atEnd.reached(session, project, mojoExecution, held);
    if (skipped != null) {
      getLog().info(skipped);
    } else if (hold && now.isEmpty()) {
      String progress = atEnd.progress(session, mojoExecution);
      getLog().info("Holding " + name + " until every module's push-image, register-task-def and update-service"
          + " is reached (" + DeployAtEnd.PARAM + (progress.isEmpty() ? "" : "; " + progress) + ").");
    }
    runHeld(now);
  }

  /** Runs the goals deployAtEnd held, in order; the first failure stops the rest and names them. */
  private void runHeld(List<DeployAtEnd.HeldGoal> goals) throws MojoExecutionException, MojoFailureException {
    for (int i = 0; i < goals.size(); i++) {
      DeployAtEnd.HeldGoal goal = goals.get(i);
      getLog().info("Running the held " + goal.describe() + " (" + (i + 1) + " of " + goals.size() + ", "
          + DeployAtEnd.PARAM + ")");
      try {
        goal.run();
      } catch (MojoFailureException | MojoExecutionException e) {
        List<String> rest = goals.subList(i + 1, goals.size()).stream().map(DeployAtEnd.HeldGoal::describe).toList();
        String message = goal.describe() + " (held by " + DeployAtEnd.PARAM + ") failed: " + e.getMessage()
            + (rest.isEmpty() ? "" : " Not run: " + String.join(", ", rest) + ".");
        if (e instanceof MojoFailureException) {
          throw new MojoFailureException(message, e);
        }
        throw new MojoExecutionException(message, e);
      }
    }
  }

  /** The one line of a skip, or {@code null} when the goal runs. */
  private String skipLine(String name) {
    if (skip) {
      return "Skipping " + name + " because ecs.skip=true";
    }
    if (skipGoal()) {
      return "Skipping " + name + " because " + goalSkipProperty() + "=true";
    }
    String notApplicable = notApplicable();
    return notApplicable == null ? null : "Skipping " + name + ": " + notApplicable;
  }

  /**
   * The deployAtEnd bookkeeping when this execution takes part (a goal given one, in a Maven build); {@code null}
   * otherwise.
   */
  final DeployAtEnd atEnd() {
    return atEnd == null || session == null || project == null || mojoExecution == null ? null : atEnd;
  }

  /**
   * Whether this execution waits for the last deploying execution of the reactor: the value of
   * {@code ecs.deployAtEnd} in the goals that have that parameter (push-image, update-service and {@link AbstractDeployingMojo});
   * never for the others.
   */
  boolean holdsUntilEnd() {
    return false;
  }

  /** The goal's work under GitLab CI's collapsible section ({@link GitLabSection}). */
  private void runGoal(String name) throws MojoExecutionException, MojoFailureException {
    GitLabSection section = GitLabSection.open(getLog(), goal(), header(name), environment::env, environment.clock(),
        environment.rawStdout());
    boolean succeeded = false;
    try {
      runWithClients(name, section.log());
      succeeded = true;
    } finally {
      if (succeeded) {
        section.succeeded();
      } else {
        section.failed();
      }
    }
  }

  private void runWithClients(String name, DeployLog log)
      throws MojoExecutionException, MojoFailureException {
    AwsClients aws = null;
    AwsClients owned = null;
    try {
      if (needsAws()) {
        AwsSettings settings =
            AwsSettings.resolve(
                new AwsSettings.Inputs(region, profile, endpoint, maxAttempts, retryMode),
                environment.aws());
        checkOffline(name, settings);
        CredentialsSource credentials =
            CredentialsSource.forSettings(
                settings,
                WebIdentityRole.resolve(roleArn, webIdentityTokenVariable, roleSessionDuration,
                    environment::env, environment.clock()),
                environment::env);
        SharedAwsClients shared = BuildAwsClients.of(session, getLog());
        if (shared == null) {
          aws = environment.awsClients().create(settings, credentials, log);
          owned = aws;
        } else {
          // One set of clients per build (issue 18): BuildAwsClients closes them when the build ends.
          aws = shared.lease(settings, credentials, log, environment.awsClients()::create).clients();
        }
      }
      run(new GoalContext(log, aws, projectDir(), buildDir(), offline()));
    } catch (RuntimeException e) {
      Exception mapped = Failures.toMojo(e, aws);
      if (mapped instanceof MojoFailureException failure) {
        throw failure;
      }
      if (mapped instanceof MojoExecutionException error) {
        throw error;
      }
      throw (RuntimeException) mapped;
    } finally {
      if (owned != null) {
        try {
          owned.close();
        } catch (RuntimeException e) {
          // The goal's outcome stands; a client that did not close cleanly is worth a warning only.
          log.warn("Could not close the AWS clients cleanly: " + e.getMessage());
        }
      }
    }
  }

  private String header(String name) {
    String artifact = artifactId();
    return artifact == null || artifact.isBlank() ? name : name + " (" + artifact + ")";
  }

  private String artifactId() {
    return project == null ? null : project.getArtifactId();
  }

  private void checkOffline(String name, AwsSettings settings) {
    if (offline() && !settings.loopbackEndpoint()) {
      throw new UserInputException(
          "Maven runs offline (-o), but "
              + name
              + " calls AWS in region "
              + settings.region()
              + ". Run without -o, point "
              + Param.ENDPOINT.both()
              + " at a loopback stand-in, or skip the goal with -D"
              + goalSkipProperty()
              + "=true.");
    }
  }

  private boolean offline() {
    return session != null && session.isOffline();
  }

  private Path projectDir() {
    File basedir = project == null ? null : project.getBasedir();
    if (basedir == null && session != null && session.getExecutionRootDirectory() != null) {
      // Without a pom.xml: the directory Maven was started in, as Maven has it. Not the JVM's current directory:
      // a Maven that runs in a JVM started elsewhere (mvnd, embedded Maven) has its own.
      basedir = new File(session.getExecutionRootDirectory());
    }
    return (basedir == null ? new File(".") : basedir).toPath().toAbsolutePath();
  }

  private Path buildDir() {
    String dir =
        project == null || project.getBuild() == null ? null : project.getBuild().getDirectory();
    // Without a pom.xml (goals with requiresProject = false), Maven's stub project keeps the uninterpolated
    // "${project.basedir}/target": use target/ of the current directory instead.
    return dir == null || dir.contains("${") ? projectDir().resolve("target") : Path.of(dir).toAbsolutePath();
  }
}
