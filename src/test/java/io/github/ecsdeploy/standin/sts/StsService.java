package io.github.ecsdeploy.standin.sts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ecsdeploy.standin.FaultInjection;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * STS in the Query protocol, as AWS answers it: form-encoded POSTs ({@code Action=...&Version=2011-06-15})
 * and XML answers in the {@code https://sts.amazonaws.com/doc/2011-06-15/} namespace; errors as
 * {@code <ErrorResponse>} with {@code Type}, {@code Code}, {@code Message} and a request id.
 *
 * <ul>
 *   <li>{@code AssumeRoleWithWebIdentity} (unsigned): validates the role ARN, the session name
 *       ({@code [\w+=,.@-]{2,64}}), the duration (900..43200 and the role's maximum), and the token: a
 *       three-part JWT whose header and payload are base64url JSON; reads {@code sub}, {@code aud},
 *       {@code iss} and {@code exp} from the payload (the signature is not checked). Issues session
 *       credentials ({@code ASIA...}) bound to {@code arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION}.
 *   <li>{@code GetCallerIdentity} (signed): answers for the access key of the SigV4 {@code Authorization}
 *       header; session keys map to their assumed role (and must come with their session token, and not be
 *       expired), other keys to an IAM user.
 * </ul>
 *
 * <p>Test controls: {@link #rejectSubject(String)} (the role's trust policy does not match that
 * {@code sub}), {@link #credentialLifetime(Duration)} (issue credentials that expire soon),
 * {@link #maxSessionDuration(Duration)}, {@link #idpCommunicationErrors(int)} and
 * {@link #unretrievableProviderKeys(int)} (STS's transient web-identity errors, for the next calls), and
 * {@link #assumeRoleCalls()} (what was asked, never the token).
 *
 * <p>Fault injection: STS takes part in the stand-in's {@link FaultInjection} (same shares, same latency) with
 * the errors of the STS API reference's Common Errors page
 * (https://docs.aws.amazon.com/STS/latest/APIReference/CommonErrors.html): {@code ThrottlingException} (HTTP
 * 400), {@code InternalFailure} (500) and {@code ServiceUnavailable} (503), as {@code <ErrorResponse>}s with
 * {@code Type} {@code Sender} or {@code Receiver}. Injected answers are marked in the {@link RequestLog}.
 */
public final class StsService {

  /** The XML namespace of every STS answer. */
  public static final String NAMESPACE = "https://sts.amazonaws.com/doc/2011-06-15/";

  private static final String VERSION = "2011-06-15";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern ROLE_ARN =
      Pattern.compile("arn:aws[a-z-]*:iam::(\\d{12}):role/((?:[\\w+=,.@-]+/)*)([\\w+=,.@-]{1,64})");
  private static final Pattern SESSION_NAME = Pattern.compile("[\\w+=,.@-]*");
  private static final Pattern CREDENTIAL = Pattern.compile("Credential=([^/,\\s]+)/");
  private static final char[] KEY_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();
  private static final char[] SECRET_CHARS =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".toCharArray();

  /**
   * What one AssumeRoleWithWebIdentity call asked for and got (the token itself is not kept).
   *
   * @param roleArn the role
   * @param sessionName the role session name
   * @param durationSeconds the requested duration, or null when not sent
   * @param subject the token's {@code sub}
   * @param audience the token's {@code aud}
   * @param issuer the token's {@code iss}
   * @param accessKeyId the issued access key id, or null when refused
   * @param errorCode the error code when refused, else null
   */
  public record AssumeRoleCall(
      String roleArn,
      String sessionName,
      Integer durationSeconds,
      String subject,
      String audience,
      String issuer,
      String accessKeyId,
      String errorCode) {}

  /**
   * An HTTP answer: status, XML body, error code (null on success), the action, and whether fault injection
   * made it, for the request log.
   */
  public record Answer(int status, String xml, String errorCode, String action, boolean injected) {}

  private record Session(
      String arn, String assumedRoleId, String secretAccessKey, String sessionToken, Instant expiration) {}

  /**
   * STS's message for {@code IDPCommunicationError}. The STS API reference (AssumeRoleWithWebIdentity,
   * Errors, https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html) lists it
   * with HTTP 400: "The request could not be fulfilled because the identity provider (IDP) that was asked to
   * verify the incoming identity token could not be reached. This is often a transient error caused by
   * network conditions. Retry the request a limited number of times so that you don't exceed the request
   * rate."
   */
  static final String IDP_COMMUNICATION_MESSAGE =
      "The request could not be fulfilled because the identity provider (IDP) that was asked to verify the"
          + " incoming identity token could not be reached.";

  /**
   * What STS says when it could not fetch the provider's signing keys (JWKS) to verify the token: code
   * {@code InvalidIdentityToken}, HTTP 400, message as reported verbatim (two spaces included) in
   * aws/aws-cli#7194 and CircleCI-Public/aws-cli-orb#136 for CI providers' tokens that a retry then accepted.
   */
  static final String UNRETRIEVABLE_KEYS_MESSAGE =
      "Couldn't retrieve verification key from your identity provider,  please reference"
          + " AssumeRoleWithWebIdentity documentation for requirements";

  /** The audiences the account's OIDC provider accepts. */
  private static final Set<String> PROVIDER_AUDIENCES = Set.of("sts.amazonaws.com");

  private final String accountId;
  private final Clock clock;
  private final FaultInjection faults;
  private final java.util.concurrent.atomic.AtomicInteger idpCommunicationErrors =
      new java.util.concurrent.atomic.AtomicInteger();
  private final java.util.concurrent.atomic.AtomicInteger unretrievableKeys =
      new java.util.concurrent.atomic.AtomicInteger();
  private final SecureRandom random = new SecureRandom();
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();
  private final Set<String> rejectedSubjects = ConcurrentHashMap.newKeySet();
  private final List<AssumeRoleCall> calls = new ArrayList<>();
  private volatile Duration credentialLifetime;
  private volatile Duration maxSessionDuration = Duration.ofHours(1);

  public StsService(String accountId, Clock clock) {
    this(accountId, clock, new FaultInjection(0));
  }

  public StsService(String accountId, Clock clock, FaultInjection faults) {
    this.accountId = accountId;
    this.clock = clock;
    this.faults = faults;
  }

  /**
   * The next {@code count} AssumeRoleWithWebIdentity calls are answered {@code IDPCommunicationError} (HTTP
   * 400, {@link #IDP_COMMUNICATION_MESSAGE}) before the token is looked at; {@code 1} is "once".
   */
  public void idpCommunicationErrors(int count) {
    idpCommunicationErrors.set(count);
  }

  /**
   * The next {@code count} AssumeRoleWithWebIdentity calls are answered {@code InvalidIdentityToken} with
   * {@link #UNRETRIEVABLE_KEYS_MESSAGE} (the provider's keys could not be fetched), before the token is
   * looked at.
   */
  public void unretrievableProviderKeys(int count) {
    unretrievableKeys.set(count);
  }

  /** Tokens with this {@code sub} are refused with {@code AccessDenied}, as a non-matching trust policy is. */
  public void rejectSubject(String subject) {
    rejectedSubjects.add(subject);
  }

  /**
   * Issued credentials expire this long after issue, whatever duration was asked for; {@code null} restores
   * the requested duration.
   */
  public void credentialLifetime(Duration lifetime) {
    this.credentialLifetime = lifetime;
  }

  /** The role's maximum session duration (AWS's default for a role: one hour). */
  public void maxSessionDuration(Duration max) {
    this.maxSessionDuration = max;
  }

  /**
   * The secret access key and session token of every session issued so far (a test control: what a build log,
   * {@code target/} or a state file must never contain).
   */
  public List<String> issuedSecrets() {
    List<String> secrets = new ArrayList<>();
    for (Session session : sessions.values()) {
      secrets.add(session.secretAccessKey());
      secrets.add(session.sessionToken());
    }
    return secrets;
  }

  /** Every AssumeRoleWithWebIdentity call, oldest first. */
  public List<AssumeRoleCall> assumeRoleCalls() {
    synchronized (calls) {
      return List.copyOf(calls);
    }
  }

  /** Forgets the test controls and recorded calls (issued sessions stay valid). */
  public void reset() {
    rejectedSubjects.clear();
    idpCommunicationErrors.set(0);
    unretrievableKeys.set(0);
    credentialLifetime = null;
    maxSessionDuration = Duration.ofHours(1);
    synchronized (calls) {
      calls.clear();
    }
  }

  /** Whether a request is for this service: a POST with a form body and no {@code X-Amz-Target}. */
  public static boolean accepts(String method, String target, String contentType) {
    return "POST".equals(method)
        && target == null
        && contentType != null
        && contentType.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded");
  }

  /**
   * Answers one request.
   *
   * @param body the form-encoded body
   * @param authorization the {@code Authorization} header, or null
   * @param securityToken the {@code X-Amz-Security-Token} header, or null
   */
  public Answer handle(byte[] body, String authorization, String securityToken) {
    Map<String, String> form = parseForm(new String(body, StandardCharsets.UTF_8));
    String action = form.getOrDefault("Action", "");
    String requestId = UUID.randomUUID().toString();
    faults.sleepLatency();
    StsError injected = injectedFault();
    if (injected != null) {
      return error(injected, requestId, action, true);
    }
    try {
      if (!VERSION.equals(form.get("Version"))) {
        throw new StsError(400, "InvalidAction",
            "Could not find operation " + action + " for version " + form.get("Version"));
      }
      String result =
          switch (action) {
            case "AssumeRoleWithWebIdentity" -> assumeRoleWithWebIdentity(form);
            case "GetCallerIdentity" -> getCallerIdentity(authorization, securityToken);
            default -> throw new StsError(400, "InvalidAction",
                "Could not find operation " + action + " for version " + VERSION);
          };
      String xml = "<" + action + "Response xmlns=\"" + NAMESPACE + "\">\n"
          + "  <" + action + "Result>\n" + result + "  </" + action + "Result>\n"
          + "  <ResponseMetadata>\n    <RequestId>" + requestId + "</RequestId>\n  </ResponseMetadata>\n"
          + "</" + action + "Response>\n";
      return new Answer(200, xml, null, action, false);
    } catch (StsError e) {
      return error(e, requestId, action, false);
    }
  }

  private static Answer error(StsError e, String requestId, String action, boolean injected) {
    String xml = "<ErrorResponse xmlns=\"" + NAMESPACE + "\">\n"
        + "  <Error>\n"
        + "    <Type>" + (e.status >= 500 ? "Receiver" : "Sender") + "</Type>\n"
        + "    <Code>" + escape(e.code) + "</Code>\n"
        + "    <Message>" + escape(e.getMessage()) + "</Message>\n"
        + "  </Error>\n"
        + "  <RequestId>" + requestId + "</RequestId>\n"
        + "</ErrorResponse>\n";
    return new Answer(e.status, xml, e.code, action.isEmpty() ? "?" : action, injected);
  }

  /** The stand-in's fault injection as STS answers it (see the class comment), or null. */
  private StsError injectedFault() {
    return switch (faults.next()) {
      case THROTTLE -> new StsError(400, "ThrottlingException", "Rate exceeded");
      case SERVER_ERROR -> new StsError(500, "InternalFailure",
          "The request processing has failed because of an unknown error, exception or failure.");
      case UNAVAILABLE -> new StsError(503, "ServiceUnavailable",
          "The request has failed due to a temporary failure of the server.");
      case NONE -> null;
    };
  }

  /** Takes one from a counter of "the next n calls", if any are left. */
  private static boolean takeOne(java.util.concurrent.atomic.AtomicInteger counter) {
    return counter.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
  }

  // --- AssumeRoleWithWebIdentity ---

  private String assumeRoleWithWebIdentity(Map<String, String> form) {
    String roleArn = form.get("RoleArn");
    String sessionName = form.get("RoleSessionName");
    String token = form.get("WebIdentityToken");
    String durationText = form.get("DurationSeconds");
    // Transient: STS could not reach the provider, so it never judged the token. Recorded like a refusal.
    if (takeOne(idpCommunicationErrors)) {
      record(roleArn, sessionName, null, null, null, null, null, "IDPCommunicationError");
      throw new StsError(400, "IDPCommunicationError", IDP_COMMUNICATION_MESSAGE);
    }
    if (takeOne(unretrievableKeys)) {
      record(roleArn, sessionName, null, null, null, null, null, "InvalidIdentityToken");
      throw new StsError(400, "InvalidIdentityToken", UNRETRIEVABLE_KEYS_MESSAGE);
    }
    List<String> violations = new ArrayList<>();
    if (roleArn == null) {
      violations.add("Value null at 'roleArn' failed to satisfy constraint: Member must not be null");
    } else if (roleArn.length() < 20) {
      violations.add("Value '" + roleArn + "' at 'roleArn' failed to satisfy constraint: Member must have"
          + " length greater than or equal to 20");
    }
    if (sessionName == null) {
      violations.add("Value null at 'roleSessionName' failed to satisfy constraint: Member must not be null");
    } else {
      if (!SESSION_NAME.matcher(sessionName).matches()) {
        violations.add("Value '" + sessionName + "' at 'roleSessionName' failed to satisfy constraint: Member"
            + " must satisfy regular expression pattern: [\\w+=,.@-]*");
      }
      if (sessionName.length() < 2) {
        violations.add("Value '" + sessionName + "' at 'roleSessionName' failed to satisfy constraint: Member"
            + " must have length greater than or equal to 2");
      } else if (sessionName.length() > 64) {
        violations.add("Value '" + sessionName + "' at 'roleSessionName' failed to satisfy constraint: Member"
            + " must have length less than or equal to 64");
      }
    }
    // The token is sensitive: AWS does not echo it, nor do we.
    if (token == null) {
      violations.add("Value null at 'webIdentityToken' failed to satisfy constraint: Member must not be null");
    } else if (token.length() < 4) {
      violations.add("Value at 'webIdentityToken' failed to satisfy constraint: Member must have length"
          + " greater than or equal to 4");
    }
    Integer duration = null;
    if (durationText != null) {
      try {
        duration = Integer.valueOf(durationText);
      } catch (NumberFormatException e) {
        throw new StsError(400, "ValidationError",
            "Value '" + durationText + "' at 'durationSeconds' failed to satisfy constraint: Member must be"
                + " a number");
      }
      if (duration < 900) {
        violations.add("Value '" + duration + "' at 'durationSeconds' failed to satisfy constraint: Member"
            + " must have value greater than or equal to 900");
      } else if (duration > 43200) {
        violations.add("Value '" + duration + "' at 'durationSeconds' failed to satisfy constraint: Member"
            + " must have value less than or equal to 43200");
      }
    }
    if (!violations.isEmpty()) {
      throw new StsError(400, "ValidationError",
          violations.size() + " validation error" + (violations.size() == 1 ? "" : "s") + " detected: "
              + String.join("; ", violations));
    }
    Matcher arn = ROLE_ARN.matcher(roleArn);
    if (!arn.matches()) {
      throw new StsError(400, "ValidationError", "Request ARN is invalid");
    }
    JsonNode claims = parseToken(token);
    String subject = text(claims, "sub");
    String audience = claims.path("aud").isArray() ? text(claims.path("aud"), 0) : text(claims, "aud");
    String issuer = text(claims, "iss");
    Instant now = clock.instant();
    try {
      if (claims.path("exp").isNumber() && claims.path("exp").asLong() <= now.getEpochSecond()) {
        throw new StsError(400, "ExpiredTokenException",
            "Token expired: current date/time " + now.getEpochSecond()
                + " must be before the expiration date/time " + claims.path("exp").asLong());
      }
      if (issuer == null || issuer.isEmpty()) {
        throw new StsError(400, "InvalidIdentityToken", "No OpenIDConnect provider found in your account for ");
      }
      if (audience == null || !PROVIDER_AUDIENCES.contains(audience)) {
        // The IAM OIDC provider's audiences (client IDs); GitLab's AWS guide registers sts.amazonaws.com. STS
        // answers a token for another audience with "InvalidIdentityToken: Incorrect token audience" (as reported
        // verbatim e.g. in aws/aws-cli#5847 and aws-actions/configure-aws-credentials#357).
        throw new StsError(400, "InvalidIdentityToken", "Incorrect token audience");
      }
      if (subject != null && rejectedSubjects.contains(subject)) {
        throw new StsError(403, "AccessDenied", "Not authorized to perform sts:AssumeRoleWithWebIdentity");
      }
      if (duration != null && duration > maxSessionDuration.getSeconds()) {
        throw new StsError(400, "ValidationError",
            "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
      }
    } catch (StsError e) {
      record(roleArn, sessionName, duration, subject, audience, issuer, null, e.code);
      throw e;
    }
    Duration lifetime = credentialLifetime != null
        ? credentialLifetime
        : Duration.ofSeconds(duration == null ? 3600 : duration);
    Instant expiration = now.plus(lifetime).truncatedTo(ChronoUnit.SECONDS);
    String accessKeyId = "ASIA" + randomChars(KEY_CHARS, 16);
    String secret = randomChars(SECRET_CHARS, 40);
    String sessionToken = "IQoJb3JpZ2luX2VjE" + randomChars(SECRET_CHARS, 300);
    String roleName = arn.group(3);
    String assumedRoleArn =
        "arn:aws:sts::" + arn.group(1) + ":assumed-role/" + roleName + "/" + sessionName;
    String assumedRoleId = "AROA" + randomChars(KEY_CHARS, 17) + ":" + sessionName;
    sessions.put(accessKeyId, new Session(assumedRoleArn, assumedRoleId, secret, sessionToken, expiration));
    record(roleArn, sessionName, duration, subject, audience, issuer, accessKeyId, null);
    return "    <Credentials>\n"
        + "      <AccessKeyId>" + accessKeyId + "</AccessKeyId>\n"
        + "      <SecretAccessKey>" + escape(secret) + "</SecretAccessKey>\n"
        + "      <SessionToken>" + escape(sessionToken) + "</SessionToken>\n"
        + "      <Expiration>" + expiration + "</Expiration>\n"
        + "    </Credentials>\n"
        + (subject == null ? "" : "    <SubjectFromWebIdentityToken>" + escape(subject)
            + "</SubjectFromWebIdentityToken>\n")
        + "    <AssumedRoleUser>\n"
        + "      <Arn>" + escape(assumedRoleArn) + "</Arn>\n"
        + "      <AssumedRoleId>" + escape(assumedRoleId) + "</AssumedRoleId>\n"
        + "    </AssumedRoleUser>\n"
        + "    <Provider>" + escape(issuer) + "</Provider>\n"
        + (audience == null ? "" : "    <Audience>" + escape(audience) + "</Audience>\n");
  }

  private void record(String roleArn, String sessionName, Integer duration, String subject, String audience,
      String issuer, String accessKeyId, String errorCode) {
    synchronized (calls) {
      calls.add(new AssumeRoleCall(
          roleArn, sessionName, duration, subject, audience, issuer, accessKeyId, errorCode));
    }
  }

  /** A JWT: three base64url parts, the first two JSON objects. The signature is not checked. */
  private static JsonNode parseToken(String token) {
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3 || parts[2].isEmpty()) {
      throw notAJwt();
    }
    JsonNode header = decodeJson(parts[0]);
    JsonNode payload = decodeJson(parts[1]);
    if (header == null || !header.isObject() || payload == null || !payload.isObject()) {
      throw notAJwt();
    }
    return payload;
  }

  private static JsonNode decodeJson(String part) {
    try {
      return JSON.readTree(Base64.getUrlDecoder().decode(part));
    } catch (IllegalArgumentException | IOException e) {
      return null;
    }
  }

  private static StsError notAJwt() {
    return new StsError(400, "InvalidIdentityToken",
        "The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)");
  }

  // --- GetCallerIdentity ---

  private String getCallerIdentity(String authorization, String securityToken) {
    if (authorization == null) {
      throw new StsError(403, "MissingAuthenticationToken", "Request is missing Authentication Token");
    }
    Matcher credential = CREDENTIAL.matcher(authorization);
    if (!credential.find()) {
      throw new StsError(400, "IncompleteSignature",
          "Authorization header requires 'Credential' parameter. Authorization=" + authorization);
    }
    String accessKeyId = credential.group(1);
    String arn;
    String userId;
    String account = accountId;
    if (accessKeyId.startsWith("ASIA")) {
      Session session = sessions.get(accessKeyId);
      if (session == null || !session.sessionToken().equals(securityToken)) {
        throw new StsError(403, "InvalidClientTokenId", "The security token included in the request is invalid.");
      }
      if (!clock.instant().isBefore(session.expiration())) {
        throw new StsError(400, "ExpiredToken", "The security token included in the request is expired");
      }
      arn = session.arn();
      userId = session.assumedRoleId();
      account = arn.split(":")[4];
    } else {
      arn = "arn:aws:iam::" + accountId + ":user/stand-in";
      userId = accessKeyId;
    }
    return "    <Arn>" + escape(arn) + "</Arn>\n"
        + "    <UserId>" + escape(userId) + "</UserId>\n"
        + "    <Account>" + account + "</Account>\n";
  }

  // --- helpers ---

  private static Map<String, String> parseForm(String body) {
    Map<String, String> form = new LinkedHashMap<>();
    for (String pair : body.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      form.put(key, value);
    }
    return form;
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static String text(JsonNode array, int index) {
    JsonNode v = array.get(index);
    return v == null || v.isNull() ? null : v.asText();
  }

  private String randomChars(char[] alphabet, int n) {
    StringBuilder b = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      b.append(alphabet[random.nextInt(alphabet.length)]);
    }
    return b.toString();
  }

  static String escape(String s) {
    if (s == null) {
      return "";
    }
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
        .replace("'", "&apos;");
  }

  private static final class StsError extends RuntimeException {
    final int status;
    final String code;

    StsError(int status, String code, String message) {
      super(message, null, false, false);
      this.status = status;
      this.code = code;
    }
  }
}
