// Without credentials for localhost the base image was refused, naming the ways to give them; with the
// settings.xml server it was pulled and the service pushed on top of it. No secret in build.log.
import io.github.ecsdeploy.it.ItImages
import io.github.ecsdeploy.it.ItLog
import io.github.ecsdeploy.it.ItStandIn
import static io.github.ecsdeploy.it.ItLog.assertInOrder

def log = ItLog.read(basedir)
assert log.runs().size() == 3
def aws = ItStandIn.connect(standInEndpointFile)
try {
  def baseImage = "localhost:${aws.endpoint().port}/its-creds-base"
  assertInOrder(log.run(2),
      "[ERROR] Failed to execute goal io.github.ecsdeploy:ecs-deploy-maven-plugin:",
      "The registry of the base image ${baseImage} refused access (HTTP 401)",
      'a settings.xml <server> whose id is the registry host')
  assert !log.run(2).contains('Pushed ') : 'nothing pushed without the base image'

  def digest = aws.pushedDigest('its-creds', 'v1.0.0')
  assertInOrder(log.run(3),
      ':push-image (default-cli) @ its-creds',
      'Maven settings.xml <server> localhost',
      "Pushed ${aws.registry()}/its-creds:v1.0.0 with digest ${digest}",
      'BUILD SUCCESS')

  def base = ItImages.pushed(aws, 'its-creds-base', 'base-1')
  def app = ItImages.pushed(aws, 'its-creds', 'v1.0.0')
  assert app.layerDigests()[0..<base.layerDigests().size()] == base.layerDigests() : 'built on the base layers'
  assert app.layerDigests().size() > base.layerDigests().size()

  aws.registrySecrets().each { secret ->
    assert !log.text().contains(secret) : 'a registry secret is in build.log'
  }
} finally {
  aws.close()
}
return true
