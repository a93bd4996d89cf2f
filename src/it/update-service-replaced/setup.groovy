// The service runs v1.0.0 without the circuit breaker; v1.1.0's tasks crash. While this build waits for its
// deployment, another pipeline deploys v1.1.1 (a thread of the invoker's JVM, bounded to two minutes).
import io.github.ecsdeploy.it.ItStandIn

def aws = ItStandIn.connect(standInEndpointFile)
def hotfix
try {
  aws.createCluster('its-replaced')
  aws.createRepository('its-replaced')
  def v100 = aws.registerTaskDefinition('its-replaced', 'app', ItStandIn.image('its-replaced', 'v1.0.0'))
  aws.createService('its-replaced', 'its-replaced-svc', v100, false)
  aws.waitSteady('its-replaced', 'its-replaced-svc')
  def crashing = ItStandIn.image('its-replaced', 'v1.1.0')
  assert new File(basedir, 'invoker.properties').text.contains(crashing)
  aws.failImage(crashing)
  // revision 2: registered ahead by the other pipeline; this build's registration becomes revision 3
  hotfix = aws.registerTaskDefinition('its-replaced', 'app', ItStandIn.image('its-replaced', 'v1.1.1'))
} finally {
  aws.close()
}

def endpointFile = standInEndpointFile
Thread.startDaemon('its-replaced-other-pipeline') {
  def other = ItStandIn.connect(endpointFile)
  try {
    def deadline = System.currentTimeMillis() + 120_000
    while (System.currentTimeMillis() < deadline) {
      def ours = other.deployments('its-replaced', 'its-replaced-svc')
          .find { it.status() == 'PRIMARY' && it.taskDefinition().endsWith(':3') }
      if (ours != null && ours.failedTasks() > 0) {
        other.ecs().updateService { it.cluster('its-replaced').service('its-replaced-svc').taskDefinition(hotfix) }
        return
      }
      Thread.sleep(100)
    }
  } finally {
    other.close()
  }
}
return true
