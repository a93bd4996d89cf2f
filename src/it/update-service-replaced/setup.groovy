// The service runs v1.0.0 without the circuit breaker; v1.1.0's tasks crash. While this build waits for its
// deployment, another pipeline deploys v1.1.1 (a thread of the invoker's JVM, bounded to two minutes).
import io.github.ecsdeploy.it.ItStandIn

def hotfix = ItStandIn.connect(standInEndpointFile).withCloseable { aws ->
  aws.seedService('its-replaced', 'its-replaced-svc', 'app', ItStandIn.image('its-replaced', 'v1.0.0'), false)
  aws.failImage(basedir, ItStandIn.image('its-replaced', 'v1.1.0'))
  // revision 2: registered ahead by the other pipeline; this build's registration becomes revision 3
  aws.registerTaskDefinition('its-replaced', 'app', ItStandIn.image('its-replaced', 'v1.1.1'))
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
