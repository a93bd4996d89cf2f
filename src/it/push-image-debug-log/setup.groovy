// An empty IMMUTABLE ECR repository to push to.
import io.github.ecsdeploy.it.ItStandIn

ItStandIn.connect(standInEndpointFile).withCloseable { aws ->
  aws.createRepository('its-debug')
}
return true
