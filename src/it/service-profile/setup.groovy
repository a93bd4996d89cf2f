// The service as it runs before this pipeline: v0.9.0 (revision 1), steady, circuit breaker with rollback on;
// its ECR repository (IMMUTABLE) exists and is empty.
import io.github.ecsdeploy.it.ItStandIn

ItStandIn.connect(standInEndpointFile).withCloseable { aws ->
  aws.seedService('its-profile', 'its-profile-svc', 'app', ItStandIn.image('its-profile', 'v0.9.0'))
  assert aws.images('its-profile').isEmpty()
}
return true
