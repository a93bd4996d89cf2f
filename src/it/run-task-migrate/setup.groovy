// The migration task prints two lines over 1.5 s and exits with 0.
import io.github.ecsdeploy.it.ItStandIn

def aws = ItStandIn.connect(standInEndpointFile)
try {
  aws.createCluster('run-task-migrate')
  def v100 = aws.registerLoggingTaskDefinition('run-task-migrate', 'app', ItStandIn.image('run-task-migrate', 'v1.0.0'))
  aws.createService('run-task-migrate', 'run-task-migrate-svc', v100)
  aws.waitSteady('run-task-migrate', 'run-task-migrate-svc')
  aws.runTaskOutcome('run-task-migrate', 0, 1500, false, ['Migrating schema to V7', 'Migration done: 2 applied'])
} finally {
  aws.close()
}
return true
