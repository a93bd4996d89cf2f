// An empty IMMUTABLE ECR repository to push to.
import io.github.ecsdeploy.it.ItStandIn

def aws = ItStandIn.connect(standInEndpointFile)
try {
  aws.createRepository('its-debug')
} finally {
  aws.close()
}
return true
