// An empty IMMUTABLE ECR repository for the service.
import io.github.ecsdeploy.it.ItStandIn

def aws = ItStandIn.connect(standInEndpointFile)
try {
  aws.createRepository('its-boot')
} finally {
  aws.close()
}
return true
