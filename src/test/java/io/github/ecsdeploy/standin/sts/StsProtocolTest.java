package io.github.ecsdeploy.standin.sts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ecsdeploy.standin.AwsStandIn;
import io.github.ecsdeploy.standin.RequestLog;
import io.github.ecsdeploy.standin.StandInClients;
import io.github.ecsdeploy.standin.StandInExtension;
import io.github.ecsdeploy.testing.MutableClock;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleWithWebIdentityRequest;
import software.amazon.awssdk.services.sts.model.AssumeRoleWithWebIdentityResponse;
import software.amazon.awssdk.services.sts.model.Credentials;
import software.amazon.awssdk.services.sts.model.ExpiredTokenException;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;
import software.amazon.awssdk.services.sts.model.IdpCommunicationErrorException;
import software.amazon.awssdk.services.sts.model.InvalidIdentityTokenException;
import software.amazon.awssdk.services.sts.model.StsException;

/** The real SDK v2 STS client against the stand-in, over HTTP: the Query protocol, answers and errors. */
class StsProtocolTest {

  private static final Instant START = Instant.parse("2025-06-01T12:00:00Z");
  private static final MutableClock CLOCK = new MutableClock(START);
  private static final String ROLE = "arn:aws:iam::123456789012:role/deploy";

  @RegisterExtension
  static final StandInExtension STAND_IN =
      new StandInExtension(AwsStandIn.Options.defaults().withClock(CLOCK));

  private static StsClient sts;

  @BeforeAll
  static void client() {
    sts = StandInClients.sts(STAND_IN.get());
  }

  @AfterAll
  static void close() {
    sts.close();
  }

  private static String token(String sub) {
    return IdTokens.token(sub, "sts.amazonaws.com", IdTokens.GITLAB_ISSUER, START.getEpochSecond() + 3600);
  }

  private static AssumeRoleWithWebIdentityResponse assume(
      Consumer<AssumeRoleWithWebIdentityRequest.Builder> extra) {
    return sts.assumeRoleWithWebIdentity(b -> {
      b.roleArn(ROLE).roleSessionName("gitlab-group-project-1234")
          .webIdentityToken(token("project_path:group/project:ref_type:tag:ref:v1.4.0"));
      extra.accept(b);
    });
  }

  private static StsException refused(Consumer<AssumeRoleWithWebIdentityRequest.Builder> extra) {
    return assertThrows(StsException.class, () -> assume(extra));
  }

  private static StsClient as(Credentials c) {
    return StsClient.builder()
        .endpointOverride(STAND_IN.get().endpoint())
        .region(Region.of(STAND_IN.get().region()))
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(), c.sessionToken())))
        .build();
  }

  @Test
  void assumeRoleWithWebIdentityIssuesSessionCredentialsForTheRole() {
    AssumeRoleWithWebIdentityResponse r = assume(b -> b.durationSeconds(1800));
    Credentials c = r.credentials();
    assertTrue(c.accessKeyId().matches("ASIA[A-Z2-7]{16}"), c.accessKeyId());
    assertEquals(40, c.secretAccessKey().length());
    assertFalse(c.sessionToken().isEmpty());
    assertEquals(START.plusSeconds(1800), c.expiration());
    assertEquals("arn:aws:sts::123456789012:assumed-role/deploy/gitlab-group-project-1234",
        r.assumedRoleUser().arn());
    assertTrue(r.assumedRoleUser().assumedRoleId().matches("AROA[A-Z2-7]{17}:gitlab-group-project-1234"),
        r.assumedRoleUser().assumedRoleId());
    assertEquals("project_path:group/project:ref_type:tag:ref:v1.4.0", r.subjectFromWebIdentityToken());
    assertEquals("https://gitlab.com", r.provider());
    assertEquals("sts.amazonaws.com", r.audience());
    assertNotEquals(c.accessKeyId(), assume(b -> {}).credentials().accessKeyId(), "fresh keys per call");

    StsService.AssumeRoleCall call = STAND_IN.get().sts().assumeRoleCalls().get(0);
    assertEquals(ROLE, call.roleArn());
    assertEquals(1800, call.durationSeconds());
    assertEquals(c.accessKeyId(), call.accessKeyId());
    assertNull(call.errorCode());
  }

  @Test
  void withoutDurationTheSessionLastsOneHour() {
    assertEquals(START.plusSeconds(3600), assume(b -> {}).credentials().expiration());
  }

  @Test
  void getCallerIdentityAnswersForTheIssuedSessionKeys() {
    Credentials c = assume(b -> {}).credentials();
    try (StsClient assumed = as(c)) {
      GetCallerIdentityResponse who = assumed.getCallerIdentity();
      assertEquals("arn:aws:sts::123456789012:assumed-role/deploy/gitlab-group-project-1234", who.arn());
      assertEquals("123456789012", who.account());
      assertTrue(who.userId().endsWith(":gitlab-group-project-1234"), who.userId());
    }
  }

  @Test
  void getCallerIdentityWithLongTermKeysIsAnIamUser() {
    GetCallerIdentityResponse who = sts.getCallerIdentity();
    assertEquals("arn:aws:iam::123456789012:user/stand-in", who.arn());
    assertEquals("AKIDSTANDIN", who.userId());
  }

  @Test
  void aSessionKeyWithTheWrongSessionTokenIsInvalid() {
    Credentials c = assume(b -> {}).credentials();
    try (StsClient forged = as(c.toBuilder().sessionToken("forged").build())) {
      StsException e = assertThrows(StsException.class, forged::getCallerIdentity);
      assertEquals("InvalidClientTokenId", e.awsErrorDetails().errorCode());
      assertEquals(403, e.statusCode());
    }
  }

  @Test
  void expiredSessionCredentialsAreRefused() {
    STAND_IN.get().sts().credentialLifetime(Duration.ofSeconds(30));
    Credentials c = assume(b -> {}).credentials();
    assertEquals(CLOCK.instant().plusSeconds(30), c.expiration());
    try (StsClient assumed = as(c)) {
      assumed.getCallerIdentity();
      CLOCK.advance(Duration.ofSeconds(31));
      StsException e = assertThrows(StsException.class, assumed::getCallerIdentity);
      assertEquals("ExpiredToken", e.awsErrorDetails().errorCode());
    } finally {
      CLOCK.advance(Duration.ofSeconds(-31));
    }
  }

  @Test
  void anEmptyTokenFailsValidationWithoutEchoingIt() {
    StsException e = refused(b -> b.webIdentityToken(""));
    assertEquals("ValidationError", e.awsErrorDetails().errorCode());
    assertEquals(400, e.statusCode());
    assertTrue(e.awsErrorDetails().errorMessage().contains("'webIdentityToken'"), e.getMessage());
  }

  @Test
  void tokensThatAreNotJwtsAreInvalidIdentityTokens() {
    for (String bad : List.of("not-a-jwt", "abc.def", "e30.e30.", "!!!!.e30.sig", "e30.bm90IGpzb24.sig",
        "ImEi.e30.sig", token("x") + ".extra")) {
      InvalidIdentityTokenException e =
          assertThrows(InvalidIdentityTokenException.class, () -> assume(b -> b.webIdentityToken(bad)), bad);
      assertEquals("InvalidIdentityToken", e.awsErrorDetails().errorCode());
      assertTrue(e.awsErrorDetails().errorMessage().contains("not a valid JWT"), e.getMessage());
      assertFalse(e.getMessage().contains(bad), "the token is not echoed");
    }
  }

  @Test
  void aTokenWithoutIssuerHasNoProvider() {
    InvalidIdentityTokenException e = assertThrows(InvalidIdentityTokenException.class,
        () -> assume(b -> b.webIdentityToken(IdTokens.token("s", "a", null, null))));
    assertTrue(e.awsErrorDetails().errorMessage().startsWith("No OpenIDConnect provider"), e.getMessage());
  }

  @Test
  void anExpiredTokenIsRefused() {
    String expired = IdTokens.token("s", "a", IdTokens.GITLAB_ISSUER, START.getEpochSecond() - 1);
    ExpiredTokenException e =
        assertThrows(ExpiredTokenException.class, () -> assume(b -> b.webIdentityToken(expired)));
    assertEquals("ExpiredTokenException", e.awsErrorDetails().errorCode());
  }

  @Test
  void aSubjectTheTrustPolicyRejectsIsAccessDenied() {
    STAND_IN.get().sts().rejectSubject("project_path:group/project:ref_type:branch:ref:main");
    StsException e = refused(b -> b.webIdentityToken(token("project_path:group/project:ref_type:branch:ref:main")));
    assertEquals("AccessDenied", e.awsErrorDetails().errorCode());
    assertEquals(403, e.statusCode());
    assertEquals("AccessDenied", STAND_IN.get().sts().assumeRoleCalls().get(0).errorCode());
    assume(b -> {}); // another subject still works
  }

  @Test
  void roleArnSessionNameAndDurationAreValidated() {
    assertEquals("Request ARN is invalid",
        refused(b -> b.roleArn("arn:aws:iam::123:role/deploy-role")).awsErrorDetails().errorMessage());
    assertEquals("Request ARN is invalid",
        refused(b -> b.roleArn("arn:aws:iam::123456789012:user/deploy")).awsErrorDetails().errorMessage());
    String m = refused(b -> b.roleArn("deploy")).awsErrorDetails().errorMessage();
    assertTrue(m.contains("at 'roleArn'") && m.contains("length greater than or equal to 20"), m);

    m = refused(b -> b.roleSessionName("has space")).awsErrorDetails().errorMessage();
    assertTrue(m.startsWith("1 validation error detected: Value 'has space' at 'roleSessionName'"), m);
    m = refused(b -> b.roleSessionName("x")).awsErrorDetails().errorMessage();
    assertTrue(m.contains("length greater than or equal to 2"), m);
    m = refused(b -> b.roleSessionName("s".repeat(65))).awsErrorDetails().errorMessage();
    assertTrue(m.contains("length less than or equal to 64"), m);
    assume(b -> b.roleSessionName("a_B+=,.@-" + "s".repeat(55))); // 64 characters of the allowed set

    m = refused(b -> b.durationSeconds(899)).awsErrorDetails().errorMessage();
    assertTrue(m.contains("greater than or equal to 900"), m);
    m = refused(b -> b.durationSeconds(43201)).awsErrorDetails().errorMessage();
    assertTrue(m.contains("less than or equal to 43200"), m);
    m = refused(b -> b.durationSeconds(7200)).awsErrorDetails().errorMessage();
    assertEquals("The requested DurationSeconds exceeds the MaxSessionDuration set for this role.", m);
    STAND_IN.get().sts().maxSessionDuration(Duration.ofHours(12));
    assertEquals(START.plusSeconds(43200), assume(b -> b.durationSeconds(43200)).credentials().expiration());

    m = refused(b -> b.roleSessionName("has space").durationSeconds(10)).awsErrorDetails().errorMessage();
    assertTrue(m.startsWith("2 validation errors detected: "), m);
  }

  @Test
  void theWireFormatIsStsXml() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest ok = HttpRequest.newBuilder(URI.create(STAND_IN.get().endpoint() + "/"))
        .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
        .POST(HttpRequest.BodyPublishers.ofString("Action=AssumeRoleWithWebIdentity&Version=2011-06-15"
            + "&RoleArn=" + ROLE.replace(":", "%3A").replace("/", "%2F")
            + "&RoleSessionName=s1&WebIdentityToken=" + token("sub")))
        .build();
    HttpResponse<String> r = http.send(ok, HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode());
    assertEquals("text/xml", r.headers().firstValue("Content-Type").orElse(""));
    String xml = r.body();
    assertTrue(xml.startsWith("<AssumeRoleWithWebIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/"
        + "2011-06-15/\">\n  <AssumeRoleWithWebIdentityResult>\n    <Credentials>\n      <AccessKeyId>ASIA"), xml);
    assertTrue(xml.contains("<Expiration>2025-06-01T13:00:00Z</Expiration>"), xml);
    assertTrue(xml.contains("</AssumeRoleWithWebIdentityResult>\n  <ResponseMetadata>\n    <RequestId>"), xml);

    HttpRequest bad = HttpRequest.newBuilder(URI.create(STAND_IN.get().endpoint() + "/"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("Action=AssumeRoleWithWebIdentity&Version=2011-06-15"
            + "&RoleArn=" + ROLE + "&RoleSessionName=s1&WebIdentityToken=a.b.c"))
        .build();
    r = http.send(bad, HttpResponse.BodyHandlers.ofString());
    assertEquals(400, r.statusCode());
    assertTrue(r.body().matches("(?s)<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n"
        + "  <Error>\n    <Type>Sender</Type>\n    <Code>InvalidIdentityToken</Code>\n    <Message>.+</Message>\n"
        + "  </Error>\n  <RequestId>[0-9a-f-]{36}</RequestId>\n</ErrorResponse>\n"), r.body());

    HttpRequest unsigned = HttpRequest.newBuilder(URI.create(STAND_IN.get().endpoint() + "/"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("Action=GetCallerIdentity&Version=2011-06-15"))
        .build();
    r = http.send(unsigned, HttpResponse.BodyHandlers.ofString());
    assertEquals(403, r.statusCode());
    assertTrue(r.body().contains("<Code>MissingAuthenticationToken</Code>"), r.body());

    HttpRequest unknown = HttpRequest.newBuilder(URI.create(STAND_IN.get().endpoint() + "/"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("Action=AssumeRole&Version=2011-06-15"))
        .build();
    r = http.send(unknown, HttpResponse.BodyHandlers.ofString());
    assertEquals(400, r.statusCode());
    assertTrue(r.body().contains("<Code>InvalidAction</Code>"), r.body());

    List<RequestLog.Entry> logged = STAND_IN.get().requestLog().entries(e -> e.service().equals("sts"));
    assertTrue(logged.stream().anyMatch(e -> e.operation().equals("AssumeRoleWithWebIdentity")
        && e.status() == 400 && "InvalidIdentityToken".equals(e.errorType())), logged.toString());
    assertTrue(logged.stream().anyMatch(e -> e.operation().equals("GetCallerIdentity") && e.status() == 403),
        logged.toString());
  }

  // --- transient errors and fault injection ---

  @Test
  void idpCommunicationErrorOnceAsTheApiReferenceListsIt() {
    STAND_IN.get().requestLog().clear();
    STAND_IN.get().sts().idpCommunicationErrors(1);
    // The SDK's own standard strategy does not retry it (HTTP 400): the plugin adds that condition.
    IdpCommunicationErrorException e = assertThrows(IdpCommunicationErrorException.class, () -> assume(b -> {}));
    assertEquals(400, e.statusCode());
    assertEquals("IDPCommunicationError", e.awsErrorDetails().errorCode());
    assertTrue(e.awsErrorDetails().errorMessage().startsWith("The request could not be fulfilled because the"
        + " identity provider (IDP)"), e.getMessage());
    assertEquals(1, STAND_IN.get().requestLog().entries(r -> "IDPCommunicationError".equals(r.errorType())).size());
    // once: the next call is judged normally
    assertTrue(assume(b -> {}).credentials().accessKeyId().startsWith("ASIA"));
  }

  @Test
  void providerKeysThatCouldNotBeRetrievedAreAnInvalidIdentityTokenWithStsWording() {
    STAND_IN.get().sts().unretrievableProviderKeys(1);
    InvalidIdentityTokenException e = assertThrows(InvalidIdentityTokenException.class, () -> assume(b -> {}));
    assertEquals("Couldn't retrieve verification key from your identity provider,  please reference"
        + " AssumeRoleWithWebIdentity documentation for requirements", e.awsErrorDetails().errorMessage());
    assertTrue(assume(b -> {}).credentials().accessKeyId().startsWith("ASIA"));
    List<StsService.AssumeRoleCall> calls = STAND_IN.get().sts().assumeRoleCalls();
    assertEquals("InvalidIdentityToken", calls.get(0).errorCode());
    assertNull(calls.get(1).errorCode());
  }

  @Test
  void stsTakesPartInFaultInjectionWithItsCommonErrors() throws Exception {
    STAND_IN.get().requestLog().clear();
    STAND_IN.get().faults().throttle(0.3).serverErrors(0.15).unavailable(0.1);
    for (int i = 0; i < 20; i++) {
      assume(b -> {});
    }
    List<RequestLog.Entry> injected =
        STAND_IN.get().requestLog().entries(e -> e.injected() && e.service().equals("sts"));
    assertEquals(20, STAND_IN.get().requestLog().entries(e -> e.status() == 200).size(), "all succeeded");
    assertTrue(injected.stream().anyMatch(e -> "ThrottlingException".equals(e.errorType()) && e.status() == 400),
        injected.toString());
    assertTrue(injected.stream().anyMatch(e -> e.status() >= 500), injected.toString());
    assertTrue(injected.stream().allMatch(e -> List.of("ThrottlingException", "InternalFailure",
        "ServiceUnavailable").contains(e.errorType())), injected.toString());
    System.out.println("STS fault injection: 20 AssumeRoleWithWebIdentity succeeded through " + injected.size()
        + " injected faults (" + injected.stream().filter(e -> e.status() == 400).count() + " throttled, "
        + injected.stream().filter(e -> e.status() >= 500).count() + " 5xx)");

    STAND_IN.get().faults().reset().throttle(1.0);
    StsException throttled = assertThrows(StsException.class, () -> assume(b -> {}));
    assertTrue(throttled.isThrottlingException(), "the SDK sees throttling: " + throttled);
    HttpResponse<String> raw = HttpClient.newHttpClient().send(HttpRequest.newBuilder(STAND_IN.get().endpoint())
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("Action=GetCallerIdentity&Version=2011-06-15")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(400, raw.statusCode());
    assertTrue(raw.body().contains("<Type>Sender</Type>") && raw.body().contains("<Code>ThrottlingException</Code>"),
        raw.body());
  }

  @Test
  void theIssuedSessionSecretsAreATestControlForSecretScans() throws Exception {
    Credentials issued = assume(b -> {}).credentials();
    assertTrue(STAND_IN.get().sts().issuedSecrets().containsAll(List.of(issued.secretAccessKey(),
        issued.sessionToken())));
    try (io.github.ecsdeploy.it.ItStandIn it = io.github.ecsdeploy.it.ItStandIn.connect(STAND_IN.get().endpoint())) {
      List<String> overHttp = it.stsSecrets();
      assertTrue(overHttp.contains(issued.secretAccessKey()) && overHttp.contains(issued.sessionToken()),
          "the control answers what STS issued");
      assertFalse(overHttp.contains(issued.accessKeyId()), "only secrets, not key ids");
    }
  }
}
