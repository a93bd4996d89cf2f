package io.github.ecsdeploy.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.ecsdeploy.aws.AwsClients;
import io.github.ecsdeploy.standin.AwsStandIn;
import io.github.ecsdeploy.standin.sts.IdTokens;
import io.github.ecsdeploy.standin.registry.RegistryHandler;
import io.github.ecsdeploy.standin.RequestLog;
import io.github.ecsdeploy.standin.StandInExtension;
import io.github.ecsdeploy.standin.ecs.EcsService;
import io.github.ecsdeploy.testing.MutableClock;
import io.github.ecsdeploy.testing.TestCredentials;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.apache.maven.model.Build;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.project.MavenProject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The bad-input catalogue (issue 14, point 3): one table of wrong parameters, wrong files, missing or unusable
 * AWS resources, refused identities and denied AWS calls, each run through a goal's {@code execute()} against
 * the in-process stand-in. Every row asserts: the build ends the expected way (MojoFailureException for the
 * user's mistakes, MojoExecutionException for the world's, or success where a denied call has a documented
 * fallback), the one error names the parameter or resource and says how to fix it, nothing is logged at ERROR
 * (thrown once, not logged and rethrown), and, from the stand-in's request log, no mutating AWS call happened
 * after the point where the error was knowable (for input errors: no mutating call at all).
 *
 * <p>Prints the number of cases and of distinct messages. The AccessDenied rows are derived from the request
 * log of a successful run of each goal, so every AWS call a goal makes is denied once.
 */
class BadInputCatalogueTest {

  private static final MutableClock CLOCK = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));

  @RegisterExtension
  static final StandInExtension STAND_IN = new StandInExtension(AwsStandIn.Options.defaults().withClock(CLOCK));

  /** ECS and ECR operations that change something; every registry request but GET and HEAD does too. */
  private static final Set<String> MUTATING = Set.of("RegisterTaskDefinition", "DeregisterTaskDefinition",
      "CreateService", "UpdateService", "DeleteService", "TagResource", "PutImage", "CreateRepository",
      "PutImageTagMutability", "BatchDeleteImage");

  private static final String VERSION = "1.1.0";
  private static final String TAG = "v" + VERSION;
  private static final String ROLE = "arn:aws:iam::123456789012:role/deploy";
  private static final AtomicInteger ROW = new AtomicInteger();

  private static Path root;
  private static Path classes;
  private static String host;
  private static String liveImage;
  private static String pushedImage;
  private static String revision1;

  /** Every row's outcome: its name -> the message (or "OK"). */
  private static final Map<String, String> MESSAGES = Collections.synchronizedMap(new LinkedHashMap<>());
  private static final Map<String, Integer> PER_GOAL = new TreeMap<>();
  private static final Map<Expect, Integer> PER_OUTCOME = new TreeMap<>();

  enum Expect { FAILURE, ERROR, OK }

  /**
   * One case.
   *
   * @param goal which goal runs
   * @param name what is wrong
   * @param setup makes it wrong
   * @param expect how the build must end
   * @param names what the message must name: the parameter in both spellings, or the resource
   * @param fix the words of the fix the message must contain
   * @param knowable the first request after which the error was knowable (mutations before it are allowed);
   *     null: knowable before any AWS call, so no mutating call at all
   */
  record Row(String goal, String name, Consumer<Run> setup, Expect expect, String names, String fix,
      Predicate<RequestLog.Entry> knowable) {

    Row knowableAfter(Predicate<RequestLog.Entry> point) {
      return new Row(goal, name, setup, expect, names, fix, point);
    }
  }

  /** What a row's setup may change: the goal's Mojo, its environment, its project directory. */
  static final class Run {
    AbstractEcsMojo mojo;
    final Map<String, String> env = new HashMap<>();
    final Path dir;
    final RecordingLog log = new RecordingLog();
    final List<Runnable> cleanups = new ArrayList<>();
    /** Whether the clients use the credentials the goal resolved (profile, role) instead of the test keys. */
    boolean resolvedCredentials;

    Run(Path dir) {
      this.dir = dir;
    }

    /** What the goal takes from the world: this run's environment, the test clock, the stand-in's clients. */
    GoalEnvironment environment() {
      return new GoalEnvironment(new io.github.ecsdeploy.aws.AwsEnvironment(env::get, name -> null,
          java.util.Optional::empty), CLOCK, CLOCK::advance, line -> { }, line -> { },
          (settings, source, deployLog) -> new AwsClients(settings,
              resolvedCredentials ? source : TestCredentials.source(), deployLog),
          root.resolve("base-cache"));
    }

    ValidateTagMojo vt() {
      return (ValidateTagMojo) mojo;
    }

    PushImageMojo pi() {
      return (PushImageMojo) mojo;
    }

    RegisterTaskDefMojo rt() {
      return (RegisterTaskDefMojo) mojo;
    }

    UpdateServiceMojo us() {
      return (UpdateServiceMojo) mojo;
    }

    Path state(String file) {
      return dir.resolve("target/ecs-deploy").resolve(file);
    }

    void write(String file, String content) {
      try {
        Files.createDirectories(state(file).getParent());
        Files.writeString(state(file), content);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }

    Path file(String name, String content) {
      try {
        Path p = dir.resolve(name);
        Files.writeString(p, content);
        return p;
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }

    /** Credentials as the base resolves them (profile, role), not the test keys. */
    void realCredentials() {
      resolvedCredentials = true;
    }

    /** The GitLab ID-token role with this token in $GITLAB_OIDC_TOKEN. */
    void role(String token) {
      realCredentials();
      mojo.roleArn = ROLE;
      mojo.webIdentityTokenVariable = "GITLAB_OIDC_TOKEN";
      if (token != null) {
        env.put("GITLAB_OIDC_TOKEN", token);
      }
      env.put("CI_PROJECT_PATH_SLUG", "group-project");
      env.put("CI_PIPELINE_ID", "77");
    }

    /** Denies these AWS operations for this run. */
    void deny(String... operations) {
      STAND_IN.get().faults().deny(operations);
    }
  }

  private static EcsService ecs() {
    return STAND_IN.get().ecs();
  }

  @BeforeAll
  static void world() throws IOException {
    root = Files.createTempDirectory("bad-input-catalogue");
    classes = root.resolve("classes");
    compile(classes);
    AwsStandIn standIn = STAND_IN.get();
    host = standIn.ecr().registryHost();
    standIn.ecr().createRepository("hello-app", true);
    standIn.ecr().createRepository("other-app", true);
    standIn.ecr().putImage("hello-app", digest('1'), "v1.0.0", 1000, RegistryHandler.DOCKER_MANIFEST);
    standIn.ecr().putImage("hello-app", digest('2'), "v1.0.9", 1000, RegistryHandler.DOCKER_MANIFEST);
    liveImage = host + "/hello-app:v1.0.0@" + digest('1');
    pushedImage = host + "/hello-app:" + TAG + "@" + digest('3');
    ecs().handle("CreateCluster", "{\"clusterName\":\"prod\"}");
    revision1 = register("hello-app", liveImage);
    for (String svc : List.of("hello-svc", "deploy-svc", "gone-svc")) {
      createService(svc, revision1, "ECS");
    }
    createService("bg-svc", revision1, "CODE_DEPLOY");
    createService("ext-svc", revision1, "EXTERNAL");
    CLOCK.advance(Duration.ofMinutes(2));
    ecs().handle("DeleteService", "{\"cluster\":\"prod\",\"service\":\"gone-svc\",\"force\":true}");
    CLOCK.advance(Duration.ofMinutes(2));
    String status = ecs().handle("DescribeServices", "{\"cluster\":\"prod\",\"services\":[\"gone-svc\"]}")
        .at("/services/0/status").asText();
    assertEquals("INACTIVE", status, "DeleteService made gone-svc INACTIVE");
  }

  @AfterAll
  static void summary() {
    Set<String> distinct = new LinkedHashSet<>(MESSAGES.values());
    distinct.remove("OK");
    System.out.println("Bad-input catalogue: " + MESSAGES.size() + " cases, " + distinct.size()
        + " distinct messages; by goal " + PER_GOAL + "; by outcome " + PER_OUTCOME);
    StringBuilder table = new StringBuilder();
    MESSAGES.forEach((row, message) -> table.append(row).append("\n    ").append(message.replace("\n", "\n    "))
        .append("\n"));
    try {
      Files.writeString(Path.of("target", "bad-input-catalogue.txt"), table);
    } catch (IOException e) {
      System.out.println("Could not write target/bad-input-catalogue.txt: " + e);
    }
  }

  // ---- the table ------------------------------------------------------------------------------------------

  private static final String TAG_P = "<tag> / -Decs.tag";
  private static final String CLUSTER_P = "<cluster> / -Decs.cluster";
  private static final String SERVICE_P = "<service> / -Decs.service";
  private static final String REPO_P = "<repository> / -Decs.repository";
  private static final String TD_P = "<taskDefinition> / -Decs.taskDefinition";
  private static final String TD_FILE_P = "<taskDefinitionFile> / -Decs.taskDefinitionFile";
  private static final String ARN_P = "<taskDefinitionArn> / -Decs.taskDefinitionArn";
  private static final String CHECK = "Check";
  private static final String MUST_HOLD = "must hold describe-task-definition output";

  private static List<Row> rows() {
    List<Row> rows = new ArrayList<>();
    // -- tags (validate-tag checks them first; push-image takes them as given) --
    rows.add(bad("validate-tag", "no tag and no CI_COMMIT_TAG", r -> r.vt().tag = null, TAG_P, "CI_COMMIT_TAG"));
    rows.add(bad("validate-tag", "blank tag", r -> r.vt().tag = " ", "The tag ' '", "how the tag is passed"));
    for (String tag : List.of("latest", "stable", "1.1.0", "v1.1", "v01.1.0", "V1.1.0", "v1.1.0-SNAPSHOT",
        "v1.1.0-rc.1", "v1.2.0", "v1.1.0/x", "v1.1.0 beta", "release-1.1.0", "v" + "1".repeat(130) + ".0.0",
        "v1.1.0ü", "v-1.1.0")) {
      rows.add(bad("validate-tag", "tag '" + tag + "'", r -> r.vt().tag = tag, "The tag '", "v1.1.0|<tag> / -Decs.tag"));
    }
    rows.add(bad("validate-tag", "SNAPSHOT project version", r -> {
      r.mojo.project.setVersion("1.1.0-SNAPSHOT");
      r.vt().tag = "v1.1.0-SNAPSHOT";
    }, "The tag 'v1.1.0-SNAPSHOT'", "versions:set"));
    rows.add(bad("validate-tag", "tag older than the running version, never released", r -> {
      r.mojo.project.setVersion("0.9.0");
      r.vt().tag = "v0.9.0";
    }, "older than v1.0.0", "ecs:rollback"));
    rows.add(bad("push-image", "no tag and no CI_COMMIT_TAG", r -> r.pi().tag = null, TAG_P, "CI_COMMIT_TAG"));
    rows.add(row("push-image", "tag 'latest' (taken as given: validate-tag is the goal that refuses it)",
        r -> r.pi().tag = "latest", Expect.OK, "", ""));
    rows.add(bad("push-image", "tag with a slash", r -> r.pi().tag = "v1/0", TAG_P, "fix"));
    rows.add(bad("push-image", "tag holds another image", r -> r.pi().tag = "v1.0.9", "v1.0.9",
        "bump the version"));

    // -- names of resources --
    rows.add(bad("validate-tag", "repository missing", r -> r.vt().repository = "no-such-repo", "no-such-repo",
        "create-repository"));
    rows.add(bad("validate-tag", "repository name invalid", r -> r.vt().repository = "Hello App!", REPO_P,
        "fix"));
    rows.add(bad("validate-tag", "cluster missing", r -> r.vt().cluster = "nope", CLUSTER_P, "list-clusters"));
    rows.add(bad("validate-tag", "service missing", r -> r.vt().service = "nope-svc", "'nope-svc'", "create it"));
    rows.add(bad("validate-tag", "service INACTIVE", r -> r.vt().service = "gone-svc", "INACTIVE",
        "Create the service again"));
    rows.add(bad("push-image", "repository missing", r -> r.pi().repository = "no-such-repo", "no-such-repo",
        "create-repository"));
    rows.add(bad("push-image", "repository name invalid", r -> r.pi().repository = "Hello App!", REPO_P,
        "lower-case"));
    rows.add(bad("push-image", "registry not a host", r -> r.pi().registry = "not a host", "<registry>",
        "host[:port]"));
    rows.add(bad("register-task-def", "cluster missing", r -> r.rt().cluster = "nope", CLUSTER_P, CHECK));
    rows.add(bad("register-task-def", "service missing", r -> r.rt().service = "nope-svc", "nope-svc", CHECK));
    rows.add(bad("register-task-def", "service INACTIVE", r -> r.rt().service = "gone-svc", "INACTIVE", CHECK));
    rows.add(bad("register-task-def", "no service and no template", r -> r.rt().service = null, SERVICE_P, TD_P));
    rows.add(bad("register-task-def", "family missing", r -> r.rt().taskDefinition = "no-such-family", "no-such-family",
        "a family, family:revision or ARN"));
    rows.add(bad("register-task-def", "revision missing", r -> r.rt().taskDefinition = "hello-app:999",
        "hello-app:999", "a family, family:revision or ARN"));
    rows.add(bad("register-task-def", "task definition ARN malformed",
        r -> r.rt().taskDefinition = "arn:aws:ecs:task-definition", "arn:aws:ecs:task-definition",
        "a family, family:revision or ARN"));
    rows.add(bad("register-task-def", "container not in the task definition", r -> r.rt().container = "nope",
        "nope", "app"));
    rows.add(bad("update-service", "cluster missing", r -> r.us().cluster = "nope", CLUSTER_P, "list-clusters"));
    rows.add(bad("update-service", "service missing", r -> r.us().service = "nope-svc", "nope-svc", CHECK));
    rows.add(bad("update-service", "service INACTIVE", r -> r.us().service = "gone-svc", "INACTIVE",
        "Create the service again"));
    rows.add(bad("update-service", "CODE_DEPLOY controller", r -> r.us().service = "bg-svc", "CODE_DEPLOY",
        "CodeDeploy deployment"));
    rows.add(bad("update-service", "EXTERNAL controller", r -> r.us().service = "ext-svc", "EXTERNAL",
        "CreateTaskSet"));
    rows.add(bad("update-service", "no cluster", r -> r.us().cluster = null, CLUSTER_P, "set it"));
    rows.add(bad("update-service", "no service", r -> r.us().service = null, SERVICE_P, "set it"));

    // -- durations --
    for (String bad : List.of("abc", "-5m", "0", "5 minutes", "PT", "1y", "99999999999999999999")) {
      rows.add(bad("update-service", "timeout '" + bad + "'", r -> r.us().timeout = bad,
          "<timeout> / -Decs.updateService.timeout", "like 5s|like 15m"));
    }
    for (String bad : List.of("abc", "-1s", "0s", "1.5.2s")) {
      rows.add(bad("update-service", "pollInterval '" + bad + "'", r -> r.us().pollInterval = bad,
          "<pollInterval> / -Decs.updateService.pollInterval", "like 5s"));
    }
    for (String bad : List.of("10m", "abc", "13h", "-1")) {
      rows.add(bad("update-service", "roleSessionDuration '" + bad + "'", r -> {
        r.role(IdTokens.gitlab("group/project", TAG));
        r.mojo.roleSessionDuration = bad;
      }, "<roleSessionDuration> / -Decs.roleSessionDuration", "like 5s|from 900"));
    }

    // -- ARNs --
    rows.add(bad("update-service", "taskDefinitionArn family:revision, not an ARN",
        r -> r.us().taskDefinitionArn = "hello-app:1", ARN_P, "arn:aws:ecs:"));
    rows.add(bad("update-service", "taskDefinitionArn not an ARN", r -> r.us().taskDefinitionArn = "not-an-arn",
        ARN_P, "like arn:aws:ecs:"));
    rows.add(bad("update-service", "taskDefinitionArn revision missing",
        r -> r.us().taskDefinitionArn = revision1.substring(0, revision1.lastIndexOf(':')) + ":999", ARN_P,
        "must exist in this account and region"));
    rows.add(bad("update-service", "taskDefinitionArn of another region",
        r -> r.us().taskDefinitionArn = revision1.replace(STAND_IN.get().region(), "eu-west-3"), ARN_P,
        "must exist in this account and region"));
    rows.add(bad("update-service", "taskDefinitionArn deregistered (INACTIVE)", r -> {
      String arn = register("hello-app", liveImage);
      ecs().handle("DeregisterTaskDefinition", "{\"taskDefinition\":\"" + arn + "\"}");
      r.us().taskDefinitionArn = arn;
    }, ARN_P, "be ACTIVE"));
    for (String bad : List.of("not-an-arn", "arn:aws:iam::123456789012:user/deploy", "arn:aws:iam::12:role/x")) {
      rows.add(bad("validate-tag", "roleArn '" + bad + "'", r -> {
        r.role(IdTokens.gitlab("group/project", TAG));
        r.mojo.roleArn = bad;
      }, "<roleArn> / -Decs.roleArn", "e.g. arn:aws:iam::"));
    }

    // -- the AWS settings every goal shares --
    for (String goal : List.of("validate-tag", "push-image", "register-task-def", "update-service")) {
      rows.add(bad(goal, "region malformed", r -> r.mojo.region = "eu west 1", "<region> / -Decs.region", "like eu-west-1"));
      rows.add(bad(goal, "endpoint not a URL", r -> r.mojo.endpoint = "::not a url", "<endpoint> / -Decs.endpoint",
          "Use an absolute URL"));
      rows.add(bad(goal, "endpoint plain http to a remote host", r -> r.mojo.endpoint = "http://example.com",
          "<endpoint> / -Decs.endpoint", "https"));
      rows.add(bad(goal, "maxAttempts 0", r -> r.mojo.maxAttempts = "0", "<maxAttempts> / -Decs.maxAttempts", "from 1"));
      rows.add(bad(goal, "maxAttempts 'three'", r -> r.mojo.maxAttempts = "three",
          "<maxAttempts> / -Decs.maxAttempts", "from 1"));
      rows.add(bad(goal, "retryMode 'fast'", r -> r.mojo.retryMode = "fast", "<retryMode> / -Decs.retryMode",
          "adaptive"));
      rows.add(bad(goal, "profile and roleArn both set", r -> {
        r.role(IdTokens.gitlab("group/project", TAG));
        r.mojo.profile = "ci";
      }, "<roleArn> / -Decs.roleArn", "Remove"));
      rows.add(bad(goal, "ID token variable empty", r -> r.role(null), "<webIdentityTokenVariable>", "id_tokens"));
    }

    // -- credentials and web identity --
    rows.add(bad("update-service", "ID token expired", r -> r.role(IdTokens.token(
        "project_path:group/project:ref_type:tag:ref:" + TAG, "sts.amazonaws.com", IdTokens.GITLAB_ISSUER,
        System.currentTimeMillis() / 1000 - 60)), "GitLab ID token", "re-run the job"));
    rows.add(bad("update-service", "ID token refused by the role's trust policy", r -> {
      r.role(IdTokens.gitlab("group/project", TAG));
      STAND_IN.get().sts().rejectSubject("project_path:group/project:ref_type:tag:ref:" + TAG);
    }, "GitLab ID token", "trust policy"));
    rows.add(bad("register-task-def", "ID token not a JWT", r -> r.role("not-a-jwt"), "<webIdentityTokenVariable>",
        "id_tokens:"));
    rows.add(bad("push-image", "ID token of another audience", r -> r.role(IdTokens.token(
        "project_path:group/project:ref_type:tag:ref:" + TAG, "https://gitlab.com", IdTokens.GITLAB_ISSUER,
        System.currentTimeMillis() / 1000 + 300)), "GitLab ID token", "aud"));
    rows.add(row("update-service", "no credentials (a profile that does not exist)", r -> {
      r.realCredentials();
      r.mojo.profile = "no-such-profile";
      Path empty = r.file("empty-aws-config", "");
      systemProperty(r, "aws.sharedCredentialsFile", empty.toString());
      systemProperty(r, "aws.configFile", empty.toString());
    }, Expect.FAILURE, "no-such-profile", "<profile> / -Decs.profile"));

    if (System.getenv("AWS_ACCESS_KEY_ID") == null && System.getenv("AWS_PROFILE") == null
        && System.getenv("AWS_WEB_IDENTITY_TOKEN_FILE") == null
        && System.getenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") == null
        && System.getenv("AWS_CONTAINER_CREDENTIALS_FULL_URI") == null) {
      // only where the machine itself has no AWS credentials in its environment
      rows.add(row("register-task-def", "no credentials at all (the default chain finds none)", r -> {
        r.realCredentials();
        Path empty = r.file("empty-aws-config", "");
        systemProperty(r, "aws.sharedCredentialsFile", empty.toString());
        systemProperty(r, "aws.configFile", empty.toString());
        systemProperty(r, "aws.disableEc2Metadata", "true");
      }, Expect.FAILURE, "No AWS credentials found", "AWS_ACCESS_KEY_ID"));
    }

    // -- task-definition files --
    rows.add(bad("register-task-def", "file does not exist",
        r -> r.rt().taskDefinitionFile = r.dir.resolve("nope.json").toFile(), TD_FILE_P, "check"));
    rows.add(bad("register-task-def", "file is a directory", r -> r.rt().taskDefinitionFile = r.dir.toFile(),
        TD_FILE_P, "to the JSON file"));
    rows.add(bad("register-task-def", "file empty", r -> tdFile(r, ""), TD_FILE_P, MUST_HOLD));
    rows.add(bad("register-task-def", "file not JSON", r -> tdFile(r, "family: hello-app\n"), TD_FILE_P, MUST_HOLD));
    rows.add(bad("register-task-def", "file truncated", r -> tdFile(r, goodTaskDefinition().substring(0, 60)),
        TD_FILE_P, MUST_HOLD));
    rows.add(bad("register-task-def", "file a JSON array", r -> tdFile(r, "[" + goodTaskDefinition() + "]"),
        TD_FILE_P, MUST_HOLD));
    rows.add(bad("register-task-def", "file with an unknown member", r -> tdFile(r,
        goodTaskDefinition().replace("\"family\"", "\"famliy\":\"x\",\"family\"")), "famliy", "did you mean family"));
    rows.add(bad("register-task-def", "file with an unknown container member", r -> tdFile(r,
        goodTaskDefinition().replace("\"essential\"", "\"imagee\":\"x\",\"essential\"")), "imagee", "did you mean image"));
    rows.add(bad("register-task-def", "file with a wrong type (memory 'lots')", r -> tdFile(r,
        goodTaskDefinition().replace("\"memory\":512", "\"memory\":\"lots\"")), "memory", "expected an integer"));
    rows.add(bad("register-task-def", "file with a wrong type (containerDefinitions an object)", r -> tdFile(r,
        "{\"family\":\"hello-app\",\"containerDefinitions\":{\"name\":\"app\"}}"), "containerDefinitions", "expected an array"));
    rows.add(bad("register-task-def", "file without containers", r -> tdFile(r,
        "{\"family\":\"hello-app\",\"containerDefinitions\":[]}"), "container", "Use a template that has one"));
    rows.add(bad("register-task-def", "file without a family", r -> tdFile(r,
        goodTaskDefinition().replace("\"family\":\"hello-app\",", "")), "family", "needs a family"));
    rows.add(bad("register-task-def", "file of 1 MB and more", r -> tdFile(r, goodTaskDefinition().replace(
        "\"essential\"", "\"command\":[\"" + "x".repeat(1_100_000) + "\"],\"essential\"")), TD_FILE_P, "describe-task-definition"));
    rows.add(bad("register-task-def", "file with a container name not in it", r -> {
      tdFile(r, goodTaskDefinition());
      r.rt().container = "web";
    }, "web", "app"));
    rows.add(bad("register-task-def", "file with two containers, none of our repository", r -> tdFile(r,
        "{\"family\":\"hello-app\",\"containerDefinitions\":[{\"name\":\"a\",\"image\":\"nginx\",\"memory\":64},"
            + "{\"name\":\"b\",\"image\":\"envoy\",\"memory\":64}]}"), "<container> / -Decs.container", "set <container>"));

    // -- images --
    rows.add(bad("register-task-def", "no image and no image.json", r -> r.rt().image = null,
        "<image> / -Decs.image", "push-image"));
    rows.add(bad("register-task-def", "image not a reference", r -> r.rt().image = "Not An Image!",
        "<image> / -Decs.image", "<registry>/<repository>:<tag>@sha256"));
    rows.add(bad("push-image", "base image not a reference", r -> r.pi().baseImage = "Not An Image!",
        "<baseImage> / -Decs.pushImage.baseImage", "e.g. eclipse-temurin"));
    rows.add(bad("push-image", "main class not a class name", r -> r.pi().mainClass = "1bad class",
        "<mainClass> / -Decs.pushImage.mainClass", "fix"));
    for (String port : List.of("abc", "70000", "90-80", "8080/sctp")) {
      rows.add(bad("push-image", "port '" + port + "'", r -> r.pi().ports = List.of(port),
          "<ports> / -Decs.pushImage.ports", "fix"));
    }
    rows.add(bad("push-image", "format 'PNG'", r -> r.pi().format = "PNG", "<format> / -Decs.pushImage.format",
        "OCI"));
    rows.add(bad("push-image", "no classes compiled", r -> r.mojo.project.getBuild()
        .setOutputDirectory(r.dir.resolve("no-classes").toString()), "Nothing to put in the image", "mvn package"));
    rows.add(bad("push-image", "cache directory is a file", r -> {
      r.file("cache-file", "x");
      r.pi().cacheDirectory = "cache-file";
    }, "<cacheDirectory> / -Decs.pushImage.cacheDirectory", "Set it to a directory"));

    // -- state files from an earlier build --
    rows.add(bad("register-task-def", "image.json corrupt", r -> {
      r.rt().image = null;
      r.write("image.json", "{\"image\": \"hello-app");
    }, "image.json", "push-image"));
    rows.add(bad("register-task-def", "image.json of another repository", r -> {
      r.rt().image = null;
      r.write("image.json", "{\"image\":\"" + host + "/other-app:" + TAG + "\",\"digest\":\"" + digest('4')
          + "\",\"tags\":[\"" + TAG + "\"],\"result\":\"pushed\"}");
    }, "other-app", REPO_P));
    rows.add(bad("update-service", "task-definition.json corrupt", r -> {
      r.us().taskDefinitionArn = null;
      r.write("task-definition.json", "{\"taskDefinitionArn\": ");
    }, ARN_P, "register-task-def"));
    rows.add(bad("update-service", "task-definition.json without an ARN", r -> {
      r.us().taskDefinitionArn = null;
      r.write("task-definition.json", "{\"family\":\"hello-app\",\"revision\":3}");
    }, ARN_P, "register-task-def"));
    rows.add(bad("update-service", "no task-definition.json and no ARN", r -> r.us().taskDefinitionArn = null,
        ARN_P, "register-task-def"));
    rows.add(bad("update-service", "task-definition.json of another service's family", r -> {
      String other = register("other-app", host + "/other-app:" + TAG + "@" + digest('4'));
      r.us().taskDefinitionArn = null;
      r.write("task-definition.json", "{\"taskDefinitionArn\":\"" + other + "\",\"family\":\"other-app\","
          + "\"revision\":1,\"container\":\"app\",\"image\":\"" + host + "/other-app:" + TAG + "\"}");
    }, "other-app", ARN_P));
    rows.add(row("push-image", "release.json corrupt (a warning; a new release)", r -> r.write("release.json", "{"),
        Expect.OK, "", ""));

    // -- AccessDenied on the calls that only a failed deployment makes (why its tasks stopped) --
    for (String operation : List.of("ListTasks", "DescribeTasks")) {
      rows.add(row("update-service", "AccessDenied on " + operation + " while a deployment is rolled back", r -> {
        ecs().failTaskDefinition(r.us().taskDefinitionArn);
        r.deny(operation);
      }, Expect.FAILURE, "FAILED", "rolled back to").knowableAfter(e -> "UpdateService".equals(e.operation())));
    }

    // -- AccessDenied on every AWS call each goal makes --
    rows.addAll(deniedRows());
    return rows;
  }

  /** One AccessDenied row per distinct AWS operation of a successful run of each goal. */
  private static List<Row> deniedRows() {
    List<Row> rows = new ArrayList<>();
    for (String goal : List.of("validate-tag", "push-image", "register-task-def", "update-service")) {
      STAND_IN.get().requestLog().clear();
      Run probe = newRun(goal);
      try {
        probe.mojo.execute();
      } catch (Exception e) {
        throw new AssertionError("the happy run of " + goal + " fails: " + e.getMessage(), e);
      }
      Set<String> operations = new LinkedHashSet<>();
      for (RequestLog.Entry e : STAND_IN.get().requestLog().entries()) {
        if (e.service().equals("registry")) {
          if (!e.operation().startsWith("GET") && !e.operation().startsWith("HEAD")) {
            operations.add("ecr:InitiateLayerUpload");
          }
        } else if (!e.service().equals("control")) {
          operations.add(e.operation());
        }
      }
      assertFalse(operations.isEmpty(), goal + " calls AWS");
      for (String operation : operations) {
        String denied = operation.startsWith("ecr:") ? "AccessDeniedException" : "AccessDeniedException";
        Predicate<RequestLog.Entry> point = e -> e.status() >= 400
            && (denied.equals(e.errorType()) || "DENIED".equals(e.errorType()));
        boolean optional = OPTIONAL_CALLS.contains(operation);
        rows.add(row(goal, "AccessDenied on " + operation, r -> r.deny(operation),
            optional ? Expect.OK : Expect.ERROR, optional ? "" : operation.replace("ecr:", ""),
            optional ? "" : DENIED_FIX).knowableAfter(point));
      }
    }
    return rows;
  }

  /**
   * Calls with a documented fallback: the Service Deployments API (the deployments of DescribeServices serve when
   * the role may not read it) and DescribeServiceRevisions (only names the revision of a rollback).
   */
  /** What an AccessDenied message must say to do: the permission to grant, or the credentials to check. */
  private static final String DENIED_FIX = "allowed to make this call|needs ecr:|needs ecs:|grant";

  private static final Set<String> OPTIONAL_CALLS = Set.of("ListServiceDeployments", "DescribeServiceDeployments",
      "DescribeServiceRevisions");

  // ---- running a row ----------------------------------------------------------------------------------------

  @TestFactory
  Stream<DynamicTest> catalogue() {
    List<Row> rows = rows();
    assertTrue(rows.size() >= 100, "at least 100 cases: " + rows.size());
    return rows.stream().map(row -> DynamicTest.dynamicTest(row.goal() + ": " + row.name(), () -> check(row)));
  }

  private static void check(Row row) throws Exception {
    Run run = newRun(row.goal());
    STAND_IN.get().faults().reset();
    STAND_IN.get().sts().reset();
    try {
      row.setup().accept(run);
      STAND_IN.get().requestLog().clear();
      Exception caught = null;
      try {
        run.mojo.execute();
      } catch (MojoFailureException | MojoExecutionException e) {
        caught = e;
      } catch (RuntimeException e) {
        fail("not mapped to a Maven exception: " + e, e);
      }
      Exception thrown = caught;
      List<RequestLog.Entry> log = STAND_IN.get().requestLog().entries();
      String message = thrown == null ? "OK" : thrown.getMessage();
      MESSAGES.put(row.goal() + ": " + row.name(), message);
      synchronized (PER_GOAL) {
        PER_GOAL.merge(row.goal(), 1, Integer::sum);
        PER_OUTCOME.merge(row.expect(), 1, Integer::sum);
      }
      switch (row.expect()) {
        case OK -> assertEquals(null, thrown, () -> "succeeds: " + message);
        case FAILURE -> assertTrue(thrown instanceof MojoFailureException,
            () -> "a MojoFailureException (the user's mistake), got " + thrown);
        case ERROR -> assertTrue(thrown instanceof MojoExecutionException,
            () -> "a MojoExecutionException (the world's failure), got " + thrown);
      }
      if (thrown != null) {
        assertNotNull(thrown.getMessage());
        assertTrue(message.contains(row.names()), () -> "names '" + row.names() + "': " + message);
        assertTrue(saysFix(message, row.fix()), () -> "says the fix '" + row.fix() + "': " + message);
        assertTrue(run.log.at("ERROR").isEmpty(), () -> "thrown once, never logged: " + run.log.at("ERROR"));
      }
      if (row.expect() != Expect.OK) {
        assertNothingChangedAfter(row, log);
      }
    } finally {
      run.cleanups.forEach(Runnable::run);
      STAND_IN.get().faults().reset();
      STAND_IN.get().sts().reset();
    }
  }

  /** Whether the message holds one of the {@code |}-separated phrases of the fix, ignoring case. */
  private static boolean saysFix(String message, String fix) {
    String m = message.toLowerCase(java.util.Locale.ROOT);
    return java.util.Arrays.stream(fix.split("\\|"))
        .anyMatch(phrase -> m.contains(phrase.toLowerCase(java.util.Locale.ROOT)));
  }

  private static void assertNothingChangedAfter(Row row, List<RequestLog.Entry> log) {
    int from = 0;
    if (row.knowable() != null) {
      from = -1;
      for (int i = 0; i < log.size(); i++) {
        if (row.knowable().test(log.get(i))) {
          from = i + 1;
          break;
        }
      }
      assertTrue(from >= 0, () -> "the point where the error was knowable is in the request log: " + log);
    }
    for (RequestLog.Entry e : log.subList(from, log.size())) {
      boolean mutation = e.service().equals("registry")
          ? !e.operation().startsWith("GET") && !e.operation().startsWith("HEAD")
          : MUTATING.contains(e.operation());
      if (mutation && e.status() < 400) {
        fail("nothing half-changed: " + e.operation() + " after the error was knowable (" + e + ")");
      }
    }
  }

  // ---- the goals, configured as the other Mojo tests do ------------------------------------------------------

  private static Run newRun(String goal) {
    int n = ROW.incrementAndGet();
    Path dir = root.resolve("row-" + n);
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    Run run = new Run(dir);
    AbstractEcsMojo mojo = switch (goal) {
      case "validate-tag" -> {
        ValidateTagMojo m = new ValidateTagMojo(run.environment());
        m.tag = TAG;
        m.checkRegistry = true;
        m.requireProjectVersion = true;
        m.allowRollback = true;
        m.repository = "hello-app";
        m.cluster = "prod";
        m.service = "hello-svc";
        yield m;
      }
      case "push-image" -> {
        PushImageMojo m = new PushImageMojo(run.environment());
        m.tag = "v2.0." + n;
        m.repository = "hello-app";
        m.baseImage = "scratch";
        m.mainClass = "demo.Hello";
        yield m;
      }
      case "register-task-def" -> {
        RegisterTaskDefMojo m = new RegisterTaskDefMojo(run.environment());
        m.cluster = "prod";
        m.service = "hello-svc";
        m.repository = "hello-app";
        m.registry = host;
        m.image = pushedImage;
        yield m;
      }
      case "update-service" -> {
        UpdateServiceMojo m = new UpdateServiceMojo(run.environment());
        m.cluster = "prod";
        m.service = "deploy-svc";
        m.taskDefinitionArn = register("hello-app", liveImage);
        m.wait = true;
        m.pollInterval = "5s";
        m.timeout = "10m";
        yield m;
      }
      default -> throw new IllegalArgumentException(goal);
    };
    run.mojo = mojo;
    mojo.setLog(run.log);
    MavenProject project = new MavenProject();
    project.setFile(dir.resolve("pom.xml").toFile());
    project.setArtifactId("hello-app");
    project.setVersion(VERSION);
    project.setPackaging("jar");
    project.getModel().setBuild(new Build());
    project.getBuild().setDirectory(dir.resolve("target").toString());
    project.getBuild().setOutputDirectory(classes.toString());
    mojo.project = project;
    mojo.region = STAND_IN.get().region();
    mojo.endpoint = STAND_IN.get().endpoint().toString();
    mojo.retryMode = "standard";
    mojo.webIdentityTokenVariable = "GITLAB_OIDC_TOKEN";
    mojo.roleSessionDuration = "3600";
    return run;
  }

  // ---- fixtures ----------------------------------------------------------------------------------------------

  /** Sets a JVM system property (the AWS SDK reads these) for one row, restoring it after. */
  private static void systemProperty(Run r, String key, String value) {
    String before = System.getProperty(key);
    System.setProperty(key, value);
    r.cleanups.add(() -> {
      if (before == null) {
        System.clearProperty(key);
      } else {
        System.setProperty(key, before);
      }
    });
  }

  private static String goodTaskDefinition() {
    return "{\"family\":\"hello-app\",\"containerDefinitions\":[{\"name\":\"app\",\"image\":\"" + liveImage
        + "\",\"memory\":512,\"essential\":true}]}";
  }

  private static void tdFile(Run r, String content) {
    r.rt().service = null;
    r.rt().taskDefinitionFile = r.file("task-definition-input.json", content).toFile();
  }

  private static String register(String family, String image) {
    return ecs().handle("RegisterTaskDefinition", """
        {"family":"%s","containerDefinitions":[{"name":"app","image":"%s","memory":512}]}"""
        .formatted(family, image)).at("/taskDefinition/taskDefinitionArn").asText();
  }

  private static void createService(String name, String taskDefinition, String controller) {
    ecs().handle("CreateService", """
        {"cluster":"prod","serviceName":"%s","taskDefinition":"%s","desiredCount":1,
         "deploymentController":{"type":"%s"},
         "deploymentConfiguration":{"deploymentCircuitBreaker":{"enable":true,"rollback":true}}}"""
        .formatted(name, taskDefinition, controller));
  }

  private static String digest(char c) {
    return "sha256:" + String.valueOf(c).repeat(64);
  }

  private static Row bad(String goal, String name, Consumer<Run> setup, String names, String fix) {
    assertFalse(names.isEmpty() || fix.isEmpty(), "a bad input names what is wrong and the fix: " + name);
    return row(goal, name, setup, Expect.FAILURE, names, fix);
  }

  private static Row row(String goal, String name, Consumer<Run> setup, Expect expect, String names, String fix) {
    return new Row(goal, name, setup, expect, names, fix, null);
  }

  private static void compile(Path out) throws IOException {
    Path source = out.getParent().resolve("src/demo/Hello.java");
    Files.createDirectories(source.getParent());
    Files.writeString(source, "package demo;\npublic class Hello {\n  public static void main(String[] a) {\n"
        + "    System.out.println(\"hello\");\n  }\n}\n");
    Files.createDirectories(out);
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    assertEquals(0, compiler.run(null, null, null, "-d", out.toString(), source.toString()));
  }
}
