// The service runs v0.9.0 (revision 1); ECR already holds v1.0.0, pushed by another build with another image.
import io.github.ecsdeploy.it.ItStandIn

def aws = ItStandIn.connect(standInEndpointFile)
try {
  aws.seedService('its-taken', 'its-taken-svc', 'app', ItStandIn.image('its-taken', 'v0.9.0'))
  aws.putImage('its-taken', 'v1.0.0', ItStandIn.digest('another build of v1.0.0'))
} finally {
  aws.close()
}
return true
