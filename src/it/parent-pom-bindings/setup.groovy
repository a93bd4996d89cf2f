// The service runs v1.1.0 (revision 1), steady, circuit breaker with rollback on; its ECR repository
// (IMMUTABLE) exists and is empty.
import io.github.ecsdeploy.it.ItStandIn

ItStandIn.connect(standInEndpointFile).withCloseable { aws ->
  aws.seedService('its-parent', 'its-parent', 'app', ItStandIn.image('its-parent', 'v1.1.0'))
  assert aws.images('its-parent').isEmpty()
}
return true
