// The service runs v1.0.0 without the deployment circuit breaker; every task of v1.1.0 crashes after it started.
import io.github.ecsdeploy.it.ItStandIn

def aws = ItStandIn.connect(standInEndpointFile)
try {
  aws.createCluster('its-timeout')
  aws.createRepository('its-timeout')
  def v100 = aws.registerTaskDefinition('its-timeout', 'app', ItStandIn.image('its-timeout', 'v1.0.0'))
  aws.createService('its-timeout', 'its-timeout-svc', v100, false)
  aws.waitSteady('its-timeout', 'its-timeout-svc')
  def crashing = ItStandIn.image('its-timeout', 'v1.1.0')
  assert new File(basedir, 'invoker.properties').text.contains(crashing)
  aws.failImage(crashing)
} finally {
  aws.close()
}
return true
