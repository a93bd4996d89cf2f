package io.github.ecsdeploy.standin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real AWS CLI against the stand-in's STS: the hand-written GitLab boilerplate
 * ({@code aws sts assume-role-with-web-identity}, then calls with the issued keys) works against it, so the
 * Query-protocol answers parse in botocore as well as in the Java SDK. Needs the AWS CLI ({@link AwsCli}).
 */
class StsAwsCliTest {

  @RegisterExtension static final StandInExtension STAND_IN = new StandInExtension();

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path home;

  private record Result(int exit, String out, String err) {}

  private Result aws(Map<String, String> extraEnv, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(AwsCli.executable(), "--endpoint-url",
        STAND_IN.get().endpoint().toString(), "--output", "json"));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    AwsCli.configure(pb.environment(), STAND_IN.get(), home);
    pb.environment().putAll(extraEnv);
    Path out = Files.createTempFile(home, "out", ".json");
    Path err = Files.createTempFile(home, "err", ".txt");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("aws " + String.join(" ", args) + " did not finish");
    }
    return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  @Test
  void theCliAssumesTheRoleAndCallsAsIt() throws Exception {
    Result assumed = aws(Map.of(), "sts", "assume-role-with-web-identity",
        "--role-arn", "arn:aws:iam::123456789012:role/deploy",
        "--role-session-name", "gitlab-group-project-77",
        "--web-identity-token", IdTokens.gitlab("group/project", "v1.0.0"));
    assertEquals(0, assumed.exit(), assumed.err());
    JsonNode c = JSON.readTree(assumed.out()).path("Credentials");
    assertTrue(c.path("AccessKeyId").asText().startsWith("ASIA"), assumed.out());

    Result who = aws(Map.of(
            "AWS_ACCESS_KEY_ID", c.path("AccessKeyId").asText(),
            "AWS_SECRET_ACCESS_KEY", c.path("SecretAccessKey").asText(),
            "AWS_SESSION_TOKEN", c.path("SessionToken").asText()),
        "sts", "get-caller-identity");
    assertEquals(0, who.exit(), who.err());
    assertEquals("arn:aws:sts::123456789012:assumed-role/deploy/gitlab-group-project-77",
        JSON.readTree(who.out()).path("Arn").asText());
  }

  @Test
  void theCliShowsTheStsErrorForABadToken() throws Exception {
    Result r = aws(Map.of(), "sts", "assume-role-with-web-identity",
        "--role-arn", "arn:aws:iam::123456789012:role/deploy",
        "--role-session-name", "s1", "--web-identity-token", "not-a-jwt");
    assertEquals(254, r.exit(), r.err());
    assertTrue(r.err().contains("(InvalidIdentityToken) when calling the AssumeRoleWithWebIdentity operation: "
        + "The ID Token provided is not a valid JWT."), r.err());
  }
}
