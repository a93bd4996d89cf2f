package io.github.ecsdeploy.standin.sts;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Unsigned JWTs shaped like GitLab's CI ID tokens, for tests against the stand-in's STS (which reads the
 * claims and does not check the signature).
 */
public final class IdTokens {

  /** GitLab.com's issuer. */
  public static final String GITLAB_ISSUER = "https://gitlab.com";

  private IdTokens() {}

  /** A token for a tag pipeline of {@code group/project}, audience {@code sts.amazonaws.com}, valid 5 minutes. */
  public static String gitlab(String projectPath, String tag) {
    return token(
        "project_path:" + projectPath + ":ref_type:tag:ref:" + tag,
        "sts.amazonaws.com",
        GITLAB_ISSUER,
        System.currentTimeMillis() / 1000 + 300);
  }

  /** A token with these claims; {@code exp} in epoch seconds. Null claims are left out. */
  public static String token(String sub, String aud, String iss, Long exp) {
    StringBuilder payload = new StringBuilder("{");
    appendClaim(payload, "iss", iss == null ? null : "\"" + iss + "\"");
    appendClaim(payload, "sub", sub == null ? null : "\"" + sub + "\"");
    appendClaim(payload, "aud", aud == null ? null : "\"" + aud + "\"");
    appendClaim(payload, "exp", exp == null ? null : exp.toString());
    payload.append('}');
    return encode("{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"stand-in\"}")
        + "."
        + encode(payload.toString())
        + "."
        + encode("not-a-real-signature");
  }

  private static void appendClaim(StringBuilder b, String name, String json) {
    if (json == null) {
      return;
    }
    if (b.length() > 1) {
      b.append(',');
    }
    b.append('"').append(name).append("\":").append(json);
  }

  private static String encode(String s) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}
