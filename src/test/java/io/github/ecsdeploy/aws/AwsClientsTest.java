package io.github.ecsdeploy.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.github.ecsdeploy.testing.RecordingDeployLog;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.services.ecs.model.EcsException;

/** The real SDK clients against a tiny loopback HTTP server: settings reach the wire, close closes. */
class AwsClientsTest {

  private HttpServer server;
  private final List<String> requests = new ArrayList<>();
  private final RecordingDeployLog log = new RecordingDeployLog();

  private int httpClientsBuilt;
  private int httpClientsClosed;
  private int providersClosed;

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
          String auth = exchange.getRequestHeaders().getFirst("Authorization");
          synchronized (requests) {
            requests.add((target == null ? body : target) + " | " + auth);
          }
          String answer;
          int status = 200;
          String type = "application/x-amz-json-1.1";
          if ("AmazonEC2ContainerServiceV20141113.ListClusters".equals(target)) {
            answer = "{\"clusterArns\":[\"arn:aws:ecs:eu-west-1:123456789012:cluster/demo\"]}";
          } else if ("AmazonEC2ContainerServiceV20141113.DescribeServices".equals(target)) {
            status = 400;
            answer = "{\"__type\":\"ClusterNotFoundException\",\"message\":\"Cluster not found.\"}";
            exchange.getResponseHeaders().add("x-amzn-ErrorType", "ClusterNotFoundException");
          } else if ("AmazonEC2ContainerRegistry_V20150921.DescribeRepositories".equals(target)) {
            answer = "{\"repositories\":[]}";
          } else if (body.contains("Action=GetCallerIdentity")) {
            type = "text/xml";
            answer =
                "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
                    + "<GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/ci</Arn>"
                    + "<UserId>AIDTEST</UserId><Account>123456789012</Account></GetCallerIdentityResult>"
                    + "<ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata>"
                    + "</GetCallerIdentityResponse>";
          } else {
            status = 400;
            answer = "{\"__type\":\"UnknownOperationException\",\"message\":\"unknown\"}";
          }
          byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", type);
          exchange.sendResponseHeaders(status, bytes.length);
          exchange.getResponseBody().write(bytes);
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  private AwsSettings settings() {
    return AwsSettings.resolve(
        "eu-west-1", null, "http://127.0.0.1:" + server.getAddress().getPort(), name -> null);
  }

  /** Static test keys from a closeable provider, so closing it can be observed. */
  private final CredentialsSource testCredentials =
      new CredentialsSource() {
        @Override
        public AwsCredentialsProvider create(AwsSettings settings, SdkHttpClient httpClient) {
          return new ClosingProvider();
        }

        @Override
        public String describe() {
          return "test keys";
        }
      };

  private final class ClosingProvider implements AwsCredentialsProvider, AutoCloseable {
    @Override
    public AwsCredentials resolveCredentials() {
      return AwsBasicCredentials.create("AKIDTEST", "SECRETTEST");
    }

    @Override
    public void close() {
      providersClosed++;
    }
  }

  private SdkHttpClient countingHttpClient() {
    httpClientsBuilt++;
    SdkHttpClient real = ApacheHttpClient.builder().build();
    return new SdkHttpClient() {
      @Override
      public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        return real.prepareRequest(request);
      }

      @Override
      public void close() {
        httpClientsClosed++;
        real.close();
      }
    };
  }

  private AwsClients clients() {
    return new AwsClients(settings(), testCredentials, log, this::countingHttpClient);
  }

  @Test
  void buildsEachClientOnceAgainstTheEndpointAndClosesWhatItBuilt() {
    AwsClients aws = clients();
    assertEquals(0, httpClientsBuilt, "nothing is built before first use");

    assertEquals(1, aws.ecs().listClusters().clusterArns().size());
    assertEquals(0, aws.ecr().describeRepositories().repositories().size());
    assertEquals("123456789012", aws.sts().getCallerIdentity().account());
    assertSame(aws.ecs(), aws.ecs());
    assertSame(aws.ecr(), aws.ecr());
    assertSame(aws.sts(), aws.sts());
    assertEquals(1, httpClientsBuilt, "one shared HTTP client");

    assertEquals(3, requests.size(), requests.toString());
    assertTrue(requests.get(0).startsWith("AmazonEC2ContainerServiceV20141113.ListClusters"));
    assertTrue(requests.get(0).contains("Credential=AKIDTEST/"), requests.get(0));
    assertTrue(requests.get(0).contains("/eu-west-1/ecs/aws4_request"), requests.get(0));
    assertTrue(requests.get(1).contains("/eu-west-1/ecr/aws4_request"), requests.get(1));
    assertTrue(requests.get(2).contains("/eu-west-1/sts/aws4_request"), requests.get(2));

    aws.close();
    assertEquals(1, httpClientsClosed);
    // The SDK clients close a shared provider too; closing it again must be harmless.
    assertTrue(providersClosed >= 1, "credentials provider closed");
    assertThrows(IllegalStateException.class, aws::ecs);
    aws.close(); // idempotent
    assertEquals(1, httpClientsClosed);
  }

  @Test
  void logsRegionEndpointAndCredentialSourceButNoKey() {
    try (AwsClients aws = clients()) {
      aws.ecs().listClusters();
      aws.ecr().describeRepositories();
    }
    List<String> info = log.infos();
    assertEquals(1, info.size(), log.joined());
    String line = info.get(0);
    assertTrue(line.contains("eu-west-1 (from <region> / -Decs.region)"), line);
    assertTrue(line.contains("endpoint http://127.0.0.1:" + server.getAddress().getPort()), line);
    assertTrue(line.contains("credentials from test keys"), line);
    assertTrue(log.lines.stream().noneMatch(l -> l.contains("SECRETTEST") || l.contains("AKIDTEST")));
  }

  @Test
  void namesTheSdkProviderThatSuppliedTheCredentialsOnceAndNeverAValue() {
    CredentialsSource named =
        new CredentialsSource() {
          @Override
          public AwsCredentialsProvider create(AwsSettings settings, SdkHttpClient httpClient) {
            // What the SDK's EnvironmentVariableCredentialsProvider hands out: its feature id "g".
            return () ->
                AwsBasicCredentials.builder()
                    .accessKeyId("AKIDTEST")
                    .secretAccessKey("SECRETTEST")
                    .providerName("g")
                    .build();
          }

          @Override
          public String describe() {
            return "the default AWS credential chain";
          }
        };
    try (AwsClients aws = new AwsClients(settings(), named, log, this::countingHttpClient)) {
      aws.ecs().listClusters();
      aws.ecr().describeRepositories();
      aws.ecs().listClusters();
    }
    List<String> info = log.infos();
    assertEquals(2, info.size(), log.joined());
    assertEquals(
        "AWS credentials supplied by environment variables AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY"
            + " [SDK: CREDENTIALS_ENV_VARS], found through the default AWS credential chain",
        info.get(1));
    assertTrue(log.lines.stream().noneMatch(l -> l.contains("SECRETTEST") || l.contains("AKIDTEST")));
  }

  @Test
  void providerNamesAreSpelledOutAndChainsKeepTheirOrder() {
    assertEquals(
        "a profile in ~/.aws/credentials or ~/.aws/config via STS AssumeRole [SDK: CREDENTIALS_PROFILE,"
            + "CREDENTIALS_STS_ASSUME_ROLE]",
        NamedCredentials.describe(Optional.of("n,i")));
    assertEquals(
        "the container credentials endpoint (ECS task role) [SDK: CREDENTIALS_HTTP]",
        NamedCredentials.describe(Optional.of("z")));
    assertEquals("provider Custom [SDK: Custom]", NamedCredentials.describe(Optional.of("Custom")));
  }

  @Test
  void closingUnusedClientsBuildsNothing() {
    clients().close();
    assertEquals(0, httpClientsBuilt);
    assertEquals(0, providersClosed);
    assertTrue(requests.isEmpty());
  }

  @Test
  void remembersWhichOperationFailed() {
    try (AwsClients aws = clients()) {
      EcsException e =
          assertThrows(EcsException.class, () -> aws.ecs().describeServices(b -> b.cluster("nope")));
      assertEquals("ClusterNotFoundException", e.awsErrorDetails().errorCode());
      assertEquals(Optional.of("ECS:DescribeServices"), aws.failedOperation(e));
      assertFalse(aws.failedOperation(new RuntimeException()).isPresent());
    }
  }

  @Test
  void credentialsSourceFollowsTheSettings() {
    CredentialsSource explicit =
        CredentialsSource.forSettings(AwsSettings.resolve("eu-west-1", "deploy", null, name -> null));
    assertEquals("profile 'deploy' (<profile> / -Decs.profile)", explicit.describe());
    CredentialsSource fromEnv =
        CredentialsSource.forSettings(
            AwsSettings.resolve("eu-west-1", null, null, name -> name.equals("AWS_PROFILE") ? "ci" : null));
    assertEquals("the default AWS credential chain (with AWS_PROFILE=ci)", fromEnv.describe());
    CredentialsSource none =
        CredentialsSource.forSettings(AwsSettings.resolve("eu-west-1", null, null, name -> null));
    assertEquals("the default AWS credential chain", none.describe());
  }
}
