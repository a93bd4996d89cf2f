package io.github.ecsdeploy.standin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The warm CLI interpreter ({@link WarmCli}) answers as the CLI in a process of its own: the same exit code,
 * output and error text, and no environment carried from one command to the next.
 */
class AwsCliTest {

  @RegisterExtension static final StandInExtension STAND_IN = new StandInExtension();

  @TempDir Path home;

  @Test
  void theWarmInterpreterIsUsedWhenTheCliIsAPythonScript() throws Exception {
    WarmCli.interpreter(AwsCli.executable()); // throws when it is not one: then this test does not apply
    assertTrue(WarmCli.shared().isPresent(), "the CLI is a Python script, yet commands run in processes");
  }

  @Test
  void aCommandAnswersAsInAProcessOfItsOwn() throws Exception {
    String[] who = {"sts", "get-caller-identity"};
    AwsCli.Result warm = AwsCli.run(STAND_IN.get(), home, who);
    AwsCli.Result process = AwsCli.runAsProcess(STAND_IN.get(), home, Map.of(), who);
    assertEquals(0, process.exit(), process.err());
    assertEquals(process.exit(), warm.exit(), warm.err());
    assertEquals(process.json(), warm.json());

    String[] missing = {"ecs", "describe-services", "--cluster", "nowhere", "--services", "x"};
    AwsCli.Result warmError = AwsCli.run(STAND_IN.get(), home, missing);
    AwsCli.Result processError = AwsCli.runAsProcess(STAND_IN.get(), home, Map.of(), missing);
    assertNotEquals(0, processError.exit());
    assertEquals(processError.exit(), warmError.exit());
    assertEquals(processError.err(), warmError.err());
    assertEquals(processError.out(), warmError.out());
  }

  @Test
  void anArgumentErrorExitsAsInAProcess() throws Exception {
    String[] bad = {"ecs", "describe-services", "--no-such-option"};
    AwsCli.Result warm = AwsCli.run(STAND_IN.get(), home, bad);
    AwsCli.Result process = AwsCli.runAsProcess(STAND_IN.get(), home, Map.of(), bad);
    assertNotEquals(0, process.exit());
    assertEquals(process.exit(), warm.exit());
    assertEquals(process.err(), warm.err());
  }

  @Test
  void noEnvironmentCarriesOverToTheNextCommand() throws Exception {
    AwsCli.Result before = AwsCli.run(STAND_IN.get(), home, "sts", "get-caller-identity");
    AwsCli.Result other = AwsCli.run(STAND_IN.get(), home, Map.of("AWS_ACCESS_KEY_ID", "AKIA-NOT-KNOWN"),
        "sts", "get-caller-identity");
    AwsCli.Result after = AwsCli.run(STAND_IN.get(), home, "sts", "get-caller-identity");
    assertEquals(0, before.exit(), before.err());
    assertNotEquals(before.out(), other.out(), "the key made no difference");
    assertEquals(0, after.exit(), after.err());
    assertEquals(before.json(), after.json());
  }

  @Test
  void theInterpreterComesFromTheScriptsFirstLine() throws Exception {
    Path direct = Files.writeString(home.resolve("aws"), "#!/usr/bin/python3\nimport awscli\n");
    Path viaEnv = Files.writeString(home.resolve("aws-env"), "#!/usr/bin/env python3\nimport awscli\n");
    Path shell = Files.writeString(home.resolve("aws-shim"), "#!/usr/bin/env bash\nexec pyenv exec aws\n");
    assertEquals(List.of("/usr/bin/python3"), WarmCli.interpreter(direct.toString()));
    assertEquals(List.of("/usr/bin/env", "python3"), WarmCli.interpreter(viaEnv.toString()));
    assertThrows(IllegalArgumentException.class, () -> WarmCli.interpreter(shell.toString()));
  }
}
