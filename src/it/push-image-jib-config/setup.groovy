// An empty IMMUTABLE ECR repository for the service.
import io.github.ecsdeploy.it.ItStandIn

def aws = ItStandIn.connect(standInEndpointFile)
try {
  aws.createRepository('its-jib-config')
} finally {
  aws.close()
}
return true
