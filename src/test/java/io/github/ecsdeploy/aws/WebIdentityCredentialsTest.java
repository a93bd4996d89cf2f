package io.github.ecsdeploy.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ecsdeploy.core.ExternalFailureException;
import io.github.ecsdeploy.core.UserInputException;
import io.github.ecsdeploy.standin.StandInExtension;
import io.github.ecsdeploy.standin.sts.IdTokens;
import io.github.ecsdeploy.standin.sts.StsService;
import io.github.ecsdeploy.testing.RecordingDeployLog;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.services.sts.model.StsException;

/**
 * GitLab OIDC credentials against the stand-in's STS, through {@link AwsClients}: the token from the
 * variable becomes role credentials that later calls use; refusals are user errors without the token;
 * credentials are renewed before they expire; the token and keys never reach the log or a message.
 */
class WebIdentityCredentialsTest {

  @RegisterExtension static final StandInExtension STAND_IN = new StandInExtension();

  private static final String ROLE = "arn:aws:iam::123456789012:role/deploy";
  private static final String TOKEN = IdTokens.gitlab("group/project", "v1.4.0");

  private final RecordingDeployLog log = new RecordingDeployLog();

  private final Map<String, String> env = new HashMap<>(Map.of(
      "GITLAB_OIDC_TOKEN", TOKEN,
      "CI_PROJECT_PATH_SLUG", "group-project",
      "CI_PIPELINE_ID", "1234"));

  private AwsClients clients(String duration) {
    AwsSettings settings = AwsSettings.resolve(
        STAND_IN.get().region(), null, STAND_IN.get().endpoint().toString(), name -> null);
    WebIdentityRole role =
        WebIdentityRole.resolve(ROLE, null, duration, env::get, Clock.systemUTC()).orElseThrow();
    return new AwsClients(settings, CredentialsSource.forSettings(settings, java.util.Optional.of(role), env::get),
        log);
  }

  private void assertNoSecretIn(String text, String... secrets) {
    assertFalse(text.contains(TOKEN), "the token leaked: " + text);
    for (String secret : secrets) {
      assertFalse(text.contains(secret), "a secret leaked: " + text);
    }
  }

  private static List<String> messages(Throwable e) {
    List<String> all = new ArrayList<>();
    for (Throwable t = e; t != null; t = t.getCause()) {
      all.add(String.valueOf(t.getMessage()));
      all.add(t.toString());
    }
    return all;
  }

  @Test
  void theTokenFromTheVariableBecomesRoleCredentialsForLaterCalls() {
    try (AwsClients aws = clients("1800")) {
      String arn = aws.sts().getCallerIdentity().arn();
      assertEquals("arn:aws:sts::123456789012:assumed-role/deploy/gitlab-group-project-1234", arn);
      aws.ecs().describeClusters(b -> b.clusters("none")); // ECS signs with the same role credentials

      List<StsService.AssumeRoleCall> calls = STAND_IN.get().sts().assumeRoleCalls();
      assertEquals(1, calls.size(), "cached for both calls: " + calls);
      assertEquals(ROLE, calls.get(0).roleArn());
      assertEquals("gitlab-group-project-1234", calls.get(0).sessionName());
      assertEquals(1800, calls.get(0).durationSeconds());
      assertEquals("project_path:group/project:ref_type:tag:ref:v1.4.0", calls.get(0).subject());
    }
    assertTrue(log.lines.stream().anyMatch(l -> l.contains("credentials from GitLab ID token $GITLAB_OIDC_TOKEN"
        + " -> role " + ROLE + " (session gitlab-group-project-1234, 1800 s, renewed before it expires)")),
        log.joined());
    String issuedKey = STAND_IN.get().sts().assumeRoleCalls().get(0).accessKeyId();
    log.lines.forEach(l -> assertNoSecretIn(l, issuedKey));
  }

  @Test
  void credentialsAreRenewedBeforeTheyExpire() {
    STAND_IN.get().sts().credentialLifetime(Duration.ofSeconds(30)); // inside the SDK's one-minute stale time
    try (AwsClients aws = clients(null)) {
      aws.sts().getCallerIdentity();
      aws.sts().getCallerIdentity();
      List<StsService.AssumeRoleCall> calls = STAND_IN.get().sts().assumeRoleCalls();
      assertEquals(2, calls.size(), calls.toString());
      assertNotEquals(calls.get(0).accessKeyId(), calls.get(1).accessKeyId());
    }
  }

  @Test
  void theProviderRedactsItselfAndItsCredentials() {
    AwsSettings settings = AwsSettings.resolve(
        STAND_IN.get().region(), null, STAND_IN.get().endpoint().toString(), name -> null);
    WebIdentityCredentialsSource source = new WebIdentityCredentialsSource(
        WebIdentityRole.resolve(ROLE, null, null, env::get, Clock.systemUTC()).orElseThrow(), env::get);
    try (AwsClients aws = new AwsClients(settings, source, log)) {
      AwsCredentialsProvider provider = source.create(settings, software.amazon.awssdk.http.apache.ApacheHttpClient.create());
      AwsCredentials c = provider.resolveCredentials();
      assertInstanceOf(AwsSessionCredentials.class, c);
      AwsSessionCredentials session = (AwsSessionCredentials) c;
      assertNoSecretIn(provider.toString(), session.secretAccessKey(), session.sessionToken(), c.accessKeyId());
      assertNoSecretIn(source.toString(), session.secretAccessKey());
      assertNoSecretIn(c.toString(), session.secretAccessKey(), session.sessionToken());
      ((AutoCloseable) provider).close();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aTokenTheTrustPolicyRejectsIsAUserErrorThatSaysWhatToCheck() {
    STAND_IN.get().sts().rejectSubject("project_path:group/project:ref_type:tag:ref:v1.4.0");
    try (AwsClients aws = clients(null)) {
      RuntimeException e = assertThrows(RuntimeException.class, () -> aws.ecs().describeClusters(b -> b.clusters("none")));
      UserInputException u = assertInstanceOf(UserInputException.class, e, messages(e).toString());
      String m = u.getMessage();
      assertTrue(m.startsWith("STS refused the GitLab ID token from $GITLAB_OIDC_TOKEN for role " + ROLE
          + " (session gitlab-group-project-1234): AccessDenied: Not authorized to perform"
          + " sts:AssumeRoleWithWebIdentity (HTTP 403, request id "), m);
      assertTrue(m.contains("trust policy"), m);
      assertInstanceOf(StsException.class, u.getCause());
      messages(e).forEach(this::assertNoSecretIn);
    }
    log.lines.forEach(this::assertNoSecretIn);
  }

  @Test
  void aMalformedTokenIsRefusedByStsWithoutEchoingIt() {
    env.put("GITLAB_OIDC_TOKEN", "e30.bm90IGpzb24.c2ln"); // three parts, but the payload is no JSON
    try (AwsClients aws = clients(null)) {
      UserInputException e = assertThrows(UserInputException.class, () -> aws.sts().getCallerIdentity());
      assertTrue(e.getMessage().contains(": InvalidIdentityToken: The ID Token provided is not a valid JWT."),
          e.getMessage());
      assertTrue(e.getMessage().contains("id_tokens:"), e.getMessage());
      messages(e).forEach(m -> assertFalse(m.contains("bm90IGpzb24"), m));
    }
  }

  @Test
  void aSessionLongerThanTheRoleAllowsNamesTheDurationParameter() {
    try (AwsClients aws = clients("2h")) {
      UserInputException e = assertThrows(UserInputException.class, () -> aws.sts().getCallerIdentity());
      assertTrue(e.getMessage().contains("ValidationError: The requested DurationSeconds exceeds the"
          + " MaxSessionDuration set for this role."), e.getMessage());
      assertTrue(e.getMessage().contains("<roleSessionDuration> / -Decs.roleSessionDuration"), e.getMessage());
    }
  }

  @Test
  void theTokenIsReadWhenStsIsCalledAndNamedWhenItIsGone() {
    try (AwsClients aws = clients(null)) {
      env.remove("GITLAB_OIDC_TOKEN");
      UserInputException e = assertThrows(UserInputException.class, () -> aws.sts().getCallerIdentity());
      assertTrue(e.getMessage().contains("GITLAB_OIDC_TOKEN (<webIdentityTokenVariable> /"
          + " -Decs.webIdentityTokenVariable) is not set"), e.getMessage());
    }
  }

  @Test
  void anUnreachableStsIsAnExternalFailure() {
    AwsSettings settings = AwsSettings.resolve("us-east-1", null, "http://127.0.0.1:9", name -> null);
    WebIdentityRole role = WebIdentityRole.resolve(ROLE, null, null, env::get, Clock.systemUTC()).orElseThrow();
    try (AwsClients aws = new AwsClients(settings, new WebIdentityCredentialsSource(role, env::get), log)) {
      ExternalFailureException e = assertThrows(ExternalFailureException.class, () -> aws.sts().getCallerIdentity());
      assertTrue(e.getMessage().startsWith("Could not get AWS credentials from STS for role " + ROLE
          + " (region us-east-1, endpoint http://127.0.0.1:9)"), e.getMessage());
      messages(e).forEach(this::assertNoSecretIn);
    }
  }

  @Test
  void anExplicitProfileAndARoleAreAmbiguous() {
    AwsSettings settings = AwsSettings.resolve("us-east-1", "ci", null, name -> null);
    WebIdentityRole role = WebIdentityRole.resolve(ROLE, null, null, env::get, Clock.systemUTC()).orElseThrow();
    UserInputException e = assertThrows(UserInputException.class,
        () -> CredentialsSource.forSettings(settings, java.util.Optional.of(role), env::get));
    assertTrue(e.getMessage().startsWith("Both <roleArn> / -Decs.roleArn and <profile> / -Decs.profile are set"),
        e.getMessage());
  }

  @Test
  void withoutARoleTheDefaultChainIsUsed() {
    AwsSettings settings = AwsSettings.resolve("us-east-1", null, null, name -> null);
    CredentialsSource source = CredentialsSource.forSettings(settings, java.util.Optional.empty(), env::get);
    assertEquals("the default AWS credential chain", source.describe());
  }

  // --- STS's transient errors: retried; only a real refusal is the user's ---

  private AwsClients clients(String maxAttempts, Map<String, String> environment) {
    AwsSettings settings = AwsSettings.resolve(
        new AwsSettings.Inputs(STAND_IN.get().region(), null, STAND_IN.get().endpoint().toString(), maxAttempts,
            null),
        AwsEnvironment.of(name -> null));
    WebIdentityRole role =
        WebIdentityRole.resolve(ROLE, null, null, environment::get, Clock.systemUTC()).orElseThrow();
    return new AwsClients(settings, new WebIdentityCredentialsSource(role, environment::get), log);
  }

  private static List<String> assumeRoleCodes() {
    return STAND_IN.get().sts().assumeRoleCalls().stream()
        .map(c -> c.errorCode() == null ? "OK" : c.errorCode()).toList();
  }

  @Test
  void anIdpCommunicationErrorIsRetriedAndTheDeployGoesOn() {
    STAND_IN.get().sts().idpCommunicationErrors(1);
    try (AwsClients aws = clients(null, env)) {
      assertEquals("arn:aws:sts::123456789012:assumed-role/deploy/gitlab-group-project-1234",
          aws.sts().getCallerIdentity().arn());
    }
    assertEquals(List.of("IDPCommunicationError", "OK"), assumeRoleCodes());
    assertTrue(log.lines.stream().anyMatch(l -> l.startsWith("INFO AWS credentials supplied by STS"
        + " AssumeRoleWithWebIdentity")), log.joined());
    log.lines.forEach(this::assertNoSecretIn);
  }

  @Test
  void providerKeysStsCouldNotRetrieveAreRetriedToo() {
    STAND_IN.get().sts().unretrievableProviderKeys(2);
    try (AwsClients aws = clients(null, env)) {
      aws.sts().getCallerIdentity();
    }
    assertEquals(List.of("InvalidIdentityToken", "InvalidIdentityToken", "OK"), assumeRoleCodes());
  }

  @Test
  void aTransientErrorThatOutlastsTheAttemptsIsTheWorldsFaultNotTheUsers() {
    STAND_IN.get().sts().idpCommunicationErrors(10);
    try (AwsClients aws = clients("2", env)) {
      ExternalFailureException e =
          assertThrows(ExternalFailureException.class, () -> aws.sts().getCallerIdentity());
      String m = e.getMessage();
      assertTrue(m.startsWith("STS could not verify the GitLab ID token from $GITLAB_OIDC_TOKEN for role " + ROLE
          + " because it could not reach your GitLab's OIDC keys, 2 attempts"), m);
      assertTrue(m.contains("IDPCommunicationError"), m);
      assertTrue(m.contains("re-run the job") && m.contains("<maxAttempts> / -Decs.maxAttempts"), m);
      assertFalse(m.contains("id_tokens:"), "not the user's fault: " + m);
      messages(e).forEach(this::assertNoSecretIn);
    }
    assertEquals(List.of("IDPCommunicationError", "IDPCommunicationError"), assumeRoleCodes(),
        "exactly <maxAttempts> calls");
  }

  @Test
  void aRealRefusalIsNotRetried() {
    STAND_IN.get().sts().rejectSubject("project_path:group/project:ref_type:tag:ref:v1.4.0");
    try (AwsClients aws = clients("5", env)) {
      assertThrows(UserInputException.class, () -> aws.sts().getCallerIdentity());
    }
    assertEquals(List.of("AccessDenied"), assumeRoleCodes());
  }

  @Test
  void anotherInvalidIdentityTokenIsARefusalNotRetried() {
    STAND_IN.get().requestLog().clear();
    env.put("GITLAB_OIDC_TOKEN", "e30.bm90IGpzb24.c2ln");
    try (AwsClients aws = clients("5", env)) {
      UserInputException e = assertThrows(UserInputException.class, () -> aws.sts().getCallerIdentity());
      assertTrue(e.getMessage().contains("id_tokens:"), e.getMessage());
    }
    assertEquals(1, STAND_IN.get().requestLog().count("AssumeRoleWithWebIdentity"),
        STAND_IN.get().requestLog().entries().toString());
  }

  @Test
  void throttlingAndServerErrorsOfStsAreRetriedByTheSettingsStrategy() {
    STAND_IN.get().requestLog().clear();
    STAND_IN.get().faults().throttle(0.3).serverErrors(0.2);
    try (AwsClients aws = clients("10", env)) {
      for (int i = 0; i < 5; i++) {
        aws.sts().getCallerIdentity();
      }
    }
    long injected = STAND_IN.get().requestLog().entries(e -> e.injected() && e.service().equals("sts")).size();
    assertTrue(injected >= 1, "faults were injected into STS: " + STAND_IN.get().requestLog().entries());
    System.out.println("STS under 30% throttling + 20% 5xx: 5 GetCallerIdentity + 1 AssumeRoleWithWebIdentity"
        + " succeeded through " + injected + " injected faults");
  }

  @Test
  void theTransientClassificationFollowsTheCodeAndForInvalidIdentityTokenTheMessage() {
    assertTrue(WebIdentityCredentialsSource.transientStsError(sts("IDPCommunicationError", "anything")));
    assertTrue(WebIdentityCredentialsSource.transientStsError(sts("InvalidIdentityToken",
        "Couldn't retrieve verification key from your identity provider,  please reference"
            + " AssumeRoleWithWebIdentity documentation for requirements")));
    assertFalse(WebIdentityCredentialsSource.transientStsError(sts("InvalidIdentityToken",
        "No OpenIDConnect provider found in your account for https://gitlab.com")));
    assertFalse(WebIdentityCredentialsSource.transientStsError(sts("AccessDenied", "retrieve verification key")));
    assertFalse(WebIdentityCredentialsSource.transientStsError(sts("ExpiredTokenException", "Token expired")));
    assertFalse(WebIdentityCredentialsSource.transientStsError(new IllegalStateException("no")));
  }

  private static StsException sts(String code, String message) {
    return (StsException) StsException.builder()
        .statusCode(400)
        .awsErrorDetails(software.amazon.awssdk.awscore.exception.AwsErrorDetails.builder()
            .errorCode(code).errorMessage(message).build())
        .build();
  }
}
