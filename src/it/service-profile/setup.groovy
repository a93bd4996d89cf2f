// The service as it runs before this pipeline: v0.9.0 (revision 1), steady, circuit breaker with rollback on.
import io.github.ecsdeploy.it.ItStandIn

def aws = ItStandIn.connect(standInEndpointFile)
try {
  aws.seedService('its-profile', 'its-profile-svc', 'app', ItStandIn.image('its-profile', 'v0.9.0'))
  // The images invoker.properties names must be the ones ItStandIn derives.
  def goals = new File(basedir, 'invoker.properties').text
  assert goals.contains(ItStandIn.image('its-profile', 'v1.0.0'))
  assert goals.contains(ItStandIn.image('its-profile', 'v1.0.1'))
} finally {
  aws.close()
}
return true
