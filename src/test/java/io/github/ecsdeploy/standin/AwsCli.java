package io.github.ecsdeploy.standin;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Finds the real AWS CLI for fidelity tests and gives it a clean environment pointed at a stand-in. Prefers
 * Debian's package ({@code /usr/bin/aws}, the CLI v2 that {@code .ci/run} installs), then {@code AWS_CLI},
 * then {@code aws} on the PATH. A missing CLI fails the test with the fix: these tests are part of the
 * README's test command and must not pass by skipping.
 */
public final class AwsCli {

  private AwsCli() {}

  /** The CLI executable. */
  public static String executable() {
    String fromEnv = System.getenv("AWS_CLI");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return fromEnv;
    }
    if (Files.isExecutable(Path.of("/usr/bin/aws"))) {
      return "/usr/bin/aws";
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      Path candidate = Path.of(dir, "aws");
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    throw new AssertionError("The AWS CLI is not installed. Install Debian's packages with "
        + "'apt-get install -y awscli jq' (.ci/run does this), or set AWS_CLI to its path.");
  }

  /**
   * Sets a clean AWS environment in a process environment: dummy keys, the stand-in's region, no pager, no
   * user config, no profile.
   */
  public static void configure(Map<String, String> env, AwsStandIn standIn, Path home) {
    env.keySet().removeIf(k -> k.startsWith("AWS_") && !k.equals("AWS_CLI"));
    env.put("HOME", home.toString());
    env.put("AWS_CONFIG_FILE", home.resolve("aws-config").toString());
    env.put("AWS_SHARED_CREDENTIALS_FILE", home.resolve("aws-credentials").toString());
    env.put("AWS_ACCESS_KEY_ID", "AKIDSTANDIN");
    env.put("AWS_SECRET_ACCESS_KEY", "stand-in-secret");
    env.put("AWS_DEFAULT_REGION", standIn.region());
    env.put("AWS_PAGER", "");
    env.put("AWS_CLI", executable());
    env.put("STAND_IN_ENDPOINT", standIn.endpoint().toString());
  }
}
