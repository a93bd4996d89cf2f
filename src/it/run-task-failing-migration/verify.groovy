// The migration's essential container exited with 1: the build failed at run-task with the exit code and the
// container's last lines, update-service never ran, and the service still runs revision 1.
import io.github.ecsdeploy.it.ItLog
import io.github.ecsdeploy.it.ItStandIn
import io.github.ecsdeploy.it.ItVerify
import static io.github.ecsdeploy.it.ItLog.assertInOrder

def text = ItLog.read(basedir).text()
assertInOrder(text,
    'Registered task definition run-task-failing-migration:2',
    'Started task arn:aws:ecs:us-east-1:123456789012:task/run-task-failing-migration/',
    '[app] Migrating schema to V7',
    '[app] ERROR: column "email" already exists',
    'container app (essential): exit code 1',
    'BUILD FAILURE',
    ':run-task (migrate) on project run-task-failing-migration: Task arn:aws:ecs:us-east-1:123456789012:task/run-task-failing-migration/',
    ' failed: essential container app exited with 1 (Essential container in task exited, EssentialContainerExited).',
    'nothing was deployed.',
    'Last output of container app:',
    'ERROR: column "email" already exists')
assert !text.contains('update-service (ecs-rollout)') : 'update-service must not run after a failed migration'

ItStandIn.connect(standInEndpointFile).withCloseable { aws ->
  ItVerify.assertNothingDeployed(text, aws, 'run-task-failing-migration')
}
return true
