// The service runs v1.0.0 (revision 1); every task of the v1.1.0 image will crash after it started.
import io.github.ecsdeploy.it.ItStandIn

def aws = ItStandIn.connect(standInEndpointFile)
try {
  aws.seedService('its-rollback', 'its-rollback-svc', 'app', ItStandIn.image('its-rollback', 'v1.0.0'))
  def crashing = ItStandIn.image('its-rollback', 'v1.1.0')
  assert new File(basedir, 'invoker.properties').text.contains(crashing)
  aws.failImage(crashing)
} finally {
  aws.close()
}
return true
