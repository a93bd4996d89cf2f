// The service runs v1.0.0 (revision 1), steady, circuit breaker with rollback on.
import io.github.ecsdeploy.it.ItStandIn

def aws = ItStandIn.connect(standInEndpointFile)
try {
  aws.seedService('its-single', 'its-single-svc', 'app', ItStandIn.image('its-single', 'v1.0.0'))
  assert new File(basedir, 'invoker.properties').text.contains(ItStandIn.image('its-single', 'v2.0.0'))
} finally {
  aws.close()
}
return true
