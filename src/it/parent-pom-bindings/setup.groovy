// The service runs v1.1.0 (revision 1), steady, circuit breaker with rollback on.
import io.github.ecsdeploy.it.ItStandIn

def aws = ItStandIn.connect(standInEndpointFile)
try {
  aws.seedService('its-parent', 'its-parent', 'app', ItStandIn.image('its-parent', 'v1.1.0'))
  assert new File(basedir, 'invoker.properties').text.contains(ItStandIn.image('its-parent', 'v1.2.0'))
} finally {
  aws.close()
}
return true
