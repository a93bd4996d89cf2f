// A debug build pushed the image, and build.log holds neither the ECR token nor the registry password.
import io.github.ecsdeploy.it.ItLog
import io.github.ecsdeploy.it.ItStandIn
import static io.github.ecsdeploy.it.ItLog.assertInOrder

def text = ItLog.read(basedir).text()
def aws = ItStandIn.connect(standInEndpointFile)
try {
  def digest = aws.pushedDigest('its-debug', 'v1.0.0')
  assertInOrder(text,
      ':push-image (default-cli) @ its-debug',
      "[DEBUG] Configuring mojo execution 'io.github.ecsdeploy:ecs-deploy-maven-plugin:",
      // the SDK's own debug lines of the GetAuthorizationToken call (its signer stays at INFO: see src/site/markdown/security.md)
      '[DEBUG] Sending Request: DefaultSdkHttpFullRequest(httpMethod=POST',
      '[DEBUG] Received successful response: 200',
      "[DEBUG] ECR login for registry ${aws.registry()} (token from GetAuthorizationToken, in memory",
      "Pushed ${aws.registry()}/its-debug:v1.0.0 with digest ${digest}",
      'BUILD SUCCESS')
  assert ItLog.count(text, '[DEBUG]') > 100 : 'a full debug log'
  assert !text.contains('AWS4 Canonical Request') : 'the SigV4 signers stay at INFO under -X'
  def secrets = aws.registrySecrets()
  assert secrets.size() == 2 && secrets.every { it.length() > 20 }
  secrets.each { secret ->
    assert !text.contains(secret) : 'a registry secret is in build.log'
  }
} finally {
  aws.close()
}
return true
