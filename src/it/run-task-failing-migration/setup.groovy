// The migration task prints an error and exits with 1.
import io.github.ecsdeploy.it.ItStandIn

def aws = ItStandIn.connect(standInEndpointFile)
try {
  aws.createCluster('run-task-failing-migration')
  def v100 = aws.registerLoggingTaskDefinition('run-task-failing-migration', 'app', ItStandIn.image('run-task-failing-migration', 'v1.0.0'))
  aws.createService('run-task-failing-migration', 'run-task-failing-migration-svc', v100)
  aws.waitSteady('run-task-failing-migration', 'run-task-failing-migration-svc')
  aws.runTaskOutcome('run-task-failing-migration', 1, 1000, false, ['Migrating schema to V7', 'ERROR: column "email" already exists'])
} finally {
  aws.close()
}
return true
