// An empty IMMUTABLE ECR repository for the service.
import io.github.ecsdeploy.it.ItStandIn

ItStandIn.connect(standInEndpointFile).withCloseable { aws ->
  aws.createRepository('its-jib-config')
}
return true
