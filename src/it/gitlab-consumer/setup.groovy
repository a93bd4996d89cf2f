// Before the tag pipeline: the service runs v0.9.0; the IMMUTABLE repository its-gitlab exists.
import io.github.ecsdeploy.it.ItStandIn

def aws = ItStandIn.connect(standInEndpointFile)
try {
  aws.createCluster('its-gitlab')
  aws.createRepository('its-gitlab')
  def arn = aws.registerTaskDefinition('its-gitlab', 'app', aws.registry() + '/its-gitlab:v0.9.0')
  aws.createService('its-gitlab', 'its-gitlab-svc', arn)
  aws.waitSteady('its-gitlab', 'its-gitlab-svc')
} finally {
  aws.close()
}
return true
