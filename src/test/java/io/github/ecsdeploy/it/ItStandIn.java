package io.github.ecsdeploy.it;

import io.github.ecsdeploy.testing.TestCredentials;
import io.github.ecsdeploy.standin.AwsStandIn;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.ImageTagMutability;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.DeploymentRolloutState;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceEvent;
import software.amazon.awssdk.services.ecs.model.SortOrder;

/**
 * The stand-in as the {@code src/it} hook scripts see it: the stand-in runs in another process (started by
 * the plugin's own build for the ITs), so {@code setup.groovy} seeds it and {@code verify.groovy} reads its
 * final state through the real SDK clients, and sets failures through the stand-in's HTTP test controls.
 *
 * <pre>
 * def aws = io.github.ecsdeploy.it.ItStandIn.connect(standInEndpointFile)
 * aws.seedService('its-x', 'its-x-svc', 'app', ItStandIn.image('its-x', 'v1.0.0'))
 * </pre>
 *
 * Names are per IT (cluster, service, family, repository), so the ITs share one stand-in without sharing
 * state.
 */
public final class ItStandIn implements AutoCloseable {

  /** The registry host the IT images name (the stand-in's ECS does not pull them). */
  public static final String REGISTRY = AwsStandIn.ACCOUNT_ID + ".dkr.ecr.us-east-1.amazonaws.com";

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration STEADY_TIMEOUT = Duration.ofSeconds(60);

  private final URI endpoint;
  private final EcsClient ecs;
  private final EcrClient ecr;
  private final HttpClient http = HttpClient.newHttpClient();

  private ItStandIn(URI endpoint) {
    this.endpoint = endpoint;
    this.ecs = onStandIn(EcsClient.builder(), endpoint);
    this.ecr = onStandIn(EcrClient.builder(), endpoint);
  }

  /** A real SDK client of any service, talking to the stand-in at {@code endpoint} with the test keys. */
  private static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C onStandIn(B builder,
      URI endpoint) {
    return builder
        .endpointOverride(endpoint)
        .region(Region.US_EAST_1)
        .credentialsProvider(TestCredentials.provider())
        .httpClient(ApacheHttpClient.create())
        .build();
  }

  /**
   * Waits (up to a minute) for the endpoint file the stand-in writes once it listens, and connects to the
   * endpoint in it.
   *
   * @param endpointFile the {@code standInEndpointFile} script variable (a path)
   */
  public static ItStandIn connect(Object endpointFile) throws IOException, InterruptedException {
    Path file = Path.of(String.valueOf(endpointFile));
    Instant deadline = Instant.now().plus(CONNECT_TIMEOUT);
    while (!Files.exists(file)) {
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException("The AWS stand-in did not write " + file + " within " + CONNECT_TIMEOUT
            + "; see the start-stand-in execution in the plugin's build log.");
      }
      Thread.sleep(100);
    }
    return connect(URI.create(Files.readString(file, StandardCharsets.UTF_8).strip()));
  }

  /** Connects to a stand-in that listens at {@code endpoint}. */
  public static ItStandIn connect(URI endpoint) {
    return new ItStandIn(endpoint);
  }

  /**
   * An image reference pinned to a digest that is derived from repository and tag, so an
   * {@code invoker.properties} line and a script name the same image:
   * {@code <REGISTRY>/<repository>:<tag>@sha256:<64 hex>}.
   */
  public static String image(String repository, String tag) {
    return REGISTRY + "/" + repository + ":" + tag + "@" + digest(repository + ":" + tag);
  }

  /** {@code sha256:} + the SHA-256 of {@code seed} in hex: a well-formed, stable, fake digest. */
  public static String digest(String seed) {
    try {
      byte[] hash = java.security.MessageDigest.getInstance("SHA-256")
          .digest(seed.getBytes(StandardCharsets.UTF_8));
      StringBuilder hex = new StringBuilder("sha256:");
      for (byte b : hash) {
        hex.append(String.format("%02x", b));
      }
      return hex.toString();
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public URI endpoint() {
    return endpoint;
  }

  /** The real ECS client on the stand-in, for anything this class does not wrap. */
  public EcsClient ecs() {
    return ecs;
  }

  /** The real ECR client on the stand-in. */
  public EcrClient ecr() {
    return ecr;
  }

  // ---- set-up ----

  public void createCluster(String cluster) {
    ecs.createCluster(b -> b.clusterName(cluster));
  }

  /** Creates an IMMUTABLE ECR repository, as the README recommends. */
  public void createRepository(String repository) {
    ecr.createRepository(b -> b.repositoryName(repository).imageTagMutability(ImageTagMutability.IMMUTABLE));
  }

  /** Registers a revision of {@code family} with one container; returns its ARN. */
  public String registerTaskDefinition(String family, String container, String image) {
    return register(family, container(container, image).build());
  }

  /** An essential container of 512 MiB running {@code image}. */
  private static ContainerDefinition.Builder container(String name, String image) {
    return ContainerDefinition.builder().name(name).image(image).memory(512).essential(true);
  }

  private String register(String family, ContainerDefinition container) {
    return ecs.registerTaskDefinition(b -> b.family(family).containerDefinitions(container))
        .taskDefinition()
        .taskDefinitionArn();
  }

  /** Creates a service of two tasks with the deployment circuit breaker and rollback on. */
  public void createService(String cluster, String service, String taskDefinitionArn) {
    createService(cluster, service, taskDefinitionArn, true);
  }

  /**
   * Creates a service of two tasks, with the deployment circuit breaker (and rollback) on or off; without it ECS
   * never marks a crashing rollout FAILED and keeps replacing its tasks.
   */
  public void createService(String cluster, String service, String taskDefinitionArn, boolean circuitBreaker) {
    ecs.createService(b -> b
        .cluster(cluster)
        .serviceName(service)
        .taskDefinition(taskDefinitionArn)
        .desiredCount(2)
        .deploymentConfiguration(c -> c
            .deploymentCircuitBreaker(cb -> cb.enable(circuitBreaker).rollback(circuitBreaker))
            .minimumHealthyPercent(100)
            .maximumPercent(200)));
  }

  /**
   * One call for a typical IT: cluster {@code name}, ECR repository {@code name}, task definition family
   * {@code name} with one container running {@code image}, service {@code service} on it, steady.
   *
   * @return the ARN of revision 1
   */
  public String seedService(String name, String service, String container, String image)
      throws InterruptedException {
    return seedService(name, service, container, image, true);
  }

  /**
   * {@link #seedService(String, String, String, String)} with the deployment circuit breaker (and rollback) on or
   * off.
   *
   * @return the ARN of revision 1
   */
  public String seedService(String name, String service, String container, String image, boolean circuitBreaker)
      throws InterruptedException {
    createCluster(name);
    createRepository(name);
    String arn = registerTaskDefinition(name, container, image);
    createService(name, service, arn, circuitBreaker);
    waitSteady(name, service);
    return arn;
  }

  /**
   * Several services in one cluster {@code cluster} (no ECR repository), each running revision 1 of its own
   * family (named as the service) with one container {@code app} running {@code image}, all steady.
   *
   * @return the ARN of revision 1 of each service's family, in the order given
   */
  public List<String> seedServices(String cluster, String image, List<String> services) throws InterruptedException {
    createCluster(cluster);
    List<String> arns = new ArrayList<>();
    for (String service : services) {
      String arn = registerTaskDefinition(service, "app", image);
      createService(cluster, service, arn);
      arns.add(arn);
    }
    for (String service : services) {
      waitSteady(cluster, service);
    }
    return arns;
  }

  /**
   * The set-up of a run-task IT: cluster {@code name} (no ECR repository), service {@code <name>-svc} running
   * revision 1 of family {@code name} (container {@code app}, image {@code v1.0.0}, logging to CloudWatch Logs
   * group {@code /ecs/<name>}), steady; and how the tasks that RunTask starts from the family end (see
   * {@link #runTaskOutcome}).
   *
   * @return the ARN of revision 1
   */
  public String seedRunTaskCluster(String name, int exitCode, long runForMillis, boolean neverStops,
      List<String> lines) throws IOException, InterruptedException {
    createCluster(name);
    String arn = registerLoggingTaskDefinition(name, "app", image(name, "v1.0.0"));
    createService(name, name + "-svc", arn);
    waitSteady(name, name + "-svc");
    runTaskOutcome(name, exitCode, runForMillis, neverStops, lines);
    return arn;
  }

  /**
   * Deploys {@code taskDefinitionArn} to the service (UpdateService) and waits until that rollout is steady: a
   * release seeded as if an earlier build had deployed it.
   *
   * @return the steady service
   */
  public Service deploy(String cluster, String service, String taskDefinitionArn) throws InterruptedException {
    ecs.updateService(b -> b.cluster(cluster).service(service).taskDefinition(taskDefinitionArn));
    Service steady = waitSteady(cluster, service);
    if (!taskDefinitionArn.equals(steady.taskDefinition())) {
      throw new IllegalStateException("Service " + service + " settled on " + steady.taskDefinition() + ", not "
          + taskDefinitionArn);
    }
    return steady;
  }

  /**
   * Makes every task whose container runs exactly {@code image} crash after it started (through the stand-in's
   * HTTP test control, since the stand-in runs in another process).
   */
  public void failImage(String image) throws IOException, InterruptedException {
    control("ecs/fail-image", "{\"image\":\"" + image.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}");
  }

  /**
   * {@link #failImage(String)} for the image an IT deploys: first checks that its {@code invoker.properties} (in
   * {@code basedir}) names {@code image}, so that set-up and build cannot drift apart.
   *
   * @throws IllegalStateException when {@code invoker.properties} does not name the image
   */
  public void failImage(File basedir, String image) throws IOException, InterruptedException {
    File properties = new File(basedir, "invoker.properties");
    if (!textOf(properties).contains(image)) {
      throw new IllegalStateException(properties + " does not name " + image + ": the IT would not deploy the image"
          + " this set-up makes crash");
    }
    failImage(image);
  }

  /**
   * Records {@code digest} under {@code tag} in the ECR repository as if another build had pushed it (through
   * the stand-in's HTTP test control {@code ecr/put-image}).
   */
  public void putImage(String repository, String tag, String digest) throws IOException, InterruptedException {
    control("ecr/put-image", "{\"repository\":\"" + repository + "\",\"tag\":\"" + tag + "\",\"digest\":\""
        + digest + "\"}");
  }

  /**
   * Registers a revision of {@code family} with one container that logs with the awslogs driver to group
   * {@code /ecs/<family>} (created on first use), stream prefix {@code ecs}; returns its ARN.
   */
  public String registerLoggingTaskDefinition(String family, String container, String image) {
    return register(family, container(container, image)
        .logConfiguration(l -> l.logDriver("awslogs").options(java.util.Map.of(
            "awslogs-group", "/ecs/" + family, "awslogs-stream-prefix", "ecs",
            "awslogs-region", "us-east-1", "awslogs-create-group", "true")))
        .build());
  }

  /**
   * How tasks that RunTask starts from {@code family} end (the stand-in's HTTP test control
   * {@code ecs/run-task-outcome}): each container prints {@code lines} over {@code runForMillis}, then exits with
   * {@code exitCode}, or never stops.
   */
  public void runTaskOutcome(String family, int exitCode, long runForMillis, boolean neverStops, List<String> lines)
      throws IOException, InterruptedException {
    StringBuilder json = new StringBuilder("[");
    for (String line : lines) {
      json.append(json.length() > 1 ? "," : "").append('"').append(line.replace("\\", "\\\\")
          .replace("\"", "\\\"")).append('"');
    }
    control("ecs/run-task-outcome", "{\"family\":\"" + family + "\",\"exitCode\":" + exitCode
        + ",\"runForMillis\":" + runForMillis + ",\"neverStops\":" + neverStops + ",\"logLines\":" + json + "]}");
  }

  /**
   * Makes every task of this revision crash after it started, also before it is registered (the stand-in's HTTP
   * test control {@code ecs/fail-task-definition}): one service of several that run the same image can fail.
   */
  public void failTaskDefinition(String taskDefinitionArn) throws IOException, InterruptedException {
    control("ecs/fail-task-definition", "{\"taskDefinitionArn\":\"" + taskDefinitionArn + "\"}");
  }

  /** Forgets every failure set with {@link #failImage}. */
  public void clearFailures() throws IOException, InterruptedException {
    control("ecs/clear-failures", "{}");
  }

  private void control(String name, String json) throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(
        HttpRequest.newBuilder(endpoint.resolve(AwsStandIn.CONTROL_PATH + name))
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .header("Content-Type", "application/json")
            .build(),
        HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 204) {
      throw new IllegalStateException("Test control " + name + " answered " + response.statusCode() + ": "
          + response.body());
    }
  }

  /**
   * Waits (up to a minute) until the service has one deployment, COMPLETED, with every task running.
   *
   * @return the steady service
   */
  public Service waitSteady(String cluster, String service) throws InterruptedException {
    Instant deadline = Instant.now().plus(STEADY_TIMEOUT);
    while (true) {
      Service s = service(cluster, service);
      if (s.deployments().size() == 1
          && s.deployments().get(0).rolloutState() == DeploymentRolloutState.COMPLETED
          && s.runningCount().equals(s.desiredCount())) {
        return s;
      }
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException("Service " + service + " is not steady after " + STEADY_TIMEOUT + ": "
            + s.deployments());
      }
      Thread.sleep(50);
    }
  }

  // ---- final state, for verify.groovy ----

  /** The registry host the stand-in's GetAuthorizationToken names, {@code 127.0.0.1:<port>}: where push-image pushes. */
  public String registry() {
    return endpoint.getHost() + ":" + endpoint.getPort();
  }

  /** The digest ECR DescribeImages shows for {@code repository:tag}. */
  public String pushedDigest(String repository, String tag) {
    return ecr.describeImages(b -> b.repositoryName(repository).imageIds(i -> i.imageTag(tag)))
        .imageDetails().get(0).imageDigest();
  }

  /** Every image of the repository as DescribeImages lists it: digest to tags. */
  public java.util.Map<String, List<String>> images(String repository) {
    java.util.Map<String, List<String>> images = new java.util.LinkedHashMap<>();
    ecr.describeImages(b -> b.repositoryName(repository)).imageDetails()
        .forEach(d -> images.put(d.imageDigest(), d.imageTags()));
    return images;
  }

  /**
   * The registry password as GetAuthorizationToken hands it out (decoded from {@code AWS:<password>}), and the
   * token itself: what must never appear in a build log.
   */
  public List<String> registrySecrets() {
    String token = ecr.getAuthorizationToken().authorizationData().get(0).authorizationToken();
    String decoded = new String(java.util.Base64.getDecoder().decode(token), StandardCharsets.UTF_8);
    return List.of(decoded.substring(decoded.indexOf(':') + 1), token);
  }

  /**
   * The secret access keys and session tokens the stand-in's STS issued so far (its test control
   * {@code sts/issued-secrets}): what must never appear in a build log, {@code target/} or a state file.
   */
  public List<String> stsSecrets() throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(
        HttpRequest.newBuilder(endpoint.resolve(AwsStandIn.CONTROL_PATH + "sts/issued-secrets"))
            .POST(HttpRequest.BodyPublishers.ofString("{}"))
            .header("Content-Type", "application/json")
            .build(),
        HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("Test control sts/issued-secrets answered " + response.statusCode() + ": "
          + response.body());
    }
    List<String> secrets = new java.util.ArrayList<>();
    new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body()).path("secrets")
        .forEach(s -> secrets.add(s.asText()));
    return secrets;
  }

  /** The service as DescribeServices returns it now. */
  public Service service(String cluster, String service) {
    List<Service> found = ecs.describeServices(b -> b.cluster(cluster).services(service)).services();
    if (found.isEmpty()) {
      throw new IllegalStateException("No service " + service + " in cluster " + cluster);
    }
    return found.get(0);
  }

  /** The task definition ARN of the service (that of its PRIMARY deployment). */
  public String taskDefinitionOf(String cluster, String service) {
    return service(cluster, service).taskDefinition();
  }

  /** The image of {@code container} in a task definition revision. */
  public String imageOf(String taskDefinitionArn, String container) {
    return ecs.describeTaskDefinition(b -> b.taskDefinition(taskDefinitionArn))
        .taskDefinition()
        .containerDefinitions()
        .stream()
        .filter(c -> c.name().equals(container))
        .map(ContainerDefinition::image)
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("No container " + container + " in " + taskDefinitionArn));
  }

  /** The image of {@code container} in the revision the service runs. */
  public String runningImage(String cluster, String service, String container) {
    return imageOf(taskDefinitionOf(cluster, service), container);
  }

  /** The service's deployments, PRIMARY first. */
  public List<Deployment> deployments(String cluster, String service) {
    return service(cluster, service).deployments();
  }

  /** The messages of the service's events, oldest first. */
  public List<String> events(String cluster, String service) {
    List<String> messages = new ArrayList<>();
    service(cluster, service).events().stream().map(ServiceEvent::message).forEach(messages::add);
    java.util.Collections.reverse(messages);
    return messages;
  }

  /**
   * Asserts that the service runs revision {@code revision} of {@code family} (its PRIMARY deployment's task
   * definition).
   *
   * @throws AssertionError naming what it runs instead
   */
  public void assertRuns(String cluster, String service, String family, int revision) {
    String expected = taskDefinitionArn(family, revision);
    String actual = taskDefinitionOf(cluster, service);
    if (!expected.equals(actual)) {
      throw new AssertionError("Service " + service + " runs " + actual + ", not " + expected);
    }
  }

  /**
   * Asserts that nothing changed the service a set-up seeded with {@link #seedService}: it runs revision 1 of
   * family {@code name}, the family has no other revision, and the service has a single deployment.
   *
   * @throws AssertionError naming what changed
   */
  public void assertUntouched(String name, String service) {
    assertRuns(name, service, name, 1);
    List<String> revisions = revisions(name);
    if (!revisions.equals(List.of(taskDefinitionArn(name, 1)))) {
      throw new AssertionError("Family " + name + " has revisions " + revisions + ", not only revision 1");
    }
    List<Deployment> deployments = deployments(name, service);
    if (deployments.size() != 1) {
      throw new AssertionError("Service " + service + " has " + deployments.size() + " deployments, not 1: "
          + deployments);
    }
  }

  /** Every revision ARN of the family, oldest first. */
  public List<String> revisions(String family) {
    return ecs.listTaskDefinitions(b -> b.familyPrefix(family).sort(SortOrder.ASC)).taskDefinitionArns();
  }

  /** The ARN of revision {@code revision} of {@code family} in the stand-in's account and region. */
  public static String taskDefinitionArn(String family, int revision) {
    return "arn:aws:ecs:us-east-1:" + AwsStandIn.ACCOUNT_ID + ":task-definition/" + family + ":" + revision;
  }

  /** The file as text, or a note that it is missing: for assertion messages. */
  public static String textOf(File file) throws IOException {
    return file.isFile() ? Files.readString(file.toPath(), StandardCharsets.UTF_8) : "(no " + file + ")";
  }

  @Override
  public void close() {
    ecs.close();
    ecr.close();
  }
}
