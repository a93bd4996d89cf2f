package io.github.ecsdeploy.standin.sts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ecsdeploy.standin.AwsCli;
import io.github.ecsdeploy.standin.StandInExtension;
import java.nio.file.Path;
import java.util.Map;
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

  private AwsCli.Result aws(Map<String, String> extraEnv, String... args) throws Exception {
    return AwsCli.run(STAND_IN.get(), home, extraEnv, args);
  }

  @Test
  void theCliAssumesTheRoleAndCallsAsIt() throws Exception {
    AwsCli.Result assumed = aws(Map.of(), "sts", "assume-role-with-web-identity",
        "--role-arn", "arn:aws:iam::123456789012:role/deploy",
        "--role-session-name", "gitlab-group-project-77",
        "--web-identity-token", IdTokens.gitlab("group/project", "v1.0.0"));
    assertEquals(0, assumed.exit(), assumed.err());
    JsonNode c = JSON.readTree(assumed.out()).path("Credentials");
    assertTrue(c.path("AccessKeyId").asText().startsWith("ASIA"), assumed.out());

    AwsCli.Result who = aws(Map.of(
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
    AwsCli.Result r = aws(Map.of(), "sts", "assume-role-with-web-identity",
        "--role-arn", "arn:aws:iam::123456789012:role/deploy",
        "--role-session-name", "s1", "--web-identity-token", "not-a-jwt");
    assertEquals(254, r.exit(), r.err());
    assertTrue(r.err().contains("(InvalidIdentityToken) when calling the AssumeRoleWithWebIdentity operation: "
        + "The ID Token provided is not a valid JWT."), r.err());
  }
}
