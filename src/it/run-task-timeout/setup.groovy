// The migration task waits for a lock for ever.
import io.github.ecsdeploy.it.ItStandIn

def aws = ItStandIn.connect(standInEndpointFile)
try {
  aws.createCluster('run-task-timeout')
  def v100 = aws.registerLoggingTaskDefinition('run-task-timeout', 'app', ItStandIn.image('run-task-timeout', 'v1.0.0'))
  aws.createService('run-task-timeout', 'run-task-timeout-svc', v100)
  aws.waitSteady('run-task-timeout', 'run-task-timeout-svc')
  aws.runTaskOutcome('run-task-timeout', 0, 1000, true, ['Waiting for the schema lock'])
} finally {
  aws.close()
}
return true
